#include "notifier.h"

#include "clock.h"
#include "duration.h"
#include "quiethours.h"
#include "secretresolver.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QMetaMethod>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QScopedValueRollback>

#include <algorithm>

namespace {

Q_LOGGING_CATEGORY(lcNotifier, "opsdeck.notify", QtWarningMsg)

constexpr qint64 kStoreRetryMs = 1'000;    // after the store refused something
constexpr qint64 kMaintenanceMs = 3'600'000;

QString localTime(qint64 ms, const QTimeZone &zone)
{
    return QDateTime::fromMSecsSinceEpoch(ms, zone).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

bool startsRepeats(const Notification &n)
{
    return n.incidentId > 0 && (n.event == u"opened" || n.event == u"escalated");
}

bool endsRepeats(const Notification &n)
{
    return n.incidentId > 0 && (n.event == u"acknowledged" || n.event == u"resolved");
}

} // namespace

Notifier::Notifier(const StoreLocation &store, SecretResolver *resolver, const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_store(std::make_unique<OutboxStore>(store))
    , m_resolver(resolver)
    , m_clock(clock ? clock : SystemClock::instance())
    , m_network(new QNetworkAccessManager(this))
    , m_zone(QTimeZone::systemTimeZone())
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Notifier::dispatch);
}

Notifier::~Notifier()
{
    stop();
}

qint64 Notifier::now() const
{
    return m_clock->nowMs();
}

bool Notifier::open(QString *error)
{
    if (m_store->isOpen())
        return true;
    QString why;
    if (!m_store->open(&why)) {
        m_lastStoreError = why;
        if (error)
            *error = QStringLiteral("cannot open the notification outbox: ") + why;
        return false;
    }
    return true;
}

bool Notifier::reopen(QString *error)
{
    if (m_store->isOpen())
        return true;
    // Opening blocks (PostgreSQL: up to the connect timeout); when it keeps failing, try again
    // with a back-off rather than at every notification.
    if (m_openRetry.isValid() && !m_openRetry.hasExpired(m_openRetryDelayMs)) {
        if (error)
            *error = m_lastStoreError;
        return false;
    }
    if (open(error)) {
        m_openRetry.invalidate();
        m_openRetryDelayMs = 0;
        return true;
    }
    m_openRetryDelayMs = std::clamp<qint64>(m_openRetryDelayMs * 2, 1'000, 60'000);
    m_openRetry.start();
    return false;
}

bool Notifier::isOpen() const
{
    return m_store->isOpen();
}

bool Notifier::start(QString *error)
{
    if (!open(error))
        return false;
    m_started = true;
    m_nextMaintenanceMs = 0;
    kick();
    return true;
}

void Notifier::stop()
{
    m_started = false;
    m_timer.stop();
    const QHash<qint64, Flight> flights = std::exchange(m_flights, {});
    for (const Flight &f : flights) {
        if (f.reply) {
            f.reply->disconnect(this);
            f.reply->abort();
            f.reply->deleteLater();
        }
        // Released for the next run at once, rather than after the lease.
        QString why;
        if (m_store->isOpen()
            && m_store->reschedule(f.row, now(), QStringLiteral("interrupted: OpsDeck stopped while sending"), &why)
                   == OutboxStore::Update::Error)
            qCWarning(lcNotifier).noquote() << why;
    }
}

void Notifier::setConfig(const Config &config)
{
    m_router.setConfig(config);
    kick();
}

void Notifier::setTiming(const Timing &timing)
{
    m_timing = timing;
    kick();
}

void Notifier::setTimeZone(const QTimeZone &zone)
{
    m_zone = zone;
}

bool Notifier::desktopLive() const
{
    return isSignalConnected(QMetaMethod::fromSignal(&Notifier::desktopNotification));
}

void Notifier::muteUntil(qint64 untilMs)
{
    m_mutedUntil = untilMs;
    emit muteChanged(mutedUntil());
    kick();
}

void Notifier::unmute()
{
    m_mutedUntil = 0;
    emit muteChanged(0);
}

qint64 Notifier::mutedUntil() const
{
    return m_mutedUntil > now() ? m_mutedUntil : 0;
}

std::optional<OutboxStore::NewRow> Notifier::decide(const NotifyChannel &channel, const Notification &n, qint64 at, bool repeat) const
{
    OutboxStore::NewRow row;
    row.channel = channel.name;
    row.notification = n;
    row.nextAttemptAtMs = at;
    row.dedup = !repeat;
    if (const qint64 until = mutedUntil()) {
        if (repeat)
            return std::nullopt;
        row.state = OutboxStore::State::Muted;
        row.note = QStringLiteral("muted until %1").arg(localTime(until, m_zone));
        return row;
    }
    const QuietHours quiet = QuietHours::fromStrings(channel.quietFrom, channel.quietTo);
    if (n.severityRank != 0 && quiet.contains(at, m_zone)) {
        if (repeat)
            return std::nullopt;
        row.state = OutboxStore::State::Held;
        row.nextAttemptAtMs = quiet.endAfter(at, m_zone);
        row.note = QStringLiteral("held by quiet hours %1 until %2").arg(quiet.toString(), localTime(row.nextAttemptAtMs, m_zone));
    }
    return row;
}

QList<qint64> Notifier::write(const QList<OutboxStore::NewRow> &rows, qint64 at, QString *error)
{
    if (rows.isEmpty())
        return {};
    QString why;
    std::optional<QList<qint64>> ids;
    if (reopen(&why))
        ids = m_store->insert(rows, at, at - m_timing.dedupWindowMs, &why);
    if (!ids) {
        m_lastStoreError = why;
        if (error)
            *error = why;
        return {};
    }
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const qint64 id = ids->value(i);
        if (id == 0) {
            qCDebug(lcNotifier).noquote() << "dropped a duplicate of" << rows[i].notification.dedupKey << "for" << rows[i].channel;
            continue;
        }
        const NotifyChannel *c = m_router.channel(rows[i].channel);
        if (c && c->kind == NotifyChannel::Kind::Desktop && rows[i].state != OutboxStore::State::Muted)
            m_localDesktop.insert(id, rows[i].nextAttemptAtMs);
    }
    return *ids;
}

void Notifier::notify(const Notification &in)
{
    const qint64 t = now();
    Notification n = in;
    if (n.atMs <= 0)
        n.atMs = t;
    if (endsRepeats(n))
        m_repeats.remove(n.incidentId);

    QList<NotifyChannel> channels;
    QList<OutboxStore::NewRow> rows;
    const bool desktop = desktopLive();
    for (const NotifyChannel &c : m_router.channels()) {
        if (const QString why = m_router.rejection(c, n); !why.isEmpty()) {
            qCDebug(lcNotifier).noquote() << c.name << "does not take" << n.event << "of" << n.service << "—" << why;
            continue;
        }
        if (c.kind == NotifyChannel::Kind::Desktop && !desktop)
            continue; // no desktop in this program
        channels << c;
        if (const auto row = decide(c, n, t, false))
            rows << *row;
    }
    QString why;
    if (!rows.isEmpty() && write(rows, t, &why).isEmpty()) {
        // Kept in memory and written as soon as the store takes it; nothing is sent before that.
        qCWarning(lcNotifier).noquote() << "cannot write the notification outbox, will try again:" << why;
        m_unwritten << Unwritten{rows, t};
        for (const OutboxStore::NewRow &r : std::as_const(rows))
            emit deliveryFailed(r.channel, 0, QStringLiteral("cannot write the notification outbox: ") + why, true);
    }
    if (startsRepeats(n))
        scheduleRepeats(n, channels, t);
    kick();
}

qint64 Notifier::sendTest(const QString &channelName, QString *error)
{
    auto failWith = [error](const QString &message) -> qint64 {
        if (error)
            *error = message;
        return 0;
    };
    const NotifyChannel *c = m_router.channel(channelName);
    if (!c) {
        const QStringList names = m_router.channelNames();
        if (names.isEmpty())
            return failWith(QStringLiteral("no channel `%1`: the config has no notification channels (`notify:`)").arg(channelName));
        return failWith(QStringLiteral("no channel `%1`; configured: %2").arg(channelName, names.join(QStringLiteral(", "))));
    }
    if (c->kind == NotifyChannel::Kind::Desktop && !desktopLive())
        return failWith(QStringLiteral("`%1` is the desktop channel: it shows notifications through the OpsDeck window's "
                                       "tray, and this program has no desktop; test it from the console")
                            .arg(channelName));
    QString why;
    if (!open(&why))
        return failWith(why);
    const qint64 t = now();
    OutboxStore::NewRow row;
    row.channel = c->name;
    row.notification = testNotification(*c, QSysInfo::machineHostName(), t);
    row.nextAttemptAtMs = t;
    row.dedup = false;
    const QList<qint64> ids = write({row}, t, &why);
    if (ids.isEmpty() || ids.first() == 0)
        return failWith(QStringLiteral("cannot write the notification outbox: ") + why);
    const qint64 id = ids.first();
    m_localDesktop.remove(id);
    const auto claimed = m_store->claim(id, t, t + m_timing.leaseMs, &why);
    if (!claimed)
        return failWith(why.isEmpty() ? QStringLiteral("outbox row %1 was taken by another program").arg(id) : why);
    startDelivery(*claimed);
    return id;
}

Notification Notifier::testNotification(const NotifyChannel &channel, const QString &host, qint64 atMs)
{
    Notification n;
    n.event = QStringLiteral("test");
    n.title = QStringLiteral("OpsDeck test from %1").arg(host);
    n.text = QStringLiteral("A test notification from OpsDeck on %1 through the channel `%2` (%3), sent at %4. "
                            "If you can read this, the channel works.")
                 .arg(host, channel.name, notifyKindName(channel.kind),
                      QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC).toString(Qt::ISODate));
    n.atMs = atMs;
    return n;
}

void Notifier::acknowledged(qint64 incidentId)
{
    m_repeats.remove(incidentId);
}

void Notifier::resolved(qint64 incidentId)
{
    m_repeats.remove(incidentId);
}

QList<qint64> Notifier::repeatingIncidents() const
{
    QList<qint64> ids = m_repeats.keys();
    std::sort(ids.begin(), ids.end());
    return ids;
}

void Notifier::scheduleRepeats(const Notification &n, const QList<NotifyChannel> &channels, qint64 t)
{
    QList<Repeat> &list = m_repeats[n.incidentId];
    for (const NotifyChannel &c : channels) {
        if (c.repeatMs <= 0)
            continue;
        auto it = std::find_if(list.begin(), list.end(), [&](const Repeat &r) { return r.channel == c.name; });
        if (it == list.end()) {
            list << Repeat{c.name, n, t, t + c.repeatMs, 0};
        } else if (n.event == u"escalated") {
            // The reminders now carry the new severity, counted from the escalation.
            it->notification = n;
            it->nextAtMs = t + c.repeatMs;
        }
    }
    if (list.isEmpty())
        m_repeats.remove(n.incidentId);
}

Notification Notifier::reminder(const Notification &n, int count, qint64 elapsedMs, qint64 t)
{
    Notification r = n;
    const QString after = Duration::format(elapsedMs);
    r.title = QStringLiteral("%1 — still unacknowledged after %2").arg(n.title, after);
    r.text = (n.text.isEmpty() ? QString() : n.text + QStringLiteral("\n\n"))
             + QStringLiteral("Still unacknowledged after %1 (reminder %2).").arg(after).arg(count);
    r.dedupKey = (n.dedupKey.isEmpty() ? QStringLiteral("incident-%1").arg(n.incidentId) : n.dedupKey)
                 + QStringLiteral("#repeat-%1").arg(count);
    r.atMs = t;
    return r;
}

void Notifier::processRepeats(qint64 t)
{
    QList<OutboxStore::NewRow> rows;
    for (auto it = m_repeats.begin(); it != m_repeats.end();) {
        QList<Repeat> &list = it.value();
        for (qsizetype i = 0; i < list.size();) {
            Repeat &r = list[i];
            const NotifyChannel *c = m_router.channel(r.channel);
            if (!c || c->repeatMs <= 0) {
                list.removeAt(i); // the channel was removed or no longer repeats
                continue;
            }
            if (r.nextAtMs <= t) {
                ++r.count;
                const Notification n = reminder(r.notification, r.count, t - r.firstAtMs, t);
                if (m_router.accepts(*c, n) && (c->kind != NotifyChannel::Kind::Desktop || desktopLive()))
                    if (const auto row = decide(*c, n, t, true))
                        rows << *row;
                // After a sleep, one reminder now rather than a burst of missed ones.
                r.nextAtMs = std::max(r.nextAtMs + c->repeatMs, t + 1);
                if (r.nextAtMs <= t)
                    r.nextAtMs = t + c->repeatMs;
            }
            ++i;
        }
        it = list.isEmpty() ? m_repeats.erase(it) : std::next(it);
    }
    QString why;
    if (!rows.isEmpty() && write(rows, t, &why).isEmpty()) {
        qCWarning(lcNotifier).noquote() << "cannot write the notification outbox, will try again:" << why;
        m_unwritten << Unwritten{rows, t};
    }
}

QStringList Notifier::sharedChannels() const
{
    // Desktop rows are not shared: another program's tray is not this one's.
    QStringList names;
    for (const NotifyChannel &c : m_router.channels())
        if (c.kind != NotifyChannel::Kind::Desktop)
            names << c.name;
    return names;
}

void Notifier::wake()
{
    // From inside dispatch() (a slot connected to one of its signals), later, never nested.
    if (m_dispatching)
        kick();
    else
        dispatch();
}

void Notifier::kick()
{
    m_timer.start(0);
}

void Notifier::maintain(qint64 t)
{
    if (t < m_nextMaintenanceMs)
        return;
    m_nextMaintenanceMs = t + kMaintenanceMs;
    QString why;
    const auto expired = m_store->expire(t - m_timing.giveUpAfterMs, t,
                                         QStringLiteral("not delivered within %1").arg(Duration::format(m_timing.giveUpAfterMs)), &why);
    if (!expired)
        qCWarning(lcNotifier).noquote() << why;
    else if (*expired > 0)
        qCWarning(lcNotifier).noquote() << *expired << "notifications were not delivered within" << Duration::format(m_timing.giveUpAfterMs)
                                        << "and are marked failed";
    if (!m_store->prune(t - m_timing.keepMs, &why))
        qCWarning(lcNotifier).noquote() << why;
}

void Notifier::dispatch()
{
    const QScopedValueRollback<bool> guard(m_dispatching, true);
    const qint64 t = now();
    if (!reopen()) {
        arm();
        return;
    }
    // What the store refused before goes first, in order.
    while (!m_unwritten.isEmpty()) {
        const Unwritten u = m_unwritten.first();
        if (write(u.rows, u.createdAtMs).isEmpty())
            break;
        m_unwritten.removeFirst();
    }
    for (auto it = m_unrecordedSent.begin(); it != m_unrecordedSent.end();) {
        QString why;
        it = m_store->markSent(it.key(), it.value(), &why) ? m_unrecordedSent.erase(it) : std::next(it);
    }
    processRepeats(t);
    if (!m_started) {
        arm();
        return;
    }
    maintain(t);

    // Collected first: showing one runs the tray's slot, which may notify() and add more.
    QList<qint64> desktopDue;
    for (auto it = m_localDesktop.begin(); it != m_localDesktop.end();) {
        if (it.value() <= t) {
            desktopDue << it.key();
            it = m_localDesktop.erase(it);
        } else {
            ++it;
        }
    }
    std::sort(desktopDue.begin(), desktopDue.end());
    for (const qint64 id : std::as_const(desktopDue)) {
        QString why;
        if (const auto row = m_store->claim(id, t, t + m_timing.leaseMs, &why))
            startDelivery(*row);
        else if (!why.isEmpty())
            qCWarning(lcNotifier).noquote() << why;
    }

    const int capacity = m_timing.maxInFlight - int(m_flights.size());
    if (capacity > 0) {
        QString why;
        const auto rows = m_store->claimDue(sharedChannels(), t, t + m_timing.leaseMs, capacity, m_flights.keys(), &why);
        if (!rows) {
            m_lastStoreError = why;
            qCWarning(lcNotifier).noquote() << why;
            arm(kStoreRetryMs);
            return;
        } else {
            for (const OutboxStore::Row &row : *rows)
                startDelivery(row);
        }
    }
    arm();
}

void Notifier::arm(qint64 minDelayMs)
{
    const qint64 t = now();
    qint64 next = t + m_timing.pollMs;
    if (!m_unwritten.isEmpty() || !m_unrecordedSent.isEmpty() || !m_store->isOpen())
        next = std::min(next, t + kStoreRetryMs);
    for (const QList<Repeat> &list : std::as_const(m_repeats))
        for (const Repeat &r : list)
            next = std::min(next, r.nextAtMs);
    if (m_started) {
        for (const qint64 due : std::as_const(m_localDesktop))
            next = std::min(next, due);
        // Replies free capacity and come back here; only look at due rows when one can be taken.
        if (int(m_flights.size()) < m_timing.maxInFlight) {
            QString why;
            if (const auto due = m_store->nextDue(sharedChannels(), m_flights.keys(), &why))
                next = std::min(next, *due);
            else if (!why.isEmpty())
                next = std::min(next, t + kStoreRetryMs);
        }
    }
    // Never spin, whatever the store says is due.
    m_timer.start(int(std::clamp<qint64>(next - t, minDelayMs, std::max(minDelayMs, m_timing.pollMs))));
}

void Notifier::startDelivery(const OutboxStore::Row &row)
{
    const qint64 t = now();
    QString why;
    if (m_flights.contains(row.id)) {
        qCWarning(lcNotifier) << "outbox row" << row.id << "is already being sent";
        return;
    }
    const auto n = OutboxStore::decode(row.payload);
    if (!n) {
        m_store->markFailed(row, QStringLiteral("unreadable payload (written by a newer OpsDeck?)"), &why);
        emit deliveryFailed(row.channel, row.id, QStringLiteral("unreadable payload"), false);
        return;
    }
    const NotifyChannel *c = m_router.channel(row.channel);
    if (!c) {
        m_store->reschedule(row, t + m_timing.pollMs, QStringLiteral("no channel `%1` in the config").arg(row.channel), &why);
        return;
    }
    if (c->kind == NotifyChannel::Kind::Desktop) {
        emit desktopNotification(*n);
        if (!m_store->markSent(row.id, t, &why)) {
            qCWarning(lcNotifier).noquote() << why;
            m_unrecordedSent.insert(row.id, t);
        }
        emit delivered(row.channel, row.id);
        return;
    }

    Flight f;
    f.row = row;
    f.notification = *n;
    f.channel = std::shared_ptr<NotificationChannel>(NotificationChannel::create(*c));
    f.claimedAtMs = t;
    const QStringList carriers = f.channel->secretCarriers();
    m_flights.insert(row.id, f);
    bool references = false;
    for (const QString &text : carriers)
        references = references || SecretResolver::hasReferences(text);
    if (!references) {
        send(row.id, carriers);
        return;
    }
    if (!m_resolver) {
        DeliveryOutcome o;
        o.kind = DeliveryOutcome::Kind::Retry;
        o.error = QStringLiteral("the channel's settings refer to secrets, and no keychain is available");
        finish(row.id, o);
        return;
    }
    const qint64 id = row.id;
    m_resolver->resolve(carriers, this, [this, id](const SecretResolver::Resolution &resolution) {
        auto it = m_flights.find(id);
        if (it == m_flights.end())
            return; // stopped meanwhile
        if (!resolution.ok()) {
            DeliveryOutcome o;
            o.kind = DeliveryOutcome::Kind::Retry;
            o.error = resolution.errorString();
            finish(id, o);
            return;
        }
        it->secrets = resolution;
        send(id, resolution.texts);
    });
}

void Notifier::send(qint64 id, const QStringList &expanded)
{
    auto it = m_flights.find(id);
    if (it == m_flights.end())
        return;
    const qint64 t = now();
    // The keychain may have taken a while; make sure the lease outlasts the request.
    if (t + m_timing.requestTimeoutMs + 1'000 > it->row.nextAttemptAtMs) {
        QString why;
        const auto renewed = m_store->renewLease(it->row, t + m_timing.leaseMs, &why);
        if (renewed != OutboxStore::Update::Applied) {
            if (renewed == OutboxStore::Update::Error)
                qCWarning(lcNotifier).noquote() << why;
            m_flights.erase(it); // another notifier has it now
            return;
        }
    }
    const ChannelRequest r = it->channel->request(it->notification, id, expanded);
    QNetworkRequest request(r.url);
    for (const auto &[name, value] : r.headers)
        request.setRawHeader(name, value);
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("OpsDeck/" OPSDECK_VERSION));
    request.setTransferTimeout(m_timing.requestTimeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    QNetworkReply *reply = m_network->post(request, r.body);
    it->reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, id] { replied(id); });
}

QString Notifier::redacted(const Flight &flight, const QString &text) const
{
    return flight.secrets ? flight.secrets->redact(text) : text;
}

void Notifier::replied(qint64 id)
{
    auto it = m_flights.find(id);
    if (it == m_flights.end())
        return;
    QNetworkReply *reply = it->reply;
    if (!reply)
        return;
    reply->deleteLater();
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    DeliveryOutcome outcome;
    if (!status.isValid()) {
        outcome.kind = DeliveryOutcome::Kind::Retry;
        outcome.error = reply->error() == QNetworkReply::OperationCanceledError
                            ? QStringLiteral("no answer within %1").arg(Duration::format(m_timing.requestTimeoutMs))
                            : reply->errorString();
    } else {
        ChannelReply answer;
        answer.status = status.toInt();
        answer.reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
        answer.headers = reply->rawHeaderPairs();
        answer.body = reply->read(64 * 1024);
        answer.atMs = now();
        outcome = it->channel->interpret(answer);
    }
    outcome.error = redacted(*it, outcome.error);
    finish(id, outcome);
}

void Notifier::finish(qint64 id, const DeliveryOutcome &outcome)
{
    auto it = m_flights.find(id);
    if (it == m_flights.end())
        return;
    const Flight f = *it;
    m_flights.erase(it);
    const qint64 t = now();
    const QString channel = f.row.channel;
    QString why;

    if (outcome.kind == DeliveryOutcome::Kind::Delivered) {
        if (!m_store->markSent(id, t, &why)) {
            qCWarning(lcNotifier).noquote() << why;
            m_unrecordedSent.insert(id, t);
        }
        qCDebug(lcNotifier).noquote() << "delivered outbox row" << id << "to" << channel;
        emit delivered(channel, id);
        kick();
        return;
    }

    const bool isTest = f.notification.event == u"test";
    const qint64 giveUpAt = f.row.createdAtMs + m_timing.giveUpAfterMs;
    QString error = outcome.error;
    bool retry = outcome.kind == DeliveryOutcome::Kind::Retry && !isTest;
    if (retry && t >= giveUpAt) {
        retry = false;
        error = QStringLiteral("gave up after %1 attempts in %2: %3").arg(f.row.attempts).arg(Duration::format(t - f.row.createdAtMs), error);
    }
    OutboxStore::Update update = OutboxStore::Update::Applied;
    if (retry) {
        const qint64 delay = outcome.retryAfterMs >= 0
                                 ? outcome.retryAfterMs
                                 : backoffMs(m_timing, f.row.attempts, QRandomGenerator::global()->generateDouble());
        update = m_store->reschedule(f.row, std::min(t + delay, giveUpAt), error, &why);
    } else {
        update = m_store->markFailed(f.row, error, &why);
    }
    if (update == OutboxStore::Update::Error)
        qCWarning(lcNotifier).noquote() << why; // the lease runs out and the row is tried again
    qCDebug(lcNotifier).noquote() << "outbox row" << id << "to" << channel << (retry ? "will be retried:" : "failed:") << error;
    emit deliveryFailed(channel, id, error, retry);
    kick();
}

qint64 Notifier::backoffMs(const Timing &timing, int attempts, double random01)
{
    qint64 delay = std::max<qint64>(1, timing.firstRetryMs);
    for (int i = 1; i < attempts && delay < timing.maxRetryMs; ++i)
        delay *= 2;
    delay = std::min(delay, timing.maxRetryMs);
    return std::max<qint64>(1, qint64(double(delay) * (0.75 + 0.5 * std::clamp(random01, 0.0, 1.0))));
}
