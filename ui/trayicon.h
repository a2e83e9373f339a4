#pragma once

#include "health.h"

#include <QObject>
#include <QPointer>

class CoreSession;
class FleetSummary;
class QAction;
class QMenu;
class QSystemTrayIcon;
class QTimer;
struct Notification;

// OpsDeck in the system tray: the icon's shape and colour show the worst state and a badge counts
// unacknowledged incidents; the tooltip sums up the fleet; the menu opens the window, acknowledges
// every open incident, mutes notifications for an hour, or quits. It is also the desktop channel of
// the notifier: what core routes to `desktop` (after dedup, quiet hours and mute) appears as a
// desktop notification, and clicking it opens that incident.
class TrayIcon final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayIcon)

public:
    TrayIcon(CoreSession *session, FleetSummary *summary, QObject *parent = nullptr);
    ~TrayIcon() override;

    static bool isSystemTrayAvailable();
    bool isVisible() const;
    void show();

    QMenu *menu() const { return m_menu; }
    QAction *openAction() const { return m_open; }
    QAction *acknowledgeAllAction() const { return m_ackAll; }
    QAction *muteAction() const { return m_mute; }
    QAction *quitAction() const { return m_quit; }
    QString toolTip() const;
    QIcon icon() const;
    // The incident the last desktop notification was about (0: none); a click opens it.
    qint64 lastNotifiedIncident() const { return m_lastIncident; }

    // The tray picture: the state's shape, with the count of unacknowledged incidents on it.
    static QIcon paintIcon(Health worst, int badge);

public slots:
    // Acknowledges every open, unacknowledged incident as the OS user; returns how many.
    int acknowledgeAll();
    // Mutes every channel of this program for an hour, or lifts the mute when one is on.
    void toggleMute();
    void showNotification(const Notification &notification);

signals:
    void openRequested();
    void incidentRequested(qint64 id);
    void quitRequested();

private:
    void update();
    void updateMute();
    void messageClicked();

    CoreSession *m_session;
    FleetSummary *m_summary;
    QSystemTrayIcon *m_tray;
    QMenu *m_menu;
    QAction *m_open;
    QAction *m_ackAll;
    QAction *m_mute;
    QAction *m_quit;
    QTimer *m_muteEnds;
    qint64 m_lastIncident = 0;
};
