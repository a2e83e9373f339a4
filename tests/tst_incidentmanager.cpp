#include "incidentrig.h"
#include "incidenttemplates.h"
#include "slomonitor.h"

#include <QtTest>

namespace {

ServiceConfig service(const QString &name, const QString &scheme = QStringLiteral("P0-P3"))
{
    ServiceConfig s;
    s.name = name;
    s.severityScheme = scheme;
    CheckConfig c;
    c.name = QStringLiteral("health");
    c.intervalMs = 3'600'000; // never stale during a test
    c.failureThreshold = 1;
    c.successThreshold = 1;
    s.checks << c;
    const SeverityScheme *sch = SeveritySchemes::find({}, scheme);
    s.incidentRules = {
        {IncidentCause::Down, 0, 0, sch->levels.at(0).name, true, {}},
        {IncidentCause::BudgetCritical, 0, 0, sch->levels.at(1).name, true, {}},
        {IncidentCause::BurnPage, 0, 0, sch->levels.at(1).name, true, {}},
        {IncidentCause::Degraded, 0, 15 * 60'000, sch->levels.at(qMin<qsizetype>(2, sch->levels.size() - 1)).name, true, {}},
    };
    return s;
}

#define OPEN_RIG(rig, config)                                                                                          \
    IncidentRig rig(backend);                                                                                          \
    if (rig.db.unavailable()) {                                                                                        \
        if (qEnvironmentVariableIsSet("CI"))                                                                           \
            QFAIL("OPSDECK_TEST_PG_URL is not set: the test script starts PostgreSQL for this suite");                \
        QSKIP("no PostgreSQL: run through scripts/test.sh");                                                           \
    }                                                                                                                  \
    QVERIFY2(rig.open(config), qPrintable(rig.error()))

} // namespace

class TestIncidentManager : public QObject
{
    Q_OBJECT

    static void backends()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
    }

private slots:
    void opensOnceAndResolvesOnRecovery_data() { backends(); }
    void opensOnceAndResolvesOnRecovery()
    {
        QFETCH(QString, backend);
        Config c;
        c.services << service(QStringLiteral("api"));
        OPEN_RIG(rig, c);
        rig.result(u"api"_qs, u"health"_qs, Health::Ok);
        QCOMPARE(rig.incidents().size(), 0);
        rig.result(u"api"_qs, u"health"_qs, Health::Down, u"got `500`"_qs);
        QCOMPARE(rig.incidents(true).size(), 1);
        Incident i = rig.incidents().first();
        QCOMPARE(i.service, QStringLiteral("api"));
        QCOMPARE(i.cause, QStringLiteral("down"));
        QCOMPARE(i.severity, QStringLiteral("P0"));
        QCOMPARE(i.state, IncidentState::Open);
        QCOMPARE(i.title, QStringLiteral("api is down"));
        const Incident full = *rig.store->get(i.id);
        QCOMPARE(full.timeline.size(), 1);
        QCOMPARE(full.timeline.first().kind, QStringLiteral("detected"));
        QCOMPARE(full.timeline.first().text, QStringLiteral("health: [STATUS] == 200 — got `500`"));
        QCOMPARE(rig.notified(), QStringList{u"opened"_qs});
        const Notification n = rig.notifications->first().first().value<Notification>();
        QVERIFY(n.text.startsWith(u"🚨 INCIDENT: api is down\nSeverity: P0\nImpact: api: health: [STATUS] == 200"));
        QVERIFY(n.text.endsWith(u"Status: Investigating\nETA: Unknown"));
        QCOMPARE(n.severityRank, 0);

        // More failures: the same incident, no new one, no new notification.
        rig.result(u"api"_qs, u"health"_qs, Health::Down);
        rig.result(u"api"_qs, u"health"_qs, Health::Down);
        QCOMPARE(rig.incidents().size(), 1);
        QCOMPARE(rig.notified().size(), 1);

        rig.clock.advance(60'000);
        rig.result(u"api"_qs, u"health"_qs, Health::Ok);
        i = *rig.store->get(i.id);
        QCOMPARE(i.state, IncidentState::Resolved);
        QCOMPARE(i.resolvedAtMs, rig.clock.nowMs());
        QCOMPARE(i.timeline.last().kind, QStringLiteral("resolved"));
        QCOMPARE(i.timeline.last().actor, QStringLiteral("opsdeck"));
        QCOMPARE(rig.notified(), QStringList({u"opened"_qs, u"resolved"_qs}));
        const Notification resolved = rig.notifications->last().first().value<Notification>();
        QVERIFY2(resolved.text.startsWith(u"✅ RESOLVED: api is down\nRoot Cause: to be determined\nResolution: Recovered: api is ok again."),
                 qPrintable(resolved.text));
        QVERIFY(resolved.text.endsWith(u"Duration: 1m"));

        // Down again later: a new incident.
        rig.result(u"api"_qs, u"health"_qs, Health::Down);
        QCOMPARE(rig.incidents().size(), 2);
    }

    void nulInAProbesTextOpensTheIncident_data() { backends(); }
    void nulInAProbesTextOpensTheIncident()
    {
        // A body the probe read as text may carry NUL, which PostgreSQL's text cannot hold: the
        // incident still opens, with U+FFFD where the NUL was, on both databases alike.
        QFETCH(QString, backend);
        Config c;
        c.services << service(QStringLiteral("api"));
        OPEN_RIG(rig, c);
        rig.result(u"api"_qs, u"health"_qs, Health::Down, QStringLiteral("got `\0\x01-binary`"));
        QCOMPARE(rig.incidents(true).size(), 1);
        const Incident full = *rig.store->get(rig.incidents().first().id);
        QCOMPARE(full.timeline.size(), 1);
        QCOMPARE(full.timeline.first().text, u"health: [STATUS] == 200 — got `\uFFFD\x01-binary`"_qs);
        QCOMPARE(rig.notified(), QStringList{u"opened"_qs});
    }

    void recurrenceWhileOpen_data() { backends(); }
    void recurrenceWhileOpen()
    {
        QFETCH(QString, backend);
        Config c;
        c.services << service(QStringLiteral("api"));
        c.services[0].incidentRules[0].autoResolve = false; // resolved by hand only
        OPEN_RIG(rig, c);
        rig.result(u"api"_qs, u"health"_qs, Health::Ok);
        rig.result(u"api"_qs, u"health"_qs, Health::Down, u"got `500`"_qs);
        rig.result(u"api"_qs, u"health"_qs, Health::Ok);
        QCOMPARE(rig.incidents(true).size(), 1); // still open: manual resolution
        rig.result(u"api"_qs, u"health"_qs, Health::Down, u"got `502`"_qs);
        QCOMPARE(rig.incidents().size(), 1);
        const Incident i = *rig.store->get(rig.incidents().first().id);
        QCOMPARE(i.timeline.size(), 2);
        QCOMPARE(i.timeline.last().kind, QStringLiteral("recurred"));
        QCOMPARE(i.timeline.last().text, QStringLiteral("health: [STATUS] == 200 — got `502`"));
        QCOMPARE(rig.notified(), QStringList({u"opened"_qs, u"recurred"_qs}));
    }

    void afterConsecutiveResults_data() { backends(); }
    void afterConsecutiveResults()
    {
        QFETCH(QString, backend);
        Config c;
        c.services << service(QStringLiteral("api"));
        c.services[0].incidentRules[0].afterResults = 3;
        OPEN_RIG(rig, c);
        rig.result(u"api"_qs, u"health"_qs, Health::Ok);
        rig.result(u"api"_qs, u"health"_qs, Health::Down);
        rig.result(u"api"_qs, u"health"_qs, Health::Down);
        QCOMPARE(rig.incidents().size(), 0);
        rig.result(u"api"_qs, u"health"_qs, Health::Down);
        QCOMPARE(rig.incidents().size(), 1);
        QVERIFY(rig.store->get(rig.incidents().first().id)->timeline.first().text.startsWith(u"3 consecutive failures of health"));
    }

    void degradedForAWhile_data() { backends(); }
    void degradedForAWhile()
    {
        QFETCH(QString, backend);
        Config c;
        c.services << service(QStringLiteral("api"));
        OPEN_RIG(rig, c);
        rig.result(u"api"_qs, u"health"_qs, Health::Ok);
        rig.result(u"api"_qs, u"health"_qs, Health::Degraded);
        rig.clock.advance(14 * 60'000);
        rig.manager->checkTimers();
        QCOMPARE(rig.incidents().size(), 0);
        rig.clock.advance(60'000);
        rig.manager->checkTimers();
        QCOMPARE(rig.incidents().size(), 1);
        QCOMPARE(rig.incidents().first().cause, QStringLiteral("degraded"));
        QCOMPARE(rig.incidents().first().severity, QStringLiteral("P2"));
        rig.result(u"api"_qs, u"health"_qs, Health::Ok);
        QCOMPARE(rig.incidents(true).size(), 0);
    }

    void escalationOnOverdueTargets_data() { backends(); }
    void escalationOnOverdueTargets()
    {
        QFETCH(QString, backend);
        Config c;
        c.services << service(QStringLiteral("api")); // P0: acknowledge 5m, diagnose 15m, mitigate 30m
        OPEN_RIG(rig, c);
        rig.result(u"api"_qs, u"health"_qs, Health::Down);
        const qint64 id = rig.incidents().first().id;
        rig.clock.advance(4 * 60'000);
        rig.manager->checkTimers();
        QCOMPARE(rig.notified(), QStringList{u"opened"_qs});
        rig.clock.advance(2 * 60'000); // 6 minutes: acknowledgement overdue
        rig.manager->checkTimers();
        QCOMPARE(rig.notified(), QStringList({u"opened"_qs, u"escalated"_qs}));
        Incident i = *rig.store->get(id);
        QCOMPARE(i.timeline.last().kind, QStringLiteral("escalated"));
        QVERIFY2(i.timeline.last().text.startsWith(u"acknowledge: not done within the P0 target of 5m (due 1m ago)"),
                 qPrintable(i.timeline.last().text));
        // No second escalation for the same target.
        rig.clock.advance(60'000);
        rig.manager->checkTimers();
        QCOMPARE(rig.notified().count(u"escalated"_qs), 1);
        // Acknowledged and diagnosed (a note) in time for their own targets, but not mitigated.
        QString error;
        QVERIFY2(rig.manager->acknowledge(id, u"alice"_qs, u"looking"_qs, &error), qPrintable(error));
        QVERIFY(rig.manager->addNote(id, u"alice"_qs, u"the database is out of connections"_qs, &error));
        rig.clock.advance(25 * 60'000); // 32 minutes in
        rig.manager->checkTimers();
        QCOMPARE(rig.notified().count(u"escalated"_qs), 2);
        i = *rig.store->get(id);
        QVERIFY(i.timeline.last().text.startsWith(u"mitigate: not done within the P0 target of 30m"));
        // A restarted engine does not escalate the same targets again.
        IncidentManager again(rig.store.get(), rig.audit.get(), rig.maintenance.get(), &rig.clock);
        again.setConfig(c);
        QSignalSpy spy(&again, &IncidentManager::notificationReady);
        again.start();
        again.checkTimers();
        QCOMPARE(spy.size(), 0);
    }

    void blockedByParent_data() { backends(); }
    void blockedByParent()
    {
        QFETCH(QString, backend);
        Config c;
        c.services << service(QStringLiteral("router")) << service(QStringLiteral("app"));
        c.services[1].dependsOn = {QStringLiteral("router")};
        OPEN_RIG(rig, c);
        QSignalSpy blocked(rig.manager.get(), &IncidentManager::blockedChanged);
        rig.result(u"router"_qs, u"health"_qs, Health::Ok);
        rig.result(u"app"_qs, u"health"_qs, Health::Ok);
        rig.result(u"router"_qs, u"health"_qs, Health::Down);
        QCOMPARE(blocked.size(), 1);
        QCOMPARE(blocked.first().at(0).toString(), QStringLiteral("app"));
        QCOMPARE(blocked.first().at(1).toBool(), true);
        QString parent;
        QVERIFY(rig.manager->isBlocked(u"app"_qs, &parent));
        QCOMPARE(parent, QStringLiteral("router"));
        rig.result(u"app"_qs, u"health"_qs, Health::Down);
        // One incident (the router's), not one per dependent service; the app's failure is still recorded.
        QCOMPARE(rig.incidents().size(), 1);
        QCOMPARE(rig.incidents().first().service, QStringLiteral("router"));
        QCOMPARE(rig.watcher->state().serviceHealth(u"app"_qs), Health::Down);
        // The router recovers but the app does not: now it is the app's own incident.
        rig.result(u"router"_qs, u"health"_qs, Health::Ok);
        QCOMPARE(blocked.last().at(1).toBool(), false);
        QCOMPARE(rig.incidents(true).size(), 1);
        QCOMPARE(rig.incidents(true).first().service, QStringLiteral("app"));
        QCOMPARE(rig.store->get(rig.incidents(true).first().id)->timeline.first().text,
                 QStringLiteral("still down after its parent `router` recovered"));
    }

    void maintenanceSuppresses_data() { backends(); }
    void maintenanceSuppresses()
    {
        QFETCH(QString, backend);
        Config c;
        c.services << service(QStringLiteral("api"));
        OPEN_RIG(rig, c);
        QString error;
        QVERIFY(rig.maintenance->start(u"api"_qs, rig.clock.nowMs(), 30 * 60'000, u"upgrade"_qs, u"bob"_qs, false, &error));
        rig.result(u"api"_qs, u"health"_qs, Health::Ok);
        rig.result(u"api"_qs, u"health"_qs, Health::Down);
        QCOMPARE(rig.incidents().size(), 0);
        QCOMPARE(rig.notified().size(), 0);
        rig.result(u"api"_qs, u"health"_qs, Health::Ok);
        rig.clock.advance(31 * 60'000); // the window is over
        rig.result(u"api"_qs, u"health"_qs, Health::Down);
        QCOMPARE(rig.incidents().size(), 1);
    }

    void plannedMaintenance()
    {
        const QString backend = QStringLiteral("sqlite");
        Config c;
        c.services << service(QStringLiteral("api"));
        MaintenanceWindow w;
        w.cron = QStringLiteral("0 2 * * *");
        w.lengthMs = 3'600'000;
        w.reason = QStringLiteral("nightly backup");
        c.maintenance << w;
        OPEN_RIG(rig, c);
        rig.clock.set(QDateTime(QDate(2026, 11, 23), QTime(2, 30), Qt::UTC).toMSecsSinceEpoch());
        const auto active = rig.maintenance->activeFor(u"api"_qs, rig.clock.nowMs());
        QVERIFY(active);
        QCOMPARE(active->reason, QStringLiteral("nightly backup"));
        QCOMPARE(active->startMs, QDateTime(QDate(2026, 11, 23), QTime(2, 0), Qt::UTC).toMSecsSinceEpoch());
        rig.result(u"api"_qs, u"health"_qs, Health::Ok);
        rig.result(u"api"_qs, u"health"_qs, Health::Down);
        QCOMPARE(rig.incidents().size(), 0);
        rig.clock.set(QDateTime(QDate(2026, 11, 23), QTime(3, 0), Qt::UTC).toMSecsSinceEpoch());
        QVERIFY(!rig.maintenance->activeFor(u"api"_qs, rig.clock.nowMs()));
    }

    void sloCauses_data() { backends(); }
    void sloCauses()
    {
        QFETCH(QString, backend);
        Config c;
        c.services << service(QStringLiteral("api"), QStringLiteral("P1-P4"));
        OPEN_RIG(rig, c);
        SloMonitor slo(&rig.history, &rig.clock);
        rig.manager->attach(rig.watcher.get(), &slo);
        SloReport r;
        r.service = QStringLiteral("api");
        r.budgetRemaining = 0.05;
        r.alertReason = QStringLiteral("burning 20.0× over 1h and 30.0× over 5m (8 bad events in 1h)");
        emit slo.budgetStateChanged(u"api"_qs, BudgetState::Warning, BudgetState::Critical, r);
        emit slo.alertChanged(u"api"_qs, BurnAlert::None, BurnAlert::Page, r);
        QCOMPARE(rig.incidents(true).size(), 2);
        const Incident page = *rig.store->openFor(u"api"_qs, u"burn_page"_qs);
        QCOMPARE(page.severity, QStringLiteral("P2"));
        QCOMPARE(rig.store->get(page.id)->timeline.first().text, r.alertReason);
        emit slo.alertChanged(u"api"_qs, BurnAlert::Page, BurnAlert::None, r);
        QVERIFY(!rig.store->openFor(u"api"_qs, u"burn_page"_qs));
        QVERIFY(rig.store->openFor(u"api"_qs, u"budget_critical"_qs));
    }

    void operatorActions_data() { backends(); }
    void operatorActions()
    {
        QFETCH(QString, backend);
        Config c;
        c.services << service(QStringLiteral("api"));
        OPEN_RIG(rig, c);
        rig.result(u"api"_qs, u"health"_qs, Health::Down);
        const qint64 id = rig.incidents().first().id;
        QString error;
        QVERIFY(!rig.manager->mitigate(id + 100, u"alice"_qs, {}, &error));
        QCOMPARE(error, QStringLiteral("no incident #%1").arg(id + 100));
        rig.clock.advance(60'000);
        // Without a note (a null QString, as the views pass when none is typed).
        QVERIFY2(rig.manager->acknowledge(id, u"alice"_qs, QString(), &error), qPrintable(error));
        QVERIFY(!rig.manager->acknowledge(id, u"bob"_qs, {}, &error));
        QCOMPARE(error, QStringLiteral("incident #%1 is acknowledged, not open").arg(id));
        QVERIFY(!rig.manager->changeSeverity(id, u"alice"_qs, u"P9"_qs, &error));
        QCOMPARE(error, QStringLiteral("no level `P9` in api's scheme (P0, P1, P2, P3)"));
        QVERIFY(rig.manager->changeSeverity(id, u"alice"_qs, u"p1"_qs, &error));
        QVERIFY(rig.manager->addNote(id, u"bob"_qs, u"restarting the worker"_qs, &error));
        QVERIFY(!rig.manager->addNote(id, u"bob"_qs, u"  "_qs, &error));
        QVERIFY(rig.manager->tickChecklist(id, u"bob"_qs, u"Users informed of status"_qs, true, &error));
        QVERIFY(rig.manager->recordAction(id, u"bob"_qs, u"restart-worker: exit 0 in 3s"_qs, &error));
        rig.clock.advance(120'000);
        QVERIFY(rig.manager->mitigate(id, u"bob"_qs, u"worker restarted"_qs, &error));
        rig.clock.advance(600'000);
        IncidentManager::Resolution res;
        res.rootCause = QStringLiteral("connection leak in the worker");
        res.resolution = QStringLiteral("restarted the worker");
        res.prevention = QStringLiteral("pool limits");
        QVERIFY(rig.manager->resolve(id, u"alice"_qs, res, &error));
        QVERIFY(!rig.manager->resolve(id, u"alice"_qs, res, &error));

        const Incident i = *rig.store->get(id);
        QCOMPARE(i.state, IncidentState::Resolved);
        QCOMPARE(i.severity, QStringLiteral("P1"));
        QCOMPARE(i.acknowledgedAtMs - i.openedAtMs, 60'000);
        QCOMPARE(i.mitigatedAtMs - i.openedAtMs, 180'000);
        QCOMPARE(i.resolvedAtMs - i.openedAtMs, 780'000);
        QCOMPARE(i.rootCause, res.rootCause);
        QStringList kinds, actors;
        for (const IncidentEvent &e : i.timeline) {
            kinds << e.kind;
            actors << e.actor;
        }
        QCOMPARE(kinds, QStringList({u"detected"_qs, u"acknowledged"_qs, u"severity_changed"_qs, u"note"_qs, u"checklist"_qs,
                                     u"action"_qs, u"mitigated"_qs, u"resolved"_qs}));
        QCOMPARE(actors, QStringList({u"opsdeck"_qs, u"alice"_qs, u"alice"_qs, u"bob"_qs, u"bob"_qs, u"bob"_qs, u"bob"_qs, u"alice"_qs}));
        QCOMPARE(i.timeline.at(1).text, QString());
        QCOMPARE(i.timeline.at(2).text, QStringLiteral("P0 → P1"));
        QCOMPARE(i.timeline.at(4).text, QStringLiteral("☑ Users informed of status"));

        // Every operator action is in the audit log, with its actor, and the chain holds.
        QStringList actions;
        for (const AuditLog::Record &r : rig.audit->records())
            actions << r.actor + u' ' + r.action;
        QCOMPARE(actions, QStringList({u"alice incident.acknowledge"_qs, u"alice incident.severity"_qs, u"bob incident.note"_qs,
                                       u"bob incident.checklist"_qs, u"bob incident.mitigate"_qs, u"alice incident.resolve"_qs}));
        QVERIFY(rig.audit->verify().isEmpty());

        // The postmortem has the sections, the response times against P1 (no targets) and the timeline.
        const QString md = IncidentTemplates::postmortem(i, SeveritySchemes::find({}, u"P0-P3"), rig.clock.nowMs());
        for (const char *part : {"# Postmortem: api is down", "## Summary", "## Impact", "## Response times", "## Timeline",
                                 "## Root cause\n\nconnection leak in the worker", "## Resolution\n\nrestarted the worker",
                                 "## Action items\n\n- [ ] pool limits", "| Time to acknowledge | — | 1m |",
                                 "| Time to mitigate | — | 3m |", "| Time to resolve | — | 13m |",
                                 "- [x] Root cause identified", "- [x] Mitigation actions initiated", "| note | bob | restarting the worker |"})
            QVERIFY2(md.contains(QString::fromUtf8(part)), part);
    }

    void byHandAndTwoEngines_data() { backends(); }
    void byHandAndTwoEngines()
    {
        QFETCH(QString, backend);
        Config c;
        c.services << service(QStringLiteral("api"));
        OPEN_RIG(rig, c);
        QString error;
        const auto manual = rig.manager->openByHand(u"api"_qs, u"Stripe webhooks failing"_qs, u"P1"_qs, u"carol"_qs, &error);
        QVERIFY2(manual, qPrintable(error));
        QVERIFY(!rig.manager->openByHand(u"api"_qs, u"x"_qs, u"P7"_qs, u"carol"_qs, &error));
        // A second engine on the same store (another OpsDeck process) sees the same failure: still
        // one incident for the cause.
        OpsDatabase otherDb;
        QVERIFY(otherDb.open(rig.db.location(), &error));
        IncidentStore otherStore(&otherDb);
        IncidentManager other(&otherStore, nullptr, nullptr, &rig.clock);
        other.setConfig(c);
        rig.result(u"api"_qs, u"health"_qs, Health::Ok);
        rig.result(u"api"_qs, u"health"_qs, Health::Down);
        const auto seen = other.raise(u"api"_qs, IncidentCause::Down, u"seen by the other one"_qs);
        QVERIFY(seen);
        QCOMPARE(seen->id, rig.store->openFor(u"api"_qs, u"down"_qs)->id);
        QCOMPARE(rig.incidents(true).size(), 2); // the manual one and one `down`
        QCOMPARE(rig.store->get(rig.store->openFor(u"api"_qs, u"down"_qs)->id)->timeline.last().kind, QStringLiteral("recurred"));
    }
};

QTEST_GUILESS_MAIN(TestIncidentManager)
#include "tst_incidentmanager.moc"
