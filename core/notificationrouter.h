#pragma once

#include "config.h"
#include "notification.h"

#include <QHash>
#include <QList>
#include <QString>

// Which channels a notification goes to, by each channel's routing filters:
//   services      only these services (empty: every service)
//   min_severity  this level or worse, judged in the notification's own severity scheme: a P1
//                 incident of a P0-P3 service passes `min_severity: P1`, a Level 2 incident of a
//                 Level 1-3 service is compared with that scheme's ranks. When the scheme has no
//                 such level, the filter does not apply to it; when it has, a notification without
//                 a severity does not pass.
//   events        only these events (empty: every event)
// Time- and history-dependent decisions (mute, quiet hours, dedup, repeats) are the Notifier's.
class NotificationRouter
{
public:
    NotificationRouter() = default;
    explicit NotificationRouter(const Config &config);

    void setConfig(const Config &config);
    const QList<NotifyChannel> &channels() const { return m_channels; }
    const NotifyChannel *channel(QStringView name) const;
    QStringList channelNames() const;

    // The channels whose filters accept `n`, in config order.
    QList<NotifyChannel> route(const Notification &n) const;
    bool accepts(const NotifyChannel &channel, const Notification &n) const { return rejection(channel, n).isEmpty(); }
    // Why `channel` does not take `n` (for the debug log); empty when it does.
    QString rejection(const NotifyChannel &channel, const Notification &n) const;

    // The rank (0 = most severe) of `level` in the scheme `n` belongs to: n.scheme, else the
    // scheme of n.service in the config. -1 when the scheme is unknown or has no such level.
    int rankIn(const Notification &n, const QString &level) const;

private:
    QList<NotifyChannel> m_channels;
    QList<SeverityScheme> m_customSchemes;
    QHash<QString, QString> m_serviceSchemes; // service → scheme name
};
