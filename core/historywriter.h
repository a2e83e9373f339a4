#pragma once

#include "checkresult.h"
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

// Opens a QSQLITE connection the way every history connection needs it: busy timeout,
// synchronous=NORMAL (safe with WAL, and an fsync per commit would cap ingest), foreign keys.
// Use the connection only in the thread that called this. On failure the connection is removed.
bool openHistorySqlite(const QString &connectionName, const QString &path, QString *error);
// Switches the file to WAL, so that readers never wait for the writer, and insists SQLite agrees.
// The mode is stored in the file, so only the first connection needs it.
bool enableWal(const QSqlDatabase &db, QString *error);
void closeHistoryConnection(const QString &connectionName);

// The hand-off between any number of producing threads and the one writer thread. Producers only
// ever hold the mutex for an append; SQL runs without it, so a slow disk never reaches them.
class WriteQueue
{
public:
    struct Batch
    {
        QList<CheckResult> results;
        QList<StateTransition> transitions;
        qsizetype size() const { return results.size() + transitions.size(); }
        bool isEmpty() const { return results.isEmpty() && transitions.isEmpty(); }
    };
    // Rows are numbered as they are accepted. Both lists are strictly first in, first out (a
    // failed batch goes back to the front), so "row n is committed" is "committed count >= n".
    struct Mark
    {
        quint64 results = 0;
        quint64 transitions = 0;
    };

    static constexpr qsizetype kBatchRows = 500;          // write at once when this many are waiting
    static constexpr qsizetype kMaxBatchRows = 20'000;    // at most this many per transaction
    static constexpr qsizetype kDefaultLimit = 500'000;   // about 8 minutes of 1000 checks/s

    bool push(const CheckResult &row);
    bool push(const StateTransition &row);

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

    mutable QMutex m_mutex;
    QList<CheckResult> m_results;
    QList<StateTransition> m_transitions;
    quint64 m_acceptedResults = 0;
    quint64 m_acceptedTransitions = 0;
    quint64 m_committedResults = 0;
    quint64 m_committedTransitions = 0;
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
// that thread; the store reaches it through blocking queued calls (open, flush, shutdown) and the
// queue's posted wake-ups.
class HistoryWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryWriter)

public:
    static constexpr int kBatchDelayMs = 100; // the longest a queued row waits for company
    static constexpr int kMaxRetryDelayMs = 5000;

    HistoryWriter(std::shared_ptr<WriteQueue> queue, const StoreLocation &location, QObject *parent = nullptr);
    ~HistoryWriter() override;

    bool openConnection(QString *error);
    bool flushUpTo(WriteQueue::Mark mark);
    void shutdown();

    // Posted by WriteQueue.
    void rowsQueued();
    void batchReady();
    void reportDrops();

signals:
    void writeFailed(const QString &message);

private:
    using Key = std::pair<QString, QString>;

    bool writeOnce();
    bool writeBatch(const WriteQueue::Batch &batch, QString *error);
    bool prepare(QString *error);
    std::optional<qint64> checkId(const QString &service, const QString &check, QString *error);
    void resetStatements();
    void failed(qsizetype rows, const QString &why);
    void succeeded();
    void reschedule();

    std::shared_ptr<WriteQueue> m_queue;
    StoreLocation m_location;
    SqlDialect m_dialect = SqlDialect::Sqlite;
    QString m_connection;
    QTimer m_timer;
    int m_retryDelayMs = kBatchDelayMs;
    bool m_failing = false;
    int m_failedAttempts = 0;
    QString m_lastReported;

    // Prepared once and reused for every row; dropped after a failure so that a schema repaired
    // behind our back is picked up by preparing again.
    std::optional<QSqlQuery> m_insertResult;
    std::optional<QSqlQuery> m_insertTransition;
    std::optional<QSqlQuery> m_insertCheck;
    std::optional<QSqlQuery> m_selectCheck;

    // check ids are looked up once per (service, check) and then kept; ids created inside a batch
    // only join the cache when that batch commits, since a rollback takes the rows away again.
    QHash<Key, qint64> m_ids;
    QHash<Key, qint64> m_newIds;
};
