#include "fakeclock.h"
#include "historystore.h"
#include "recoverycriteria.h"
#include "slomonitor.h"
#include "testdatabase.h"

#include <QSignalSpy>
#include <QtTest>

namespace {
constexpr qint64 kMin = 60'000;
constexpr qint64 kNow = 1'762'992'000'000 + 12 * 3'600'000; // 2025-11-13T12:00:00Z

CheckResult result(const QString &check, qint64 at, Health outcome, double latencyMs, int status = 200)
{
    CheckResult r;
    r.service = QStringLiteral("api");
    r.check = check;
    r.atMs = at;
    r.outcome = outcome;
    r.latencyMs = latencyMs;
    r.httpStatus = status;
    return r;
}

Config config()
{
    Config c;
    ServiceConfig s;
    s.name = QStringLiteral("api");
    CheckConfig health;
    health.name = QStringLiteral("health");
    CheckConfig disk;
    disk.name = QStringLiteral("disk");
    s.checks << health << disk;
    s.slo.availability = 99;
    s.slo.windowMs = 86'400'000;
    s.slo.latencyMs = 400;
    s.slo.latencyTarget = 95;
    s.slo.checks = {QStringLiteral("health")};
    c.services << s;
    return c;
}
} // namespace

// SLOs over a real store (SQLite and PostgreSQL) with a history whose answers are known:
// one health result a minute for a day, 12 of them bad at chosen minutes.
class TestSloMonitor : public QObject
{
    Q_OBJECT

private:
    // k minutes before now (the result sits in the middle of that minute).
    static qint64 minutesAgo(int k) { return kNow - (k + 1) * kMin + 30'000; }

    void fill(HistoryStore &store, const QList<int> &badMinutes)
    {
        for (int k = 0; k < 1440; ++k) {
            const bool bad = badMinutes.contains(k);
            const bool slow = !bad && k % 30 == 15; // 48 good but slow results
            store.record(result(QStringLiteral("health"), minutesAgo(k), bad ? Health::Down : Health::Ok, slow ? 900 : 100,
                                bad ? 503 : 200));
            // The disk check is not one of the SLO's checks: its failures must not count.
            if (k % 10 == 0)
                store.record(result(QStringLiteral("disk"), minutesAgo(k) + 1000, Health::Down, -1, 0));
            // Results that could not judge the target count for nothing.
            if (k % 100 == 50) {
                CheckResult unknown = result(QStringLiteral("health"), minutesAgo(k) + 2000, Health::Unknown, -1, 0);
                store.record(unknown);
            }
        }
    }

private slots:
    void reportFromHistory_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
    }

    void reportFromHistory()
    {
        QFETCH(QString, backend);
        TestDatabase db(backend);
        if (db.unavailable()) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("OPSDECK_TEST_PG_URL is not set: the test script starts PostgreSQL for this suite");
            QSKIP("no PostgreSQL: run through scripts/test.sh");
        }
        QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
        HistoryStore store;
        RetentionPolicy keepAll;
        keepAll.autoIntervalMs = 0;
        store.setRetention(keepAll);
        QString error;
        QVERIFY2(store.open(db.location(), &error), qPrintable(error));
        store.setLatencyThresholds({{QStringLiteral("api"), 400.0}});

        // Bad: six in the last hour (one in the last 5 minutes, three in the last 30), three more
        // within 6 hours, three more within the day.
        const QList<int> bad = {0, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 600};
        fill(store, bad);
        QVERIFY(store.flush());

        FakeClock clock(kNow);
        SloMonitor monitor(&store, &clock);
        monitor.setConfig(config());
        QSignalSpy budget(&monitor, &SloMonitor::budgetStateChanged);
        QSignalSpy alert(&monitor, &SloMonitor::alertChanged);
        monitor.evaluate();
        const SloReport *r = monitor.report(QStringLiteral("api"));
        QVERIFY(r);
        QCOMPARE(r->counts.total, quint64(1440));
        QCOMPARE(r->counts.bad(), quint64(12));
        QCOMPARE(r->counts.unknown, quint64(14)); // minutes 50, 150, … 1350
        QCOMPARE(r->counts.latencyGood, quint64(1428 - 48));
        QVERIFY(qAbs(*r->availability - 1428.0 / 1440) < 1e-12);
        QVERIFY(qAbs(*r->latencySli - 1380.0 / 1440) < 1e-12);
        // 1 % of 1440 allows 14.4 bad events; 12 used.
        QVERIFY(qAbs(r->badAllowed - 14.4) < 1e-9);
        QVERIFY(qAbs(r->budgetRemaining - (1 - 12 / 14.4)) < 1e-9);
        QCOMPARE(r->budgetState, BudgetState::Warning);
        QVERIFY(qAbs(r->burnRates.value(u"5m"_qs) - 20.0) < 1e-9);  // 1 of 5
        QVERIFY(qAbs(r->burnRates.value(u"30m"_qs) - 10.0) < 1e-9); // 3 of 30
        QVERIFY(qAbs(r->burnRates.value(u"1h"_qs) - 10.0) < 1e-9);  // 6 of 60
        QVERIFY(qAbs(r->burnRates.value(u"6h"_qs) - 2.5) < 1e-9);   // 9 of 360
        QVERIFY(qAbs(r->burnRates.value(u"1d"_qs) - 12.0 / 1440 / 0.01) < 1e-9);
        QCOMPARE(r->alert, BurnAlert::None);
        QVERIFY(qAbs(r->p50 - 100) / 100 < 0.05);
        QVERIFY(qAbs(r->p99 - 900) / 900 < 0.05);
        QCOMPARE(budget.size(), 1);
        QCOMPARE(budget.first().at(2).value<BudgetState>(), BudgetState::Warning);
        QCOMPARE(alert.size(), 0);

        // Three more bad results a few hours ago: the budget is overspent and the 3-day burn
        // crosses 1× while the 6-hour one is above it too — a ticket.
        for (int k : {250, 260, 270})
            store.record(result(QStringLiteral("health"), minutesAgo(k) + 5000, Health::Down, 100, 500));
        QVERIFY(store.flush());
        monitor.evaluate();
        r = monitor.report(QStringLiteral("api"));
        QCOMPARE(r->counts.bad(), quint64(15));
        QCOMPARE(r->budgetState, BudgetState::Critical);
        QVERIFY(r->budgetRemaining < 0);
        QCOMPARE(r->alert, BurnAlert::Ticket);
        QCOMPARE(budget.size(), 2);
        QCOMPARE(budget.last().at(1).value<BudgetState>(), BudgetState::Warning);
        QCOMPARE(budget.last().at(2).value<BudgetState>(), BudgetState::Critical);
        QCOMPARE(alert.size(), 1);
        QCOMPARE(alert.first().at(2).value<BurnAlert>(), BurnAlert::Ticket);

        // The same through the one-service path the CLI's --window uses.
        SloSettings slo = config().services.first().slo;
        const SloReport single = SloMonitor::compute(store, QStringLiteral("api"), slo, kNow);
        QCOMPARE(single.counts, r->counts);
        slo.windowMs = 3'600'000;
        QCOMPARE(SloMonitor::compute(store, QStringLiteral("api"), slo, kNow).counts.total, quint64(60));
    }

    void emptyHistory()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        HistoryStore store;
        QVERIFY(store.open(db.location()));
        const QList<SloReport> reports = SloMonitor::computeAll(store, config(), kNow);
        QCOMPARE(reports.size(), 1);
        QCOMPARE(reports.first().counts.total, quint64(0));
        QVERIFY(!reports.first().availability);
        QCOMPARE(reports.first().budgetRemaining, 1.0);
    }

    void sloOffIsSkipped()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        HistoryStore store;
        QVERIFY(store.open(db.location()));
        Config c = config();
        c.services[0].slo.enabled = false;
        QVERIFY(SloMonitor::computeAll(store, c, kNow).isEmpty());
    }

    void recoveryCriteria()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        HistoryStore store;
        RetentionPolicy keepAll;
        keepAll.autoIntervalMs = 0;
        store.setRetention(keepAll);
        QVERIFY(store.open(db.location()));
        // Failing until 40 minutes ago (with 5xx), healthy since; one slow answer 35 minutes ago,
        // just before the 30 minutes the P99 looks at.
        for (int k = 0; k < 120; ++k) {
            const bool failing = k >= 40;
            const double latency = k == 35 ? 1500 : 200;
            store.record(result(QStringLiteral("health"), minutesAgo(k), failing ? Health::Down : Health::Ok, latency, failing ? 502 : 200));
        }
        QVERIFY(store.flush());
        ServiceConfig service = config().services.first();
        QList<RecoveryCriteria::Line> lines = RecoveryCriteria::evaluate(store, service, kNow);
        QCOMPARE(lines.size(), 4);
        QVERIFY2(lines[0].passed, qPrintable(lines[0].measured)); // healthy for 40 min
        QVERIFY(lines[0].measured.startsWith(u"healthy for 40m"));
        QVERIFY(!lines[1].passed); // 80 bad of 120 today: far above 2 %/day
        QVERIFY(lines[2].passed);  // the 5xx ended 40 minutes ago
        QCOMPARE(lines[2].measured, QStringLiteral("0 responses ≥ 500"));
        QVERIFY2(lines[3].passed, qPrintable(lines[3].measured));
        QVERIFY2(QRegularExpression(QStringLiteral("^P99 (19|20)\\d")).match(lines[3].measured).hasMatch(), qPrintable(lines[3].measured));

        // A slow stretch pushes the P99 over 1200 ms.
        for (int k = 0; k < 5; ++k)
            store.record(result(QStringLiteral("health"), kNow + k * kMin + 30'000, Health::Ok, 2000));
        QVERIFY(store.flush());
        lines = RecoveryCriteria::evaluate(store, service, kNow + 5 * kMin);
        QVERIFY(!lines[3].passed);
        QVERIFY2(QRegularExpression(QStringLiteral("^P99 (1\\.9|2\\.0)s")).match(lines[3].measured).hasMatch(), qPrintable(lines[3].measured));

        // Recent 5xx fail the third line.
        store.record(result(QStringLiteral("health"), kNow + 6 * kMin, Health::Down, 100, 500));
        QVERIFY(store.flush());
        lines = RecoveryCriteria::evaluate(store, service, kNow + 7 * kMin);
        QVERIFY(!lines[0].passed);
        QVERIFY(!lines[2].passed);
        QCOMPARE(lines[2].measured, QStringLiteral("1 responses ≥ 500"));
    }
};

QTEST_GUILESS_MAIN(TestSloMonitor)
#include "tst_slomonitor.moc"
