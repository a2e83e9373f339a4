#include "rollupreader.h"

#include "logging.h"
#include "packedrollups.h"
#include "retentionpolicy.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>
#include <QVariant>
#include <QVarLengthArray>

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

namespace {

constexpr qint64 kNoHorizon = std::numeric_limits<qint64>::min();
// PRAGMA cache_size values: negative is KiB. SQLite's default, and what a read connection gets.
constexpr qint64 kDefaultCacheSize = -2000;
constexpr qint64 kReadCacheSize = -16384;
// "Since forever" and "until whenever" arrive as the extremes of qint64; within ±36 million years
// the bucket arithmetic below cannot overflow.
constexpr qint64 kTimeLimit = qint64(1) << 60;

qint64 clampTime(qint64 ms)
{
    return std::clamp(ms, -kTimeLimit, kTimeLimit);
}

QString idList(const QList<qint64> &ids)
{
    QStringList parts;
    parts.reserve(ids.size());
    for (const qint64 id : ids)
        parts << QString::number(id);
    return parts.join(u',');
}

// One group's four counters summed and its histograms concatenated (see concatBlobsSql()).
QString aggregates(SqlDialect dialect, RollupReader::Detail detail = RollupReader::Detail::WithLatency)
{
    // Without latency the histogram column is not read at all: the blobs are most of a row's bytes.
    // PostgreSQL types a bare NULL as text, which a UNION with histogram branches refuses.
    const QString none = dialect == SqlDialect::Sqlite ? QStringLiteral("NULL") : QStringLiteral("CAST(NULL AS BYTEA)");
    return QStringLiteral("CAST(SUM(total) AS BIGINT), CAST(SUM(good) AS BIGINT), "
                          "CAST(SUM(latency_good) AS BIGINT), CAST(SUM(unknown) AS BIGINT), ")
        + (detail == RollupReader::Detail::WithLatency ? concatBlobsSql(dialect, QStringLiteral("histogram")) : none);
}

// What aggregates() selected, from column `first` on.
EventCounts countsAt(const QSqlQuery &q, int first)
{
    EventCounts c;
    c.total = q.value(first).toULongLong();
    c.good = q.value(first + 1).toULongLong();
    c.latencyGood = q.value(first + 2).toULongLong();
    c.unknown = q.value(first + 3).toULongLong();
    if (!LatencyHistogram::decode(q.value(first + 4).toByteArray(), &c.latency))
        qCWarning(lcStore) << "history: a malformed latency histogram in the rollups was skipped";
    return c;
}

// Numbers only (ids and times from this code), so the text can carry them: a statement whose shape
// depends on the window and the checks is prepared once per call anyway.
QString branch(SqlDialect dialect, const QString &key, RollupResolution resolution, const QString &ids,
               qint64 from, qint64 to, RollupReader::Detail detail = RollupReader::Detail::WithLatency)
{
    return QStringLiteral("SELECT %1, %2 FROM %3 GROUP BY %4")
        .arg(key, aggregates(dialect, detail),
             PackedRollups::rowsSql(dialect, resolution, ids, from, to, detail == RollupReader::Detail::WithLatency),
             key.section(u',', -1).trimmed());
}

// The page cache of the connection (the store's read connection): SQLite's default 2 MB holds a
// fraction of what one pass over hundreds of checks reads — the interior pages of three tables and
// the leaves around the window's edges of every check — so every pass would read them from the
// file again. The writer's connection has 16 MB for the same reason. Pages are only cached as they
// are read, so a small store never grows to it.
void growReadCache(sqlite3 *db)
{
    SqliteStatement cache;
    bool found = false;
    if (cache.prepare(db, QStringLiteral("PRAGMA cache_size"), nullptr) && cache.step(&found, nullptr) && found
        && cache.int64At(0) == kDefaultCacheSize) {
        cache.reset();
        if (cache.prepare(db, QStringLiteral("PRAGMA cache_size = %1").arg(kReadCacheSize), nullptr))
            cache.exec(nullptr);
    }
}

// The four counters of a rollup row, selected as total, good, latency_good, unknown from `first` on.
WindowEdgeCache::Counters countersAt(const SqliteStatement &q, int first)
{
    return {quint64(q.int64At(first)), quint64(q.int64At(first + 1)), quint64(q.int64At(first + 2)),
            quint64(q.int64At(first + 3))};
}

// One read transaction around a pass, so the segments and the horizon that planned them agree even
// while the writer commits. Inside a transaction already (nobody opens one on this connection
// today), the pass reads in that one.
class SqliteRead
{
public:
    bool begin(sqlite3 *db, QString *error)
    {
        if (!m_begin.prepare(db, QStringLiteral("BEGIN"), error) || !m_commit.prepare(db, QStringLiteral("COMMIT"), error))
            return false;
        m_own = sqlite3_get_autocommit(db) != 0;
        return !m_own || m_begin.exec(error);
    }
    // Ends the transaction begun here; returns ok, false when ending it failed.
    bool finish(bool ok, QString *error)
    {
        if (m_own) {
            m_own = false;
            QString ignored;
            // A read transaction has nothing to roll back; COMMIT only ends it.
            if (!m_commit.exec(ok ? error : &ignored) && ok)
                ok = false;
        }
        return ok;
    }

private:
    SqliteStatement m_begin;
    SqliteStatement m_commit;
    bool m_own = false;
};

bool sqliteMinuteHorizon(sqlite3 *db, qint64 *horizon, QString *error)
{
    SqliteStatement q;
    bool found = false;
    if (!q.prepare(db,
                   QStringLiteral("SELECT pruned_before FROM retention_horizon WHERE tier = %1")
                       .arg(int(RetentionTier::Minute)),
                   error)
        || !q.step(&found, error))
        return false;
    *horizon = found ? q.int64At(0) : kNoHorizon;
    return true;
}

// A window's share in a segment or piece: its rows added as planned, or one side of a partial
// hour read as its hour row minus the minutes outside the window (refine()).
struct Use
{
    // EdgeRow: not counted; the row of an hour or day some window starts inside, which says
    // whether the finer rows kept for it still hold (WindowEdgeCache). `window` is then the
    // index of the edge row in MultiPlan::edgeRows.
    enum Role { Plain, RefinedHour, MinutesOutside, EdgeRow };
    int window;
    Role role = Plain;
};

// The parts of [fromMs, toMs) that lie within one bucket of `size` each, in order: f(bucket, from, to).
template<typename F>
void forEachBucketPart(qint64 fromMs, qint64 toMs, qint64 size, F f)
{
    for (qint64 from = fromMs; from < toMs;) {
        const qint64 bucket = floorTo(from, size);
        const qint64 to = std::min(toMs, bucket + size);
        f(bucket, from, to);
        from = to;
    }
}

// A seek costs about as much as reading this many rows (one b-tree descent per range and check).
constexpr qint64 kSeekInRows = 3;

// A window's segments with each minute segment that covers most of an hour replaced by that
// hour's row minus the minutes of the hour outside the window, when that reads fewer rows. The
// burn windows all end now, so each starts inside an hour at the same minute and would read the
// rest of that hour minute by minute — at hh:05 some 55 rows per window and check, where the hour
// row and five minutes do. A minute segment across an hour's end (the 1 h window's, whole hours
// being none) is cut there first. The answer is the same when an hour row is the sum of its
// minute rows, as the writer keeps them: both come from the same results in one transaction.
// Minute segments lie at or after the minute horizon, which is a whole hour, so the hour's other
// minutes are there to take away; and the minute segments of a window are its whole share of
// each hour they touch, so the minutes taken away lie outside the window.
QList<std::pair<RollupReader::Segment, Use>> refine(const QList<RollupReader::Segment> &segments, int window)
{
    QList<std::pair<RollupReader::Segment, Use>> out;
    for (const RollupReader::Segment &whole : segments) {
        if (whole.resolution != RollupResolution::Minute) {
            out.append({whole, {window}});
            continue;
        }
        forEachBucketPart(whole.fromMs, whole.toMs, kHourMs, [&](qint64 hour, qint64 from, qint64 to) {
            const qint64 inside = (to - from) / kMinuteMs;
            const qint64 outside = kHourMs / kMinuteMs - inside;
            if (1 + outside + kSeekInRows < inside) {
                out.append({{RollupResolution::Hour, hour, hour + kHourMs}, {window, Use::RefinedHour}});
                if (hour < from)
                    out.append({{RollupResolution::Minute, hour, from}, {window, Use::MinutesOutside}});
                if (to < hour + kHourMs)
                    out.append({{RollupResolution::Minute, to, hour + kHourMs}, {window, Use::MinutesOutside}});
            } else {
                out.append({{RollupResolution::Minute, from, to}, {window}});
            }
        });
    }
    return out;
}

// Where countsByCheckMulti() reads. Each tier's segments of all windows are cut at every segment
// edge into pieces that lie wholly inside or wholly outside each segment; a piece knows the windows
// it counts for and how. Pieces that touch form a range, read with one seek per check.
struct MultiPlan
{
    struct Piece
    {
        qint64 from;
        qint64 to;
        QVarLengthArray<Use, 8> uses;
    };
    struct Range
    {
        RollupResolution resolution;
        qint64 from;
        qint64 to;
        std::size_t first; // its pieces: [first, last)
        std::size_t last;
        bool latency; // some window of a piece wants the histograms
    };
    // The rest of an hour (day) a counts-only window starts inside: its minute (hour) rows in
    // [from, to), added up from the bucket's finer rows as kept in a WindowEdgeCache rather than
    // read as pieces.
    struct Edge
    {
        RollupResolution tier; // of the bucket: Hour or Day
        qint64 bucket;
        qint64 from;
        qint64 to;
        int window;
    };
    // A bucket some edge lies in, whose own row says whether its kept rows hold. The row is read
    // as a piece (Use::EdgeRow), or, for an hour inside an edge's day, taken from the day's rows.
    struct EdgeRow
    {
        RollupResolution tier;
        qint64 bucket;
        bool read;
    };
    std::vector<Piece> pieces; // by tier, then time
    std::vector<Range> ranges;
    std::vector<Edge> edges; // days first, then hours; by bucket within each
    std::vector<EdgeRow> edgeRows;

    std::size_t edgeRow(RollupResolution tier, qint64 bucket) const
    {
        return std::size_t(std::find_if(edgeRows.cbegin(), edgeRows.cend(),
                                        [&](const EdgeRow &r) { return r.tier == tier && r.bucket == bucket; })
                           - edgeRows.cbegin());
    }
};

// edges: counts-only windows take the rest of the hour and the day they start inside from a
// WindowEdgeCache. Those are hours and days gone by, which the next passes meet again; where a
// window ends, the hour is usually still being written, so that is planned as before.
MultiPlan planMulti(const QList<RollupReader::Window> &windows, qint64 horizon, bool edges)
{
    MultiPlan out;
    std::array<std::vector<std::pair<RollupReader::Segment, Use>>, 3> segments;
    for (qsizetype w = 0; w < windows.size(); ++w) {
        QList<RollupReader::Segment> planned = RollupReader::plan(windows[w].fromMs, windows[w].toMs, horizon);
        if (edges && windows[w].detail == RollupReader::Detail::CountsOnly) {
            QList<RollupReader::Segment> rest;
            for (const RollupReader::Segment &s : std::as_const(planned)) {
                if (s.resolution == RollupResolution::Day) {
                    rest.append(s);
                    continue;
                }
                // Minutes lie in an hour, hours in a day.
                const bool minutes = s.resolution == RollupResolution::Minute;
                const qint64 size = minutes ? kHourMs : kDayMs;
                forEachBucketPart(s.fromMs, s.toMs, size, [&](qint64 bucket, qint64 from, qint64 to) {
                    if (to == bucket + size && from > bucket)
                        out.edges.push_back({minutes ? RollupResolution::Hour : RollupResolution::Day, bucket, from, to, int(w)});
                    else
                        rest.append({s.resolution, from, to});
                });
            }
            planned = rest;
        }
        for (const auto &[s, use] : refine(planned, int(w)))
            segments[std::size_t(s.resolution)].emplace_back(s, use);
    }
    std::stable_sort(out.edges.begin(), out.edges.end(), [](const MultiPlan::Edge &a, const MultiPlan::Edge &b) {
        return std::pair(a.tier == RollupResolution::Hour, a.bucket) < std::pair(b.tier == RollupResolution::Hour, b.bucket);
    });
    for (const MultiPlan::Edge &e : out.edges) {
        if (out.edgeRow(e.tier, e.bucket) < out.edgeRows.size())
            continue;
        const bool inEdgeDay = e.tier == RollupResolution::Hour
            && std::any_of(out.edges.cbegin(), out.edges.cend(), [&](const MultiPlan::Edge &d) {
                   return d.tier == RollupResolution::Day && d.bucket == floorTo(e.bucket, kDayMs);
               });
        out.edgeRows.push_back({e.tier, e.bucket, !inEdgeDay});
        if (!inEdgeDay) {
            const qint64 size = e.tier == RollupResolution::Hour ? kHourMs : kDayMs;
            segments[std::size_t(e.tier)].emplace_back(RollupReader::Segment{e.tier, e.bucket, e.bucket + size},
                                                       Use{int(out.edgeRows.size() - 1), Use::EdgeRow});
        }
    }
    for (const RollupResolution r : kRollupResolutions) {
        const auto &list = segments[std::size_t(r)];
        std::vector<qint64> cuts;
        cuts.reserve(list.size() * 2);
        for (const auto &[s, use] : list) {
            cuts.push_back(s.fromMs);
            cuts.push_back(s.toMs);
        }
        std::sort(cuts.begin(), cuts.end());
        cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
        for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
            MultiPlan::Piece piece{cuts[i], cuts[i + 1], {}};
            bool latency = false;
            // A window's segments of one tier never overlap (the minutes refine() takes away lie
            // outside the window), so it is listed once at most.
            for (const auto &[s, use] : list) {
                if (s.fromMs <= piece.from && piece.to <= s.toMs) {
                    piece.uses.append(use);
                    latency = latency
                        || (use.role != Use::EdgeRow && windows[use.window].detail == RollupReader::Detail::WithLatency);
                }
            }
            if (piece.uses.isEmpty())
                continue; // a gap between windows: nobody's rows
            if (!out.ranges.empty() && out.ranges.back().resolution == r && out.ranges.back().to == piece.from) {
                MultiPlan::Range &range = out.ranges.back();
                range.to = piece.to;
                range.last = out.pieces.size() + 1;
                range.latency = range.latency || latency;
            } else {
                out.ranges.push_back({r, piece.from, piece.to, out.pieces.size(), out.pieces.size() + 1, latency});
            }
            out.pieces.push_back(std::move(piece));
        }
    }
    return out;
}

// A window's counts of one check, or nullopt when the check has no rows in it: the rows read as
// planned, plus the refined hours less the minutes outside the window (see refine()). Should an
// hour hold less than those minutes (tiers that disagree), the difference is read as zero; it is
// never taken from the window's other rows. plainRows: a row was read as planned, so the check is
// in the answer even with zero counts, as countsByCheck() would have it. A refined hour speaks for
// rows in the window when something is left of it (every row the writer makes counts a result).
std::optional<EventCounts> netCounts(EventCounts plain, EventCounts refined, const EventCounts &outside,
                                     bool plainRows)
{
    bool consistent = outside.total <= refined.total && outside.good <= refined.good
        && outside.latencyGood <= refined.latencyGood && outside.unknown <= refined.unknown;
    const auto less = [](quint64 a, quint64 b) { return a > b ? a - b : 0; };
    refined.total = less(refined.total, outside.total);
    refined.good = less(refined.good, outside.good);
    refined.latencyGood = less(refined.latencyGood, outside.latencyGood);
    refined.unknown = less(refined.unknown, outside.unknown);
    if (!outside.latency.isEmpty())
        consistent = refined.latency.subtract(outside.latency) && consistent;
    if (!consistent) {
        qCWarning(lcStore) << "history: an hour's rollup holds less than its minutes; the difference was read as zero";
        refined = {};
    }
    const bool refinedRows = refined.total + refined.unknown > 0;
    if (!plainRows && !refinedRows)
        return std::nullopt;
    plain.merge(refined);
    return plain;
}

} // namespace

RollupReader::RollupReader(const QSqlDatabase &db, SqlDialect dialect, WindowEdgeCache *edges)
    : m_db(db)
    , m_dialect(dialect)
    , m_edges(edges)
{
}

QList<RollupReader::Segment> RollupReader::plan(qint64 fromMs, qint64 toMs, qint64 minuteHorizonMs)
{
    QList<Segment> out;
    fromMs = clampTime(fromMs);
    toMs = clampTime(toMs);
    if (toMs <= fromMs)
        return out;
    // Retention cuts minutes at whole hours; a horizon from elsewhere is rounded the safe way.
    const qint64 horizon = minuteHorizonMs == kNoHorizon ? kNoHorizon : ceilTo(minuteHorizonMs, kHourMs);
    const qint64 a = fromMs < horizon ? floorTo(fromMs, kHourMs) : floorTo(fromMs, kMinuteMs);
    const qint64 b = toMs <= horizon ? ceilTo(toMs, kHourMs) : ceilTo(toMs, kMinuteMs);
    const auto add = [&](RollupResolution r, qint64 f, qint64 t) {
        if (f < t)
            out.append(Segment{r, f, t});
    };
    // Only an edge at or after the horizon can fall inside an hour, so minute pieces never reach
    // below it.
    const auto hoursAndMinutes = [&](qint64 f, qint64 t) {
        const qint64 h1 = ceilTo(f, kHourMs), h2 = floorTo(t, kHourMs);
        if (h1 < h2) {
            add(RollupResolution::Minute, f, h1);
            add(RollupResolution::Hour, h1, h2);
            add(RollupResolution::Minute, h2, t);
        } else {
            add(RollupResolution::Minute, f, t);
        }
    };
    const qint64 d1 = ceilTo(a, kDayMs), d2 = floorTo(b, kDayMs);
    if (d1 < d2) {
        hoursAndMinutes(a, d1);
        add(RollupResolution::Day, d1, d2);
        hoursAndMinutes(d2, b);
    } else {
        hoursAndMinutes(a, b);
    }
    return out;
}

std::optional<qint64> RollupReader::minuteHorizon(QString *error) const
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT pruned_before FROM retention_horizon WHERE tier = %1")
                    .arg(int(RetentionTier::Minute)))) {
        *error = q.lastError().text().trimmed();
        return std::nullopt;
    }
    return q.next() ? q.value(0).toLongLong() : kNoHorizon;
}

bool RollupReader::countsByCheck(const QList<qint64> &checkIds, qint64 fromMs, qint64 toMs,
                                 QHash<qint64, EventCounts> *out, QString *error, Detail detail) const
{
    out->clear();
    if (checkIds.isEmpty() || toMs <= fromMs)
        return true;
    if (m_dialect == SqlDialect::Sqlite) {
        if (sqlite3 *db = SqliteStatement::handleOf(m_db))
            return countsByCheckSqlite(db, checkIds, fromMs, toMs, out, error, detail);
    }
    const auto horizon = minuteHorizon(error);
    if (!horizon)
        return false;
    const QString ids = idList(checkIds);
    QStringList branches;
    const QList<Segment> segments = plan(fromMs, toMs, *horizon);
    for (const Segment &s : segments)
        branches << branch(m_dialect, QStringLiteral("check_id"), s.resolution, ids, s.fromMs, s.toMs, detail);
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(branches.join(QLatin1String(" UNION ALL ")))) {
        *error = q.lastError().text().trimmed();
        return false;
    }
    while (q.next()) {
        const qint64 id = q.value(0).toLongLong();
        const EventCounts c = countsAt(q, 1);
        auto it = out->find(id);
        if (it == out->end())
            out->insert(id, c);
        else
            it->merge(c);
    }
    return true;
}

bool RollupReader::countsByCheckMulti(const QList<qint64> &checkIds, const QList<Window> &windows,
                                      QList<QHash<qint64, EventCounts>> *out, QString *error) const
{
    out->clear();
    out->resize(windows.size());
    if (checkIds.isEmpty() || windows.isEmpty())
        return true;
    if (m_dialect == SqlDialect::Sqlite) {
        if (sqlite3 *db = SqliteStatement::handleOf(m_db))
            return countsByCheckMultiSqlite(db, checkIds, windows, out, error);
    }
    const auto horizon = minuteHorizon(error);
    if (!horizon)
        return false;
    const MultiPlan reads = planMulti(windows, *horizon, false);
    if (reads.pieces.empty())
        return true;
    // One grouped branch per piece: the database still does the adding, and a row shared by
    // several windows is read and sent once.
    const QString ids = idList(checkIds);
    QStringList branches;
    for (const MultiPlan::Range &range : reads.ranges) {
        for (std::size_t i = range.first; i < range.last; ++i) {
            const MultiPlan::Piece &piece = reads.pieces[i];
            const bool latency = std::any_of(piece.uses.cbegin(), piece.uses.cend(), [&](const Use &u) {
                return windows[u.window].detail == Detail::WithLatency;
            });
            branches << branch(m_dialect, QStringLiteral("%1, check_id").arg(qulonglong(i)), range.resolution, ids, piece.from,
                               piece.to, latency ? Detail::WithLatency : Detail::CountsOnly);
        }
    }
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(branches.join(QLatin1String(" UNION ALL ")))) {
        *error = q.lastError().text().trimmed();
        return false;
    }
    // Per window and check, what each role (Use::Role) read; plainRows as in netCounts().
    struct Sum
    {
        std::array<EventCounts, 3> byRole;
        bool plainRows = false;
    };
    std::vector<QHash<qint64, Sum>> sums(std::size_t(windows.size()));
    while (q.next()) {
        const qint64 i = q.value(0).toLongLong();
        if (i < 0 || std::size_t(i) >= reads.pieces.size())
            continue;
        const qint64 id = q.value(1).toLongLong();
        const EventCounts c = countsAt(q, 2);
        for (const Use &use : reads.pieces[std::size_t(i)].uses) {
            EventCounts rows = c;
            if (windows[use.window].detail == Detail::CountsOnly)
                rows.latency = {};
            Sum &sum = sums[std::size_t(use.window)][id];
            sum.byRole[use.role].merge(rows);
            sum.plainRows = sum.plainRows || use.role == Use::Plain;
        }
    }
    for (std::size_t w = 0; w < sums.size(); ++w) {
        for (auto it = sums[w].cbegin(); it != sums[w].cend(); ++it) {
            const Sum &sum = it.value();
            if (const auto c = netCounts(sum.byRole[Use::Plain], sum.byRole[Use::RefinedHour],
                                         sum.byRole[Use::MinutesOutside], sum.plainRows))
                (*out)[qsizetype(w)].insert(it.key(), *c);
        }
    }
    return true;
}

// countsByCheckSqlite() over a MultiPlan: one seek per range and check, every row counted for the
// windows of its piece in the role it plays for each (Use::Role). The sums stay per (check,
// window, role) until the end, and their histogram bytes are concatenated and decoded once.
bool RollupReader::countsByCheckMultiSqlite(sqlite3 *db, const QList<qint64> &checkIds, const QList<Window> &windows,
                                            QList<QHash<qint64, EventCounts>> *out, QString *error) const
{
    growReadCache(db);
    SqliteRead read;
    if (!read.begin(db, error))
        return false;
    qint64 horizon = kNoHorizon;
    if (!sqliteMinuteHorizon(db, &horizon, error))
        return read.finish(false, error);

    QList<qint64> ids = checkIds;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    const MultiPlan reads = planMulti(windows, horizon, m_edges != nullptr);
    const std::size_t windowCount = std::size_t(windows.size());
    std::vector<bool> latency(windowCount);
    for (std::size_t w = 0; w < windowCount; ++w)
        latency[w] = windows[qsizetype(w)].detail == Detail::WithLatency;

    using Counters = WindowEdgeCache::Counters;
    // Per check and window, what each role (Use::Role) read; plainRows as in netCounts().
    struct Sum
    {
        std::array<Counters, 3> byRole;
        bool plainRows = false;
    };
    std::vector<Sum> sums(std::size_t(ids.size()) * windowCount);
    // The histogram bytes, per role: [role][check * windowCount + window].
    std::array<std::vector<QByteArray>, 3> histograms;
    for (auto &list : histograms)
        list.resize(sums.size());

    // The rows of the buckets edges lie in, per check: [edge row * checks + check].
    std::vector<std::optional<Counters>> edgeRows(reads.edgeRows.size() * std::size_t(ids.size()));
    std::vector<std::pair<qint64, Counters>> finerRows;

    // Per tier, without and with the histogram column.
    std::array<SqliteStatement, 6> select;
    for (const MultiPlan::Range &range : reads.ranges) {
        SqliteStatement &q = select[std::size_t(range.resolution) * 2 + (range.latency ? 1 : 0)];
        if (!q.isPrepared()
            && !q.prepare(db,
                          QStringLiteral("SELECT bucket, total, good, latency_good, unknown%1 FROM %2 "
                                         "WHERE check_id = ? AND bucket >= ? AND bucket < ? ORDER BY bucket")
                              .arg(range.latency ? QStringLiteral(", histogram") : QString(), rollupTable(range.resolution)),
                          error))
            return read.finish(false, error);
        q.bindInt64(1, range.from);
        q.bindInt64(2, range.to);
        const auto first = reads.pieces.cbegin() + qsizetype(range.first);
        const auto last = reads.pieces.cbegin() + qsizetype(range.last);
        for (qsizetype c = 0; c < ids.size(); ++c) {
            q.bindInt64(0, ids[c]);
            const std::size_t at = std::size_t(c) * windowCount;
            auto piece = first;
            for (;;) {
                bool row = false;
                if (!q.step(&row, error))
                    return read.finish(false, error);
                if (!row)
                    break;
                const qint64 bucket = q.int64At(0);
                // Rows come in key order, so the piece is usually the one before.
                if (bucket < piece->from || bucket >= piece->to) {
                    piece = std::upper_bound(first, last, bucket,
                                             [](qint64 at, const MultiPlan::Piece &p) { return at < p.from; });
                    if (piece == first)
                        continue; // not in the range (the query excludes it)
                    --piece;
                }
                const Counters counters = countersAt(q, 1);
                for (const Use &use : piece->uses) {
                    if (use.role == Use::EdgeRow) {
                        edgeRows[std::size_t(use.window) * std::size_t(ids.size()) + std::size_t(c)] = counters;
                        continue;
                    }
                    Sum &sum = sums[at + std::size_t(use.window)];
                    sum.byRole[use.role].add(counters);
                    sum.plainRows = sum.plainRows || use.role == Use::Plain;
                    if (latency[std::size_t(use.window)])
                        histograms[use.role][at + std::size_t(use.window)].append(q.blobAt(5));
                }
            }
            q.reset();
        }
    }

    // The edges, days before hours: each bucket's row (read above, or for an hour inside an edge's
    // day, among that day's rows), then its finer rows as kept, or read and kept.
    if (!reads.edges.empty()) {
        m_edges->beginPass();
        for (auto first = reads.edges.cbegin(); first != reads.edges.cend();) {
            const RollupResolution tier = first->tier;
            const qint64 bucket = first->bucket;
            const auto last = std::find_if(first, reads.edges.cend(), [&](const MultiPlan::Edge &e) {
                return e.tier != tier || e.bucket != bucket;
            });
            const RollupResolution finer = tier == RollupResolution::Day ? RollupResolution::Hour : RollupResolution::Minute;
            const qint64 size = tier == RollupResolution::Day ? kDayMs : kHourMs;
            SqliteStatement &q = select[std::size_t(finer) * 2];
            if (!q.isPrepared()
                && !q.prepare(db,
                              QStringLiteral("SELECT bucket, total, good, latency_good, unknown FROM %1 "
                                             "WHERE check_id = ? AND bucket >= ? AND bucket < ? ORDER BY bucket")
                                  .arg(rollupTable(finer)),
                              error))
                return read.finish(false, error);
            q.bindInt64(1, bucket);
            q.bindInt64(2, bucket + size);
            const std::size_t row = reads.edgeRow(tier, bucket);
            for (qsizetype c = 0; c < ids.size(); ++c) {
                const std::optional<Counters> &own = edgeRows[row * std::size_t(ids.size()) + std::size_t(c)];
                const WindowEdgeCache::Rows *kept = own ? m_edges->find(tier, ids[c], bucket, *own) : nullptr;
                std::optional<WindowEdgeCache::Rows> fresh;
                if (!kept) {
                    finerRows.clear();
                    q.bindInt64(0, ids[c]);
                    for (;;) {
                        bool more = false;
                        if (!q.step(&more, error))
                            return read.finish(false, error);
                        if (!more)
                            break;
                        finerRows.emplace_back(q.int64At(0), countersAt(q, 1));
                    }
                    q.reset();
                    kept = &fresh.emplace(finerRows);
                    if (own)
                        m_edges->keep(tier, ids[c], bucket, *own, *kept);
                }
                for (auto e = first; e != last; ++e) {
                    qsizetype n = 0;
                    const Counters part = kept->sum(e->from, e->to, &n);
                    if (n == 0)
                        continue;
                    Sum &sum = sums[std::size_t(c) * windowCount + std::size_t(e->window)];
                    sum.byRole[Use::Plain].add(part);
                    sum.plainRows = true;
                }
                // The rows of the hours inside this day that other edges lie in.
                if (tier == RollupResolution::Day) {
                    for (std::size_t r = 0; r < reads.edgeRows.size(); ++r) {
                        const MultiPlan::EdgeRow &hour = reads.edgeRows[r];
                        Counters counters;
                        if (!hour.read && hour.tier == RollupResolution::Hour && floorTo(hour.bucket, kDayMs) == bucket
                            && kept->at(hour.bucket, &counters))
                            edgeRows[r * std::size_t(ids.size()) + std::size_t(c)] = counters;
                    }
                }
            }
            first = last;
        }
    }

    const auto decoded = [](const Counters &counters, const QByteArray &histogram) {
        EventCounts e;
        e.total = counters.total;
        e.good = counters.good;
        e.latencyGood = counters.latencyGood;
        e.unknown = counters.unknown;
        if (!histogram.isEmpty() && !LatencyHistogram::decode(histogram, &e.latency))
            qCWarning(lcStore) << "history: a malformed latency histogram in the rollups was skipped";
        return e;
    };
    for (std::size_t w = 0; w < windowCount; ++w) {
        QHash<qint64, EventCounts> &counts = (*out)[qsizetype(w)];
        for (qsizetype c = 0; c < ids.size(); ++c) {
            const std::size_t at = std::size_t(c) * windowCount + w;
            const Sum &s = sums[at];
            const auto none = [&](Use::Role r) { return s.byRole[r].total + s.byRole[r].unknown == 0; };
            if (!s.plainRows && none(Use::RefinedHour) && none(Use::MinutesOutside))
                continue; // no rows in the window
            const auto role = [&](Use::Role r) { return decoded(s.byRole[r], histograms[r][at]); };
            const auto net = netCounts(role(Use::Plain), role(Use::RefinedHour), role(Use::MinutesOutside), s.plainRows);
            if (net)
                counts.insert(ids[c], *net);
        }
    }
    return read.finish(true, error);
}

// The same answer as the grouped query, added up here. In a process of its own SQLite's aggregates
// are what a pass over hundreds of checks spends its time on: a statement of ~1,500 opcodes compiled
// per call (an IN list of every check, per segment), the list built into a temporary index per run,
// five aggregate calls per row, and group_concat() growing a string through every row. Here three
// small statements are prepared once per call and run per check and segment — one seek, then the
// rows in key order — and the histogram bytes of a (check, segment) group are concatenated and
// decoded once, as the query would have. Everything is read in one read transaction (SqliteRead).
bool RollupReader::countsByCheckSqlite(sqlite3 *db, const QList<qint64> &checkIds, qint64 fromMs, qint64 toMs,
                                       QHash<qint64, EventCounts> *out, QString *error, Detail detail) const
{
    const bool withLatency = detail == Detail::WithLatency;
    growReadCache(db);
    SqliteRead read;
    if (!read.begin(db, error))
        return false;
    const auto finish = [&](bool ok) { return read.finish(ok, error); };
    qint64 horizon = kNoHorizon;
    if (!sqliteMinuteHorizon(db, &horizon, error))
        return finish(false);

    // Each check once (an IN list counts a repeated id once), in key order.
    QList<qint64> ids = checkIds;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());

    std::array<SqliteStatement, 3> select;
    QByteArray histograms;
    const QString columns = withLatency ? QStringLiteral("total, good, latency_good, unknown, histogram")
                                        : QStringLiteral("total, good, latency_good, unknown");
    const QList<Segment> segments = plan(fromMs, toMs, horizon);
    for (const Segment &s : segments) {
        SqliteStatement &q = select[std::size_t(s.resolution)];
        if (!q.isPrepared()
            && !q.prepare(db,
                          QStringLiteral("SELECT %1 FROM %2 WHERE check_id = ? AND bucket >= ? AND bucket < ?")
                              .arg(columns, rollupTable(s.resolution)),
                          error))
            return finish(false);
        q.bindInt64(1, s.fromMs);
        q.bindInt64(2, s.toMs);
        for (const qint64 id : std::as_const(ids)) {
            q.bindInt64(0, id);
            EventCounts c;
            histograms.clear();
            bool rows = false;
            for (;;) {
                bool row = false;
                if (!q.step(&row, error))
                    return finish(false);
                if (!row)
                    break;
                rows = true;
                c.total += quint64(q.int64At(0));
                c.good += quint64(q.int64At(1));
                c.latencyGood += quint64(q.int64At(2));
                c.unknown += quint64(q.int64At(3));
                if (withLatency)
                    histograms.append(q.blobAt(4));
            }
            q.reset();
            if (!rows)
                continue; // the grouped query has no row for it either
            if (withLatency && !LatencyHistogram::decode(histograms, &c.latency))
                qCWarning(lcStore) << "history: a malformed latency histogram in the rollups was skipped";
            auto it = out->find(id);
            if (it == out->end())
                out->insert(id, c);
            else
                it->merge(c);
        }
    }
    return finish(true);
}

bool RollupReader::series(const QList<qint64> &checkIds, qint64 fromMs, qint64 toMs, qint64 stepMs,
                          QList<QPair<qint64, EventCounts>> *out, QString *error) const
{
    out->clear();
    fromMs = clampTime(fromMs);
    toMs = clampTime(toMs);
    if (stepMs <= 0 || toMs <= fromMs)
        return true;
    stepMs = std::min(stepMs, kTimeLimit);
    const qint64 first = floorTo(fromMs, stepMs);
    const qint64 count = (ceilTo(toMs, stepMs) - first) / stepMs;
    if (count > kMaxSeriesBuckets) {
        *error = QStringLiteral("a series of %1 points was asked for; at most %2 are drawn, use a longer step")
                     .arg(count)
                     .arg(kMaxSeriesBuckets);
        return false;
    }
    out->reserve(count);
    for (qint64 k = 0; k < count; ++k)
        out->append({first + k * stepMs, EventCounts{}});
    if (checkIds.isEmpty())
        return true;
    const auto horizon = minuteHorizon(error);
    if (!horizon)
        return false;

    // Which point each piece of each tier belongs to. Neighbouring points aligned outward may
    // share a bucket; it then counts in both, as it would for each of them asked alone.
    struct Piece
    {
        qint64 from;
        qint64 to;
        qsizetype point;
    };
    std::array<std::vector<Piece>, 3> pieces;
    for (qint64 k = 0; k < count; ++k) {
        const qint64 start = first + k * stepMs;
        const QList<Segment> segments = plan(start, start + stepMs, *horizon);
        for (const Segment &s : segments)
            pieces[std::size_t(s.resolution)].push_back({s.fromMs, s.toMs, qsizetype(k)});
    }

    const QString ids = idList(checkIds);
    QStringList branches;
    for (const RollupResolution r : kRollupResolutions) {
        auto &list = pieces[std::size_t(r)];
        std::sort(list.begin(), list.end(), [](const Piece &x, const Piece &y) { return x.from < y.from; });
        // One range query per run of touching pieces.
        for (std::size_t i = 0; i < list.size();) {
            qint64 from = list[i].from, to = list[i].to;
            std::size_t j = i + 1;
            while (j < list.size() && list[j].from <= to) {
                to = std::max(to, list[j].to);
                ++j;
            }
            branches << branch(m_dialect, QStringLiteral("%1, bucket").arg(int(r)), r, ids, from, to);
            i = j;
        }
    }
    if (branches.isEmpty())
        return true;
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(branches.join(QLatin1String(" UNION ALL ")))) {
        *error = q.lastError().text().trimmed();
        return false;
    }
    std::array<std::vector<std::pair<qint64, EventCounts>>, 3> rows;
    while (q.next()) {
        const int r = q.value(0).toInt();
        if (r < 0 || r > 2)
            continue;
        rows[std::size_t(r)].emplace_back(q.value(1).toLongLong(), countsAt(q, 2));
    }
    for (std::size_t r = 0; r < 3; ++r) {
        auto &list = rows[r];
        std::sort(list.begin(), list.end(), [](const auto &x, const auto &y) { return x.first < y.first; });
        for (const Piece &p : pieces[r]) {
            auto it = std::lower_bound(list.cbegin(), list.cend(), p.from,
                                       [](const auto &row, qint64 at) { return row.first < at; });
            for (; it != list.cend() && it->first < p.to; ++it)
                (*out)[p.point].second.merge(it->second);
        }
    }
    return true;
}
