#include "notificationrouter.h"

#include "severity.h"

NotificationRouter::NotificationRouter(const Config &config)
{
    setConfig(config);
}

void NotificationRouter::setConfig(const Config &config)
{
    m_channels = config.notify;
    m_customSchemes = config.severitySchemes;
    m_serviceSchemes.clear();
    for (const ServiceConfig &s : config.services)
        m_serviceSchemes.insert(s.name, s.severityScheme);
}

const NotifyChannel *NotificationRouter::channel(QStringView name) const
{
    for (const NotifyChannel &c : m_channels)
        if (c.name == name)
            return &c;
    return nullptr;
}

QStringList NotificationRouter::channelNames() const
{
    QStringList names;
    for (const NotifyChannel &c : m_channels)
        names << c.name;
    return names;
}

QList<NotifyChannel> NotificationRouter::route(const Notification &n) const
{
    QList<NotifyChannel> out;
    for (const NotifyChannel &c : m_channels)
        if (accepts(c, n))
            out << c;
    return out;
}

int NotificationRouter::rankIn(const Notification &n, const QString &level) const
{
    const QString schemeName = n.scheme.isEmpty() ? m_serviceSchemes.value(n.service) : n.scheme;
    if (schemeName.isEmpty())
        return -1;
    const SeverityScheme *scheme = SeveritySchemes::find(m_customSchemes, schemeName);
    return scheme ? scheme->rank(level) : -1;
}

QString NotificationRouter::rejection(const NotifyChannel &channel, const Notification &n) const
{
    if (!channel.services.isEmpty() && !channel.services.contains(n.service))
        return QStringLiteral("service `%1` is not one of %2").arg(n.service, channel.services.join(QStringLiteral(", ")));
    if (!channel.events.isEmpty() && !channel.events.contains(n.event))
        return QStringLiteral("event `%1` is not one of %2").arg(n.event, channel.events.join(QStringLiteral(", ")));
    if (!channel.minSeverity.isEmpty()) {
        const int min = rankIn(n, channel.minSeverity);
        if (min >= 0) {
            if (n.severityRank < 0)
                return QStringLiteral("no severity, and min_severity is %1").arg(channel.minSeverity);
            if (n.severityRank > min)
                return QStringLiteral("severity %1 is below min_severity %2").arg(n.severity, channel.minSeverity);
        }
    }
    return {};
}
