#pragma once

#include "notificationchannel.h"

// A Telegram bot: POST {url}/bot{token}/sendMessage with {chat_id, text, disable_web_page_preview}.
// `url` is the Bot API's base (https://api.telegram.org by default, or a mirror). Plain text, so
// nothing in a message needs escaping.
class TelegramSender final : public NotificationChannel
{
public:
    using NotificationChannel::NotificationChannel;

    static constexpr int kMaxTextChars = 4096; // the Bot API's limit for one message

    ChannelRequest request(const Notification &n, qint64 outboxId, const QStringList &expanded) const override;
    // The Bot API explains itself in its JSON ({ok: false, description, parameters.retry_after}).
    DeliveryOutcome interpret(const ChannelReply &reply) const override;

    static QUrl sendMessageUrl(const QString &base, const QString &token);
};
