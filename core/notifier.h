#pragma once

#include "config.h"
#include "notification.h"
#include "notificationchannel.h"
#include "notificationrouter.h"
#include "outboxstore.h"
#include "secretresolver.h"
#include "storelocation.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimeZone>
#include <QTimer>
#include <memory>

class Clock;
class QNetworkAccessManager;
class QNetworkReply;

// Tells the operator: routes each notification to the channels configured under `notify:` (ntfy,
// Telegram, Slack, webhook, desktop), writes one outbox row per channel before any network
// activity, and delivers the rows asynchronously with retries, so that nothing is lost to a crash,
// a restart or an outage, and nothing the notifier does holds up the caller's event loop for
// longer than one small transaction.
//
// Per channel, in this order:
//   routing      services, min_severity, events (NotificationRouter)
//   dedup        a row with the same dedup key on the channel within Timing::dedupWindowMs: dropped
//   mute         muteUntil(): recorded as `muted`, never sent. The most severe level does not break
//                through an explicit mute
//   quiet hours  the channel's quiet_hours: recorded as `held` and delivered when they end; a
//                notification of a scheme's most severe level (rank 0) breaks through
// Repeats: an `opened` or `escalated` notification about an incident is repeated on every channel
// with `repeat:` until acknowledged()/resolved() (or an acknowledged/resolved notification for the
// incident). Repeats go through the outbox; during mute or quiet hours they are skipped, not
// piled up. They are kept in memory: after a restart they resume with the next notification.
//
// Delivery: a row is claimed (state `sending` with a lease), its channel's secrets are expanded
// through the SecretResolver (never stored), the request is sent with QNetworkAccessManager, and
// the row becomes `sent`, or `pending` again with an exponential back-off with jitter (honouring
// Retry-After), or `failed` when the service refused it for good or Timing::giveUpAfterMs has
// passed since it was written. Several notifiers (programs) may share a store; a row is sent by one
// of them. A row whose notifier died mid-send is taken up again when its lease runs out: delivery
// is at least once, and the X-OpsDeck-Delivery header (the outbox id) lets receivers drop a repeat.
// When the store refuses a write, the notification waits in memory (deliveryFailed() with outbox
// id 0) and is written, before anything newer, as soon as the store takes writes again.
//
// The desktop channel is live while something is connected to desktopNotification() (the GUI's
// tray); without a listener (opsdeckctl) it is skipped. Its rows are shown only by the notifier
// that wrote them, and are `sent` once emitted.
class Notifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Notifier)

public:
    struct Timing
    {
        qint64 firstRetryMs = 5'000;           // back-off: 5 s, 10 s, 20 s … (each ±25 %) …
        qint64 maxRetryMs = 10 * 60'000;       // … capped at 10 min
        qint64 giveUpAfterMs = 24 * 3'600'000; // not delivered this long after it was written: failed
        qint64 leaseMs = 2 * 60'000;           // a claimed row is ours this long; outlasts a request
        int requestTimeoutMs = 30'000;         // one HTTP request, connect to last byte
        qint64 dedupWindowMs = 10 * 60'000;
        qint64 pollMs = 30'000;                // how often to look for rows other programs wrote
        qint64 keepMs = 30LL * 86'400'000;     // finished rows (sent, failed, muted) are kept this long
        int maxInFlight = 8;
    };

    // `store`: the history database (its PostgreSQL password already expanded). `resolver` (not
    // owned, may be null when no channel uses ${secret:…}) and `clock` (SystemClock when null) must
    // outlive the notifier.
    Notifier(const StoreLocation &store, SecretResolver *resolver, const Clock *clock = nullptr, QObject *parent = nullptr);
    ~Notifier() override; // stop()

    // Opens the notifier's own connection to the store (creating and migrating it when needed), in
    // the calling thread, which the notifier must then stay in.
    bool open(QString *error = nullptr);
    bool isOpen() const;
    // Opens if needed, then delivers every due row of the configured channels, also those left by
    // an earlier run or by another program, and keeps doing so until stop().
    bool start(QString *error = nullptr);
    // Stops delivering. Requests in flight are abandoned and their rows released for the next run
    // (the service may have received one: at least once).
    void stop();
    bool isStarted() const { return m_started; }

    void setConfig(const Config &config);
    const NotificationRouter &router() const { return m_router; }
    void setTiming(const Timing &timing);
    const Timing &timing() const { return m_timing; }
    // Quiet hours are local times in this zone; the system's by default.
    void setTimeZone(const QTimeZone &zone);

    // Routes and records `n` (atMs defaults to now) and, when started, sends it.
    void notify(const Notification &n);
    // Sends the test message through `channel` now, bypassing routing, dedup, quiet hours and mute;
    // it is recorded in the outbox and attempted once (a test is not retried later). Returns the
    // outbox id (watch delivered()/deliveryFailed() for it), or 0 with *error for an unknown
    // channel (the message lists the configured ones), a desktop channel without a desktop, or a
    // store that cannot be written.
    qint64 sendTest(const QString &channel, QString *error = nullptr);
    static Notification testNotification(const NotifyChannel &channel, const QString &host, qint64 atMs);

    // Stop repeating the incident's notifications.
    void acknowledged(qint64 incidentId);
    void resolved(qint64 incidentId);
    QList<qint64> repeatingIncidents() const;

    // Until `untilMs` (UTC ms) every notification is recorded as muted instead of sent.
    void muteUntil(qint64 untilMs);
    void unmute();
    qint64 mutedUntil() const; // 0 when not muted
    bool isMuted() const { return mutedUntil() > 0; }

    // Looks for due work now (rows another program wrote, time moved on a test's clock): writes
    // due repeats and claims due rows before it returns; the sending itself is asynchronous.
    void wake();
    int inFlight() const { return int(m_flights.size()); }
    OutboxStore *outbox() const { return m_store.get(); }

    // The back-off before attempt `attempts + 1` with `random01` in [0, 1): Timing::firstRetryMs
    // doubled per attempt, capped at maxRetryMs, then moved by up to ±25 % so that many rows
    // failing together do not retry together.
    static qint64 backoffMs(const Timing &timing, int attempts, double random01);

signals:
    void delivered(const QString &channel, qint64 outboxId);
    // willRetry: the row is pending again (a network error, a 5xx or 429, a missing secret); else
    // it is failed for good.
    void deliveryFailed(const QString &channel, qint64 outboxId, const QString &error, bool willRetry);
    void desktopNotification(const Notification &notification);
    void muteChanged(qint64 untilMs); // 0: unmuted

private:
    struct Flight
    {
        OutboxStore::Row row;
        Notification notification;
        std::shared_ptr<NotificationChannel> channel;
        QPointer<QNetworkReply> reply;
        qint64 claimedAtMs = 0;
        std::optional<SecretResolver::Resolution> secrets; // to keep their values out of error texts
    };
    struct Repeat
    {
        QString channel;
        Notification notification;
        qint64 firstAtMs = 0;
        qint64 nextAtMs = 0;
        int count = 0;
    };
    struct Unwritten
    {
        QList<OutboxStore::NewRow> rows;
        qint64 createdAtMs = 0;
    };

    qint64 now() const;
    bool reopen(QString *error = nullptr);
    bool desktopLive() const;
    std::optional<OutboxStore::NewRow> decide(const NotifyChannel &channel, const Notification &n, qint64 now, bool repeat) const;
    QList<qint64> write(const QList<OutboxStore::NewRow> &rows, qint64 now, QString *error = nullptr);
    void scheduleRepeats(const Notification &n, const QList<NotifyChannel> &channels, qint64 now);
    void processRepeats(qint64 now);
    static Notification reminder(const Notification &n, int count, qint64 elapsedMs, qint64 now);
    QStringList sharedChannels() const;
    void kick();
    void dispatch();
    void arm(qint64 minDelayMs = 5);
    void maintain(qint64 now);
    void startDelivery(const OutboxStore::Row &row);
    void send(qint64 id, const QStringList &expanded);
    void replied(qint64 id);
    void finish(qint64 id, const DeliveryOutcome &outcome);
    QString redacted(const Flight &flight, const QString &text) const;

    std::unique_ptr<OutboxStore> m_store;
    QPointer<SecretResolver> m_resolver;
    const Clock *m_clock;
    QNetworkAccessManager *m_network;
    NotificationRouter m_router;
    Timing m_timing;
    QTimeZone m_zone;
    QTimer m_timer;
    bool m_started = false;
    bool m_dispatching = false;
    qint64 m_mutedUntil = 0;
    qint64 m_nextMaintenanceMs = 0;
    QHash<qint64, Flight> m_flights;           // outbox id → delivery under way
    QHash<qint64, QList<Repeat>> m_repeats;    // incident id → one per channel
    QHash<qint64, qint64> m_localDesktop;      // desktop rows written here → when due
    QList<Unwritten> m_unwritten;              // rows the store refused, written again later
    QHash<qint64, qint64> m_unrecordedSent;    // delivered rows whose `sent` the store refused → sent_at
    QString m_lastStoreError;
    QElapsedTimer m_openRetry;
    qint64 m_openRetryDelayMs = 0;
};
