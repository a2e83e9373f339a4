#include "actionrunner.h"
#include "auditlog.h"
#include "configloader.h"
#include "ctlprocess.h"
#include "failovercontroller.h"
#include "failoverstate.h"
#include "fakeclock.h"
#include "historystore.h"
#include "incidentmanager.h"
#include "incidentstore.h"
#include "maintenanceschedule.h"
#include "oneshotprobe.h"
#include "opsdatabase.h"
#include "probefactory.h"
#include "secretresolver.h"
#include "secretstore.h"
#include "simprocess.h"
#include "watcher.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>

namespace {

// The `slow` action writes its shell's pid and waits for go.ok. A test that stops early (a failed
// QVERIFY) or kills the program running it must not leave that shell behind, looping in a folder
// that is about to be removed: this ends it when the test's scope ends, whatever happened.
auto endSlowAction(const QTemporaryDir &dir)
{
    return qScopeGuard([path = dir.filePath(QStringLiteral("slow.pid"))] {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return;
        const qint64 pid = f.readAll().trimmed().toLongLong();
        // Only that shell: its pid may have been reused once it ended by itself.
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (pid > 1 && cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains("go.ok"))
            ::kill(pid_t(pid), SIGKILL);
    });
}

} // namespace

// Edge failover end to end: the controller on a real SQLite store with the real action runner
// (command actions are real processes that leave marks), the fallback verified by real probes of
// the demo fleet (whose fault script takes it down), and the primary's results fed in with a fake
// clock so that counting, windows and periods are exact without waiting. The crash test kills a
// real `opsdeckctl watch` in the middle of a failover and resumes from its state file.
namespace {

QByteArray fleetConfig(const QString &dir, SimProcess &sim, const QByteArray &mode, const QByteArray &actions,
                       const QByteArray &interval = "5m")
{
    QFile f(QStringLiteral(OPSDECK_SOURCE_DIR "/tests/data/config/failover-fleet.yaml"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QByteArray text = f.readAll();
    text.replace("@DIR@", dir.toUtf8());
    text.replace("@PRIMARY@", sim.url(QStringLiteral("echopilot"), QStringLiteral("/health")).toString().toUtf8());
    text.replace("@FALLBACK@", sim.url(QStringLiteral("fallback"), QStringLiteral("/health")).toString().toUtf8());
    text.replace("@MODE@", mode);
    text.replace("@ACTIONS@", actions);
    text.replace("@INTERVAL@", interval);
    return text;
}

QStringList readLines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

QList<QJsonObject> ndjson(const QString &path)
{
    QList<QJsonObject> out;
    for (const QString &line : readLines(path)) {
        QJsonParseError e;
        const QJsonDocument d = QJsonDocument::fromJson(line.toUtf8(), &e);
        if (e.error != QJsonParseError::NoError || !d.isObject())
            return {QJsonObject{{QStringLiteral("bad_line"), line}}};
        out << d.object();
    }
    return out;
}

QStringList events(const QList<QJsonObject> &log)
{
    QStringList out;
    for (const QJsonObject &o : log)
        out << o.value(QStringLiteral("event")).toString();
    return out;
}

// The controller and everything it works with, on one store in `dir`.
class Rig
{
public:
    Rig(const QString &dir, SimProcess &sim)
        : m_dir(dir)
        , m_sim(sim)
    {
    }
    ~Rig()
    {
        controller.reset();
        runner.reset();
        incidents.reset();
    }

    bool open(const QByteArray &mode, const QByteArray &actions)
    {
        configPath = m_dir + QStringLiteral("/opsdeck.yaml");
        QFile f(configPath);
        if (!f.open(QIODevice::WriteOnly) || f.write(fleetConfig(m_dir, m_sim, mode, actions)) < 0)
            return false;
        f.close();
        const ConfigLoader::Result r = ConfigLoader::loadFile(configPath);
        if (!r.ok()) {
            error = r.issues.isEmpty() ? QStringLiteral("config") : r.issues.first().toString();
            return false;
        }
        config = *r.config;
        RetentionPolicy keep;
        keep.autoIntervalMs = 0;
        history.setRetention(keep);
        // The history store migrates the schema the other connections use.
        if (!history.open(config.store, &error) || !ops.open(config.store, &error))
            return false;
        store = std::make_unique<IncidentStore>(&ops);
        audit = std::make_unique<AuditLog>(&ops);
        maintenance = std::make_unique<MaintenanceSchedule>(&ops);
        incidents = std::make_unique<IncidentManager>(store.get(), audit.get(), maintenance.get(), &clock);
        incidents->setConfig(config);
        watcher = std::make_unique<Watcher>(&factory, &resolver, nullptr, &clock);
        watcher->setConfig(config);
        probes = std::make_unique<OneShotProbe>(&factory, &resolver, &clock);
        runner = std::make_unique<ActionRunner>(&ops, &resolver, &secrets, audit.get(), incidents.get(), &clock);
        runner->setConfig(config);
        FailoverController::Services services;
        services.runner = runner.get();
        services.incidents = incidents.get();
        services.audit = audit.get();
        services.probes = probes.get();
        services.clock = &clock;
        controller = std::make_unique<FailoverController>(*config.service(u"echopilot"_qs), services);
        controller->attach(watcher.get());
        controller->start();
        return true;
    }

    // One result of the primary, one check interval after the previous one.
    void primary(Health outcome, qint64 stepMs = 5 * 60'000) { result(u"health"_qs, outcome, stepMs); }
    void fallback(Health outcome) { result(u"fallback-health"_qs, outcome, 1'000); }
    void result(const QString &check, Health outcome, qint64 stepMs)
    {
        clock.advance(stepMs);
        CheckResult r;
        r.service = u"echopilot"_qs;
        r.check = check;
        r.atMs = clock.nowMs();
        r.outcome = outcome;
        r.latencyMs = 12;
        if (outcome == Health::Down) {
            r.httpStatus = 503;
            r.failedCondition = u"[STATUS] == 200"_qs;
            r.actualValue = u"503"_qs;
        }
        watcher->ingest(r);
    }

    const FailoverState &state() const { return controller->state(); }
    QString statePath() const { return m_dir + QStringLiteral("/failover/echopilot.json"); }
    QString logPath() const { return m_dir + QStringLiteral("/failover/echopilot.ndjson"); }
    QStringList marks() const { return readLines(m_dir + QStringLiteral("/marks.log")); }
    QList<QJsonObject> log() const { return ndjson(logPath()); }
    QList<Incident> openIncidents() const { return store->list(true); }
    QStringList timeline(qint64 id, const QString &kind = u"failover"_qs) const
    {
        QStringList out;
        const Incident incident = store->get(id).value_or(Incident());
        for (const IncidentEvent &e : incident.timeline)
            if (e.kind == kind)
                out << e.text;
        return out;
    }
    QStringList auditActions() const
    {
        QStringList out;
        for (const AuditLog::Record &r : audit->records())
            out << r.action;
        return out;
    }

    QString configPath;
    QString error;
    FakeClock clock{1'763'000'000'000};
    Config config;
    HistoryStore history;
    OpsDatabase ops;
    SecretStore secrets;
    SecretResolver resolver{&secrets};
    ProbeFactory factory;
    std::unique_ptr<IncidentStore> store;
    std::unique_ptr<AuditLog> audit;
    std::unique_ptr<MaintenanceSchedule> maintenance;
    std::unique_ptr<IncidentManager> incidents;
    std::unique_ptr<Watcher> watcher;
    std::unique_ptr<OneShotProbe> probes;
    std::unique_ptr<ActionRunner> runner;
    std::unique_ptr<FailoverController> controller;

private:
    QString m_dir;
    SimProcess &m_sim;
};

constexpr int kWait = 15'000;

} // namespace

class TestFailover : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(m_sim.start(), qPrintable(m_sim.errorString())); }
    void init() { QVERIFY(m_sim.setFaults("")); }

    // The runbook: 3 consecutive failures (within 15 min) trigger — the third, not the second.
    void triggersAfterExactlyN()
    {
        QTemporaryDir dir;
        Rig rig(dir.path(), m_sim);
        QVERIFY2(rig.open("automatic", "[mark-a, mark-b]"), qPrintable(rig.error));
        rig.primary(Health::Ok);
        rig.primary(Health::Down);
        rig.primary(Health::Down);
        QCOMPARE(rig.state().consecutiveFailures, 2);
        QVERIFY(!rig.controller->isBusy()); // N-1: nothing started, not even the fallback probe
        QCOMPARE(rig.state().phase, FailoverState::Phase::Normal);
        rig.primary(Health::Down);
        QVERIFY(rig.controller->isBusy()); // N: verifying the fallback, then the actions
        QTRY_COMPARE_WITH_TIMEOUT(rig.state().phase, FailoverState::Phase::Active, kWait);
        QVERIFY(!rig.controller->isBusy());
        QCOMPARE(rig.marks(), QStringList({u"a"_qs, u"b"_qs})); // in order, each once

        // The seed's shape, readable by the runbook's tools.
        QFile raw(rig.statePath());
        QVERIFY(raw.open(QIODevice::ReadOnly));
        const QJsonObject s = QJsonDocument::fromJson(raw.readAll()).object();
        QCOMPARE(s.value(u"consecutive_failures"_qs).toInt(-1), 3);
        QCOMPARE(s.value(u"failover_active"_qs), QJsonValue(true));
        QVERIFY(!s.value(u"since"_qs).toString().isEmpty());
        QVERIFY(!s.value(u"last_change"_qs).toString().isEmpty());

        // The NDJSON log, one object per line, with every transition.
        const QList<QJsonObject> log = rig.log();
        QVERIFY(!log.isEmpty() && !log.first().contains(u"bad_line"_qs));
        const QStringList ev = events(log);
        QCOMPARE(ev.count(u"failure"_qs), 3);
        QCOMPARE(ev.count(u"failover_started"_qs), 1);
        QCOMPARE(ev.count(u"action"_qs), 2);
        QCOMPARE(ev.count(u"failover_active"_qs), 1);
        QCOMPARE(log.last().value(u"failover_active"_qs), QJsonValue(true));

        // An incident of cause failover, whose timeline has the transitions; the audit log too.
        const QList<Incident> open = rig.openIncidents();
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.first().cause, u"failover"_qs);
        QCOMPARE(open.first().severity, u"P0"_qs);
        const QStringList timeline = rig.timeline(open.first().id);
        QVERIFY2(timeline.size() >= 4, qPrintable(timeline.join(u'\n')));
        QVERIFY(timeline.first().contains(u"failing over from `health` to `fallback-health`"));
        QVERIFY(timeline.last().contains(u"failed over"));
        QVERIFY(rig.auditActions().contains(u"failover.failover_started"_qs));
        QVERIFY(rig.auditActions().contains(u"failover.failover_active"_qs));
        QVERIFY(rig.audit->verify().isEmpty());

        // More failures while failed over: no second failover.
        rig.primary(Health::Down);
        rig.primary(Health::Down);
        rig.primary(Health::Down);
        QVERIFY(!rig.controller->isBusy());
        QCOMPARE(rig.marks().size(), 2);
        QCOMPARE(rig.state().failovers, 1);
    }

    // N failures spread wider than the window do not trigger; the window slides.
    void windowMatters()
    {
        QTemporaryDir dir;
        Rig rig(dir.path(), m_sim);
        QVERIFY2(rig.open("automatic", "[mark-a]"), qPrintable(rig.error));
        rig.primary(Health::Down, 8 * 60'000);
        rig.primary(Health::Down, 8 * 60'000);
        rig.primary(Health::Down, 8 * 60'000); // three in 16 minutes
        QCOMPARE(rig.state().consecutiveFailures, 3);
        QVERIFY(!rig.controller->isBusy());
        // An unknown result (OpsDeck could not look) neither counts nor breaks the streak.
        rig.primary(Health::Unknown, 3 * 60'000);
        QCOMPARE(rig.state().consecutiveFailures, 3);
        QVERIFY(!rig.controller->isBusy());
        rig.primary(Health::Down, 3 * 60'000); // the last three within 14 minutes
        QCOMPARE(rig.state().consecutiveFailures, 4);
        QTRY_COMPARE_WITH_TIMEOUT(rig.state().phase, FailoverState::Phase::Active, kWait);
        QCOMPARE(rig.marks(), QStringList{u"a"_qs});
    }

    // Never fail over to a dead fallback: a critical incident says so; once the fallback is healthy
    // while the primary still fails, it fails over at once.
    void refusesDeadFallbackThenFailsOver()
    {
        QVERIFY(m_sim.setFaults("faults:\n  - {system: fallback, path: /health, kind: status, status: 503}\n"));
        QTemporaryDir dir;
        Rig rig(dir.path(), m_sim);
        QVERIFY2(rig.open("automatic", "[mark-a]"), qPrintable(rig.error));
        for (int i = 0; i < 3; ++i)
            rig.primary(Health::Down);
        QTRY_COMPARE_WITH_TIMEOUT(rig.state().phase, FailoverState::Phase::WaitingForFallback, kWait);
        QTRY_VERIFY_WITH_TIMEOUT(!rig.controller->isBusy(), kWait);
        QVERIFY(rig.marks().isEmpty());
        QVERIFY(!rig.state().failoverActive);
        QList<Incident> open = rig.openIncidents();
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.first().severity, u"P0"_qs); // the scheme's most severe level
        QVERIFY2(open.first().title.contains(u"failover refused — the fallback `fallback-health` is unhealthy"), qPrintable(open.first().title));
        QVERIFY2(open.first().impact.contains(u"503"), qPrintable(open.first().impact));
        QVERIFY(events(rig.log()).contains(u"refused"_qs));
        // The primary keeps failing, the fallback still down: no repeat of the refusal, no failover.
        rig.primary(Health::Down);
        rig.fallback(Health::Down);
        QVERIFY(!rig.controller->isBusy());
        QCOMPARE(events(rig.log()).count(u"refused"_qs), 1);

        // The fallback comes back: its next (real) result is the verification.
        QVERIFY(m_sim.setFaults(""));
        bool probed = false;
        rig.probes->run(u"echopilot"_qs, *rig.config.service(u"echopilot"_qs)->check(u"fallback-health"_qs), nullptr,
                        [&](const CheckResult &r) {
                            rig.watcher->ingest(r);
                            probed = true;
                        });
        QTRY_VERIFY_WITH_TIMEOUT(probed, kWait);
        QTRY_COMPARE_WITH_TIMEOUT(rig.state().phase, FailoverState::Phase::Active, kWait);
        QCOMPARE(rig.marks(), QStringList{u"a"_qs});
        open = rig.openIncidents();
        QCOMPARE(open.size(), 1); // the same incident carries the failover
        QVERIFY(rig.timeline(open.first().id).last().contains(u"failed over"));
    }

    // Failback only after the primary has been healthy for failback_after (30 min), then a watch
    // period; a relapse inside it fails over again; after it, the watch ends quietly.
    void failbackAfterHealthyPeriodThenRelapse()
    {
        QTemporaryDir dir;
        Rig rig(dir.path(), m_sim);
        QVERIFY2(rig.open("automatic", "[mark-a]"), qPrintable(rig.error));
        for (int i = 0; i < 3; ++i)
            rig.primary(Health::Down);
        QTRY_COMPARE_WITH_TIMEOUT(rig.state().phase, FailoverState::Phase::Active, kWait);

        rig.primary(Health::Ok);             // healthy since now
        for (int i = 0; i < 5; ++i)          // 25 minutes
            rig.primary(Health::Ok);
        rig.primary(Health::Ok, 4 * 60'000); // 29 minutes
        QVERIFY(!rig.controller->isBusy());
        QCOMPARE(rig.state().phase, FailoverState::Phase::Active);
        rig.primary(Health::Degraded, 3 * 60'000); // not fully healthy: the period starts again
        rig.primary(Health::Ok, 3 * 60'000);
        rig.primary(Health::Ok, 27 * 60'000);
        QVERIFY(!rig.controller->isBusy());
        QCOMPARE(rig.state().phase, FailoverState::Phase::Active);
        rig.primary(Health::Ok, 3 * 60'000); // 30 minutes healthy
        QTRY_COMPARE_WITH_TIMEOUT(rig.state().phase, FailoverState::Phase::Watching, kWait);
        QVERIFY(!rig.state().failoverActive);
        QCOMPARE(rig.state().consecutiveFailures, 0);
        QCOMPARE(rig.marks(), QStringList({u"a"_qs, u"back"_qs}));
        QCOMPARE(rig.state().watchUntilMs, rig.clock.nowMs() + 3'600'000);

        // A relapse within the hour: fails over again.
        for (int i = 0; i < 3; ++i)
            rig.primary(Health::Down);
        QTRY_COMPARE_WITH_TIMEOUT(rig.state().phase, FailoverState::Phase::Active, kWait);
        QCOMPARE(rig.state().relapses, 1);
        QCOMPARE(rig.state().failovers, 2);
        QCOMPARE(rig.marks(), QStringList({u"a"_qs, u"back"_qs, u"a"_qs}));
        QVERIFY(events(rig.log()).contains(u"relapse"_qs));

        // Back again, and this time the watch period passes.
        for (int i = 0; i < 7; ++i)
            rig.primary(Health::Ok);
        QTRY_COMPARE_WITH_TIMEOUT(rig.state().phase, FailoverState::Phase::Watching, kWait);
        for (int i = 0; i < 13; ++i)
            rig.primary(Health::Ok);
        QCOMPARE(rig.state().phase, FailoverState::Phase::Normal);
        QVERIFY(events(rig.log()).contains(u"watch_over"_qs));
    }

    // Manual mode counts and alerts; only a person fails over; failback by hand verifies the primary.
    void manualModeAlertsAndWaitsForAPerson()
    {
        QTemporaryDir dir;
        Rig rig(dir.path(), m_sim);
        QVERIFY2(rig.open("manual", "[mark-a]"), qPrintable(rig.error));
        for (int i = 0; i < 4; ++i)
            rig.primary(Health::Down);
        QVERIFY(!rig.controller->isBusy());
        QCOMPARE(rig.state().phase, FailoverState::Phase::Normal);
        QVERIFY(rig.marks().isEmpty());
        const QList<Incident> open = rig.openIncidents();
        QCOMPARE(open.size(), 1);
        QVERIFY2(open.first().impact.contains(u"opsdeckctl failover now echopilot"), qPrintable(open.first().impact));
        QCOMPARE(events(rig.log()).count(u"alert"_qs), 1);

        std::optional<FailoverController::Outcome> outcome;
        rig.controller->failoverNow(u"alice"_qs, [&](const FailoverController::Outcome &o) { outcome = o; });
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), kWait);
        QVERIFY2(outcome->ok, qPrintable(outcome->message));
        QCOMPARE(rig.state().phase, FailoverState::Phase::Active);
        QCOMPARE(rig.state().actor, u"alice"_qs);
        QVERIFY(rig.timeline(open.first().id).join(u'\n').contains(u"by hand (alice)"));

        // Failback by hand while the (real) primary is down: refused, nothing runs.
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, path: /health, kind: status, status: 500}\n"));
        outcome.reset();
        rig.controller->failbackNow(u"alice"_qs, [&](const FailoverController::Outcome &o) { outcome = o; });
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), kWait);
        QVERIFY(!outcome->ok);
        QVERIFY2(outcome->message.contains(u"the primary `health` is not healthy"), qPrintable(outcome->message));
        QCOMPARE(rig.state().phase, FailoverState::Phase::Active);
        // Once it answers, failback runs the failback actions.
        QVERIFY(m_sim.setFaults(""));
        outcome.reset();
        rig.controller->failbackNow(u"alice"_qs, [&](const FailoverController::Outcome &o) { outcome = o; });
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), kWait);
        QVERIFY2(outcome->ok, qPrintable(outcome->message));
        QCOMPARE(rig.state().phase, FailoverState::Phase::Watching);
        QCOMPARE(rig.marks(), QStringList({u"a"_qs, u"back"_qs}));
    }

    // Actions run in order and stop at the first failure, which is recorded.
    void stopsAtFirstFailingAction()
    {
        QTemporaryDir dir;
        Rig rig(dir.path(), m_sim);
        QVERIFY2(rig.open("automatic", "[mark-a, broken, mark-b]"), qPrintable(rig.error));
        for (int i = 0; i < 3; ++i)
            rig.primary(Health::Down);
        QTRY_COMPARE_WITH_TIMEOUT(rig.state().phase, FailoverState::Phase::FailoverFailed, kWait);
        QCOMPARE(rig.marks(), QStringList({u"a"_qs, u"broken"_qs})); // mark-b did not run
        QVERIFY(!rig.state().failoverActive);
        QCOMPARE(rig.state().step, 1);
        QVERIFY2(rig.state().lastError.contains(u"`broken` failed"), qPrintable(rig.state().lastError));
        const QList<QJsonObject> log = rig.log();
        QCOMPARE(events(log).count(u"action_failed"_qs), 1);
        QVERIFY(log.last().value(u"text"_qs).toString().contains(u"not run: mark-b"));
        QVERIFY(rig.timeline(rig.openIncidents().first().id).last().contains(u"action `broken` failed"));
    }

    // Mode test: the whole path with actions as dry runs, and a drill report against the targets.
    void testModeDrill()
    {
        QTemporaryDir dir;
        Rig rig(dir.path(), m_sim);
        QVERIFY2(rig.open("test", "[mark-a, mark-b]"), qPrintable(rig.error));
        std::optional<FailoverController::Outcome> refused;
        rig.controller->failoverNow(u"alice"_qs, [&](const FailoverController::Outcome &o) { refused = o; });
        QVERIFY(refused && !refused->ok && refused->message.contains(u"mode test"));

        for (int i = 0; i < 3; ++i)
            rig.primary(Health::Down);
        QVERIFY(rig.controller->isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(!rig.controller->isBusy(), kWait);
        QVERIFY(rig.marks().isEmpty()); // dry runs: nothing ran for real
        QVERIFY(!rig.state().failoverActive);
        QCOMPARE(rig.state().phase, FailoverState::Phase::Normal);
        const QList<QJsonObject> log = rig.log();
        QCOMPARE(events(log).count(u"drill"_qs), 1);
        QCOMPARE(log.last().value(u"passed"_qs), QJsonValue(true));
        const QString report = log.last().value(u"report"_qs).toString();
        QVERIFY2(report.startsWith(dir.path() + u"/failover/drills/echopilot-"), qPrintable(report));
        const QString md = readLines(report).join(u'\n');
        QVERIFY2(md.contains(u"# Failover drill: echopilot — PASSED"), qPrintable(md));
        QVERIFY(md.contains(u"Detect: 3 consecutive failures of `health`"));
        QVERIFY(md.contains(u"Verify the fallback `fallback-health`"));
        QVERIFY(md.contains(u"Failover action `mark-a` (dry run)"));
        QVERIFY(md.contains(u"Failback action `unmark` (dry run)"));
        QVERIFY(md.contains(u"≤ 5m (Level 3 response"));
        QVERIFY(md.contains(u"target met"));
        QFile json(report.chopped(3) + u".json"_qs);
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject o = QJsonDocument::fromJson(json.readAll()).object();
        QCOMPARE(o.value(u"dry_run"_qs), QJsonValue(true));
        QVERIFY(o.value(u"steps"_qs).toArray().size() >= 6);
        // The runner recorded dry runs.
        const QList<ActionRun> runs = rig.runner->history(u"echopilot"_qs, QString(), 10);
        QVERIFY(!runs.isEmpty());
        for (const ActionRun &r : runs)
            QVERIFY(r.dryRun);

        // A drill with the fallback down fails at its verification, says so and runs no action.
        QVERIFY(m_sim.setFaults("faults:\n  - {system: fallback, path: /health, kind: status, status: 503}\n"));
        std::optional<FailoverController::Outcome> failed;
        rig.controller->drill(u"alice"_qs, [&](const FailoverController::Outcome &r) { failed = r; });
        QTRY_VERIFY_WITH_TIMEOUT(failed.has_value(), kWait);
        QVERIFY(!failed->ok);
        QVERIFY2(failed->report.contains(u"FAILED"), qPrintable(failed->report));
        QVERIFY(!failed->report.contains(u"Failover action"));
    }

    // Two programs, one service: `opsdeckctl failover now` in another process runs the actions
    // under the transition lock; this program is refused meanwhile, and follows the file.
    void crossProcessConsistency()
    {
        QTemporaryDir dir;
        const auto slowGuard = endSlowAction(dir);
        Rig rig(dir.path(), m_sim);
        QVERIFY2(rig.open("manual", "[slow, mark-a]"), qPrintable(rig.error));
        QProcess ctl;
        ctl.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        ctl.start(opsdeckctlPath(), {u"failover"_qs, u"now"_qs, u"echopilot"_qs, u"--yes"_qs, u"--config"_qs, rig.configPath});
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(dir.filePath(u"slow.pid"_qs)), kWait);
        // The other program is in the middle of it: this one sees it in the file …
        QTRY_COMPARE_WITH_TIMEOUT(rig.state().phase, FailoverState::Phase::FailingOver, kWait);
        QVERIFY2(rig.state().owner.startsWith(QStringLiteral("%1@").arg(ctl.processId())), qPrintable(rig.state().owner));
        // … and may not start a transition of its own.
        std::optional<FailoverController::Outcome> refused;
        rig.controller->failoverNow(u"bob"_qs, [&](const FailoverController::Outcome &o) { refused = o; });
        QVERIFY(refused.has_value());
        QVERIFY(!refused->ok);
        QVERIFY2(refused->message.contains(QStringLiteral("pid %1").arg(ctl.processId())), qPrintable(refused->message));
        QFile go(dir.filePath(u"go.ok"_qs));
        QVERIFY(go.open(QIODevice::WriteOnly));
        go.close();
        QVERIFY(ctl.waitForFinished(kWait));
        const QString out = QString::fromUtf8(ctl.readAllStandardOutput());
        QVERIFY2(ctl.exitCode() == 0, qPrintable(out));
        QVERIFY2(out.contains(u"failover_active: failed over"), qPrintable(out));
        QTRY_COMPARE_WITH_TIMEOUT(rig.state().phase, FailoverState::Phase::Active, kWait);
        QVERIFY(rig.state().failoverActive);
        QCOMPARE(rig.marks(), QStringList({u"slow"_qs, u"a"_qs}));
        // Asking again in this program: already failed over, nothing runs.
        std::optional<FailoverController::Outcome> again;
        rig.controller->failoverNow(u"bob"_qs, [&](const FailoverController::Outcome &o) { again = o; });
        QTRY_VERIFY_WITH_TIMEOUT(again.has_value(), kWait);
        QVERIFY(again->ok);
        QVERIFY2(again->message.contains(u"already failed over"), qPrintable(again->message));
        QCOMPARE(rig.marks().size(), 2);
    }

    // kill -9 of `opsdeckctl watch` in the middle of an automatic failover (its second action
    // running), then a new watcher resumes from the state file: finished actions do not run again,
    // the interrupted one does, and there is one failover.
    void resumesAfterKillMidFailover()
    {
        QTemporaryDir dir;
        const auto slowGuard = endSlowAction(dir);
        const QString config = dir.filePath(u"opsdeck.yaml"_qs);
        {
            QFile f(config);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(fleetConfig(dir.path(), m_sim, "automatic", "[mark-a, slow, mark-b]", "200ms"));
        }
        const QString statePath = dir.filePath(u"failover/echopilot.json"_qs);
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, path: /health, kind: status, status: 503}\n"));
        QProcess watch;
        watch.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        watch.start(opsdeckctlPath(), {u"watch"_qs, u"--config"_qs, config});
        QVERIFY(watch.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(dir.filePath(u"slow.pid"_qs)), 30'000);
        auto stateFile = [&] {
            QString error;
            return FailoverStateFile(statePath, QString()).read(&error).value_or(FailoverState());
        };
        QTRY_VERIFY_WITH_TIMEOUT(stateFile().runId > 0 && stateFile().step == 1, kWait);
        ::kill(pid_t(watch.processId()), SIGKILL);
        QVERIFY(watch.waitForFinished(kWait));
        QCOMPARE(watch.exitStatus(), QProcess::CrashExit);

        // What the dead program left: the intent, at step 2 of 3, in the seed's shape.
        FailoverState left = stateFile();
        QCOMPARE(left.phase, FailoverState::Phase::FailingOver);
        QVERIFY(!left.failoverActive);
        QCOMPARE(left.step, 1);
        const CtlRun status = runCtl({u"failover"_qs, u"status"_qs, u"echopilot"_qs, u"--config"_qs, config, u"--format"_qs, u"json"_qs});
        QCOMPARE(status.exitCode, 0);
        const QJsonObject s = QJsonDocument::fromJson(status.out.toUtf8()).object();
        QCOMPARE(s.keys(), QStringList({u"active"_qs, u"consecutive_failures"_qs, u"last_change"_qs, u"mode"_qs, u"since"_qs, u"state_file"_qs}));
        QCOMPARE(s.value(u"active"_qs), QJsonValue(false));
        QCOMPARE(s.value(u"mode"_qs).toString(), u"automatic"_qs);
        QVERIFY(s.value(u"consecutive_failures"_qs).toInt() >= 3);
        QCOMPARE(s.value(u"state_file"_qs).toString(), statePath);
        QVERIFY(!s.value(u"since"_qs).toString().isEmpty());
        const CtlRun text = runCtl({u"failover"_qs, u"status"_qs, u"echopilot"_qs, u"--config"_qs, config});
        QVERIFY2(text.out.contains(u"failing_over (step 2 of 3: slow"), qPrintable(text.out));

        // A new watcher resumes.
        QFile go(dir.filePath(u"go.ok"_qs));
        QVERIFY(go.open(QIODevice::WriteOnly));
        go.close();
        QProcess again;
        again.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        again.start(opsdeckctlPath(), {u"watch"_qs, u"--config"_qs, config, u"--for"_qs, u"20s"_qs});
        QTRY_VERIFY_WITH_TIMEOUT(stateFile().phase == FailoverState::Phase::Active, 30'000);
        QTest::qWait(1'000); // the primary keeps failing: still one failover
        again.terminate();
        QVERIFY(again.waitForFinished(kWait));
        const FailoverState done = stateFile();
        QVERIFY(done.failoverActive);
        QCOMPARE(done.failovers, 1);
        QCOMPARE(readLines(dir.filePath(u"marks.log"_qs)), QStringList({u"a"_qs, u"slow"_qs, u"slow"_qs, u"b"_qs}));
        const QStringList ev = events(ndjson(dir.filePath(u"failover/echopilot.ndjson"_qs)));
        QCOMPARE(ev.count(u"failover_started"_qs), 1);
        QCOMPARE(ev.count(u"resumed"_qs), 1);
        QCOMPARE(ev.count(u"failover_active"_qs), 1);
        QVERIFY(ev.indexOf(u"resumed"_qs) > ev.indexOf(u"failover_started"_qs));

        // And by hand: already failed over, nothing runs.
        const CtlRun now = runCtl({u"failover"_qs, u"now"_qs, u"echopilot"_qs, u"--yes"_qs, u"--config"_qs, config});
        QVERIFY2(now.exitCode == 0 && now.out.contains(u"already failed over"), qPrintable(now.out + now.err));
        QCOMPARE(readLines(dir.filePath(u"marks.log"_qs)).size(), 4);
        QVERIFY(m_sim.setFaults(""));
    }

    // The CLI's refusals and its drill.
    void cliRefusalsAndDrill()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(u"opsdeck.yaml"_qs);
        auto write = [&](const QByteArray &mode) {
            QFile f(config);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(fleetConfig(dir.path(), m_sim, mode, "[mark-a]"));
        };
        write("manual");
        // No terminal and no --yes: refused before anything happens.
        CtlRun r = runCtl({u"failover"_qs, u"now"_qs, u"echopilot"_qs, u"--config"_qs, config});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"not a terminal; pass --yes"), qPrintable(r.err));
        r = runCtl({u"failover"_qs, u"back"_qs, u"echopilot"_qs, u"--config"_qs, config, u"--yes"_qs});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"is not failed over"), qPrintable(r.err));
        r = runCtl({u"failover"_qs, u"status"_qs, u"nosuch"_qs, u"--config"_qs, config});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"no service `nosuch`") && r.err.contains(u"services with failover: echopilot"), qPrintable(r.err));
        // The fallback down: refused with the reason.
        QVERIFY(m_sim.setFaults("faults:\n  - {system: fallback, path: /health, kind: status, status: 503}\n"));
        r = runCtl({u"failover"_qs, u"now"_qs, u"echopilot"_qs, u"--config"_qs, config, u"--yes"_qs});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"the fallback `fallback-health` is unhealthy") && r.err.contains(u"503"), qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath(u"marks.log"_qs)));
        QVERIFY(m_sim.setFaults(""));
        // The drill prints its report.
        r = runCtl({u"failover"_qs, u"test"_qs, u"echopilot"_qs, u"--config"_qs, config});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains(u"# Failover drill: echopilot — PASSED"), qPrintable(r.out));
        QVERIFY(r.out.contains(u"report: " + dir.path() + u"/failover/drills/echopilot-"));
        QVERIFY(!QFile::exists(dir.filePath(u"marks.log"_qs)));
        // Mode off: nothing, and says so.
        write("off");
        r = runCtl({u"failover"_qs, u"now"_qs, u"echopilot"_qs, u"--config"_qs, config, u"--yes"_qs});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"failover is off for echopilot"), qPrintable(r.err));
        // A state file that is not the seed's shape: an error naming it, not a fresh start.
        write("manual");
        QFile broken(dir.filePath(u"failover/echopilot.json"_qs));
        QVERIFY(QDir().mkpath(dir.filePath(u"failover"_qs)));
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{\"failover_active\": maybe}");
        broken.close();
        r = runCtl({u"failover"_qs, u"now"_qs, u"echopilot"_qs, u"--config"_qs, config, u"--yes"_qs});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(broken.fileName()) && r.err.contains(u"not a JSON object"), qPrintable(r.err));
        r = runCtl({u"failover"_qs, u"status"_qs, u"echopilot"_qs, u"--config"_qs, config});
        QCOMPARE(r.exitCode, 1);
    }

private:
    SimProcess m_sim;
};

QTEST_GUILESS_MAIN(TestFailover)
#include "tst_failover.moc"
