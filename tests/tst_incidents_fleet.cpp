#include "coresession.h"
#include "historystore.h"
#include "incidentmanager.h"
#include "incidentstore.h"
#include "maintenanceschedule.h"
#include "ctlprocess.h"
#include "notifier.h"
#include "notifyreceiver.h"
#include "simprocess.h"
#include "watcher.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

// The incident rules end to end: the real watcher probes the demo fleet, whose fault script makes
// EchoPilot's /health fail and recover; incidents open, deduplicate, recur, escalate, resolve by
// themselves, and stay shut during maintenance. Short intervals and a scheme with second-long
// targets keep it quick.
class TestIncidentsFleet : public QObject
{
    Q_OBJECT

private:
    QString writeConfig(const QByteArray &rules)
    {
        const QString path = m_dir.filePath(QStringLiteral("fleet-%1.yaml").arg(++m_configs));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        const QByteArray health = m_sim.baseUrl(QStringLiteral("echopilot")).toString().toUtf8() + "/health";
        f.write("store: " + m_dir.filePath(QStringLiteral("h%1.sqlite").arg(m_configs)).toUtf8() + "\n"
                "severity_schemes:\n"
                "  - name: drill\n"
                "    levels:\n"
                "      - { name: SEV1, acknowledge: 2s }\n"
                "      - { name: SEV2 }\n"
                "defaults: { interval: 200ms, timeout: 1s, failure_threshold: 1, success_threshold: 1 }\n"
                "services:\n"
                "  - name: echopilot\n"
                "    severity_scheme: drill\n"
                "    checks:\n"
                "      - name: health\n"
                "        url: " + health + "\n"
                "        conditions: [\"[STATUS] == 200\"]\n"
                + rules);
        return path;
    }

    QList<Incident> incidents(CoreSession &s) const { return s.incidentStore()->list(false); }

private slots:
    void initTestCase() { QVERIFY2(m_sim.start(), qPrintable(m_sim.errorString())); }

    void openDedupAutoResolve()
    {
        QVERIFY(m_sim.setFaults(""));
        CoreSession session;
        QVERIFY(session.loadConfig(writeConfig("    incidents: [{on: down, severity: SEV1}]\n")));
        QString error;
        QVERIFY2(session.openHistory(&error), qPrintable(error));
        QSignalSpy notes(session.incidents(), &IncidentManager::notificationReady);
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.watcher()->state().serviceHealth(u"echopilot"_qs), Health::Ok, 5000);
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, path: /health, kind: status, status: 503, for: 1500ms}\n"));
        QTRY_COMPARE_WITH_TIMEOUT(session.incidentStore()->list(true).size(), 1, 5000);
        // Many failing probes while it is down: still one incident.
        QTest::qWait(600);
        QCOMPARE(incidents(session).size(), 1);
        // The fault ends; the incident resolves itself.
        QTRY_COMPARE_WITH_TIMEOUT(session.incidentStore()->list(true).size(), 0, 5000);
        const Incident i = *session.incidentStore()->get(incidents(session).first().id);
        QCOMPARE(i.state, IncidentState::Resolved);
        QCOMPARE(i.severity, QStringLiteral("SEV1"));
        QVERIFY2(i.timeline.first().text.contains(u"[STATUS] == 200 — got `503`"), qPrintable(i.timeline.first().text));
        QStringList events;
        for (const QList<QVariant> &n : notes)
            events << n.first().value<Notification>().event;
        QCOMPARE(events.count(u"opened"_qs), 1);
        QCOMPARE(events.count(u"resolved"_qs), 1);
        session.stop();
    }

    void recurrenceAndEscalation()
    {
        QVERIFY(m_sim.setFaults(""));
        CoreSession session;
        QVERIFY(session.loadConfig(writeConfig("    incidents: [{on: down, severity: SEV1, resolve: manual}]\n")));
        QString error;
        QVERIFY(session.openHistory(&error));
        QSignalSpy notes(session.incidents(), &IncidentManager::notificationReady);
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.watcher()->state().serviceHealth(u"echopilot"_qs), Health::Ok, 5000);
        // Down for a second, up for a second, down again: one incident, which recurred.
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, path: /health, kind: status, status: 500, for: 1s, every: 2s}\n"));
        QTRY_VERIFY_WITH_TIMEOUT([&] {
            const auto open = session.incidentStore()->list(true);
            if (open.isEmpty())
                return false;
            const Incident i = *session.incidentStore()->get(open.first().id);
            for (const IncidentEvent &e : i.timeline)
                if (e.kind == u"recurred")
                    return true;
            return false;
        }(), 8000);
        QCOMPARE(incidents(session).size(), 1);
        // Nobody acknowledged within SEV1's 2 s: escalated, once.
        QTRY_VERIFY_WITH_TIMEOUT([&] {
            for (const QList<QVariant> &n : notes)
                if (n.first().value<Notification>().event == u"escalated")
                    return true;
            return false;
        }(), 8000);
        const Incident i = *session.incidentStore()->get(incidents(session).first().id);
        int escalations = 0;
        for (const IncidentEvent &e : i.timeline)
            escalations += e.kind == u"escalated";
        QCOMPARE(escalations, 1);
        QVERIFY(m_sim.setFaults(""));
        session.stop();
    }

    void maintenanceSuppression()
    {
        QVERIFY(m_sim.setFaults(""));
        CoreSession session;
        QVERIFY(session.loadConfig(writeConfig("    incidents: [{on: down, severity: SEV2}]\n")));
        QString error;
        QVERIFY(session.openHistory(&error));
        QVERIFY(session.maintenance()->start(u"echopilot"_qs, QDateTime::currentMSecsSinceEpoch(), 60'000, u"deploy"_qs,
                                             u"tester"_qs, false, &error));
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.watcher()->state().serviceHealth(u"echopilot"_qs), Health::Ok, 5000);
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, path: /health, kind: status, status: 503}\n"));
        QTRY_COMPARE_WITH_TIMEOUT(session.watcher()->state().serviceHealth(u"echopilot"_qs), Health::Down, 5000);
        QTest::qWait(500);
        QCOMPARE(incidents(session).size(), 0); // recorded, but no incident
        QVERIFY(session.history()->flush());
        QVERIFY(!session.history()->results(u"echopilot"_qs, u"health"_qs, 0, 5).isEmpty());
        // … and not charged to the SLO (the window does not count_in_slo): no bad event so far.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        EventCounts during = session.history()->countsByService(now - 3'600'000, now + 60'000).value(u"echopilot"_qs);
        QVERIFY(during.unknown > 0);
        QCOMPARE(during.bad(), 0u);
        // Maintenance over while it is still down: the next failure after recovery opens one.
        QVERIFY(session.maintenance()->stop(u"echopilot"_qs, QDateTime::currentMSecsSinceEpoch(), &error));
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, path: /health, kind: status, status: 503, from: 1s}\n"));
        QTRY_COMPARE_WITH_TIMEOUT(session.incidentStore()->list(true).size(), 1, 8000);
        // Failures outside the window are charged again.
        QVERIFY(session.history()->flush());
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(session.history()->countsByService(now - 3'600'000, after + 60'000).value(u"echopilot"_qs).bad() > 0);
        QVERIFY(m_sim.setFaults(""));
        session.stop();
    }


    // From a failing probe to the operator's phone: the watcher's incident goes out through the
    // outbox to a webhook receiver; an acknowledgement typed into opsdeckctl (another process) goes
    // out from there; the automatic resolution from the watcher again. Each exactly once.
    void notifiesEndToEnd()
    {
        QVERIFY(m_sim.setFaults(""));
        NotifyReceiver receiver;
        QVERIFY(receiver.listen());
        const QString config = writeConfig("    incidents: [{on: down, severity: SEV2}]\n"
                                           "notify:\n  - webhook: {url: \"" + receiver.url(u"/hook"_qs).toUtf8() + "\"}\n");
        CoreSession session;
        QVERIFY(session.loadConfig(config));
        QString error;
        QVERIFY2(session.openHistory(&error), qPrintable(error));
        QVERIFY(session.notifier());
        session.start();
        QTRY_COMPARE_WITH_TIMEOUT(session.watcher()->state().serviceHealth(u"echopilot"_qs), Health::Ok, 5000);
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, path: /health, kind: status, status: 503}\n"));
        QVERIFY(receiver.waitForRequests(1, 8000));
        const auto event = [&](int index) {
            return QJsonDocument::fromJson(receiver.requests().at(index).body).object();
        };
        QCOMPARE(event(0).value(u"event"_qs).toString(), u"opened"_qs);
        QCOMPARE(event(0).value(u"service"_qs).toString(), u"echopilot"_qs);
        QCOMPARE(event(0).value(u"severity"_qs).toString(), u"SEV2"_qs);
        const qint64 id = event(0).value(u"incident_id"_qs).toInteger();
        QVERIFY(id > 0);

        // The CLI runs as its own process while this one keeps serving the receiver.
        QProcess ctl;
        ctl.start(opsdeckctlPath(), {u"incident"_qs, u"ack"_qs, QString::number(id), u"--config"_qs, config,
                                     u"--note"_qs, u"looking"_qs});
        const bool second = receiver.waitForRequests(2, 15'000);
        QVERIFY2(second, qPrintable(QString::fromUtf8(ctl.readAllStandardOutput() + ctl.readAllStandardError())));
        QTRY_VERIFY_WITH_TIMEOUT(ctl.state() == QProcess::NotRunning, 15'000);
        QCOMPARE(ctl.exitCode(), 0);
        QCOMPARE(event(1).value(u"event"_qs).toString(), u"acknowledged"_qs);
        QVERIFY(event(1).value(u"text"_qs).toString().contains(u"looking"));
        QTRY_COMPARE_WITH_TIMEOUT(session.incidentStore()->get(id)->state, IncidentState::Acknowledged, 5000);

        QVERIFY(m_sim.setFaults(""));
        QVERIFY(receiver.waitForRequests(3, 8000));
        QCOMPARE(event(2).value(u"event"_qs).toString(), u"resolved"_qs);
        QCOMPARE(event(2).value(u"incident_id"_qs).toInteger(), id);
        // Nothing twice: three distinct outbox rows, and no more requests after a pause.
        QTest::qWait(500);
        QCOMPARE(receiver.count(), 3);
        QSet<QByteArray> deliveries;
        for (const NotifyReceiver::Request &r : receiver.requests())
            deliveries.insert(r.header("X-OpsDeck-Delivery"));
        QCOMPARE(deliveries.size(), 3);
        session.stop();
    }

private:
    QTemporaryDir m_dir;
    SimProcess m_sim;
    int m_configs = 0;
};

QTEST_GUILESS_MAIN(TestIncidentsFleet)
#include "tst_incidents_fleet.moc"
