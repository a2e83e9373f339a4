#pragma once

#include "actionrunner.h"
#include "checkresult.h"
#include "config.h"
#include "failoverdrill.h"
#include "failoverstate.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <functional>
#include <memory>

class AuditLog;
class Clock;
class IncidentManager;
class OneShotProbe;
class Watcher;

// Edge failover of one service (`failover:` in its config), as the disaster-recovery runbook
// describes it:
//  - counts consecutive failures (down results) of the primary check; N of them within the
//    trigger window trigger (unknown results neither count nor reset; ok and degraded reset);
//  - automatic: probes the fallback right then; unhealthy → no failover, a critical incident
//    saying so, and the failover happens as soon as the fallback is healthy while the primary still
//    fails; healthy → runs the failover actions in order, stopping at the first failure;
//  - manual: counts and alerts (an incident that says how to fail over); fails over by hand only;
//  - test: the whole path as a drill, actions as dry runs, with a report against the runbook's targets;
//  - failback after the primary has been healthy (ok) for failback_after, by itself when
//    auto_failback, else by hand; then a watch period in which a relapse fails over again.
// Every transition goes to the state file, the NDJSON log, the incident timeline (`failover`
// events) and the audit log.
//
// The state file is the truth, shared by every program that controls the service (the console,
// `opsdeckctl watch`, `opsdeckctl failover now`): every decision is taken on the file as read
// under its lock, and changes made elsewhere are picked up through a file watch. Actions run only
// under the transition lock. Before the first action runs, the intent (phase failing_over, step 0)
// is written; after each action, the next step. A program that dies mid-transition leaves the
// phase and step in the file and frees the lock; the next controller to start (or `failover now`)
// resumes from that step: actions already finished are not run again; the interrupted one is run
// again unless the action runner recorded it as succeeded.
class FailoverController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FailoverController)

public:
    struct Services
    {
        ActionRunner *runner = nullptr;       // required for failover, failback and drills
        IncidentManager *incidents = nullptr; // may be null: no timeline events
        AuditLog *audit = nullptr;            // may be null: no audit records
        OneShotProbe *probes = nullptr;       // required: verifies the fallback (and the primary by hand)
        const Clock *clock = nullptr;
    };

    struct Outcome
    {
        bool ok = false;
        QString message;    // what happened, or why not (for the CLI and the GUI)
        QString reportPath; // drills: the saved Markdown report
        QString report;     // drills: the report itself
    };
    using Done = std::function<void(const Outcome &)>;

    // `service` must have a `failover:`.
    FailoverController(const ServiceConfig &service, const Services &services, QObject *parent = nullptr);
    ~FailoverController() override;

    void setService(const ServiceConfig &service);
    QString service() const { return m_service.name; }
    const FailoverConfig &config() const { return m_config; }
    FailoverStateFile &stateFile() { return *m_file; }

    // Takes the primary's and fallback's results from the watcher.
    void attach(Watcher *watcher);
    // The path every result takes (for results from elsewhere and for tests).
    void ingest(const CheckResult &result);
    // Resumes a transition another program left unfinished (it died), and follows the file.
    void start();
    void stop();

    // The state as last read from the file; stateError() when it could not be read.
    const FailoverState &state() const { return m_state; }
    QString stateError() const { return m_stateError; }
    bool isBusy() const { return m_busy; }

    // By hand. `done` runs once, when the transition finished, failed or was refused.
    void failoverNow(const QString &actor, Done done);
    void failbackNow(const QString &actor, Done done);
    void drill(const QString &actor, Done done);

signals:
    void stateChanged(const FailoverState &state);
    // Every transition, as written to the log: event name and text (for `watch` and the GUI).
    void transition(const QString &service, const QString &event, const QString &text);

private:
    enum class Trigger { Automatic, ByHand };
    enum class DrillStage { None, Fallback, FailoverActions, Primary, FailbackActions };

    QString reload();
    bool update(const std::function<bool(FailoverState &)> &edit);
    // `everywhere` false: the NDJSON log only (counting, not a transition).
    void record(const QString &event, const QString &text, const QJsonObject &extra = {}, bool everywhere = true);
    qint64 ensureIncident(const QString &title, const QString &detail);
    void onPrimary(const CheckResult &r);
    void onFallback(const CheckResult &r);
    void evaluate();
    bool triggered(const FailoverState &s) const;
    QString triggerText(const FailoverState &s) const;
    void alert();

    bool begin(Done done, const char *what);
    void finish(const Outcome &outcome);
    void startFailover(const QString &actor, Trigger trigger, const CheckResult *verified, Done done);
    void proceedFailover(const QString &actor, Trigger trigger, const CheckResult &fallback);
    void startFailback(const QString &actor, bool byHand, Done done);
    void beginFailback(const QString &actor, const QString &why);
    void resume(const FailoverState &s);
    void runNextStep();
    void onRunFinished(const ActionRun &run);
    void stepFailed(const QString &action, const QString &why);
    void completeTransition();

    void startDrill(const QString &actor, bool triggeredByFailures, Done done);
    void drillNext();
    void drillProbe(const QString &check, bool informational);
    void finishDrill();

    ServiceConfig m_service;
    FailoverConfig m_config;
    Services m_deps;
    const Clock *m_clock;
    std::unique_ptr<FailoverStateFile> m_file;
    FailoverState m_state;
    QString m_stateError;
    QFileSystemWatcher m_watch;
    Watcher *m_watcher = nullptr;
    bool m_started = false;

    // The transition this program is running (under the transition lock).
    bool m_busy = false;
    Done m_done;
    QString m_actor;
    QString m_pendingAction; // the action a run was asked for and has not finished
    qint64 m_runId = 0;
    bool m_awaitingRun = false;
    std::optional<ActionRun> m_earlyFinish; // a run that finished before run() returned its id

    // The drill being run.
    DrillStage m_drillStage = DrillStage::None;
    int m_drillIndex = 0;
    qint64 m_drillPhaseStartMs = 0;
    FailoverDrill m_drill;
};
