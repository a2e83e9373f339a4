#include "connectivityguard.h"
#include "fakeclock.h"
#include "statetracker.h"

#include <QSignalSpy>
#include <QtTest>

namespace {

Config config(int failureThreshold = 2, int successThreshold = 1, qint64 intervalMs = 10'000)
{
    Config c;
    ServiceConfig s;
    s.name = QStringLiteral("api");
    for (const char *name : {"health", "db"}) {
        CheckConfig check;
        check.name = QString::fromLatin1(name);
        check.intervalMs = intervalMs;
        check.failureThreshold = failureThreshold;
        check.successThreshold = successThreshold;
        s.checks << check;
    }
    c.services << s;
    return c;
}

CheckResult result(const FakeClock &clock, const char *check, Health outcome, const QString &why = {})
{
    CheckResult r;
    r.service = QStringLiteral("api");
    r.check = QString::fromLatin1(check);
    r.atMs = clock.nowMs();
    r.outcome = outcome;
    if (!why.isEmpty()) {
        r.failedCondition = QStringLiteral("[STATUS] == 200");
        r.actualValue = why;
    }
    return r;
}

} // namespace

class TestStateTracker : public QObject
{
    Q_OBJECT

private slots:
    void debounceDown()
    {
        FakeClock clock;
        StateTracker t(&clock);
        t.setChecks(config(3, 2));
        QSignalSpy changes(&t, &StateTracker::checkChanged);
        t.ingest(result(clock, "health", Health::Ok));
        QCOMPARE(t.status(u"api"_qs, u"health"_qs)->health, Health::Ok);
        QCOMPARE(changes.size(), 1);

        t.ingest(result(clock, "health", Health::Down, u"got `500`"_qs));
        t.ingest(result(clock, "health", Health::Down, u"got `500`"_qs));
        QCOMPARE(t.status(u"api"_qs, u"health"_qs)->health, Health::Ok); // 2 of 3: not yet
        QCOMPARE(changes.size(), 1);
        t.ingest(result(clock, "health", Health::Down, u"got `503`"_qs));
        QCOMPARE(t.status(u"api"_qs, u"health"_qs)->health, Health::Down);
        QCOMPARE(changes.size(), 2);
        const auto down = changes.last().first().value<StateTransition>();
        QCOMPARE(down.from, Health::Ok);
        QCOMPARE(down.to, Health::Down);
        QCOMPARE(down.reason, QStringLiteral("[STATUS] == 200 — got `503`"));

        // Back up needs success_threshold = 2 successes.
        t.ingest(result(clock, "health", Health::Ok));
        QCOMPARE(t.status(u"api"_qs, u"health"_qs)->health, Health::Down);
        t.ingest(result(clock, "health", Health::Ok));
        QCOMPARE(t.status(u"api"_qs, u"health"_qs)->health, Health::Ok);
        QCOMPARE(changes.size(), 3);
    }

    void interruptedStreakDoesNotCount()
    {
        FakeClock clock;
        StateTracker t(&clock);
        t.setChecks(config(2));
        t.ingest(result(clock, "health", Health::Ok));
        t.ingest(result(clock, "health", Health::Down));
        t.ingest(result(clock, "health", Health::Ok));
        t.ingest(result(clock, "health", Health::Down));
        QCOMPARE(t.status(u"api"_qs, u"health"_qs)->health, Health::Ok);
    }

    void degradedAndDownSwitchOnceConfirmed()
    {
        FakeClock clock;
        StateTracker t(&clock);
        t.setChecks(config(2));
        t.ingest(result(clock, "health", Health::Degraded));
        t.ingest(result(clock, "health", Health::Degraded));
        QCOMPARE(t.status(u"api"_qs, u"health"_qs)->health, Health::Degraded);
        t.ingest(result(clock, "health", Health::Down));
        QCOMPARE(t.status(u"api"_qs, u"health"_qs)->health, Health::Down);
    }

    void unknownIsImmediateAndNotDown()
    {
        FakeClock clock;
        StateTracker t(&clock);
        t.setChecks(config(2));
        t.ingest(result(clock, "health", Health::Ok));
        CheckResult r = result(clock, "health", Health::Unknown);
        r.error = QStringLiteral("secret `k` is not set");
        t.ingest(r);
        const CheckStatus *s = t.status(u"api"_qs, u"health"_qs);
        QCOMPARE(s->health, Health::Unknown);
        QCOMPARE(s->reason, QStringLiteral("secret `k` is not set"));
    }

    void serviceIsWorstOfChecks()
    {
        FakeClock clock;
        StateTracker t(&clock);
        t.setChecks(config(1));
        QSignalSpy service(&t, &StateTracker::serviceChanged);
        t.ingest(result(clock, "health", Health::Ok));
        QCOMPARE(t.serviceHealth(u"api"_qs), Health::Unknown); // db has no result yet
        t.ingest(result(clock, "db", Health::Ok));
        QCOMPARE(t.serviceHealth(u"api"_qs), Health::Ok);
        t.ingest(result(clock, "db", Health::Degraded, u"got `slow`"_qs));
        QCOMPARE(t.serviceHealth(u"api"_qs), Health::Degraded);
        t.ingest(result(clock, "health", Health::Down, u"got `500`"_qs));
        QCOMPARE(t.serviceHealth(u"api"_qs), Health::Down);
        const auto last = service.last().first().value<StateTransition>();
        QCOMPARE(last.from, Health::Degraded);
        QCOMPARE(last.to, Health::Down);
        QCOMPARE(last.reason, QStringLiteral("health: [STATUS] == 200 — got `500`"));
        QVERIFY(last.check.isEmpty());
    }

    void staleAfterTwoIntervals()
    {
        FakeClock clock;
        StateTracker t(&clock);
        t.setChecks(config(1, 1, 10'000));
        t.ingest(result(clock, "health", Health::Ok));
        t.ingest(result(clock, "db", Health::Ok));
        clock.advance(19'999);
        t.checkStaleness();
        QCOMPARE(t.status(u"api"_qs, u"health"_qs)->health, Health::Ok);
        t.ingest(result(clock, "db", Health::Ok)); // db keeps reporting
        clock.advance(1);
        t.checkStaleness();
        const CheckStatus *s = t.status(u"api"_qs, u"health"_qs);
        QCOMPARE(s->health, Health::Stale);
        QCOMPARE(s->reason, QStringLiteral("no result for 20s (interval 10s)"));
        QCOMPARE(t.status(u"api"_qs, u"db"_qs)->health, Health::Ok);
        QCOMPARE(t.serviceHealth(u"api"_qs), Health::Stale);
        // A fresh result clears it.
        t.ingest(result(clock, "health", Health::Ok));
        QCOMPARE(t.status(u"api"_qs, u"health"_qs)->health, Health::Ok);
    }

    void staleTimerFiresByItself()
    {
        SystemClock clock;
        StateTracker t(&clock);
        t.setChecks(config(1, 1, 100));
        QSignalSpy changes(&t, &StateTracker::checkChanged);
        CheckResult r;
        r.service = QStringLiteral("api");
        r.check = QStringLiteral("health");
        r.atMs = clock.nowMs();
        r.outcome = Health::Ok;
        t.ingest(r);
        QTRY_COMPARE_WITH_TIMEOUT(t.status(u"api"_qs, u"health"_qs)->health, Health::Stale, 2000);
    }

    void flapping()
    {
        FakeClock clock;
        StateTracker t(&clock);
        t.setChecks(config(1));
        QSignalSpy flaps(&t, &StateTracker::flappingChanged);
        for (int i = 0; i < 12; ++i)
            t.ingest(result(clock, "health", i % 2 ? Health::Down : Health::Ok));
        QVERIFY(t.status(u"api"_qs, u"health"_qs)->flapping);
        QCOMPARE(flaps.size(), 1);
        QCOMPARE(flaps.first().at(2).toBool(), true);
        for (int i = 0; i < 20; ++i)
            t.ingest(result(clock, "health", Health::Ok));
        QVERIFY(!t.status(u"api"_qs, u"health"_qs)->flapping);
        QCOMPARE(flaps.size(), 2);
    }

    void reloadKeepsState()
    {
        FakeClock clock;
        StateTracker t(&clock);
        t.setChecks(config(1));
        t.ingest(result(clock, "health", Health::Down));
        Config c = config(1);
        c.services[0].checks.removeLast(); // db removed
        t.setChecks(c);
        QCOMPARE(t.status(u"api"_qs, u"health"_qs)->health, Health::Down);
        QVERIFY(!t.status(u"api"_qs, u"db"_qs));
        t.ingest(result(clock, "db", Health::Down)); // a late result of a removed check is ignored
    }

    void blindMakesEverythingUnknown()
    {
        FakeClock clock;
        StateTracker t(&clock);
        t.setChecks(config(1));
        t.ingest(result(clock, "health", Health::Ok));
        t.ingest(result(clock, "db", Health::Down));
        t.setBlind(true, QStringLiteral("uplink down"));
        QCOMPARE(t.status(u"api"_qs, u"health"_qs)->health, Health::Unknown);
        QCOMPARE(t.status(u"api"_qs, u"db"_qs)->reason, QStringLiteral("OpsDeck cannot see: uplink down"));
        QCOMPARE(t.serviceHealth(u"api"_qs), Health::Unknown);
    }

    void guardFromFleet()
    {
        FakeClock clock;
        ConnectivityGuard g(&clock);
        QSignalSpy spy(&g, &ConnectivityGuard::blindChanged);
        CheckResult refused;
        refused.outcome = Health::Down;
        refused.networkError = true;
        refused.atMs = clock.nowMs();
        g.ingest(QStringLiteral("a.example"), refused);
        QVERIFY(!g.isBlind()); // one host down is just that host
        g.ingest(QStringLiteral("b.example"), refused);
        QVERIFY(g.isBlind());
        QCOMPARE(spy.size(), 1);
        QVERIFY(g.reason().contains(u"all 2 monitored hosts are unreachable"));
        CheckResult http500;
        http500.outcome = Health::Down; // reached the server: not a network error
        http500.atMs = clock.nowMs();
        g.ingest(QStringLiteral("b.example"), http500);
        QVERIFY(!g.isBlind());
        QCOMPARE(spy.size(), 2);
        // Old results do not count as "at once".
        g.setHorizonMs(1000);
        g.ingest(QStringLiteral("b.example"), refused);
        QVERIFY(g.isBlind());
        clock.advance(5000);
        refused.atMs = clock.nowMs();
        g.ingest(QStringLiteral("c.example"), refused);
        QVERIFY(!g.isBlind());
    }

    void guardFromProbe()
    {
        FakeClock clock;
        ConnectivityGuard g(&clock);
        CheckResult probe;
        probe.outcome = Health::Down;
        probe.error = QStringLiteral("no connection within 3s");
        g.ingestProbe(probe);
        QVERIFY(g.isBlind());
        QCOMPARE(g.reason(), QStringLiteral("the connectivity probe fails (no connection within 3s)"));
        probe.outcome = Health::Ok;
        g.ingestProbe(probe);
        QVERIFY(!g.isBlind());
    }
};

QTEST_GUILESS_MAIN(TestStateTracker)
#include "tst_statetracker.moc"
