#include "incidentfilterproxy.h"

#include "incident.h"
#include "incidentlistmodel.h"

IncidentFilterProxy::IncidentFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
}

void IncidentFilterProxy::setStateFilter(StateFilter filter)
{
    m_state = filter;
    invalidateFilter();
}

void IncidentFilterProxy::setSeverity(const QString &severity)
{
    m_severity = severity;
    invalidateFilter();
}

void IncidentFilterProxy::setService(const QString &service)
{
    m_service = service;
    invalidateFilter();
}

void IncidentFilterProxy::setText(const QString &text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

bool IncidentFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    const auto state = IncidentState(i.data(IncidentListModel::StateRole).toInt());
    switch (m_state) {
    case StateFilter::Active:
        if (state == IncidentState::Resolved)
            return false;
        break;
    case StateFilter::Open:
        if (state != IncidentState::Open)
            return false;
        break;
    case StateFilter::Acknowledged:
        if (state != IncidentState::Acknowledged)
            return false;
        break;
    case StateFilter::Mitigated:
        if (state != IncidentState::Mitigated)
            return false;
        break;
    case StateFilter::Resolved:
        if (state != IncidentState::Resolved)
            return false;
        break;
    case StateFilter::All: break;
    }
    if (!m_severity.isEmpty() && i.data(IncidentListModel::SeverityRole).toString().compare(m_severity, Qt::CaseInsensitive) != 0)
        return false;
    if (!m_service.isEmpty() && i.data(IncidentListModel::ServiceRole).toString() != m_service)
        return false;
    if (!m_text.isEmpty() && !i.data(IncidentListModel::SearchTextRole).toString().contains(m_text, Qt::CaseInsensitive))
        return false;
    return true;
}
