#pragma once

#include "eventcounts.h"
#include "health.h"
#include "rollupresolution.h"
#include "sqldialect.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <array>
#include <map>
#include <memory>
#include <optional>

struct sqlite3;
struct sqlite3_stmt;

// Latency the way results store it: whole microseconds, nullopt when nothing was measured. The
// rollups are fed the stored value, so they always agree with what the raw rows say.
std::optional<qint64> storedLatencyUs(double latencyMs);

// The HTTP status the way results store it: nullopt for "no response" (0) and for anything that is
// not a three-digit status, which the response parser never lets through; PostgreSQL keeps the
// column in two bytes, and a value it refused would keep the whole batch, and every later one, out.
std::optional<int> storedHttpStatus(int status);

// Adds one result to `counts` following EventCounts' rules: ok and degraded are good, down is bad
// (all three count in total); unknown and stale count only in `unknown`. latencyGood is good with
// a measured latency within thresholdMs, or simply good when the service has no threshold. The
// histogram takes the latency of every judged result that has one and no network error.
void addEvent(EventCounts *counts, Health outcome, std::optional<qint64> latencyUs, bool networkError,
              std::optional<double> thresholdMs);

// One prepared statement of the SQLite C API, on the sqlite3 handle of a QSQLITE connection (so it
// runs inside the transactions begun through QtSql). The history writer's hot statements use it on
// SQLite: they bind some ten values per row, and binding through QSqlQuery cost several times what
// SQLite's own work does (Qt 6.4's QSqlResult::bindValue builds a placeholder name and looks it up
// in a hash for every value; exec() then copies every value again). PostgreSQL keeps QSqlQuery.
//
// Every statement must be finalized before its connection closes: QSQLITE's close() cannot close a
// connection that still has statements (sqlite3_close() says SQLITE_BUSY and the handle leaks).
class SqliteStatement
{
public:
    SqliteStatement() = default;
    ~SqliteStatement() { finalize(); }
    Q_DISABLE_COPY_MOVE(SqliteStatement)

    // The connection's sqlite3 handle; nullptr unless `db` is an open QSQLITE connection.
    static sqlite3 *handleOf(const QSqlDatabase &db);

    bool prepare(sqlite3 *db, const QString &sql, QString *error);
    void finalize();
    bool isPrepared() const { return m_stmt != nullptr; }

    // Parameters count from 0, as QSqlQuery's do. Text and blobs are not copied: the value must
    // stay alive until the statement has run.
    void bindInt64(int index, qint64 value);
    void bindNull(int index);
    void bindText(int index, const QString &value); // a null QString binds '', never NULL
    void bindBlob(int index, QByteArrayView value);  // an empty one binds NULL

    // A statement without rows, run to its end (the bindings stay). False and *error on failure.
    bool exec(QString *error);
    qint64 changes() const; // rows the last exec() inserted, updated or deleted
    // A query, stepped to its next row: *hasRow says whether there is one. Read its columns, step
    // again, then reset(). False and *error on failure (the statement is reset then).
    bool step(bool *hasRow, QString *error);
    qint64 int64At(int column) const;
    QByteArrayView blobAt(int column) const; // valid until reset()
    void reset();

private:
    QString failure(const char *what) const;

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

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
    void resetStatements(); // before the connection closes

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
        // Rare (writeRollup() only), and the size of a whole EventCounts: every result of a batch
        // makes three Pending entries.
        std::unique_ptr<EventCounts> replacement;
    };
    struct Cached
    {
        qint64 bucket = 0;
        EventCounts counts;
        // counts.latency as it was written (LatencyHistogram::encode()); null when empty. A row
        // whose histogram a batch leaves alone (results without a latency) is written again
        // without encoding it again.
        QByteArray histogram;
    };
    using CacheKey = std::pair<qint64, int>; // check id, resolution

    // PostgreSQL: the most rows per multi-row upsert, replacements (writeRollup()) and merges
    // alike. Each statement is a round trip to the server, which costs far more than the row. A
    // merge's condition (the row it expects) travels with its row, and the statement returns the
    // keys it applied (see mergeMany()).
    static constexpr int kRowsPerUpsert = 1000;

    Pending &pending(RollupResolution resolution, qint64 checkId, qint64 bucket);
    std::optional<EventCounts> load(const Key &key, QString *error); // nullopt on error; {} when absent
    struct Expected // what the row must still hold for a conditional upsert to apply
    {
        quint64 total = 0;
        quint64 unknown = 0;
    };
    // A merge: the row as it will be, its encoded histogram and what the row must still hold.
    struct Proposal
    {
        EventCounts row;
        QByteArray histogram;
        Expected expected;
    };
    // The row now (from the cache when useCache and it knows, else read) with the pending delta.
    bool propose(const Key &key, const Pending &p, bool useCache, Proposal *out, QString *error);
    // One row's conditional upsert, read and merged again until it applies (from firstAttempt on).
    bool merge(const Key &key, const Pending &p, int firstAttempt, QString *error);
    // PostgreSQL: the `rows` merges from `first` on (all of one tier) in one statement.
    bool mergeMany(std::map<Key, Pending>::const_iterator first, int rows, QString *error);
    bool upsert(const Key &key, const EventCounts &row, const QByteArray &histogram, const Expected *expected,
                bool *applied, QString *error);
    // PostgreSQL: the `rows` replacements from `first` on (all of one tier) in one statement.
    bool upsertMany(std::map<Key, Pending>::const_iterator first, int rows, QString *error);
    void learn(const Key &key, EventCounts row, const QByteArray &histogram);

    SqlDialect m_dialect;
    // SQLite: the C API (see SqliteStatement); PostgreSQL: QSqlQuery.
    sqlite3 *m_sqlite = nullptr;
    std::array<SqliteStatement, 3> m_liteSelect;
    std::array<SqliteStatement, 3> m_liteUpsertIfUnchanged;
    std::array<SqliteStatement, 3> m_liteUpsertReplace;
    std::array<std::optional<QSqlQuery>, 3> m_select;
    std::array<std::optional<QSqlQuery>, 3> m_upsertIfUnchanged;
    std::array<std::optional<QSqlQuery>, 3> m_upsertReplace;
    std::array<std::optional<QSqlQuery>, 3> m_upsertReplaceMany;
    std::array<std::optional<QSqlQuery>, 3> m_upsertIfUnchangedMany;

    std::map<Key, Pending> m_pending;
    QHash<CacheKey, Cached> m_cache;
    QHash<CacheKey, Cached> m_learnt; // written by the open transaction; joins m_cache on commit
};
