#pragma once

#include "config.h"
#include "incident.h"
#include "notification.h"
#include "sloreport.h"
#include "statetransition.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <optional>

class AuditLog;
class Clock;
class IncidentStore;
class MaintenanceSchedule;
class SloMonitor;
class Watcher;

// Opens, updates and resolves incidents from what core observes, and carries out what operators
// do with them. Rules (per service, see IncidentRule): down (when the service turns down, or after
// N consecutive down results), degraded for a while, a critical error budget, a page-level burn, a
// failover. One open incident per service and cause: a recurrence while it is open goes into its
// timeline. Nothing opens while the service is in maintenance or a service it depends on is down
// ("blocked by parent": one router outage must not become thirty pages). Response targets of the
// incident's severity are watched; an overdue one adds an escalation to the timeline and a
// notification. Every operator action is also written to the audit log.
class IncidentManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IncidentManager)

public:
    IncidentManager(IncidentStore *store, AuditLog *audit, MaintenanceSchedule *maintenance, const Clock *clock,
                    QObject *parent = nullptr);

    void setConfig(const Config &config);
    // Listens to the watcher's state changes and the SLO monitor's budget and alert changes.
    void attach(Watcher *watcher, SloMonitor *slo);
    // Starts watching response targets (and noticing incidents changed by other processes).
    void start();
    void stop();

    struct Resolution
    {
        QString text;        // what was done (the timeline's resolved line)
        QString rootCause;
        QString resolution;
        QString prevention;
    };

    // Operator actions; `actor` is the OS user (currentActor()). False with *error on a bad id or
    // a state that does not allow it (acknowledging a resolved incident).
    bool acknowledge(qint64 id, const QString &actor, const QString &note, QString *error);
    bool addNote(qint64 id, const QString &actor, const QString &text, QString *error);
    bool changeSeverity(qint64 id, const QString &actor, const QString &severity, QString *error);
    bool mitigate(qint64 id, const QString &actor, const QString &text, QString *error);
    bool resolve(qint64 id, const QString &actor, const Resolution &resolution, QString *error);
    bool tickChecklist(qint64 id, const QString &actor, const QString &item, bool ticked, QString *error);
    // An action's run and result, written by the action runner (a later issue) into the timeline.
    bool recordAction(qint64 id, const QString &actor, const QString &text, QString *error);
    std::optional<Incident> openByHand(const QString &service, const QString &title, const QString &severity,
                                       const QString &actor, QString *error);

    // For other parts of core (the failover controller): open or clear an incident of a cause.
    // `title` empty: the cause's usual title.
    std::optional<Incident> raise(const QString &service, IncidentCause cause, const QString &detail,
                                  const QString &title = QString());
    // A failover transition (started, an action's result, refused, active, failed back …) in the
    // timeline, as a `failover` event.
    bool recordFailover(qint64 id, const QString &actor, const QString &text, QString *error);
    void clear(const QString &service, IncidentCause cause, const QString &detail);

    // The open incident an operator is most likely working on for a service (the most severe).
    std::optional<Incident> openIncidentFor(const QString &service) const;
    QList<Incident> openIncidents() const;
    // Opens what has been degraded long enough and escalates overdue response targets. Runs by
    // itself off a timer; callable by tests after advancing a fake clock.
    void checkTimers();

    // One response target of an incident's severity (acknowledge, diagnose, mitigate): when it falls
    // and whether it has been met. For views that show what is overdue; `incident` with its timeline
    // (a note is what counts as diagnosed). Empty when the severity is not a level of the scheme.
    struct ResponseTarget
    {
        QString name;
        qint64 deadlineMs = 0;
        bool met = false;
    };
    QList<ResponseTarget> responseTargets(const Incident &incident) const;

    // Whether a parent of `service` (depends_on) is down right now.
    bool isBlocked(const QString &service, QString *parent = nullptr) const;

signals:
    void incidentOpened(const Incident &incident);
    void incidentChanged(const Incident &incident); // any change, from here or another process
    void notificationReady(const Notification &notification);
    void blockedChanged(const QString &service, bool blocked, const QString &parent);

private:
    void onServiceChanged(const StateTransition &t);
    void onCheckUpdated(const QString &service, const QString &check);
    void onBudget(const QString &service, BudgetState from, BudgetState to, const SloReport &report);
    void onAlert(const QString &service, BurnAlert from, BurnAlert to, const SloReport &report);

    const IncidentRule *rule(const QString &service, IncidentCause cause) const;
    bool suppressed(const QString &service, QString *why) const;
    std::optional<Incident> open(const QString &service, IncidentCause cause, const QString &title, const QString &detail,
                                 bool recurrence);
    bool change(qint64 id, const QString &actor, const QString &auditAction, const std::function<bool(Incident &, IncidentEvent &, QString *)> &edit,
                QString *error);
    void notify(const Incident &incident, const QString &event, const QString &text);
    void audit(const QString &actor, const QString &action, const Incident &incident, const QString &text);
    void arm();   // re-plans m_timer once control is back in the event loop
    void rearm(); // … which it does here
    void refreshBlocked();
    Incident withTimeline(qint64 id) const;

    IncidentStore *m_store;
    AuditLog *m_audit;
    MaintenanceSchedule *m_maintenance;
    const Clock *m_clock;
    Watcher *m_watcher = nullptr;
    Config m_config;
    QHash<QString, qint64> m_degradedSince;    // services degraded now, since when
    QSet<QString> m_escalated;                 // "id/target" already escalated
    QHash<QString, QString> m_blockedBy;       // service → the parent that is down
    QTimer m_timer;                            // response targets and degraded-for rules
    QTimer m_rearm;                            // a burst of changes plans m_timer once
    QTimer m_watchExternal;                    // notices incidents changed by another process
    qint64 m_changeMark = -1;
};
