// opsdeck-historybench — what the history store costs in a steady state: the SLO pass over every
// service, one chart, ingest, a retention pass and the bytes per check. bench/history-bench.sh
// runs it once per backend and puts the two side by side; run it by hand for one backend:
//
//   opsdeck-historybench --backend sqlite --db /tmp/h.sqlite [--checks 500] [--days 400] [--runs 5]
//   opsdeck-historybench --backend postgresql --pg-url postgresql://postgres@127.0.0.1:5432/hb
//
// It fills an empty store (a SQLite file that must not exist yet, or an empty PostgreSQL database)
// the way years of probing would have: N checks of one service each at a 10 s interval, day and
// hour rollups for --days, minute rollups for the last 14 days, raw results for the last 48 hours,
// all written in time order and interleaved across the checks (so the b-trees fill the way they do
// in the field, not packed). Rollups go in through HistoryStore::writeRollup(), raw results through
// record() (which maintains their rollups, as ingest does); nothing is probed. One retention pass
// then records the horizons. Then --runs times, each at the store's current "now":
//   slo      SloMonitor::computeAll() over a Config of the N services (99.9 %, latency 400 ms, 30 d):
//            the product's SLO pass, 7 countsByService() queries (the window and six burn windows)
//            in one read; also at every minute of the hour before now, mean and slowest, as the
//            monitor's passes follow one another
//   counts   countsByService() over the 30-day window alone
//   chart    one service's 30-day series() at a 1 h step, then P95 and P99 of every point
//   ingest   --ingest results (N checks in time order from "now" on) through record() + flush(),
//            rollups maintained; results/s by the wall clock and CPU µs/result of the process
//   retain   10 more minutes of results, then runRetention(now): its time and rows deleted. "now"
//            is put at 5 past an hour, so the pass also prunes an hour of minute rows: the
//            heaviest of an hour's six passes (the other five delete 10 minutes of raw rows only).
//            The results between ingest and those 10 minutes go in untimed: no gaps in the history
// and at the end the database size per check (databaseSizeBytes() / N) and where the bytes are.
// With --no-fill --reads-only only slo, counts and chart are measured, at the store's newest
// result, and nothing is written: the same store can measure two builds in turn. After a fill the
// store is opened again, as a store in the field is.
//
// Output: progress on stderr; on stdout one fact per line for the script to parse:
//   INFO key value…     the set-up
//   FILL key value      the fill
//   RUN r key value     run r's measurements
//   SIZE key value      sizes in the steady state (right after the fill) and at the end
//   TABLE phase name bytes rows    per table
//   CHECK name ok|FAIL detail      a sanity check of what was measured; FAIL means the figure is void
// Exit status 0 when every CHECK is ok, 1 when one failed, 2 on a usage or set-up error.

#include "config.h"
#include "historystore.h"
#include "latencyhistogram.h"
#include "retentionpolicy.h"
#include "rollupresolution.h"
#include "slomonitor.h"
#include "storelocation.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>

namespace {

constexpr qint64 kIntervalMs = 10'000;
constexpr double kLatencyObjectiveMs = 400;
constexpr qsizetype kQueueLimit = 3'000'000;
constexpr qsizetype kFillBacklog = 400'000; // the producer waits when this many rows are queued

// ---- output ---------------------------------------------------------------------------------

void out(const QString &line)
{
    std::fputs(qPrintable(line + u'\n'), stdout);
    std::fflush(stdout);
}

void progress(const QString &line)
{
    std::fputs(qPrintable(QStringLiteral("historybench: ") + line + u'\n'), stderr);
}

QString num(double v, int decimals = 3)
{
    return QString::number(v, 'f', decimals);
}

int g_failedChecks = 0;

void check(const QString &name, bool ok, const QString &detail)
{
    if (!ok)
        ++g_failedChecks;
    out(QStringLiteral("CHECK %1 %2 %3").arg(name, ok ? QStringLiteral("ok") : QStringLiteral("FAIL"), detail));
}

// User + system CPU time of the whole process (every thread: the writer's too), in µs.
qint64 processCpuUs()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (qint64(u.ru_utime.tv_sec) + qint64(u.ru_stime.tv_sec)) * 1'000'000 + u.ru_utime.tv_usec
           + u.ru_stime.tv_usec;
}

// ---- synthetic probing ------------------------------------------------------------------------

// splitmix64: seeded per (check, hour) in a nanosecond, so the minute rows of an hour can be drawn
// twice (once for the day's sum, once when they are written) without keeping them.
class Rng
{
public:
    explicit Rng(quint64 seed)
        : m_state(seed)
    {
    }
    quint64 next()
    {
        quint64 z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * 0x1.0p-53; } // [0, 1)
    bool chance(double p) { return uniform() < p; }
    double normal()
    {
        const double u1 = std::max(uniform(), 1e-300), u2 = uniform();
        return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
    }
    int poisson(double lambda) // small lambda only
    {
        const double limit = std::exp(-lambda);
        int k = 0;
        for (double p = uniform(); p > limit; p *= uniform())
            ++k;
        return k;
    }

private:
    quint64 m_state;
};

quint64 seedFor(quint64 base, qint64 a, qint64 b)
{
    Rng r(base ^ (quint64(a) * 0x100000001b3ULL) ^ (quint64(b) << 17));
    return r.next();
}

// How one check behaves: a typical latency, rare failures, and now and then a bad stretch (an
// incident) in which nearly everything fails slowly.
struct Profile
{
    double centreMs = 50;
    double sigma = 0.35;               // of the log-normal latency
    double downChance = 0.0004;        // an HTTP 503 now and then
    double networkErrorChance = 0.0002; // refused / reset: down, latency not charted
    double unknownChance = 0.0002;      // OpsDeck could not judge (blind)
    double badMinuteChance = 1.0 / 5000; // an incident minute about every 3.5 days
    double badHourChance = 1.0 / 300;    // the same, seen from the hour tier
    // The log-normal's share of each histogram bucket around the centre, for drawHour().
    std::vector<std::pair<int, double>> bucketShares;
};

Profile profileFor(int check)
{
    Profile p;
    // 15 to 260 ms: most checks fast, a few slow enough to miss the 400 ms objective now and then.
    p.centreMs = 15 + double((check * 37) % 100) * 2.5;
    const double mu = std::log(p.centreMs);
    const auto cdf = [&](double ms) { return ms <= 0 ? 0.0 : 0.5 * std::erfc(-(std::log(ms) - mu) / (p.sigma * M_SQRT2)); };
    const int centre = LatencyHistogram::bucketFor(p.centreMs);
    for (int b = std::max(1, centre - 30); b <= std::min(LatencyHistogram::kBuckets - 2, centre + 30); ++b)
        p.bucketShares.emplace_back(b, cdf(LatencyHistogram::upperBound(b)) - cdf(LatencyHistogram::lowerBound(b)));
    return p;
}

struct Event
{
    Health outcome = Health::Ok;
    double latencyMs = -1;
    int httpStatus = 200;
    bool networkError = false;
};

Event drawEvent(const Profile &p, Rng &rng, bool incident)
{
    Event e;
    if (rng.chance(p.unknownChance)) {
        e.outcome = Health::Unknown;
        e.httpStatus = 0;
        return e;
    }
    e.latencyMs = p.centreMs * std::exp(p.sigma * rng.normal()) * (incident ? 6 : 1);
    if (incident ? rng.chance(0.9) : rng.chance(p.downChance)) {
        e.outcome = Health::Down;
        e.httpStatus = 503;
    } else if (rng.chance(p.networkErrorChance)) {
        e.outcome = Health::Down;
        e.httpStatus = 0;
        e.networkError = true;
        e.latencyMs = 0.2 + rng.uniform();
    }
    return e;
}

// What the writer would count for these events (as RollupWriter's addEvent does).
void countEvent(EventCounts *c, const Event &e)
{
    if (e.outcome == Health::Unknown || e.outcome == Health::Stale) {
        ++c->unknown;
        return;
    }
    ++c->total;
    if (e.outcome != Health::Down) {
        ++c->good;
        if (e.latencyMs >= 0 && e.latencyMs <= kLatencyObjectiveMs)
            ++c->latencyGood;
    }
    if (e.latencyMs >= 0 && !e.networkError)
        c->latency.add(e.latencyMs);
}

EventCounts drawMinute(const Profile &p, Rng &rng, int events)
{
    EventCounts c;
    const bool incident = rng.chance(p.badMinuteChance);
    for (int i = 0; i < events; ++i)
        countEvent(&c, drawEvent(p, rng, incident));
    return c;
}

// An hour before the minute horizon, drawn as a whole: 360 events one by one for every hour of
// 400 days would cost minutes. Bucket counts follow the log-normal (with noise), failures are
// Poisson, an incident hour has a stretch of failures.
EventCounts drawHour(const Profile &p, Rng &rng, int events)
{
    EventCounts c;
    c.unknown = quint64(std::min(events, rng.poisson(events * p.unknownChance)));
    c.total = quint64(events) - c.unknown;
    quint64 down = quint64(rng.poisson(double(c.total) * (p.downChance + p.networkErrorChance)));
    if (rng.chance(p.badHourChance))
        down += quint64(rng.uniform() * double(c.total) / 3);
    down = std::min(down, c.total);
    c.good = c.total - down;
    // The latencies: expected count per histogram bucket from the log-normal, plus noise.
    quint64 placed = 0;
    quint64 slow = 0;
    for (const auto &[b, share] : p.bucketShares) {
        const double lo = LatencyHistogram::lowerBound(b);
        const double expected = double(c.total) * share;
        if (expected < 0.01)
            continue;
        const double drawn = expected + std::sqrt(expected) * rng.normal();
        const quint64 n = std::min<quint64>(c.total - placed, quint64(std::max(0.0, std::round(drawn))));
        if (n == 0)
            continue;
        c.latency.add(lo * 1.01, quint32(n));
        placed += n;
        if (lo * 1.01 > kLatencyObjectiveMs)
            slow += n;
    }
    if (placed < c.total)
        c.latency.add(p.centreMs, quint32(c.total - placed));
    c.latencyGood = c.good - std::min(c.good, quint64(std::llround(double(slow) * double(c.good) / double(std::max<quint64>(1, c.total)))));
    return c;
}

// ---- the steady state -------------------------------------------------------------------------

struct Setup
{
    int checks = 500;
    int days = 400;
    int runs = 5;
    qint64 ingest = 200'000;
    quint64 seed = 20261123;
    StoreLocation location;
    bool postgres = false;
    bool fill = true; // false: measure a store an earlier run filled (and left with --keep)
    bool readsOnly = false; // with !fill: the SLO pass, counts and chart only; the store is left as it is
};

class Bench
{
public:
    explicit Bench(const Setup &setup)
        : m_setup(setup)
    {
        m_services.reserve(setup.checks);
        m_profiles.reserve(setup.checks);
        for (int c = 0; c < setup.checks; ++c) {
            m_services << QStringLiteral("svc-%1").arg(c, 3, 10, QLatin1Char('0'));
            m_profiles.push_back(profileFor(c));
        }
        // Noon UTC on 2026-11-23; only the alignment matters (a UTC midnight plus 12 h).
        m_now = QDateTime(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch();
        for (const QString &s : std::as_const(m_services)) {
            ServiceConfig svc;
            svc.name = s;
            CheckConfig check;
            check.name = m_check;
            check.intervalMs = kIntervalMs;
            svc.checks << check;
            svc.slo.availability = 99.9;
            svc.slo.latencyMs = kLatencyObjectiveMs;
            svc.slo.windowMs = 30 * kDayMs;
            m_config.services << svc;
            m_thresholds.insert(s, kLatencyObjectiveMs);
        }
    }

    bool open()
    {
        RetentionPolicy policy; // the defaults: 48 h raw, 14 d minutes, 400 d hours and days
        policy.autoIntervalMs = 0; // the passes are the benchmark's to time
        m_store.setRetention(policy);
        QString why;
        if (!m_store.open(m_setup.location, &why)) {
            progress(QStringLiteral("cannot open the store: ") + why);
            return false;
        }
        m_store.setQueueLimit(kQueueLimit);
        m_store.setLatencyThresholds(m_thresholds);
        // The bench's own connection, for row counts and per-table sizes only.
        QSqlDatabase db = QSqlDatabase::addDatabase(m_setup.postgres ? QStringLiteral("QPSQL") : QStringLiteral("QSQLITE"),
                                                    QStringLiteral("historybench-raw"));
        if (m_setup.postgres) {
            db.setHostName(m_setup.location.host);
            db.setPort(m_setup.location.port);
            db.setUserName(m_setup.location.user);
            db.setPassword(m_setup.location.password);
            db.setDatabaseName(m_setup.location.database);
        } else {
            db.setDatabaseName(m_setup.location.path);
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        }
        if (!db.open()) {
            progress(QStringLiteral("cannot open the bench's own connection: ") + db.lastError().text());
            return false;
        }
        return true;
    }

    bool fill();
    bool resume();
    void measure();
    void sizes(const QString &phase);

private:
    bool backlog() // keeps the queue (and memory) bounded while the producer runs ahead
    {
        if (m_store.pendingWrites() < kFillBacklog)
            return true;
        while (m_store.pendingWrites() > kFillBacklog / 2) {
            if (!m_store.lastError().isEmpty() && m_store.pendingWrites() >= kFillBacklog) {
                // Writes fail: flush() says whether it is for good.
                if (!m_store.flush())
                    return false;
            }
            QThread::msleep(5);
        }
        return true;
    }
    CheckResult result(int c, qint64 atMs, const Event &e) const
    {
        CheckResult r;
        r.service = m_services.at(c);
        r.check = m_check;
        r.atMs = atMs;
        r.outcome = e.outcome;
        r.latencyMs = e.latencyMs;
        r.httpStatus = e.httpStatus;
        r.networkError = e.networkError;
        if (e.networkError) {
            r.error = QStringLiteral("connection refused");
        } else if (e.outcome == Health::Down) {
            r.failedCondition = QStringLiteral("[STATUS] == 200");
            r.actualValue = QStringLiteral("503");
        } else if (e.outcome == Health::Unknown) {
            r.error = QStringLiteral("OpsDeck is blind: every host failed at once");
        }
        return r;
    }
    // Results of every check for [fromMs, toMs), in time order, each check at its own offset in
    // the interval (as a scheduler spreads them).
    QList<CheckResult> results(qint64 fromMs, qint64 toMs)
    {
        QList<CheckResult> rows;
        rows.reserve(qsizetype((toMs - fromMs) / kIntervalMs + 1) * m_setup.checks);
        for (qint64 t = fromMs; t < toMs; t += kIntervalMs) {
            for (int c = 0; c < m_setup.checks; ++c) {
                const qint64 at = t + qint64(c) * kIntervalMs / m_setup.checks;
                Rng &rng = m_liveRng;
                const bool incident = rng.chance(m_profiles[std::size_t(c)].badMinuteChance);
                rows.append(result(c, at, drawEvent(m_profiles[std::size_t(c)], rng, incident)));
            }
        }
        return rows;
    }
    bool recordAll(const QList<CheckResult> &rows)
    {
        for (const CheckResult &r : rows)
            m_store.record(r);
        return m_store.flush();
    }
    qint64 countAll(const QString &table)
    {
        QSqlQuery q(QSqlDatabase::database(QStringLiteral("historybench-raw"), false));
        if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM ") + table) || !q.next())
            return -1;
        return q.value(0).toLongLong();
    }

    Setup m_setup;
    HistoryStore m_store;
    QStringList m_services;
    const QString m_check = QStringLiteral("http");
    std::vector<Profile> m_profiles;
    Config m_config;
    QHash<QString, double> m_thresholds;
    qint64 m_now = 0;
    Rng m_liveRng{20261123};
};

bool Bench::fill()
{
    const int n = m_setup.checks;
    const RetentionPolicy policy;
    const qint64 hourFrom = floorTo(m_now - qint64(m_setup.days) * kDayMs, kDayMs);
    const qint64 minuteFrom = std::max(hourFrom, floorTo(m_now - policy.minuteMs, kHourMs));
    const qint64 rawFrom = std::max(hourFrom, floorTo(m_now - policy.rawMs, kHourMs));
    const int minuteEvents = int(kMinuteMs / kIntervalMs);
    const int hourEvents = int(kHourMs / kIntervalMs);
    out(QStringLiteral("INFO now %1").arg(QDateTime::fromMSecsSinceEpoch(m_now, Qt::UTC).toString(Qt::ISODate)));
    out(QStringLiteral("INFO history days=%1 minutes_from=%2 raw_from=%3")
            .arg(m_setup.days)
            .arg(QDateTime::fromMSecsSinceEpoch(minuteFrom, Qt::UTC).toString(Qt::ISODate),
                 QDateTime::fromMSecsSinceEpoch(rawFrom, Qt::UTC).toString(Qt::ISODate)));

    // One hour of one check: its minute rows when it lies after the minute horizon (the hour is
    // their sum), else the hour drawn whole. Deterministic per (check, hour).
    const auto hourOf = [&](int c, qint64 h, std::vector<EventCounts> *minutes) {
        Rng rng(seedFor(m_setup.seed, c, h));
        const Profile &p = m_profiles[std::size_t(c)];
        if (h < minuteFrom)
            return drawHour(p, rng, hourEvents);
        EventCounts hour;
        for (int m = 0; m < 60; ++m) {
            const EventCounts minute = drawMinute(p, rng, minuteEvents);
            hour.merge(minute);
            if (minutes)
                minutes->push_back(minute);
        }
        return hour;
    };

    QElapsedTimer timer;
    timer.start();
    const qint64 cpu0 = processCpuUs();
    qint64 rollups = 0;
    std::vector<EventCounts> minutes;
    minutes.reserve(60);
    qint64 lastReport = 0;
    for (qint64 h = hourFrom; h < rawFrom; h += kHourMs) {
        const bool dayStart = floorTo(h, kDayMs) == h || h == hourFrom;
        for (int c = 0; c < n; ++c) {
            const QString &service = m_services.at(c);
            if (dayStart) {
                // The day row goes in when its day begins, as ingest would create it, already at the
                // size it ends up with (the hours before the raw results; those add the rest).
                EventCounts day;
                for (qint64 dh = h; dh < std::min(floorTo(h, kDayMs) + kDayMs, rawFrom); dh += kHourMs)
                    day.merge(hourOf(c, dh, nullptr));
                m_store.writeRollup(service, m_check, HistoryStore::Resolution::Day, h, day);
                ++rollups;
            }
            minutes.clear();
            const EventCounts hour = hourOf(c, h, &minutes);
            m_store.writeRollup(service, m_check, HistoryStore::Resolution::Hour, h, hour);
            ++rollups;
            for (qsizetype m = 0; m < qsizetype(minutes.size()); ++m) {
                m_store.writeRollup(service, m_check, HistoryStore::Resolution::Minute, h + m * kMinuteMs,
                                    minutes[std::size_t(m)]);
                ++rollups;
            }
        }
        if (!backlog()) {
            progress(QStringLiteral("writing rollups failed: ") + m_store.lastError());
            return false;
        }
        if (timer.elapsed() - lastReport > 15'000) {
            lastReport = timer.elapsed();
            progress(QStringLiteral("rollups: %1 rows up to %2 (%3 s)")
                         .arg(rollups)
                         .arg(QDateTime::fromMSecsSinceEpoch(h, Qt::UTC).date().toString(Qt::ISODate))
                         .arg(timer.elapsed() / 1000));
        }
    }
    if (!m_store.flush()) {
        progress(QStringLiteral("writing rollups failed: ") + m_store.lastError());
        return false;
    }
    const double rollupSeconds = double(timer.nsecsElapsed()) / 1e9;
    const qint64 rollupCpu = processCpuUs() - cpu0;
    out(QStringLiteral("FILL rollup_rows %1").arg(rollups));
    out(QStringLiteral("FILL rollup_seconds %1").arg(num(rollupSeconds)));
    out(QStringLiteral("FILL rollup_cpu_seconds %1").arg(num(double(rollupCpu) / 1e6)));
    progress(QStringLiteral("rollups: %1 rows in %2 s").arg(rollups).arg(num(rollupSeconds, 1)));

    // The last 48 hours as raw results, recorded: the writer maintains their rollups.
    timer.restart();
    const qint64 cpu1 = processCpuUs();
    qint64 results = 0;
    lastReport = 0;
    for (qint64 h = rawFrom; h < m_now; h += kHourMs) {
        const QList<CheckResult> rows = this->results(h, std::min(h + kHourMs, m_now));
        for (const CheckResult &r : rows)
            m_store.record(r);
        results += rows.size();
        if (!backlog()) {
            progress(QStringLiteral("recording results failed: ") + m_store.lastError());
            return false;
        }
        if (timer.elapsed() - lastReport > 15'000) {
            lastReport = timer.elapsed();
            progress(QStringLiteral("raw results: %1 (%2 s)").arg(results).arg(timer.elapsed() / 1000));
        }
    }
    if (!m_store.flush()) {
        progress(QStringLiteral("recording results failed: ") + m_store.lastError());
        return false;
    }
    const double rawSeconds = double(timer.nsecsElapsed()) / 1e9;
    out(QStringLiteral("FILL results %1").arg(results));
    out(QStringLiteral("FILL results_seconds %1").arg(num(rawSeconds)));
    out(QStringLiteral("FILL results_cpu_seconds %1").arg(num(double(processCpuUs() - cpu1) / 1e6)));
    progress(QStringLiteral("raw results: %1 in %2 s").arg(results).arg(num(rawSeconds, 1)));

    // The horizons a store in the field has: one pass at "now".
    timer.restart();
    const qint64 deleted = m_store.runRetention(m_now);
    out(QStringLiteral("FILL first_retention_deleted %1").arg(deleted));
    out(QStringLiteral("FILL first_retention_ms %1").arg(num(double(timer.nsecsElapsed()) / 1e6)));
    check(QStringLiteral("first_retention"), deleted >= 0, m_store.lastError().isEmpty() ? QStringLiteral("-") : m_store.lastError().simplified());
    if (m_setup.postgres) {
        QSqlQuery q(QSqlDatabase::database(QStringLiteral("historybench-raw"), false));
        // The pass just packed 14 days of minute rows and 400 of hour rows that the fill wrote
        // one per bucket. In the field those tables only ever hold the last hours, which each
        // pass (every ten minutes) packs and autovacuum's space takes the next: their files never
        // grow past that. Here they grew to the whole history first, so they are given back.
        if (!q.exec(QStringLiteral("VACUUM FULL rollup_minute, rollup_hour")))
            progress(QStringLiteral("VACUUM FULL failed: ") + q.lastError().text());
        // What autovacuum would long have done in a store of this age; left to itself it would
        // start in the middle of the measurements instead.
        if (!q.exec(QStringLiteral("VACUUM ANALYZE")))
            progress(QStringLiteral("VACUUM ANALYZE failed: ") + q.lastError().text());
    }
    const qint64 rawRows = countAll(QStringLiteral("results"));
    check(QStringLiteral("raw_rows"), rawRows == results,
          QStringLiteral("%1 raw rows stored, %2 recorded").arg(rawRows).arg(results));
    // Measured as a store in the field is: opened, not written to by writeRollup() (which turns
    // off the minute rows the SLO passes keep, see HistoryStore::writeRollup()).
    m_store.close();
    QString why;
    if (!m_store.open(m_setup.location, &why)) {
        progress(QStringLiteral("cannot open the store again: ") + why);
        return false;
    }
    return deleted >= 0;
}

bool Bench::resume()
{
    // "now" goes on from the newest result, at the next whole minute.
    QSqlQuery q(QSqlDatabase::database(QStringLiteral("historybench-raw"), false));
    if (!q.exec(QStringLiteral("SELECT MAX(ts), COUNT(DISTINCT check_id) FROM results")) || !q.next() || q.value(0).isNull()) {
        progress(QStringLiteral("--no-fill: the store holds no results to go on from"));
        return false;
    }
    if (q.value(1).toInt() != m_setup.checks) {
        progress(QStringLiteral("--no-fill: the store has results of %1 checks, not --checks %2").arg(q.value(1).toInt()).arg(m_setup.checks));
        return false;
    }
    m_now = ceilTo(q.value(0).toLongLong() + 1, kMinuteMs);
    out(QStringLiteral("INFO now %1 (going on from the store)").arg(QDateTime::fromMSecsSinceEpoch(m_now, Qt::UTC).toString(Qt::ISODate)));
    return true;
}

void Bench::measure()
{
    const int n = m_setup.checks;
    const qint64 rounds = std::max<qint64>(1, (m_setup.ingest + n - 1) / n);
    for (int run = 1; run <= m_setup.runs; ++run) {
        const auto say = [run](const QString &key, const QString &value) {
            out(QStringLiteral("RUN %1 %2 %3").arg(run).arg(key, value));
        };
        progress(QStringLiteral("run %1 of %2 at %3")
                     .arg(run)
                     .arg(m_setup.runs)
                     .arg(QDateTime::fromMSecsSinceEpoch(m_now, Qt::UTC).toString(Qt::ISODate)));

        // (a) The SLO of every service, as SloMonitor computes it every minute.
        QElapsedTimer t;
        t.start();
        const QList<SloReport> reports = SloMonitor::computeAll(m_store, m_config, m_now);
        say(QStringLiteral("slo_ms"), num(double(t.nsecsElapsed()) / 1e6));
        quint64 events = 0;
        int withEvents = 0;
        for (const SloReport &r : reports) {
            events += r.counts.total;
            withEvents += r.counts.total > 0 ? 1 : 0;
        }
        check(QStringLiteral("slo_reports_r%1").arg(run), reports.size() == n && withEvents == n,
              QStringLiteral("%1 reports, %2 with events, %3 events in 30 d").arg(reports.size()).arg(withEvents).arg(events));
        t.restart();
        const QHash<QString, EventCounts> window = m_store.countsByService(m_now - 30 * kDayMs, m_now);
        say(QStringLiteral("counts_ms"), num(double(t.nsecsElapsed()) / 1e6));
        quint64 windowEvents = 0;
        for (const EventCounts &c : window)
            windowEvents += c.total;
        check(QStringLiteral("counts_match_slo_r%1").arg(run), windowEvents == events && window.size() == n,
              QStringLiteral("%1 events").arg(windowEvents));
        // The same pass at every minute of the hour before now, as SloMonitor makes them: what a
        // pass reads depends on where in its hour "now" falls and on what the passes before it
        // kept (RollupReader::countsByCheckMulti(), WindowEdgeCache), and the runs' own "now"
        // is always 5 past, right after the ingest.
        double hourSum = 0, hourMax = 0;
        for (int k = 60; k >= 1; --k) {
            t.restart();
            const QList<SloReport> earlier = SloMonitor::computeAll(m_store, m_config, m_now - k * kMinuteMs);
            const double ms = double(t.nsecsElapsed()) / 1e6;
            hourSum += ms;
            hourMax = std::max(hourMax, ms);
            const auto withEvents = std::count_if(earlier.cbegin(), earlier.cend(),
                                                  [](const SloReport &r) { return r.counts.total > 0; });
            if (earlier.size() != n || withEvents != n)
                check(QStringLiteral("slo_hour_r%1").arg(run), false,
                      QStringLiteral("%1 reports, %2 with events").arg(earlier.size()).arg(withEvents));
        }
        say(QStringLiteral("slo_hour_mean_ms"), num(hourSum / 60));
        say(QStringLiteral("slo_hour_max_ms"), num(hourMax));

        // (b) One service's latency chart: 30 days, hourly, P95 and P99 per point.
        const QString chartService = m_services.at(std::min(3, n - 1));
        t.restart();
        const auto series = m_store.series(chartService, {}, m_now - 30 * kDayMs, m_now, kHourMs);
        std::vector<std::pair<double, double>> percentiles;
        percentiles.reserve(std::size_t(series.size()));
        for (const auto &point : series)
            percentiles.emplace_back(point.second.latency.percentile(0.95), point.second.latency.percentile(0.99));
        say(QStringLiteral("chart_ms"), num(double(t.nsecsElapsed()) / 1e6));
        const auto charted = std::count_if(percentiles.cbegin(), percentiles.cend(), [](const auto &p) { return p.first > 0; });
        check(QStringLiteral("chart_r%1").arg(run), series.size() >= 720 && charted >= std::min<qsizetype>(series.size() - 2, qsizetype(m_setup.days) * 24),
              QStringLiteral("%1 points, %2 with latencies").arg(series.size()).arg(charted));

        if (m_setup.readsOnly)
            continue;

        // (c) Ingest: results in time order from now on, through the queue and the writer.
        const qint64 from = m_now;
        const qint64 to = from + rounds * kIntervalMs;
        const QList<CheckResult> rows = results(from, to);
        t.restart();
        const qint64 cpu0 = processCpuUs();
        const bool flushed = recordAll(rows);
        const double seconds = double(t.nsecsElapsed()) / 1e9;
        const qint64 cpu = processCpuUs() - cpu0;
        say(QStringLiteral("ingest_results"), QString::number(rows.size()));
        say(QStringLiteral("ingest_per_s"), num(double(rows.size()) / seconds, 0));
        say(QStringLiteral("ingest_cpu_us_per_result"), num(double(cpu) / double(rows.size()), 2));
        quint64 counted = 0;
        for (const EventCounts &c : m_store.countsByService(from, ceilTo(to, kMinuteMs)))
            counted += c.total + c.unknown;
        check(QStringLiteral("ingest_r%1").arg(run), flushed && counted == quint64(rows.size()),
              QStringLiteral("%1 recorded, %2 counted in the rollups%3")
                  .arg(rows.size())
                  .arg(counted)
                  .arg(flushed ? QString() : QStringLiteral(", flush failed: ") + m_store.lastError().simplified()));

        // (d) Retention: catch up untimed, then 10 minutes of results and the pass due after them,
        // "now" at 5 past an hour so that it also prunes an hour of minute rows.
        qint64 start = floorTo(to, kHourMs) + 55 * kMinuteMs;
        if (start < ceilTo(to, kMinuteMs))
            start += kHourMs;
        // The results up to there too (untimed), so the next run's windows find no gap.
        const bool gapFlushed = recordAll(results(to, start));
        const qint64 caughtUp = m_store.runRetention(start);
        const bool tenFlushed = recordAll(results(start, start + 10 * kMinuteMs));
        m_now = start + 10 * kMinuteMs;
        t.restart();
        const qint64 deleted = m_store.runRetention(m_now);
        say(QStringLiteral("retention_ms"), num(double(t.nsecsElapsed()) / 1e6));
        say(QStringLiteral("retention_deleted"), QString::number(deleted));
        check(QStringLiteral("retention_r%1").arg(run), gapFlushed && caughtUp >= 0 && tenFlushed && deleted >= 0,
              QStringLiteral("catch-up pass deleted %1, the timed one %2").arg(caughtUp).arg(deleted));
    }
}

void Bench::sizes(const QString &phase)
{
    const int n = m_setup.checks;
    const qint64 bytes = m_store.databaseSizeBytes();
    out(QStringLiteral("SIZE %1_bytes %2").arg(phase).arg(bytes));
    out(QStringLiteral("SIZE %1_mb_per_check %2").arg(phase, num(double(bytes) / n / 1e6, 3)));
    QSqlQuery q(QSqlDatabase::database(QStringLiteral("historybench-raw"), false));
    q.setForwardOnly(true);
    const QStringList tables = {QStringLiteral("results"), QStringLiteral("rollup_minute"), QStringLiteral("rollup_hour"),
                                QStringLiteral("rollup_day")};
    if (m_setup.postgres) {
        for (const QString &table : tables + QStringList{QStringLiteral("rollup_minute_packed"),
                                                         QStringLiteral("rollup_hour_packed")}) {
            if (q.exec(QStringLiteral("SELECT pg_total_relation_size('%1')").arg(table)) && q.next())
                out(QStringLiteral("TABLE %1 %2 %3 %4").arg(phase, table).arg(q.value(0).toLongLong()).arg(countAll(table)));
        }
        return;
    }
    const QFileInfo wal(m_setup.location.path + QStringLiteral("-wal"));
    out(QStringLiteral("SIZE %1_wal_bytes %2").arg(phase).arg(wal.exists() ? wal.size() : 0));
    if (q.exec(QStringLiteral("PRAGMA freelist_count")) && q.next())
        out(QStringLiteral("SIZE %1_free_pages %2").arg(phase).arg(q.value(0).toLongLong()));
    // dbstat: where the pages are (Debian's SQLite has it).
    for (const QString &table : tables) {
        if (q.exec(QStringLiteral("SELECT SUM(pgsize) FROM dbstat WHERE name IN ('%1', 'sqlite_autoindex_%1_1')").arg(table))
            && q.next())
            out(QStringLiteral("TABLE %1 %2 %3 %4").arg(phase, table).arg(q.value(0).toLongLong()).arg(countAll(table)));
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("opsdeck-historybench"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Fills an empty history store to a steady state and measures the SLO pass, a chart, ingest, "
        "retention and the size per check. See bench/history-bench.sh."));
    parser.addHelpOption();
    const QCommandLineOption backend(QStringLiteral("backend"), QStringLiteral("sqlite or postgresql."), QStringLiteral("name"));
    const QCommandLineOption dbPath(QStringLiteral("db"), QStringLiteral("SQLite: the file to create (must not exist)."), QStringLiteral("file"));
    const QCommandLineOption pgUrl(QStringLiteral("pg-url"), QStringLiteral("PostgreSQL: an empty database, postgresql://user@host:port/db."), QStringLiteral("url"));
    const QCommandLineOption checks(QStringLiteral("checks"), QStringLiteral("Checks, one service each (default 500)."), QStringLiteral("n"), QStringLiteral("500"));
    const QCommandLineOption days(QStringLiteral("days"), QStringLiteral("Days of history (default 400)."), QStringLiteral("n"), QStringLiteral("400"));
    const QCommandLineOption runs(QStringLiteral("runs"), QStringLiteral("Repetitions of each measurement (default 5)."), QStringLiteral("n"), QStringLiteral("5"));
    const QCommandLineOption ingest(QStringLiteral("ingest"), QStringLiteral("Results per ingest measurement (default 200000)."), QStringLiteral("n"), QStringLiteral("200000"));
    const QCommandLineOption noFill(QStringLiteral("no-fill"), QStringLiteral("Measure a store an earlier run filled (same --checks), without filling it again: for profiling. The runs go on from its newest result."));
    const QCommandLineOption readsOnly(QStringLiteral("reads-only"), QStringLiteral("With --no-fill: measure the SLO pass, the counts and the chart only, at the store's newest result, and write nothing, so that two builds can be compared on the same store."));
    parser.addOptions({backend, dbPath, pgUrl, checks, days, runs, ingest, noFill, readsOnly});
    parser.process(app);

    Setup setup;
    setup.fill = !parser.isSet(noFill);
    setup.readsOnly = parser.isSet(readsOnly);
    if (setup.readsOnly && setup.fill) {
        progress(QStringLiteral("--reads-only needs --no-fill: a store to read"));
        return 2;
    }
    bool ok = true;
    const auto positive = [&](const QCommandLineOption &o, auto *target) {
        bool good = false;
        const qint64 v = parser.value(o).toLongLong(&good);
        if (!good || v <= 0) {
            progress(QStringLiteral("--%1: expected a positive number, got `%2`").arg(o.names().first(), parser.value(o)));
            ok = false;
            return;
        }
        *target = decltype(+*target)(v);
    };
    positive(checks, &setup.checks);
    positive(days, &setup.days);
    positive(runs, &setup.runs);
    positive(ingest, &setup.ingest);
    if (!ok)
        return 2;
    const QString which = parser.value(backend);
    if (which == u"sqlite") {
        if (!parser.isSet(dbPath) || QFileInfo::exists(parser.value(dbPath)) != parser.isSet(noFill)) {
            progress(parser.isSet(noFill) ? QStringLiteral("--backend sqlite --no-fill needs --db FILE, an existing store")
                                          : QStringLiteral("--backend sqlite needs --db FILE, a file that does not exist yet"));
            return 2;
        }
        setup.location = StoreLocation::sqliteFile(QFileInfo(parser.value(dbPath)).absoluteFilePath());
    } else if (which == u"postgresql") {
        QString why;
        const auto location = StoreLocation::parse(parser.value(pgUrl), &why);
        if (!location || location->kind != StoreLocation::Kind::PostgreSql) {
            progress(QStringLiteral("--backend postgresql needs --pg-url postgresql://user@host:port/db: ") + why);
            return 2;
        }
        setup.location = *location;
        setup.postgres = true;
    } else {
        progress(QStringLiteral("--backend: expected sqlite or postgresql"));
        return 2;
    }

    out(QStringLiteral("INFO backend %1").arg(which));
    out(QStringLiteral("INFO checks %1 days %2 runs %3 ingest %4").arg(setup.checks).arg(setup.days).arg(setup.runs).arg(setup.ingest));
    Bench bench(setup);
    if (!bench.open())
        return 2;
    if (setup.fill ? !bench.fill() : !bench.resume())
        return 1;
    bench.sizes(QStringLiteral("steady"));
    bench.measure();
    bench.sizes(QStringLiteral("end"));
    return g_failedChecks == 0 ? 0 : 1;
}
