#include "fleetsummary.h"

#include "coresession.h"
#include "incidentmanager.h"
#include "watcher.h"

FleetSummary::FleetSummary(CoreSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    Watcher *watcher = session->watcher();
    connect(watcher, &Watcher::serviceStateChanged, this, &FleetSummary::refresh);
    connect(watcher, &Watcher::blindChanged, this, &FleetSummary::refresh);
    // The last result's time moves with every result; listeners that show it redraw on changed().
    connect(watcher, &Watcher::passFinished, this, &FleetSummary::changed);
    connect(session, &CoreSession::configLoaded, this, &FleetSummary::refresh);
    if (IncidentManager *incidents = session->incidents()) {
        connect(incidents, &IncidentManager::incidentOpened, this, &FleetSummary::refresh);
        connect(incidents, &IncidentManager::incidentChanged, this, &FleetSummary::refresh);
    }
    refresh();
}

bool FleetSummary::isBlind() const
{
    return m_session->watcher()->isBlind();
}

QString FleetSummary::blindReason() const
{
    return m_session->watcher()->blindReason();
}

qint64 FleetSummary::lastResultMs() const
{
    return m_session->watcher()->lastResultMs();
}

void FleetSummary::refresh()
{
    const StateTracker &state = m_session->watcher()->state();
    std::fill(std::begin(m_counts), std::end(m_counts), 0);
    const QStringList names = state.services();
    m_services = int(names.size());
    Health worst = Health::Ok;
    for (const QString &name : names) {
        const Health h = state.serviceHealth(name);
        ++m_counts[int(h)];
        worst = ::worse(worst, h);
    }
    // Nothing to show, or blind: unknown, never a reassuring green.
    if (names.isEmpty() || isBlind())
        worst = ::worse(worst, Health::Unknown);
    m_worst = worst;
    recountIncidents();
    emit changed();
}

void FleetSummary::recountIncidents()
{
    m_open = 0;
    m_unacknowledged = 0;
    IncidentManager *incidents = m_session->incidents();
    if (!incidents)
        return;
    const QList<Incident> open = incidents->openIncidents();
    m_open = int(open.size());
    for (const Incident &incident : open)
        if (incident.state == IncidentState::Open)
            ++m_unacknowledged;
}

QString FleetSummary::text() const
{
    QStringList parts;
    static const struct { Health h; const char *text; } kinds[] = {
        {Health::Down, QT_TRANSLATE_NOOP("FleetSummary", "%n down")},
        {Health::Degraded, QT_TRANSLATE_NOOP("FleetSummary", "%n degraded")},
        {Health::Stale, QT_TRANSLATE_NOOP("FleetSummary", "%n stale")},
        {Health::Unknown, QT_TRANSLATE_NOOP("FleetSummary", "%n unknown")},
        {Health::Ok, QT_TRANSLATE_NOOP("FleetSummary", "%n ok")},
    };
    for (const auto &kind : kinds)
        if (count(kind.h) > 0)
            parts << tr(kind.text, nullptr, count(kind.h));
    QString line = parts.isEmpty() ? tr("No services") : parts.join(QStringLiteral(", "));
    if (isBlind())
        line = tr("Cannot see: %1").arg(blindReason()) + QStringLiteral(" · ") + line;
    if (m_unacknowledged > 0)
        line += QStringLiteral(" · ") + tr("%n unacknowledged incident(s)", nullptr, m_unacknowledged);
    else if (m_open > 0)
        line += QStringLiteral(" · ") + tr("%n open incident(s)", nullptr, m_open);
    return line;
}
