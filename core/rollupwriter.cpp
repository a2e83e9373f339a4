#include "rollupwriter.h"

#include "logging.h"
#include "pgarrayliteral.h"

#include <QSqlDriver>
#include <QSet>
#include <QSqlError>
#include <QStringList>
#include <QVariant>

#include <sqlite3.h>

#include <array>
#include <cmath>
#include <vector>

namespace {

// A row that keeps changing under us means another writer is hammering the same bucket; a few
// rounds settle any real contention, more would only hide a bug.
constexpr int kMaxMergeAttempts = 8;

int index(RollupResolution resolution)
{
    return int(resolution);
}

// The histogram column's value: NULL (an empty array) for "no samples", which costs nothing on
// disk and which the aggregate concatenation skips.
QByteArray encoded(const LatencyHistogram &h)
{
    return h.isEmpty() ? QByteArray() : h.encode();
}

QVariant histogramValue(const QByteArray &histogram)
{
    return histogram.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(histogram);
}

QString selectSql(RollupResolution resolution)
{
    return QStringLiteral("SELECT total, good, latency_good, unknown, histogram FROM %1 WHERE check_id = ? AND bucket = ?")
        .arg(rollupTable(resolution));
}

QString upsertSql(RollupResolution resolution, bool conditional)
{
    QString sql = QStringLiteral("INSERT INTO %1 AS r (check_id, bucket, total, good, latency_good, unknown, "
                                 "histogram) VALUES (?, ?, ?, ?, ?, ?, ?) "
                                 "ON CONFLICT (check_id, bucket) DO UPDATE SET total = excluded.total, "
                                 "good = excluded.good, latency_good = excluded.latency_good, "
                                 "unknown = excluded.unknown, histogram = excluded.histogram")
                      .arg(rollupTable(resolution));
    if (conditional)
        sql += QStringLiteral(" WHERE r.total = ? AND r.unknown = ?");
    return sql;
}

// PostgreSQL: the rows of a multi-row upsert, one array per column (see PgArrayLiteral), and on
// to the expected counts of a conditional one.
const QString kRowsFromArrays = QStringLiteral(
    "SELECT * FROM unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), "
    "CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS BYTEA[])%1) "
    "AS u (check_id, bucket, total, good, latency_good, unknown, histogram%2)");

// PostgreSQL: replacements of any number of rows in one statement.
QString upsertReplaceManySql(RollupResolution resolution)
{
    return QStringLiteral("INSERT INTO %1 AS r (check_id, bucket, total, good, latency_good, unknown, histogram) "
                          "%2 ORDER BY check_id, bucket "
                          "ON CONFLICT (check_id, bucket) DO UPDATE SET total = excluded.total, "
                          "good = excluded.good, latency_good = excluded.latency_good, "
                          "unknown = excluded.unknown, histogram = excluded.histogram")
        .arg(rollupTable(resolution), kRowsFromArrays.arg(QString(), QString()));
}

// PostgreSQL: conditional upserts of any number of rows in one statement (one row too: the merges
// retried one by one use it), each with the row it expects (what the single-row form's WHERE
// says). The rows go in in key order, as the single ones do, so two writers still lock them in the
// same order; the statement returns the keys it applied, and the others (a row another writer
// changed) are merged again one by one. The condition looks its row up in a hash of v's (key,
// expected counts), which an uncorrelated IN builds once.
//
// A row expected to hold events but gone is not inserted either: RollupPacker has moved it into a
// packed row since this writer read it (or cached it, in an earlier transaction), and inserting the
// merged counts would count them twice. Not applied, it is read again, found absent, and inserted
// with only what is new. (Within one transaction no pack can commit: see PackedRollups::kPackLock.)
QString upsertIfUnchangedManySql(RollupResolution resolution)
{
    return QStringLiteral("WITH v AS (%2) "
                          "INSERT INTO %1 AS r (check_id, bucket, total, good, latency_good, unknown, histogram) "
                          "SELECT check_id, bucket, total, good, latency_good, unknown, histogram FROM v "
                          "WHERE (expected_total = 0 AND expected_unknown = 0) OR EXISTS "
                          "(SELECT 1 FROM %1 x WHERE x.check_id = v.check_id AND x.bucket = v.bucket) "
                          "ORDER BY check_id, bucket "
                          "ON CONFLICT (check_id, bucket) DO UPDATE SET total = excluded.total, "
                          "good = excluded.good, latency_good = excluded.latency_good, "
                          "unknown = excluded.unknown, histogram = excluded.histogram "
                          "WHERE (r.check_id, r.bucket, CAST(r.total AS BIGINT), CAST(r.unknown AS BIGINT)) IN "
                          "(SELECT check_id, bucket, expected_total, expected_unknown FROM v) "
                          "RETURNING r.check_id, r.bucket")
        .arg(rollupTable(resolution),
             kRowsFromArrays.arg(QStringLiteral(", CAST(? AS BIGINT[]), CAST(? AS BIGINT[])"),
                                 QStringLiteral(", expected_total, expected_unknown")));
}

// The columns of one multi-row upsert, and the row appended to them.
struct RowArrays
{
    std::array<PgArrayLiteral, 9> columns;

    void add(qint64 checkId, qint64 bucket, const EventCounts &row, const QByteArray &histogram)
    {
        columns[0].add(checkId);
        columns[1].add(bucket);
        columns[2].add(qint64(row.total));
        columns[3].add(qint64(row.good));
        columns[4].add(qint64(row.latencyGood));
        columns[5].add(qint64(row.unknown));
        if (histogram.isEmpty())
            columns[6].addNull();
        else
            columns[6].add(histogram);
    }
    void addExpected(quint64 total, quint64 unknown)
    {
        columns[7].add(qint64(total));
        columns[8].add(qint64(unknown));
    }
    void bind(QSqlQuery &q, int count)
    {
        for (int c = 0; c < count; ++c)
            q.bindValue(c, columns[std::size_t(c)].take());
    }
};

void bindRow(QSqlQuery &q, int at, qint64 checkId, qint64 bucket, const EventCounts &row, const QByteArray &histogram)
{
    q.bindValue(at, checkId);
    q.bindValue(at + 1, bucket);
    q.bindValue(at + 2, qint64(row.total));
    q.bindValue(at + 3, qint64(row.good));
    q.bindValue(at + 4, qint64(row.latencyGood));
    q.bindValue(at + 5, qint64(row.unknown));
    q.bindValue(at + 6, histogramValue(histogram));
}

} // namespace

// ---------------------------------------------------------------------------------------------
// SqliteStatement

sqlite3 *SqliteStatement::handleOf(const QSqlDatabase &db)
{
    if (!db.isOpen() || !db.driver())
        return nullptr;
    const QVariant v = db.driver()->handle();
    if (!v.isValid() || qstrcmp(v.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(v.constData());
}

bool SqliteStatement::prepare(sqlite3 *db, const QString &sql, QString *error)
{
    finalize();
    m_db = db;
    const QByteArray text = sql.toUtf8();
    // PERSISTENT: these statements live as long as the connection and run thousands of times.
    const int rc = sqlite3_prepare_v3(db, text.constData(), int(text.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt,
                                      nullptr);
    if (rc == SQLITE_OK && m_stmt)
        return true;
    if (error)
        *error = failure("Unable to execute statement");
    finalize();
    return false;
}

void SqliteStatement::finalize()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
    m_stmt = nullptr;
}

// A null destructor is SQLITE_STATIC (the macro itself is an old-style cast): SQLite reads the
// bytes in place, which is why a bound value must outlive the step.
void SqliteStatement::bindInt64(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index + 1, value);
}

void SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index + 1);
}

void SqliteStatement::bindText(int index, const QString &value)
{
    // A null data pointer would bind NULL, and the text columns are NOT NULL.
    static const char16_t empty[] = u"";
    const void *data = value.isEmpty() ? static_cast<const void *>(empty) : static_cast<const void *>(value.utf16());
    sqlite3_bind_text16(m_stmt, index + 1, data, int(value.size() * 2), nullptr);
}

void SqliteStatement::bindBlob(int index, QByteArrayView value)
{
    if (value.isEmpty())
        sqlite3_bind_null(m_stmt, index + 1);
    else
        sqlite3_bind_blob(m_stmt, index + 1, value.data(), int(value.size()), nullptr);
}

bool SqliteStatement::exec(QString *error)
{
    int rc = sqlite3_step(m_stmt);
    while (rc == SQLITE_ROW) // RETURNING rows nobody asked for
        rc = sqlite3_step(m_stmt);
    if (rc != SQLITE_DONE) {
        if (error)
            *error = failure("Unable to fetch row");
        sqlite3_reset(m_stmt);
        return false;
    }
    sqlite3_reset(m_stmt);
    return true;
}

qint64 SqliteStatement::changes() const
{
    return sqlite3_changes(m_db);
}

bool SqliteStatement::step(bool *hasRow, QString *error)
{
    const int rc = sqlite3_step(m_stmt);
    *hasRow = rc == SQLITE_ROW;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return true;
    if (error)
        *error = failure("Unable to fetch row");
    sqlite3_reset(m_stmt);
    return false;
}

qint64 SqliteStatement::int64At(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

QByteArrayView SqliteStatement::blobAt(int column) const
{
    const void *data = sqlite3_column_blob(m_stmt, column);
    const int size = sqlite3_column_bytes(m_stmt, column);
    return data ? QByteArrayView(static_cast<const char *>(data), size) : QByteArrayView();
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
}

QString SqliteStatement::failure(const char *what) const
{
    // Worded as QSQLITE words it ("<SQLite's message> <what failed>"), so that errors read the same
    // whichever way a statement ran.
    const QString message = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QString();
    return QString(message + u' ' + QLatin1String(what)).trimmed();
}

// ---------------------------------------------------------------------------------------------
// RollupWriter

std::optional<qint64> storedLatencyUs(double latencyMs)
{
    if (!(latencyMs >= 0) || !std::isfinite(latencyMs))
        return std::nullopt;
    // Nothing answers in 290,000 years; the clamp only keeps a corrupt value from overflowing.
    return std::llround(std::min(latencyMs, 9.0e15) * 1000.0);
}

std::optional<int> storedHttpStatus(int status)
{
    if (status < 100 || status > 999)
        return std::nullopt;
    return status;
}

void addEvent(EventCounts *counts, Health outcome, std::optional<qint64> latencyUs, bool networkError,
              std::optional<double> thresholdMs)
{
    bool good = false;
    switch (outcome) {
    case Health::Ok:
    case Health::Degraded:
        good = true;
        break;
    case Health::Down:
        break;
    case Health::Unknown:
    case Health::Stale:
        ++counts->unknown;
        return;
    }
    ++counts->total;
    if (good) {
        ++counts->good;
        if (!thresholdMs || (latencyUs && double(*latencyUs) / 1000.0 <= *thresholdMs))
            ++counts->latencyGood;
    }
    // A failure that answered slowly still made someone wait; one that never connected has no
    // latency worth charting.
    if (latencyUs && !networkError)
        counts->latency.add(double(*latencyUs) / 1000.0);
}

RollupWriter::RollupWriter(SqlDialect dialect)
    : m_dialect(dialect)
{
}

bool RollupWriter::prepare(const QSqlDatabase &db, QString *error)
{
    resetStatements();
    m_sqlite = m_dialect == SqlDialect::Sqlite ? SqliteStatement::handleOf(db) : nullptr;
    const auto make = [&](std::optional<QSqlQuery> &slot, const QString &sql) {
        slot.emplace(db);
        slot->setForwardOnly(true);
        if (slot->prepare(sql))
            return true;
        if (error)
            *error = sqlError(*slot);
        return false;
    };
    for (const RollupResolution r : kRollupResolutions) {
        const std::size_t i = std::size_t(index(r));
        bool ok = false;
        if (m_sqlite) {
            ok = m_liteSelect[i].prepare(m_sqlite, selectSql(r), error)
                 && m_liteUpsertIfUnchanged[i].prepare(m_sqlite, upsertSql(r, true), error)
                 && m_liteUpsertReplace[i].prepare(m_sqlite, upsertSql(r, false), error);
        } else {
            ok = make(m_select[i], selectSql(r)) && make(m_upsertReplace[i], upsertSql(r, false))
                 && (m_dialect == SqlDialect::PostgreSql
                         ? make(m_upsertReplaceMany[i], upsertReplaceManySql(r))
                               && make(m_upsertIfUnchangedMany[i], upsertIfUnchangedManySql(r))
                         : make(m_upsertIfUnchanged[i], upsertSql(r, true)));
        }
        if (!ok) {
            resetStatements();
            return false;
        }
    }
    return true;
}

void RollupWriter::resetStatements()
{
    for (auto *list : {&m_select, &m_upsertIfUnchanged, &m_upsertReplace, &m_upsertReplaceMany, &m_upsertIfUnchangedMany})
        for (auto &q : *list)
            q.reset();
    for (auto *list : {&m_liteSelect, &m_liteUpsertIfUnchanged, &m_liteUpsertReplace})
        for (auto &statement : *list)
            statement.finalize();
    m_sqlite = nullptr;
}

RollupWriter::Pending &RollupWriter::pending(RollupResolution resolution, qint64 checkId, qint64 bucket)
{
    return m_pending[Key{index(resolution), checkId, bucket}];
}

void RollupWriter::addResult(qint64 checkId, qint64 atMs, Health outcome, std::optional<qint64> latencyUs,
                             bool networkError, std::optional<double> thresholdMs)
{
    for (const RollupResolution r : kRollupResolutions)
        addEvent(&pending(r, checkId, floorTo(atMs, resolutionMs(r))).delta, outcome, latencyUs, networkError,
                 thresholdMs);
}

void RollupWriter::replace(qint64 checkId, RollupResolution resolution, qint64 bucketMs,
                           const EventCounts &counts)
{
    Pending &p = pending(resolution, checkId, floorTo(bucketMs, resolutionMs(resolution)));
    p.replacement = std::make_unique<EventCounts>(counts);
    p.delta = {};
}

std::optional<EventCounts> RollupWriter::load(const Key &key, QString *error)
{
    EventCounts row;
    const auto malformed = [&key] {
        qCWarning(lcStore) << "history: a malformed latency histogram in"
                           << rollupTable(RollupResolution(key.resolution)) << "for check" << key.checkId << "at"
                           << key.bucket << "is replaced";
    };
    if (m_sqlite) {
        SqliteStatement &s = m_liteSelect[std::size_t(key.resolution)];
        s.bindInt64(0, key.checkId);
        s.bindInt64(1, key.bucket);
        bool found = false;
        if (!s.step(&found, error))
            return std::nullopt;
        if (found) {
            row.total = quint64(s.int64At(0));
            row.good = quint64(s.int64At(1));
            row.latencyGood = quint64(s.int64At(2));
            row.unknown = quint64(s.int64At(3));
            if (!LatencyHistogram::decode(s.blobAt(4), &row.latency))
                malformed();
        }
        s.reset();
        return row;
    }
    QSqlQuery &q = *m_select[std::size_t(key.resolution)];
    q.bindValue(0, key.checkId);
    q.bindValue(1, key.bucket);
    if (!q.exec()) {
        *error = sqlError(q);
        return std::nullopt;
    }
    if (q.next()) {
        row.total = q.value(0).toULongLong();
        row.good = q.value(1).toULongLong();
        row.latencyGood = q.value(2).toULongLong();
        row.unknown = q.value(3).toULongLong();
        if (!LatencyHistogram::decode(q.value(4).toByteArray(), &row.latency))
            malformed();
    }
    q.finish();
    return row;
}

bool RollupWriter::upsert(const Key &key, const EventCounts &row, const QByteArray &histogram,
                          const Expected *expected, bool *applied, QString *error)
{
    const std::size_t r = std::size_t(key.resolution);
    if (m_sqlite) {
        SqliteStatement &s = expected ? m_liteUpsertIfUnchanged[r] : m_liteUpsertReplace[r];
        s.bindInt64(0, key.checkId);
        s.bindInt64(1, key.bucket);
        s.bindInt64(2, qint64(row.total));
        s.bindInt64(3, qint64(row.good));
        s.bindInt64(4, qint64(row.latencyGood));
        s.bindInt64(5, qint64(row.unknown));
        s.bindBlob(6, histogram);
        if (expected) {
            s.bindInt64(7, qint64(expected->total));
            s.bindInt64(8, qint64(expected->unknown));
        }
        if (!s.exec(error))
            return false;
        // An insert or an update is one row; a conditional update whose condition failed is none.
        *applied = s.changes() > 0;
        return true;
    }
    if (expected && m_upsertIfUnchangedMany[r]) {
        QSqlQuery &q = *m_upsertIfUnchangedMany[r];
        RowArrays arrays;
        arrays.add(key.checkId, key.bucket, row, histogram);
        arrays.addExpected(expected->total, expected->unknown);
        arrays.bind(q, 9);
        if (!q.exec()) {
            *error = sqlError(q);
            return false;
        }
        *applied = q.next();
        if (q.lastError().isValid()) {
            *error = sqlError(q);
            return false;
        }
        q.finish();
        return true;
    }
    QSqlQuery &q = expected ? *m_upsertIfUnchanged[r] : *m_upsertReplace[r];
    bindRow(q, 0, key.checkId, key.bucket, row, histogram);
    if (expected) {
        q.bindValue(7, qint64(expected->total));
        q.bindValue(8, qint64(expected->unknown));
    }
    if (!q.exec()) {
        *error = sqlError(q);
        return false;
    }
    *applied = q.numRowsAffected() > 0;
    return true;
}

bool RollupWriter::upsertMany(std::map<Key, Pending>::const_iterator first, int rows, QString *error)
{
    QSqlQuery &q = *m_upsertReplaceMany[std::size_t(first->first.resolution)];
    struct Row
    {
        Key key;
        EventCounts counts;
        QByteArray histogram;
    };
    std::vector<Row> written;
    written.reserve(std::size_t(rows));
    RowArrays arrays;
    for (int i = 0; i < rows; ++i, ++first) {
        Row row{first->first, *first->second.replacement, {}};
        row.counts.merge(first->second.delta);
        row.histogram = encoded(row.counts.latency);
        arrays.add(row.key.checkId, row.key.bucket, row.counts, row.histogram);
        written.push_back(std::move(row));
    }
    arrays.bind(q, 7);
    if (!q.exec()) {
        *error = sqlError(q);
        return false;
    }
    for (Row &row : written)
        learn(row.key, std::move(row.counts), row.histogram);
    return true;
}

void RollupWriter::learn(const Key &key, EventCounts row, const QByteArray &histogram)
{
    const CacheKey ck{key.checkId, key.resolution};
    const auto newer = [&](const QHash<CacheKey, Cached> &h) {
        const auto it = h.constFind(ck);
        return it == h.cend() || key.bucket >= it->bucket;
    };
    // Only the newest bucket is worth keeping: late results are rare, current ones are not.
    if (newer(m_learnt) && newer(m_cache))
        m_learnt.insert(ck, Cached{key.bucket, std::move(row), histogram});
}

bool RollupWriter::write(QString *error)
{
    // How many entries from `from` on (at most a statement's worth) are of its tier and, like it,
    // replacements or merges: what one multi-row statement may take, still in key order.
    const auto runFrom = [this](std::map<Key, Pending>::const_iterator from) {
        const int resolution = from->first.resolution;
        const bool replacement = bool(from->second.replacement);
        int run = 0;
        for (; from != m_pending.cend() && run < kRowsPerUpsert && bool(from->second.replacement) == replacement
               && from->first.resolution == resolution;
             ++from)
            ++run;
        return run;
    };
    for (auto it = m_pending.cbegin(); it != m_pending.cend();) {
        const Key &key = it->first;
        const Pending &p = it->second;
        // On PostgreSQL a run of rows of one tier goes in one statement: a batch of results of
        // hundreds of checks merges a row per check and tier, and a round trip each would cost
        // more than everything else the batch does.
        const int run = m_upsertIfUnchangedMany[std::size_t(key.resolution)] ? runFrom(it) : 1;
        if (run > 1) {
            if (!(p.replacement ? upsertMany(it, run, error) : mergeMany(it, run, error)))
                return false;
            std::advance(it, run);
            continue;
        }
        if (p.replacement) {
            EventCounts row = *p.replacement;
            row.merge(p.delta);
            const QByteArray histogram = encoded(row.latency);
            bool applied = false;
            if (!upsert(key, row, histogram, nullptr, &applied, error))
                return false;
            learn(key, std::move(row), histogram);
        } else if (!merge(key, p, 0, error)) {
            return false;
        }
        ++it;
    }
    return true;
}

bool RollupWriter::propose(const Key &key, const Pending &p, bool useCache, Proposal *out, QString *error)
{
    // The row as it is now, merged with what this transaction adds: from the cache when it has
    // the row (or knows the bucket is new), else read.
    EventCounts row;
    const QByteArray *cachedHistogram = nullptr; // the current row's encoding, when known
    static const QByteArray kNoHistogram;
    bool known = false;
    if (useCache) {
        const auto c = m_cache.constFind(CacheKey{key.checkId, key.resolution});
        // A bucket past the newest one this writer has written is, but for another writer, still
        // empty: upsert straight away rather than look first. The conditional upsert notices the
        // other writer, if there was one.
        if (c != m_cache.cend() && c->bucket == key.bucket) {
            row = c->counts;
            cachedHistogram = &c->histogram;
            known = true;
        } else if (c != m_cache.cend() && c->bucket < key.bucket) {
            cachedHistogram = &kNoHistogram;
            known = true;
        }
    }
    if (!known) {
        std::optional<EventCounts> loaded = load(key, error);
        if (!loaded)
            return false;
        row = std::move(*loaded);
    }
    out->expected = Expected{row.total, row.unknown};
    row.merge(p.delta);
    // Results without a latency leave the histogram as it was, and so its encoding.
    out->histogram = cachedHistogram && p.delta.latency.isEmpty() ? *cachedHistogram : encoded(row.latency);
    out->row = std::move(row);
    return true;
}

bool RollupWriter::merge(const Key &key, const Pending &p, int firstAttempt, QString *error)
{
    for (int attempt = firstAttempt;; ++attempt) {
        Proposal proposal;
        if (!propose(key, p, attempt == 0, &proposal, error))
            return false;
        bool applied = false;
        if (!upsert(key, proposal.row, proposal.histogram, &proposal.expected, &applied, error))
            return false;
        if (applied) {
            learn(key, std::move(proposal.row), proposal.histogram);
            return true;
        }
        if (attempt + 1 >= kMaxMergeAttempts) {
            *error = QStringLiteral("the %1 row of check %2 at %3 kept changing while it was being merged")
                         .arg(rollupTable(RollupResolution(key.resolution)))
                         .arg(key.checkId)
                         .arg(key.bucket);
            return false;
        }
    }
}

bool RollupWriter::mergeMany(std::map<Key, Pending>::const_iterator first, int rows, QString *error)
{
    QSqlQuery &q = *m_upsertIfUnchangedMany[std::size_t(first->first.resolution)];
    std::vector<Proposal> proposals(std::size_t(rows), Proposal{});
    RowArrays arrays;
    auto it = first;
    for (int i = 0; i < rows; ++i, ++it) {
        Proposal &proposal = proposals[std::size_t(i)];
        if (!propose(it->first, it->second, true, &proposal, error))
            return false;
        arrays.add(it->first.checkId, it->first.bucket, proposal.row, proposal.histogram);
        arrays.addExpected(proposal.expected.total, proposal.expected.unknown);
    }
    arrays.bind(q, 9);
    if (!q.exec()) {
        *error = sqlError(q);
        return false;
    }
    QSet<std::pair<qint64, qint64>> applied;
    while (q.next())
        applied.insert({q.value(0).toLongLong(), q.value(1).toLongLong()});
    if (q.lastError().isValid()) {
        *error = sqlError(q);
        return false;
    }
    q.finish();
    it = first;
    for (int i = 0; i < rows; ++i, ++it) {
        const Key &key = it->first;
        if (applied.contains({key.checkId, key.bucket})) {
            Proposal &proposal = proposals[std::size_t(i)];
            learn(key, std::move(proposal.row), proposal.histogram);
        } else if (!merge(key, it->second, 1, error)) { // another writer changed it: read it again
            return false;
        }
    }
    return true;
}

void RollupWriter::committed()
{
    for (auto it = m_learnt.begin(); it != m_learnt.end(); ++it)
        m_cache.insert(it.key(), std::move(it.value()));
    m_learnt.clear();
    m_pending.clear();
}

void RollupWriter::rolledBack()
{
    m_pending.clear();
    m_learnt.clear();
    m_cache.clear();
}

void RollupWriter::evictBefore(RollupResolution resolution, qint64 cutoffMs)
{
    for (auto it = m_cache.begin(); it != m_cache.end();) {
        if (it.key().second == index(resolution) && it->bucket < cutoffMs)
            it = m_cache.erase(it);
        else
            ++it;
    }
}

void RollupWriter::clearCache()
{
    m_cache.clear();
    m_learnt.clear();
}

bool RollupWriter::rebuildFromResults(const QSqlDatabase &db, SqlDialect dialect, QString *error)
{
    std::array<QSqlQuery, 3> insert = {QSqlQuery(db), QSqlQuery(db), QSqlQuery(db)};
    for (const RollupResolution r : kRollupResolutions) {
        QSqlQuery &q = insert[std::size_t(index(r))];
        if (!q.prepare(QStringLiteral("INSERT INTO %1 (check_id, bucket, total, good, latency_good, unknown, "
                                      "histogram) VALUES (?, ?, ?, ?, ?, ?, ?)")
                           .arg(rollupTable(r)))) {
            *error = sqlError(q);
            return false;
        }
    }
    struct Open
    {
        bool open = false;
        qint64 checkId = 0;
        qint64 bucket = 0;
        EventCounts counts;
    };
    std::array<Open, 3> open;
    qint64 rows = 0;
    const auto close = [&](RollupResolution r) {
        Open &o = open[std::size_t(index(r))];
        if (!o.open)
            return true;
        QSqlQuery &q = insert[std::size_t(index(r))];
        bindRow(q, 0, o.checkId, o.bucket, o.counts, encoded(o.counts.latency));
        if (!q.exec()) {
            *error = sqlError(q);
            return false;
        }
        ++rows;
        o = Open{};
        return true;
    };

    QSqlQuery in(db);
    // Forward-only streams on SQLite. QPSQL would stream a forward-only result row by row over the
    // very connection the inserts need, so there the rows are fetched whole (a PostgreSQL store
    // never had version 2, so the table is empty anyway).
    in.setForwardOnly(dialect == SqlDialect::Sqlite);
    // In key order, so each check's buckets come one after the other and only the current bucket
    // of each tier is ever held.
    if (!in.exec(QStringLiteral("SELECT check_id, ts, outcome, latency_us, network_error FROM results "
                                "ORDER BY check_id, ts, seq"))) {
        *error = sqlError(in);
        return false;
    }
    qint64 results = 0;
    while (in.next()) {
        const qint64 checkId = in.value(0).toLongLong();
        const qint64 ts = in.value(1).toLongLong();
        const int outcome = in.value(2).toInt();
        const Health health =
            outcome >= int(Health::Ok) && outcome <= int(Health::Down) ? Health(outcome) : Health::Unknown;
        std::optional<qint64> latency;
        if (!in.value(3).isNull())
            latency = in.value(3).toLongLong();
        const bool networkError = in.value(4).toInt() != 0;
        for (const RollupResolution r : kRollupResolutions) {
            Open &o = open[std::size_t(index(r))];
            const qint64 bucket = floorTo(ts, resolutionMs(r));
            if (o.open && (o.checkId != checkId || o.bucket != bucket) && !close(r))
                return false;
            if (!o.open) {
                o.open = true;
                o.checkId = checkId;
                o.bucket = bucket;
            }
            addEvent(&o.counts, health, latency, networkError, std::nullopt);
        }
        ++results;
    }
    if (in.lastError().isValid()) {
        *error = sqlError(in);
        return false;
    }
    for (const RollupResolution r : kRollupResolutions)
        if (!close(r))
            return false;
    if (results > 0)
        qCInfo(lcStore) << "history: rolled up" << results << "stored results into" << rows << "rollup rows";
    return true;
}
