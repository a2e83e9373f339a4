#pragma once

#include "actiontask.h"
#include "config.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
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
    void cancel(qint64 runId);
    bool isRunning(const QString &service, const QString &action) const;

    std::optional<ActionRun> get(qint64 runId) const;
    // The latest runs, newest first; empty service/action: all.
    QList<ActionRun> history(const QString &service, const QString &action, int limit) const;

signals:
    void runStarted(const ActionRun &run);
    void runOutput(qint64 runId, const QByteArray &chunk);
    void runFinished(const ActionRun &run);
};
