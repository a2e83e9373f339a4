#include "rolluppacker.h"

#include "packedrollups.h"

#include <QSqlError>
#include <QStringList>
#include <QVariant>

#include <array>

namespace {

constexpr std::array<RollupResolution, 2> kPackedResolutions = {RollupResolution::Minute, RollupResolution::Hour};

QString sqlError(const QSqlQuery &q)
{
    return q.lastError().text().trimmed();
}

bool exec(const QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    *error = sqlError(q);
    return false;
}

// A packed column merged with the same column of a newer packed row, slot by slot.
QString merged(const QString &column, const QString &add)
{
    return QStringLiteral("%1 = (SELECT array_agg(CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a ELSE a %2 b END "
                          "ORDER BY n) FROM unnest(p.%1, excluded.%1) WITH ORDINALITY AS m (a, b, n))")
        .arg(column, add);
}

// Deletes one check's rows below a period boundary and packs them, merging into the packed rows
// already there. A period where a slot would pass PackedRollups::counterMax() (for an hour, more
// than nine results a second of one check, alone or merged with its packed row) is left unpacked,
// as it would be without packing. Binds: check id, boundary. Returns how many rows it moved and
// into how many packed rows (QPSQL's numRowsAffected() is 0 for a forward-only query).
QString packSql(RollupResolution resolution)
{
    const qint64 period = PackedRollups::periodMs(resolution);
    const QString offset = QStringLiteral("MOD(MOD(bucket, %1) + %1, %1)").arg(period);
    const QString table = rollupTable(resolution), packedTable = PackedRollups::table(resolution);
    const QString type = PackedRollups::counterType(resolution);
    const QString fits = QStringLiteral(
        "GREATEST(r.total + COALESCE(p.total[r.n], 0), r.good + COALESCE(p.good[r.n], 0), "
        "r.latency_good + COALESCE(p.latency_good[r.n], 0), r.unknown + COALESCE(p.unknown[r.n], 0)) > %1")
                             .arg(PackedRollups::counterMax(resolution));
    const QString slot = QStringLiteral("CAST(s.%1 AS %2) ORDER BY g.n) AS %1");
    return QStringLiteral(
               "WITH arg AS (SELECT CAST(? AS BIGINT) AS c, CAST(? AS BIGINT) AS b), "
               "candidates AS (SELECT check_id, bucket - %3 AS period, CAST(%3 / %4 AS INTEGER) + 1 AS n, total, "
               "good, latency_good, unknown FROM %1 WHERE check_id = (SELECT c FROM arg) AND bucket < (SELECT b FROM arg)), "
               "too_big AS (SELECT DISTINCT r.period FROM candidates r LEFT JOIN %2 p "
               "ON p.check_id = r.check_id AND p.period = r.period WHERE %6), "
               "moved AS (DELETE FROM %1 WHERE check_id = (SELECT c FROM arg) AND bucket < (SELECT b FROM arg) "
               "AND bucket - %3 NOT IN (SELECT period FROM too_big) "
               "RETURNING check_id, bucket, total, good, latency_good, unknown, histogram), "
               "slots AS (SELECT check_id, bucket - %3 AS period, CAST(%3 / %4 AS INTEGER) + 1 AS n, "
               "total, good, latency_good, unknown, histogram FROM moved), "
               "packed AS (SELECT k.check_id, k.period, array_agg(%7, array_agg(%8, array_agg(%9, array_agg(%10, "
               "array_agg(s.histogram ORDER BY g.n) AS histogram "
               "FROM (SELECT DISTINCT check_id, period FROM slots) k CROSS JOIN generate_series(1, %5) AS g (n) "
               "LEFT JOIN slots s ON s.check_id = k.check_id AND s.period = k.period AND s.n = g.n "
               "GROUP BY k.check_id, k.period), "
               "inserted AS (INSERT INTO %2 AS p (check_id, period, total, good, latency_good, unknown, histogram) "
               "SELECT check_id, period, total, good, latency_good, unknown, histogram FROM packed "
               "ORDER BY check_id, period "
               "ON CONFLICT (check_id, period) DO UPDATE SET %11 RETURNING 1) "
               "SELECT (SELECT COUNT(*) FROM moved), (SELECT COUNT(*) FROM inserted)")
        .arg(table, packedTable, offset, QString::number(resolutionMs(resolution)),
             QString::number(PackedRollups::slotsPerPeriod(resolution)), fits, slot.arg(QStringLiteral("total"), type),
             slot.arg(QStringLiteral("good"), type), slot.arg(QStringLiteral("latency_good"), type))
        .arg(slot.arg(QStringLiteral("unknown"), type),
             QStringList{merged(QStringLiteral("total"), QStringLiteral("+")),
                         merged(QStringLiteral("good"), QStringLiteral("+")),
                         merged(QStringLiteral("latency_good"), QStringLiteral("+")),
                         merged(QStringLiteral("unknown"), QStringLiteral("+")),
                         merged(QStringLiteral("histogram"), QStringLiteral("||"))}
                 .join(QStringLiteral(", ")));
}

} // namespace

qint64 RollupPacker::packBefore(RollupResolution resolution, qint64 nowMs)
{
    return floorTo(nowMs - kLagMs, PackedRollups::periodMs(resolution));
}

RollupPacker::RollupPacker(const QList<qint64> &checkIds, qint64 nowMs)
    : m_checkIds(checkIds)
    , m_nowMs(nowMs)
{
}

bool RollupPacker::prepare(const QSqlDatabase &db, QString *error)
{
    const RollupResolution r = kPackedResolutions[std::size_t(m_tier)];
    m_boundary.emplace(db);
    m_pack.emplace(db);
    m_boundary->setForwardOnly(true);
    m_pack->setForwardOnly(true);
    if (!m_boundary->prepare(QStringLiteral("SELECT bucket FROM %1 WHERE check_id = ? AND bucket < ? "
                                            "ORDER BY bucket LIMIT 1 OFFSET ?")
                                 .arg(rollupTable(r)))) {
        *error = sqlError(*m_boundary);
        return false;
    }
    if (!m_pack->prepare(packSql(r))) {
        *error = sqlError(*m_pack);
        return false;
    }
    m_prepared = m_tier;
    return true;
}

bool RollupPacker::step(const QSqlDatabase &db, bool *done, QString *error)
{
    *done = false;
    if (!exec(db, QStringLiteral("BEGIN"), error))
        return false;
    qint64 budget = kChunkRows;
    bool ok = true;
    while (ok && budget > 0 && m_tier < int(kPackedResolutions.size())) {
        if (m_nextCheck >= m_checkIds.size()) {
            ++m_tier;
            m_nextCheck = 0;
            continue;
        }
        if (m_prepared != m_tier && !prepare(db, error)) {
            ok = false;
            break;
        }
        const RollupResolution r = kPackedResolutions[std::size_t(m_tier)];
        const qint64 checkId = m_checkIds.at(m_nextCheck);
        const qint64 before = packBefore(r, m_nowMs);
        // More rows than the budget? Pack up to the period the row past it starts, the rest in the
        // next transaction. A period holds at most slotsPerPeriod() rows, so that is past the first.
        m_boundary->bindValue(0, checkId);
        m_boundary->bindValue(1, before);
        m_boundary->bindValue(2, std::max<qint64>(budget, PackedRollups::slotsPerPeriod(r)));
        if (!m_boundary->exec()) {
            *error = sqlError(*m_boundary);
            ok = false;
            break;
        }
        const bool more = m_boundary->next();
        const qint64 upTo = more ? floorTo(m_boundary->value(0).toLongLong(), PackedRollups::periodMs(r)) : before;
        m_boundary->finish();
        m_pack->bindValue(0, checkId);
        m_pack->bindValue(1, upTo);
        if (!m_pack->exec() || !m_pack->next()) {
            *error = sqlError(*m_pack);
            ok = false;
            break;
        }
        const qint64 moved = m_pack->value(0).toLongLong();
        m_moved += moved;
        m_packed += m_pack->value(1).toLongLong();
        m_pack->finish();
        budget -= std::max<qint64>(moved, 1);
        if (!more)
            ++m_nextCheck;
    }
    if (ok)
        ok = exec(db, QStringLiteral("COMMIT"), error);
    if (!ok) {
        QString ignored;
        exec(db, QStringLiteral("ROLLBACK"), &ignored);
        return false;
    }
    while (m_tier < int(kPackedResolutions.size()) && m_nextCheck >= m_checkIds.size()) {
        ++m_tier;
        m_nextCheck = 0;
    }
    *done = m_tier >= int(kPackedResolutions.size());
    return true;
}
