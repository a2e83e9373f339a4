#include "clock.h"
#include "conditionparser.h"
#include "historystore.h"
#include "probefactory.h"
#include "rawhttpserver.h"
#include "secretresolver.h"
#include "secretstore.h"
#include "watcher.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

namespace {

CheckConfig httpCheck(const QString &name, const QString &url, qint64 intervalMs, qint64 timeoutMs)
{
    CheckConfig c;
    c.name = name;
    c.http.url = url;
    c.intervalMs = intervalMs;
    c.timeoutMs = timeoutMs;
    c.failureThreshold = 1;
    c.conditions.append({std::get<Condition>(ConditionParser::parse(u"[STATUS] == 200")), {}});
    return c;
}

} // namespace

// The scheduler and watcher against real local servers, with real time.
class TestScheduler : public QObject
{
    Q_OBJECT

private slots:
    void hangingTargetDoesNotDelayOthers()
    {
        RawHttpServer server;
        Config config;
        ServiceConfig hanging;
        hanging.name = QStringLiteral("hanging");
        // Three checks against a host that never answers, more than its per-host slots.
        for (int i = 0; i < 3; ++i)
            hanging.checks << httpCheck(QStringLiteral("h%1").arg(i), server.url(QStringLiteral("/hang"), QStringLiteral("localhost")), 300, 1500);
        ServiceConfig healthy;
        healthy.name = QStringLiteral("healthy");
        for (int i = 0; i < 3; ++i)
            healthy.checks << httpCheck(QStringLiteral("ok%1").arg(i), server.url(QStringLiteral("/ok")), 200, 1000);
        config.services << hanging << healthy;
        config.scheduler.perHost = 2;
        config.scheduler.maxConcurrent = 8;

        ProbeFactory factory;
        Scheduler scheduler(&factory, nullptr, SystemClock::instance());
        scheduler.setChecks(config);
        QHash<QString, QList<qint64>> times;
        QElapsedTimer clock;
        clock.start();
        connect(&scheduler, &Scheduler::resultReady, this, [&](const CheckResult &r) { times[r.key()] << clock.elapsed(); });
        scheduler.start();
        QTest::qWait(3000);
        scheduler.stop();

        for (int i = 0; i < 3; ++i) {
            const QList<qint64> t = times.value(QStringLiteral("healthy/ok%1").arg(i));
            // 200 ms cadence over 3 s: about 15 runs; the first starts within 200 ms.
            QVERIFY2(t.size() >= 11, qPrintable(QStringLiteral("ok%1 ran %2 times").arg(i).arg(t.size())));
            qint64 worstGap = t.first();
            for (qsizetype k = 1; k < t.size(); ++k)
                worstGap = qMax(worstGap, t[k] - t[k - 1]);
            QVERIFY2(worstGap < 600, qPrintable(QStringLiteral("ok%1 waited %2 ms between runs").arg(i).arg(worstGap)));
        }
        // The hanging checks time out on their own schedule and skip runs while stuck.
        // Two per-host slots: two of the three time out within the run, the third waits its turn.
        int hangingResults = 0;
        for (int i = 0; i < 3; ++i)
            hangingResults += int(times.value(QStringLiteral("hanging/h%1").arg(i)).size());
        QVERIFY2(hangingResults >= 2, qPrintable(QString::number(hangingResults)));
        QVERIFY(scheduler.skipped() > 0);
    }

    void limitsAreHonoured()
    {
        RawHttpServer server;
        Config config;
        ServiceConfig s;
        s.name = QStringLiteral("slow");
        for (int i = 0; i < 6; ++i)
            s.checks << httpCheck(QStringLiteral("s%1").arg(i), server.url(QStringLiteral("/slow")), 100, 2000);
        config.services << s;
        config.scheduler.perHost = 2;
        ProbeFactory factory;
        Scheduler scheduler(&factory, nullptr, SystemClock::instance());
        scheduler.setChecks(config);
        int maxInFlight = 0;
        connect(&scheduler, &Scheduler::resultReady, this, [&] { maxInFlight = qMax(maxInFlight, scheduler.inFlight() + 1); });
        scheduler.start();
        QTest::qWait(1500);
        scheduler.stop();
        QVERIFY(server.hits(QStringLiteral("/slow")) >= 4);
        QCOMPARE(server.maxConcurrentSlow(), 2);
        QVERIFY(maxInFlight <= 2);
    }

    void retryAfterHonoured()
    {
        RawHttpServer server;
        Config config;
        ServiceConfig s;
        s.name = QStringLiteral("limited");
        s.checks << httpCheck(QStringLiteral("api"), server.url(QStringLiteral("/429")), 150, 1000);
        config.services << s;
        ProbeFactory factory;
        Scheduler scheduler(&factory, nullptr, SystemClock::instance());
        scheduler.setChecks(config);
        scheduler.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.hits(QStringLiteral("/429")), 1, 3000);
        QTest::qWait(1000); // Retry-After: 30 keeps the next run far away
        QCOMPARE(server.hits(QStringLiteral("/429")), 1);
    }

    void runOncePassFinished()
    {
        RawHttpServer server;
        Config config;
        ServiceConfig s;
        s.name = QStringLiteral("once");
        s.checks << httpCheck(QStringLiteral("a"), server.url(QStringLiteral("/ok")), 60'000, 1000)
                 << httpCheck(QStringLiteral("b"), server.url(QStringLiteral("/status/500")), 60'000, 1000);
        config.services << s;
        ProbeFactory factory;
        Scheduler scheduler(&factory, nullptr, SystemClock::instance());
        scheduler.setChecks(config);
        QSignalSpy results(&scheduler, &Scheduler::resultReady);
        QSignalSpy done(&scheduler, &Scheduler::passFinished);
        scheduler.runOnce();
        QVERIFY(done.wait(5000));
        QCOMPARE(results.size(), 2);
    }

    void watcherRecordsHistoryAndGoesBlind()
    {
        // Two hosts refusing at once: OpsDeck, not the fleet, is the likely problem.
        QTcpServer a, b;
        QVERIFY(a.listen(QHostAddress::LocalHost, 0));
        QVERIFY(b.listen(QHostAddress::LocalHost, 0));
        const quint16 pa = a.serverPort(), pb = b.serverPort();
        a.close();
        b.close();
        Config config;
        ServiceConfig s;
        s.name = QStringLiteral("fleet");
        s.checks << httpCheck(QStringLiteral("a"), QStringLiteral("http://127.0.0.1:%1/").arg(pa), 200, 500)
                 << httpCheck(QStringLiteral("b"), QStringLiteral("http://localhost:%1/").arg(pb), 200, 500);
        config.services << s;

        QTemporaryDir dir;
        HistoryStore history;
        QString error;
        QVERIFY2(history.open(StoreLocation::sqliteFile(dir.filePath(QStringLiteral("h.sqlite"))), &error), qPrintable(error));
        ProbeFactory factory;
        Watcher watcher(&factory, nullptr, &history, SystemClock::instance());
        watcher.setConfig(config);
        QSignalSpy blind(&watcher, &Watcher::blindChanged);
        watcher.start();
        QTRY_VERIFY_WITH_TIMEOUT(!blind.isEmpty(), 5000);
        QCOMPARE(blind.first().first().toBool(), true);
        QTRY_COMPARE_WITH_TIMEOUT(watcher.state().serviceHealth(u"fleet"_qs), Health::Unknown, 3000);
        QTest::qWait(600);
        watcher.stop();
        QCOMPARE(watcher.state().serviceHealth(u"fleet"_qs), Health::Unknown);
        QVERIFY(history.flush());
        const QList<CheckResult> stored = history.results(u"fleet"_qs, u"a"_qs, 0, 100);
        QVERIFY(!stored.isEmpty());
        const CheckResult &latest = stored.first();
        QCOMPARE(latest.outcome, Health::Unknown);
        QVERIFY2(latest.error.startsWith(u"OpsDeck cannot see:") && latest.error.contains(u"connection refused"), qPrintable(latest.error));
    }
};

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
