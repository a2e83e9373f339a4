#include "retentionpass.h"

#include "logging.h"
#include "packedrollups.h"
#include "rollupwriter.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <optional>

namespace {

std::optional<qint64> pragma(const QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(sql) || !q.next()) {
        *error = sqlError(q);
        return std::nullopt;
    }
    return q.value(0).toLongLong();
}

// A packed row counts as the buckets it holds, so "rows deleted" means rollup buckets whether or
// not they were packed (a bucket with a late row beside its packed slot counts twice, as two rows
// would). QPSQL reports no affected rows for a forward-only query, so the count is selected.
QString deleteSql(const RetentionPass::Prune &t, const QString &op)
{
    if (t.packed)
        return QStringLiteral("WITH d AS (DELETE FROM %1 WHERE check_id = ? AND %2 %3 ? RETURNING total) "
                              "SELECT COALESCE(SUM(cardinality(array_remove(total, NULL))), 0) FROM d")
            .arg(t.table, t.column, op);
    return QStringLiteral("DELETE FROM %1 WHERE check_id = ? AND %2 %3 ?").arg(t.table, t.column, op);
}

qint64 deletedBy(QSqlQuery &q)
{
    if (!q.isSelect())
        return q.numRowsAffected();
    const qint64 n = q.next() ? q.value(0).toLongLong() : 0;
    q.finish();
    return n;
}

} // namespace

RetentionPass::RetentionPass(const QString &connectionName, SqlDialect dialect, const RetentionPolicy &policy,
                             qint64 nowMs)
    : m_connection(connectionName)
    , m_dialect(dialect)
{
    const RetentionPolicy p = policy.normalized();
    for (int tier = 0; tier < 4; ++tier)
        m_cutoffs[std::size_t(tier)] = cutoffFor(RetentionTier(tier), p, nowMs);
    // Finer tiers first. A packed row's period starts at or past the cutoff of its tier exactly
    // when its buckets do: the minute cutoff is a whole hour, the hour cutoff a whole day.
    const auto prune = [&](const QString &table, const QString &column, RetentionTier tier, bool packed = false) {
        m_tables.append(Prune{table, column, m_cutoffs[std::size_t(tier)], packed});
    };
    prune(QStringLiteral("results"), QStringLiteral("ts"), RetentionTier::Raw);
    for (const RollupResolution r : kRollupResolutions) {
        const RetentionTier tier = r == RollupResolution::Minute ? RetentionTier::Minute
                                   : r == RollupResolution::Hour ? RetentionTier::Hour
                                                                 : RetentionTier::Day;
        prune(rollupTable(r), QStringLiteral("bucket"), tier);
        if (PackedRollups::packs(dialect, r))
            prune(PackedRollups::table(r), QStringLiteral("period"), tier, true);
    }
    m_nowMs = nowMs;
}

qint64 RetentionPass::cutoffFor(RetentionTier tier, const RetentionPolicy &policy, qint64 nowMs)
{
    const RetentionPolicy p = policy.normalized();
    switch (tier) {
    case RetentionTier::Raw:
        return floorTo(nowMs - p.rawMs, kMinuteMs);
    case RetentionTier::Minute:
        return floorTo(nowMs - p.minuteMs, kHourMs);
    case RetentionTier::Hour:
    case RetentionTier::Day:
        return floorTo(nowMs - p.hourMs, kDayMs);
    }
    return nowMs;
}

RetentionPass::Step RetentionPass::step(QString *error)
{
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!m_started) {
        if (!start(db, error))
            return Step::Failed;
        m_started = true;
        return Step::More;
    }
    if (m_vacuuming)
        return vacuumStep(db, error);
    if (m_packer)
        return packStep(db, error);
    return deleteChunk(db, error);
}

bool RetentionPass::start(const QSqlDatabase &db, QString *error)
{
    if (!execSql(db, beginWriteSql(m_dialect), error))
        return false;
    QSqlQuery q(db);
    bool ok = q.prepare(QStringLiteral("INSERT INTO retention_horizon (tier, pruned_before) VALUES (?, ?) "
                                       "ON CONFLICT (tier) DO UPDATE SET pruned_before = excluded.pruned_before "
                                       "WHERE retention_horizon.pruned_before < excluded.pruned_before"));
    for (int tier = 0; ok && tier < 4; ++tier) {
        q.bindValue(0, tier);
        q.bindValue(1, m_cutoffs[std::size_t(tier)]);
        ok = q.exec();
    }
    if (!ok)
        *error = sqlError(q);
    QSqlQuery ids(db);
    ids.setForwardOnly(true);
    if (ok) {
        ok = ids.exec(QStringLiteral("SELECT id FROM checks ORDER BY id"));
        if (!ok)
            *error = sqlError(ids);
        while (ok && ids.next())
            m_checkIds << ids.value(0).toLongLong();
    }
    if (ok)
        ok = execSql(db, QStringLiteral("COMMIT"), error);
    if (!ok)
        execSql(db, QStringLiteral("ROLLBACK"), nullptr);
    return ok;
}

RetentionPass::Step RetentionPass::deleteChunk(const QSqlDatabase &db, QString *error)
{
    if (!execSql(db, beginWriteSql(m_dialect), error))
        return Step::Failed;
    qint64 budget = kChunkRows;
    QSqlQuery boundary(db), below(db), upTo(db);
    int prepared = -1;
    bool ok = true;
    while (ok && budget > 0 && m_tier < m_tables.size()) {
        if (m_nextCheck >= m_checkIds.size()) {
            ++m_tier;
            m_nextCheck = 0;
            continue;
        }
        if (prepared != m_tier) {
            const Prune &t = m_tables.at(m_tier);
            const auto sql = [&t](const char *text) { return QString::fromLatin1(text).arg(t.table, t.column); };
            for (QSqlQuery *q : {&boundary, &below, &upTo})
                q->setForwardOnly(true);
            ok = boundary.prepare(sql("SELECT %2 FROM %1 WHERE check_id = ? AND %2 < ? "
                                      "ORDER BY %2 LIMIT 1 OFFSET ?"))
                 && below.prepare(deleteSql(t, QStringLiteral("<")))
                 && upTo.prepare(deleteSql(t, QStringLiteral("<=")));
            if (!ok) {
                for (const QSqlQuery *q : {&boundary, &below, &upTo})
                    if (q->lastError().isValid())
                        *error = sqlError(*q);
                break;
            }
            prepared = m_tier;
        }
        const qint64 checkId = m_checkIds.at(m_nextCheck);
        const qint64 cutoff = m_tables.at(m_tier).cutoff;
        // More than the budget left for this check? Then delete up to the row just past the budget
        // and come back to the rest in the next transaction.
        boundary.bindValue(0, checkId);
        boundary.bindValue(1, cutoff);
        boundary.bindValue(2, budget);
        if (!boundary.exec()) {
            *error = sqlError(boundary);
            ok = false;
            break;
        }
        const bool more = boundary.next();
        const qint64 bound = more ? boundary.value(0).toLongLong() : cutoff;
        boundary.finish();
        below.bindValue(0, checkId);
        below.bindValue(1, bound);
        if (!below.exec()) {
            *error = sqlError(below);
            ok = false;
            break;
        }
        qint64 n = deletedBy(below);
        if (more && n == 0) {
            // The budget's worth of results all share one millisecond: take them all at once.
            upTo.bindValue(0, checkId);
            upTo.bindValue(1, bound);
            if (!upTo.exec()) {
                *error = sqlError(upTo);
                ok = false;
                break;
            }
            n = deletedBy(upTo);
        }
        m_deleted += n;
        budget -= n;
        if (!more)
            ++m_nextCheck;
    }
    if (ok)
        ok = execSql(db, QStringLiteral("COMMIT"), error);
    if (!ok) {
        execSql(db, QStringLiteral("ROLLBACK"), nullptr);
        return Step::Failed;
    }
    while (m_tier < m_tables.size() && m_nextCheck >= m_checkIds.size()) {
        ++m_tier;
        m_nextCheck = 0;
    }
    if (m_tier < m_tables.size())
        return Step::More;
    if (m_dialect == SqlDialect::Sqlite)
        m_vacuuming = true;
    else
        m_packer.emplace(m_checkIds, m_nowMs);
    return Step::More;
}

RetentionPass::Step RetentionPass::packStep(const QSqlDatabase &db, QString *error)
{
    bool done = false;
    if (!m_packer->step(db, &done, error))
        return Step::Failed;
    if (!done)
        return Step::More;
    if (m_packer->movedRows() > 0)
        qCDebug(lcStore) << "history: packed" << m_packer->movedRows() << "rollup rows into" << m_packer->packedRows();
    return Step::Done;
}

RetentionPass::Step RetentionPass::vacuumStep(const QSqlDatabase &db, QString *error)
{
    const auto freePages = pragma(db, QStringLiteral("PRAGMA freelist_count"), error);
    if (!freePages)
        return Step::Failed;
    if (m_keepFreePages < 0) {
        const auto mode = pragma(db, QStringLiteral("PRAGMA auto_vacuum"), error);
        const auto pages = pragma(db, QStringLiteral("PRAGMA page_count"), error);
        if (!mode || !pages)
            return Step::Failed;
        constexpr qint64 kIncremental = 2;
        if (*mode != kIncremental || *freePages <= 256 || *freePages * 10 <= *pages)
            return Step::Done;
        // Keep some slack (a twentieth of what is in use) for the results of the next minutes
        // rather than regrow the file at once.
        m_keepFreePages = (*pages - *freePages) / 20;
        qCDebug(lcStore) << "history: giving back" << (*freePages - m_keepFreePages) << "of" << *pages
                         << "pages after pruning";
    }
    if (*freePages <= m_keepFreePages)
        return Step::Done;
    const qint64 n = std::min<qint64>(*freePages - m_keepFreePages, kVacuumPagesPerStep);
    if (!execSql(db, QStringLiteral("PRAGMA incremental_vacuum(%1)").arg(n), error))
        return Step::Failed;
    const auto after = pragma(db, QStringLiteral("PRAGMA freelist_count"), error);
    if (!after)
        return Step::Failed;
    // No progress means somebody else holds pages we cannot move; try again at the next pass.
    return *after < *freePages && *after > m_keepFreePages ? Step::More : Step::Done;
}
