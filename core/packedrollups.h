#pragma once

#include "rollupresolution.h"
#include "sqldialect.h"

#include <QString>

// On PostgreSQL a row costs some 28 bytes of header and line pointer and about 30 more in its
// primary key before its data, where a minute's rollup carries 20 to 30 bytes: kept one row per
// bucket, the minute and hour tiers took 3.6 of the 6.3 MB a check's 400 days cost. So there the
// minute rows of a closed hour and the hour rows of a closed UTC day are packed into one row per
// check and period: one array per counter and one of histograms, element i the period's i-th
// bucket, NULL where it had none. A row over 2 KB (an hour of minutes) is compressed in place, so a
// packed minute costs some 25 bytes, a packed hour some 70 (see counterType()).
//
// The writer never sees the packed rows: it merges into the one-row-per-bucket tables as before,
// and RollupPacker moves what it wrote into the packed tables once the period is over. A result
// arriving after that lands in a fresh unpacked row, which readers add to the packed one and the
// next pack merges into it. Readers therefore read a tier through rowsSql(), never its table.
//
// A writer's merge reads a row and writes it back only if it is unchanged; a packer deleting that
// row in a transaction that commits in between would make the write-back count it twice. So every
// write transaction on PostgreSQL holds kPackLock shared, and every packing transaction holds it
// exclusively: whatever two consoles sharing the store do, no merge overlaps a pack.
//
// SQLite keeps one row per bucket: a WITHOUT ROWID row there costs a few bytes beyond its data.
namespace PackedRollups {

// The advisory lock (pg_advisory_xact_lock) that keeps merges and packs apart; any number will do
// as long as every OpsDeck uses the same one.
inline constexpr qint64 kPackLock = 0x4f7073506b64; // "OpsPkd"

// Whether `resolution` is packed on this database (minutes and hours on PostgreSQL).
bool packs(SqlDialect dialect, RollupResolution resolution);
// The packed table of `resolution`, and the period one of its rows covers.
QString table(RollupResolution resolution);
qint64 periodMs(RollupResolution resolution);
int slotsPerPeriod(RollupResolution resolution);
// The SQL type of a packed counter, and the largest count it holds. PostgreSQL compresses a row
// only once it passes 2 KB: an hour of minutes does (its counter arrays shrink to a fifth), a day
// of hours does not, so there two bytes a counter is what makes its row fit five to a page rather
// than four. RollupPacker leaves a period with a count that does not fit unpacked.
QString counterType(RollupResolution resolution);
qint64 counterMax(RollupResolution resolution);

// What a reader puts after FROM to get the rows (check_id, bucket, total, good, latency_good,
// unknown[, histogram]) of the checks `checkIds` (a comma-separated list of numbers) with buckets
// in [fromMs, toMs): the tier's table with a WHERE, or on PostgreSQL that and the packed rows
// unnested, as a derived table. Without histogram the packed histograms are not even read.
QString rowsSql(SqlDialect dialect, RollupResolution resolution, const QString &checkIds, qint64 fromMs, qint64 toMs,
                bool histogram);

} // namespace PackedRollups
