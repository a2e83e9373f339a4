#pragma once

#include "notificationchannel.h"

// ntfy (ntfy.sh or a self-hosted server): POST to the topic URL with the message as the body and
// its metadata in headers — Title, Priority (urgent for the scheme's most severe level, high for
// the next, default otherwise) and Tags (an emoji for the event, and the service).
class NtfySender final : public NotificationChannel
{
public:
    using NotificationChannel::NotificationChannel;

    static constexpr int kMaxBodyBytes = 4000; // ntfy turns longer messages into attachments

    ChannelRequest request(const Notification &n, qint64 outboxId, const QStringList &expanded) const override;

    static QByteArray priority(const Notification &n);
    static QByteArray tags(const Notification &n);
    // HTTP header values are ASCII; anything else goes as an RFC 2047 encoded word, which ntfy decodes.
    static QByteArray headerValue(const QString &text);
};
