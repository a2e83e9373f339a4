#include "packedrollups.h"

namespace PackedRollups {

bool packs(SqlDialect dialect, RollupResolution resolution)
{
    return dialect == SqlDialect::PostgreSql && resolution != RollupResolution::Day;
}

QString table(RollupResolution resolution)
{
    return rollupTable(resolution) + QStringLiteral("_packed");
}

qint64 periodMs(RollupResolution resolution)
{
    return resolution == RollupResolution::Minute ? kHourMs : kDayMs;
}

int slotsPerPeriod(RollupResolution resolution)
{
    return int(periodMs(resolution) / resolutionMs(resolution));
}

QString counterType(RollupResolution resolution)
{
    return resolution == RollupResolution::Hour ? QStringLiteral("SMALLINT") : QStringLiteral("INTEGER");
}

qint64 counterMax(RollupResolution resolution)
{
    return resolution == RollupResolution::Hour ? 32'767 : 2'147'483'647;
}

QString rowsSql(SqlDialect dialect, RollupResolution resolution, const QString &checkIds, qint64 fromMs, qint64 toMs,
                bool histogram)
{
    const QString from = QString::number(fromMs), to = QString::number(toMs);
    const QString plain = QStringLiteral("%1 WHERE check_id IN (%2) AND bucket >= %3 AND bucket < %4")
                              .arg(rollupTable(resolution), checkIds, from, to);
    if (!packs(dialect, resolution))
        return plain;
    const QString h = histogram ? QStringLiteral(", histogram") : QString();
    const QString bucket = QStringLiteral("p.period + (u.n - 1) * %1").arg(resolutionMs(resolution));
    // The period bound lets the primary key find the packed rows; the bucket bounds then drop the
    // slots of the first and last period outside the window.
    return QStringLiteral("(SELECT check_id, bucket, total, good, latency_good, unknown%1 FROM %2 "
                          "UNION ALL "
                          "SELECT p.check_id, %3, u.total, u.good, u.latency_good, u.unknown%4 FROM %5 p "
                          "CROSS JOIN LATERAL unnest(p.total, p.good, p.latency_good, p.unknown%6) WITH ORDINALITY "
                          "AS u (total, good, latency_good, unknown%1, n) "
                          "WHERE p.check_id IN (%7) AND p.period > %8 AND p.period < %9 AND u.total IS NOT NULL "
                          "AND %3 >= %10 AND %3 < %9) AS r")
        .arg(h, plain, bucket, histogram ? QStringLiteral(", u.histogram") : QString(), table(resolution),
             histogram ? QStringLiteral(", p.histogram") : QString(), checkIds,
             QString::number(fromMs - periodMs(resolution)), to)
        .arg(from);
}

} // namespace PackedRollups
