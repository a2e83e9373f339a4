#include "historywriter.h"

#include "logging.h"

#include <QAtomicInteger>
#include <QSqlError>
#include <QVariant>

#include <cmath>

namespace {

QString sqlError(const QSqlQuery &q)
{
    return q.lastError().text().trimmed();
}

bool execSql(const QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    if (error)
        *error = sqlError(q);
    return false;
}

QVariant nullIf(bool isNull, const QVariant &value)
{
    return isNull ? QVariant() : value;
}

// QtSql binds a null QString as SQL NULL, and the text columns are NOT NULL.
QString text(const QString &s)
{
    static const QString empty = QStringLiteral("");
    return s.isNull() ? empty : s;
}

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
    if (m_results.size() + m_transitions.size() + m_inFlight >= m_limit) {
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
    if (!m_urgent && m_results.size() + m_transitions.size() >= kBatchRows) {
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
    m_inFlight = 0;
    if (writer)
        m_dropped = 0;
    m_committedResults = m_acceptedResults = 0;
    m_committedTransitions = m_acceptedTransitions = 0;
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
    const qsizetype n = std::min(m_results.size(), std::max<qsizetype>(0, maxRows - batch.transitions.size()));
    if (n == m_results.size()) {
        batch.results.swap(m_results);
    } else {
        batch.results = m_results.first(n);
        m_results.remove(0, n);
    }
    if (m_results.isEmpty())
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
    // The writer retries on its own timer; producers need not wake it.
    m_armed = true;
}

void WriteQueue::markCommitted(const Batch &batch)
{
    QMutexLocker lock(&m_mutex);
    m_inFlight = 0;
    m_committedResults += quint64(batch.results.size());
    m_committedTransitions += quint64(batch.transitions.size());
}

qsizetype WriteQueue::settle()
{
    QMutexLocker lock(&m_mutex);
    const qsizetype n = m_results.size() + m_transitions.size();
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
    return {m_acceptedResults, m_acceptedTransitions};
}

bool WriteQueue::reached(Mark mark) const
{
    QMutexLocker lock(&m_mutex);
    return m_committedResults >= mark.results && m_committedTransitions >= mark.transitions;
}

qsizetype WriteQueue::pending() const
{
    QMutexLocker lock(&m_mutex);
    return m_results.size() + m_transitions.size() + m_inFlight;
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

HistoryWriter::HistoryWriter(std::shared_ptr<WriteQueue> queue, const StoreLocation &location, QObject *parent)
    : QObject(parent)
    , m_queue(std::move(queue))
    , m_location(location)
    , m_timer(this)
{
    static QAtomicInteger<quint64> serial;
    m_connection = QStringLiteral("opsdeck-history-writer-%1").arg(serial.fetchAndAddRelaxed(1));
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HistoryWriter::writeOnce);
}

HistoryWriter::~HistoryWriter()
{
    shutdown();
}

bool HistoryWriter::openConnection(QString *error)
{
    if (!openHistorySqlite(m_connection, m_location.path, error))
        return false;
    // Preparing now turns a schema the writer cannot use into an error from open(), not a
    // surprise on the first write.
    if (!prepare(error)) {
        shutdown();
        return false;
    }
    return true;
}

void HistoryWriter::shutdown()
{
    m_timer.stop();
    resetStatements();
    closeHistoryConnection(m_connection);
}

void HistoryWriter::resetStatements()
{
    m_insertResult.reset();
    m_insertTransition.reset();
    m_insertCheck.reset();
    m_selectCheck.reset();
}

bool HistoryWriter::prepare(QString *error)
{
    if (m_insertResult)
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
    const bool ok =
        make(m_insertResult,
             QStringLiteral("INSERT INTO results (check_id, ts, outcome, latency_ms, http_status, error, "
                            "failed_condition, actual_value, network_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"))
        && make(m_insertTransition,
                QStringLiteral("INSERT INTO transitions (service, check_id, ts, from_health, to_health, reason) "
                               "VALUES (?, ?, ?, ?, ?, ?)"))
        // Portable upsert (SQLite ≥ 3.24, PostgreSQL ≥ 9.5): a second console may add the same check.
        && make(m_insertCheck, QStringLiteral("INSERT INTO checks (service, name) VALUES (?, ?) "
                                              "ON CONFLICT (service, name) DO NOTHING"))
        && make(m_selectCheck, QStringLiteral("SELECT id FROM checks WHERE service = ? AND name = ?"));
    if (!ok)
        resetStatements();
    return ok;
}

std::optional<qint64> HistoryWriter::checkId(const QString &service, const QString &check, QString *error)
{
    const Key key{service, check};
    if (const auto it = m_ids.constFind(key); it != m_ids.cend())
        return *it;
    if (const auto it = m_newIds.constFind(key); it != m_newIds.cend())
        return *it;

    m_insertCheck->bindValue(0, text(service));
    m_insertCheck->bindValue(1, text(check));
    if (!m_insertCheck->exec()) {
        *error = sqlError(*m_insertCheck);
        return std::nullopt;
    }
    m_selectCheck->bindValue(0, text(service));
    m_selectCheck->bindValue(1, text(check));
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

bool HistoryWriter::writeBatch(const WriteQueue::Batch &batch, QString *error)
{
    if (!prepare(error))
        return false;
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!execSql(db, beginWriteSql(m_dialect), error))
        return false;

    bool ok = true;
    for (const CheckResult &r : batch.results) {
        const auto id = checkId(r.service, r.check, error);
        if (!id) {
            ok = false;
            break;
        }
        QSqlQuery &q = *m_insertResult;
        const bool noLatency = !(r.latencyMs >= 0) || !std::isfinite(r.latencyMs);
        q.bindValue(0, *id);
        q.bindValue(1, r.atMs);
        q.bindValue(2, int(r.outcome));
        q.bindValue(3, nullIf(noLatency, r.latencyMs));
        q.bindValue(4, nullIf(r.httpStatus == 0, r.httpStatus));
        q.bindValue(5, text(r.error));
        q.bindValue(6, text(r.failedCondition));
        q.bindValue(7, text(r.actualValue));
        q.bindValue(8, r.networkError ? 1 : 0);
        if (!q.exec()) {
            *error = sqlError(q);
            ok = false;
            break;
        }
    }
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
        q.bindValue(0, text(t.service));
        q.bindValue(1, id);
        q.bindValue(2, t.atMs);
        q.bindValue(3, int(t.from));
        q.bindValue(4, int(t.to));
        q.bindValue(5, text(t.reason));
        if (!q.exec()) {
            *error = sqlError(q);
            ok = false;
        }
    }
    if (ok)
        ok = execSql(db, QStringLiteral("COMMIT"), error);
    if (!ok) {
        // SQLite rolls some failures back by itself (disk full); then this ROLLBACK just fails.
        execSql(db, QStringLiteral("ROLLBACK"), nullptr);
        m_newIds.clear();
        // Whatever broke may have been the schema itself; start from a clean slate next time.
        m_ids.clear();
        resetStatements();
        return false;
    }
    m_ids.insert(m_newIds);
    m_newIds.clear();
    return true;
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
    if (m_failing) {
        qCInfo(lcStore) << "history writes work again after" << m_failedAttempts << "failed attempts;"
                        << m_queue->dropped() << "rows dropped in total";
    }
    m_failing = false;
    m_failedAttempts = 0;
    m_retryDelayMs = kBatchDelayMs;
    m_lastReported.clear();
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
