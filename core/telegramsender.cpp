#include "telegramsender.h"

#include <QJsonDocument>
#include <QJsonObject>

QUrl TelegramSender::sendMessageUrl(const QString &base, const QString &token)
{
    QString b = base;
    while (b.endsWith(u'/'))
        b.chop(1);
    return QUrl(b + QStringLiteral("/bot") + token + QStringLiteral("/sendMessage"));
}

ChannelRequest TelegramSender::request(const Notification &n, qint64 outboxId, const QStringList &expanded) const
{
    Q_UNUSED(outboxId)
    const NotifyChannel c = expandedConfig(expanded);
    ChannelRequest r;
    r.url = sendMessageUrl(c.url, c.token);
    r.headers = {{"Content-Type", "application/json"}};
    const QJsonObject body{{QStringLiteral("chat_id"), c.chat},
                           {QStringLiteral("text"), truncated(fullText(n), kMaxTextChars)},
                           {QStringLiteral("disable_web_page_preview"), true}};
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return r;
}

DeliveryOutcome TelegramSender::interpret(const ChannelReply &reply) const
{
    DeliveryOutcome out = NotificationChannel::interpret(reply);
    if (out.kind == DeliveryOutcome::Kind::Delivered)
        return out;
    const QJsonObject answer = QJsonDocument::fromJson(reply.body).object();
    const QString description = answer.value(QStringLiteral("description")).toString();
    if (!description.isEmpty())
        out.error = QStringLiteral("HTTP %1: %2").arg(reply.status).arg(description);
    const QJsonObject parameters = answer.value(QStringLiteral("parameters")).toObject();
    if (const int seconds = parameters.value(QStringLiteral("retry_after")).toInt(-1); seconds >= 0 && out.retryAfterMs < 0)
        out.retryAfterMs = qint64(seconds) * 1000;
    if (const QJsonValue moved = parameters.value(QStringLiteral("migrate_to_chat_id")); !moved.isUndefined())
        out.error += QStringLiteral(" (the chat is now %1: update the channel's `chat:`)").arg(qint64(moved.toDouble()));
    return out;
}
