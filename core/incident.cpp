#include "incident.h"

QString incidentStateName(IncidentState state)
{
    switch (state) {
    case IncidentState::Open: return QStringLiteral("open");
    case IncidentState::Acknowledged: return QStringLiteral("acknowledged");
    case IncidentState::Mitigated: return QStringLiteral("mitigated");
    case IncidentState::Resolved: return QStringLiteral("resolved");
    }
    return {};
}

std::optional<IncidentState> incidentStateFromName(QStringView name)
{
    for (IncidentState s : {IncidentState::Open, IncidentState::Acknowledged, IncidentState::Mitigated, IncidentState::Resolved})
        if (name == incidentStateName(s))
            return s;
    return std::nullopt;
}
