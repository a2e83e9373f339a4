#include "rolluppacker.h"

#include "packedrollups.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

#include <array>

namespace {

constexpr std::array<RollupResolution, 2> kPackedResolutions = {RollupResolution::Minute, RollupResolution::Hour};

// A packed column merged with the same column of a newer packed row, slot by slot.
QString merged(const QString &column, const QString &add)
{
    return QStringLiteral("%1 = (SELECT array_agg(CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a ELSE a %2 b END "
                          "ORDER BY n) FROM unnest(p.%1, excluded.%1) WITH ORDINALITY AS m (a, b, n))")
        .arg(column, add);
}

// Deletes one check's rows between two period boundaries and packs them, merging into the packed
// rows already there. A period where a slot would pass PackedRollups::counterMax() (for an hour,
// more than nine results a second of one check, alone or merged with its packed row) is left
// unpacked, as it would be without packing. Binds: check id, and the boundaries [from, to).
// Returns how many rows it moved and into how many packed rows (QPSQL's numRowsAffected() is 0
// for a forward-only query).
QString packSql(RollupResolution resolution)
{
    const qint64 period = PackedRollups::periodMs(resolution);
    const QString offset = QStringLiteral("MOD(MOD(bucket, %1) + %1, %1)").arg(period);
    const QString table = rollupTable(resolution), packedTable = PackedRollups::table(resolution);
    const QString type = PackedRollups::counterType(resolution);
    const QString overflows = QStringLiteral(
        "GREATEST(r.total + COALESCE(p.total[r.n], 0), r.good + COALESCE(p.good[r.n], 0), "
        "r.latency_good + COALESCE(p.latency_good[r.n], 0), r.unknown + COALESCE(p.unknown[r.n], 0)) > %1")
                             .arg(PackedRollups::counterMax(resolution));
    const QString slot = QStringLiteral("CAST(s.%1 AS %2) ORDER BY g.n) AS %1");
    return QStringLiteral(
               "WITH arg AS (SELECT CAST(? AS BIGINT) AS c, CAST(? AS BIGINT) AS a, CAST(? AS BIGINT) AS b), "
               "candidates AS (SELECT check_id, bucket - %3 AS period, CAST(%3 / %4 AS INTEGER) + 1 AS n, total, "
               "good, latency_good, unknown FROM %1 WHERE check_id = (SELECT c FROM arg) "
               "AND bucket >= (SELECT a FROM arg) AND bucket < (SELECT b FROM arg)), "
               "too_big AS (SELECT DISTINCT r.period FROM candidates r LEFT JOIN %2 p "
               "ON p.check_id = r.check_id AND p.period = r.period WHERE %6), "
               "moved AS (DELETE FROM %1 WHERE check_id = (SELECT c FROM arg) AND bucket >= (SELECT a FROM arg) "
               "AND bucket < (SELECT b FROM arg) "
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
             QString::number(PackedRollups::slotsPerPeriod(resolution)), overflows, slot.arg(QStringLiteral("total"), type),
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

bool RollupPacker::step(const QSqlDatabase &db, bool *done, QString *error)
{
    *done = false;
    // Exclusively: no writer's merge may run between this transaction's deletes and its commit
    // (see PackedRollups::kPackLock), nor another console's pack.
    if (!execSql(db, QStringLiteral("BEGIN"), error))
        return false;
    if (!execSql(db, QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(PackedRollups::kPackLock), error)) {
        QString ignored;
        execSql(db, QStringLiteral("ROLLBACK"), &ignored);
        return false;
    }
    // Prepared afresh in every transaction: the writer may have opened its connection anew since.
    QSqlQuery boundary(db), pack(db);
    boundary.setForwardOnly(true);
    pack.setForwardOnly(true);
    int prepared = -1;
    qint64 budget = kChunkRows;
    bool ok = true;
    while (ok && budget > 0 && m_tier < int(kPackedResolutions.size())) {
        if (m_nextCheck >= m_checkIds.size()) {
            ++m_tier;
            m_nextCheck = 0;
            m_from = kNoLowerBound;
            continue;
        }
        const RollupResolution r = kPackedResolutions[std::size_t(m_tier)];
        if (prepared != m_tier) {
            if (!boundary.prepare(QStringLiteral("SELECT bucket FROM %1 WHERE check_id = ? AND bucket >= ? "
                                                 "AND bucket < ? ORDER BY bucket LIMIT 1 OFFSET ?")
                                      .arg(rollupTable(r)))) {
                *error = sqlError(boundary);
                ok = false;
                break;
            }
            if (!pack.prepare(packSql(r))) {
                *error = sqlError(pack);
                ok = false;
                break;
            }
            prepared = m_tier;
        }
        const qint64 checkId = m_checkIds.at(m_nextCheck);
        const qint64 before = packBefore(r, m_nowMs);
        // More rows than the budget? Pack up to the period the row past it starts, and the rest
        // from there in the next transaction. A period holds at most slotsPerPeriod() rows, so
        // that is past m_from even when every row before it stays (a period packing leaves alone).
        const qint64 offset = std::max<qint64>(budget, PackedRollups::slotsPerPeriod(r));
        boundary.bindValue(0, checkId);
        boundary.bindValue(1, m_from);
        boundary.bindValue(2, before);
        boundary.bindValue(3, offset);
        if (!boundary.exec()) {
            *error = sqlError(boundary);
            ok = false;
            break;
        }
        const bool more = boundary.next();
        const qint64 upTo = more ? floorTo(boundary.value(0).toLongLong(), PackedRollups::periodMs(r)) : before;
        boundary.finish();
        pack.bindValue(0, checkId);
        pack.bindValue(1, m_from);
        pack.bindValue(2, upTo);
        if (!pack.exec() || !pack.next()) {
            *error = sqlError(pack);
            ok = false;
            break;
        }
        const qint64 moved = pack.value(0).toLongLong();
        m_moved += moved;
        m_packed += pack.value(1).toLongLong();
        pack.finish();
        if (more) {
            m_from = upTo;
            budget -= offset; // what the statement went through, moved or left
        } else {
            budget -= std::max<qint64>(moved, 1);
            ++m_nextCheck;
            m_from = kNoLowerBound;
        }
    }
    if (ok)
        ok = execSql(db, QStringLiteral("COMMIT"), error);
    if (!ok) {
        QString ignored;
        execSql(db, QStringLiteral("ROLLBACK"), &ignored);
        return false;
    }
    while (m_tier < int(kPackedResolutions.size()) && m_nextCheck >= m_checkIds.size()) {
        ++m_tier;
        m_nextCheck = 0;
    }
    *done = m_tier >= int(kPackedResolutions.size());
    return true;
}
