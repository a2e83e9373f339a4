#pragma once

#include "notificationchannel.h"

// A Slack incoming webhook: POST {"text": …} to the webhook URL, the title in bold (mrkdwn).
class SlackSender final : public NotificationChannel
{
public:
    using NotificationChannel::NotificationChannel;

    ChannelRequest request(const Notification &n, qint64 outboxId, const QStringList &expanded) const override;

    // Slack reads &, < and > as markup; everything else is literal.
    static QString escaped(const QString &text);
    static QString text(const Notification &n);
};
