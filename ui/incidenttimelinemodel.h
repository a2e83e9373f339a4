#pragma once

#include "incident.h"

#include <QAbstractListModel>

// One incident's timeline, oldest first: what happened, when, and who did it.
class IncidentTimelineModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IncidentTimelineModel)

public:
    enum Role {
        KindRole = Qt::UserRole + 1, // detected, acknowledged, note, … as core names them
        KindLabelRole,               // the kind in words
        TimeRole,                    // ms since the epoch
        TimeTextRole,                // local time, as shown
        ActorRole,
        TextRole
    };

    explicit IncidentTimelineModel(QObject *parent = nullptr);

    // `incident` with its timeline; an incident of id 0 empties the model.
    void setIncident(const Incident &incident);
    qint64 incidentId() const { return m_incidentId; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    static QString kindLabel(const QString &kind);

private:
    qint64 m_incidentId = 0;
    QList<IncidentEvent> m_events;
};
