#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <optional>

enum class IncidentState { Open, Acknowledged, Mitigated, Resolved };
QString incidentStateName(IncidentState state); // "open", "acknowledged", "mitigated", "resolved"
std::optional<IncidentState> incidentStateFromName(QStringView name);

// One timestamped, attributed line of an incident's timeline. Kinds: detected, recurred,
// acknowledged, note, severity_changed, action, checklist, failover, mitigated, resolved, escalated.
struct IncidentEvent
{
    qint64 id = 0;
    qint64 atMs = 0;
    QString kind;
    QString actor; // the OS user, or "opsdeck" for what it did by itself
    QString text;
};

struct Incident
{
    qint64 id = 0;
    QString service;
    QString cause;      // down, degraded, budget_critical, burn_page, failover, manual
    QString severity;   // a level of the service's scheme
    IncidentState state = IncidentState::Open;
    QString title;
    QString impact;
    qint64 openedAtMs = 0;
    qint64 acknowledgedAtMs = 0; // 0: not yet
    qint64 mitigatedAtMs = 0;
    qint64 resolvedAtMs = 0;
    bool autoResolve = true;
    QString rootCause;
    QString resolution;
    QString prevention;
    QList<IncidentEvent> timeline; // oldest first, when loaded with it

    bool isOpen() const { return state != IncidentState::Resolved; }
};
Q_DECLARE_METATYPE(Incident)
Q_DECLARE_METATYPE(IncidentEvent)
