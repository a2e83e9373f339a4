#include "historywriter.h"

#include "logging.h"
#include "packedrollups.h"
#include "pgarrayliteral.h"
#include "retentionpass.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QSet>
#include <QSqlError>
#include <QVariant>

#include <array>
#include <cmath>
#include <limits>
#include <utility>

namespace {

} // namespace

bool openHistorySqlite(const QString &connectionName, const QString &path, QString *error)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        if (error)
            *error = QStringLiteral("the Qt SQLite driver (QSQLITE) is not installed");
        return false;
    }
    QString why;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open())
            why = db.lastError().text().trimmed();
        // A file that is not SQLite opens fine; the first statement is what notices.
        else if (!execSql(db, QStringLiteral("PRAGMA foreign_keys = ON"), &why)
                 || !execSql(db, QStringLiteral("PRAGMA synchronous = NORMAL"), &why))
            db.close();
        else
            return true;
    }
    closeHistoryConnection(connectionName);
    if (error)
        *error = QStringLiteral("cannot open the history database %1: %2").arg(path, why);
    return false;
}

bool enableWal(const QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !q.next()) {
        if (error)
            *error = QStringLiteral("cannot switch the history database to WAL mode: ") + sqlError(q);
        return false;
    }
    const QString mode = q.value(0).toString();
    if (mode.compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0) {
        if (error)
            *error = QStringLiteral("the history database stayed in journal mode \"%1\" instead of \"wal\" "
                                    "(is it read-only, or on a file system without shared memory?)")
                         .arg(mode);
        return false;
    }
    return true;
}

bool openHistoryPostgres(const QString &connectionName, const StoreLocation &location, QString *error)
{
    const QString where = location.displayString();
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        if (error)
            *error = QStringLiteral("the Qt PostgreSQL driver (QPSQL) is not installed (Debian: "
                                    "libqt6sql6-psql); it is needed for the store %1")
                         .arg(where);
        return false;
    }
    if (location.password.contains(QLatin1String("${secret:"))) {
        if (error)
            *error = QStringLiteral("the password of the store %1 is a ${secret:…} reference that was not "
                                    "resolved from the keychain")
                         .arg(where);
        return false;
    }
    QString why;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
        db.setHostName(location.host);
        db.setPort(location.port);
        db.setUserName(location.user);
        db.setPassword(location.password);
        db.setDatabaseName(location.database);
        QString options = location.connectOptions;
        // libpq waits for an unreachable server as long as TCP does, which is minutes.
        if (!options.contains(QLatin1String("connect_timeout")))
            options += QLatin1String(options.isEmpty() ? "" : ";") + QStringLiteral("connect_timeout=10");
        db.setConnectOptions(options);
        if (!db.open()) {
            why = db.lastError().text().trimmed();
        } else if (!execSql(db, QStringLiteral("SET application_name = 'opsdeck'"), &why)
                   // libpq prints NOTICEs (such as "relation already exists, skipping") on stderr.
                   || !execSql(db, QStringLiteral("SET client_min_messages = warning"), &why)) {
            db.close();
        } else {
            return true;
        }
    }
    closeHistoryConnection(connectionName);
    if (!location.password.isEmpty())
        why.replace(location.password, QStringLiteral("***"));
    if (error)
        *error = QStringLiteral("cannot open the history database %1: %2").arg(where, why);
    return false;
}

bool openHistoryConnection(const QString &connectionName, const StoreLocation &location, QString *error)
{
    if (location.kind == StoreLocation::Kind::PostgreSql)
        return openHistoryPostgres(connectionName, location, error);
    return openHistorySqlite(connectionName, location.path, error);
}

SqlDialect dialectFor(const StoreLocation &location)
{
    return location.kind == StoreLocation::Kind::PostgreSql ? SqlDialect::PostgreSql : SqlDialect::Sqlite;
}

void closeHistoryConnection(const QString &connectionName)
{
    if (!QSqlDatabase::contains(connectionName))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
}

// ---------------------------------------------------------------------------------------------
// HistoryWriterSettings

void HistoryWriterSettings::setLatencyThresholds(const QHash<QString, double> &serviceToMs)
{
    QMutexLocker lock(&m_mutex);
    m_thresholds = serviceToMs;
}

QHash<QString, double> HistoryWriterSettings::latencyThresholds() const
{
    QMutexLocker lock(&m_mutex);
    return m_thresholds;
}

void HistoryWriterSettings::setRetention(const RetentionPolicy &policy)
{
    QMutexLocker lock(&m_mutex);
    m_retention = policy.normalized();
}

RetentionPolicy HistoryWriterSettings::retention() const
{
    QMutexLocker lock(&m_mutex);
    return m_retention;
}

// ---------------------------------------------------------------------------------------------
// WriteQueue

template<typename Row>
bool WriteQueue::pushLocked(QList<Row> &list, const Row &row, quint64 &counter)
{
    if (!m_writer) {
        if (!m_warnedClosed) {
            m_warnedClosed = true;
            qCWarning(lcStore) << "history store is not open; results and transitions are not recorded";
        }
        return false;
    }
    if (waitingLocked() + m_inFlight >= m_limit) {
        ++m_dropped;
        if (!m_dropEpisode) {
            m_dropEpisode = true;
            m_lastError = QStringLiteral("the history write queue is full (%1 rows waiting for the database); "
                                         "new rows are dropped until writes succeed again")
                              .arg(m_limit);
            QMetaObject::invokeMethod(m_writer, &HistoryWriter::reportDrops, Qt::QueuedConnection);
        }
        return false;
    }
    list.append(row);
    ++counter;
    // One wake-up per burst rather than per row: posting an event is dearer than the append.
    if (!m_armed) {
        m_armed = true;
        QMetaObject::invokeMethod(m_writer, &HistoryWriter::rowsQueued, Qt::QueuedConnection);
    }
    if (!m_urgent && waitingLocked() >= kBatchRows) {
        m_urgent = true;
        QMetaObject::invokeMethod(m_writer, &HistoryWriter::batchReady, Qt::QueuedConnection);
    }
    return true;
}

bool WriteQueue::push(const CheckResult &row)
{
    QMutexLocker lock(&m_mutex);
    return pushLocked(m_results, row, m_acceptedResults);
}

bool WriteQueue::push(const StateTransition &row)
{
    QMutexLocker lock(&m_mutex);
    return pushLocked(m_transitions, row, m_acceptedTransitions);
}

bool WriteQueue::push(const RollupWrite &row)
{
    QMutexLocker lock(&m_mutex);
    RollupWrite placed = row;
    placed.afterResults = m_acceptedResults;
    return pushLocked(m_rollups, placed, m_acceptedRollups);
}

void WriteQueue::attach(HistoryWriter *writer)
{
    QMutexLocker lock(&m_mutex);
    m_writer = writer;
    m_armed = false;
    m_urgent = false;
    m_warnedClosed = false;
    m_dropEpisode = false;
    m_results.clear();
    m_transitions.clear();
    m_rollups.clear();
    m_inFlight = 0;
    if (writer)
        m_dropped = 0;
    m_committedResults = m_acceptedResults = 0;
    m_committedTransitions = m_acceptedTransitions = 0;
    m_committedRollups = m_acceptedRollups = 0;
}

void WriteQueue::stopAccepting()
{
    QMutexLocker lock(&m_mutex);
    m_writer = nullptr;
    m_warnedClosed = true; // closing is deliberate; rows arriving after it are not news
}

WriteQueue::Batch WriteQueue::take(qsizetype maxRows)
{
    QMutexLocker lock(&m_mutex);
    Batch batch;
    m_urgent = false;
    // Transitions are rare and matter most to the operator; they never wait behind results.
    batch.transitions.swap(m_transitions);
    qsizetype results = std::min(m_results.size(), std::max<qsizetype>(0, maxRows - batch.transitions.size()));
    // Direct rollup writes that come before or among those results go along; if there are too many
    // of them, the results stop where the first one left behind belongs.
    batch.resultsBefore = m_committedResults;
    qsizetype rollups = 0;
    while (rollups < m_rollups.size() && rollups < maxRows
           && m_rollups.at(rollups).afterResults <= m_committedResults + quint64(results))
        ++rollups;
    if (rollups < m_rollups.size() && m_rollups.at(rollups).afterResults < m_committedResults + quint64(results))
        results = qsizetype(m_rollups.at(rollups).afterResults - m_committedResults);
    const auto move = [](auto &from, auto &to, qsizetype n) {
        if (n == from.size()) {
            to.swap(from);
        } else {
            to = from.first(n);
            from.remove(0, n);
        }
    };
    move(m_results, batch.results, results);
    move(m_rollups, batch.rollups, rollups);
    if (m_results.isEmpty() && m_rollups.isEmpty())
        m_armed = false;
    m_inFlight = batch.size();
    return batch;
}

void WriteQueue::putBack(Batch &&batch)
{
    QMutexLocker lock(&m_mutex);
    m_inFlight = 0;
    batch.results.append(std::move(m_results));
    m_results = std::move(batch.results);
    batch.transitions.append(std::move(m_transitions));
    m_transitions = std::move(batch.transitions);
    batch.rollups.append(std::move(m_rollups));
    m_rollups = std::move(batch.rollups);
    // The writer retries on its own timer; producers need not wake it.
    m_armed = true;
}

void WriteQueue::markCommitted(const Batch &batch)
{
    QMutexLocker lock(&m_mutex);
    m_inFlight = 0;
    m_committedResults += quint64(batch.results.size());
    m_committedTransitions += quint64(batch.transitions.size());
    m_committedRollups += quint64(batch.rollups.size());
}

qsizetype WriteQueue::settle()
{
    QMutexLocker lock(&m_mutex);
    const qsizetype n = waitingLocked();
    // Report the next overflow again only once the backlog has really eased, not at every commit
    // of a queue that hovers at its limit.
    if (m_dropEpisode && n + m_inFlight < m_limit / 2)
        m_dropEpisode = false;
    if (n == 0) {
        m_armed = false;
    } else {
        m_armed = true;
        if (n >= kBatchRows && !m_urgent && m_writer) {
            m_urgent = true;
            QMetaObject::invokeMethod(m_writer, &HistoryWriter::batchReady, Qt::QueuedConnection);
        }
    }
    return n;
}

WriteQueue::Mark WriteQueue::accepted() const
{
    QMutexLocker lock(&m_mutex);
    return {m_acceptedResults, m_acceptedTransitions, m_acceptedRollups};
}

bool WriteQueue::reached(Mark mark) const
{
    QMutexLocker lock(&m_mutex);
    return m_committedResults >= mark.results && m_committedTransitions >= mark.transitions
           && m_committedRollups >= mark.rollups;
}

qsizetype WriteQueue::pending() const
{
    QMutexLocker lock(&m_mutex);
    return waitingLocked() + m_inFlight;
}

quint64 WriteQueue::dropped() const
{
    QMutexLocker lock(&m_mutex);
    return m_dropped;
}

void WriteQueue::setLimit(qsizetype rows)
{
    QMutexLocker lock(&m_mutex);
    m_limit = std::max<qsizetype>(1, rows);
}

QString WriteQueue::lastError() const
{
    QMutexLocker lock(&m_mutex);
    return m_lastError;
}

void WriteQueue::setLastError(const QString &message)
{
    QMutexLocker lock(&m_mutex);
    m_lastError = message;
}


// ---------------------------------------------------------------------------------------------
// HistoryWriter

HistoryWriter::HistoryWriter(std::shared_ptr<WriteQueue> queue, std::shared_ptr<HistoryWriterSettings> settings,
                             const StoreLocation &location, QObject *parent)
    : QObject(parent)
    , m_queue(std::move(queue))
    , m_settings(std::move(settings))
    , m_location(location)
    , m_dialect(dialectFor(location))
    , m_timer(this)
    , m_retentionTimer(this)
    , m_retentionStepTimer(this)
    , m_rollups(m_dialect)
{
    static QAtomicInteger<quint64> serial;
    m_connection = QStringLiteral("opsdeck-history-writer-%1").arg(serial.fetchAndAddRelaxed(1));
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HistoryWriter::writeOnce);
    m_retentionTimer.setSingleShot(true);
    connect(&m_retentionTimer, &QTimer::timeout, this, &HistoryWriter::automaticRetention);
    m_retentionStepTimer.setSingleShot(true);
    connect(&m_retentionStepTimer, &QTimer::timeout, this, &HistoryWriter::retentionStep);
}

HistoryWriter::~HistoryWriter()
{
    shutdown();
}

bool HistoryWriter::connectDatabase(QString *error)
{
    if (!openHistoryConnection(m_connection, m_location, error))
        return false;
    if (m_dialect == SqlDialect::Sqlite) {
        // The pages every batch touches: the newest leaf of each check in results and in each
        // rollup tier. The default 2 MB cache holds them for a few hundred checks only.
        QSqlQuery q(QSqlDatabase::database(m_connection, false));
        q.exec(QStringLiteral("PRAGMA cache_size = -16384"));
    }
    return true;
}

bool HistoryWriter::openConnection(QString *error)
{
    if (!connectDatabase(error))
        return false;
    // Preparing now turns a schema the writer cannot use into an error from open(), not a
    // surprise on the first write.
    if (!prepare(error)) {
        shutdown();
        return false;
    }
    scheduleRetention(kFirstRetentionDelayMs);
    return true;
}

void HistoryWriter::shutdown()
{
    m_timer.stop();
    m_retentionTimer.stop();
    m_retentionStepTimer.stop();
    m_pass.reset();
    resetStatements();
    m_rollups.clearCache();
    closeHistoryConnection(m_connection);
}

void HistoryWriter::resetStatements()
{
    m_prepared = false;
    for (SqliteStatement *statement : {&m_liteInsertResult, &m_liteBegin, &m_liteCommit, &m_liteRollback})
        statement->finalize();
    m_insertResult.reset();
    m_insertResults.reset();
    m_insertTransition.reset();
    m_insertCheck.reset();
    m_selectCheck.reset();
    m_rollups.resetStatements();
}

bool HistoryWriter::prepare(QString *error)
{
    if (m_reconnect || !QSqlDatabase::database(m_connection, false).isOpen()) {
        // A PostgreSQL server that restarted, or a network that dropped the connection, leaves a
        // QPSQL connection that fails every statement (or closes itself) and never recovers.
        resetStatements();
        closeHistoryConnection(m_connection);
        if (!connectDatabase(error))
            return false;
        m_reconnect = false;
    }
    if (m_prepared)
        return true;
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.isOpen()) {
        if (error)
            *error = QStringLiteral("the history writer has no open database connection");
        return false;
    }
    const auto make = [&](std::optional<QSqlQuery> &slot, const QString &sql) {
        slot.emplace(db);
        slot->setForwardOnly(true);
        if (slot->prepare(sql))
            return true;
        if (error)
            *error = sqlError(*slot);
        return false;
    };
    // A second result of the same check in the same millisecond is not a conflict to lose data
    // over: it takes the next seq (see insertResult).
    // On PostgreSQL results has no unique key (see schema version 7): the server gives the row
    // the seq after the highest one of its check and millisecond.
    const QString insertResult =
        m_dialect == SqlDialect::PostgreSql
            ? QStringLiteral("WITH v AS (SELECT x.*, COALESCE((SELECT MAX(seq) + 1 FROM results r "
                             "WHERE r.check_id = x.c AND r.ts = x.t), 0) AS s FROM (VALUES (CAST(? AS BIGINT), "
                             "CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS INTEGER), "
                             "CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT))) "
                             "AS x (c, t, o, l, h, n, e, f, a)) "
                             "INSERT INTO results (check_id, ts, seq, outcome, latency_us, http_status, network_error, "
                             "error, failed_condition, actual_value) "
                             "SELECT c, t, s, o, l, h, n, e, f, a FROM v WHERE s < %1")
                  .arg(kMaxSameMillisecond)
            : QStringLiteral("INSERT INTO results (check_id, ts, seq, outcome, latency_us, "
                             "http_status, network_error, error, failed_condition, actual_value) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                             "ON CONFLICT (check_id, ts, seq) DO NOTHING");
    sqlite3 *lite = m_dialect == SqlDialect::Sqlite ? SqliteStatement::handleOf(db) : nullptr;
    bool ok = (lite ? m_liteInsertResult.prepare(lite, insertResult, error)
                          && m_liteBegin.prepare(lite, beginWriteSql(m_dialect), error)
                          && m_liteCommit.prepare(lite, QStringLiteral("COMMIT"), error)
                          && m_liteRollback.prepare(lite, QStringLiteral("ROLLBACK"), error)
                    : make(m_insertResult, insertResult))
        && make(m_insertTransition,
                QStringLiteral("INSERT INTO transitions (service, check_id, ts, from_health, to_health, reason) "
                               "VALUES (?, ?, ?, ?, ?, ?)"))
        // Portable upsert (SQLite ≥ 3.24, PostgreSQL ≥ 9.5): a second console may add the same check.
        && make(m_insertCheck, QStringLiteral("INSERT INTO checks (service, name) VALUES (?, ?) "
                                              "ON CONFLICT (service, name) DO NOTHING"))
        && make(m_selectCheck, QStringLiteral("SELECT id FROM checks WHERE service = ? AND name = ?"))
        && m_rollups.prepare(db, error);
    if (ok && m_dialect == SqlDialect::PostgreSql) {
        // Every statement is a round trip to the server, which costs more than the insert itself.
        // The rows go as one array per column (see PgArrayLiteral), in key order so that two
        // writers sharing the store take their locks in the same order, as the rollups' do. The
        // statement returns the rows that did not go in: they met a result of the same check and
        // millisecond, and go in one by one with a later seq. Mostly that is none. (Two writers
        // inserting one check's results of one millisecond at once may both give seq 0: results
        // have no unique key there, and seq only orders results within a millisecond.)
        ok = make(m_insertResults,
                  QStringLiteral("WITH v AS (SELECT * FROM unnest("
                                 "CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS INTEGER[]), "
                                 "CAST(? AS BIGINT[]), CAST(? AS INTEGER[]), CAST(? AS INTEGER[]), "
                                 "CAST(? AS TEXT[]), CAST(? AS TEXT[]), CAST(? AS TEXT[])) "
                                 "AS u (c, t, o, l, h, n, e, f, a)), "
                                 "inserted AS (INSERT INTO results (check_id, ts, seq, outcome, latency_us, "
                                 "http_status, network_error, error, failed_condition, actual_value) "
                                 "SELECT c, t, 0, o, l, h, n, e, f, a FROM v WHERE NOT EXISTS "
                                 "(SELECT 1 FROM results r WHERE r.check_id = v.c AND r.ts = v.t) ORDER BY c, t "
                                 "RETURNING check_id, ts) "
                                 "SELECT c, t FROM v EXCEPT ALL SELECT check_id, ts FROM inserted"));
    }
    if (!ok)
        resetStatements();
    m_prepared = ok;
    return ok;
}

std::optional<qint64> HistoryWriter::checkId(const QString &service, const QString &check, QString *error)
{
    const Key key{service, check};
    if (const auto it = m_ids.constFind(key); it != m_ids.cend())
        return *it;
    if (const auto it = m_newIds.constFind(key); it != m_newIds.cend())
        return *it;

    m_insertCheck->bindValue(0, storedText(service));
    m_insertCheck->bindValue(1, storedText(check));
    if (!m_insertCheck->exec()) {
        *error = sqlError(*m_insertCheck);
        return std::nullopt;
    }
    m_selectCheck->bindValue(0, storedText(service));
    m_selectCheck->bindValue(1, storedText(check));
    if (!m_selectCheck->exec() || !m_selectCheck->next()) {
        *error = m_selectCheck->lastError().isValid() ? sqlError(*m_selectCheck)
                                                       : QStringLiteral("check %1/%2 vanished").arg(service, check);
        m_selectCheck->finish();
        return std::nullopt;
    }
    const qint64 id = m_selectCheck->value(0).toLongLong();
    m_selectCheck->finish();
    m_newIds.insert(key, id);
    return id;
}

bool HistoryWriter::insertResult(const CheckResult &r, qint64 checkId, int firstSeq, QString *error)
{
    const std::optional<qint64> latency = storedLatencyUs(r.latencyMs);
    if (m_liteInsertResult.isPrepared()) {
        SqliteStatement &s = m_liteInsertResult;
        s.bindInt64(0, checkId);
        s.bindInt64(1, r.atMs);
        s.bindInt64(3, int(r.outcome));
        if (latency)
            s.bindInt64(4, *latency);
        else
            s.bindNull(4);
        if (const std::optional<int> status = storedHttpStatus(r.httpStatus))
            s.bindInt64(5, *status);
        else
            s.bindNull(5);
        s.bindInt64(6, r.networkError ? 1 : 0);
        s.bindText(7, storedText(r.error));
        s.bindText(8, storedText(r.failedCondition));
        s.bindText(9, storedText(r.actualValue));
        for (int seq = firstSeq; seq < kMaxSameMillisecond; ++seq) {
            s.bindInt64(2, seq);
            if (!s.exec(error))
                return false;
            if (s.changes() > 0)
                return true;
        }
        *error = QStringLiteral("more than %1 results of %2/%3 at the same millisecond %4")
                     .arg(kMaxSameMillisecond)
                     .arg(r.service, r.check)
                     .arg(r.atMs);
        return false;
    }
    QSqlQuery &q = *m_insertResult;
    // PostgreSQL's statement picks the seq itself, so there is none to bind and one try.
    const bool serverSeq = m_dialect == SqlDialect::PostgreSql;
    const int at = serverSeq ? 2 : 3;
    q.bindValue(0, checkId);
    q.bindValue(1, r.atMs);
    q.bindValue(at, int(r.outcome));
    q.bindValue(at + 1, latency ? QVariant(*latency) : QVariant());
    const std::optional<int> status = storedHttpStatus(r.httpStatus);
    q.bindValue(at + 2, status ? QVariant(*status) : QVariant());
    q.bindValue(at + 3, r.networkError ? 1 : 0);
    q.bindValue(at + 4, storedText(r.error));
    q.bindValue(at + 5, storedText(r.failedCondition));
    q.bindValue(at + 6, storedText(r.actualValue));
    const int tries = serverSeq ? 1 : kMaxSameMillisecond - firstSeq;
    for (int i = 0; i < tries; ++i) {
        if (!serverSeq)
            q.bindValue(2, firstSeq + i);
        if (!q.exec()) {
            *error = sqlError(q);
            return false;
        }
        if (q.numRowsAffected() > 0)
            return true;
    }
    *error = QStringLiteral("more than %1 results of %2/%3 at the same millisecond %4")
                 .arg(kMaxSameMillisecond)
                 .arg(r.service, r.check)
                 .arg(r.atMs);
    return false;
}

bool HistoryWriter::insertResults(const QList<CheckResult> &rows, const QList<qint64> &checkIds, QString *error)
{
    if (!m_insertResults) {
        for (qsizetype i = 0; i < rows.size(); ++i)
            if (!insertResult(rows.at(i), checkIds.at(i), 0, error))
                return false;
        return true;
    }
    QSqlQuery &q = *m_insertResults;
    for (qsizetype next = 0; next < rows.size();) {
        // One statement must not hold two results of the same check and millisecond: which of
        // them went in would be anybody's guess. Such a one waits for the one-by-one pass.
        QList<qsizetype> chunk, later;
        QSet<std::pair<qint64, qint64>> keys;
        for (; next < rows.size() && chunk.size() < kRowsPerInsert; ++next) {
            const std::pair<qint64, qint64> key{checkIds.at(next), rows.at(next).atMs};
            if (keys.contains(key)) {
                later << next;
            } else {
                keys.insert(key);
                chunk << next;
            }
        }
        std::array<PgArrayLiteral, 9> columns;
        for (PgArrayLiteral &column : columns)
            column = PgArrayLiteral(chunk.size());
        for (const qsizetype i : std::as_const(chunk)) {
            const CheckResult &r = rows.at(i);
            columns[0].add(checkIds.at(i));
            columns[1].add(r.atMs);
            columns[2].add(int(r.outcome));
            if (const std::optional<qint64> latency = storedLatencyUs(r.latencyMs))
                columns[3].add(*latency);
            else
                columns[3].addNull();
            if (const std::optional<int> status = storedHttpStatus(r.httpStatus))
                columns[4].add(*status);
            else
                columns[4].addNull();
            columns[5].add(r.networkError ? 1 : 0);
            columns[6].add(r.error);
            columns[7].add(r.failedCondition);
            columns[8].add(r.actualValue);
        }
        for (int c = 0; c < int(columns.size()); ++c)
            q.bindValue(c, columns[std::size_t(c)].take());
        if (!q.exec()) {
            *error = sqlError(q);
            return false;
        }
        QSet<std::pair<qint64, qint64>> refused;
        while (q.next())
            refused.insert({q.value(0).toLongLong(), q.value(1).toLongLong()});
        if (q.lastError().isValid()) {
            *error = sqlError(q);
            return false;
        }
        q.finish();
        for (const qsizetype i : std::as_const(chunk))
            if (refused.contains({checkIds.at(i), rows.at(i).atMs})
                && !insertResult(rows.at(i), checkIds.at(i), 1, error))
                return false;
        for (const qsizetype i : std::as_const(later))
            if (!insertResult(rows.at(i), checkIds.at(i), 0, error))
                return false;
    }
    return true;
}

bool HistoryWriter::writeBatch(const WriteQueue::Batch &batch, QString *error)
{
    if (!prepare(error))
        return false;
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    const auto transaction = [&](SqliteStatement &lite, const QString &sql, QString *why) {
        return lite.isPrepared() ? lite.exec(why) : execSql(db, sql, why);
    };
    if (!transaction(m_liteBegin, beginWriteSql(m_dialect), error)) {
        resetStatements();
        m_reconnect = m_dialect == SqlDialect::PostgreSql;
        return false;
    }
    // No pack may commit between a merge's read and its write-back (see PackedRollups::kPackLock).
    if (m_dialect == SqlDialect::PostgreSql
        && !execSql(db, QStringLiteral("SELECT pg_advisory_xact_lock_shared(%1)").arg(PackedRollups::kPackLock), error)) {
        QString ignored;
        execSql(db, QStringLiteral("ROLLBACK"), &ignored);
        resetStatements();
        m_reconnect = true;
        return false;
    }

    const QHash<QString, double> thresholds = m_settings->latencyThresholds();
    const auto thresholdFor = [&thresholds](const QString &service) -> std::optional<double> {
        const auto it = thresholds.constFind(service);
        if (it == thresholds.cend() || !std::isfinite(*it) || *it < 0)
            return std::nullopt;
        return *it;
    };
    qsizetype nextRollup = 0;
    // Direct rollup writes go in where they were queued among the results.
    const auto rollupsUpTo = [&](quint64 resultsBefore) {
        for (; nextRollup < batch.rollups.size() && batch.rollups.at(nextRollup).afterResults <= resultsBefore;
             ++nextRollup) {
            const RollupWrite &w = batch.rollups.at(nextRollup);
            const auto id = checkId(w.service, w.check, error);
            if (!id)
                return false;
            m_rollups.replace(*id, w.resolution, w.bucketMs, w.counts);
        }
        return true;
    };

    bool ok = true;
    QList<qint64> ids;
    ids.reserve(batch.results.size());
    for (qsizetype i = 0; ok && i < batch.results.size(); ++i) {
        const CheckResult &r = batch.results.at(i);
        if (!rollupsUpTo(batch.resultsBefore + quint64(i))) {
            ok = false;
            break;
        }
        const auto id = checkId(r.service, r.check, error);
        if (!id) {
            ok = false;
            break;
        }
        ids << *id;
        m_rollups.addResult(*id, r.atMs, r.excludedFromSlo ? Health::Unknown : r.outcome, storedLatencyUs(r.latencyMs), r.networkError,
                            thresholdFor(r.service));
    }
    if (ok)
        ok = rollupsUpTo(batch.resultsBefore + quint64(batch.results.size()));
    // The raw rows of the batch, in their order (seq follows it within a millisecond).
    if (ok)
        ok = insertResults(batch.results, ids, error);
    for (qsizetype i = 0; ok && i < batch.transitions.size(); ++i) {
        const StateTransition &t = batch.transitions.at(i);
        QVariant id;
        if (!t.check.isEmpty()) {
            const auto found = checkId(t.service, t.check, error);
            if (!found) {
                ok = false;
                break;
            }
            id = *found;
        }
        QSqlQuery &q = *m_insertTransition;
        q.bindValue(0, storedText(t.service));
        q.bindValue(1, id);
        q.bindValue(2, t.atMs);
        q.bindValue(3, int(t.from));
        q.bindValue(4, int(t.to));
        q.bindValue(5, storedText(t.reason));
        if (!q.exec()) {
            *error = sqlError(q);
            ok = false;
        }
    }
    if (ok)
        ok = m_rollups.write(error);
    if (ok)
        ok = transaction(m_liteCommit, QStringLiteral("COMMIT"), error);
    if (!ok) {
        // SQLite rolls some failures back by itself (disk full); then this ROLLBACK just fails.
        transaction(m_liteRollback, QStringLiteral("ROLLBACK"), nullptr);
        m_newIds.clear();
        // Whatever broke may have been the schema itself; start from a clean slate next time.
        m_ids.clear();
        m_rollups.rolledBack();
        resetStatements();
        m_reconnect = m_dialect == SqlDialect::PostgreSql;
        return false;
    }
    m_ids.insert(m_newIds);
    m_newIds.clear();
    m_rollups.committed();
    return true;
}

void HistoryWriter::scheduleRetention(qint64 delayMs)
{
    const qint64 every = m_settings->retention().autoIntervalMs;
    if (every <= 0) {
        m_retentionTimer.stop();
        m_retentionStepTimer.stop();
        m_pass.reset();
    } else if (!m_pass) {
        const qint64 ms = std::clamp<qint64>(std::min(delayMs, every), 0, std::numeric_limits<int>::max());
        m_retentionTimer.start(int(ms));
    }
}

void HistoryWriter::retentionPolicyChanged()
{
    scheduleRetention(kFirstRetentionDelayMs);
}

void HistoryWriter::automaticRetention()
{
    if (m_pass)
        return;
    QString why;
    if (!prepare(&why)) {
        scheduleRetention(std::numeric_limits<qint64>::max());
        return;
    }
    const RetentionPolicy policy = m_settings->retention();
    m_pass = std::make_unique<RetentionPass>(m_connection, m_dialect, policy,
                                             QDateTime::currentMSecsSinceEpoch());
    retentionStep();
}

void HistoryWriter::retentionStep()
{
    if (!m_pass)
        return;
    QString why;
    switch (m_pass->step(&why)) {
    case RetentionPass::Step::More:
        // Back to the event loop first, where waiting batches get their turn.
        m_retentionStepTimer.start(0);
        return;
    case RetentionPass::Step::Done:
        retentionFinished(*m_pass);
        m_lastRetentionError.clear();
        break;
    case RetentionPass::Step::Failed:
        m_reconnect = m_dialect == SqlDialect::PostgreSql;
        // Pruning can wait for the next pass; say so once, not every ten minutes.
        if (why != m_lastRetentionError) {
            m_lastRetentionError = why;
            qCWarning(lcStore).noquote() << "history retention pass on" << m_location.displayString()
                                         << "failed, retrying at the next one:" << why;
        }
        break;
    }
    m_pass.reset();
    scheduleRetention(std::numeric_limits<qint64>::max());
}

void HistoryWriter::retentionFinished(const RetentionPass &pass)
{
    m_rollups.evictBefore(RollupResolution::Minute, pass.cutoff(RetentionTier::Minute));
    m_rollups.evictBefore(RollupResolution::Hour, pass.cutoff(RetentionTier::Hour));
    m_rollups.evictBefore(RollupResolution::Day, pass.cutoff(RetentionTier::Day));
    qCDebug(lcStore) << "history retention pass deleted" << pass.deleted() << "rows";
}

qint64 HistoryWriter::runRetention(qint64 nowMs, QString *error)
{
    // An automatic pass under way stops between two of its transactions; this one does it all.
    m_retentionStepTimer.stop();
    m_pass.reset();
    if (!prepare(error))
        return -1;
    RetentionPass pass(m_connection, m_dialect, m_settings->retention(), nowMs);
    QString why;
    for (;;) {
        const RetentionPass::Step step = pass.step(&why);
        if (step == RetentionPass::Step::Failed) {
            m_reconnect = m_dialect == SqlDialect::PostgreSql;
            if (error)
                *error = why;
            scheduleRetention(std::numeric_limits<qint64>::max());
            return -1;
        }
        if (step == RetentionPass::Step::Done)
            break;
        // Results keep arriving meanwhile; commit them between the pass's transactions as the
        // event loop would.
        if (!m_failing && m_queue->pending() >= WriteQueue::kBatchRows)
            writeOnce();
    }
    retentionFinished(pass);
    scheduleRetention(std::numeric_limits<qint64>::max());
    return pass.deleted();
}

bool HistoryWriter::writeOnce()
{
    m_timer.stop();
    WriteQueue::Batch batch = m_queue->take(WriteQueue::kMaxBatchRows);
    if (batch.isEmpty()) {
        reschedule();
        return true;
    }
    QString why;
    if (!writeBatch(batch, &why)) {
        const qsizetype rows = batch.size();
        m_queue->putBack(std::move(batch));
        failed(rows, why);
        return false;
    }
    m_queue->markCommitted(batch);
    succeeded();
    reschedule();
    return true;
}

void HistoryWriter::reschedule()
{
    if (m_queue->settle() > 0 && !m_timer.isActive())
        m_timer.start(m_failing ? m_retryDelayMs : kBatchDelayMs);
}

void HistoryWriter::failed(qsizetype rows, const QString &why)
{
    ++m_failedAttempts;
    m_retryDelayMs = m_failing ? std::min(m_retryDelayMs * 2, kMaxRetryDelayMs) : kBatchDelayMs;
    m_failing = true;
    const QString message = QStringLiteral("cannot write %1 rows to the history database %2: %3 — keeping them "
                                           "queued and retrying")
                                .arg(rows)
                                .arg(m_location.displayString(), why);
    m_queue->setLastError(message);
    m_timer.start(m_retryDelayMs);
    // A database that stays broken would otherwise repeat the same complaint every few seconds.
    if (why != m_lastReported) {
        m_lastReported = why;
        qCWarning(lcStore).noquote() << message;
        emit writeFailed(message);
    } else {
        qCDebug(lcStore).noquote() << message;
    }
}

void HistoryWriter::succeeded()
{
    const bool recovered = m_failing;
    if (m_failing) {
        qCInfo(lcStore) << "history writes work again after" << m_failedAttempts << "failed attempts;"
                        << m_queue->dropped() << "rows dropped in total";
    }
    m_failing = false;
    m_failedAttempts = 0;
    m_retryDelayMs = kBatchDelayMs;
    m_lastReported.clear();
    if (recovered)
        emit writesRecovered();
}

void HistoryWriter::rowsQueued()
{
    if (!m_timer.isActive())
        m_timer.start(m_failing ? m_retryDelayMs : kBatchDelayMs);
}

void HistoryWriter::batchReady()
{
    // While the database refuses writes the retry timer sets the pace, not the producers.
    if (m_failing) {
        if (!m_timer.isActive())
            m_timer.start(m_retryDelayMs);
        return;
    }
    writeOnce();
}

void HistoryWriter::reportDrops()
{
    const QString message = m_queue->lastError();
    qCWarning(lcStore).noquote() << message;
    emit writeFailed(message);
}

bool HistoryWriter::flushUpTo(WriteQueue::Mark mark)
{
    while (!m_queue->reached(mark)) {
        if (m_queue->pending() == 0)
            break; // cannot happen while the counts add up; never spin on it
        if (!writeOnce())
            return false;
    }
    return m_queue->reached(mark);
}
