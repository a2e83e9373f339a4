#pragma once

#include "checkresult.h"
#include "eventcounts.h"
#include "retentionpolicy.h"
#include "rollupwriter.h"
#include "schemamigrations.h"
#include "statetransition.h"
#include "storelocation.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTimer>
#include <memory>
#include <optional>
#include <utility>

class HistoryWriter;
class RetentionPass;

// Opens a QSQLITE connection the way every history connection needs it: busy timeout,
// synchronous=NORMAL (safe with WAL, and an fsync per commit would cap ingest), foreign keys.
// Use the connection only in the thread that called this. On failure the connection is removed.
bool openHistorySqlite(const QString &connectionName, const QString &path, QString *error);
// The same for a QPSQL connection: application_name "opsdeck" (so a DBA sees who is connected),
// notices kept out of stderr, a connect timeout unless the URL sets one. A password that is still
// a ${secret:…} reference is refused: the caller expands it before opening.
bool openHistoryPostgres(const QString &connectionName, const StoreLocation &location, QString *error);
// Whichever of the two the location asks for.
bool openHistoryConnection(const QString &connectionName, const StoreLocation &location, QString *error);
SqlDialect dialectFor(const StoreLocation &location);
// Switches the file to WAL, so that readers never wait for the writer, and insists SQLite agrees.
// The mode is stored in the file, so only the first connection needs it.
bool enableWal(const QSqlDatabase &db, QString *error);
void closeHistoryConnection(const QString &connectionName);

// What the store's owner sets and the writer thread reads, at any time, from either side.
class HistoryWriterSettings
{
public:
    void setLatencyThresholds(const QHash<QString, double> &serviceToMs);
    QHash<QString, double> latencyThresholds() const;
    void setRetention(const RetentionPolicy &policy);
    RetentionPolicy retention() const;

private:
    mutable QMutex m_mutex;
    QHash<QString, double> m_thresholds;
    RetentionPolicy m_retention;
};

// A rollup row written directly (HistoryStore::writeRollup), replacing what is there.
struct RollupWrite
{
    QString service;
    QString check;
    RollupResolution resolution = RollupResolution::Minute;
    qint64 bucketMs = 0;
    EventCounts counts;
    quint64 afterResults = 0; // results accepted before it, which it comes after
};

// The hand-off between any number of producing threads and the one writer thread. Producers only
// ever hold the mutex for an append; SQL runs without it, so a slow disk never reaches them.
class WriteQueue
{
public:
    struct Batch
    {
        QList<CheckResult> results;
        QList<StateTransition> transitions;
        QList<RollupWrite> rollups;
        quint64 resultsBefore = 0; // results committed before this batch's first
        qsizetype size() const { return results.size() + transitions.size() + rollups.size(); }
        bool isEmpty() const { return results.isEmpty() && transitions.isEmpty() && rollups.isEmpty(); }
    };
    // Rows are numbered as they are accepted. Every list is strictly first in, first out (a
    // failed batch goes back to the front), so "row n is committed" is "committed count >= n".
    // Direct rollup writes keep their place among the results: a batch takes them together with
    // the results around them, and the writer applies them in between (see RollupWrite).
    struct Mark
    {
        quint64 results = 0;
        quint64 transitions = 0;
        quint64 rollups = 0;
    };

    static constexpr qsizetype kBatchRows = 500;          // write at once when this many are waiting
    static constexpr qsizetype kMaxBatchRows = 20'000;    // at most this many per transaction
    static constexpr qsizetype kDefaultLimit = 500'000;   // about 8 minutes of 1000 checks/s

    bool push(const CheckResult &row);
    bool push(const StateTransition &row);
    bool push(const RollupWrite &row);

    // Writer side.
    void attach(HistoryWriter *writer); // nullptr: stop accepting rows
    void stopAccepting();
    Batch take(qsizetype maxRows);
    void putBack(Batch &&batch);
    void markCommitted(const Batch &batch);
    qsizetype settle(); // after a write: how many wait now; posts an urgent write when due
    Mark accepted() const;
    bool reached(Mark mark) const;

    qsizetype pending() const; // accepted and not yet committed, including the batch being written
    quint64 dropped() const;
    void setLimit(qsizetype rows);
    QString lastError() const;
    void setLastError(const QString &message);

private:
    template<typename Row>
    bool pushLocked(QList<Row> &list, const Row &row, quint64 &counter);
    qsizetype waitingLocked() const { return m_results.size() + m_transitions.size() + m_rollups.size(); }

    mutable QMutex m_mutex;
    QList<CheckResult> m_results;
    QList<StateTransition> m_transitions;
    QList<RollupWrite> m_rollups;
    quint64 m_acceptedResults = 0;
    quint64 m_acceptedTransitions = 0;
    quint64 m_acceptedRollups = 0;
    quint64 m_committedResults = 0;
    quint64 m_committedTransitions = 0;
    quint64 m_committedRollups = 0;
    quint64 m_dropped = 0;
    qsizetype m_inFlight = 0;    // taken by the writer, neither committed nor put back yet
    qsizetype m_limit = kDefaultLimit;
    HistoryWriter *m_writer = nullptr;
    bool m_armed = false;        // the writer knows rows are waiting (its timer runs or a write is due)
    bool m_urgent = false;       // an immediate write has been posted and not yet taken
    bool m_dropEpisode = false;  // this overflow has been reported; reset once the backlog halves
    bool m_warnedClosed = false;
    QString m_lastError;
};

// Lives in the store's writer thread and owns that thread's connection. Everything here runs in
// that thread; the store reaches it through blocking queued calls (open, flush, retention,
// shutdown) and the queue's posted wake-ups.
//
// Each batch commits its raw results, the rollups they change (RollupWriter) and its transitions
// in one transaction. Retention runs here too, one small transaction per event-loop turn, so the
// batches of new results go in between.
class HistoryWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryWriter)

public:
    static constexpr int kBatchDelayMs = 100; // the longest a queued row waits for company
    static constexpr int kMaxRetryDelayMs = 5000;
    static constexpr int kFirstRetentionDelayMs = 60'000; // after open: let start-up settle first
    static constexpr int kMaxSameMillisecond = 1000;       // results of one check in one millisecond
    static constexpr int kRowsPerInsert = 1000;            // PostgreSQL: results per INSERT statement

    HistoryWriter(std::shared_ptr<WriteQueue> queue, std::shared_ptr<HistoryWriterSettings> settings,
                  const StoreLocation &location, QObject *parent = nullptr);
    ~HistoryWriter() override;

    bool openConnection(QString *error);
    bool flushUpTo(WriteQueue::Mark mark);
    void shutdown();
    // A whole retention pass now, committing waiting batches between its transactions. Rows
    // deleted, or -1 (and *error) when it failed.
    qint64 runRetention(qint64 nowMs, QString *error);
    void retentionPolicyChanged(); // restarts the automatic passes' timer

    // Posted by WriteQueue.
    void rowsQueued();
    void batchReady();
    void reportDrops();

signals:
    void writeFailed(const QString &message);
    void writesRecovered();

private:
    using Key = std::pair<QString, QString>;

    bool connectDatabase(QString *error);
    bool writeOnce();
    bool writeBatch(const WriteQueue::Batch &batch, QString *error);
    bool insertResult(const CheckResult &r, qint64 checkId, int firstSeq, QString *error);
    bool insertResults(const QList<CheckResult> &rows, const QList<qint64> &checkIds, QString *error);
    bool prepare(QString *error);
    std::optional<qint64> checkId(const QString &service, const QString &check, QString *error);
    void resetStatements();
    void failed(qsizetype rows, const QString &why);
    void succeeded();
    void reschedule();
    void scheduleRetention(qint64 delayMs); // the automatic pass after delayMs (at most the interval)
    void automaticRetention();
    void retentionStep();
    void retentionFinished(const RetentionPass &pass);

    std::shared_ptr<WriteQueue> m_queue;
    std::shared_ptr<HistoryWriterSettings> m_settings;
    StoreLocation m_location;
    SqlDialect m_dialect = SqlDialect::Sqlite;
    QString m_connection;
    QTimer m_timer;
    QTimer m_retentionTimer;     // starts the automatic passes
    QTimer m_retentionStepTimer; // the next small transaction of the pass under way
    std::unique_ptr<RetentionPass> m_pass;
    QString m_lastRetentionError;
    RollupWriter m_rollups;
    int m_retryDelayMs = kBatchDelayMs;
    bool m_failing = false;
    int m_failedAttempts = 0;
    bool m_reconnect = false; // PostgreSQL: open the connection afresh before the next statement
    QString m_lastReported;

    // Prepared once and reused for every row; dropped after a failure so that a schema repaired
    // behind our back is picked up by preparing again. On SQLite the result rows go in through the
    // C API (see SqliteStatement), the rare rows through QSqlQuery.
    bool m_prepared = false;
    SqliteStatement m_liteInsertResult;
    SqliteStatement m_liteBegin; // and the batch's transaction, without building a query each time
    SqliteStatement m_liteCommit;
    SqliteStatement m_liteRollback;
    std::optional<QSqlQuery> m_insertResult;
    std::optional<QSqlQuery> m_insertResults; // PostgreSQL: up to kRowsPerInsert at once
    std::optional<QSqlQuery> m_insertTransition;
    std::optional<QSqlQuery> m_insertCheck;
    std::optional<QSqlQuery> m_selectCheck;

    // check ids are looked up once per (service, check) and then kept; ids created inside a batch
    // only join the cache when that batch commits, since a rollback takes the rows away again.
    QHash<Key, qint64> m_ids;
    QHash<Key, qint64> m_newIds;
};
