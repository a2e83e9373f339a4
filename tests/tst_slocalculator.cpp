#include "slocalculator.h"

#include <QDateTime>
#include <QtTest>

namespace {
constexpr qint64 kNow = 1'795'000'000'000; // 2026-11-18T…Z

EventCounts events(quint64 total, quint64 bad, quint64 latencyBad = 0)
{
    EventCounts c;
    c.total = total;
    c.good = total - bad;
    c.latencyGood = c.good - latencyBad;
    return c;
}

QMap<QString, EventCounts> burns(std::initializer_list<std::pair<const char *, EventCounts>> list)
{
    QMap<QString, EventCounts> out;
    for (const auto &[label, c] : list)
        out.insert(QString::fromLatin1(label), c);
    return out;
}
} // namespace

// SLO arithmetic on hand-computable histories.
class TestSloCalculator : public QObject
{
    Q_OBJECT

private slots:
    void budgetFromExactCounts_data()
    {
        QTest::addColumn<int>("bad");
        QTest::addColumn<double>("remaining");
        QTest::addColumn<int>("state");
        // 10,000 events at 99.9 %: the budget is exactly 10 bad events.
        QTest::newRow("none bad") << 0 << 1.0 << int(BudgetState::Ok);
        QTest::newRow("half") << 5 << 0.5 << int(BudgetState::Ok);
        QTest::newRow("75 % used") << 8 << 0.2 << int(BudgetState::Warning);
        QTest::newRow("90 % used") << 9 << 0.1 << int(BudgetState::Warning); // 10 % left is not below 10 %
        QTest::newRow("all used") << 10 << 0.0 << int(BudgetState::Critical);
        QTest::newRow("overspent") << 13 << -0.3 << int(BudgetState::Critical);
    }

    void budgetFromExactCounts()
    {
        QFETCH(int, bad);
        QFETCH(double, remaining);
        QFETCH(int, state);
        SloSettings slo;
        const SloReport r = SloCalculator::compute(u"api"_qs, slo, kNow, events(10'000, quint64(bad)), {});
        QCOMPARE(r.badAllowed, 10.0);
        QVERIFY(qAbs(r.budgetRemaining - remaining) < 1e-9);
        QCOMPARE(int(r.budgetState), state);
        QVERIFY(qAbs(*r.availability - (10'000.0 - bad) / 10'000.0) < 1e-12);
        QCOMPARE(r.counts.total, quint64(10'000));
        QCOMPARE(r.window, QStringLiteral("30d"));
        QCOMPARE(r.toMs - r.fromMs, 30LL * 86'400'000);
    }

    void customThresholds()
    {
        SloSettings slo;
        slo.budgetWarning = 60;
        slo.budgetCritical = 40;
        QCOMPARE(SloCalculator::compute(u"api"_qs, slo, kNow, events(10'000, 5), {}).budgetState, BudgetState::Warning);
        QCOMPARE(SloCalculator::compute(u"api"_qs, slo, kNow, events(10'000, 7), {}).budgetState, BudgetState::Critical);
    }

    void emptyWindow()
    {
        const SloReport r = SloCalculator::compute(u"api"_qs, SloSettings(), kNow, EventCounts(), {});
        QVERIFY(!r.availability);
        QVERIFY(!r.latencySli);
        QCOMPARE(r.budgetRemaining, 1.0);
        QCOMPARE(r.budgetState, BudgetState::Ok);
        QCOMPARE(r.alert, BurnAlert::None);
        QVERIFY(!r.exhaustionMs);
        QCOMPARE(r.p99, -1.0);
        for (const auto &w : SloCalculator::burnWindows())
            QCOMPARE(r.burnRates.value(w.label), 0.0);
    }

    void burnRates()
    {
        // 1 h at a 30 s interval is 120 events; 6 bad is 5 % bad, 50 times the 0.1 % budget rate.
        const SloReport r = SloCalculator::compute(u"api"_qs, SloSettings(), kNow, events(86'400, 6),
                                                   burns({{"5m", events(10, 1)}, {"1h", events(120, 6)}, {"3d", events(8640, 6)}}));
        QVERIFY(qAbs(r.burnRates.value(u"1h"_qs) - 50.0) < 1e-9);
        QVERIFY(qAbs(r.burnRates.value(u"5m"_qs) - 100.0) < 1e-9);
        QVERIFY(qAbs(r.burnRates.value(u"3d"_qs) - 6.0 / 8640 / 0.001) < 1e-9);
        QCOMPARE(r.burnRates.value(u"6h"_qs), 0.0);
        QCOMPARE(r.burnBadEvents.value(u"1h"_qs), quint64(6));
    }

    void twoFailuresInAnHourDoNotPage()
    {
        // 2 of 120 is a 16.7× burn over 1 h, and 1 of 10 a 100× burn over 5 m — but only two events.
        SloSettings slo;
        const SloReport r = SloCalculator::compute(u"api"_qs, slo, kNow, events(86'400, 2),
                                                   burns({{"5m", events(10, 1)}, {"1h", events(120, 2)}}));
        QVERIFY(r.burnRates.value(u"1h"_qs) > 14.4);
        QCOMPARE(r.alert, BurnAlert::None);
        slo.minBadEvents = 2; // an operator who wants it gets it
        QCOMPARE(SloCalculator::compute(u"api"_qs, slo, kNow, events(86'400, 2), burns({{"5m", events(10, 1)}, {"1h", events(120, 2)}})).alert,
                 BurnAlert::Page);
    }

    void pageFastBurn()
    {
        const SloReport r = SloCalculator::compute(u"api"_qs, SloSettings(), kNow, events(86'400, 6),
                                                   burns({{"5m", events(10, 1)}, {"1h", events(120, 6)}}));
        QCOMPARE(r.alert, BurnAlert::Page);
        QCOMPARE(r.alertReason, QStringLiteral("burning 50.0× over 1h and 100.0× over 5m (6 bad events in 1h)"));
    }

    void pageNeedsBothWindows()
    {
        // The 1 h burn is high but the last 5 minutes are clean: it has stopped; no page.
        const SloReport r = SloCalculator::compute(u"api"_qs, SloSettings(), kNow, events(86'400, 6),
                                                   burns({{"5m", events(10, 0)}, {"1h", events(120, 6)}}));
        QCOMPARE(r.alert, BurnAlert::None);
    }

    void pageSlowerBurn()
    {
        // 6 h: 720 events, 6 bad = 8.3×; 30 m: 60 events, 1 bad = 16.7×.
        const SloReport r = SloCalculator::compute(u"api"_qs, SloSettings(), kNow, events(86'400, 6),
                                                   burns({{"30m", events(60, 1)}, {"6h", events(720, 6)}, {"1h", events(120, 1)}, {"5m", events(10, 0)}}));
        QCOMPARE(r.alert, BurnAlert::Page);
        QVERIFY(r.alertReason.contains(u"over 6h"));
    }

    void ticket()
    {
        // 3 d: 8640 events, 10 bad = 1.16×; 6 h: 720, 1 bad = 1.39×.
        const SloReport r = SloCalculator::compute(u"api"_qs, SloSettings(), kNow, events(86'400, 10),
                                                   burns({{"3d", events(8640, 10)}, {"6h", events(720, 1)}}));
        QCOMPARE(r.alert, BurnAlert::Ticket);
        QCOMPARE(burnAlertName(r.alert), QStringLiteral("ticket"));
    }

    void forecast()
    {
        // Half the budget left, burning 15× over the last hour: a 30-day budget lasts 2 days at
        // 15×, so half of it lasts one day.
        const SloReport r = SloCalculator::compute(u"api"_qs, SloSettings(), kNow, events(10'000, 5),
                                                   burns({{"1h", events(1000, 15)}}));
        QVERIFY(r.exhaustionMs);
        QCOMPARE(*r.exhaustionMs - kNow, 86'400'000LL);
        // Not burning: no exhaustion in sight. Overspent: now.
        QVERIFY(!SloCalculator::compute(u"api"_qs, SloSettings(), kNow, events(10'000, 5), {}).exhaustionMs);
        QCOMPARE(*SloCalculator::compute(u"api"_qs, SloSettings(), kNow, events(10'000, 20), {}).exhaustionMs, kNow);
    }

    void latencySli()
    {
        SloSettings slo;
        slo.latencyMs = 400;
        slo.latencyTarget = 95;
        EventCounts c = events(1000, 0, 40); // 40 of 1000 slower than 400 ms
        for (int i = 0; i < 960; ++i)
            c.latency.add(100 + i % 200);
        for (int i = 0; i < 40; ++i)
            c.latency.add(900);
        const SloReport r = SloCalculator::compute(u"api"_qs, slo, kNow, c, {});
        QVERIFY(qAbs(*r.latencySli - 0.96) < 1e-12);
        QVERIFY(qAbs(*r.latencyBudgetRemaining - 0.2) < 1e-9); // 40 of the allowed 50 slow events used
        QVERIFY(r.p50 > 180 && r.p50 < 210);
        QVERIFY(qAbs(r.p99 - 900) / 900 < 0.05);
    }

    void calendarMonth()
    {
        SloSettings slo;
        slo.calendarMonth = true;
        const qint64 now = QDateTime(QDate(2026, 2, 10), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch();
        const auto [from, to] = SloCalculator::window(slo, now);
        QCOMPARE(from, QDateTime(QDate(2026, 2, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch());
        QCOMPARE(to, now);
        QCOMPARE(SloCalculator::windowLabel(slo), QStringLiteral("month"));
        // February 2026 has 28 days: half the budget at 14× lasts a day.
        const SloReport r = SloCalculator::compute(u"api"_qs, slo, now, events(10'000, 5), burns({{"1h", events(1000, 14)}}));
        QCOMPARE(*r.exhaustionMs - now, 86'400'000LL);
    }
};

QTEST_GUILESS_MAIN(TestSloCalculator)
#include "tst_slocalculator.moc"
