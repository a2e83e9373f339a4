// Notification channels whose URL, token or HMAC key come from the real keychain (CTest runs this
// suite through tests/run-with-keyring.sh: a private session bus and a fresh, unlocked
// gnome-keyring). The webhook's signature is checked independently with openssl over the bytes
// the receiver got; secrets are expanded at send time and never reach the outbox or an error text.
#include "ctlprocess.h"
#include "fakeclock.h"
#include "notifier.h"
#include "notifyreceiver.h"
#include "secretresolver.h"
#include "secretstore.h"
#include "testdatabase.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace std::chrono_literals;

namespace {

constexpr qint64 kT0 = 1'795'460'400'000; // 2026-11-23T19:00:00Z
const QString kService = QStringLiteral("opsdeck-test-notify");
const QString kHookKey = QStringLiteral("whsec-5f1c0e7a9b2d4c6e8f00a1b2c3d4e5f6");
const QString kHookPath = QStringLiteral("p4th-t0ken-91c2");
const QString kBotToken = QStringLiteral("987654:AAE-x7Qk2mZ9vLp");

// HMAC-SHA256 as a third party computes it: openssl over the received bytes.
QByteArray opensslHmac(const QByteArray &body, const QString &key)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("body"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(body) != body.size())
        return {};
    f.close();
    QProcess p;
    p.start(QStringLiteral("openssl"), {QStringLiteral("dgst"), QStringLiteral("-sha256"), QStringLiteral("-hmac"), key, QStringLiteral("-r"), path});
    if (!p.waitForFinished(20'000) || p.exitCode() != 0)
        return {};
    return p.readAllStandardOutput().split(' ').value(0).trimmed();
}

CtlRun runCtlAsync(const QStringList &args, int timeoutMs = 60'000)
{
    QProcess p;
    p.start(opsdeckctlPath(), args);
    CtlRun run;
    if (!p.waitForStarted(10'000))
        return run;
    p.closeWriteChannel();
    run.finished = QTest::qWaitFor([&] { return p.state() == QProcess::NotRunning; }, timeoutMs);
    if (!run.finished) {
        p.kill();
        p.waitForFinished();
    }
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = QString::fromUtf8(p.readAllStandardOutput());
    run.err = QString::fromUtf8(p.readAllStandardError());
    return run;
}

Config configWith(const QList<NotifyChannel> &channels)
{
    Config config;
    config.notify = channels;
    return config;
}

Notification incident(qint64 id)
{
    Notification n;
    n.event = QStringLiteral("opened");
    n.service = QStringLiteral("gateway");
    n.severity = QStringLiteral("P0");
    n.severityRank = 0;
    n.scheme = QStringLiteral("P0-P3");
    n.title = QStringLiteral("🚨 INCIDENT: gateway is down");
    n.text = QStringLiteral("GET https://localhost:3100/api/health: connection refused");
    n.incidentId = id;
    n.dedupKey = QStringLiteral("incident-%1-opened").arg(id);
    return n;
}

Notifier::Timing fastTiming()
{
    Notifier::Timing t;
    t.firstRetryMs = 50;
    t.maxRetryMs = 400;
    t.pollMs = 200;
    return t;
}

} // namespace

class TestKeyringNotify : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(!qgetenv("OPSDECK_KEYRING_SANDBOX").isEmpty(),
                 "run this suite through tests/run-with-keyring.sh (ctest does): it needs a private session bus "
                 "with an unlocked gnome-keyring and must not touch your own keyring");
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty(), "openssl is needed to check signatures");
        m_store.setTimeout(10s);
        for (const auto &[name, value] : {std::pair{QStringLiteral("opsdeck-test-hook"), kHookKey},
                                          std::pair{QStringLiteral("opsdeck-test-hook-path"), kHookPath}}) {
            const auto written = m_store.writeBlocking(name, value);
            QVERIFY2(written.ok(), qPrintable(written.message));
        }
        m_store.removeBlocking(QStringLiteral("opsdeck-test-bot"));
    }

    void cleanupTestCase()
    {
        for (const char *name : {"opsdeck-test-hook", "opsdeck-test-hook-path", "opsdeck-test-bot"})
            m_store.removeBlocking(QString::fromLatin1(name));
        runCtl({QStringLiteral("secret"), QStringLiteral("delete"), QStringLiteral("opsdeck-test-cli-hook")});
    }

    void signedWebhook()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        NotifyChannel c;
        c.kind = NotifyChannel::Kind::Webhook;
        c.name = QStringLiteral("hook");
        c.url = hook.url(QStringLiteral("/hooks/${secret:opsdeck-test-hook-path}"));
        c.secret = QStringLiteral("${secret:opsdeck-test-hook}");
        SecretResolver resolver(&m_store);
        FakeClock clock(kT0);
        Notifier notifier(db.location(), &resolver, &clock);
        notifier.setConfig(configWith({c}));
        notifier.setTiming(fastTiming());
        QSignalSpy delivered(&notifier, &Notifier::delivered);
        QVERIFY(notifier.start());
        notifier.notify(incident(11));
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 30'000);

        QCOMPARE(hook.count(), 1);
        const NotifyReceiver::Request &r = hook.requests().first();
        QCOMPARE(r.path, QByteArray("/hooks/") + kHookPath.toUtf8());
        const QByteArray signature = r.header("X-OpsDeck-Signature");
        QVERIFY2(signature.startsWith("sha256="), signature.constData());
        const QByteArray independent = opensslHmac(r.body, kHookKey);
        QVERIFY2(!independent.isEmpty(), "openssl dgst failed");
        QCOMPARE(signature, "sha256=" + independent);
        QCOMPARE(signature.mid(7), QMessageAuthenticationCode::hash(r.body, kHookKey.toUtf8(), QCryptographicHash::Sha256).toHex());
        // Another key, or one changed byte, gives another signature.
        QVERIFY(opensslHmac(r.body, QStringLiteral("not-the-key")) != independent);
        QByteArray tampered = r.body;
        tampered.replace("gateway", "gatewaz");
        QVERIFY(opensslHmac(tampered, kHookKey) != independent);
        QCOMPARE(r.header("X-OpsDeck-Delivery"), QByteArray::number(db.count(QStringLiteral("SELECT id FROM outbox"))));

        // The outbox holds the notification, never an expanded secret; nor does the file.
        db.closeRaw();
        notifier.stop();
        QFile file(db.path());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray all = file.readAll();
        QFile wal(db.path() + QStringLiteral("-wal"));
        if (wal.open(QIODevice::ReadOnly))
            all += wal.readAll();
        QVERIFY(!all.contains(kHookKey.toUtf8()));
        QVERIFY(!all.contains(kHookPath.toUtf8()));
        QVERIFY(all.contains("gateway is down"));
    }

    void missingSecretWaitsAndSaysHow()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        NotifyReceiver bot;
        QVERIFY(bot.listen());
        bot.setDefaultResponse(NotifyReceiver::status(200, "OK", "{\"ok\":true}"));
        NotifyChannel c;
        c.kind = NotifyChannel::Kind::Telegram;
        c.name = QStringLiteral("telegram");
        c.url = bot.url(QString());
        c.token = QStringLiteral("${secret:opsdeck-test-bot}");
        c.chat = QStringLiteral("-100123");
        SecretResolver resolver(&m_store);
        FakeClock clock(kT0);
        Notifier notifier(db.location(), &resolver, &clock);
        notifier.setConfig(configWith({c}));
        notifier.setTiming(fastTiming());
        QSignalSpy delivered(&notifier, &Notifier::delivered);
        QSignalSpy failed(&notifier, &Notifier::deliveryFailed);
        QVERIFY(notifier.start());
        notifier.notify(incident(12));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 30'000);
        const QString how = QStringLiteral("secret `opsdeck-test-bot` is not set — set it with `opsdeckctl secret set opsdeck-test-bot`");
        QCOMPARE(failed.first().at(2).toString(), how);
        QCOMPARE(failed.first().at(3).toBool(), true);
        QCOMPARE(db.scalar(QStringLiteral("SELECT state FROM outbox")).toString(), QStringLiteral("pending"));
        QCOMPARE(db.scalar(QStringLiteral("SELECT last_error FROM outbox")).toString(), how);
        QCOMPARE(bot.count(), 0);

        // The operator sets it; the next attempt goes out. A service that echoes the request line
        // in its error does not get the token into our error text.
        QVERIFY(m_store.writeBlocking(QStringLiteral("opsdeck-test-bot"), kBotToken).ok());
        bot.enqueue(NotifyReceiver::status(502, "Bad Gateway", "upstream failed for POST /bot" + kBotToken.toUtf8() + "/sendMessage",
                                           {{"Content-Type", "text/plain"}}));
        clock.advance(1'000);
        notifier.wake();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, 30'000);
        const QString echoed = failed.last().at(2).toString();
        QVERIFY2(!echoed.contains(kBotToken) && echoed.contains(u"/bot••••••/sendMessage"), qPrintable(echoed));
        QVERIFY(!db.scalar(QStringLiteral("SELECT last_error FROM outbox")).toString().contains(kBotToken));
        clock.advance(1'000);
        notifier.wake();
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 30'000);
        QCOMPARE(bot.count(), 2);
        QCOMPARE(bot.requests().last().path, "/bot" + kBotToken.toUtf8() + "/sendMessage");
        QCOMPARE(QJsonDocument::fromJson(bot.requests().last().body).object().value(u"chat_id").toString(), QStringLiteral("-100123"));
    }

    void cliSignsWithTheKeychainSecret()
    {
        // The product path: the key set with `opsdeckctl secret set`, the test sent by opsdeckctl.
        const QString key = QStringLiteral("cli-hook-key-0042");
        CtlRun r = runCtl({QStringLiteral("secret"), QStringLiteral("set"), QStringLiteral("opsdeck-test-cli-hook")}, key.toUtf8());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        NotifyReceiver hook;
        QVERIFY(hook.listen());
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("notify.yaml"));
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("store: " + dir.filePath(QStringLiteral("history.sqlite")).toUtf8() + "\n"
                "services:\n  - name: gateway\n    checks:\n      - name: health\n        url: http://127.0.0.1:9/health\n"
                "notify:\n  - webhook:\n      name: signed\n      url: \"" + hook.url(QStringLiteral("/in")).toUtf8() + "\"\n"
                "      secret: \"${secret:opsdeck-test-cli-hook}\"\n");
        f.close();
        r = runCtlAsync({QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("signed"), QStringLiteral("--config"), config});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QCOMPARE(hook.count(), 1);
        const NotifyReceiver::Request &req = hook.requests().first();
        QCOMPARE(req.header("X-OpsDeck-Signature"), "sha256=" + opensslHmac(req.body, key));
        QCOMPARE(QJsonDocument::fromJson(req.body).object().value(u"event").toString(), QStringLiteral("test"));
        QVERIFY(!r.out.contains(key) && !r.err.contains(key));
    }

private:
    SecretStore m_store{kService};
};

QTEST_GUILESS_MAIN(TestKeyringNotify)
#include "tst_keyring_notify.moc"
