#include "rollupwriter.h"

#include "logging.h"

#include <QSqlError>
#include <QVariant>

#include <cmath>

namespace {

// A row that keeps changing under us means another writer is hammering the same bucket; a few
// rounds settle any real contention, more would only hide a bug.
constexpr int kMaxMergeAttempts = 8;

QString sqlError(const QSqlQuery &q)
{
    return q.lastError().text().trimmed();
}

int index(RollupResolution resolution)
{
    return int(resolution);
}

QVariant histogramValue(const LatencyHistogram &h)
{
    // NULL for "no samples": costs nothing on disk, and the aggregate concatenation skips it.
    return h.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(h.encode());
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

void bindRow(QSqlQuery &q, qint64 checkId, qint64 bucket, const EventCounts &row)
{
    q.bindValue(0, checkId);
    q.bindValue(1, bucket);
    q.bindValue(2, qint64(row.total));
    q.bindValue(3, qint64(row.good));
    q.bindValue(4, qint64(row.latencyGood));
    q.bindValue(5, qint64(row.unknown));
    q.bindValue(6, histogramValue(row.latency));
}

} // namespace

std::optional<qint64> storedLatencyUs(double latencyMs)
{
    if (!(latencyMs >= 0) || !std::isfinite(latencyMs))
        return std::nullopt;
    // Nothing answers in 290,000 years; the clamp only keeps a corrupt value from overflowing.
    return std::llround(std::min(latencyMs, 9.0e15) * 1000.0);
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
        const int i = index(r);
        const bool ok =
            make(m_select[std::size_t(i)],
                 QStringLiteral("SELECT total, good, latency_good, unknown, histogram FROM %1 "
                                "WHERE check_id = ? AND bucket = ?")
                     .arg(rollupTable(r)))
            && make(m_upsertIfUnchanged[std::size_t(i)], upsertSql(r, true))
            && make(m_upsertReplace[std::size_t(i)], upsertSql(r, false));
        if (!ok) {
            resetStatements();
            return false;
        }
    }
    return true;
}

void RollupWriter::resetStatements()
{
    for (auto *list : {&m_select, &m_upsertIfUnchanged, &m_upsertReplace})
        for (auto &q : *list)
            q.reset();
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
    p.replacement = counts;
    p.delta = {};
}

std::optional<EventCounts> RollupWriter::load(const Key &key, QString *error)
{
    QSqlQuery &q = *m_select[std::size_t(key.resolution)];
    q.bindValue(0, key.checkId);
    q.bindValue(1, key.bucket);
    if (!q.exec()) {
        *error = sqlError(q);
        return std::nullopt;
    }
    EventCounts row;
    if (q.next()) {
        row.total = q.value(0).toULongLong();
        row.good = q.value(1).toULongLong();
        row.latencyGood = q.value(2).toULongLong();
        row.unknown = q.value(3).toULongLong();
        if (!LatencyHistogram::decode(q.value(4).toByteArray(), &row.latency))
            qCWarning(lcStore) << "history: a malformed latency histogram in"
                               << rollupTable(RollupResolution(key.resolution)) << "for check" << key.checkId
                               << "at" << key.bucket << "is replaced";
    }
    q.finish();
    return row;
}

bool RollupWriter::upsert(const Key &key, const EventCounts &row, const EventCounts *expected, bool *applied,
                          QString *error)
{
    const std::size_t r = std::size_t(key.resolution);
    QSqlQuery &q = expected ? *m_upsertIfUnchanged[r] : *m_upsertReplace[r];
    bindRow(q, key.checkId, key.bucket, row);
    if (expected) {
        q.bindValue(7, qint64(expected->total));
        q.bindValue(8, qint64(expected->unknown));
    }
    if (!q.exec()) {
        *error = sqlError(q);
        return false;
    }
    // An insert or an update is one row; a conditional update whose condition failed is none.
    *applied = q.numRowsAffected() > 0;
    return true;
}

void RollupWriter::learn(const Key &key, const EventCounts &row)
{
    const CacheKey ck{key.checkId, key.resolution};
    const auto newer = [&](const QHash<CacheKey, Cached> &h) {
        const auto it = h.constFind(ck);
        return it == h.cend() || key.bucket >= it->bucket;
    };
    // Only the newest bucket is worth keeping: late results are rare, current ones are not.
    if (newer(m_learnt) && newer(m_cache))
        m_learnt.insert(ck, Cached{key.bucket, row});
}

bool RollupWriter::write(QString *error)
{
    for (const auto &[key, p] : m_pending) {
        EventCounts row;
        if (p.replacement) {
            row = *p.replacement;
            row.merge(p.delta);
            bool applied = false;
            if (!upsert(key, row, nullptr, &applied, error))
                return false;
            learn(key, row);
            continue;
        }
        for (int attempt = 0;; ++attempt) {
            std::optional<EventCounts> current;
            if (attempt == 0) {
                const auto it = m_cache.constFind(CacheKey{key.checkId, key.resolution});
                // A bucket past the newest one this writer has written is, but for another writer,
                // still empty: upsert straight away rather than look first. The conditional upsert
                // notices the other writer, if there was one.
                if (it != m_cache.cend() && it->bucket == key.bucket)
                    current = it->counts;
                else if (it != m_cache.cend() && it->bucket < key.bucket)
                    current = EventCounts{};
            }
            if (!current) {
                current = load(key, error);
                if (!current)
                    return false;
            }
            row = *current;
            row.merge(p.delta);
            bool applied = false;
            if (!upsert(key, row, &*current, &applied, error))
                return false;
            if (applied) {
                learn(key, row);
                break;
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
    return true;
}

void RollupWriter::committed()
{
    for (auto it = m_learnt.cbegin(); it != m_learnt.cend(); ++it)
        m_cache.insert(it.key(), it.value());
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
        bindRow(q, o.checkId, o.bucket, o.counts);
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
