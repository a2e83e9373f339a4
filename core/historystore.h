#pragma once

#include "checkresult.h"
#include "eventcounts.h"
#include "retentionpolicy.h"
#include "rollupreader.h"
#include "rollupresolution.h"
#include "statetransition.h"
#include "storelocation.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QStringList>
#include <atomic>
#include <memory>
#include <optional>

class HistoryWriterSettings;
class HistoryWriter;
class QThread;
class WriteQueue;

// Every probe result and every debounced transition, kept in SQLite or PostgreSQL, with SLO
// rollups that keep long histories small and fast.
//
// Writing never blocks the caller: record() and recordTransition() append to a queue (from any
// thread) and a writer with its own connection in its own thread commits the queue in batches:
// at once when WriteQueue::kBatchRows are waiting, else HistoryWriter::kBatchDelayMs after the
// first waiting row. When the database refuses a write the
// rows stay queued and the batch is retried with back-off; writeFailed() says so. Only when the
// queue reaches its limit are new rows dropped, and that is reported too.
//
// History has tiers. Raw results are kept for RetentionPolicy::rawMs (48 h); per-minute rollups
// for minuteMs (14 d); per-hour and per-day rollups for hourMs (400 d). A rollup holds the SLO
// events of one check in one bucket (EventCounts: total, good, latency-good, unknown and a latency
// histogram). The writer maintains them in the same transaction as the raw rows they count, so the
// two never disagree, and prunes each tier in small transactions of its own (every ten minutes,
// first a minute after open). counts(), countsByService() and series() read rollups only.
//
// Reads use a second connection that belongs to the thread that called open(); they are meant for
// the small, indexed queries of the CLI and GUI. Under WAL (and on PostgreSQL) they never wait for
// the writer. Times are milliseconds since the epoch, UTC, throughout: a local clock change moves
// nothing.
class HistoryStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryStore)

public:
    using Resolution = RollupResolution; // Minute, Hour, Day

    explicit HistoryStore(QObject *parent = nullptr);
    ~HistoryStore() override; // closes, which flushes

    // SQLite: creates the file and its folders as needed, switches to WAL and migrates the schema.
    // PostgreSQL: connects (the password, if any, already expanded from ${secret:…}) and migrates
    // the schema; several OpsDecks may share one database. Blocks for as long as that takes, once.
    // Refuses a database from a newer OpsDeck. Reopening closes the previous database first.
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

    // Takes effect at the next pass (a changed interval within a minute). Call it from the
    // store's thread, before or after open(). Windows are kept nested (RetentionPolicy::normalized).
    void setRetention(const RetentionPolicy &policy);
    RetentionPolicy retention() const;
    // Thread-safe. Service name → SLO latency threshold in ms, for latencyGood of the results
    // recorded from now on (rollups already written keep what they counted).
    void setLatencyThresholds(const QHash<QString, double> &serviceToMs);

    // SLO events of a service over [fromMs, toMs): the given checks, or every check of the service
    // when the list is empty. Read from rollups only, each part of the window from the coarsest
    // tier that fits it whole (days, then hours, then minutes; hours where minutes are pruned);
    // the window's edges are aligned outward to the tier used there.
    EventCounts counts(const QString &service, const QStringList &checks, qint64 fromMs, qint64 toMs) const;
    // The same for every service in one query. checksByService limits which checks count for a
    // service (a service missing from it, or listed with no checks, counts all of its checks).
    // Every service with checks is in the answer, with zero counts when it has none in the window.
    // CountsOnly leaves the latency histograms empty (burn rates need only the counters).
    QHash<QString, EventCounts> countsByService(qint64 fromMs, qint64 toMs,
                                                const QHash<QString, QStringList> &checksByService = {},
                                                RollupReader::Detail detail = RollupReader::Detail::WithLatency) const;
    // countsByService() over several windows in one pass (RollupReader::countsByCheckMulti): the
    // answer for windows[i] is at [i] and equals countsByService() over it with its detail (as long
    // as each hour row is the sum of its minutes, as the writer keeps them). Rows
    // that windows share (the burn windows all end now) are read once. On failure every answer
    // is empty.
    QList<QHash<QString, EventCounts>> countsByServiceMulti(const QList<RollupReader::Window> &windows,
                                                            const QHash<QString, QStringList> &checksByService = {}) const;
    // Chart series: consecutive buckets of stepMs (aligned to stepMs) covering [fromMs, toMs), each
    // with the counts of the given checks (empty: all of the service's) as counts() would give them.
    // Empty buckets are included; at most RollupReader::kMaxSeriesBuckets.
    QList<QPair<qint64, EventCounts>> series(const QString &service, const QStringList &checks, qint64 fromMs,
                                             qint64 toMs, qint64 stepMs) const;
    // Results of the service with HTTP status >= 500 since sinceMs (raw rows).
    int serverErrorCount(const QString &service, qint64 sinceMs) const;

    // One retention pass now, judged at nowMs, in small transactions from the writer thread (so
    // record() never waits; batches are committed between them). Returns the rows deleted, or -1
    // when the store is closed or the pass failed (lastError() says why).
    qint64 runRetention(qint64 nowMs);
    // For tests and benchmarks: a rollup row written directly, replacing what is there. Queued
    // like record() and applied in its place among the results recorded around it; flush() waits
    // for it. bucketMs is aligned down to the resolution. A row written so may leave an hour (a
    // day) that is not the sum of its minutes (hours), which the rows kept between SLO passes
    // (WindowEdgeCache) cannot notice: until the store is opened again none are kept.
    void writeRollup(const QString &service, const QString &check, Resolution resolution, qint64 bucketMs,
                     const EventCounts &counts);
    // SQLite: the file and its WAL. PostgreSQL: the store's tables with their indexes and TOAST.
    // -1 when closed or unreadable.
    qint64 databaseSizeBytes() const;

signals:
    // A batch could not be committed or rows had to be dropped. Delivered in the store's thread.
    void writeFailed(const QString &message);
    // A batch was committed again after writeFailed() for failing writes (the kiosk's stale banner
    // goes away on it). Delivered in the store's thread.
    void writesRecovered();

private:
    struct CheckRow
    {
        qint64 id = 0;
        QString service;
        QString name;
    };

    bool fail(QString *error, const QString &message);
    bool canRead(const char *what) const;
    void readFailed(const QString &what, const QString &why) const;
    // service empty: every check
    std::optional<QList<CheckRow>> checkRows(const QString &service, const char *what) const;
    QList<qint64> checkIds(const QString &service, const QStringList &checks, const char *what, bool *ok) const;
    // The checks that count for each service (see countsByService()); every service with checks is
    // in *services. False when the checks could not be read.
    bool sloChecks(const QHash<QString, QStringList> &checksByService, const char *what, QHash<qint64, QString> *serviceOf,
                   QList<qint64> *ids, QHash<QString, EventCounts> *services) const;

    std::shared_ptr<WriteQueue> m_queue;
    std::shared_ptr<HistoryWriterSettings> m_settings;
    std::unique_ptr<QThread> m_thread;
    HistoryWriter *m_writer = nullptr; // lives in m_thread, deleted when it finishes
    StoreLocation m_location;
    QString m_readConnection;
    QThread *m_readThread = nullptr;
    bool m_open = false;
    mutable bool m_readBroken = false; // reconnect before the next read (PostgreSQL)
    mutable WindowEdgeCache m_windowEdges; // for countsByServiceMulti(), in the reading thread
    std::atomic<bool> m_rollupsWrittenDirectly = false; // see writeRollup()
};
