#pragma once

#include "health.h"

#include <QObject>

class CoreSession;

// The whole fleet in one glance, for the places that show only that: the tray icon, the status bar
// and (later) the kiosk's header. Worst state over every service (unknown while OpsDeck cannot see:
// it never claims green while blind), how many services are in each state, open and unacknowledged
// incidents, and when the last result came in. changed() fires when any of it may have changed.
class FleetSummary final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FleetSummary)

public:
    explicit FleetSummary(CoreSession *session, QObject *parent = nullptr);

    Health worst() const { return m_worst; }
    int count(Health h) const { return m_counts[int(h)]; }
    int services() const { return m_services; }
    int openIncidents() const { return m_open; }
    int unacknowledgedIncidents() const { return m_unacknowledged; }
    bool isBlind() const;
    QString blindReason() const;
    qint64 lastResultMs() const;
    // One line for a tooltip: "2 down, 1 degraded, 5 ok · 1 unacknowledged incident".
    QString text() const;

    // Recomputes now (done by itself on the watcher's and the incident engine's signals).
    void refresh();

signals:
    void changed();

private:
    void recountIncidents();

    CoreSession *m_session;
    Health m_worst = Health::Unknown;
    int m_counts[5] = {};
    int m_services = 0;
    int m_open = 0;
    int m_unacknowledged = 0;
};
