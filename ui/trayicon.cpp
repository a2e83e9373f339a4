#include "trayicon.h"

#include "auditlog.h"
#include "clock.h"
#include "coresession.h"
#include "fleetsummary.h"
#include "healthstyle.h"
#include "incidentmanager.h"
#include "notification.h"
#include "notifier.h"

#include <QAction>
#include <QDateTime>
#include <QLocale>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>
#include <QTimer>

namespace {
constexpr qint64 kMuteMs = 3'600'000;
}

TrayIcon::TrayIcon(CoreSession *session, FleetSummary *summary, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_summary(summary)
    , m_tray(new QSystemTrayIcon(this))
    , m_menu(new QMenu)
    , m_muteEnds(new QTimer(this))
{
    m_muteEnds->setSingleShot(true);
    connect(m_muteEnds, &QTimer::timeout, this, &TrayIcon::updateMute);
    m_open = m_menu->addAction(tr("&Open OpsDeck"), this, &TrayIcon::openRequested);
    m_ackAll = m_menu->addAction(tr("&Acknowledge all"), this, &TrayIcon::acknowledgeAll);
    m_mute = m_menu->addAction(tr("&Mute for 1 hour"), this, &TrayIcon::toggleMute);
    m_menu->addSeparator();
    m_quit = m_menu->addAction(tr("&Quit"), this, &TrayIcon::quitRequested);
    m_tray->setContextMenu(m_menu);

    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            emit openRequested();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayIcon::messageClicked);
    connect(summary, &FleetSummary::changed, this, &TrayIcon::update);
    if (Notifier *notifier = session->notifier()) {
        // Connecting is what makes the desktop channel live (see Notifier::desktopLive()).
        connect(notifier, &Notifier::desktopNotification, this, &TrayIcon::showNotification);
        connect(notifier, &Notifier::muteChanged, this, &TrayIcon::updateMute);
    }
    update();
    updateMute();
}

TrayIcon::~TrayIcon()
{
    delete m_menu;
}

bool TrayIcon::isSystemTrayAvailable()
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

bool TrayIcon::isVisible() const
{
    return m_tray->isVisible();
}

void TrayIcon::show()
{
    m_tray->show();
}

QString TrayIcon::toolTip() const
{
    return m_tray->toolTip();
}

QIcon TrayIcon::icon() const
{
    return m_tray->icon();
}

QIcon TrayIcon::paintIcon(Health worst, int badge)
{
    QIcon result;
    for (int size : {16, 22, 24, 32, 48, 64}) {
        QPixmap pm = HealthStyle::icon(worst).pixmap(size, size);
        if (badge > 0) {
            QPainter p(&pm);
            p.setRenderHint(QPainter::Antialiasing);
            const qreal d = size * 0.58;
            const QRectF dot(size - d, 0, d, d);
            p.setPen(QPen(Qt::white, qMax(1.0, size / 24.0)));
            p.setBrush(QColor(0xb0, 0x10, 0x10));
            p.drawEllipse(dot.adjusted(0.5, 0.5, -0.5, -0.5));
            QFont f;
            f.setBold(true);
            f.setPixelSize(qMax(6, int(d * 0.72)));
            p.setFont(f);
            p.drawText(dot, Qt::AlignCenter, badge > 9 ? QStringLiteral("9+") : QString::number(badge));
        }
        result.addPixmap(pm);
    }
    return result;
}

void TrayIcon::update()
{
    m_tray->setIcon(paintIcon(m_summary->worst(), m_summary->unacknowledgedIncidents()));
    QString tip = tr("OpsDeck — %1").arg(HealthStyle::label(m_summary->worst())) + u'\n' + m_summary->text();
    if (const qint64 until = m_session->notifier() ? m_session->notifier()->mutedUntil() : 0)
        tip += u'\n' + tr("Notifications muted until %1").arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(until).time(), QLocale::ShortFormat));
    m_tray->setToolTip(tip);
    m_ackAll->setEnabled(m_summary->unacknowledgedIncidents() > 0);
}

void TrayIcon::updateMute()
{
    Notifier *notifier = m_session->notifier();
    const bool muted = notifier && notifier->isMuted();
    m_mute->setEnabled(notifier != nullptr);
    m_mute->setText(muted ? tr("Un&mute notifications") : tr("&Mute for 1 hour"));
    // The notifier says nothing when a mute simply runs out; the menu and tooltip must still follow.
    if (muted)
        m_muteEnds->start(int(qBound<qint64>(0, notifier->mutedUntil() - m_session->clock()->nowMs() + 500, kMuteMs + 1000)));
    else
        m_muteEnds->stop();
    update();
}

int TrayIcon::acknowledgeAll()
{
    IncidentManager *incidents = m_session->incidents();
    if (!incidents)
        return 0;
    int done = 0;
    const QString actor = currentActor();
    for (const Incident &incident : incidents->openIncidents()) {
        if (incident.state != IncidentState::Open)
            continue;
        QString error;
        if (incidents->acknowledge(incident.id, actor, tr("Acknowledged from the tray"), &error))
            ++done;
        else
            qWarning("tray: could not acknowledge incident %lld: %s", incident.id, qPrintable(error));
    }
    return done;
}

void TrayIcon::toggleMute()
{
    Notifier *notifier = m_session->notifier();
    if (!notifier)
        return;
    if (notifier->isMuted()) {
        notifier->unmute();
        m_session->audit(QStringLiteral("notify.unmute"), {});
    } else {
        const qint64 until = m_session->clock()->nowMs() + kMuteMs;
        notifier->muteUntil(until);
        m_session->audit(QStringLiteral("notify.mute"), {{QStringLiteral("until_ms"), until}});
    }
}

void TrayIcon::showNotification(const Notification &notification)
{
    m_lastIncident = notification.incidentId;
    const QSystemTrayIcon::MessageIcon icon = notification.severityRank == 0 ? QSystemTrayIcon::Critical
                                              : notification.incidentId ? QSystemTrayIcon::Warning
                                                                        : QSystemTrayIcon::Information;
    m_tray->showMessage(notification.title, notification.text, icon, 15'000);
}

void TrayIcon::messageClicked()
{
    if (m_lastIncident > 0)
        emit incidentRequested(m_lastIncident);
    else
        emit openRequested();
}
