#include "historystore.h"
#include "storetestfixture.h"
#include "testdatabase.h"
#include "latencyhistogram.h"
#include "rollupreader.h"
#include "rolluppacker.h"
#include "schemamigrations.h"
#include "slocalculator.h"
#include "slomonitor.h"
#include "storelocation.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

// SLO rollups and retention: hand-computable histories with known answers, on SQLite and on
// PostgreSQL.

namespace {

constexpr qint64 kMin = 60'000;
constexpr qint64 kHour = 60 * kMin;
constexpr qint64 kDay = 24 * kHour;
constexpr qint64 kDay0 = 1'762'992'000'000; // 2025-11-13T00:00:00Z, a UTC midnight

EventCounts counted(quint64 total, quint64 good, quint64 latencyGood, quint64 unknown)
{
    EventCounts c;
    c.total = total;
    c.good = good;
    c.latencyGood = latencyGood;
    c.unknown = unknown;
    return c;
}

QString describe(const EventCounts &c)
{
    return QStringLiteral("{total %1, good %2, latencyGood %3, unknown %4, %5 latencies}")
        .arg(c.total)
        .arg(c.good)
        .arg(c.latencyGood)
        .arg(c.unknown)
        .arg(c.latency.count());
}

// The counters only; the histogram is compared where a test knows it.
#define COMPARE_COUNTERS(actual, expected)                                                                        \
    do {                                                                                                          \
        const EventCounts a_ = (actual), e_ = (expected);                                                         \
        QVERIFY2(a_.total == e_.total && a_.good == e_.good && a_.latencyGood == e_.latencyGood                   \
                     && a_.unknown == e_.unknown,                                                                 \
                 qPrintable(QStringLiteral("got %1, expected %2").arg(describe(a_), describe(e_))));               \
    } while (false)

#define COMPARE_COUNTS(actual, expected)                                                                          \
    do {                                                                                                          \
        const EventCounts a_ = (actual), e_ = (expected);                                                         \
        QVERIFY2(a_ == e_, qPrintable(QStringLiteral("got %1, expected %2").arg(describe(a_), describe(e_))));      \
    } while (false)

// One result as EventCounts counts it, for a service without a latency threshold.
void addOne(EventCounts &c, Health h, double latencyMs)
{
    if (h == Health::Unknown || h == Health::Stale) {
        ++c.unknown;
        return;
    }
    ++c.total;
    if (h != Health::Down) {
        ++c.good;
        ++c.latencyGood;
    }
    c.latency.add(latencyMs);
}

EventCounts sum(const QList<QPair<qint64, EventCounts>> &series)
{
    EventCounts out;
    for (const auto &point : series)
        out.merge(point.second);
    return out;
}

LatencyHistogram mergedHistograms(const QList<QVariantList> &rows)
{
    LatencyHistogram out;
    for (const QVariantList &row : rows) {
        LatencyHistogram h;
        if (!LatencyHistogram::decode(row.first().toByteArray(), &h))
            qWarning("a stored histogram does not decode");
        out.merge(h);
    }
    return out;
}

} // namespace

class TestHistoryRollups : public QObject
{
    Q_OBJECT

private:
    // Counters of raw rows over [from, to), straight from the table, as the oracle for rollups.
    static EventCounts rawSums(const TestDatabase &db, qint64 from, qint64 to, double thresholdMs)
    {
        const auto rows = db.rows(QStringLiteral(
            "SELECT CAST(COALESCE(SUM(CASE WHEN outcome IN (0, 3, 4) THEN 1 ELSE 0 END), 0) AS {int64}), "
            "CAST(COALESCE(SUM(CASE WHEN outcome IN (0, 3) THEN 1 ELSE 0 END), 0) AS {int64}), "
            "CAST(COALESCE(SUM(CASE WHEN outcome IN (0, 3) AND latency_us IS NOT NULL AND latency_us <= %3 THEN 1 ELSE 0 END), 0) AS {int64}), "
            "CAST(COALESCE(SUM(CASE WHEN outcome IN (1, 2) THEN 1 ELSE 0 END), 0) AS {int64}) "
            "FROM results WHERE ts >= %1 AND ts < %2")
                                      .arg(from)
                                      .arg(to)
                                      .arg(qint64(thresholdMs * 1000)));
        if (rows.isEmpty())
            return {};
        const QVariantList &r = rows.first();
        return counted(r.at(0).toULongLong(), r.at(1).toULongLong(), r.at(2).toULongLong(), r.at(3).toULongLong());
    }
    static EventCounts rollupSums(const TestDatabase &db, const QString &table, qint64 from, qint64 to)
    {
        const auto rows = db.rows(QStringLiteral("SELECT CAST(COALESCE(SUM(total), 0) AS {int64}), "
                                                 "CAST(COALESCE(SUM(good), 0) AS {int64}), "
                                                 "CAST(COALESCE(SUM(latency_good), 0) AS {int64}), "
                                                 "CAST(COALESCE(SUM(unknown), 0) AS {int64}) "
                                                 "FROM %1 WHERE bucket >= %2 AND bucket < %3")
                                      .arg(db.rollupRows(table))
                                      .arg(from)
                                      .arg(to));
        if (rows.isEmpty())
            return {};
        const QVariantList &r = rows.first();
        EventCounts c = counted(r.at(0).toULongLong(), r.at(1).toULongLong(), r.at(2).toULongLong(), r.at(3).toULongLong());
        c.latency = mergedHistograms(db.rows(
            QStringLiteral("SELECT histogram FROM %1 WHERE bucket >= %2 AND bucket < %3 AND histogram IS NOT NULL")
                .arg(db.rollupRows(table))
                .arg(from)
                .arg(to)));
        return c;
    }

private slots:
    void handComputableCounts_data() { addBackends(); }
    void handComputableCounts()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QString error;
        QVERIFY2(openStore(store, db, &error), qPrintable(error));
        store.setLatencyThresholds({{QStringLiteral("shop"), 200.0}});

        // 1,000 results 6 s apart from 10:00: ten a minute for 100 minutes. Every 100th from the
        // fourth is unknown, every 50th from the eighth is down (20), every 10th from the sixth is
        // degraded, which is still good. Every 4th answers in 300 ms, the rest in 100 ms.
        const qint64 base = kDay0 + 10 * kHour;
        for (const QString &service : {QStringLiteral("shop"), QStringLiteral("blog")}) {
            for (int i = 0; i < 1000; ++i) {
                Health h = Health::Ok;
                if (i % 100 == 3)
                    h = Health::Unknown;
                else if (i % 50 == 7)
                    h = Health::Down;
                else if (i % 10 == 5)
                    h = Health::Degraded;
                store.record(result(service, QStringLiteral("api"), base + i * 6000, h,
                                    h == Health::Unknown ? -1 : (i % 4 == 0 ? 300 : 100), h == Health::Down ? 500 : 200));
            }
        }
        QVERIFY2(store.flush(), qPrintable(store.lastError()));

        // 990 judged, 20 of them down; the 250 slow ones are all good (every i % 4 == 0 is even,
        // every down or unknown one odd), so 970 - 250 are good and fast.
        const EventCounts day = store.counts(QStringLiteral("shop"), {}, kDay0, kDay0 + kDay);
        COMPARE_COUNTERS(day, counted(990, 970, 720, 10));
        LatencyHistogram expected;
        expected.add(300, 250);
        expected.add(100, 740);
        QCOMPARE(day.latency, expected);
        QCOMPARE(day.latency.percentile(0.5), expected.percentile(0.5));
        QVERIFY(day.latency.percentile(0.5) > 96 && day.latency.percentile(0.5) < 104);
        QVERIFY(day.latency.percentile(0.99) > 288 && day.latency.percentile(0.99) < 312);

        // Without a threshold, every good result is latency-good.
        COMPARE_COUNTERS(store.counts(QStringLiteral("blog"), {}, kDay0, kDay0 + kDay), counted(990, 970, 970, 10));

        // The first ten minutes: i in [0, 100) — one unknown (3), two down (7, 57), 25 slow.
        COMPARE_COUNTERS(store.counts(QStringLiteral("shop"), {QStringLiteral("api")}, base, base + 10 * kMin),
                         counted(99, 97, 72, 1));
        // A window inside minutes is aligned outward to them: [10:00, 10:02), i in [0, 20).
        COMPARE_COUNTERS(store.counts(QStringLiteral("shop"), {}, base + 30'000, base + 90'000), counted(19, 18, 13, 1));
        // From 10:40 on: i in [400, 1000).
        COMPARE_COUNTERS(store.counts(QStringLiteral("shop"), {}, base + 40 * kMin, kDay0 + kDay),
                         counted(594, 582, 432, 6));

        // One row per minute, hour and day, each exactly what its results add up to.
        const QString shopRows = QStringLiteral("SELECT COUNT(*) FROM %1 WHERE check_id = "
                                                "(SELECT id FROM checks WHERE service = 'shop')");
        QCOMPARE(db.count(shopRows.arg(db.rollupRows(QStringLiteral("rollup_minute")))), 100);
        QCOMPARE(db.count(shopRows.arg(db.rollupRows(QStringLiteral("rollup_hour")))), 2);
        QCOMPARE(db.count(shopRows.arg(db.rollupRows(QStringLiteral("rollup_day")))), 1);
        QCOMPARE(db.count(QStringLiteral("SELECT MAX(total + unknown) FROM %1").arg(db.rollupRows(QStringLiteral("rollup_minute")))), 10);
    }

    void emptyAndPartialWindows_data() { addBackends(); }
    void emptyAndPartialWindows()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        // Nothing recorded yet.
        COMPARE_COUNTS(store.counts(QStringLiteral("svc"), {}, kDay0, kDay0 + kDay), EventCounts{});
        QVERIFY(store.countsByService(kDay0, kDay0 + kDay).isEmpty());
        const auto none = store.series(QStringLiteral("svc"), {}, kDay0, kDay0 + kDay, 6 * kHour);
        QCOMPARE(none.size(), 4);
        COMPARE_COUNTS(sum(none), EventCounts{});

        // One ok result a minute from 10:00 to 10:59.
        for (int m = 0; m < 60; ++m)
            store.record(result(QStringLiteral("svc"), QStringLiteral("c"), kDay0 + 10 * kHour + m * kMin + 5000,
                                Health::Ok, 50));
        QVERIFY(store.flush());
        const auto total = [&](qint64 from, qint64 to) {
            return store.counts(QStringLiteral("svc"), {}, from, to).total;
        };
        QCOMPARE(total(kDay0 + 9 * kHour, kDay0 + 10 * kHour), quint64(0));          // before
        QCOMPARE(total(kDay0 + 11 * kHour, kDay0 + kDay), quint64(0));               // after
        QCOMPARE(total(kDay0 + 9 * kHour + 30 * kMin, kDay0 + 10 * kHour + 30 * kMin), quint64(30)); // half
        QCOMPARE(total(kDay0 + 10 * kHour + 30 * kMin, kDay0 + 12 * kHour), quint64(30));
        QCOMPARE(total(kDay0 - 2 * kDay, kDay0 + 2 * kDay), quint64(60));            // days around it
        QCOMPARE(total(std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::max()), quint64(60)); // ever
        QCOMPARE(total(kDay0 + 10 * kHour + 20 * kMin + 1, kDay0 + 10 * kHour + 20 * kMin + 2), quint64(1));
        QCOMPARE(total(kDay0 + 11 * kHour, kDay0 + 10 * kHour), quint64(0));         // backwards
        QCOMPARE(store.counts(QStringLiteral("svc"), {QStringLiteral("other")}, kDay0, kDay0 + kDay).total, quint64(0));
        QCOMPARE(store.counts(QStringLiteral("nobody"), {}, kDay0, kDay0 + kDay).total, quint64(0));
        const auto partly = store.series(QStringLiteral("svc"), {}, kDay0 + 9 * kHour, kDay0 + 12 * kHour, kHour);
        QCOMPARE(partly.size(), 3);
        QCOMPARE(partly.at(0).second.total, quint64(0));
        QCOMPARE(partly.at(1).second.total, quint64(60));
        QCOMPARE(partly.at(2).second.total, quint64(0));
    }

    void serviceAddedMidWindow_data() { addBackends(); }
    void serviceAddedMidWindow()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        // "old" reports every 10 minutes all day; "new" only from noon on.
        for (qint64 t = kDay0; t < kDay0 + kDay; t += 10 * kMin) {
            store.record(result(QStringLiteral("old"), QStringLiteral("c"), t, Health::Ok, 10));
            if (t >= kDay0 + 12 * kHour)
                store.record(result(QStringLiteral("new"), QStringLiteral("c"), t, t % kHour ? Health::Ok : Health::Down, 10));
        }
        QVERIFY(store.flush());
        const auto all = store.countsByService(kDay0, kDay0 + kDay);
        QCOMPARE(all.size(), 2);
        COMPARE_COUNTERS(all.value(QStringLiteral("old")), counted(144, 144, 144, 0));
        COMPARE_COUNTERS(all.value(QStringLiteral("new")), counted(72, 60, 60, 0));
        QCOMPARE(store.counts(QStringLiteral("new"), {}, kDay0, kDay0 + 12 * kHour).total, quint64(0));
        QCOMPARE(store.counts(QStringLiteral("new"), {}, kDay0 + 11 * kHour, kDay0 + 13 * kHour).total, quint64(6));
        const auto quarters = store.series(QStringLiteral("new"), {}, kDay0, kDay0 + kDay, 6 * kHour);
        QCOMPARE(quarters.size(), 4);
        QList<quint64> totals;
        for (const auto &point : quarters)
            totals << point.second.total;
        QCOMPARE(totals, QList<quint64>({0, 0, 36, 36}));
    }

    void outOfOrderResults_data() { addBackends(); }
    void outOfOrderResults()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        const QString s = QStringLiteral("svc"), c = QStringLiteral("c");
        const qint64 ten = kDay0 + 10 * kHour;
        // The newest bucket first (it is what the writer keeps in memory) ...
        store.record(result(s, c, ten + 5 * kMin, Health::Ok, 10));
        QVERIFY(store.flush());
        // ... then late ones: an older minute of the same hour, the hour before, the day before,
        // and in one batch a minute that goes back and forth.
        store.record(result(s, c, ten + 1 * kMin + 1, Health::Down, 10));
        store.record(result(s, c, ten - 1, Health::Ok, 10));
        store.record(result(s, c, kDay0 - kHour, Health::Ok, 10));
        store.record(result(s, c, ten + 7 * kMin, Health::Ok, 10));
        store.record(result(s, c, ten + 2 * kMin, Health::Ok, 10));
        store.record(result(s, c, ten + 7 * kMin + 59'999, Health::Unknown));
        QVERIFY(store.flush());
        // And one more on top of the cached newest bucket.
        store.record(result(s, c, ten + 5 * kMin + 30'000, Health::Ok, 10));
        QVERIFY(store.flush());

        const auto minutes = store.series(s, {}, ten - kMin, ten + 8 * kMin, kMin);
        QList<quint64> perMinute;
        for (const auto &point : minutes)
            perMinute << point.second.total + point.second.unknown;
        //                                  9:59 10:00 :01 :02 :03 :04 :05 :06 :07
        QCOMPARE(perMinute, QList<quint64>({1, 0, 1, 1, 0, 0, 2, 0, 2}));
        COMPARE_COUNTERS(store.counts(s, {}, ten, ten + kHour), counted(5, 4, 4, 1));
        COMPARE_COUNTERS(store.counts(s, {}, ten - kHour, ten), counted(1, 1, 1, 0));
        COMPARE_COUNTERS(store.counts(s, {}, kDay0, kDay0 + kDay), counted(6, 5, 5, 1));
        COMPARE_COUNTERS(store.counts(s, {}, kDay0 - kDay, kDay0), counted(1, 1, 1, 0));
        // Each tier adds up to the same.
        COMPARE_COUNTS(rollupSums(db, QStringLiteral("rollup_minute"), kDay0 - kDay, kDay0 + kDay),
                       rollupSums(db, QStringLiteral("rollup_day"), kDay0 - kDay, kDay0 + kDay));
        COMPARE_COUNTS(rollupSums(db, QStringLiteral("rollup_hour"), kDay0 - kDay, kDay0 + kDay),
                       rollupSums(db, QStringLiteral("rollup_day"), kDay0 - kDay, kDay0 + kDay));
    }

    void clockGoesBackwards_data() { addBackends(); }
    void clockGoesBackwards()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        const QString s = QStringLiteral("svc"), c = QStringLiteral("c");
        // Two minutes of results from 12:00, then the clock is set back an hour and two more
        // minutes follow from 11:02:10. Timestamps are UTC and every result rolls up by its own.
        const qint64 noon = kDay0 + 12 * kHour;
        for (int i = 0; i < 12; ++i)
            store.record(result(s, c, noon + i * 10'000, Health::Ok, 10));
        QVERIFY(store.flush());
        for (int i = 0; i < 12; ++i)
            store.record(result(s, c, noon - kHour + 2 * kMin + 10'000 + i * 10'000, i < 6 ? Health::Down : Health::Ok, 10));
        QVERIFY(store.flush());

        const auto hours = store.series(s, {}, noon - 2 * kHour, noon + kHour, kHour);
        QCOMPARE(hours.size(), 3);
        QCOMPARE(hours.at(0).second.total, quint64(0));
        COMPARE_COUNTERS(hours.at(1).second, counted(12, 6, 6, 0));
        COMPARE_COUNTERS(hours.at(2).second, counted(12, 12, 12, 0));
        QCOMPARE(store.counts(s, {}, noon - kHour + 2 * kMin, noon - kHour + 3 * kMin).total, quint64(5));
        QCOMPARE(store.counts(s, {}, noon - kHour + 3 * kMin, noon - kHour + 4 * kMin).total, quint64(6));
        QCOMPARE(store.counts(s, {}, noon - kHour + 4 * kMin, noon - kHour + 5 * kMin).total, quint64(1));
        QCOMPARE(store.counts(s, {}, kDay0, kDay0 + kDay).total, quint64(24));
        // Raw rows read back in time order, whatever order they came in.
        const QList<CheckResult> raw = store.results(s, c, 0, 0);
        QCOMPARE(raw.size(), 24);
        QCOMPARE(raw.first().atMs, noon + 110'000);
        QCOMPARE(raw.last().atMs, noon - kHour + 2 * kMin + 10'000);
    }

    void retentionBoundaries_data() { addBackends(); }
    void retentionBoundaries()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        constexpr double kThreshold = 250;
        store.setLatencyThresholds({{QStringLiteral("svc"), kThreshold}});
        const QString s = QStringLiteral("svc");
        // Three days up to kDay0, a result every 30 s of each of two checks.
        const qint64 start = kDay0 - 3 * kDay;
        constexpr int kPerCheck = 3 * 2880;
        for (int i = 0; i < kPerCheck; ++i) {
            for (const QString &c : {QStringLiteral("a"), QStringLiteral("b")}) {
                Health h = Health::Ok;
                if (i % 53 == 0)
                    h = Health::Unknown;
                else if (i % 37 == 0)
                    h = Health::Down;
                else if (i % 29 == 0)
                    h = Health::Degraded;
                CheckResult r = result(s, c, start + i * 30'000, h, h == Health::Unknown ? -1 : 20 + (i * 7919) % 400,
                                       h == Health::Down ? 503 : 200);
                r.networkError = h == Health::Down && i % 2 == 0;
                store.record(r);
            }
        }
        QVERIFY2(store.flush(), qPrintable(store.lastError()));

        // Before pruning: minute rollups add up to what the raw rows say, for whole days and for
        // windows cut anywhere on a minute; every day equals its hours and its minutes.
        for (qint64 d = start; d < kDay0; d += kDay) {
            const EventCounts raw = rawSums(db, d, d + kDay, kThreshold);
            QVERIFY(raw.total > 0);
            COMPARE_COUNTERS(rollupSums(db, QStringLiteral("rollup_minute"), d, d + kDay), raw);
            const EventCounts dayRow = rollupSums(db, QStringLiteral("rollup_day"), d, d + kDay);
            COMPARE_COUNTS(rollupSums(db, QStringLiteral("rollup_hour"), d, d + kDay), dayRow);
            COMPARE_COUNTS(rollupSums(db, QStringLiteral("rollup_minute"), d, d + kDay), dayRow);
            COMPARE_COUNTS(store.counts(s, {}, d, d + kDay), dayRow);
        }
        const qint64 oddFrom = start + 5 * kMin, oddTo = kDay0 - kDay + 7 * kMin;
        COMPARE_COUNTERS(rollupSums(db, QStringLiteral("rollup_minute"), oddFrom, oddTo),
                         rawSums(db, oddFrom, oddTo, kThreshold));
        COMPARE_COUNTERS(store.counts(s, {}, oddFrom, oddTo), rawSums(db, oddFrom, oddTo, kThreshold));

        const EventCounts all = store.counts(s, {}, start, kDay0);
        const EventCounts lastTwoDays = store.counts(s, {}, kDay0 - 2 * kDay, kDay0);
        const EventCounts odd = store.counts(s, {}, oddFrom, oddTo);
        // What a window at minute precision looks like once minutes are gone: whole hours.
        const EventCounts hoursAround = store.counts(s, {}, kDay0 - 2 * kDay, kDay0 - 2 * kDay + 3 * kHour);
        const EventCounts acrossHorizon = store.counts(s, {}, kDay0 - 24 * kHour, kDay0 - 22 * kHour + 30 * kMin);
        const qint64 rawBefore = db.count(QStringLiteral("SELECT COUNT(*) FROM results"));
        const qint64 minutesBefore = db.count(QStringLiteral("SELECT COUNT(*) FROM %1").arg(db.rollupRows(QStringLiteral("rollup_minute"))));
        QCOMPARE(rawBefore, 2 * kPerCheck);

        // Default windows, one hour into the next day: raw results older than 47 h (48 h, cut at
        // the minute) go; minute rows are all within 14 days and stay.
        const qint64 now = kDay0 + kHour;
        qint64 deleted = store.runRetention(now);
        const qint64 rawCutoff = now - 48 * kHour;
        QCOMPARE(db.count(QStringLiteral("SELECT MIN(ts) FROM results")), rawCutoff);
        const qint64 rawKept = 2 * ((kDay0 - rawCutoff) / 30'000);
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM results")), rawKept);
        QCOMPARE(deleted, rawBefore - rawKept);
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM %1").arg(db.rollupRows(QStringLiteral("rollup_minute")))), minutesBefore);
        QVERIFY(store.results(s, QStringLiteral("a"), 0, 0).size() == rawKept / 2);
        // The same answers, from rollups alone.
        COMPARE_COUNTS(store.counts(s, {}, start, kDay0), all);
        COMPARE_COUNTS(store.counts(s, {}, oddFrom, oddTo), odd);
        QCOMPARE(store.runRetention(now), 0); // nothing left to do

        // Minutes kept for a day only: the minute rows older than 23 h (cut at the hour) go, and
        // windows reaching back there are read from hours.
        // (Raw windows never outlast minute ones, so raw shrinks to 12 h as well.)
        RetentionPolicy shorter;
        shorter.rawMs = 12 * kHour;
        shorter.minuteMs = kDay;
        shorter.autoIntervalMs = 0;
        store.setRetention(shorter);
        deleted = store.runRetention(now);
        const qint64 minuteCutoff = now - 24 * kHour;
        const qint64 minutesKept = 2 * (kDay0 - minuteCutoff) / kMin;
        const qint64 rawKeptNow = 2 * (kDay0 - (now - 12 * kHour)) / 30'000;
        QCOMPARE(db.count(QStringLiteral("SELECT MIN(bucket) FROM %1").arg(db.rollupRows(QStringLiteral("rollup_minute")))), minuteCutoff);
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM %1").arg(db.rollupRows(QStringLiteral("rollup_minute")))), minutesKept);
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM results")), rawKeptNow);
        QCOMPARE(deleted, (minutesBefore - minutesKept) + (rawKept - rawKeptNow));
        COMPARE_COUNTS(store.counts(s, {}, start, kDay0), all);
        COMPARE_COUNTS(store.counts(s, {}, kDay0 - 2 * kDay + 5 * kMin, kDay0 - 2 * kDay + 2 * kHour + 7 * kMin),
                       hoursAround);
        COMPARE_COUNTS(store.counts(s, {}, kDay0 - 23 * kHour - 30 * kMin, kDay0 - 22 * kHour + 30 * kMin), acrossHorizon);

        // Hours and days kept for two days: the first day goes entirely.
        shorter.hourMs = 2 * kDay;
        store.setRetention(shorter);
        QVERIFY(store.runRetention(now) > 0);
        QCOMPARE(db.count(QStringLiteral("SELECT MIN(bucket) FROM %1").arg(db.rollupRows(QStringLiteral("rollup_hour")))), kDay0 - 2 * kDay);
        QCOMPARE(db.count(QStringLiteral("SELECT MIN(bucket) FROM %1").arg(db.rollupRows(QStringLiteral("rollup_day")))), kDay0 - 2 * kDay);
        QCOMPARE(store.counts(s, {}, start, kDay0 - 2 * kDay).total, quint64(0));
        COMPARE_COUNTS(store.counts(s, {}, kDay0 - 2 * kDay, kDay0), lastTwoDays);
        COMPARE_COUNTS(store.counts(s, {}, start, kDay0), lastTwoDays);
    }

    void retentionGivesPagesBack()
    {
        // SQLite files made by OpsDeck are auto_vacuum=INCREMENTAL: after a large delete (here a
        // shortened minute window) the pass gives most of the freed pages back to the file system.
        TestDatabase db(QStringLiteral("sqlite"));
        HistoryStore store;
        QVERIFY(openStore(store, db));
        for (qint64 m = kDay0 - 4 * kDay; m < kDay0; m += kMin)
            for (int c = 0; c < 20; ++c) {
                EventCounts minute = counted(6, 6, 6, 0);
                minute.latency.add(10 + c, 6);
                store.writeRollup(QStringLiteral("svc"), QStringLiteral("c%1").arg(c), HistoryStore::Resolution::Minute, m,
                                  minute);
            }
        QVERIFY(store.flush());
        const qint64 pagesBefore = db.count(QStringLiteral("PRAGMA page_count"));
        RetentionPolicy policy;
        policy.rawMs = kHour;
        policy.minuteMs = kDay;
        policy.autoIntervalMs = 0;
        store.setRetention(policy);
        QCOMPARE(store.runRetention(kDay0), 20 * 3 * 1440);
        const qint64 pagesAfter = db.count(QStringLiteral("PRAGMA page_count"));
        const qint64 freeAfter = db.count(QStringLiteral("PRAGMA freelist_count"));
        qInfo("%lld pages before, %lld after (%lld of them free)", pagesBefore, pagesAfter, freeAfter);
        QVERIFY2(pagesAfter < pagesBefore / 2, qPrintable(QStringLiteral("%1 → %2").arg(pagesBefore).arg(pagesAfter)));
        QVERIFY(freeAfter <= pagesAfter / 10);
        // Only minute rows were written: read the last day minute by minute.
        QCOMPARE(sum(store.series(QStringLiteral("svc"), {}, kDay0 - kDay, kDay0, kMin)).total, quint64(20 * 1440 * 6));
    }

    void histogramAcrossTiers_data() { addBackends(); }
    void histogramAcrossTiers()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        // A day of results every 20 s with latencies spread from 0.05 ms to about 3 s.
        LatencyHistogram byHand;
        for (int i = 0; i < 4320; ++i) {
            const double ms = 0.05 * std::pow(1.0027, (i * 2654435761u) % 4096);
            const Health h = i % 41 == 0 ? Health::Down : Health::Ok;
            store.record(result(QStringLiteral("svc"), QStringLiteral("c"), kDay0 + i * 20'000, h, ms));
            byHand.add(double(std::llround(ms * 1000)) / 1000.0);
        }
        QVERIFY(store.flush());
        const EventCounts day = store.counts(QStringLiteral("svc"), {}, kDay0, kDay0 + kDay);
        const EventCounts hours = sum(store.series(QStringLiteral("svc"), {}, kDay0, kDay0 + kDay, kHour));
        const EventCounts minutes = sum(store.series(QStringLiteral("svc"), {}, kDay0, kDay0 + kDay, kMin));
        QCOMPARE(day.total, quint64(4320));
        COMPARE_COUNTS(hours, day);
        COMPARE_COUNTS(minutes, day);
        QCOMPARE(day.latency, byHand);
        for (const double p : {0.5, 0.9, 0.99, 0.999}) {
            QCOMPARE(hours.latency.percentile(p), day.latency.percentile(p));
            QCOMPARE(minutes.latency.percentile(p), day.latency.percentile(p));
        }
        qInfo("p50 %.3f ms, p99 %.3f ms over %llu latencies", day.latency.percentile(0.5), day.latency.percentile(0.99),
              day.latency.count());
    }

    void seriesBuckets_data() { addBackends(); }
    void seriesBuckets()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        const qint64 ten = kDay0 + 10 * kHour;
        for (int m = 0; m < 180; ++m) {
            store.record(result(QStringLiteral("svc"), QStringLiteral("a"), ten + m * kMin, Health::Ok, 10));
            if (m % 2 == 0)
                store.record(result(QStringLiteral("svc"), QStringLiteral("b"), ten + m * kMin, Health::Down, 10));
        }
        QVERIFY(store.flush());

        auto points = store.series(QStringLiteral("svc"), {}, ten, ten + 4 * kHour, 15 * kMin);
        QCOMPARE(points.size(), 16);
        for (int k = 0; k < 16; ++k) {
            QCOMPARE(points.at(k).first, ten + k * 15 * kMin);
            QCOMPARE(points.at(k).second.total, quint64(k < 12 ? (k % 2 ? 22 : 23) : 0));
        }
        // One check only.
        points = store.series(QStringLiteral("svc"), {QStringLiteral("a")}, ten, ten + 3 * kHour, kHour);
        QCOMPARE(points.size(), 3);
        for (const auto &point : points)
            COMPARE_COUNTERS(point.second, counted(60, 60, 60, 0));
        // Points are aligned to the step, and a point covers its whole step.
        points = store.series(QStringLiteral("svc"), {QStringLiteral("a")}, ten + 7 * kMin, ten + kHour, 15 * kMin);
        QCOMPARE(points.size(), 4);
        QCOMPARE(points.first().first, ten);
        QCOMPARE(points.first().second.total, quint64(15));
        // Days, across midnight.
        points = store.series(QStringLiteral("svc"), {}, kDay0 - kDay, kDay0 + kDay, kDay);
        QCOMPARE(points.size(), 2);
        QCOMPARE(points.at(0).second.total, quint64(0));
        QCOMPARE(points.at(1).second.total, quint64(270));
        // Nonsense asks give nothing.
        QVERIFY(store.series(QStringLiteral("svc"), {}, ten, ten + kHour, 0).isEmpty());
        QVERIFY(store.series(QStringLiteral("svc"), {}, ten, ten - kHour, kMin).isEmpty());
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("use a longer step")));
        QVERIFY(store.series(QStringLiteral("svc"), {}, ten - 400 * kDay, ten, 1000).isEmpty());
    }

    void planSegments()
    {
        using R = RollupResolution;
        using S = RollupReader::Segment;
        const qint64 none = std::numeric_limits<qint64>::min();
        // 30 days ending at 13:37:20 with minutes kept for 14 days: hours at the old edge (aligned
        // down), whole days, whole hours, then minutes up to the minute after now.
        const qint64 now = kDay0 + 13 * kHour + 37 * kMin + 20'000;
        const qint64 horizon = kDay0 - 14 * kDay;
        QCOMPARE(RollupReader::plan(now - 30 * kDay, now, horizon),
                 QList<S>({S{R::Hour, kDay0 - 30 * kDay + 13 * kHour, kDay0 - 29 * kDay},
                           S{R::Day, kDay0 - 29 * kDay, kDay0},
                           S{R::Hour, kDay0, kDay0 + 13 * kHour},
                           S{R::Minute, kDay0 + 13 * kHour, kDay0 + 13 * kHour + 38 * kMin}}));
        // Without a horizon, minutes at both edges.
        QCOMPARE(RollupReader::plan(kDay0 + 90'000, kDay0 + 2 * kHour + 30'000, none),
                 QList<S>({S{R::Minute, kDay0 + kMin, kDay0 + kHour}, S{R::Hour, kDay0 + kHour, kDay0 + 2 * kHour},
                           S{R::Minute, kDay0 + 2 * kHour, kDay0 + 2 * kHour + kMin}}));
        // Inside one hour, across an hour boundary, before 1970.
        QCOMPARE(RollupReader::plan(kDay0 + 10 * kMin, kDay0 + 11 * kMin, none),
                 QList<S>({S{R::Minute, kDay0 + 10 * kMin, kDay0 + 11 * kMin}}));
        QCOMPARE(RollupReader::plan(kDay0 - kMin, kDay0 + kMin, none), QList<S>({S{R::Minute, kDay0 - kMin, kDay0 + kMin}}));
        QCOMPARE(RollupReader::plan(-kHour - 1, -kHour + 1, none), QList<S>({S{R::Minute, -kHour - kMin, -kHour + kMin}}));
        QVERIFY(RollupReader::plan(kDay0, kDay0, none).isEmpty());
    }

    void serverErrorCount_data() { addBackends(); }
    void serverErrorCount()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        const QString s = QStringLiteral("svc");
        const QList<int> statuses = {200, 500, 0, 503, 404, 599, 500, 302};
        for (int i = 0; i < statuses.size(); ++i)
            store.record(result(s, i % 2 ? QStringLiteral("a") : QStringLiteral("b"), kDay0 + i * kMin,
                                statuses.at(i) >= 500 ? Health::Down : Health::Ok, 10, statuses.at(i)));
        store.record(result(QStringLiteral("other"), QStringLiteral("a"), kDay0, Health::Down, 10, 500));
        QVERIFY(store.flush());
        QCOMPARE(store.serverErrorCount(s, 0), 4);
        QCOMPARE(store.serverErrorCount(s, kDay0 + 3 * kMin), 3);
        QCOMPARE(store.serverErrorCount(s, kDay0 + 3 * kMin + 1), 2);
        QCOMPARE(store.serverErrorCount(s, kDay0 + kDay), 0);
        QCOMPARE(store.serverErrorCount(QStringLiteral("other"), 0), 1);
        QCOMPARE(store.serverErrorCount(QStringLiteral("nobody"), 0), 0);
    }

    void countsByService_data() { addBackends(); }
    void countsByService()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        // a/x: 10 ok; a/y: 10 down; b/z: 5 ok + 5 unknown; c/w: results only the day before.
        for (int i = 0; i < 10; ++i) {
            const qint64 t = kDay0 + i * kHour;
            store.record(result(QStringLiteral("a"), QStringLiteral("x"), t, Health::Ok, 10));
            store.record(result(QStringLiteral("a"), QStringLiteral("y"), t, Health::Down, 10));
            store.record(result(QStringLiteral("b"), QStringLiteral("z"), t, i % 2 ? Health::Ok : Health::Unknown, 10));
            store.record(result(QStringLiteral("c"), QStringLiteral("w"), t - kDay, Health::Ok, 10));
        }
        QVERIFY(store.flush());
        auto all = store.countsByService(kDay0, kDay0 + kDay);
        QCOMPARE(all.size(), 3);
        COMPARE_COUNTERS(all.value(QStringLiteral("a")), counted(20, 10, 10, 0));
        COMPARE_COUNTERS(all.value(QStringLiteral("b")), counted(5, 5, 5, 5));
        COMPARE_COUNTS(all.value(QStringLiteral("c")), EventCounts{}); // present, with nothing in the window

        all = store.countsByService(kDay0, kDay0 + kDay, {{QStringLiteral("a"), {QStringLiteral("x")}},
                                                          {QStringLiteral("b"), {QStringLiteral("nope")}}});
        COMPARE_COUNTERS(all.value(QStringLiteral("a")), counted(10, 10, 10, 0));
        COMPARE_COUNTS(all.value(QStringLiteral("b")), EventCounts{});
        COMPARE_COUNTERS(store.countsByService(kDay0 - kDay, kDay0 + kDay).value(QStringLiteral("c")),
                         counted(10, 10, 10, 0));
        // The same as counts() service by service.
        const auto byService = store.countsByService(kDay0 + 2 * kHour + 30 * kMin, kDay0 + 7 * kHour);
        for (const QString &s : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")})
            COMPARE_COUNTS(byService.value(s), store.counts(s, {}, kDay0 + 2 * kHour + 30 * kMin, kDay0 + 7 * kHour));
        // Counters only: the same counters, no histogram.
        const auto countsOnly = store.countsByService(kDay0 + 2 * kHour + 30 * kMin, kDay0 + 7 * kHour, {},
                                                      RollupReader::Detail::CountsOnly);
        QVERIFY(byService.value(QStringLiteral("a")).latency.count() > 0);
        for (const QString &s : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}) {
            COMPARE_COUNTERS(countsOnly.value(s), byService.value(s));
            QCOMPARE(countsOnly.value(s).latency.count(), 0u);
        }
    }

    // countsByServiceMulti() reads rows that several windows share once; its answer must still be
    // countsByService()'s for each window, bucket for bucket, and computeAll()'s reports what they
    // were with one query per window. Rollups are written directly, sparse (gaps), with histograms,
    // and with different numbers in each tier wherever tiers may differ (a bucket read from the
    // wrong tier, twice or not at all shows), and minutes pruned before a horizon.
    void countsByServiceMulti_data() { addBackends(); }
    void countsByServiceMulti()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        const QList<QPair<QString, QString>> checks = {{QStringLiteral("s0"), QStringLiteral("a")},
                                                       {QStringLiteral("s0"), QStringLiteral("b")},
                                                       {QStringLiteral("s1"), QStringLiteral("c")},
                                                       {QStringLiteral("s2"), QStringLiteral("d")},
                                                       {QStringLiteral("s2"), QStringLiteral("e")}};
        const auto row = [](quint32 seed) {
            const quint64 total = 1 + seed % 97;
            const quint64 good = total - std::min<quint64>(total, seed % 3);
            EventCounts c = counted(total, good, good - (seed / 3) % (good + 1) % 2, seed % 5);
            c.latency.add(1 + seed % 700, 1 + seed % 4);
            return c;
        };
        // Minute rows from here on, hour rows 4 days back and day rows 35. Where minute rows exist
        // each hour row is their sum, as the writer keeps them (countsByServiceMulti() may read a
        // partial hour as its hour minus the minutes outside the window); below that, hours and
        // days have numbers of their own.
        const qint64 minutesFrom = kDay0 - 30 * kHour, minutesTo = kDay0 + 12 * kHour;
        for (qsizetype k = 0; k < checks.size(); ++k) {
            const auto &[service, check] = checks[k];
            for (qint64 d = kDay0 - 35 * kDay; d < kDay0 + kDay; d += kDay)
                store.writeRollup(service, check, HistoryStore::Resolution::Day, d, row(quint32(d / kDay + 11 * k)));
            for (qint64 h = kDay0 - 4 * kDay; h < minutesFrom; h += kHour)
                if ((h / kHour + k) % 7 != 0)
                    store.writeRollup(service, check, HistoryStore::Resolution::Hour, h, row(quint32(h / kHour * 3 + k)));
            for (qint64 h = minutesFrom; h < minutesTo; h += kHour) {
                EventCounts hour;
                bool rows = false;
                for (qint64 m = h; m < h + kHour; m += kMin) {
                    if ((m / kMin * 13 + k) % 4 == 0 || (h / kHour + k) % 7 == 0)
                        continue;
                    const EventCounts minute = row(quint32(m / kMin * 7 + k));
                    store.writeRollup(service, check, HistoryStore::Resolution::Minute, m, minute);
                    hour.merge(minute);
                    rows = true;
                }
                if (rows)
                    store.writeRollup(service, check, HistoryStore::Resolution::Hour, h, hour);
            }
        }
        QVERIFY2(store.flush(), qPrintable(store.lastError()));
        // Below the minute rows, hour rows stand in for them: retention's horizon says so.
        RetentionPolicy policy;
        policy.rawMs = 12 * kHour;
        policy.minuteMs = minutesTo - minutesFrom;
        policy.autoIntervalMs = 0;
        store.setRetention(policy);
        QCOMPARE(store.runRetention(minutesTo), qint64(0));

        // s2 counts only its check d; s0 and s1 all of theirs.
        const QHash<QString, QStringList> only = {{QStringLiteral("s2"), {QStringLiteral("d")}}};
        QRandomGenerator random(20261123);
        const auto verify = [&](const QList<RollupReader::Window> &windows) {
            const QList<QHash<QString, EventCounts>> multi = store.countsByServiceMulti(windows, only);
            QCOMPARE(multi.size(), windows.size());
            for (qsizetype i = 0; i < windows.size(); ++i) {
                const RollupReader::Window &w = windows[i];
                const QHash<QString, EventCounts> single = store.countsByService(w.fromMs, w.toMs, only, w.detail);
                QCOMPARE(multi[i].size(), 3);
                QCOMPARE(QSet<QString>(multi[i].keyBegin(), multi[i].keyEnd()),
                         QSet<QString>(single.keyBegin(), single.keyEnd()));
                for (auto it = single.cbegin(); it != single.cend(); ++it) {
                    const EventCounts a = multi[i].value(it.key()), e = it.value();
                    QVERIFY2(a == e, qPrintable(QStringLiteral("window %1 [%2, %3) %4 of %5: got %6, expected %7")
                                                    .arg(i)
                                                    .arg(w.fromMs - kDay0)
                                                    .arg(w.toMs - kDay0)
                                                    .arg(it.key())
                                                    .arg(windows.size())
                                                    .arg(describe(a), describe(e))));
                }
            }
        };
        // The product's set (the SLO window with latency, the burn windows without), the same with
        // every window with latency, and random sets: overlapping, nested, disjoint, repeated,
        // empty and reversed windows, at any millisecond.
        const auto sets = [&](qint64 now) {
            QList<QList<RollupReader::Window>> out;
            QList<RollupReader::Window> slo = {{now - 30 * kDay, now, RollupReader::Detail::WithLatency}};
            for (const SloCalculator::BurnWindow &b : SloCalculator::burnWindows())
                slo << RollupReader::Window{now - b.ms, now, RollupReader::Detail::CountsOnly};
            out << slo;
            for (RollupReader::Window &w : slo)
                w.detail = RollupReader::Detail::WithLatency;
            out << slo;
            for (int n = 0; n < 3; ++n) {
                QList<RollupReader::Window> set;
                const int count = 1 + int(random.bounded(8));
                for (int i = 0; i < count; ++i) {
                    const qint64 from = now - qint64(random.bounded(quint64(6 * kDay)));
                    const qint64 to = random.bounded(6) == 0 ? from - kMin : from + qint64(random.bounded(quint64(3 * kDay)));
                    set << RollupReader::Window{from, to, random.bounded(2) ? RollupReader::Detail::WithLatency
                                                                              : RollupReader::Detail::CountsOnly};
                    if (random.bounded(5) == 0)
                        set << set.last();
                }
                out << set;
            }
            return out;
        };
        const auto verifyAround = [&](const QList<qint64> &nows) {
            for (const qint64 now : nows) {
                for (const QList<RollupReader::Window> &set : sets(now)) {
                    verify(set);
                    if (QTest::currentTestFailed())
                        return;
                }
            }
        };
        // Nows on and off the hour and the day, before and after the minute rows end.
        QList<qint64> nows = {kDay0, kDay0 + kHour, kDay0 + 17 * kMin + 3'001, kDay0 - 1, kDay0 + 11 * kHour + 59 * kMin};
        for (int i = 0; i < 12; ++i)
            nows << kDay0 - 26 * kHour + qint64(random.bounded(quint64(40 * kHour)));
        verifyAround(nows);
        if (QTest::currentTestFailed())
            return;
        // Opened again, the store keeps window edges between passes (writeRollup() had turned that
        // off). Each now twice in a row, so that its second product set meets what the first kept
        // (these day rows are not their hours' sum, so only hours are kept).
        QVERIFY(openStore(store, db));
        for (const qint64 now : nows.mid(0, 8)) {
            for (int twice = 0; twice < 2; ++twice) {
                verifyAround({now});
                if (QTest::currentTestFailed())
                    return;
            }
        }

        // Minutes kept for a day only (hours and days for 400): the horizon falls inside the
        // minute rows, and windows reaching below it read hours there.
        const qint64 pruneAt = kDay0 + 5 * kHour + 17 * kMin + 123;
        policy.minuteMs = kDay;
        store.setRetention(policy);
        QVERIFY(store.runRetention(pruneAt) > 0);
        const qint64 horizon = db.count(QStringLiteral("SELECT MIN(bucket) FROM %1").arg(db.rollupRows(QStringLiteral("rollup_minute"))));
        QVERIFY(horizon > kDay0 - 30 * kHour && horizon < kDay0);
        nows = {pruneAt, horizon + kHour + 1, horizon + 30 * kMin, kDay0 + 11 * kHour + 1};
        for (int i = 0; i < 12; ++i)
            nows << horizon - 2 * kHour + qint64(random.bounded(quint64(20 * kHour)));
        verifyAround(nows);
        if (QTest::currentTestFailed())
            return;

        // computeAll()'s reports are what one countsByService() per window gives: rolling windows
        // of two lengths, a calendar month, an SLO limited to some checks, one without objective.
        Config config;
        const auto service = [&](const QString &name, qint64 windowMs, bool month, const QStringList &sloChecks,
                                 double latencyMs) {
            ServiceConfig s;
            s.name = name;
            s.slo.availability = 99.5;
            s.slo.latencyMs = latencyMs;
            s.slo.windowMs = windowMs;
            s.slo.calendarMonth = month;
            s.slo.checks = sloChecks;
            s.slo.minBadEvents = 1;
            config.services << s;
        };
        service(QStringLiteral("s0"), 30 * kDay, false, {}, 400);
        service(QStringLiteral("s1"), 7 * kDay, false, {}, 0);
        service(QStringLiteral("s2"), 0, true, {QStringLiteral("d")}, 250);
        service(QStringLiteral("nothing"), 30 * kDay, false, {}, 400); // no checks in the store
        for (const qint64 now : {pruneAt, kDay0 + 9 * kHour + 41 * kMin + 7, horizon + 3 * kHour + 59 * kMin}) {
            const QList<SloReport> reports = SloMonitor::computeAll(store, config, now);
            QCOMPARE(reports.size(), config.services.size());
            for (qsizetype i = 0; i < reports.size(); ++i) {
                const ServiceConfig &s = config.services[i];
                const QHash<QString, QStringList> sloChecks = s.slo.checks.isEmpty()
                    ? QHash<QString, QStringList>{}
                    : QHash<QString, QStringList>{{s.name, s.slo.checks}};
                const auto [from, to] = SloCalculator::window(s.slo, now);
                const EventCounts window = store.countsByService(from, to, sloChecks).value(s.name);
                QMap<QString, EventCounts> burns;
                for (const SloCalculator::BurnWindow &b : SloCalculator::burnWindows()) {
                    const auto counts = store.countsByService(now - b.ms, now, sloChecks, RollupReader::Detail::CountsOnly);
                    if (counts.contains(s.name))
                        burns.insert(b.label, counts.value(s.name));
                }
                const SloReport expected = SloCalculator::compute(s.name, s.slo, now, window, burns);
                const SloReport &got = reports[i];
                QCOMPARE(got.service, expected.service);
                QCOMPARE(got.window, expected.window);
                QCOMPARE(got.fromMs, expected.fromMs);
                QCOMPARE(got.toMs, expected.toMs);
                COMPARE_COUNTS(got.counts, expected.counts);
                QCOMPARE(got.availability, expected.availability);
                QCOMPARE(got.latencySli, expected.latencySli);
                QCOMPARE(got.badAllowed, expected.badAllowed);
                QCOMPARE(got.budgetRemaining, expected.budgetRemaining);
                QCOMPARE(got.latencyBudgetRemaining, expected.latencyBudgetRemaining);
                QCOMPARE(got.burnRates, expected.burnRates);
                QCOMPARE(got.burnBadEvents, expected.burnBadEvents);
                QCOMPARE(got.alert, expected.alert);
                QCOMPARE(got.alertReason, expected.alertReason);
                QCOMPARE(got.budgetState, expected.budgetState);
                QCOMPARE(got.exhaustionMs, expected.exhaustionMs);
                QCOMPARE(got.p50, expected.p50);
                QCOMPARE(got.p95, expected.p95);
                QCOMPARE(got.p99, expected.p99);
                if (s.name != QStringLiteral("nothing")) {
                    QVERIFY(got.counts.total > 0);
                    QCOMPARE(got.burnRates.size(), SloCalculator::burnWindows().size());
                }
            }
        }
    }

    // countsByServiceMulti() reads most of an hour as the hour row minus the minutes outside the
    // window, trusting the hour row to be its minutes' sum. A store that breaks that (only
    // writeRollup() can) gets the difference read as zero, with a warning — never a count that
    // wrapped around below zero.
    void countsByServiceMultiTakesMinutesFromTheHour_data() { addBackends(); }
    void countsByServiceMultiTakesMinutesFromTheHour()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        const QString s = QStringLiteral("svc"), c = QStringLiteral("c");
        const qint64 ten = kDay0 + 10 * kHour;
        EventCounts hour;
        for (qint64 m = 0; m < 60; ++m) {
            EventCounts minute = counted(2, m % 10 == 0 ? 1 : 2, 1, m % 3);
            minute.latency.add(double(1 + m), 2);
            store.writeRollup(s, c, HistoryStore::Resolution::Minute, ten + m * kMin, minute);
            hour.merge(minute);
        }
        store.writeRollup(s, c, HistoryStore::Resolution::Hour, ten, hour);
        // Half of the next hour, read minute by minute by a third window.
        EventCounts eleven;
        for (qint64 m = 0; m < 30; ++m) {
            EventCounts minute = counted(1, 1, 1, 0);
            minute.latency.add(3, 1);
            store.writeRollup(s, c, HistoryStore::Resolution::Minute, ten + kHour + m * kMin, minute);
            eleven.merge(minute);
        }
        store.writeRollup(s, c, HistoryStore::Resolution::Hour, ten + kHour, eleven);
        QVERIFY(store.flush());
        const QList<RollupReader::Window> windows = {{ten + 5 * kMin, ten + kHour, RollupReader::Detail::WithLatency},
                                                     {ten + 5 * kMin, ten + kHour, RollupReader::Detail::CountsOnly},
                                                     {ten + 5 * kMin, ten + kHour + 30 * kMin, RollupReader::Detail::WithLatency}};
        const auto multi = [&] { return store.countsByServiceMulti(windows); };
        const EventCounts minutes = store.countsByService(ten + 5 * kMin, ten + kHour).value(s);
        QCOMPARE(minutes.total, quint64(110));
        QCOMPARE(minutes.good, quint64(105));
        QCOMPARE(minutes.latency.count(), quint64(110));
        QList<QHash<QString, EventCounts>> got = multi();
        QCOMPARE(got.size(), 3);
        COMPARE_COUNTS(got[0].value(s), minutes);
        QCOMPARE(got[1].value(s).total, minutes.total);
        QCOMPARE(got[1].value(s).latency.count(), quint64(0));
        const EventCounts across = store.countsByService(ten + 5 * kMin, ten + kHour + 30 * kMin).value(s);
        QCOMPARE(across.total, quint64(140));
        COMPARE_COUNTS(got[2].value(s), across);

        // An hour row holding less than the five minutes outside the window.
        EventCounts small = counted(4, 4, 4, 0);
        small.latency.add(1, 4);
        store.writeRollup(s, c, HistoryStore::Resolution::Hour, ten, small);
        QVERIFY(store.flush());
        for (int i = 0; i < 3; ++i)
            QTest::ignoreMessage(QtWarningMsg, "history: an hour's rollup holds less than its minutes; the difference was read as zero");
        got = multi();
        QCOMPARE(got.size(), 3);
        QCOMPARE(got[0].value(s).total, quint64(0));
        QCOMPARE(got[0].value(s).good, quint64(0));
        QCOMPARE(got[0].value(s).latency.count(), quint64(0));
        QCOMPARE(got[1].value(s).total, quint64(0));
        // The shortfall is not taken from the half hour read minute by minute.
        COMPARE_COUNTS(got[2].value(s), eleven);
    }

    // WindowEdgeCache by itself: sums over any rows of a bucket, and a bucket's rows kept only with
    // the bucket row they were read with.
    void windowEdgeCache()
    {
        using Counters = WindowEdgeCache::Counters;
        const auto Hour = RollupResolution::Hour;
        const qint64 h = kDay0 + 7 * kHour;
        // Minutes 0, 1, 5 and 59.
        const std::vector<std::pair<qint64, Counters>> minutes = {{h, {2, 2, 1, 0}},
                                                                   {h + kMin, {3, 1, 1, 1}},
                                                                   {h + 5 * kMin, {1, 1, 1, 0}},
                                                                   {h + 59 * kMin, {4, 3, 2, 2}}};
        const WindowEdgeCache::Rows rows(minutes);
        qsizetype n = -1;
        QCOMPARE(rows.sum(h, h + kHour, &n), (Counters{10, 7, 5, 3}));
        QCOMPARE(n, qsizetype(4));
        QCOMPARE(rows.all(), (Counters{10, 7, 5, 3}));
        QCOMPARE(rows.sum(h + kMin, h + 5 * kMin, &n), (Counters{3, 1, 1, 1}));
        QCOMPARE(n, qsizetype(1));
        QCOMPARE(rows.sum(h + kMin, h + 5 * kMin + 1, &n), (Counters{4, 2, 2, 1}));
        QCOMPARE(n, qsizetype(2));
        QCOMPARE(rows.sum(h + 2 * kMin, h + 5 * kMin, &n), Counters{});
        QCOMPARE(n, qsizetype(0));
        QCOMPARE(rows.sum(h + 6 * kMin, h + 3 * kMin, &n), Counters{}); // reversed
        QCOMPARE(n, qsizetype(0));
        QCOMPARE(WindowEdgeCache::Rows({}).all(), Counters{});
        Counters one;
        QVERIFY(rows.at(h + 5 * kMin, &one));
        QCOMPARE(one, (Counters{1, 1, 1, 0}));
        QVERIFY(!rows.at(h + 4 * kMin, &one));
        QVERIFY(!rows.at(h + kHour, &one));

        WindowEdgeCache cache;
        cache.beginPass();
        const Counters row{10, 7, 5, 3};
        QVERIFY(!cache.find(Hour, 1, h, row));
        cache.keep(Hour, 1, h, row, rows);
        QCOMPARE(cache.size(), qsizetype(1));
        const WindowEdgeCache::Rows *kept = cache.find(Hour, 1, h, row);
        QVERIFY(kept);
        QCOMPARE(kept->sum(h + 5 * kMin, h + kHour, &n), (Counters{5, 4, 3, 2}));
        QVERIFY(!cache.find(Hour, 2, h, row));                    // another check
        QVERIFY(!cache.find(Hour, 1, h + kHour, row));            // another hour
        QVERIFY(!cache.find(RollupResolution::Day, 1, h, row)); // a day starting there
        // The hour row has grown: a result came late. The minutes are read again.
        QVERIFY(!cache.find(Hour, 1, h, Counters{11, 7, 5, 3}));
        QCOMPARE(cache.size(), qsizetype(0));
        // Minutes that do not add up to their hour are not kept.
        cache.keep(Hour, 1, h, Counters{12, 7, 5, 3}, rows);
        QCOMPARE(cache.size(), qsizetype(0));
        // A bucket no pass asks for is forgotten after a few passes; one in use stays.
        cache.keep(Hour, 1, h, row, rows);
        cache.keep(Hour, 2, h, row, rows);
        for (int pass = 0; pass < 8; ++pass) {
            cache.beginPass();
            QVERIFY(cache.find(Hour, 2, h, row));
        }
        QCOMPARE(cache.size(), qsizetype(1));
        QVERIFY(!cache.find(Hour, 1, h, row));
        cache.clear();
        QCOMPARE(cache.size(), qsizetype(0));
    }

    // countsByCheckMulti() on SQLite with a WindowEdgeCache: the minutes of the hours and the hours
    // of the days the burn windows start inside are kept after a pass and taken from there while
    // the hour (day) rows stay as they were; a result arriving late in one of them is counted on
    // the next pass.
    void countsByCheckMultiKeepsWindowEdges()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        HistoryStore store;
        QVERIFY(openStore(store, db));
        const QString s = QStringLiteral("svc");
        const qint64 now = kDay0 + 10 * kHour + 23 * kMin + 7;
        // Two checks, every 2 minutes (one at :00, one at :01) for three days and two hours.
        for (qint64 t = now - 3 * kDay - 2 * kHour; t < now; t += 2 * kMin) {
            const qint64 k = t / (2 * kMin);
            store.record(result(s, QStringLiteral("a"), t, k % 17 == 0 ? Health::Down : Health::Ok, double(k % 300)));
            store.record(result(s, QStringLiteral("b"), t + kMin, k % 5 == 0 ? Health::Unknown : Health::Ok, 20));
        }
        QVERIFY2(store.flush(), qPrintable(store.lastError()));
        // 3: a check without a single row.
        const QList<qint64> ids = {1, 2, 3};
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM checks")), qint64(2));

        WindowEdgeCache cache;
        const RollupReader reader(db.connection(), db.dialect(), &cache);
        QList<RollupReader::Window> windows;
        for (const SloCalculator::BurnWindow &b : SloCalculator::burnWindows())
            windows << RollupReader::Window{now - b.ms, now, RollupReader::Detail::CountsOnly};
        windows << RollupReader::Window{now - 30 * kDay, now, RollupReader::Detail::WithLatency};
        const auto verify = [&] {
            QList<QHash<qint64, EventCounts>> multi;
            QString why;
            QVERIFY2(reader.countsByCheckMulti(ids, windows, &multi, &why), qPrintable(why));
            QCOMPARE(multi.size(), windows.size());
            for (qsizetype w = 0; w < windows.size(); ++w) {
                QHash<qint64, EventCounts> single;
                QVERIFY2(reader.countsByCheck(ids, windows[w].fromMs, windows[w].toMs, &single, &why, windows[w].detail),
                         qPrintable(why));
                QCOMPARE(multi[w].size(), 2);
                QCOMPARE(single.size(), 2);
                for (const qint64 id : ids)
                    COMPARE_COUNTS(multi[w].value(id), single.value(id));
            }
        };
        verify();
        if (QTest::currentTestFailed())
            return;
        // Per check, the hours the burn windows start inside: 10:00 three days and one day back,
        // 04:00 and 09:00 today (6 h, and 1 h and 30 m), not today's 10:00, where they end; and
        // the days: three days and one day back.
        QCOMPARE(cache.size(), qsizetype(6 * 2));
        const qint64 found = cache.found();
        verify();
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(cache.size(), qsizetype(6 * 2));
        QCOMPARE(cache.found() - found, qint64(6 * 2)); // the second pass read none of them again

        // Late results in the 1 d window's first hour, one inside the window and one before it,
        // and one in its first day after that hour; then one in the 3 d window's first day.
        QList<QHash<qint64, EventCounts>> before;
        QString why;
        QVERIFY(reader.countsByCheckMulti(ids, windows, &before, &why));
        store.record(result(s, QStringLiteral("a"), now - kDay + 30 * kMin, Health::Down, 5));
        store.record(result(s, QStringLiteral("a"), now - kDay - 10 * kMin, Health::Down, 5));
        store.record(result(s, QStringLiteral("a"), now - kDay + 5 * kHour, Health::Down, 5));
        QVERIFY2(store.flush(), qPrintable(store.lastError()));
        verify();
        if (QTest::currentTestFailed())
            return;
        QList<QHash<qint64, EventCounts>> after;
        QVERIFY(reader.countsByCheckMulti(ids, windows, &after, &why));
        const qsizetype day = SloCalculator::burnWindows().size() - 2; // 1d, then 3d
        QCOMPARE(SloCalculator::burnWindows()[day].label, QStringLiteral("1d"));
        QCOMPARE(after[day].value(1).total, before[day].value(1).total + 2);
        QCOMPARE(after[day].value(1).bad(), before[day].value(1).bad() + 2);
        QCOMPARE(after[day + 1].value(1).total, before[day + 1].value(1).total + 3);
        QCOMPARE(after[day].value(2), before[day].value(2));
        store.record(result(s, QStringLiteral("b"), now - 3 * kDay + 2 * kHour, Health::Down, 5));
        QVERIFY2(store.flush(), qPrintable(store.lastError()));
        verify();
        if (QTest::currentTestFailed())
            return;
        QVERIFY(reader.countsByCheckMulti(ids, windows, &before, &why));
        QCOMPARE(before[day + 1].value(2).total, after[day + 1].value(2).total + 1);
        QCOMPARE(before[day].value(2), after[day].value(2));

        // And in the hours today's windows start in, whose own rows are read with today's hours:
        // 04:43 (6 h, 1 d, 3 d) and 09:33 (1 h; the 30 m window starts at 09:53).
        store.record(result(s, QStringLiteral("b"), now - 6 * kHour + 20 * kMin, Health::Down, 5));
        store.record(result(s, QStringLiteral("a"), now - 50 * kMin, Health::Down, 5));
        QVERIFY2(store.flush(), qPrintable(store.lastError()));
        verify();
        if (QTest::currentTestFailed())
            return;
        QVERIFY(reader.countsByCheckMulti(ids, windows, &after, &why));
        QCOMPARE(SloCalculator::burnWindows()[2].label, QStringLiteral("1h"));
        QCOMPARE(after[2].value(1).total, before[2].value(1).total + 1);
        QCOMPARE(after[1].value(1).total, before[1].value(1).total); // 30m
        QCOMPARE(after[3].value(2).total, before[3].value(2).total + 1); // 6h
    }

    void writeRollupReplaces_data() { addBackends(); }
    void writeRollupReplaces()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        const QString s = QStringLiteral("svc"), c = QStringLiteral("c");
        const qint64 ten = kDay0 + 10 * kHour;
        EventCounts hour = counted(100, 90, 80, 5);
        hour.latency.add(12, 60);
        hour.latency.add(480, 40);
        // Not aligned: it lands on its hour.
        store.writeRollup(s, c, HistoryStore::Resolution::Hour, ten + 17 * kMin, hour);
        EventCounts day = counted(2400, 2300, 2000, 10);
        store.writeRollup(s, c, HistoryStore::Resolution::Day, kDay0 - kDay, day);
        QVERIFY(store.flush());
        COMPARE_COUNTS(store.counts(s, {}, ten, ten + kHour), hour);
        COMPARE_COUNTS(store.counts(s, {}, kDay0 - kDay, kDay0), day);
        QCOMPARE(db.count(QStringLiteral("SELECT bucket FROM %1").arg(db.rollupRows(QStringLiteral("rollup_hour")))), ten);

        // Written again, it replaces.
        hour = counted(7, 7, 7, 0);
        store.writeRollup(s, c, HistoryStore::Resolution::Hour, ten, hour);
        QVERIFY(store.flush());
        COMPARE_COUNTS(store.counts(s, {}, ten, ten + kHour), hour);

        // In its place among results: what came before is replaced, what comes after is added.
        store.record(result(s, c, ten + 30 * kMin, Health::Ok, 10));
        const EventCounts minute = counted(3, 2, 2, 1);
        store.writeRollup(s, c, HistoryStore::Resolution::Minute, ten + 30 * kMin, minute);
        store.writeRollup(s, c, HistoryStore::Resolution::Hour, ten, hour);
        store.record(result(s, c, ten + 30 * kMin + 1000, Health::Down, 10));
        QVERIFY(store.flush());
        EventCounts expected = hour;
        addOne(expected, Health::Down, 10);
        COMPARE_COUNTS(store.counts(s, {}, ten, ten + kHour), expected);
        expected = minute;
        addOne(expected, Health::Down, 10);
        COMPARE_COUNTS(store.counts(s, {}, ten + 30 * kMin, ten + 31 * kMin), expected);
        // The writer's cached rows follow: results on top keep adding to the replaced rows.
        store.record(result(s, c, ten + 30 * kMin + 2000, Health::Ok, 10));
        QVERIFY(store.flush());
        QCOMPARE(store.counts(s, {}, ten + 30 * kMin, ten + 31 * kMin).total, quint64(5));
    }

    // On PostgreSQL a retention pass packs the minute rows of closed hours and the hour rows of
    // closed days (PackedRollups). Counts, charts, multi-window passes and percentiles read the
    // same before and after; a result arriving later for a packed bucket counts once, before and
    // after the next pass merges it in; and a writer whose cached newest bucket was packed away
    // does not count that bucket twice. On SQLite nothing is packed and the same holds trivially.
    void packedPeriodsReadAsBefore_data() { addBackends(); }
    void packedPeriodsReadAsBefore()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        const QString s = QStringLiteral("svc");
        constexpr double kThreshold = 250;
        store.setLatencyThresholds({{s, kThreshold}});
        // Checks a and b every 20 s from 21:00 to 03:00 across midnight; c once, at 00:10:05.
        const qint64 from = kDay0 - 3 * kHour, to = kDay0 + 3 * kHour;
        int i = 0;
        for (qint64 t = from; t < to; t += 20'000, ++i) {
            for (const QString &c : {QStringLiteral("a"), QStringLiteral("b")}) {
                const Health h = i % 11 == 0 ? Health::Unknown : i % 7 == 0 ? Health::Down : Health::Ok;
                store.record(result(s, c, t + (c == u"b" ? 1 : 0), h, h == Health::Unknown ? -1 : 5 + (i * 37) % 500));
            }
        }
        store.record(result(s, QStringLiteral("c"), kDay0 + 10 * kMin + 5'000, Health::Ok, 42));
        QVERIFY(store.flush());

        const QList<QPair<qint64, qint64>> windows = {
            {from, to},
            {kDay0 - kDay, kDay0 + kDay},
            {kDay0 - 2 * kHour - 17 * kMin + 5'000, kDay0 + kHour + 3 * kMin},
            {kDay0 - 2 * kHour + 30 * kMin, kDay0 - 2 * kHour + 31 * kMin},
            {kDay0 + 10 * kMin, kDay0 + 11 * kMin},
            {kDay0 + 2 * kHour, kDay0 + 2 * kHour + 30 * kMin},
        };
        QList<RollupReader::Window> multi;
        for (const auto &w : windows)
            multi.append({w.first, w.second, RollupReader::Detail::WithLatency});
        multi.append({from, to, RollupReader::Detail::CountsOnly});
        struct Answers
        {
            QList<EventCounts> counts;
            QList<EventCounts> checkC;
            QList<QHash<QString, EventCounts>> multi;
            QList<QPair<qint64, EventCounts>> minutes;
            QList<QPair<qint64, EventCounts>> hours;
        };
        const auto read = [&] {
            Answers a;
            for (const auto &w : windows) {
                a.counts << store.counts(s, {}, w.first, w.second);
                a.checkC << store.counts(s, {QStringLiteral("c")}, w.first, w.second);
            }
            a.multi = store.countsByServiceMulti(multi);
            a.minutes = store.series(s, {}, kDay0 - 2 * kHour - 5 * kMin, kDay0 + 2 * kHour + 5 * kMin, kMin);
            a.hours = store.series(s, {}, kDay0 - kDay, kDay0 + kDay, kHour);
            return a;
        };
        const auto compare = [&](const Answers &got, const Answers &expected) {
            for (qsizetype w = 0; w < windows.size(); ++w) {
                COMPARE_COUNTS(got.counts.at(w), expected.counts.at(w));
                COMPARE_COUNTS(got.checkC.at(w), expected.checkC.at(w));
            }
            QCOMPARE(got.multi.size(), expected.multi.size());
            for (qsizetype w = 0; w < got.multi.size(); ++w)
                COMPARE_COUNTS(got.multi.at(w).value(s), expected.multi.at(w).value(s));
            QCOMPARE(got.minutes.size(), expected.minutes.size());
            for (qsizetype p = 0; p < got.minutes.size(); ++p)
                COMPARE_COUNTS(got.minutes.at(p).second, expected.minutes.at(p).second);
            QCOMPARE(got.hours.size(), expected.hours.size());
            for (qsizetype p = 0; p < got.hours.size(); ++p)
                COMPARE_COUNTS(got.hours.at(p).second, expected.hours.at(p).second);
        };
        // Minutes are kept throughout, so every window is read to whole minutes.
        const auto rawInWindow = [&](qsizetype w) {
            return rawSums(db, floorTo(windows.at(w).first, kMin), ceilTo(windows.at(w).second, kMin), kThreshold);
        };
        const Answers unpacked = read();
        QCOMPARE(unpacked.counts.first().total + unpacked.counts.first().unknown, quint64(2 * 1080 + 1));
        QVERIFY(unpacked.counts.first().latency.count() > 1800);
        for (qsizetype w = 0; w < windows.size(); ++w)
            COMPARE_COUNTERS(unpacked.counts.at(w), rawInWindow(w));

        // At 03:30 the hours before 02:00 are packed, and the day before.
        const qint64 now = kDay0 + 3 * kHour + 30 * kMin;
        const QString minuteRows = QStringLiteral("SELECT COUNT(*) FROM rollup_minute WHERE bucket < %1").arg(kDay0 + 2 * kHour);
        const qint64 minutesBefore = db.count(minuteRows);
        QCOMPARE(store.runRetention(now), 0);
        if (db.isPostgres()) {
            QCOMPARE(db.count(minuteRows), 0);
            QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM rollup_minute_packed")), 2 * 5 + 1);
            QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM rollup_hour WHERE bucket < %1").arg(kDay0)), 0);
            QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM rollup_hour_packed")), 2);
            QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM rollup_minute")), 2 * 60);
        } else {
            QCOMPARE(db.count(minuteRows), minutesBefore);
        }
        compare(read(), unpacked);
        if (QTest::currentTestFailed())
            return;

        // Late results: one in a packed minute (and hour) of a, one in c's packed minute, which
        // the writer still holds as c's newest.
        store.record(result(s, QStringLiteral("a"), kDay0 - 2 * kHour + 30 * kMin + 7'000, Health::Down, 900));
        store.record(result(s, QStringLiteral("c"), kDay0 + 10 * kMin + 30'000, Health::Ok, 43));
        QVERIFY(store.flush());
        const Answers late = read();
        for (qsizetype w = 0; w < windows.size(); ++w)
            COMPARE_COUNTERS(late.counts.at(w), rawInWindow(w));
        COMPARE_COUNTERS(late.checkC.at(4), counted(2, 2, 2, 0));
        QCOMPARE(late.checkC.at(4).latency.count(), quint64(2));
        QCOMPARE(late.counts.at(3).total, unpacked.counts.at(3).total + 1);
        QCOMPARE(late.counts.at(3).latency.count(), unpacked.counts.at(3).latency.count() + 1);

        // The next pass merges them into the packed rows; nothing reads differently.
        QCOMPARE(store.runRetention(now), 0);
        if (db.isPostgres()) {
            QCOMPARE(db.count(minuteRows), 0);
            QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM rollup_minute_packed")), 2 * 5 + 1);
            QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM rollup_hour_packed")), 2);
        }
        compare(read(), late);
    }

    // A packed hour's counters are two bytes: a day where a slot passes 32767 stays unpacked,
    // whether on its own or merged with its packed row, and reads the same as before.
    // (writeRollup() replaces the row the writer keeps; a bucket already packed keeps its packed
    // counts too.)
    void packingLeavesHugeCountsUnpacked_data() { addBackends(); }
    void packingLeavesHugeCountsUnpacked()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        const QString s = QStringLiteral("svc"), c = QStringLiteral("c");
        const auto write = [&](qint64 bucket, quint64 total) {
            store.writeRollup(s, c, HistoryStore::Resolution::Hour, bucket, counted(total, total, total, 0));
        };
        const auto hour = [&](qint64 bucket) { return store.counts(s, {c}, bucket, bucket + kHour).total; };
        const qint64 day1 = kDay0 - 2 * kDay, day2 = kDay0 - kDay;
        write(day1 + 5 * kHour, 40'000);
        write(day1 + 6 * kHour, 10);
        write(day2 + 5 * kHour, 30'000);
        QVERIFY(store.flush());
        const qint64 now = kDay0 + 5 * kHour;
        QCOMPARE(store.runRetention(now), 0);
        const QString unpacked = QStringLiteral("SELECT COUNT(*) FROM rollup_hour");
        QCOMPARE(db.count(unpacked), db.isPostgres() ? 2 : 3);
        QCOMPARE(hour(day1 + 5 * kHour), quint64(40'000));
        QCOMPARE(hour(day1 + 6 * kHour), quint64(10));
        QCOMPARE(hour(day2 + 5 * kHour), quint64(30'000));

        // 5,000 more on top of the packed 30,000: left beside it, and so is a later hour of the day.
        write(day2 + 5 * kHour, 5'000);
        write(day2 + 6 * kHour, 7);
        QVERIFY(store.flush());
        QCOMPARE(store.runRetention(now), 0);
        QCOMPARE(db.count(unpacked), 4);
        QCOMPARE(hour(day2 + 5 * kHour), db.isPostgres() ? quint64(35'000) : quint64(5'000));
        QCOMPARE(hour(day2 + 6 * kHour), quint64(7));
        QCOMPARE(hour(day1 + 5 * kHour), quint64(40'000));
    }

    // More rows that stay unpacked than a packing transaction takes (RollupPacker::kChunkRows):
    // the packer steps past them to the days it can pack, and the pass ends.
    void packingStepsPastUnpackableRows_data() { addBackends(); }
    void packingStepsPastUnpackableRows()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        const QString s = QStringLiteral("svc"), c = QStringLiteral("c");
        constexpr int kBigDays = 220; // 24 rows each: 5,280 rows left unpacked
        static_assert(kBigDays * 24 > RollupPacker::kChunkRows);
        const qint64 first = kDay0 - (kBigDays + 3) * kDay;
        quint64 written = 0;
        for (qint64 day = first; day < kDay0; day += kDay) {
            for (int h = 0; h < 24; ++h) {
                const quint64 total = day < first + kBigDays * kDay && h == 3 ? 40'000 : 100;
                store.writeRollup(s, c, HistoryStore::Resolution::Hour, day + h * kHour, counted(total, total, 0, 0));
                written += total;
            }
        }
        QVERIFY(store.flush());
        QCOMPARE(store.runRetention(kDay0 + 5 * kHour), 0);
        if (db.isPostgres()) {
            QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM rollup_hour")), kBigDays * 24);
            QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM rollup_hour_packed")), 3);
        }
        QCOMPARE(quint64(db.count(QStringLiteral("SELECT SUM(total) FROM %1").arg(db.rollupRows(QStringLiteral("rollup_hour"))))),
                 written);
        QCOMPARE(store.counts(s, {c}, first + 3 * kHour, first + 4 * kHour).total, quint64(40'000));
        QCOMPARE(store.counts(s, {c}, kDay0 - kDay + 3 * kHour, kDay0 - kDay + 4 * kHour).total, quint64(100));
    }

    void twoWritersShareRows_data() { addBackends(); }
    void twoWritersShareRows()
    {
        // Two OpsDecks recording into the same rows (a shared PostgreSQL; or one SQLite file):
        // neither overwrites what the other added, although each keeps the rows in memory.
        OPEN_TEST_DATABASE(db);
        HistoryStore one, two;
        QString error;
        QVERIFY2(openStore(one, db, &error), qPrintable(error));
        QVERIFY2(openStore(two, db, &error), qPrintable(error));
        const qint64 t = kDay0 + 10 * kHour;
        for (int i = 0; i < 40; ++i) {
            HistoryStore &store = i % 3 ? one : two;
            store.record(result(QStringLiteral("svc"), QStringLiteral("c"), t + i * 100, i % 5 ? Health::Ok : Health::Down, 10 + i));
            QVERIFY(store.flush());
        }
        COMPARE_COUNTERS(one.counts(QStringLiteral("svc"), {}, t, t + kMin), counted(40, 32, 32, 0));
        const EventCounts seen = two.counts(QStringLiteral("svc"), {}, kDay0, kDay0 + kDay);
        COMPARE_COUNTERS(seen, counted(40, 32, 32, 0));
        QCOMPARE(seen.latency.count(), quint64(40));
        QCOMPARE(one.results(QStringLiteral("svc"), {}, 0, 0).size(), 40);
    }

    // The same with batches of many checks: on PostgreSQL the writer merges a batch's rows of a
    // tier in statements of up to 1000 rows (here one of 1000 and one of 3), and the rows the other
    // writer changed meanwhile are read and merged again one by one. Writer two touches only every
    // tenth check, so writer one's statements apply to some rows and not to others.
    void twoWritersShareManyRows_data() { addBackends(); }
    void twoWritersShareManyRows()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore one, two;
        QString error;
        QVERIFY2(openStore(one, db, &error), qPrintable(error));
        QVERIFY2(openStore(two, db, &error), qPrintable(error));
        const int checks = 1003;
        const int rounds = 4;
        const qint64 t = kDay0 + 10 * kHour;
        QList<EventCounts> want(checks);
        EventCounts all;
        for (int i = 0; i < rounds; ++i) {
            HistoryStore &store = i % 2 ? one : two;
            for (int c = i % 2 ? 0 : 1; c < checks; c += i % 2 ? 1 : 10) {
                const bool ok = (i + c) % rounds;
                store.record(result(QStringLiteral("svc"), QStringLiteral("c%1").arg(c), t + i * 1000 + c % 1000,
                                    ok ? Health::Ok : Health::Down, 10 + c % 100));
                for (EventCounts *counts : {&want[c], &all}) {
                    ++counts->total;
                    counts->good += ok;
                    counts->latencyGood += ok;
                }
            }
            QVERIFY2(store.flush(), qPrintable(store.lastError()));
        }
        for (HistoryStore *store : {&one, &two}) {
            const EventCounts minute = store->counts(QStringLiteral("svc"), {}, t, t + kMin);
            COMPARE_COUNTERS(minute, all);
            QCOMPARE(minute.latency.count(), all.total);
            COMPARE_COUNTERS(store->counts(QStringLiteral("svc"), {}, kDay0, kDay0 + kDay), minute);
            COMPARE_COUNTERS(store->counts(QStringLiteral("svc"), {}, t, t + kHour), minute);
        }
        for (const int c : {0, 1, 2, 991, 999, 1000, 1001, 1002}) {
            const QStringList check = {QStringLiteral("c%1").arg(c)};
            COMPARE_COUNTERS(one.counts(QStringLiteral("svc"), check, t, t + kMin), want.at(c));
            COMPARE_COUNTERS(two.counts(QStringLiteral("svc"), check, kDay0, kDay0 + kDay), want.at(c));
        }
    }

    void databaseSize_data() { addBackends(); }
    void databaseSize()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        const qint64 empty = store.databaseSizeBytes();
        QVERIFY2(empty > 0, qPrintable(QString::number(empty)));
        for (int i = 0; i < 20'000; ++i)
            store.record(result(QStringLiteral("svc"), QStringLiteral("c%1").arg(i % 20), kDay0 + i * 500, Health::Ok, i % 300));
        QVERIFY(store.flush());
        const qint64 full = store.databaseSizeBytes();
        QVERIFY2(full > empty + 20'000 * 10, qPrintable(QStringLiteral("%1 → %2").arg(empty).arg(full)));
        qInfo("%s: %lld bytes empty, %lld bytes with 20,000 results", QTest::currentDataTag(), empty, full);
    }

    void automaticRetention_data() { addBackends(); }
    void automaticRetention()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        RetentionPolicy often;
        often.autoIntervalMs = 200;
        store.setRetention(often);
        QVERIFY(store.open(db.location()));
        // Three days old by the real clock: raw goes, the rollups stay.
        const qint64 old = QDateTime::currentMSecsSinceEpoch() - 3 * kDay;
        for (int i = 0; i < 100; ++i)
            store.record(result(QStringLiteral("svc"), QStringLiteral("c"), old + i * 1000, Health::Ok, 10));
        QVERIFY(store.flush());
        QTRY_COMPARE_WITH_TIMEOUT(db.count(QStringLiteral("SELECT COUNT(*) FROM results")), 0, 30'000);
        QCOMPARE(store.counts(QStringLiteral("svc"), {}, old, old + 100'000).total, quint64(100));
        // Recording goes on meanwhile.
        store.record(result(QStringLiteral("svc"), QStringLiteral("c"), QDateTime::currentMSecsSinceEpoch(), Health::Ok, 1));
        QVERIFY(store.flush());
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM results")), 1);
    }
};

QTEST_GUILESS_MAIN(TestHistoryRollups)
#include "tst_historyrollups.moc"
