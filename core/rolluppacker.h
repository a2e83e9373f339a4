#pragma once

#include "rollupresolution.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <limits>

// Moves, on PostgreSQL, the minute rows of closed hours and the hour rows of closed days into
// their packed rows (see PackedRollups), check by check, in transactions of about kChunkRows rows
// so the writer commits batches in between. RetentionPass runs it after pruning, so it never packs
// what is about to go.
//
// A period is packed once it has been over for kLagMs: results of its last minutes may still be
// on their way, and each would otherwise reopen it. Rows that come later anyway (a late result, a
// second writer) are merged into the packed row by the next pass: counters added, histogram
// encodings concatenated, which is how readers add them too (see concatBlobsSql()). The rows go in
// one statement that deletes and inserts them, so a reader never sees them twice or not at all.
class RollupPacker
{
public:
    static constexpr int kChunkRows = 5000;
    static constexpr qint64 kLagMs = kHourMs;

    // The rows of `resolution` below this are packed by a pass at nowMs (a period boundary).
    static qint64 packBefore(RollupResolution resolution, qint64 nowMs);

    RollupPacker(const QList<qint64> &checkIds, qint64 nowMs);

    // One transaction; false on failure (rolled back). *done once every check's rows are packed.
    bool step(const QSqlDatabase &db, bool *done, QString *error);
    // Rows moved so far, and the packed rows they went into (new or merged).
    qint64 movedRows() const { return m_moved; }
    qint64 packedRows() const { return m_packed; }

private:
    static constexpr qint64 kNoLowerBound = std::numeric_limits<qint64>::min();

    QList<qint64> m_checkIds;
    qint64 m_nowMs;
    int m_tier = 0; // index into kPackedResolutions
    qsizetype m_nextCheck = 0;
    qint64 m_from = kNoLowerBound; // where that check's rows still to pack begin
    qint64 m_moved = 0;
    qint64 m_packed = 0;
};
