#include "ntfysender.h"

ChannelRequest NtfySender::request(const Notification &n, qint64 outboxId, const QStringList &expanded) const
{
    Q_UNUSED(outboxId)
    const NotifyChannel c = expandedConfig(expanded);
    ChannelRequest r;
    r.url = QUrl(c.url);
    QString message = n.text.isEmpty() ? n.title : n.text;
    message = truncated(message, kMaxBodyBytes);
    while (message.toUtf8().size() > kMaxBodyBytes)
        message = truncated(message, int(message.size() * 9 / 10));
    r.body = message.toUtf8();
    r.headers = {{"Content-Type", "text/plain; charset=utf-8"}, {"Priority", priority(n)}, {"Tags", tags(n)}};
    if (!n.title.isEmpty())
        r.headers.prepend({"Title", headerValue(n.title)});
    return r;
}

QByteArray NtfySender::priority(const Notification &n)
{
    if (n.severityRank == 0)
        return "urgent";
    if (n.severityRank == 1)
        return "high";
    return "default";
}

QByteArray NtfySender::tags(const Notification &n)
{
    QByteArray emoji = "bell";
    if (n.event == u"opened" || n.event == u"escalated" || n.event == u"recurred")
        emoji = "rotating_light";
    else if (n.event == u"resolved")
        emoji = "white_check_mark";
    else if (n.event == u"acknowledged")
        emoji = "eyes";
    else if (n.event == u"note")
        emoji = "memo";
    else if (n.event == u"severity" || n.event == u"state")
        emoji = "warning";
    if (n.service.isEmpty())
        return emoji;
    // A comma would split the service's name into two tags.
    return emoji + ',' + headerValue(QString(n.service).replace(u',', u' '));
}

QByteArray NtfySender::headerValue(const QString &text)
{
    bool plain = true;
    for (const QChar ch : text)
        plain = plain && ch.unicode() >= 0x20 && ch.unicode() < 0x7f;
    if (plain)
        return text.toLatin1();
    QString oneLine = text;
    oneLine.replace(u'\r', u' ').replace(u'\n', u' ');
    return "=?UTF-8?B?" + oneLine.toUtf8().toBase64() + "?=";
}
