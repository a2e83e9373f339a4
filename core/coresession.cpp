#include "coresession.h"

#include "clock.h"
#include "historystore.h"
#include "logging.h"
#include "probefactory.h"
#include "secretresolver.h"
#include "secretstore.h"
#include "watcher.h"

CoreSession::CoreSession(const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock ? clock : SystemClock::instance())
    , m_secretStore(new SecretStore(this))
    , m_resolver(new SecretResolver(m_secretStore, this))
    , m_probes(new ProbeFactory(this))
    , m_history(std::make_unique<HistoryStore>())
{
    m_resolver->setClock(m_clock);
    m_watcher = std::make_unique<Watcher>(m_probes, m_resolver, m_history.get(), m_clock);
}

CoreSession::~CoreSession()
{
    // Stop producing before the store flushes and closes.
    m_watcher.reset();
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
    const ConfigLoader::Result result = ConfigLoader::loadFile(path);
    m_issues = result.issues;
    if (!result.ok()) {
        qCWarning(lcConfig) << "config" << path << "has" << result.errorCount() << "errors; keeping the previous one";
        return false;
    }
    m_configPath = path;
    m_config = *result.config;
    m_hasConfig = true;
    m_watcher->setConfig(m_config);
    emit configLoaded();
    return true;
}

bool CoreSession::openHistory(QString *error)
{
    return m_history->open(m_config.store, error);
}
