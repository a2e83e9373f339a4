#include "incidenttimelinemodel.h"

#include <QDateTime>
#include <QLocale>

IncidentTimelineModel::IncidentTimelineModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void IncidentTimelineModel::setIncident(const Incident &incident)
{
    // Same incident, more events: append rather than reset, so the view keeps its scroll position.
    if (incident.id != 0 && incident.id == m_incidentId && incident.timeline.size() >= m_events.size()) {
        bool prefix = true;
        for (int i = 0; i < m_events.size() && prefix; ++i)
            prefix = m_events.at(i).id == incident.timeline.at(i).id;
        if (prefix) {
            if (incident.timeline.size() > m_events.size()) {
                beginInsertRows({}, int(m_events.size()), int(incident.timeline.size()) - 1);
                m_events = incident.timeline;
                endInsertRows();
            }
            return;
        }
    }
    beginResetModel();
    m_incidentId = incident.id;
    m_events = incident.timeline;
    endResetModel();
}

int IncidentTimelineModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

QString IncidentTimelineModel::kindLabel(const QString &kind)
{
    if (kind == u"detected")
        return tr("Detected");
    if (kind == u"recurred")
        return tr("Recurred");
    if (kind == u"acknowledged")
        return tr("Acknowledged");
    if (kind == u"note")
        return tr("Note");
    if (kind == u"severity_changed")
        return tr("Severity changed");
    if (kind == u"action")
        return tr("Action");
    if (kind == u"checklist")
        return tr("Checklist");
    if (kind == u"failover")
        return tr("Failover");
    if (kind == u"mitigated")
        return tr("Mitigated");
    if (kind == u"resolved")
        return tr("Resolved");
    if (kind == u"escalated")
        return tr("Escalated");
    return kind;
}

QVariant IncidentTimelineModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_events.size())
        return {};
    const IncidentEvent &e = m_events.at(index.row());
    switch (role) {
    case KindRole: return e.kind;
    case KindLabelRole: return kindLabel(e.kind);
    case TimeRole: return e.atMs;
    case TimeTextRole:
        return QLocale().toString(QDateTime::fromMSecsSinceEpoch(e.atMs), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case ActorRole: return e.actor;
    case TextRole: return e.text;
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return tr("%1 %2 by %3: %4").arg(data(index, TimeTextRole).toString(), kindLabel(e.kind), e.actor, e.text);
    case Qt::ToolTipRole: return e.text;
    }
    return {};
}
