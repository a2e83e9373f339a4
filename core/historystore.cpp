#include "historystore.h"

#include "historywriter.h"
#include "logging.h"
#include "rollupreader.h"
#include "schemamigrations.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <limits>

namespace {

Health healthFromColumn(const QVariant &v)
{
    const int n = v.toInt();
    return n >= int(Health::Ok) && n <= int(Health::Down) ? Health(n) : Health::Unknown;
}

} // namespace

HistoryStore::HistoryStore(QObject *parent)
    : QObject(parent)
    , m_queue(std::make_shared<WriteQueue>())
    , m_settings(std::make_shared<HistoryWriterSettings>())
{
    static QAtomicInteger<quint64> serial;
    m_readConnection = QStringLiteral("opsdeck-history-read-%1").arg(serial.fetchAndAddRelaxed(1));
}

HistoryStore::~HistoryStore()
{
    close();
}

bool HistoryStore::fail(QString *error, const QString &message)
{
    qCWarning(lcStore).noquote() << message;
    m_queue->setLastError(message);
    if (error)
        *error = message;
    return false;
}

bool HistoryStore::open(const StoreLocation &location, QString *error)
{
    close();
    const bool postgres = location.kind == StoreLocation::Kind::PostgreSql;
    const QString where = postgres ? location.displayString() : location.path;
    if (!postgres) {
        const QFileInfo file(location.path);
        if (location.path.isEmpty() || file.isDir())
            return fail(error, QStringLiteral("history store: expected a file path, got `%1`").arg(location.path));
        const QString dir = file.absolutePath();
        if (!QDir().mkpath(dir))
            return fail(error, QStringLiteral("cannot create the folder %1 for the history database").arg(dir));
    }

    QString why;
    if (!openHistoryConnection(m_readConnection, location, &why))
        return fail(error, why);
    bool ready = false;
    {
        const QSqlDatabase db = QSqlDatabase::database(m_readConnection, false);
        // Look before touching: a database from a newer OpsDeck, or somebody else's file, must be
        // left exactly as it was, journal mode included.
        const auto found = checkSchemaVersion(db, &why);
        if (!found) {
            ready = false;
        } else if (postgres) {
            ready = migrateSchema(db, SqlDialect::PostgreSql, &why);
        } else {
            // Only an empty file can still choose: with INCREMENTAL, retention can give the pages of
            // a one-off large delete back to the file system (see RetentionPass).
            if (*found == 0) {
                QSqlQuery q(db);
                q.exec(QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL"));
            }
            ready = enableWal(db, &why) && migrateSchema(db, SqlDialect::Sqlite, &why);
        }
    }
    if (!ready) {
        closeHistoryConnection(m_readConnection);
        return fail(error, QStringLiteral("%1: %2").arg(where, why));
    }

    m_location = location;
    m_readThread = QThread::currentThread();
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("history-writer"));
    m_writer = new HistoryWriter(m_queue, m_settings, location);
    m_writer->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_writer, &QObject::deleteLater);
    connect(m_writer, &HistoryWriter::writeFailed, this, &HistoryStore::writeFailed);
    connect(m_writer, &HistoryWriter::writesRecovered, this, &HistoryStore::writesRecovered);
    m_thread->start();

    bool ok = false;
    QMetaObject::invokeMethod(
        m_writer, [&] { ok = m_writer->openConnection(&why); }, Qt::BlockingQueuedConnection);
    if (!ok) {
        m_thread->quit();
        m_thread->wait();
        m_thread.reset();
        m_writer = nullptr;
        closeHistoryConnection(m_readConnection);
        m_readThread = nullptr;
        return fail(error, postgres ? why : QStringLiteral("%1: %2").arg(where, why));
    }
    m_queue->attach(m_writer);
    m_queue->setLastError({});
    m_readBroken = false;
    // close() wrote every directly written rollup; what the cache keeps from now on is read after.
    m_windowEdges.clear();
    m_rollupsWrittenDirectly = false;
    m_open = true;
    qCInfo(lcStore).noquote() << "history store open:" << location.displayString();
    return true;
}

void HistoryStore::close()
{
    if (!m_open)
        return;
    m_open = false;
    m_windowEdges.clear();
    m_queue->stopAccepting();
    const WriteQueue::Mark everything = m_queue->accepted();
    bool flushed = false;
    QMetaObject::invokeMethod(
        m_writer, [&] { flushed = m_writer->flushUpTo(everything); }, Qt::BlockingQueuedConnection);
    if (!flushed)
        qCWarning(lcStore).noquote() << "closing the history store with" << m_queue->pending()
                                     << "rows that could not be written:" << m_queue->lastError();
    QMetaObject::invokeMethod(m_writer, [this] { m_writer->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_writer = nullptr;
    m_queue->attach(nullptr); // forget rows that could not be written; a reopen starts clean
    closeHistoryConnection(m_readConnection);
    m_readThread = nullptr;
}

bool HistoryStore::isOpen() const
{
    return m_open;
}

StoreLocation HistoryStore::location() const
{
    return m_location;
}

void HistoryStore::record(const CheckResult &result)
{
    m_queue->push(result);
}

void HistoryStore::recordTransition(const StateTransition &transition)
{
    m_queue->push(transition);
}

bool HistoryStore::flush()
{
    if (!m_open)
        return false;
    const WriteQueue::Mark mark = m_queue->accepted();
    if (m_queue->reached(mark))
        return true;
    bool ok = false;
    if (QThread::currentThread() == m_thread.get()) {
        ok = m_writer->flushUpTo(mark); // a blocking call into our own thread would deadlock
    } else {
        QMetaObject::invokeMethod(
            m_writer, [&] { ok = m_writer->flushUpTo(mark); }, Qt::BlockingQueuedConnection);
    }
    return ok;
}

qsizetype HistoryStore::pendingWrites() const
{
    return m_queue->pending();
}

quint64 HistoryStore::droppedWrites() const
{
    return m_queue->dropped();
}

void HistoryStore::setQueueLimit(qsizetype rows)
{
    m_queue->setLimit(rows);
}

QString HistoryStore::lastError() const
{
    return m_queue->lastError();
}

bool HistoryStore::canRead(const char *what) const
{
    if (!m_open)
        return false;
    if (QThread::currentThread() != m_readThread) {
        // QtSql connections are bound to the thread that opened them.
        qCWarning(lcStore) << "HistoryStore::" << what << "called from a thread other than the one that opened "
                              "the store; returning nothing";
        return false;
    }
    if (m_readBroken) {
        // After a failed read from PostgreSQL the connection may be dead (a restarted server); a
        // QPSQL connection never recovers by itself.
        m_readBroken = false;
        closeHistoryConnection(m_readConnection);
        QString why;
        if (!openHistoryConnection(m_readConnection, m_location, &why)) {
            readFailed(QLatin1String(what), why);
            return false;
        }
    }
    return true;
}

void HistoryStore::readFailed(const QString &what, const QString &why) const
{
    const QString message = QStringLiteral("reading %1 from the history database failed: %2").arg(what, why);
    qCWarning(lcStore).noquote() << message;
    m_queue->setLastError(message);
    m_readBroken = m_location.kind == StoreLocation::Kind::PostgreSql;
}

QList<CheckResult> HistoryStore::results(const QString &service, const QString &check, qint64 sinceMs,
                                         int limit) const
{
    QList<CheckResult> out;
    if (!canRead("results"))
        return out;
    QSqlQuery q(QSqlDatabase::database(m_readConnection, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT c.name, r.ts, r.outcome, r.latency_us, r.http_status, r.error, "
                             "r.failed_condition, r.actual_value, r.network_error "
                             "FROM results r JOIN checks c ON c.id = r.check_id "
                             "WHERE c.service = ?")
              + (check.isEmpty() ? QString() : QStringLiteral(" AND c.name = ?"))
              + QStringLiteral(" AND r.ts >= ? ORDER BY r.ts DESC, r.check_id DESC, r.seq DESC")
              + (limit > 0 ? QStringLiteral(" LIMIT ?") : QString()));
    q.addBindValue(service);
    if (!check.isEmpty())
        q.addBindValue(check);
    q.addBindValue(sinceMs);
    if (limit > 0)
        q.addBindValue(limit);
    if (!q.exec()) {
        readFailed(QStringLiteral("results"), q.lastError().text());
        return out;
    }
    while (q.next()) {
        CheckResult r;
        r.service = service;
        r.check = q.value(0).toString();
        r.atMs = q.value(1).toLongLong();
        r.outcome = healthFromColumn(q.value(2));
        r.latencyMs = q.value(3).isNull() ? -1 : double(q.value(3).toLongLong()) / 1000.0;
        r.httpStatus = q.value(4).isNull() ? 0 : q.value(4).toInt();
        r.error = q.value(5).toString();
        r.failedCondition = q.value(6).toString();
        r.actualValue = q.value(7).toString();
        r.networkError = q.value(8).toInt() != 0;
        out.append(std::move(r));
    }
    return out;
}

QList<StateTransition> HistoryStore::transitions(const QString &service, qint64 sinceMs, int limit) const
{
    QList<StateTransition> out;
    if (!canRead("transitions"))
        return out;
    QSqlQuery q(QSqlDatabase::database(m_readConnection, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT t.service, c.name, t.ts, t.from_health, t.to_health, t.reason "
                             "FROM transitions t LEFT JOIN checks c ON c.id = t.check_id WHERE t.ts >= ?")
              + (service.isEmpty() ? QString() : QStringLiteral(" AND t.service = ?"))
              + QStringLiteral(" ORDER BY t.ts DESC, t.id DESC")
              + (limit > 0 ? QStringLiteral(" LIMIT ?") : QString()));
    q.addBindValue(sinceMs);
    if (!service.isEmpty())
        q.addBindValue(service);
    if (limit > 0)
        q.addBindValue(limit);
    if (!q.exec()) {
        readFailed(QStringLiteral("transitions"), q.lastError().text());
        return out;
    }
    while (q.next()) {
        StateTransition t;
        t.service = q.value(0).toString();
        t.check = q.value(1).toString(); // NULL (service-level) reads as empty
        t.atMs = q.value(2).toLongLong();
        t.from = healthFromColumn(q.value(3));
        t.to = healthFromColumn(q.value(4));
        t.reason = q.value(5).toString();
        out.append(std::move(t));
    }
    return out;
}

std::optional<CheckResult> HistoryStore::latest(const QString &service, const QString &check) const
{
    const QList<CheckResult> rows = results(service, check, std::numeric_limits<qint64>::min(), 1);
    if (rows.isEmpty())
        return std::nullopt;
    return rows.first();
}

QStringList HistoryStore::services() const
{
    QStringList out;
    if (!canRead("services"))
        return out;
    QSqlQuery q(QSqlDatabase::database(m_readConnection, false));
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT service FROM checks UNION SELECT service FROM transitions ORDER BY 1"))) {
        readFailed(QStringLiteral("services"), q.lastError().text());
        return out;
    }
    while (q.next())
        out << q.value(0).toString();
    return out;
}

int HistoryStore::schemaVersion() const
{
    if (!canRead("schemaVersion"))
        return -1;
    QString why;
    const auto v = readSchemaVersion(QSqlDatabase::database(m_readConnection, false), &why);
    if (!v) {
        readFailed(QStringLiteral("the schema version"), why);
        return -1;
    }
    return *v;
}

int HistoryStore::currentSchemaVersion()
{
    return latestSchemaVersion();
}

void HistoryStore::setRetention(const RetentionPolicy &policy)
{
    m_settings->setRetention(policy);
    if (m_open)
        QMetaObject::invokeMethod(m_writer, &HistoryWriter::retentionPolicyChanged, Qt::QueuedConnection);
}

RetentionPolicy HistoryStore::retention() const
{
    return m_settings->retention();
}

void HistoryStore::setLatencyThresholds(const QHash<QString, double> &serviceToMs)
{
    m_settings->setLatencyThresholds(serviceToMs);
}

std::optional<QList<HistoryStore::CheckRow>> HistoryStore::checkRows(const QString &service,
                                                                     const char *what) const
{
    QSqlQuery q(QSqlDatabase::database(m_readConnection, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT id, service, name FROM checks")
              + (service.isEmpty() ? QString() : QStringLiteral(" WHERE service = ?")));
    if (!service.isEmpty())
        q.addBindValue(service);
    if (!q.exec()) {
        readFailed(QLatin1String(what), q.lastError().text());
        return std::nullopt;
    }
    QList<CheckRow> out;
    while (q.next())
        out.append(CheckRow{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString()});
    return out;
}

QList<qint64> HistoryStore::checkIds(const QString &service, const QStringList &checks, const char *what,
                                     bool *ok) const
{
    QList<qint64> ids;
    const auto rows = checkRows(service, what);
    *ok = rows.has_value();
    if (rows) {
        for (const CheckRow &row : *rows)
            if (checks.isEmpty() || checks.contains(row.name))
                ids << row.id;
    }
    return ids;
}

EventCounts HistoryStore::counts(const QString &service, const QStringList &checks, qint64 fromMs,
                                 qint64 toMs) const
{
    EventCounts out;
    if (!canRead("counts"))
        return out;
    bool ok = false;
    const QList<qint64> ids = checkIds(service, checks, "counts", &ok);
    if (!ok || ids.isEmpty())
        return out;
    const RollupReader reader(QSqlDatabase::database(m_readConnection, false), dialectFor(m_location));
    QHash<qint64, EventCounts> perCheck;
    QString why;
    if (!reader.countsByCheck(ids, fromMs, toMs, &perCheck, &why)) {
        readFailed(QStringLiteral("SLO counts"), why);
        return out;
    }
    for (const EventCounts &c : std::as_const(perCheck))
        out.merge(c);
    return out;
}

bool HistoryStore::sloChecks(const QHash<QString, QStringList> &checksByService, const char *what,
                             QHash<qint64, QString> *serviceOf, QList<qint64> *ids,
                             QHash<QString, EventCounts> *services) const
{
    const auto rows = checkRows(QString(), what);
    if (!rows)
        return false;
    for (const CheckRow &row : *rows) {
        services->insert(row.service, EventCounts{});
        const auto only = checksByService.constFind(row.service);
        if (only != checksByService.cend() && !only->isEmpty() && !only->contains(row.name))
            continue;
        serviceOf->insert(row.id, row.service);
        *ids << row.id;
    }
    return true;
}

QHash<QString, EventCounts>
HistoryStore::countsByService(qint64 fromMs, qint64 toMs, const QHash<QString, QStringList> &checksByService,
                              RollupReader::Detail detail) const
{
    QHash<QString, EventCounts> out;
    if (!canRead("countsByService"))
        return out;
    QHash<qint64, QString> serviceOf;
    QList<qint64> ids;
    if (!sloChecks(checksByService, "countsByService", &serviceOf, &ids, &out))
        return out;
    const RollupReader reader(QSqlDatabase::database(m_readConnection, false), dialectFor(m_location));
    QHash<qint64, EventCounts> perCheck;
    QString why;
    if (!reader.countsByCheck(ids, fromMs, toMs, &perCheck, &why, detail)) {
        readFailed(QStringLiteral("SLO counts"), why);
        return {};
    }
    for (auto it = perCheck.cbegin(); it != perCheck.cend(); ++it)
        out[serviceOf.value(it.key())].merge(it.value());
    return out;
}

QList<QHash<QString, EventCounts>>
HistoryStore::countsByServiceMulti(const QList<RollupReader::Window> &windows,
                                   const QHash<QString, QStringList> &checksByService) const
{
    QList<QHash<QString, EventCounts>> out(windows.size());
    if (windows.isEmpty() || !canRead("countsByServiceMulti"))
        return out;
    QHash<qint64, QString> serviceOf;
    QList<qint64> ids;
    QHash<QString, EventCounts> services;
    if (!sloChecks(checksByService, "countsByServiceMulti", &serviceOf, &ids, &services))
        return out;
    if (m_rollupsWrittenDirectly)
        m_windowEdges.clear();
    const RollupReader reader(QSqlDatabase::database(m_readConnection, false), dialectFor(m_location),
                              m_rollupsWrittenDirectly ? nullptr : &m_windowEdges);
    QList<QHash<qint64, EventCounts>> perCheck;
    QString why;
    if (!reader.countsByCheckMulti(ids, windows, &perCheck, &why)) {
        readFailed(QStringLiteral("SLO counts"), why);
        return out;
    }
    for (qsizetype w = 0; w < windows.size(); ++w) {
        out[w] = services;
        for (auto it = perCheck[w].cbegin(); it != perCheck[w].cend(); ++it)
            out[w][serviceOf.value(it.key())].merge(it.value());
    }
    return out;
}

QList<QPair<qint64, EventCounts>> HistoryStore::series(const QString &service, const QStringList &checks,
                                                       qint64 fromMs, qint64 toMs, qint64 stepMs) const
{
    QList<QPair<qint64, EventCounts>> out;
    if (!canRead("series"))
        return out;
    bool ok = false;
    const QList<qint64> ids = checkIds(service, checks, "series", &ok);
    if (!ok)
        return out;
    const RollupReader reader(QSqlDatabase::database(m_readConnection, false), dialectFor(m_location));
    QString why;
    if (!reader.series(ids, fromMs, toMs, stepMs, &out, &why)) {
        readFailed(QStringLiteral("a chart series"), why);
        out.clear();
    }
    return out;
}

int HistoryStore::serverErrorCount(const QString &service, qint64 sinceMs) const
{
    if (!canRead("serverErrorCount"))
        return 0;
    QSqlQuery q(QSqlDatabase::database(m_readConnection, false));
    q.setForwardOnly(true);
    // Check by check along the results' key rather than a join the planner might turn around.
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM results "
                             "WHERE check_id IN (SELECT id FROM checks WHERE service = ?) "
                             "AND ts >= ? AND http_status >= 500"));
    q.addBindValue(service);
    q.addBindValue(sinceMs);
    if (!q.exec() || !q.next()) {
        readFailed(QStringLiteral("server errors"), q.lastError().text());
        return 0;
    }
    return q.value(0).toInt();
}

qint64 HistoryStore::runRetention(qint64 nowMs)
{
    if (!m_open)
        return -1;
    qint64 deleted = -1;
    QString why;
    if (QThread::currentThread() == m_thread.get()) {
        deleted = m_writer->runRetention(nowMs, &why);
    } else {
        QMetaObject::invokeMethod(
            m_writer, [&] { deleted = m_writer->runRetention(nowMs, &why); }, Qt::BlockingQueuedConnection);
    }
    if (deleted < 0) {
        const QString message = QStringLiteral("pruning the history database %1 failed: %2")
                                    .arg(m_location.displayString(), why);
        qCWarning(lcStore).noquote() << message;
        m_queue->setLastError(message);
    }
    return deleted;
}

void HistoryStore::writeRollup(const QString &service, const QString &check, Resolution resolution,
                               qint64 bucketMs, const EventCounts &counts)
{
    m_rollupsWrittenDirectly = true;
    RollupWrite row;
    row.service = service;
    row.check = check;
    row.resolution = resolution;
    row.bucketMs = bucketMs;
    row.counts = counts;
    m_queue->push(row);
}

qint64 HistoryStore::databaseSizeBytes() const
{
    if (!m_open)
        return -1;
    if (m_location.kind == StoreLocation::Kind::Sqlite) {
        const QFileInfo file(m_location.path);
        const QFileInfo wal(m_location.path + QStringLiteral("-wal"));
        return file.size() + (wal.exists() ? wal.size() : 0);
    }
    if (!canRead("databaseSizeBytes"))
        return -1;
    QSqlQuery q(QSqlDatabase::database(m_readConnection, false));
    q.setForwardOnly(true);
    // The store's own tables only: the database itself may hold other things, and its catalogs
    // cost the same whatever OpsDeck keeps.
    if (!q.exec(QStringLiteral("SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                               "JOIN pg_namespace n ON n.oid = c.relnamespace "
                               "WHERE c.relkind = 'r' AND n.nspname = current_schema() AND c.relname IN "
                               "('schema_version', 'checks', 'results', 'transitions', 'rollup_minute', "
                               "'rollup_hour', 'rollup_day', 'retention_horizon', 'rollup_minute_packed', 'rollup_hour_packed')"))
        || !q.next()) {
        readFailed(QStringLiteral("the database size"), q.lastError().text());
        return -1;
    }
    return q.value(0).toLongLong();
}
