#include "coresession.h"

#include "actionrunner.h"
#include "auditlog.h"
#include "failovermanager.h"
#include "clock.h"
#include "historystore.h"
#include "incidentmanager.h"
#include "incidentstore.h"
#include "maintenanceschedule.h"
#include "notifier.h"
#include "oneshotprobe.h"
#include "opsdatabase.h"
#include "logging.h"
#include "probefactory.h"
#include "secretresolver.h"
#include "secretstore.h"
#include "slomonitor.h"
#include "watcher.h"

#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QEventLoop>
#include <QTimer>

CoreSession::CoreSession(const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock ? clock : SystemClock::instance())
    , m_secretStore(new SecretStore(this))
    , m_resolver(new SecretResolver(m_secretStore, this))
    , m_probes(new ProbeFactory(this))
    , m_history(std::make_unique<HistoryStore>())
    , m_oneShot(new OneShotProbe(m_probes, m_resolver, m_clock, this))
{
    m_resolver->setClock(m_clock);
    m_watcher = std::make_unique<Watcher>(m_probes, m_resolver, m_history.get(), m_clock);
    m_slo = std::make_unique<SloMonitor>(m_history.get(), m_clock);
    // A state change moves the SLO now, not at the next periodic evaluation.
    connect(m_watcher.get(), &Watcher::serviceStateChanged, m_slo.get(), &SloMonitor::evaluateSoon);
    m_ops = std::make_unique<OpsDatabase>();
    m_incidentStore = std::make_unique<IncidentStore>(m_ops.get());
    m_audit = std::make_unique<AuditLog>(m_ops.get());
    m_maintenance = std::make_unique<MaintenanceSchedule>(m_ops.get());
    m_incidents = std::make_unique<IncidentManager>(m_incidentStore.get(), m_audit.get(), m_maintenance.get(), m_clock);
    m_incidents->attach(m_watcher.get(), m_slo.get());
    // Planned work that does not count against the SLO: its failures are recorded, not charged.
    m_watcher->setSloExclusion([this](const QString &service, qint64 atMs) {
        const auto window = m_maintenance->activeFor(service, atMs);
        return window && !window->countInSlo;
    });
    connect(this, &CoreSession::reloaded, this, [this](bool ok) {
        audit(QStringLiteral("config.reload"), {{QStringLiteral("path"), m_configPath}, {QStringLiteral("ok"), ok},
                                                {QStringLiteral("checks"), m_config.checkCount()}});
    });
}

CoreSession::~CoreSession()
{
    // Stop producing before the store flushes and closes.
    m_failover.reset(); // before the runner it uses
    m_actions.reset(); // records what it was running as cancelled
    m_notifier.reset();
    m_incidents.reset();
    m_slo.reset();
    m_watcher.reset();
    m_ops.reset();
    m_history.reset();
}

QString CoreSession::resolveConfigPath(const QString &explicitPath)
{
    if (!explicitPath.isEmpty())
        return explicitPath;
    const QString fromEnv = qEnvironmentVariable("OPSDECK_CONFIG");
    if (!fromEnv.isEmpty())
        return fromEnv;
    return ConfigLoader::defaultPath();
}

bool CoreSession::loadConfig(const QString &path)
{
    QFile file(path);
    m_loadedText = file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    const ConfigLoader::Result result = ConfigLoader::loadFile(path);
    m_issues = result.issues;
    if (!result.ok()) {
        qCWarning(lcConfig) << "config" << path << "has" << result.errorCount() << "errors; keeping the previous one";
        return false;
    }
    const bool storeChanged = m_hasConfig && !(result.config->store == m_config.store);
    m_configPath = path;
    m_config = *result.config;
    m_hasConfig = true;
    if (storeChanged && m_history->isOpen()) {
        QString error;
        m_history->close();
        if (!m_history->open(m_config.store, &error))
            qCWarning(lcStore) << "the new store cannot be opened:" << error;
    }
    // The store counts latency-good events by each service's SLO threshold, and keeps each tier
    // for as long as the config says.
    QHash<QString, double> thresholds;
    for (const ServiceConfig &s : m_config.services)
        if (s.slo.enabled && s.slo.latencyMs > 0)
            thresholds.insert(s.name, s.slo.latencyMs);
    m_history->setLatencyThresholds(thresholds);
    RetentionPolicy retention = m_history->retention();
    retention.rawMs = m_config.history.rawMs;
    retention.minuteMs = m_config.history.minuteMs;
    retention.hourMs = m_config.history.hourMs;
    m_history->setRetention(retention);
    m_watcher->setConfig(m_config);
    m_slo->setConfig(m_config);
    m_maintenance->setPlanned(m_config.maintenance);
    m_incidents->setConfig(m_config);
    if (m_notifier)
        m_notifier->setConfig(m_config);
    if (m_actions)
        m_actions->setConfig(m_config);
    if (m_failover)
        m_failover->setConfig(m_config);
    emit configLoaded();
    return true;
}

bool CoreSession::openHistory(QString *error)
{
    StoreLocation location = m_config.store;
    // A shared PostgreSQL store's password comes from the keychain. Opening happens once, at start,
    // so waiting (at most the keychain timeout) for it is acceptable here.
    if (SecretResolver::hasReferences(location.password)) {
        QString password = location.password;
        for (const QString &name : SecretResolver::references(location.password)) {
            const SecretStore::Result r = m_secretStore->readBlocking(name);
            if (!r.ok()) {
                if (error)
                    *error = QStringLiteral("the store's password: %1").arg(r.message);
                return false;
            }
            password.replace(QStringLiteral("${secret:%1}").arg(name), r.value);
        }
        location.password = password;
    }
    if (!m_history->open(location, error))
        return false;
    // Incidents, maintenance and the audit log: a connection of their own to the migrated store.
    if (!m_ops->open(location, error))
        return false;
    // The outbox too; the notifier keeps its own connection so that delivery bookkeeping never
    // waits behind an incident transaction.
    m_notifier = std::make_unique<Notifier>(location, m_resolver, m_clock);
    m_notifier->setConfig(m_config);
    if (!m_notifier->open(error)) {
        m_notifier.reset();
        return false;
    }
    connect(m_incidents.get(), &IncidentManager::notificationReady, m_notifier.get(), &Notifier::notify);
    // Actions record their runs, locks, audit records and timeline events in the same store.
    m_actions = std::make_unique<ActionRunner>(m_ops.get(), m_resolver, m_secretStore, m_audit.get(), m_incidents.get(), m_clock);
    m_actions->setConfig(m_config);
    // Failover counts the watcher's results and runs its actions through the runner.
    m_failover = std::make_unique<FailoverManager>(
        FailoverController::Services{m_actions.get(), m_incidents.get(), m_audit.get(), m_oneShot, m_clock});
    m_failover->setConfig(m_config);
    m_failover->attach(m_watcher.get());
    // Repeats stop on acknowledgement, also when another program (opsdeckctl incident ack) made it.
    connect(m_incidents.get(), &IncidentManager::incidentChanged, m_notifier.get(), [this](const Incident &i) {
        if (i.state == IncidentState::Resolved)
            m_notifier->resolved(i.id);
        else if (i.state != IncidentState::Open)
            m_notifier->acknowledged(i.id);
    });
    return true;
}

void CoreSession::deliverPending(int timeoutMs)
{
    if (!m_notifier)
        return;
    QString error;
    if (!m_notifier->start(&error)) {
        qCWarning(lcStore) << "notifications stay in the outbox:" << error;
        return;
    }
    m_notifier->wake(); // claims the due rows now; start() alone only schedules that
    QEventLoop loop;
    // A reply's row is out of the flight list once its signal has been handled: look then.
    auto settled = [&] {
        QTimer::singleShot(0, &loop, [&] {
            if (m_notifier->inFlight() == 0)
                loop.quit();
        });
    };
    connect(m_notifier.get(), &Notifier::delivered, &loop, settled);
    connect(m_notifier.get(), &Notifier::deliveryFailed, &loop, settled);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    if (m_notifier->inFlight() > 0)
        loop.exec();
    m_notifier->stop();
}

bool CoreSession::hasStore() const
{
    return m_ops->isOpen();
}

void CoreSession::audit(const QString &action, const QJsonObject &details)
{
    if (!m_ops->isOpen())
        return;
    QString error;
    if (!m_audit->append(currentActor(), action, details, m_clock->nowMs(), &error))
        qCWarning(lcStore) << "could not write the audit log:" << error;
}

void CoreSession::start()
{
    m_watcher->start();
    m_slo->start();
    if (m_ops->isOpen())
        m_incidents->start();
    if (m_failover)
        m_failover->start();
    if (m_notifier) {
        QString error;
        if (!m_notifier->start(&error))
            qCWarning(lcStore) << "notifications are not delivered:" << error;
    }
}

void CoreSession::stop()
{
    if (m_notifier)
        m_notifier->stop();
    m_incidents->stop();
    if (m_failover)
        m_failover->stop();
    m_slo->stop();
    m_watcher->stop();
}

void CoreSession::setAutoReload(bool enabled)
{
    delete m_fileWatcher;
    m_fileWatcher = nullptr;
    if (!enabled || m_configPath.isEmpty())
        return;
    m_fileWatcher = new QFileSystemWatcher(this);
    m_fileWatcher->addPath(m_configPath);
    m_fileWatcher->addPath(QFileInfo(m_configPath).absolutePath());
    if (!m_reloadDelay) {
        // Editors write in several steps; wait for the file to settle.
        m_reloadDelay = new QTimer(this);
        m_reloadDelay->setSingleShot(true);
        m_reloadDelay->setInterval(300);
        connect(m_reloadDelay, &QTimer::timeout, this, [this] {
            QFile file(m_configPath);
            if (!file.open(QIODevice::ReadOnly) || file.readAll() == m_loadedText)
                return;
            const bool ok = loadConfig(m_configPath);
            if (m_fileWatcher && !m_fileWatcher->files().contains(m_configPath))
                m_fileWatcher->addPath(m_configPath); // replaced files drop out of the watch
            emit reloaded(ok);
        });
    }
    auto changed = [this] { m_reloadDelay->start(); };
    connect(m_fileWatcher, &QFileSystemWatcher::fileChanged, this, changed);
    connect(m_fileWatcher, &QFileSystemWatcher::directoryChanged, this, changed);
}
