#include "slacksender.h"

#include <QJsonDocument>
#include <QJsonObject>

QString SlackSender::escaped(const QString &text)
{
    QString out = text;
    out.replace(u'&', QStringLiteral("&amp;")).replace(u'<', QStringLiteral("&lt;")).replace(u'>', QStringLiteral("&gt;"));
    return out;
}

QString SlackSender::text(const Notification &n)
{
    QString out;
    if (!n.title.isEmpty())
        out = u'*' + escaped(n.title) + u'*';
    if (!n.text.isEmpty() && n.text != n.title)
        out += (out.isEmpty() ? QString() : QStringLiteral("\n")) + escaped(n.text);
    return out;
}

ChannelRequest SlackSender::request(const Notification &n, qint64 outboxId, const QStringList &expanded) const
{
    Q_UNUSED(outboxId)
    const NotifyChannel c = expandedConfig(expanded);
    ChannelRequest r;
    r.url = QUrl(c.url);
    r.headers = {{"Content-Type", "application/json"}};
    r.body = QJsonDocument(QJsonObject{{QStringLiteral("text"), text(n)}}).toJson(QJsonDocument::Compact);
    return r;
}
