#pragma once

#include "eventcounts.h"
#include "health.h"
#include "rollupresolution.h"
#include "sqldialect.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <array>
#include <map>
#include <optional>

// Latency the way results store it: whole microseconds, nullopt when nothing was measured. The
// rollups are fed the stored value, so they always agree with what the raw rows say.
std::optional<qint64> storedLatencyUs(double latencyMs);

// Adds one result to `counts` following EventCounts' rules: ok and degraded are good, down is bad
// (all three count in total); unknown and stale count only in `unknown`. latencyGood is good with
// a measured latency within thresholdMs, or simply good when the service has no threshold. The
// histogram takes the latency of every judged result that has one and no network error.
void addEvent(EventCounts *counts, Health outcome, std::optional<qint64> latencyUs, bool networkError,
              std::optional<double> thresholdMs);

// Keeps the rollup tables in step with the results a write transaction inserts. The writer feeds
// it every result of a batch (and any directly written rollup); write() then upserts one row per
// (tier, check, bucket) touched, inside the batch's transaction, so raw rows and rollups commit or
// roll back together.
//
// Merging needs the row's current value. The newest bucket of each check and tier — where nearly
// every result lands — is kept in memory; a newer bucket starts from empty without a read; an
// older bucket (a result arriving late) is read from the database. Another process sharing the database may have changed a row behind the cache, so
// each upsert is conditional: it only overwrites the row when the row still has the results we
// merged into (total and unknown, which together count every result ever added, are unchanged),
// and otherwise the row is read again and merged again. Rows are upserted in key order so that two
// writers lock them in the same order and cannot deadlock.
class RollupWriter
{
public:
    explicit RollupWriter(SqlDialect dialect);
    Q_DISABLE_COPY_MOVE(RollupWriter)

    bool prepare(const QSqlDatabase &db, QString *error); // once per connection; true if prepared
    void resetStatements();

    // Collecting one transaction's changes.
    void addResult(qint64 checkId, qint64 atMs, Health outcome, std::optional<qint64> latencyUs,
                   bool networkError, std::optional<double> thresholdMs);
    // Replaces the row (and drops whatever this transaction had added to it so far).
    void replace(qint64 checkId, RollupResolution resolution, qint64 bucketMs, const EventCounts &counts);
    bool hasPending() const { return !m_pending.empty(); }
    bool write(QString *error); // the upserts, inside the caller's transaction
    void committed();           // the transaction committed: the cache learns the new rows
    void rolledBack();          // forget this transaction's changes; the cache is not trusted either

    // Retention deleted the rows below cutoffMs: forget cached rows there.
    void evictBefore(RollupResolution resolution, qint64 cutoffMs);
    void clearCache();
    qsizetype cachedRows() const { return m_cache.size(); }

    // Migration to schema version 3: builds every rollup from the results already stored, with
    // latencyGood = good (no thresholds were known before). Runs inside the migration transaction.
    static bool rebuildFromResults(const QSqlDatabase &db, SqlDialect dialect, QString *error);

private:
    struct Key
    {
        int resolution;
        qint64 checkId;
        qint64 bucket;
        friend auto operator<=>(const Key &, const Key &) = default;
    };
    struct Pending
    {
        EventCounts delta;
        std::optional<EventCounts> replacement;
    };
    struct Cached
    {
        qint64 bucket = 0;
        EventCounts counts;
    };
    using CacheKey = std::pair<qint64, int>; // check id, resolution

    Pending &pending(RollupResolution resolution, qint64 checkId, qint64 bucket);
    std::optional<EventCounts> load(const Key &key, QString *error); // nullopt on error; {} when absent
    bool upsert(const Key &key, const EventCounts &row, const EventCounts *expected, bool *applied,
                QString *error);
    void learn(const Key &key, const EventCounts &row);

    SqlDialect m_dialect;
    std::array<std::optional<QSqlQuery>, 3> m_select;
    std::array<std::optional<QSqlQuery>, 3> m_upsertIfUnchanged;
    std::array<std::optional<QSqlQuery>, 3> m_upsertReplace;

    std::map<Key, Pending> m_pending;
    QHash<CacheKey, Cached> m_cache;
    QHash<CacheKey, Cached> m_learnt; // written by the open transaction; joins m_cache on commit
};
