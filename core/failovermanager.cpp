#include "failovermanager.h"

#include "watcher.h"

FailoverManager::FailoverManager(const FailoverController::Services &services, QObject *parent)
    : QObject(parent)
    , m_services(services)
{
}

void FailoverManager::setConfig(const Config &config)
{
    QStringList order;
    for (const ServiceConfig &s : config.services) {
        if (!s.failover)
            continue;
        order << s.name;
        if (FailoverController *c = m_controllers.value(s.name)) {
            c->setService(s);
            continue;
        }
        auto *c = new FailoverController(s, m_services, this);
        connect(c, &FailoverController::transition, this, &FailoverManager::transition);
        if (m_watcher)
            c->attach(m_watcher);
        m_controllers.insert(s.name, c);
        if (m_started)
            c->start();
    }
    for (auto it = m_controllers.begin(); it != m_controllers.end();) {
        // A controller in the middle of a transition finishes it before it goes.
        if (order.contains(it.key()) || (*it)->isBusy()) {
            ++it;
            continue;
        }
        (*it)->deleteLater();
        it = m_controllers.erase(it);
    }
    m_order = order;
}

void FailoverManager::attach(Watcher *watcher)
{
    m_watcher = watcher;
    for (FailoverController *c : std::as_const(m_controllers))
        c->attach(watcher);
}

void FailoverManager::start()
{
    m_started = true;
    for (FailoverController *c : std::as_const(m_controllers))
        c->start();
}

void FailoverManager::stop()
{
    m_started = false;
    for (FailoverController *c : std::as_const(m_controllers))
        c->stop();
}

QStringList FailoverManager::services() const
{
    return m_order;
}
