#pragma once

#include "actiontask.h"
#include "config.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>

class AuditLog;
class Clock;
class IncidentManager;
class OpsDatabase;
class SecretResolver;
class SecretStore;

// One run as recorded in the store (table action_runs).
struct ActionRun
{
    qint64 id = 0;
    QString service;
    QString action;
    QString kind;              // command, http, or the built-in's name
    QHash<QString, QString> params;
    QStringList preview;       // what was shown before it ran, secrets masked
    QString actor;
    bool dryRun = false;
    qint64 incidentId = 0;     // the service's open incident the run was written into; 0: none
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;   // 0 while running
    QString status;            // running, succeeded, failed, timeout, cancelled, refused, interrupted
    int exitCode = -1;
    QByteArray output;         // capped at the action's max output
    qint64 outputBytes = 0;    // everything it wrote
    QString summary;
    qint64 durationMs() const { return finishedAtMs > 0 ? finishedAtMs - startedAtMs : 0; }
};
Q_DECLARE_METATYPE(ActionRun)

// Runs the actions of the config on the operator's behalf — the GUI's buttons, `opsdeckctl action
// run`, the failover controller — and remembers every run. Before anything runs: the parameters
// are validated against their types, the preview is built (secrets masked), and the action's lock
// is taken in the store, so one run per action at a time, also across programs sharing the store.
// While it runs: output streams out (runOutput) and the lock is renewed. After: the run is stored
// with status, exit code, duration and capped output; an audit record is appended; the service's
// open incident gets an `action` event with the result.
class ActionRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActionRunner)

public:
    struct Request
    {
        QString service;
        QString action;
        QHash<QString, QString> params; // as typed; validated by prepare()/run()
        QString actor;                  // the OS user, or "opsdeck" for automatic runs
        bool dryRun = false;
        bool confirmed = false;         // the operator confirmed (required for restore and confirm: true)
        QString reason;                 // why, for the audit log and timeline ("failover", …)
    };
    struct Prepared
    {
        QStringList preview;
        bool needsConfirmation = false;
        QHash<QString, QString> params; // validated, defaults filled in
    };

    // `db` (incidents, audit, runs, locks) must be open before run(); `incidents`, `audit` and
    // `secrets` may be null. None is owned; all must outlive the runner.
    ActionRunner(OpsDatabase *db, SecretResolver *resolver, SecretStore *secrets, AuditLog *audit,
                 IncidentManager *incidents, const Clock *clock = nullptr, QObject *parent = nullptr);
    ~ActionRunner() override; // cancels what is running and records it as cancelled

    void setConfig(const Config &config);

    // Validates the request and says exactly what would run; nullopt and *error (naming the
    // parameter and what it expected, or the unknown service/action) when it cannot run. Values
    // of secrets are not needed for the preview: references show as ${secret:NAME}.
    std::optional<Prepared> prepare(const Request &request, QString *error) const;
    // Starts a run: returns its id (runStarted/runOutput/runFinished follow), or 0 and *error when
    // it is refused — invalid parameters, not confirmed when it must be, or already running (here
    // or in another program: the error says where and since when).
    qint64 run(const Request &request, QString *error);
    // Why a request was refused, for callers that answer each reason differently (the CLI's exit
    // codes).
    enum class Refusal { None, UnknownAction, InvalidParams, NeedsConfirmation, AlreadyRunning, NotAvailable, StoreError };
    qint64 run(const Request &request, QString *error, Refusal *why);
    std::optional<Prepared> prepare(const Request &request, QString *error, Refusal *why) const;
    void cancel(qint64 runId);
    bool isRunning(const QString &service, const QString &action) const;

    std::optional<ActionRun> get(qint64 runId) const;
    // The latest runs, newest first; empty service/action: all.
    QList<ActionRun> history(const QString &service, const QString &action, int limit) const;

    // Runs left `running` by a program that died (its lock's holder is gone: a dead pid on this
    // host, or a lease that ran out) become `interrupted`, and their locks are released. Done when
    // the runner is made and before each run; history() shows such runs as interrupted anyway.
    int sweepInterrupted();
    // How long a lock holds without renewal (renewed every third of it while the run goes on).
    static constexpr qint64 kLeaseMs = 60'000;
    // The runner's own bound on a task that does not end by its timeout: after timeout + this, it is
    // cancelled and recorded as timed out.
    static constexpr qint64 kBackstopMs = 10'000;

signals:
    void runStarted(const ActionRun &run);
    void runOutput(qint64 runId, const QByteArray &chunk);
    void runFinished(const ActionRun &run);

private:
    struct Active;
    struct Lock
    {
        qint64 runId = 0;
        QString host;
        qint64 pid = 0;
        qint64 acquiredAtMs = 0;
        qint64 expiresAtMs = 0;
    };
    std::optional<Prepared> prepareFor(const Request &request, const ActionConfig **action, QString *error, Refusal *why) const;
    bool isStale(const Lock &lock) const;
    std::optional<Lock> lockOf(const QString &key) const;
    QString describeHolder(const QString &key, const Lock &lock) const;
    bool acquire(ActionRun &run, QString *error, Refusal *why);
    void startTask(qint64 runId, const QHash<QString, QString> &secrets, const QString &secretError);
    void onOutput(qint64 runId, const QByteArray &chunk);
    void finish(qint64 runId, const ActionOutcome &outcome);
    void record(ActionRun &run, const QString &reason, bool withIncident);
    bool insertRun(ActionRun &run, QString *error);
    ActionRun fromRow(const class QSqlQuery &q) const;
    qint64 nowMs() const;

    OpsDatabase *m_db;
    SecretResolver *m_resolver;
    SecretStore *m_secrets;
    AuditLog *m_audit;
    IncidentManager *m_incidents;
    const Clock *m_clock;
    Config m_config;
    QString m_host;
    qint64 m_pid = 0;
    QHash<qint64, std::shared_ptr<Active>> m_active;
};
