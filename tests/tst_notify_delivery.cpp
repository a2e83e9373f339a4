// Notifications end to end against real local HTTP servers that play ntfy, the Telegram Bot API,
// a Slack incoming webhook and a webhook receiver: what each one gets, routing, dedup, mute, quiet
// hours, repeats, retries with back-off and Retry-After, outages, two notifiers on one store, and a
// process killed with an undelivered outbox. The outbox is in SQLite and in PostgreSQL.
//
// Time is a FakeClock wherever a decision depends on it (back-off, quiet hours, repeats): the test
// moves it and wakes the notifier, and waits (bounded) for what must then happen.
#include "fakeclock.h"
#include "notifier.h"
#include "notifyreceiver.h"
#include "storetestfixture.h"
#include "testdatabase.h"
#include "webhooksender.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QtTest>

namespace {

constexpr qint64 kT0 = 1'795'460'400'000; // 2026-11-23T19:00:00Z
const char kChildEnv[] = "OPSDECK_TST_NOTIFY_CHILD";

Notifier::Timing fastTiming()
{
    Notifier::Timing t;
    t.firstRetryMs = 50;
    t.maxRetryMs = 400;
    t.leaseMs = 10'000;
    t.requestTimeoutMs = 5'000;
    t.pollMs = 200;
    return t;
}

NotifyChannel channel(NotifyChannel::Kind kind, const QString &name, const QString &url)
{
    NotifyChannel c;
    c.kind = kind;
    c.name = name;
    c.url = url;
    return c;
}

NotifyChannel webhook(const NotifyReceiver &receiver, const QString &name = QStringLiteral("hook"))
{
    return channel(NotifyChannel::Kind::Webhook, name, receiver.url(QStringLiteral("/hooks/opsdeck")));
}

Config configWith(const QList<NotifyChannel> &channels)
{
    Config config;
    ServiceConfig s;
    s.name = QStringLiteral("echopilot");
    config.services << s;
    config.notify = channels;
    return config;
}

Notification incident(qint64 id, const QString &severity, int rank, const QString &event = QStringLiteral("opened"))
{
    Notification n;
    n.event = event;
    n.service = QStringLiteral("echopilot");
    n.severity = severity;
    n.severityRank = rank;
    n.scheme = QStringLiteral("P0-P3");
    n.title = QStringLiteral("🚨 INCIDENT: echopilot is down");
    n.text = QStringLiteral("Severity: %1\nDetected: /health returned 503 three times\nRunbook: echopilot-ops").arg(severity);
    n.incidentId = id;
    n.dedupKey = QStringLiteral("incident-%1-%2").arg(id).arg(event);
    return n;
}

Notification note(const QString &key)
{
    Notification n;
    n.event = QStringLiteral("note");
    n.service = QStringLiteral("echopilot");
    n.title = QStringLiteral("note ") + key;
    n.text = QStringLiteral("sentinel");
    n.dedupKey = key;
    return n;
}

std::unique_ptr<Notifier> makeNotifier(const TestDatabase &db, const Clock *clock, const QList<NotifyChannel> &channels,
                                       const Notifier::Timing &timing = fastTiming())
{
    auto n = std::make_unique<Notifier>(db.location(), nullptr, clock);
    n->setConfig(configWith(channels));
    n->setTiming(timing);
    n->setTimeZone(QTimeZone::utc());
    return n;
}

QJsonObject json(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

QString decodedHeader(const QByteArray &value)
{
    if (value.startsWith("=?UTF-8?B?") && value.endsWith("?="))
        return QString::fromUtf8(QByteArray::fromBase64(value.mid(10, value.size() - 12)));
    return QString::fromLatin1(value);
}

qint64 count(const TestDatabase &db, const QString &where)
{
    return db.count(QStringLiteral("SELECT COUNT(*) FROM outbox WHERE ") + where);
}

// The child of killedWithAnUndeliveredOutbox(): writes three notifications for a receiver that is
// down, keeps retrying, and waits to be killed.
int runChild()
{
    QString error;
    const auto location = StoreLocation::parse(qEnvironmentVariable("OPSDECK_TST_STORE"), &error);
    if (!location) {
        fprintf(stderr, "bad store: %s\n", qPrintable(error));
        return 3;
    }
    NotifyChannel hook;
    hook.kind = NotifyChannel::Kind::Webhook;
    hook.name = QStringLiteral("hook");
    hook.url = QStringLiteral("http://127.0.0.1:%1/hooks/opsdeck").arg(qEnvironmentVariable("OPSDECK_TST_PORT"));
    Notifier notifier(*location, nullptr, nullptr);
    notifier.setConfig(configWith({hook}));
    Notifier::Timing t = fastTiming();
    t.leaseMs = 1'000;
    t.maxRetryMs = 200;
    notifier.setTiming(t);
    if (!notifier.start(&error)) {
        fprintf(stderr, "%s\n", qPrintable(error));
        return 3;
    }
    for (const char *key : {"a", "b", "c"})
        notifier.notify(note(QString::fromLatin1(key)));
    fputs("written\n", stdout);
    fflush(stdout);
    return QCoreApplication::exec();
}

} // namespace

class TestNotifyDelivery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qRegisterMetaType<Notification>();
    }

    void channelPayloads_data() { addBackends(); }
    void channelPayloads()
    {
        OPEN_TEST_DATABASE(db);
        NotifyReceiver ntfy, telegram, slack, hook;
        for (NotifyReceiver *r : {&ntfy, &telegram, &slack, &hook})
            QVERIFY(r->listen());
        ntfy.setDefaultResponse(NotifyReceiver::status(200, "OK", "{\"id\":\"x1\",\"event\":\"message\"}"));
        telegram.setDefaultResponse(NotifyReceiver::status(200, "OK", "{\"ok\":true,\"result\":{\"message_id\":7}}"));
        slack.setDefaultResponse(NotifyReceiver::status(200, "OK", "ok", {{"Content-Type", "text/html"}}));

        NotifyChannel tg = channel(NotifyChannel::Kind::Telegram, QStringLiteral("telegram"), telegram.url(QString()));
        tg.token = QStringLiteral("123456:ABC-def");
        tg.chat = QStringLiteral("-100123");
        FakeClock clock(kT0);
        auto notifier = makeNotifier(db, &clock,
                                     {channel(NotifyChannel::Kind::Ntfy, QStringLiteral("ntfy"), ntfy.url(QStringLiteral("/opsdeck-alerts"))), tg,
                                      channel(NotifyChannel::Kind::Slack, QStringLiteral("slack"), slack.url(QStringLiteral("/services/T0/B0/XX"))),
                                      webhook(hook)});
        QSignalSpy delivered(notifier.get(), &Notifier::delivered);
        QString error;
        QVERIFY2(notifier->start(&error), qPrintable(error));
        Notification n = incident(42, QStringLiteral("P0"), 0);
        n.atMs = kT0 - 1500;
        notifier->notify(n);
        // Written before any network activity: one row per channel, nothing sent yet.
        QCOMPARE(count(db, QStringLiteral("state = 'pending'")), 4);
        QCOMPARE(ntfy.count() + telegram.count() + slack.count() + hook.count(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 4, 20'000);
        QCOMPARE(count(db, QStringLiteral("state = 'sent' AND attempts = 1 AND sent_at = %1").arg(kT0)), 4);

        QCOMPARE(ntfy.count(), 1);
        const NotifyReceiver::Request &nr = ntfy.requests().first();
        QCOMPARE(nr.method, QByteArray("POST"));
        QCOMPARE(nr.path, QByteArray("/opsdeck-alerts"));
        QCOMPARE(QString::fromUtf8(nr.body), n.text);
        QCOMPARE(decodedHeader(nr.header("Title")), n.title);
        QCOMPARE(nr.header("Priority"), QByteArray("urgent"));
        QCOMPARE(nr.header("Tags"), QByteArray("rotating_light,echopilot"));

        QCOMPARE(telegram.count(), 1);
        const NotifyReceiver::Request &tr = telegram.requests().first();
        QCOMPARE(tr.method, QByteArray("POST"));
        QCOMPARE(tr.path, QByteArray("/bot123456:ABC-def/sendMessage"));
        QCOMPARE(tr.header("Content-Type"), QByteArray("application/json"));
        const QJsonObject tj = json(tr.body);
        QCOMPARE(tj.value(u"chat_id").toString(), QStringLiteral("-100123"));
        QCOMPARE(tj.value(u"text").toString(), n.title + QStringLiteral("\n\n") + n.text);
        QCOMPARE(tj.value(u"disable_web_page_preview"), QJsonValue(true));

        QCOMPARE(slack.count(), 1);
        const NotifyReceiver::Request &sr = slack.requests().first();
        QCOMPARE(sr.path, QByteArray("/services/T0/B0/XX"));
        QCOMPARE(json(sr.body).keys(), QStringList({QStringLiteral("text")}));
        QCOMPARE(json(sr.body).value(u"text").toString(), QString(u'*' + n.title + QStringLiteral("*\n") + n.text));

        QCOMPARE(hook.count(), 1);
        const NotifyReceiver::Request &hr = hook.requests().first();
        QCOMPARE(hr.path, QByteArray("/hooks/opsdeck"));
        QCOMPARE(hr.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(hr.header("X-OpsDeck-Event"), QByteArray("opened"));
        QVERIFY(hr.header("X-OpsDeck-Signature").isEmpty()); // no secret configured
        const qint64 hookRow = db.count(QStringLiteral("SELECT id FROM outbox WHERE channel = 'hook'"));
        QCOMPARE(hr.header("X-OpsDeck-Delivery"), QByteArray::number(hookRow));
        QCOMPARE(hr.body, WebhookSender::body(n));
        const QJsonObject hj = json(hr.body);
        QCOMPARE(hj.value(u"event").toString(), QStringLiteral("opened"));
        QCOMPARE(hj.value(u"service").toString(), QStringLiteral("echopilot"));
        QCOMPARE(hj.value(u"severity").toString(), QStringLiteral("P0"));
        QCOMPARE(hj.value(u"title").toString(), n.title);
        QCOMPARE(hj.value(u"text").toString(), n.text);
        QCOMPARE(hj.value(u"incident_id").toInteger(), 42);
        QCOMPARE(hj.value(u"at").toString(), QStringLiteral("2026-11-23T18:59:58.500Z"));
        QCOMPARE(hj.value(u"dedup_key").toString(), QStringLiteral("incident-42-opened"));
        for (const NotifyReceiver *r : {&ntfy, &telegram, &slack, &hook})
            QVERIFY(r->requests().first().header("User-Agent").startsWith("OpsDeck/"));
    }

    void routesAndRecords()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        FakeClock clock(kT0);
        NotifyChannel all = channel(NotifyChannel::Kind::Ntfy, QStringLiteral("all"), QStringLiteral("http://127.0.0.1:9/a"));
        NotifyChannel pager = channel(NotifyChannel::Kind::Ntfy, QStringLiteral("pager"), QStringLiteral("http://127.0.0.1:9/p"));
        pager.minSeverity = QStringLiteral("P1");
        pager.events = {QStringLiteral("opened")};
        NotifyChannel other = channel(NotifyChannel::Kind::Ntfy, QStringLiteral("other"), QStringLiteral("http://127.0.0.1:9/o"));
        other.services = {QStringLiteral("gateway")};
        NotifyChannel desktop = channel(NotifyChannel::Kind::Desktop, QStringLiteral("desktop"), QString());
        auto notifier = makeNotifier(db, &clock, {all, pager, other, desktop});
        QVERIFY(notifier->open());
        // Not started: rows are written, nothing is sent.
        notifier->notify(incident(1, QStringLiteral("P2"), 2));
        notifier->notify(incident(2, QStringLiteral("P1"), 1));
        notifier->notify(incident(2, QStringLiteral("P1"), 1, QStringLiteral("resolved")));
        const auto rows = db.rows(QStringLiteral("SELECT channel, incident_id FROM outbox ORDER BY id"));
        QStringList got;
        for (const QVariantList &r : rows)
            got << r[0].toString() + u'/' + r[1].toString();
        // No desktop in this program (nothing listens), so no desktop rows.
        QCOMPARE(got, QStringList({QStringLiteral("all/1"), QStringLiteral("all/2"), QStringLiteral("pager/2"), QStringLiteral("all/2")}));
    }

    void dedupWithinTheWindow()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        FakeClock clock(kT0);
        auto notifier = makeNotifier(db, &clock,
                                     {channel(NotifyChannel::Kind::Ntfy, QStringLiteral("a"), QStringLiteral("http://127.0.0.1:9/a")),
                                      channel(NotifyChannel::Kind::Ntfy, QStringLiteral("b"), QStringLiteral("http://127.0.0.1:9/b"))});
        QVERIFY(notifier->open());
        notifier->notify(incident(1, QStringLiteral("P1"), 1));
        clock.advance(9 * 60'000);
        notifier->notify(incident(1, QStringLiteral("P1"), 1)); // the incident engine said it again
        QCOMPARE(count(db, QStringLiteral("1 = 1")), 2);       // once per channel
        notifier->notify(incident(1, QStringLiteral("P1"), 1, QStringLiteral("resolved"))); // another key
        QCOMPARE(count(db, QStringLiteral("1 = 1")), 4);
        clock.advance(60'001); // more than 10 minutes after the first
        notifier->notify(incident(1, QStringLiteral("P1"), 1));
        QCOMPARE(count(db, QStringLiteral("dedup_key = 'incident-1-opened'")), 4);
        Notification keyless = note(QString());
        notifier->notify(keyless);
        notifier->notify(keyless);
        QCOMPARE(count(db, QStringLiteral("dedup_key = ''")), 4);
    }

    void muteRecordsWithoutSending()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        FakeClock clock(kT0);
        auto notifier = makeNotifier(db, &clock, {webhook(hook)});
        QSignalSpy muted(notifier.get(), &Notifier::muteChanged);
        QSignalSpy delivered(notifier.get(), &Notifier::delivered);
        QVERIFY(notifier->start());
        notifier->muteUntil(kT0 + 3'600'000); // the tray's "Mute for 1 h"
        QCOMPARE(muted.size(), 1);
        QVERIFY(notifier->isMuted());
        notifier->notify(incident(1, QStringLiteral("P0"), 0)); // critical does not break through mute
        QCOMPARE(count(db, QStringLiteral("state = 'muted' AND last_error LIKE 'muted until 2026-11-23 20:00%'")), 1);
        // A test goes through anyway.
        QString error;
        const qint64 test = notifier->sendTest(QStringLiteral("hook"), &error);
        QVERIFY2(test > 0, qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 20'000);
        QCOMPARE(json(hook.requests().first().body).value(u"event").toString(), QStringLiteral("test"));

        clock.advance(3'600'000); // mute ends by itself
        QVERIFY(!notifier->isMuted());
        notifier->notify(incident(2, QStringLiteral("P2"), 2));
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 20'000);
        QCOMPARE(hook.count(), 2); // the muted one never went out
        QCOMPARE(json(hook.requests().last().body).value(u"incident_id").toInteger(), 2);
        notifier->muteUntil(kT0 + 10 * 3'600'000);
        notifier->unmute();
        QVERIFY(!notifier->isMuted());
        QCOMPARE(muted.last().first().toLongLong(), 0);
    }

    void quietHoursHoldUntilTheyEnd()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        const qint64 night = QDateTime(QDate(2026, 11, 23), QTime(23, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        const qint64 morning = QDateTime(QDate(2026, 11, 24), QTime(7, 0), QTimeZone::utc()).toMSecsSinceEpoch();
        FakeClock clock(night);
        NotifyChannel quiet = webhook(hook);
        quiet.quietFrom = QStringLiteral("22:00");
        quiet.quietTo = QStringLiteral("07:00");
        auto notifier = makeNotifier(db, &clock, {quiet});
        QSignalSpy delivered(notifier.get(), &Notifier::delivered);
        QVERIFY(notifier->start());

        notifier->notify(incident(1, QStringLiteral("P2"), 2));
        QCOMPARE(count(db, QStringLiteral("state = 'held' AND next_attempt_at = %1").arg(morning)), 1);
        QVERIFY(db.scalar(QStringLiteral("SELECT last_error FROM outbox")).toString().contains(u"held by quiet hours 22:00-07:00 until 2026-11-24 07:00"));
        notifier->notify(incident(2, QStringLiteral("P0"), 0)); // the most severe level breaks through
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 20'000);
        QCOMPARE(json(hook.requests().first().body).value(u"incident_id").toInteger(), 2);

        clock.set(morning);
        notifier->wake();
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 20'000);
        QCOMPARE(hook.count(), 2);
        QCOMPARE(json(hook.requests().last().body).value(u"incident_id").toInteger(), 1);
        QCOMPARE(count(db, QStringLiteral("state = 'sent'")), 2);
    }

    void repeatsUntilAcknowledged()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        FakeClock clock(kT0);
        NotifyChannel repeating = webhook(hook);
        repeating.repeatMs = 60'000; // the loader insists on at least a minute; time is fake here anyway
        auto notifier = makeNotifier(db, &clock, {repeating});
        QVERIFY(notifier->start());

        notifier->notify(incident(7, QStringLiteral("P1"), 1));
        QVERIFY(hook.waitForRequests(1));
        QCOMPARE(notifier->repeatingIncidents(), QList<qint64>({7}));
        for (int i = 1; i <= 2; ++i) {
            clock.advance(60'000);
            notifier->wake();
            QVERIFY(hook.waitForRequests(1 + i));
            const QJsonObject r = json(hook.requests().last().body);
            QCOMPARE(r.value(u"dedup_key").toString(), QStringLiteral("incident-7-opened#repeat-%1").arg(i));
            QCOMPARE(r.value(u"title").toString(),
                     QStringLiteral("🚨 INCIDENT: echopilot is down — still unacknowledged after %1m").arg(i));
            QCOMPARE(r.value(u"incident_id").toInteger(), 7);
        }
        notifier->acknowledged(7);
        QVERIFY(notifier->repeatingIncidents().isEmpty());
        clock.advance(5 * 60'000);
        notifier->wake();
        // Anything due would be written before the sentinel is claimed; only the sentinel arrives.
        notifier->notify(note(QStringLiteral("sentinel-1")));
        QVERIFY(hook.waitForRequests(4));
        QCOMPARE(json(hook.requests().last().body).value(u"dedup_key").toString(), QStringLiteral("sentinel-1"));

        // An acknowledged or resolved notification for the incident ends its repeats too.
        notifier->notify(incident(8, QStringLiteral("P1"), 1));
        notifier->notify(incident(9, QStringLiteral("P1"), 1));
        QCOMPARE(notifier->repeatingIncidents(), QList<qint64>({8, 9}));
        notifier->notify(incident(8, QStringLiteral("P1"), 1, QStringLiteral("resolved")));
        QCOMPARE(notifier->repeatingIncidents(), QList<qint64>({9}));
        // Repeats are not recorded while muted (nothing new to say), and resume afterwards.
        QVERIFY(hook.waitForRequests(7));
        notifier->muteUntil(clock.nowMs() + 90'000);
        clock.advance(60'000);
        notifier->wake();
        notifier->notify(note(QStringLiteral("sentinel-2")));
        QCOMPARE(count(db, QStringLiteral("state = 'muted'")), 1); // the sentinel, not a repeat
        clock.advance(60'000);
        notifier->wake();
        QVERIFY(hook.waitForRequests(8));
        QCOMPARE(json(hook.requests().last().body).value(u"dedup_key").toString(), QStringLiteral("incident-9-opened#repeat-2"));
    }

    void retriesWithBackoffAndRetryAfter_data() { addBackends(); }
    void retriesWithBackoffAndRetryAfter()
    {
        OPEN_TEST_DATABASE(db);
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        hook.enqueue(NotifyReceiver::status(500, "Internal Server Error", "boom"));
        hook.enqueue(NotifyReceiver::status(429, "Too Many Requests", "slow down", {{"Retry-After", "1"}}));
        FakeClock clock(kT0);
        auto notifier = makeNotifier(db, &clock, {webhook(hook)});
        QSignalSpy failed(notifier.get(), &Notifier::deliveryFailed);
        QSignalSpy delivered(notifier.get(), &Notifier::delivered);
        QVERIFY(notifier->start());
        notifier->notify(incident(3, QStringLiteral("P1"), 1));

        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20'000);
        QCOMPARE(failed.at(0).at(2).toString(), QStringLiteral("HTTP 500 Internal Server Error: boom"));
        QCOMPARE(failed.at(0).at(3).toBool(), true);
        const QString row = QStringLiteral("SELECT %1 FROM outbox");
        QCOMPARE(db.scalar(row.arg(QStringLiteral("state"))).toString(), QStringLiteral("pending"));
        QCOMPARE(db.scalar(row.arg(QStringLiteral("last_error"))).toString(), QStringLiteral("HTTP 500 Internal Server Error: boom"));
        const qint64 backoff = db.scalar(row.arg(QStringLiteral("next_attempt_at"))).toLongLong() - kT0;
        QVERIFY2(backoff >= 37 && backoff <= 63, qPrintable(QString::number(backoff))); // 50 ms ± 25 %

        clock.advance(63);
        notifier->wake();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, 20'000);
        QVERIFY(failed.at(1).at(2).toString().startsWith(u"HTTP 429 Too Many Requests"));
        // Retry-After wins over the back-off.
        QCOMPARE(db.scalar(row.arg(QStringLiteral("next_attempt_at"))).toLongLong(), clock.nowMs() + 1000);

        clock.advance(1000);
        notifier->wake();
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 20'000);
        QCOMPARE(hook.count(), 3);
        // Every attempt is the same delivery, byte for byte, so a receiver can tell.
        for (const NotifyReceiver::Request &r : hook.requests()) {
            QCOMPARE(r.body, hook.requests().first().body);
            QCOMPARE(r.header("X-OpsDeck-Delivery"), hook.requests().first().header("X-OpsDeck-Delivery"));
        }
        QCOMPARE(db.scalar(row.arg(QStringLiteral("state"))).toString(), QStringLiteral("sent"));
        QCOMPARE(db.scalar(row.arg(QStringLiteral("attempts"))).toInt(), 3);
        QCOMPARE(db.scalar(row.arg(QStringLiteral("last_error"))).toString(), QString());
        QCOMPARE(failed.size(), 2);
    }

    void refusedForGood()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        hook.setDefaultResponse(NotifyReceiver::status(404, "Not Found", "{\"error\": \"no such hook\"}"));
        FakeClock clock(kT0);
        auto notifier = makeNotifier(db, &clock, {webhook(hook)});
        QSignalSpy failed(notifier.get(), &Notifier::deliveryFailed);
        QVERIFY(notifier->start());
        notifier->notify(incident(3, QStringLiteral("P1"), 1));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20'000);
        QCOMPARE(failed.at(0).at(2).toString(), QStringLiteral("HTTP 404 Not Found: {\"error\": \"no such hook\"}"));
        QCOMPARE(failed.at(0).at(3).toBool(), false);
        QCOMPARE(count(db, QStringLiteral("state = 'failed' AND last_error LIKE 'HTTP 404 Not Found%'")), 1);
    }

    void givesUpAfterTheHorizon()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        hook.setDefaultResponse(NotifyReceiver::status(503, "Service Unavailable", "down for maintenance"));
        FakeClock clock(kT0);
        Notifier::Timing timing = fastTiming();
        timing.giveUpAfterMs = 2'000;
        auto notifier = makeNotifier(db, &clock, {webhook(hook)}, timing);
        QSignalSpy failed(notifier.get(), &Notifier::deliveryFailed);
        QVERIFY(notifier->start());
        notifier->notify(incident(3, QStringLiteral("P1"), 1));
        for (int i = 1; i < 30 && (failed.isEmpty() || failed.last().at(3).toBool()); ++i) {
            QTRY_COMPARE_WITH_TIMEOUT(failed.size(), i, 20'000);
            if (!failed.last().at(3).toBool())
                break;
            // On to the next attempt, whatever the jitter made of its back-off.
            clock.set(db.scalar(QStringLiteral("SELECT next_attempt_at FROM outbox")).toLongLong());
            notifier->wake();
        }
        QCOMPARE(failed.last().at(3).toBool(), false);
        const QString why = failed.last().at(2).toString();
        QVERIFY2(why.startsWith(u"gave up after ") && why.contains(u" attempts in 2s: HTTP 503 Service Unavailable: down for maintenance"),
                 qPrintable(why));
        QCOMPARE(count(db, QStringLiteral("state = 'failed'")), 1);
        // The last attempt was made right at the horizon, not skipped.
        QCOMPARE(db.scalar(QStringLiteral("SELECT attempts FROM outbox")).toInt(), hook.count());
    }

    void outageThenRecovery_data() { addBackends(); }
    void outageThenRecovery()
    {
        OPEN_TEST_DATABASE(db);
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        hook.close(); // the receiver is down: connections are refused
        FakeClock clock(kT0);
        auto notifier = makeNotifier(db, &clock, {webhook(hook)});
        QSignalSpy failed(notifier.get(), &Notifier::deliveryFailed);
        QSignalSpy delivered(notifier.get(), &Notifier::delivered);
        QVERIFY(notifier->start());
        notifier->notify(incident(4, QStringLiteral("P0"), 0));
        notifier->notify(incident(5, QStringLiteral("P2"), 2));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, 20'000);
        QVERIFY2(failed.at(0).at(2).toString().contains(u"refused", Qt::CaseInsensitive), qPrintable(failed.at(0).at(2).toString()));
        QVERIFY(failed.at(0).at(3).toBool());
        QCOMPARE(count(db, QStringLiteral("state = 'pending' AND attempts = 1")), 2);

        QVERIFY(hook.listen()); // back, on the same address
        clock.advance(500);
        notifier->wake();
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 20'000);
        QCOMPARE(hook.count(), 2);
        QCOMPARE(count(db, QStringLiteral("state = 'sent'")), 2);
    }

    void noAnswerIsRetried()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        NotifyReceiver::Response hang;
        hang.hang = true;
        hook.enqueue(hang);
        FakeClock clock(kT0);
        Notifier::Timing timing = fastTiming();
        timing.requestTimeoutMs = 300;
        auto notifier = makeNotifier(db, &clock, {webhook(hook)}, timing);
        QSignalSpy failed(notifier.get(), &Notifier::deliveryFailed);
        QSignalSpy delivered(notifier.get(), &Notifier::delivered);
        QVERIFY(notifier->start());
        notifier->notify(incident(4, QStringLiteral("P0"), 0));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20'000);
        QCOMPARE(failed.at(0).at(2).toString(), QStringLiteral("no answer within 300ms"));
        QVERIFY(failed.at(0).at(3).toBool());
        clock.advance(500);
        notifier->wake();
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 20'000);
    }

    void survivesALostStoreConnection()
    {
        TestDatabase db(QStringLiteral("postgresql"));
        if (db.unavailable()) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("OPSDECK_TEST_PG_URL is not set, so the PostgreSQL store cannot be tested");
            QSKIP("OPSDECK_TEST_PG_URL is not set; scripts/test.sh starts a throwaway PostgreSQL for these");
        }
        QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        FakeClock clock(kT0);
        auto notifier = makeNotifier(db, &clock, {webhook(hook)});
        QSignalSpy failed(notifier.get(), &Notifier::deliveryFailed);
        QSignalSpy delivered(notifier.get(), &Notifier::delivered);
        QVERIFY(notifier->start());
        // The server drops the notifier's connection (a restart, a network blip) …
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                         "WHERE datname = current_database() AND application_name = 'opsdeck'")),
                 1);
        // … so the first write fails; the notification waits in memory and is written on reconnect.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("cannot write the notification outbox, will try again")));
        notifier->notify(incident(6, QStringLiteral("P0"), 0));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(failed.first().at(2).toString().startsWith(u"cannot write the notification outbox"), qPrintable(failed.first().at(2).toString()));
        QCOMPARE(failed.first().at(1).toLongLong(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 20'000);
        QCOMPARE(hook.count(), 1);
        QCOMPARE(count(db, QStringLiteral("state = 'sent'")), 1);
    }

    void survivesACleanRestart_data() { addBackends(); }
    void survivesACleanRestart()
    {
        OPEN_TEST_DATABASE(db);
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        hook.close();
        FakeClock clock(kT0);
        {
            auto first = makeNotifier(db, &clock, {webhook(hook)});
            QSignalSpy failed(first.get(), &Notifier::deliveryFailed);
            QVERIFY(first->start());
            first->notify(incident(1, QStringLiteral("P1"), 1));
            first->notify(incident(2, QStringLiteral("P1"), 1));
            QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, 20'000);
        } // the program ends with both undelivered
        QCOMPARE(count(db, QStringLiteral("state = 'pending'")), 2);

        QVERIFY(hook.listen());
        clock.advance(1'000);
        auto second = makeNotifier(db, &clock, {webhook(hook)});
        QSignalSpy delivered(second.get(), &Notifier::delivered);
        QVERIFY(second->start());
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 2, 20'000);
        QCOMPARE(hook.count(), 2);
        QCOMPARE(count(db, QStringLiteral("state = 'sent' AND attempts = 2")), 2);
    }

    void stopReleasesWhatIsInFlight()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        NotifyReceiver::Response hang;
        hang.hang = true;
        hook.enqueue(hang);
        FakeClock clock(kT0);
        auto first = makeNotifier(db, &clock, {webhook(hook)});
        QVERIFY(first->start());
        first->notify(incident(1, QStringLiteral("P1"), 1));
        QVERIFY(hook.waitForRequests(1));
        first->stop(); // e.g. the console closes while the service is slow
        QCOMPARE(count(db, QStringLiteral("state = 'pending' AND last_error LIKE 'interrupted%'")), 1);

        auto second = makeNotifier(db, &clock, {webhook(hook)});
        QSignalSpy delivered(second.get(), &Notifier::delivered);
        QVERIFY(second->start()); // not after the lease: at once
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 20'000);
        // The service may have seen the abandoned attempt: the same delivery id lets it drop one.
        QCOMPARE(hook.count(), 2);
        QCOMPARE(hook.requests().at(0).header("X-OpsDeck-Delivery"), hook.requests().at(1).header("X-OpsDeck-Delivery"));
    }

    void twoNotifiersShareAStore_data() { addBackends(); }
    void twoNotifiersShareAStore()
    {
        OPEN_TEST_DATABASE(db);
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        hook.close();
        FakeClock clock(kT0);
        auto one = makeNotifier(db, &clock, {webhook(hook)});
        auto two = makeNotifier(db, &clock, {webhook(hook)});
        QSignalSpy deliveredOne(one.get(), &Notifier::delivered);
        QSignalSpy deliveredTwo(two.get(), &Notifier::delivered);
        QVERIFY(one->open() && two->open());
        for (int i = 0; i < 12; ++i)
            one->notify(note(QStringLiteral("n%1").arg(i)));
        QVERIFY(hook.listen());
        QVERIFY(one->start() && two->start()); // both go for the same due rows at once
        QTRY_COMPARE_WITH_TIMEOUT(deliveredOne.size() + deliveredTwo.size(), 12, 20'000);
        QCOMPARE(count(db, QStringLiteral("state = 'sent' AND attempts = 1")), 12);
        QCOMPARE(hook.count(), 12);
        QSet<QByteArray> ids;
        for (const NotifyReceiver::Request &r : hook.requests())
            ids.insert(r.header("X-OpsDeck-Delivery"));
        QCOMPARE(ids.size(), 12);
    }

    void killedWithAnUndeliveredOutbox_data() { addBackends(); }
    void killedWithAnUndeliveredOutbox()
    {
        OPEN_TEST_DATABASE(db);
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        hook.close(); // down while the first program runs

        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(kChildEnv), QStringLiteral("1"));
        env.insert(QStringLiteral("OPSDECK_TST_STORE"), db.isPostgres() ? db.location().displayString() : db.path());
        env.insert(QStringLiteral("OPSDECK_TST_PORT"), QString::number(hook.port()));
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForStarted());
        QByteArray out;
        const bool written = QTest::qWaitFor([&] { out += child.readAllStandardOutput(); return out.contains("written") || child.state() != QProcess::Running; }, 20'000);
        QVERIFY2(written, out.constData());
        QCOMPARE(child.state(), QProcess::Running);
        // It has tried each row at least once (and failed: the receiver is down) …
        QTRY_COMPARE_WITH_TIMEOUT(count(db, QStringLiteral("attempts >= 1")), 3, 20'000);
        child.kill(); // … and dies without a chance to tidy up, possibly mid-send
        QVERIFY(child.waitForFinished());
        QCOMPARE(count(db, QStringLiteral("state IN ('pending', 'sending')")), 3);

        QVERIFY(hook.listen());
        Notifier::Timing timing = fastTiming();
        auto restarted = makeNotifier(db, nullptr, {webhook(hook)}, timing);
        QSignalSpy delivered(restarted.get(), &Notifier::delivered);
        QVERIFY(restarted->start());
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 3, 20'000);
        QCOMPARE(count(db, QStringLiteral("state = 'sent'")), 3);

        // Nothing twice: another notifier finds nothing left, and only the sentinel arrives (sent
        // by whichever of the two claims it first).
        auto another = makeNotifier(db, nullptr, {webhook(hook)}, timing);
        QSignalSpy anotherDelivered(another.get(), &Notifier::delivered);
        QVERIFY(another->start());
        another->notify(note(QStringLiteral("sentinel")));
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size() + anotherDelivered.size(), 4, 20'000);
        QCOMPARE(hook.count(), 4);
        QStringList keys;
        QSet<QByteArray> deliveries;
        for (const NotifyReceiver::Request &r : hook.requests()) {
            keys << json(r.body).value(u"dedup_key").toString();
            deliveries.insert(r.header("X-OpsDeck-Delivery"));
        }
        keys.sort();
        QCOMPARE(keys, QStringList({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("sentinel")}));
        QCOMPARE(deliveries.size(), 4);
    }

    void desktopChannel()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        FakeClock clock(kT0);
        auto notifier = makeNotifier(db, &clock, {channel(NotifyChannel::Kind::Desktop, QStringLiteral("desktop"), QString())});
        QList<Notification> shown;
        // The tray is what makes the desktop channel live.
        connect(notifier.get(), &Notifier::desktopNotification, this, [&](const Notification &n) { shown << n; });
        QSignalSpy delivered(notifier.get(), &Notifier::delivered);
        QVERIFY(notifier->start());
        notifier->notify(incident(5, QStringLiteral("P0"), 0));
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 20'000);
        QCOMPARE(shown.size(), 1);
        QCOMPARE(shown.first().incidentId, 5);
        QCOMPARE(shown.first().title, QStringLiteral("🚨 INCIDENT: echopilot is down"));
        QCOMPARE(count(db, QStringLiteral("channel = 'desktop' AND state = 'sent'")), 1);
        QString error;
        QVERIFY2(notifier->sendTest(QStringLiteral("desktop"), &error) > 0, qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 2, 20'000);
        QCOMPARE(shown.last().event, QStringLiteral("test"));
    }

    void sendTest()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        FakeClock clock(kT0);
        auto notifier = makeNotifier(db, &clock, {webhook(hook), webhook(hook, QStringLiteral("ops-hook"))});
        QSignalSpy delivered(notifier.get(), &Notifier::delivered);
        QSignalSpy failed(notifier.get(), &Notifier::deliveryFailed);
        QVERIFY(notifier->open()); // not started: a test is sent anyway, and nothing else
        notifier->notify(incident(1, QStringLiteral("P1"), 1));

        QString error;
        QCOMPARE(notifier->sendTest(QStringLiteral("nope"), &error), 0);
        QCOMPARE(error, QStringLiteral("no channel `nope`; configured: hook, ops-hook"));

        const qint64 id = notifier->sendTest(QStringLiteral("ops-hook"), &error);
        QVERIFY2(id > 0, qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 20'000);
        QCOMPARE(delivered.first().at(0).toString(), QStringLiteral("ops-hook"));
        QCOMPARE(delivered.first().at(1).toLongLong(), id);
        const QJsonObject body = json(hook.requests().first().body);
        QCOMPARE(body.value(u"event").toString(), QStringLiteral("test"));
        QCOMPARE(body.value(u"title").toString(), QStringLiteral("OpsDeck test from ") + QSysInfo::machineHostName());

        // A failed test is recorded and not retried.
        hook.enqueue(NotifyReceiver::status(500, "Internal Server Error", "nope"));
        const qint64 second = notifier->sendTest(QStringLiteral("hook"), &error);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20'000);
        QCOMPARE(failed.first().at(1).toLongLong(), second);
        QCOMPARE(failed.first().at(3).toBool(), false);
        QCOMPARE(db.scalar(QStringLiteral("SELECT state FROM outbox WHERE id = %1").arg(second)).toString(), QStringLiteral("failed"));
        QCOMPARE(hook.count(), 2);
        QCOMPARE(count(db, QStringLiteral("state = 'pending'")), 2); // the incident waits for start()
    }
};

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsSet(kChildEnv)) {
        QCoreApplication app(argc, argv);
        return runChild();
    }
    QCoreApplication app(argc, argv);
    TestNotifyDelivery tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}

#include "tst_notify_delivery.moc"
