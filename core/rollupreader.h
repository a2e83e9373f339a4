#pragma once

#include "eventcounts.h"
#include "windowedgecache.h"
#include "rollupwriter.h"
#include "sqldialect.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QSqlDatabase>
#include <QString>
#include <optional>

// Reads SLO counts over a time window from the rollup tables, never from raw results.
//
// A window is cut into segments, each read from one tier: day rows for the whole UTC days in it,
// hour rows for the whole hours left, minute rows for the rest. Where retention has already
// deleted minute rows (below the minute horizon) hour rows stand in for them. Each edge of the
// window is aligned outward to the resolution used there, so the answer covers at least the
// window asked for and never counts half a bucket.
//
// On PostgreSQL the database does the adding: one query per call, one grouped branch per segment,
// summing the counters and concatenating the histogram encodings (see concatBlobsSql()), so a 30-day
// SLO over hundreds of checks returns a few rows per check rather than every rollup row over the
// network. On SQLite, in the same process, countsByCheck() adds them itself (see there).
class RollupReader
{
public:
    struct Segment
    {
        RollupResolution resolution;
        qint64 fromMs; // bucket starts in [fromMs, toMs)
        qint64 toMs;
        friend bool operator==(const Segment &, const Segment &) = default;
    };

    // Charts longer than this many points are refused rather than eat the memory.
    static constexpr qsizetype kMaxSeriesBuckets = 100'000;

    // edges: where countsByCheckMulti() keeps rows between passes (SQLite only; see there), or none.
    RollupReader(const QSqlDatabase &db, SqlDialect dialect, WindowEdgeCache *edges = nullptr);

    // minuteHorizonMs: minute rows exist from here on (the minimum when none were ever pruned).
    static QList<Segment> plan(qint64 fromMs, qint64 toMs, qint64 minuteHorizonMs);

    std::optional<qint64> minuteHorizon(QString *error) const;
    // What a count carries: the latency histogram too, or only the counters (burn rates need no
    // percentiles, and skipping the histograms makes a pass several times cheaper).
    enum class Detail { WithLatency, CountsOnly };
    // Summed per check over [fromMs, toMs). Checks without rows in the window are absent.
    bool countsByCheck(const QList<qint64> &checkIds, qint64 fromMs, qint64 toMs,
                       QHash<qint64, EventCounts> *out, QString *error, Detail detail = Detail::WithLatency) const;
    // One window of countsByCheckMulti(), with what its counts carry.
    struct Window
    {
        qint64 fromMs;
        qint64 toMs;
        Detail detail = Detail::WithLatency;
    };
    // countsByCheck() over several windows at once: (*out)[i] is what countsByCheck(checkIds,
    // windows[i]) gives, bucket for bucket, as long as each hour row is the sum of its minute rows
    // (the writer keeps them so; only writeRollup() in tests can make them disagree). Windows that
    // end at the same time (the burn windows) share most of their rows — the minutes since the
    // last whole hour, the hours of the shorter ones — so every window is planned, the pieces of
    // each tier are cut where any window's segment starts or ends, and each row is read once and
    // added into every window whose segment holds its bucket. A partial hour that covers most of
    // its hour is read as the hour row minus the minutes outside the window. The histogram column
    // is only read where some window wants latency. On SQLite with a WindowEdgeCache, the rest of
    // the hour and of the day a counts-only window starts inside come from the minute and hour
    // rows kept there instead, read again when that hour's (day's) own row has changed (see
    // WindowEdgeCache).
    bool countsByCheckMulti(const QList<qint64> &checkIds, const QList<Window> &windows,
                            QList<QHash<qint64, EventCounts>> *out, QString *error) const;
    // The checks together, per step-aligned bucket covering [fromMs, toMs); empty buckets included.
    bool series(const QList<qint64> &checkIds, qint64 fromMs, qint64 toMs, qint64 stepMs,
                QList<QPair<qint64, EventCounts>> *out, QString *error) const;

private:
    bool countsByCheckMultiSqlite(sqlite3 *db, const QList<qint64> &checkIds, const QList<Window> &windows,
                                  QList<QHash<qint64, EventCounts>> *out, QString *error) const;
    bool countsByCheckSqlite(sqlite3 *db, const QList<qint64> &checkIds, qint64 fromMs, qint64 toMs,
                             QHash<qint64, EventCounts> *out, QString *error, Detail detail) const;

    QSqlDatabase m_db;
    SqlDialect m_dialect;
    WindowEdgeCache *m_edges = nullptr;
};
