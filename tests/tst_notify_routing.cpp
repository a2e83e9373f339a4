// The parts of notifications that need no network: routing, quiet hours, the back-off policy,
// each channel's request, and the outbox store on SQLite and PostgreSQL (claims, leases, dedup,
// expiry), with two stores racing for the same rows.
#include "fakeclock.h"
#include "notificationchannel.h"
#include "notificationrouter.h"
#include "notifier.h"
#include "ntfysender.h"
#include "outboxstore.h"
#include "quiethours.h"
#include "slacksender.h"
#include "telegramsender.h"
#include "storetestfixture.h"
#include "testdatabase.h"
#include "webhooksender.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QtTest>

namespace {

constexpr qint64 kT0 = 1'763'000'000'000; // 2025-11-13T02:13:20Z

NotifyChannel channel(NotifyChannel::Kind kind, const QString &name, const QString &url = QStringLiteral("http://127.0.0.1:9/x"))
{
    NotifyChannel c;
    c.kind = kind;
    c.name = name;
    c.url = url;
    return c;
}

Notification incident(const QString &service, const QString &severity, int rank, const QString &scheme = QStringLiteral("P0-P3"),
                      const QString &event = QStringLiteral("opened"))
{
    Notification n;
    n.event = event;
    n.service = service;
    n.severity = severity;
    n.severityRank = rank;
    n.scheme = scheme;
    n.title = QStringLiteral("🚨 INCIDENT: %1 is down").arg(service);
    n.text = QStringLiteral("Severity %1. Health check failed 3 times.").arg(severity);
    n.incidentId = 42;
    n.dedupKey = QStringLiteral("incident-42-%1").arg(event);
    n.atMs = kT0;
    return n;
}

ServiceConfig service(const QString &name, const QString &scheme)
{
    ServiceConfig s;
    s.name = name;
    s.severityScheme = scheme;
    return s;
}

OutboxStore::NewRow newRow(const QString &channel, const QString &key, OutboxStore::State state = OutboxStore::State::Pending,
                           qint64 due = kT0)
{
    OutboxStore::NewRow r;
    r.channel = channel;
    r.notification = incident(QStringLiteral("api"), QStringLiteral("P1"), 1);
    r.notification.dedupKey = key;
    r.state = state;
    r.nextAttemptAtMs = due;
    return r;
}

} // namespace

class TestNotifyRouting : public QObject
{
    Q_OBJECT

private slots:
    void quietHours_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("at");
        QTest::addColumn<bool>("quiet");
        QTest::addColumn<QString>("endsAt");
        QTest::newRow("night, late") << "22:00" << "07:00" << "2026-11-23T23:30:00Z" << true << "2026-11-24T07:00:00Z";
        QTest::newRow("night, early") << "22:00" << "07:00" << "2026-11-24T03:00:00Z" << true << "2026-11-24T07:00:00Z";
        QTest::newRow("night, start is in") << "22:00" << "07:00" << "2026-11-23T22:00:00Z" << true << "2026-11-24T07:00:00Z";
        QTest::newRow("night, end is out") << "22:00" << "07:00" << "2026-11-24T07:00:00Z" << false << "";
        QTest::newRow("night, day") << "22:00" << "07:00" << "2026-11-23T12:00:00Z" << false << "";
        QTest::newRow("day span") << "12:00" << "14:00" << "2026-11-23T13:59:00Z" << true << "2026-11-23T14:00:00Z";
        QTest::newRow("day span, before") << "12:00" << "14:00" << "2026-11-23T11:59:00Z" << false << "";
        QTest::newRow("equal ends: none") << "07:00" << "07:00" << "2026-11-23T07:00:00Z" << false << "";
        QTest::newRow("unset") << "" << "" << "2026-11-23T03:00:00Z" << false << "";
    }
    void quietHours()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, at);
        QFETCH(bool, quiet);
        QFETCH(QString, endsAt);
        const QuietHours q = QuietHours::fromStrings(from, to);
        const qint64 atMs = QDateTime::fromString(at, Qt::ISODate).toMSecsSinceEpoch();
        QCOMPARE(q.contains(atMs, QTimeZone::utc()), quiet);
        const qint64 end = q.endAfter(atMs, QTimeZone::utc());
        QCOMPARE(end, quiet ? QDateTime::fromString(endsAt, Qt::ISODate).toMSecsSinceEpoch() : atMs);
    }

    void quietHoursFollowTheLocalClock()
    {
        // Europe/Berlin moves from CET to CEST on 2026-03-29 at 02:00: the night is an hour shorter.
        const QTimeZone berlin("Europe/Berlin");
        if (!berlin.isValid())
            QSKIP("no time zone data for Europe/Berlin");
        const QuietHours q = QuietHours::fromStrings(QStringLiteral("22:00"), QStringLiteral("07:00"));
        const qint64 at = QDateTime(QDate(2026, 3, 28), QTime(23, 0), berlin).toMSecsSinceEpoch();
        QVERIFY(q.contains(at, berlin));
        QCOMPARE(q.endAfter(at, berlin), QDateTime(QDate(2026, 3, 29), QTime(7, 0), berlin).toMSecsSinceEpoch());
        QCOMPARE(q.endAfter(at, berlin) - at, 7 * 3'600'000LL); // 8 wall-clock hours, 7 real ones
    }

    void routesByServiceEventAndSeverity()
    {
        Config config;
        config.services = {service(QStringLiteral("echopilot"), QStringLiteral("P0-P3")),
                           service(QStringLiteral("ai-fsm"), QStringLiteral("P1-P4")),
                           service(QStringLiteral("dr"), QStringLiteral("Level 1-3"))};
        NotifyChannel all = channel(NotifyChannel::Kind::Ntfy, QStringLiteral("all"));
        NotifyChannel pager = channel(NotifyChannel::Kind::Telegram, QStringLiteral("pager"));
        pager.minSeverity = QStringLiteral("P1");
        NotifyChannel echo = channel(NotifyChannel::Kind::Slack, QStringLiteral("echo"));
        echo.services = {QStringLiteral("echopilot")};
        NotifyChannel opened = channel(NotifyChannel::Kind::Webhook, QStringLiteral("opened-only"));
        opened.events = {QStringLiteral("opened"), QStringLiteral("escalated")};
        NotifyChannel level = channel(NotifyChannel::Kind::Webhook, QStringLiteral("level2"));
        level.minSeverity = QStringLiteral("Level 2");
        config.notify = {all, pager, echo, opened, level};
        const NotificationRouter router(config);

        auto names = [&](const Notification &n) {
            QStringList out;
            for (const NotifyChannel &c : router.route(n))
                out << c.name;
            return out.join(u',');
        };
        // P0-P3: P1 is rank 1, so `min_severity: P1` takes P0 and P1 and not P2.
        QCOMPARE(names(incident(QStringLiteral("echopilot"), QStringLiteral("P1"), 1)), QStringLiteral("all,pager,echo,opened-only,level2"));
        QCOMPARE(names(incident(QStringLiteral("echopilot"), QStringLiteral("P2"), 2)), QStringLiteral("all,echo,opened-only,level2"));
        // P1-P4: P1 is the most severe level (rank 0), so the same channel only takes P1 there.
        QCOMPARE(names(incident(QStringLiteral("ai-fsm"), QStringLiteral("P1"), 0, QStringLiteral("P1-P4"))),
                 QStringLiteral("all,pager,opened-only,level2"));
        QCOMPARE(names(incident(QStringLiteral("ai-fsm"), QStringLiteral("P2"), 1, QStringLiteral("P1-P4"))),
                 QStringLiteral("all,opened-only,level2"));
        // Level 1-3 has no P1: that filter does not apply; its own `Level 2` does (Level 3 is worst).
        QCOMPARE(names(incident(QStringLiteral("dr"), QStringLiteral("Level 3"), 0, QStringLiteral("Level 1-3"))),
                 QStringLiteral("all,pager,opened-only,level2"));
        QCOMPARE(names(incident(QStringLiteral("dr"), QStringLiteral("Level 1"), 2, QStringLiteral("Level 1-3"))),
                 QStringLiteral("all,pager,opened-only"));
        // Events.
        QCOMPARE(names(incident(QStringLiteral("echopilot"), QStringLiteral("P0"), 0, QStringLiteral("P0-P3"), QStringLiteral("resolved"))),
                 QStringLiteral("all,pager,echo,level2"));
        // Without `scheme`, the service's scheme from the config decides.
        Notification bare = incident(QStringLiteral("ai-fsm"), QStringLiteral("P2"), 1, QString());
        QCOMPARE(names(bare), QStringLiteral("all,opened-only,level2"));
        // No severity: a channel with min_severity in the scheme does not take it.
        Notification state = incident(QStringLiteral("echopilot"), QString(), -1, QString(), QStringLiteral("state"));
        QCOMPARE(names(state), QStringLiteral("all,echo,level2"));
        QVERIFY(router.rejection(pager, state).contains(u"no severity"));
        QVERIFY(router.rejection(echo, incident(QStringLiteral("dr"), QStringLiteral("Level 1"), 2)).contains(u"service `dr`"));
    }

    void backoffPolicy()
    {
        Notifier::Timing t;
        QCOMPARE(Notifier::backoffMs(t, 1, 0.5), 5'000);
        QCOMPARE(Notifier::backoffMs(t, 2, 0.5), 10'000);
        QCOMPARE(Notifier::backoffMs(t, 3, 0.5), 20'000);
        QCOMPARE(Notifier::backoffMs(t, 8, 0.5), 600'000);  // capped at 10 min
        QCOMPARE(Notifier::backoffMs(t, 500, 0.5), 600'000);
        QCOMPARE(Notifier::backoffMs(t, 1, 0.0), 3'750);    // -25 %
        QCOMPARE(Notifier::backoffMs(t, 1, 1.0), 6'250);    // +25 %
    }

    void retryAfter()
    {
        QCOMPARE(NotificationChannel::retryAfterMs("1", kT0), 1'000);
        QCOMPARE(NotificationChannel::retryAfterMs(" 120 ", kT0), 120'000);
        QCOMPARE(NotificationChannel::retryAfterMs("soon", kT0), -1);
        QCOMPARE(NotificationChannel::retryAfterMs("", kT0), -1);
        const QDateTime at = QDateTime::fromMSecsSinceEpoch(kT0, QTimeZone::utc()).addSecs(90);
        QCOMPARE(NotificationChannel::retryAfterMs(at.toString(Qt::RFC2822Date).toLatin1(), kT0), 90'000);

        const auto sender = NotificationChannel::create(channel(NotifyChannel::Kind::Slack, QStringLiteral("s")));
        ChannelReply reply;
        reply.status = 429;
        reply.reason = "Too Many Requests";
        reply.headers = {{"Retry-After", "7"}};
        reply.body = "rate_limited";
        DeliveryOutcome o = sender->interpret(reply);
        QCOMPARE(int(o.kind), int(DeliveryOutcome::Kind::Retry));
        QCOMPARE(o.retryAfterMs, 7'000);
        QCOMPARE(o.error, QStringLiteral("HTTP 429 Too Many Requests: rate_limited"));
        reply = {};
        reply.status = 404;
        reply.reason = "Not Found";
        reply.body = "no_service";
        o = sender->interpret(reply);
        QCOMPARE(int(o.kind), int(DeliveryOutcome::Kind::Failed));
        reply.status = 204;
        QCOMPARE(int(sender->interpret(reply).kind), int(DeliveryOutcome::Kind::Delivered));

        // Telegram explains itself in JSON, also how long to wait.
        const auto telegram = NotificationChannel::create(channel(NotifyChannel::Kind::Telegram, QStringLiteral("t")));
        reply = {};
        reply.status = 429;
        reply.body = "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 3\",\"parameters\":{\"retry_after\":3}}";
        o = telegram->interpret(reply);
        QCOMPARE(int(o.kind), int(DeliveryOutcome::Kind::Retry));
        QCOMPARE(o.retryAfterMs, 3'000);
        QCOMPARE(o.error, QStringLiteral("HTTP 429: Too Many Requests: retry after 3"));
    }

    void channelRequests()
    {
        Notification n = incident(QStringLiteral("echopilot"), QStringLiteral("P0"), 0);

        NotifyChannel ntfyConfig = channel(NotifyChannel::Kind::Ntfy, QStringLiteral("phone"), QStringLiteral("https://ntfy.example/ops"));
        const auto ntfy = NotificationChannel::create(ntfyConfig);
        ChannelRequest r = ntfy->request(n, 7, ntfy->secretCarriers());
        QCOMPARE(r.url, QUrl(QStringLiteral("https://ntfy.example/ops")));
        QCOMPARE(r.body, n.text.toUtf8());
        auto header = [&](const QByteArray &name) {
            for (const auto &[k, v] : r.headers)
                if (k == name)
                    return v;
            return QByteArray();
        };
        QCOMPARE(header("Title"), "=?UTF-8?B?" + n.title.toUtf8().toBase64() + "?=");
        QCOMPARE(header("Priority"), QByteArray("urgent"));
        QCOMPARE(header("Tags"), QByteArray("rotating_light,echopilot"));
        n.severityRank = 1;
        n.title = QStringLiteral("ASCII title");
        r = ntfy->request(n, 7, ntfy->secretCarriers());
        QCOMPARE(header("Priority"), QByteArray("high"));
        QCOMPARE(header("Title"), QByteArray("ASCII title"));
        n.severityRank = 3;
        n.event = QStringLiteral("resolved");
        r = ntfy->request(n, 7, ntfy->secretCarriers());
        QCOMPARE(header("Priority"), QByteArray("default"));
        QCOMPARE(header("Tags"), QByteArray("white_check_mark,echopilot"));

        NotifyChannel tg = channel(NotifyChannel::Kind::Telegram, QStringLiteral("tg"), QStringLiteral("https://tg.mirror/"));
        tg.token = QStringLiteral("${secret:tg}");
        tg.chat = QStringLiteral("-100123");
        const auto telegram = NotificationChannel::create(tg);
        QCOMPARE(telegram->secretCarriers(), QStringList({QStringLiteral("https://tg.mirror/"), QStringLiteral("${secret:tg}"), QString()}));
        r = telegram->request(n, 7, {QStringLiteral("https://tg.mirror/"), QStringLiteral("123:ABC"), QString()});
        QCOMPARE(r.url.toString(), QStringLiteral("https://tg.mirror/bot123:ABC/sendMessage"));
        const QJsonObject tj = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(tj.value(u"chat_id").toString(), QStringLiteral("-100123"));
        QCOMPARE(tj.value(u"text").toString(), n.title + QStringLiteral("\n\n") + n.text);
        QCOMPARE(tj.value(u"disable_web_page_preview").toBool(), true);

        Notification markup = n;
        markup.title = QStringLiteral("a <b> & c");
        markup.text = QStringLiteral("x > y");
        const auto slack = NotificationChannel::create(channel(NotifyChannel::Kind::Slack, QStringLiteral("s")));
        r = slack->request(markup, 7, slack->secretCarriers());
        QCOMPARE(QJsonDocument::fromJson(r.body).object().value(u"text").toString(), QStringLiteral("*a &lt;b&gt; &amp; c*\nx &gt; y"));

        NotifyChannel hook = channel(NotifyChannel::Kind::Webhook, QStringLiteral("hook"));
        hook.secret = QStringLiteral("${secret:hook}");
        const auto webhook = NotificationChannel::create(hook);
        r = webhook->request(n, 99, {hook.url, QString(), QStringLiteral("s3cret-key")});
        QCOMPARE(r.body, WebhookSender::body(n));
        QCOMPARE(header("X-OpsDeck-Delivery"), QByteArray("99"));
        QCOMPARE(header("X-OpsDeck-Signature"),
                 "sha256=" + QMessageAuthenticationCode::hash(r.body, "s3cret-key", QCryptographicHash::Sha256).toHex());
        const QJsonObject wj = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(wj.keys(), QStringList({QStringLiteral("at"), QStringLiteral("dedup_key"), QStringLiteral("event"), QStringLiteral("incident_id"),
                                         QStringLiteral("service"), QStringLiteral("severity"), QStringLiteral("text"), QStringLiteral("title")}));
        QCOMPARE(wj.value(u"at").toString(), QStringLiteral("2025-11-13T02:13:20.000Z"));
        QCOMPARE(wj.value(u"incident_id").toInteger(), 42);
        // Without a secret there is no signature.
        r = webhook->request(n, 99, {hook.url, QString(), QString()});
        QVERIFY(header("X-OpsDeck-Signature").isEmpty());

        QVERIFY(!NotificationChannel::create(channel(NotifyChannel::Kind::Desktop, QStringLiteral("desktop"))));
    }

    void payloadRoundTrip()
    {
        const Notification n = incident(QStringLiteral("echopilot"), QStringLiteral("P0"), 0);
        const auto back = OutboxStore::decode(OutboxStore::encode(n));
        QVERIFY(back);
        QCOMPARE(back->event, n.event);
        QCOMPARE(back->service, n.service);
        QCOMPARE(back->severity, n.severity);
        QCOMPARE(back->severityRank, n.severityRank);
        QCOMPARE(back->scheme, n.scheme);
        QCOMPARE(back->title, n.title);
        QCOMPARE(back->text, n.text);
        QCOMPARE(back->incidentId, n.incidentId);
        QCOMPARE(back->dedupKey, n.dedupKey);
        QCOMPARE(back->atMs, n.atMs);
        QVERIFY(!OutboxStore::decode(QStringLiteral("{\"v\":2}")));
        QVERIFY(!OutboxStore::decode(QStringLiteral("not json")));
    }

    void storeClaimsAndLeases_data() { addBackends(); }
    void storeClaimsAndLeases()
    {
        OPEN_TEST_DATABASE(db);
        OutboxStore store(db.location());
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QVERIFY(db.tables().contains(QStringLiteral("outbox")));

        auto ids = store.insert({newRow(QStringLiteral("a"), QStringLiteral("k1")), newRow(QStringLiteral("b"), QStringLiteral("k1")),
                                 newRow(QStringLiteral("a"), QStringLiteral("later"), OutboxStore::State::Held, kT0 + 60'000),
                                 newRow(QStringLiteral("a"), QStringLiteral("m"), OutboxStore::State::Muted)},
                                kT0, kT0 - 600'000, &error);
        QVERIFY2(ids && ids->size() == 4 && !ids->contains(0), qPrintable(error));
        QCOMPARE(db.scalar(QStringLiteral("SELECT state FROM outbox WHERE id = %1").arg(ids->at(2))).toString(), QStringLiteral("held"));
        QVERIFY(db.scalar(QStringLiteral("SELECT sent_at FROM outbox WHERE id = %1").arg(ids->at(0))).isNull());
        QCOMPARE(db.scalar(QStringLiteral("SELECT incident_id FROM outbox WHERE id = %1").arg(ids->at(0))).toLongLong(), 42);

        // Only the given channels, only what is due; a muted row never.
        QCOMPARE(store.nextDue({QStringLiteral("a")}, {}, &error), std::optional<qint64>(kT0));
        auto claimed = store.claimDue({QStringLiteral("a")}, kT0, kT0 + 1000, 10, {}, &error);
        QVERIFY2(claimed, qPrintable(error));
        QCOMPARE(claimed->size(), 1);
        const OutboxStore::Row row = claimed->first();
        QCOMPARE(row.id, ids->at(0));
        QCOMPARE(row.state, OutboxStore::State::Sending);
        QCOMPARE(row.attempts, 1);
        QCOMPARE(row.nextAttemptAtMs, kT0 + 1000);
        // Claimed rows are not claimed again while the lease lasts …
        QCOMPARE(store.claimDue({QStringLiteral("a")}, kT0 + 999, kT0 + 5000, 10, {}, &error)->size(), 0);
        QVERIFY(!store.claim(row.id, kT0 + 999, kT0 + 5000, &error) && error.isEmpty());
        // … and after it lapsed (the notifier died) they are, and the first claim is void — but not
        // by the notifier that is still sending them (its machine slept through the lease).
        QCOMPARE(store.claimDue({QStringLiteral("a")}, kT0 + 1000, kT0 + 5000, 10, {row.id}, &error)->size(), 0);
        QCOMPARE(store.nextDue({QStringLiteral("a")}, {row.id}, &error), std::optional<qint64>(kT0 + 60'000));
        auto again = store.claimDue({QStringLiteral("a")}, kT0 + 1000, kT0 + 5000, 10, {}, &error);
        QCOMPARE(again->size(), 1);
        QCOMPARE(again->first().attempts, 2);
        QCOMPARE(store.reschedule(row, kT0 + 9000, QStringLiteral("late"), &error), OutboxStore::Update::Lost);
        QCOMPARE(store.markFailed(row, QStringLiteral("late"), &error), OutboxStore::Update::Lost);
        OutboxStore::Row second = again->first();
        QCOMPARE(store.renewLease(second, kT0 + 8000, &error), OutboxStore::Update::Applied);
        QCOMPARE(second.nextAttemptAtMs, kT0 + 8000);
        QCOMPARE(store.reschedule(second, kT0 + 9000, QStringLiteral("HTTP 503"), &error), OutboxStore::Update::Applied);
        QCOMPARE(store.row(row.id, &error)->state, OutboxStore::State::Pending);
        QCOMPARE(store.row(row.id, &error)->lastError, QStringLiteral("HTTP 503"));

        // Held rows come due at the end of quiet hours.
        claimed = store.claimDue({QStringLiteral("a")}, kT0 + 60'000, kT0 + 61'000, 10, {}, &error);
        QCOMPARE(claimed->size(), 2);
        QCOMPARE(claimed->at(0).id, ids->at(0)); // due at +9 s
        QCOMPARE(claimed->at(1).id, ids->at(2)); // held until +60 s
        QVERIFY(store.markSent(claimed->at(0).id, kT0 + 60'500, &error));
        QCOMPARE(store.markFailed(claimed->at(1), QStringLiteral("HTTP 404"), &error), OutboxStore::Update::Applied);
        QCOMPARE(store.row(ids->at(0), &error)->sentAtMs, kT0 + 60'500);
        QCOMPARE(store.row(ids->at(0), &error)->state, OutboxStore::State::Sent);
        QCOMPARE(store.nextDue({QStringLiteral("a")}, {}, &error), std::nullopt);
        QCOMPARE(store.nextDue({QStringLiteral("b")}, {}, &error), std::optional<qint64>(kT0));

        // A finished row cannot be claimed by id; limits hold.
        QVERIFY(!store.claim(ids->at(0), kT0 + 70'000, kT0 + 80'000, &error) && error.isEmpty());
        QVERIFY(store.claim(ids->at(1), kT0 + 70'000, kT0 + 80'000, &error));
        QCOMPARE(store.rows(&error)->size(), 4);
    }

    void storeDedup_data() { addBackends(); }
    void storeDedup()
    {
        OPEN_TEST_DATABASE(db);
        OutboxStore store(db.location());
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        auto ids = store.insert({newRow(QStringLiteral("a"), QStringLiteral("k"))}, kT0, kT0 - 600'000, &error);
        QVERIFY(ids && ids->first() > 0);
        // Same channel and key within the window: dropped; another channel, or no key: kept.
        ids = store.insert({newRow(QStringLiteral("a"), QStringLiteral("k")), newRow(QStringLiteral("b"), QStringLiteral("k")),
                            newRow(QStringLiteral("a"), QString()), newRow(QStringLiteral("a"), QString())},
                           kT0 + 1000, kT0 + 1000 - 600'000, &error);
        QVERIFY2(ids, qPrintable(error));
        QCOMPARE(ids->at(0), 0);
        QVERIFY(ids->at(1) > 0 && ids->at(2) > 0 && ids->at(3) > 0);
        // Outside the window: kept.
        ids = store.insert({newRow(QStringLiteral("a"), QStringLiteral("k"))}, kT0 + 600'001, kT0 + 1, &error);
        QVERIFY(ids->first() > 0);
        // Not subject to dedup (repeats): kept.
        OutboxStore::NewRow repeat = newRow(QStringLiteral("a"), QStringLiteral("k"));
        repeat.dedup = false;
        QVERIFY(store.insert({repeat}, kT0 + 600'002, kT0 + 2, &error)->first() > 0);
        // A muted row does not hold back a later one that can be sent, but does hold back another muted one.
        QVERIFY(store.insert({newRow(QStringLiteral("c"), QStringLiteral("m"), OutboxStore::State::Muted)}, kT0, kT0 - 1, &error)->first() > 0);
        QCOMPARE(store.insert({newRow(QStringLiteral("c"), QStringLiteral("m"), OutboxStore::State::Muted)}, kT0 + 1, kT0 - 1, &error)->first(), 0);
        QVERIFY(store.insert({newRow(QStringLiteral("c"), QStringLiteral("m"))}, kT0 + 2, kT0 - 1, &error)->first() > 0);
        QCOMPARE(store.insert({newRow(QStringLiteral("c"), QStringLiteral("m"))}, kT0 + 3, kT0 - 1, &error)->first(), 0);
    }

    void twoStoresNeverClaimTheSameRow_data() { addBackends(); }
    void twoStoresNeverClaimTheSameRow()
    {
        OPEN_TEST_DATABASE(db);
        OutboxStore one(db.location());
        OutboxStore two(db.location());
        QString error;
        QVERIFY2(one.open(&error) && two.open(&error), qPrintable(error));
        QList<OutboxStore::NewRow> rows;
        for (int i = 0; i < 40; ++i)
            rows << newRow(QStringLiteral("a"), QStringLiteral("k%1").arg(i));
        QVERIFY(one.insert(rows, kT0, kT0, &error));
        QSet<qint64> seen;
        // Interleaved small claims from both connections, as two programs would make them.
        for (int round = 0; round < 10; ++round) {
            for (OutboxStore *s : {&one, &two}) {
                const auto got = s->claimDue({QStringLiteral("a")}, kT0, kT0 + 60'000, 3, {}, &error);
                QVERIFY2(got, qPrintable(error));
                for (const OutboxStore::Row &r : *got) {
                    QVERIFY2(!seen.contains(r.id), "a row was claimed twice");
                    seen.insert(r.id);
                }
            }
        }
        QCOMPARE(seen.size(), 40);
    }

    void expireAndPrune_data() { addBackends(); }
    void expireAndPrune()
    {
        OPEN_TEST_DATABASE(db);
        OutboxStore store(db.location());
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        const auto old = store.insert({newRow(QStringLiteral("gone"), QStringLiteral("a")), newRow(QStringLiteral("a"), QStringLiteral("b"))},
                                      kT0, kT0, &error);
        const auto recent = store.insert({newRow(QStringLiteral("a"), QStringLiteral("c"))}, kT0 + 100'000, kT0, &error);
        QVERIFY(old && recent);
        const auto sending = store.claimDue({QStringLiteral("a")}, kT0 + 1, kT0 + 500'000, 1, {}, &error);
        QCOMPARE(sending->size(), 1);
        // The claimed row keeps its live lease; the other old one (of a channel no notifier knows) fails.
        QCOMPARE(store.expire(kT0 + 50'000, kT0 + 200'000, QStringLiteral("not delivered within 1d"), &error), std::optional<int>(1));
        QCOMPARE(store.row(old->at(0), &error)->state, OutboxStore::State::Failed);
        QCOMPARE(store.row(old->at(0), &error)->lastError, QStringLiteral("not delivered within 1d"));
        QCOMPARE(store.row(recent->at(0), &error)->state, OutboxStore::State::Pending);
        QCOMPARE(store.prune(kT0 + 50'000, &error), std::optional<int>(1));
        QVERIFY(!store.row(old->at(0), &error));
        QCOMPARE(store.rows(&error)->size(), 2);
    }

    void refusesANewerStore()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        {
            OutboxStore store(db.location());
            QString error;
            QVERIFY2(store.open(&error), qPrintable(error));
        }
        QVERIFY(db.exec(QStringLiteral("INSERT INTO schema_version VALUES (99, 0, 'from the future')")).isEmpty());
        OutboxStore store(db.location());
        QString error;
        QVERIFY(!store.open(&error));
        QVERIFY2(error.contains(u"99"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestNotifyRouting)
#include "tst_notify_routing.moc"
