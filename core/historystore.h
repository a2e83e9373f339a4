#pragma once

#include "checkresult.h"
#include "statetransition.h"
#include "storelocation.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

class HistoryWriter;
class QThread;
class WriteQueue;

// Every probe result and every debounced transition, kept in SQLite (PostgreSQL later).
//
// Writing never blocks the caller: record() and recordTransition() append to a queue (from any
// thread) and a writer with its own connection in its own thread commits the queue in batches:
// at once when WriteQueue::kBatchRows are waiting, else HistoryWriter::kBatchDelayMs after the
// first waiting row. When the database refuses a write the
// rows stay queued and the batch is retried with back-off; writeFailed() says so. Only when the
// queue reaches its limit are new rows dropped, and that is reported too.
//
// Reads use a second connection that belongs to the thread that called open(); they are meant for
// the small, indexed queries of the CLI and GUI. Under WAL they never wait for the writer.
class HistoryStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryStore)

public:
    explicit HistoryStore(QObject *parent = nullptr);
    ~HistoryStore() override; // closes, which flushes

    // Creates the file and its folders as needed, switches to WAL and migrates the schema. Blocks
    // for as long as that takes, once. Refuses a database from a newer OpsDeck. Reopening closes
    // the previous database first.
    bool open(const StoreLocation &location, QString *error = nullptr);
    // Flushes (whatever still cannot be written is reported and lost), then releases the files.
    // Stop producers first: rows recorded during or after close() are ignored.
    void close();
    bool isOpen() const;
    StoreLocation location() const;

    // Thread-safe, non-blocking.
    void record(const CheckResult &result);
    void recordTransition(const StateTransition &transition);
    // Blocks until every row recorded before the call is committed. False when the database
    // refused the write (the rows stay queued; lastError() says why). Not for the GUI's hot path.
    bool flush();
    qsizetype pendingWrites() const;  // accepted but not yet committed, including a batch in flight
    quint64 droppedWrites() const;    // rows lost because the queue was full, since open()
    void setQueueLimit(qsizetype rows); // default WriteQueue::kDefaultLimit
    QString lastError() const;          // thread-safe

    // Newest first. check empty: every check of the service. sinceMs inclusive. limit <= 0: all.
    QList<CheckResult> results(const QString &service, const QString &check, qint64 sinceMs,
                               int limit = 1000) const;
    // Newest first; both service-level (check empty) and check-level transitions. service empty:
    // every service.
    QList<StateTransition> transitions(const QString &service, qint64 sinceMs, int limit = 1000) const;
    std::optional<CheckResult> latest(const QString &service, const QString &check) const;
    QStringList services() const; // sorted
    int schemaVersion() const;    // -1 when not open
    static int currentSchemaVersion();

signals:
    // A batch could not be committed or rows had to be dropped. Delivered in the store's thread.
    void writeFailed(const QString &message);

private:
    bool fail(QString *error, const QString &message);
    bool canRead(const char *what) const;
    void readFailed(const QString &what, const QString &why) const;

    std::shared_ptr<WriteQueue> m_queue;
    std::unique_ptr<QThread> m_thread;
    HistoryWriter *m_writer = nullptr; // lives in m_thread, deleted when it finishes
    StoreLocation m_location;
    QString m_readConnection;
    QThread *m_readThread = nullptr;
    bool m_open = false;
};
