#include "historystore.h"

#include "historywriter.h"
#include "logging.h"
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
    if (location.kind == StoreLocation::Kind::PostgreSql)
        return fail(error, QStringLiteral("PostgreSQL store is not supported yet (%1); use `store: sqlite` for now")
                               .arg(location.displayString()));

    const QFileInfo file(location.path);
    if (location.path.isEmpty() || file.isDir())
        return fail(error, QStringLiteral("history store: expected a file path, got `%1`").arg(location.path));
    const QString dir = file.absolutePath();
    if (!QDir().mkpath(dir))
        return fail(error, QStringLiteral("cannot create the folder %1 for the history database").arg(dir));

    QString why;
    if (!openHistorySqlite(m_readConnection, location.path, &why))
        return fail(error, why);
    bool ready = false;
    {
        const QSqlDatabase db = QSqlDatabase::database(m_readConnection, false);
        // Look before touching: a database from a newer OpsDeck, or somebody else's file, must be
        // left exactly as it was, journal mode included.
        ready = checkSchemaVersion(db, &why) && enableWal(db, &why) && migrateSchema(db, SqlDialect::Sqlite, &why);
    }
    if (!ready) {
        closeHistoryConnection(m_readConnection);
        return fail(error, QStringLiteral("%1: %2").arg(location.path, why));
    }

    m_location = location;
    m_readThread = QThread::currentThread();
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("history-writer"));
    m_writer = new HistoryWriter(m_queue, location);
    m_writer->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_writer, &QObject::deleteLater);
    connect(m_writer, &HistoryWriter::writeFailed, this, &HistoryStore::writeFailed);
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
        return fail(error, QStringLiteral("%1: %2").arg(location.path, why));
    }
    m_queue->attach(m_writer);
    m_queue->setLastError({});
    m_open = true;
    qCInfo(lcStore).noquote() << "history store open:" << location.displayString();
    return true;
}

void HistoryStore::close()
{
    if (!m_open)
        return;
    m_open = false;
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
    return true;
}

void HistoryStore::readFailed(const QString &what, const QString &why) const
{
    const QString message = QStringLiteral("reading %1 from the history database failed: %2").arg(what, why);
    qCWarning(lcStore).noquote() << message;
    m_queue->setLastError(message);
}

QList<CheckResult> HistoryStore::results(const QString &service, const QString &check, qint64 sinceMs,
                                         int limit) const
{
    QList<CheckResult> out;
    if (!canRead("results"))
        return out;
    QSqlQuery q(QSqlDatabase::database(m_readConnection, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT c.name, r.ts, r.outcome, r.latency_ms, r.http_status, r.error, "
                             "r.failed_condition, r.actual_value, r.network_error "
                             "FROM results r JOIN checks c ON c.id = r.check_id "
                             "WHERE c.service = ?")
              + (check.isEmpty() ? QString() : QStringLiteral(" AND c.name = ?"))
              + QStringLiteral(" AND r.ts >= ? ORDER BY r.ts DESC, r.id DESC")
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
        r.latencyMs = q.value(3).isNull() ? -1 : q.value(3).toDouble();
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
