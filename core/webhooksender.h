#pragma once

#include "notificationchannel.h"

// A generic webhook: POST a JSON object with stable field names
//   {"at": "2026-11-23T06:24:46.123Z", "dedup_key": …, "event": "opened", "incident_id": 42,
//    "service": "echopilot", "severity": "P0", "text": …, "title": …}
// (absent values are null; keys sorted, compact), with the headers
//   X-OpsDeck-Delivery: <outbox id>        the same for every attempt of one delivery
//   X-OpsDeck-Event: <event>
//   X-OpsDeck-Signature: sha256=<hex>      HMAC-SHA256 of the exact body, keyed with `secret`
// (the signature only when a secret is configured).
class WebhookSender final : public NotificationChannel
{
public:
    using NotificationChannel::NotificationChannel;

    ChannelRequest request(const Notification &n, qint64 outboxId, const QStringList &expanded) const override;

    // The exact bytes sent (and signed).
    static QByteArray body(const Notification &n);
    // "sha256=<lower-case hex>"
    static QByteArray signature(const QByteArray &body, const QString &secret);
};
