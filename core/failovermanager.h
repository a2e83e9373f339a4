#pragma once

#include "config.h"
#include "failovercontroller.h"

#include <QHash>
#include <QObject>

class Watcher;

// One FailoverController per service with a `failover:`, kept in step with the config: created,
// updated and dropped on reload. The session owns it; the CLI and the GUI find controllers here.
class FailoverManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FailoverManager)

public:
    explicit FailoverManager(const FailoverController::Services &services, QObject *parent = nullptr);

    void setConfig(const Config &config);
    // Results of every controller's primary and fallback come from here.
    void attach(Watcher *watcher);
    void start();
    void stop();

    FailoverController *controller(const QString &service) const { return m_controllers.value(service); }
    QStringList services() const; // in config order

signals:
    void transition(const QString &service, const QString &event, const QString &text);

private:
    FailoverController::Services m_services;
    QHash<QString, FailoverController *> m_controllers;
    QStringList m_order;
    Watcher *m_watcher = nullptr;
    bool m_started = false;
};
