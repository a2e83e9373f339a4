#include "incidentstore.h"

#include "opsdatabase.h"
#include "sqldialect.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace {

const QString kColumns = QStringLiteral(
    "id, service, cause, severity, state, title, impact, opened_at, acknowledged_at, mitigated_at, resolved_at, "
    "auto_resolve, root_cause, resolution, prevention");

QVariant timeOrNull(qint64 ms)
{
    return ms > 0 ? QVariant(ms) : QVariant(QMetaType::fromType<qint64>());
}

bool insertEvent(const QSqlDatabase &db, qint64 incidentId, IncidentEvent &e, QString *error)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO incident_events (incident_id, at, kind, actor, text) VALUES (?, ?, ?, ?, ?)"));
    q.addBindValue(incidentId);
    q.addBindValue(e.atMs);
    q.addBindValue(e.kind);
    q.addBindValue(e.actor);
    // An event without words (an acknowledgement without a note) has empty text, not none.
    q.addBindValue(storedText(e.text));
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    e.id = q.lastInsertId().toLongLong();
    return true;
}

} // namespace

IncidentStore::IncidentStore(const OpsDatabase *db)
    : m_db(db)
{
}

Incident IncidentStore::fromRow(const QSqlQuery &q) const
{
    Incident i;
    i.id = q.value(0).toLongLong();
    i.service = q.value(1).toString();
    i.cause = q.value(2).toString();
    i.severity = q.value(3).toString();
    i.state = incidentStateFromName(q.value(4).toString()).value_or(IncidentState::Open);
    i.title = q.value(5).toString();
    i.impact = q.value(6).toString();
    i.openedAtMs = q.value(7).toLongLong();
    i.acknowledgedAtMs = q.value(8).toLongLong();
    i.mitigatedAtMs = q.value(9).toLongLong();
    i.resolvedAtMs = q.value(10).toLongLong();
    i.autoResolve = q.value(11).toInt() != 0;
    i.rootCause = q.value(12).toString();
    i.resolution = q.value(13).toString();
    i.prevention = q.value(14).toString();
    return i;
}

IncidentStore::Created IncidentStore::create(Incident &incident, const IncidentEvent &first, QString *error)
{
    const QSqlDatabase db = m_db->db();
    if (!m_db->begin(error))
        return Created::Failed;
    // Checked inside the write transaction; the unique index backs it up for PostgreSQL, where two
    // writers can both get here.
    if (const auto existing = openFor(incident.service, incident.cause)) {
        m_db->rollback();
        incident = *existing;
        return Created::AlreadyOpen;
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("INSERT INTO incidents (service, cause, severity, state, title, impact, opened_at, auto_resolve) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(incident.service);
    q.addBindValue(incident.cause);
    q.addBindValue(incident.severity);
    q.addBindValue(incidentStateName(incident.state));
    q.addBindValue(storedText(incident.title));
    q.addBindValue(storedText(incident.impact));
    q.addBindValue(incident.openedAtMs);
    q.addBindValue(incident.autoResolve ? 1 : 0);
    if (!q.exec()) {
        const QString why = q.lastError().text();
        m_db->rollback();
        if (const auto existing = openFor(incident.service, incident.cause)) { // lost a race
            incident = *existing;
            return Created::AlreadyOpen;
        }
        *error = why;
        return Created::Failed;
    }
    incident.id = q.lastInsertId().toLongLong();
    if (incident.id == 0) { // QPSQL without lastInsertId support for identity columns
        QSqlQuery id(db);
        id.exec(QStringLiteral("SELECT MAX(id) FROM incidents"));
        incident.id = id.next() ? id.value(0).toLongLong() : 0;
    }
    IncidentEvent e = first;
    if (!insertEvent(db, incident.id, e, error) || !m_db->commit(error)) {
        m_db->rollback();
        return Created::Failed;
    }
    incident.timeline = {e};
    return Created::New;
}

bool IncidentStore::addEvent(qint64 incidentId, IncidentEvent &event, QString *error)
{
    return insertEvent(m_db->db(), incidentId, event, error);
}

bool IncidentStore::update(const Incident &i, IncidentEvent &event, QString *error)
{
    const QSqlDatabase db = m_db->db();
    if (!m_db->begin(error))
        return false;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE incidents SET severity = ?, state = ?, title = ?, impact = ?, acknowledged_at = ?, "
                             "mitigated_at = ?, resolved_at = ?, auto_resolve = ?, root_cause = ?, resolution = ?, "
                             "prevention = ? WHERE id = ?"));
    q.addBindValue(i.severity);
    q.addBindValue(incidentStateName(i.state));
    q.addBindValue(storedText(i.title));
    q.addBindValue(storedText(i.impact));
    q.addBindValue(timeOrNull(i.acknowledgedAtMs));
    q.addBindValue(timeOrNull(i.mitigatedAtMs));
    q.addBindValue(timeOrNull(i.resolvedAtMs));
    q.addBindValue(i.autoResolve ? 1 : 0);
    q.addBindValue(storedText(i.rootCause));
    q.addBindValue(storedText(i.resolution));
    q.addBindValue(storedText(i.prevention));
    q.addBindValue(i.id);
    if (!q.exec() || q.numRowsAffected() != 1) {
        *error = q.lastError().isValid() && !q.lastError().text().isEmpty() ? q.lastError().text()
                                                                              : QStringLiteral("no incident #%1").arg(i.id);
        m_db->rollback();
        return false;
    }
    if (!insertEvent(db, i.id, event, error) || !m_db->commit(error)) {
        m_db->rollback();
        return false;
    }
    return true;
}

QList<IncidentEvent> IncidentStore::timeline(qint64 id) const
{
    QList<IncidentEvent> out;
    QSqlQuery q(m_db->db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT id, at, kind, actor, text FROM incident_events WHERE incident_id = ? ORDER BY at, id"));
    q.addBindValue(id);
    if (!q.exec()) {
        m_error = q.lastError().text();
        return out;
    }
    while (q.next())
        out.append({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString(), q.value(3).toString(),
                    q.value(4).toString()});
    return out;
}

std::optional<Incident> IncidentStore::get(qint64 id, bool withTimeline) const
{
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("SELECT %1 FROM incidents WHERE id = ?").arg(kColumns));
    q.addBindValue(id);
    if (!q.exec() || !q.next()) {
        m_error = q.lastError().text();
        return std::nullopt;
    }
    Incident i = fromRow(q);
    if (withTimeline)
        i.timeline = timeline(id);
    return i;
}

std::optional<Incident> IncidentStore::openFor(const QString &service, const QString &cause) const
{
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("SELECT %1 FROM incidents WHERE service = ? AND cause = ? AND state <> 'resolved'").arg(kColumns));
    q.addBindValue(service);
    q.addBindValue(cause);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return fromRow(q);
}

QList<Incident> IncidentStore::list(bool openOnly, const QString &service, int limit) const
{
    QString sql = QStringLiteral("SELECT %1 FROM incidents WHERE 1 = 1").arg(kColumns);
    if (openOnly)
        sql += QStringLiteral(" AND state <> 'resolved'");
    if (!service.isEmpty())
        sql += QStringLiteral(" AND service = ?");
    sql += QStringLiteral(" ORDER BY opened_at DESC, id DESC LIMIT %1").arg(limit);
    QSqlQuery q(m_db->db());
    q.setForwardOnly(true);
    q.prepare(sql);
    if (!service.isEmpty())
        q.addBindValue(service);
    QList<Incident> out;
    if (!q.exec()) {
        m_error = q.lastError().text();
        return out;
    }
    while (q.next())
        out << fromRow(q);
    return out;
}

qint64 IncidentStore::changeMark() const
{
    QSqlQuery q(m_db->db());
    if (!q.exec(QStringLiteral("SELECT MAX(id) FROM incident_events")) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}
