#pragma once

#include "incident.h"

#include <QList>
#include <QString>
#include <optional>

class OpsDatabase;

// Incidents and their timelines in the store. One open incident per service and cause is
// enforced by the database itself (a unique index over the open ones), so two OpsDecks watching
// one store cannot both open the same incident: the second learns it is a recurrence.
class IncidentStore
{
public:
    explicit IncidentStore(const OpsDatabase *db);

    enum class Created { New, AlreadyOpen, Failed };
    // Inserts `incident` with its first timeline event, in one transaction. AlreadyOpen: an open
    // incident for the same service and cause exists; `incident` is then filled with it.
    Created create(Incident &incident, const IncidentEvent &first, QString *error);
    bool addEvent(qint64 incidentId, IncidentEvent &event, QString *error);
    // Writes state, severity, timestamps and texts, and appends `event` to the timeline, together.
    bool update(const Incident &incident, IncidentEvent &event, QString *error);

    std::optional<Incident> get(qint64 id, bool withTimeline = true) const;
    std::optional<Incident> openFor(const QString &service, const QString &cause) const;
    // Newest first.
    QList<Incident> list(bool openOnly, const QString &service = {}, int limit = 500) const;
    // Grows with every change, from any process: a cheap way to notice changes made elsewhere.
    qint64 changeMark() const;
    QString lastError() const { return m_error; }

private:
    Incident fromRow(const class QSqlQuery &q) const;
    QList<IncidentEvent> timeline(qint64 id) const;

    const OpsDatabase *m_db;
    mutable QString m_error;
};
