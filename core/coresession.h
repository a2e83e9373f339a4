#pragma once

#include "config.h"
#include "configloader.h"

#include <QJsonObject>
#include <QObject>
#include <memory>

class ActionRunner;
class AuditLog;
class FailoverManager;
class HistoryStore;
class IncidentManager;
class IncidentStore;
class MaintenanceSchedule;
class OneShotProbe;
class Notifier;
class OpsDatabase;
class ProbeFactory;
class SecretResolver;
class SecretStore;
class SloMonitor;
class Watcher;
class Clock;
class QFileSystemWatcher;
class QTimer;

// The core objects a program needs, wired once: secrets, probes, history and the watcher, built
// from one config file. The GUI and opsdeckctl both start from here, so they behave alike.
class CoreSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CoreSession)

public:
    explicit CoreSession(const Clock *clock = nullptr, QObject *parent = nullptr);
    ~CoreSession() override;

    // Which file to use: the explicit one, else $OPSDECK_CONFIG, else the default path.
    static QString resolveConfigPath(const QString &explicitPath);

    // Loads and validates the config; on errors keeps what was loaded before. Issues (errors and
    // warnings) are available from issues().
    bool loadConfig(const QString &path);
    // Opens the history store named by the config.
    bool openHistory(QString *error);
    // Reloads the config whenever its file changes (editors replace files, so the folder is
    // watched too). A broken file keeps the running config; reloaded() says which happened.
    void setAutoReload(bool enabled);

    const Config &config() const { return m_config; }
    const QList<ConfigIssue> &issues() const { return m_issues; }
    QString configPath() const { return m_configPath; }

    SecretStore *secrets() const { return m_secretStore; }
    SecretResolver *resolver() const { return m_resolver; }
    HistoryStore *history() const { return m_history.get(); }
    Watcher *watcher() const { return m_watcher.get(); }
    SloMonitor *slo() const { return m_slo.get(); }
    // Incidents, maintenance and the audit log live in the same store; usable once openHistory()
    // succeeded.
    IncidentManager *incidents() const { return m_incidents.get(); }
    IncidentStore *incidentStore() const { return m_incidentStore.get(); }
    MaintenanceSchedule *maintenance() const { return m_maintenance.get(); }
    AuditLog *audit() const { return m_audit.get(); }
    // Delivers what the incident engine has to say through the channels under `notify:`; exists
    // once openHistory() succeeded (its outbox is in the same store), null before.
    Notifier *notifier() const { return m_notifier.get(); }
    // Runs the config's actions and records them in the store; exists once openHistory()
    // succeeded, null before.
    ActionRunner *actions() const { return m_actions.get(); }
    // The edge failover controllers of the services with `failover:`; exists once openHistory()
    // succeeded (they run actions), null before. start() resumes what a crashed program left.
    FailoverManager *failover() const { return m_failover.get(); }
    // For one-shot programs (opsdeckctl incident ack, …): sends what is due in the outbox, this
    // program's notifications among them, and waits until nothing is in flight or `timeoutMs` has
    // passed. What could not be delivered stays in the outbox for the next run or a running watcher.
    void deliverPending(int timeoutMs);
    bool hasStore() const;
    // Appends an operator action to the audit log (when the store is open) as the OS user.
    void audit(const QString &action, const QJsonObject &details);

    // Starts and stops everything that runs by itself: probing, SLO evaluation, incident rules and
    // notification delivery.
    void start();
    void stop();
    const Clock *clock() const { return m_clock; }

signals:
    void configLoaded();
    // After a reload triggered by a file change: ok, or the issues that stopped it.
    void reloaded(bool ok);

private:
    const Clock *m_clock;
    SecretStore *m_secretStore;
    SecretResolver *m_resolver;
    ProbeFactory *m_probes;
    std::unique_ptr<HistoryStore> m_history;
    std::unique_ptr<Watcher> m_watcher;
    std::unique_ptr<SloMonitor> m_slo;
    std::unique_ptr<OpsDatabase> m_ops;
    std::unique_ptr<IncidentStore> m_incidentStore;
    std::unique_ptr<AuditLog> m_audit;
    std::unique_ptr<MaintenanceSchedule> m_maintenance;
    std::unique_ptr<IncidentManager> m_incidents;
    std::unique_ptr<Notifier> m_notifier;
    std::unique_ptr<ActionRunner> m_actions;
    OneShotProbe *m_oneShot;
    std::unique_ptr<FailoverManager> m_failover;
    Config m_config;
    QList<ConfigIssue> m_issues;
    QString m_configPath;
    bool m_hasConfig = false;
    QFileSystemWatcher *m_fileWatcher = nullptr;
    QTimer *m_reloadDelay = nullptr;
    QByteArray m_loadedText; // what the running config was read from, to ignore touches
};
