#pragma once

#include "auditlog.h"
#include "fakeclock.h"
#include "historystore.h"
#include "incidentmanager.h"
#include "incidentstore.h"
#include "maintenanceschedule.h"
#include "opsdatabase.h"
#include "probefactory.h"
#include "testdatabase.h"
#include "watcher.h"

#include <QSignalSpy>
#include <QTest>
#include <memory>

// The incident engine on a real store (SQLite or PostgreSQL) with a real watcher fed results by
// hand and a fake clock: rules, dependencies, maintenance and escalations without waiting.
class IncidentRig
{
public:
    explicit IncidentRig(const QString &backend)
        : db(backend)
    {
    }

    bool open(const Config &c)
    {
        if (db.unavailable() || !db.error().isEmpty())
            return false;
        config = c;
        RetentionPolicy keep;
        keep.autoIntervalMs = 0;
        history.setRetention(keep);
        QString error;
        if (!history.open(db.location(), &error) || !ops.open(db.location(), &error)) {
            m_error = error;
            return false;
        }
        store = std::make_unique<IncidentStore>(&ops);
        audit = std::make_unique<AuditLog>(&ops);
        maintenance = std::make_unique<MaintenanceSchedule>(&ops);
        maintenance->setPlanned(c.maintenance);
        watcher = std::make_unique<Watcher>(&factory, nullptr, nullptr, &clock);
        watcher->setConfig(c);
        manager = std::make_unique<IncidentManager>(store.get(), audit.get(), maintenance.get(), &clock);
        manager->setConfig(c);
        manager->attach(watcher.get(), nullptr);
        notifications = std::make_unique<QSignalSpy>(manager.get(), &IncidentManager::notificationReady);
        manager->start();
        return true;
    }
    QString error() const { return m_error.isEmpty() ? db.error() : m_error; }

    void result(const QString &service, const QString &check, Health outcome, const QString &why = {})
    {
        CheckResult r;
        r.service = service;
        r.check = check;
        r.atMs = clock.nowMs();
        r.outcome = outcome;
        r.latencyMs = 10;
        if (!why.isEmpty()) {
            r.failedCondition = QStringLiteral("[STATUS] == 200");
            r.actualValue = why;
        }
        watcher->ingest(r);
    }

    QList<Incident> incidents(bool openOnly = false) const { return store->list(openOnly); }
    QStringList notified() const
    {
        QStringList events;
        for (const QList<QVariant> &args : *notifications)
            events << args.first().value<Notification>().event;
        return events;
    }

    TestDatabase db;
    FakeClock clock{1'763'000'000'000};
    Config config;
    HistoryStore history;
    OpsDatabase ops;
    ProbeFactory factory;
    std::unique_ptr<IncidentStore> store;
    std::unique_ptr<AuditLog> audit;
    std::unique_ptr<MaintenanceSchedule> maintenance;
    std::unique_ptr<Watcher> watcher;
    std::unique_ptr<IncidentManager> manager;
    std::unique_ptr<QSignalSpy> notifications;

private:
    QString m_error;
};
