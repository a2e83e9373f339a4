#include "retentionpass.h"

#include "logging.h"
#include "rollupwriter.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <optional>

namespace {

QString sqlError(const QSqlQuery &q)
{
    return q.lastError().text().trimmed();
}

bool exec(const QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    if (error)
        *error = sqlError(q);
    return false;
}

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

struct Table
{
    QString name;
    QString column;
};

Table tableFor(int tier)
{
    switch (RetentionTier(tier)) {
    case RetentionTier::Raw:
        return {QStringLiteral("results"), QStringLiteral("ts")};
    case RetentionTier::Minute:
        return {rollupTable(RollupResolution::Minute), QStringLiteral("bucket")};
    case RetentionTier::Hour:
        return {rollupTable(RollupResolution::Hour), QStringLiteral("bucket")};
    case RetentionTier::Day:
        return {rollupTable(RollupResolution::Day), QStringLiteral("bucket")};
    }
    return {};
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
    return deleteChunk(db, error);
}

bool RetentionPass::start(const QSqlDatabase &db, QString *error)
{
    if (!exec(db, beginWriteSql(m_dialect), error))
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
        ok = exec(db, QStringLiteral("COMMIT"), error);
    if (!ok)
        exec(db, QStringLiteral("ROLLBACK"), nullptr);
    return ok;
}

RetentionPass::Step RetentionPass::deleteChunk(const QSqlDatabase &db, QString *error)
{
    if (!exec(db, beginWriteSql(m_dialect), error))
        return Step::Failed;
    qint64 budget = kChunkRows;
    QSqlQuery boundary(db), below(db), upTo(db);
    int prepared = -1;
    bool ok = true;
    while (ok && budget > 0 && m_tier < 4) {
        if (m_nextCheck >= m_checkIds.size()) {
            ++m_tier;
            m_nextCheck = 0;
            continue;
        }
        if (prepared != m_tier) {
            const Table t = tableFor(m_tier);
            const auto sql = [&t](const char *text) { return QString::fromLatin1(text).arg(t.name, t.column); };
            for (QSqlQuery *q : {&boundary, &below, &upTo})
                q->setForwardOnly(true);
            ok = boundary.prepare(sql("SELECT %2 FROM %1 WHERE check_id = ? AND %2 < ? "
                                      "ORDER BY %2 LIMIT 1 OFFSET ?"))
                 && below.prepare(sql("DELETE FROM %1 WHERE check_id = ? AND %2 < ?"))
                 && upTo.prepare(sql("DELETE FROM %1 WHERE check_id = ? AND %2 <= ?"));
            if (!ok) {
                for (const QSqlQuery *q : {&boundary, &below, &upTo})
                    if (q->lastError().isValid())
                        *error = sqlError(*q);
                break;
            }
            prepared = m_tier;
        }
        const qint64 checkId = m_checkIds.at(m_nextCheck);
        const qint64 cutoff = m_cutoffs[std::size_t(m_tier)];
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
        qint64 n = below.numRowsAffected();
        if (more && n == 0) {
            // The budget's worth of results all share one millisecond: take them all at once.
            upTo.bindValue(0, checkId);
            upTo.bindValue(1, bound);
            if (!upTo.exec()) {
                *error = sqlError(upTo);
                ok = false;
                break;
            }
            n = upTo.numRowsAffected();
        }
        m_deleted += n;
        budget -= n;
        if (!more)
            ++m_nextCheck;
    }
    if (ok)
        ok = exec(db, QStringLiteral("COMMIT"), error);
    if (!ok) {
        exec(db, QStringLiteral("ROLLBACK"), nullptr);
        return Step::Failed;
    }
    while (m_tier < 4 && m_nextCheck >= m_checkIds.size()) {
        ++m_tier;
        m_nextCheck = 0;
    }
    if (m_tier < 4)
        return Step::More;
    if (m_dialect != SqlDialect::Sqlite)
        return Step::Done;
    m_vacuuming = true;
    return Step::More;
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
    if (!exec(db, QStringLiteral("PRAGMA incremental_vacuum(%1)").arg(n), error))
        return Step::Failed;
    const auto after = pragma(db, QStringLiteral("PRAGMA freelist_count"), error);
    if (!after)
        return Step::Failed;
    // No progress means somebody else holds pages we cannot move; try again at the next pass.
    return *after < *freePages && *after > m_keepFreePages ? Step::More : Step::Done;
}
