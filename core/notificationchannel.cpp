#include "notificationchannel.h"

#include "ntfysender.h"
#include "slacksender.h"
#include "telegramsender.h"
#include "webhooksender.h"

#include <QDateTime>
#include <QRegularExpression>

NotificationChannel::NotificationChannel(const NotifyChannel &config)
    : m_config(config)
{
}

NotificationChannel::~NotificationChannel() = default;

std::unique_ptr<NotificationChannel> NotificationChannel::create(const NotifyChannel &config)
{
    switch (config.kind) {
    case NotifyChannel::Kind::Ntfy: return std::make_unique<NtfySender>(config);
    case NotifyChannel::Kind::Telegram: return std::make_unique<TelegramSender>(config);
    case NotifyChannel::Kind::Slack: return std::make_unique<SlackSender>(config);
    case NotifyChannel::Kind::Webhook: return std::make_unique<WebhookSender>(config);
    case NotifyChannel::Kind::Desktop: break;
    }
    return nullptr;
}

QStringList NotificationChannel::secretCarriers() const
{
    return {m_config.url, m_config.token, m_config.secret};
}

NotifyChannel NotificationChannel::expandedConfig(const QStringList &expanded) const
{
    NotifyChannel c = m_config;
    c.url = expanded.value(0);
    c.token = expanded.value(1);
    c.secret = expanded.value(2);
    return c;
}

DeliveryOutcome NotificationChannel::interpret(const ChannelReply &reply) const
{
    DeliveryOutcome out;
    if (reply.status >= 200 && reply.status < 300)
        return out;
    out.error = statusText(reply);
    const int s = reply.status;
    const bool transient = s == 408 || s == 425 || s == 429 || s >= 500;
    out.kind = transient ? DeliveryOutcome::Kind::Retry : DeliveryOutcome::Kind::Failed;
    for (const auto &[name, value] : reply.headers)
        if (name.compare("retry-after", Qt::CaseInsensitive) == 0)
            out.retryAfterMs = retryAfterMs(value, reply.atMs);
    return out;
}

qint64 NotificationChannel::retryAfterMs(const QByteArray &value, qint64 nowMs)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return -1;
    bool ok = false;
    const qint64 seconds = v.toLongLong(&ok);
    if (ok)
        return seconds < 0 ? -1 : seconds * 1000;
    const QDateTime at = QDateTime::fromString(QString::fromLatin1(v), Qt::RFC2822Date);
    if (!at.isValid())
        return -1;
    return qMax<qint64>(0, at.toMSecsSinceEpoch() - nowMs);
}

QString NotificationChannel::excerpt(const QByteArray &body, int maxChars)
{
    static const QRegularExpression space(QStringLiteral("\\s+"));
    QString text = QString::fromUtf8(body).replace(space, QStringLiteral(" ")).trimmed();
    return truncated(text, maxChars);
}

QString NotificationChannel::statusText(const ChannelReply &reply)
{
    QString out = QStringLiteral("HTTP %1").arg(reply.status);
    if (!reply.reason.isEmpty())
        out += u' ' + QString::fromLatin1(reply.reason);
    if (const QString body = excerpt(reply.body); !body.isEmpty())
        out += QStringLiteral(": ") + body;
    return out;
}

QString NotificationChannel::truncated(const QString &text, int maxChars)
{
    if (text.size() <= maxChars)
        return text;
    qsizetype cut = maxChars - 1;
    if (cut > 0 && text.at(cut - 1).isHighSurrogate())
        --cut; // never split a surrogate pair (emoji)
    return text.left(cut) + QChar(0x2026);
}

QString NotificationChannel::fullText(const Notification &n)
{
    if (n.text.isEmpty() || n.text == n.title)
        return n.title;
    if (n.title.isEmpty())
        return n.text;
    return n.title + QStringLiteral("\n\n") + n.text;
}
