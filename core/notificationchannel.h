#pragma once

#include "config.h"
#include "notification.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <memory>

// One HTTP request to a notification service, as a channel renders it.
struct ChannelRequest
{
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers; // Content-Type included
    QByteArray body;
};

// What came back from the service.
struct ChannelReply
{
    int status = 0;
    QByteArray reason; // the status line's reason phrase
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    qint64 atMs = 0; // when it arrived, for a Retry-After given as a date
};

// What a reply means for the outbox row.
struct DeliveryOutcome
{
    enum class Kind { Delivered, Retry, Failed };
    Kind kind = Kind::Delivered;
    QString error;            // for people: status and an excerpt of the body; empty when delivered
    qint64 retryAfterMs = -1; // the service asked to wait this long (Retry-After); -1: it did not say
};

// A configured HTTP channel (ntfy, Telegram, Slack, webhook): renders a notification into the
// service's request and reads the service's reply. Pure: no network, no keychain, no clock — the
// Notifier expands secrets, sends and keeps the outbox. One subclass per service.
class NotificationChannel
{
public:
    explicit NotificationChannel(const NotifyChannel &config);
    virtual ~NotificationChannel();
    Q_DISABLE_COPY_MOVE(NotificationChannel)

    // nullptr for the desktop channel, which the Notifier hands to the GUI instead.
    static std::unique_ptr<NotificationChannel> create(const NotifyChannel &config);

    const NotifyChannel &config() const { return m_config; }

    // The settings that may hold ${secret:NAME} references, in a fixed order (url, token, secret).
    QStringList secretCarriers() const;
    // The request for `n`; `expanded` is secretCarriers() with every reference expanded (it is
    // never stored). `outboxId` identifies the delivery, so receivers can drop a repeated one.
    virtual ChannelRequest request(const Notification &n, qint64 outboxId, const QStringList &expanded) const = 0;
    // 2xx is delivered; 408, 425, 429 and 5xx are worth retrying (Retry-After honoured); any other
    // status will not get better by itself (a revoked webhook, a wrong chat) and fails.
    virtual DeliveryOutcome interpret(const ChannelReply &reply) const;

    // Retry-After: delta-seconds or an HTTP date; -1 when absent or unreadable.
    static qint64 retryAfterMs(const QByteArray &value, qint64 nowMs);
    // The body as one line of at most maxChars characters, for error messages.
    static QString excerpt(const QByteArray &body, int maxChars = 200);
    // "HTTP 503 Service Unavailable: <excerpt>"
    static QString statusText(const ChannelReply &reply);
    // `text` cut to at most maxChars characters, marked with "…" when cut.
    static QString truncated(const QString &text, int maxChars);
    // Title and text as one message: the title, a blank line, the text (when there is one).
    static QString fullText(const Notification &n);

protected:
    // config() with the secret carriers replaced by their expanded values.
    NotifyChannel expandedConfig(const QStringList &expanded) const;

private:
    NotifyChannel m_config;
};
