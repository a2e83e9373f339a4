// `opsdeckctl notify test CHANNEL` as a real process against local receivers: the message, the
// exit codes (0 delivered, 1 not delivered with the reason, 2 usage) and the outbox record.
#include "ctlprocess.h"
#include "notifyreceiver.h"
#include "outboxstore.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

// runCtl() blocks this thread, and the receivers answer from its event loop: run the CLI while
// the loop turns instead (bounded).
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

} // namespace

class TestNotifyCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_ntfy.listen());
        QVERIFY(m_broken.listen());
        QVERIFY(m_down.listen());
        m_down.close();
        m_broken.setDefaultResponse(NotifyReceiver::status(404, "Not Found", "no_service", {{"Content-Type", "text/plain"}}));
        m_store = m_dir.filePath(QStringLiteral("history.sqlite"));
        m_config = m_dir.filePath(QStringLiteral("notify.yaml"));
        QFile f(m_config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("store: " + m_store.toUtf8() + "\n"
                "services:\n  - name: echopilot\n    checks:\n      - name: health\n        url: http://127.0.0.1:9/health\n"
                "notify:\n"
                "  - ntfy: { url: \"" + m_ntfy.url(QStringLiteral("/opsdeck-alerts")).toUtf8() + "\" }\n"
                "  - slack: { name: broken, url: \"" + m_broken.url(QStringLiteral("/services/T0/B0/XX")).toUtf8() + "\" }\n"
                "  - webhook: { name: down, url: \"" + m_down.url(QStringLiteral("/hook")).toUtf8() + "\" }\n"
                "  - desktop: {}\n");
    }

    void delivers()
    {
        const CtlRun r = runCtlAsync({QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("ntfy"), QStringLiteral("--config"), m_config});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.startsWith(u"delivered the test message through `ntfy` (outbox #"), qPrintable(r.out));
        QCOMPARE(m_ntfy.count(), 1);
        const NotifyReceiver::Request &req = m_ntfy.requests().first();
        QCOMPARE(req.method, QByteArray("POST"));
        QCOMPARE(req.path, QByteArray("/opsdeck-alerts"));
        QCOMPARE(req.header("Title"), QStringLiteral("OpsDeck test from %1").arg(QSysInfo::machineHostName()).toUtf8());
        QCOMPARE(req.header("Tags"), QByteArray("bell"));
        QCOMPARE(req.header("Priority"), QByteArray("default"));
        QVERIFY(QString::fromUtf8(req.body).contains(u"through the channel `ntfy` (ntfy)"));
        QCOMPARE(rows(QStringLiteral("ntfy")), QStringList({QStringLiteral("sent")}));
    }

    void refusedWithTheReason()
    {
        const CtlRun r = runCtlAsync({QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("broken"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"not delivered through `broken` (outbox #") && r.err.contains(u"HTTP 404 Not Found: no_service"), qPrintable(r.err));
        QCOMPARE(m_broken.count(), 1);
        QCOMPARE(rows(QStringLiteral("broken")), QStringList({QStringLiteral("failed")}));
    }

    void noNetworkIsRecorded()
    {
        const CtlRun r = runCtlAsync({QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("down"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"not delivered through `down`") && r.err.contains(u"refused", Qt::CaseInsensitive), qPrintable(r.err));
        // Recorded, and a test is attempted once: not left to be sent hours later.
        QCOMPARE(rows(QStringLiteral("down")), QStringList({QStringLiteral("failed")}));
    }

    void usageErrors()
    {
        CtlRun r = runCtl({QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("nope"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"no channel `nope`") && r.err.contains(u"configured: ntfy, broken, down, desktop"), qPrintable(r.err));
        r = runCtl({QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("desktop"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"opsdeckctl has no desktop"), qPrintable(r.err));
        r = runCtl({QStringLiteral("notify"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(u"usage: opsdeckctl notify test CHANNEL"));
        r = runCtl({QStringLiteral("notify"), QStringLiteral("send"), QStringLiteral("ntfy"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 2);
        r = runCtl({QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("ntfy"), QStringLiteral("--bogus")});
        QCOMPARE(r.exitCode, 2);
        r = runCtl({QStringLiteral("notify"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(u"OpsDeck test from <host>"));
        r = runCtl({QStringLiteral("--help")});
        QVERIFY(r.out.contains(u"notify"));

        const QString broken = m_dir.filePath(QStringLiteral("broken.yaml"));
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("services:\n  - name: echopilot\n    checks:\n      - name: health\n        url: http://127.0.0.1:9/health\n"
                "notify:\n  - pager: { url: http://x }\n");
        f.close();
        r = runCtl({QStringLiteral("notify"), QStringLiteral("test"), QStringLiteral("pager"), QStringLiteral("--config"), broken});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"unknown channel `pager`"), qPrintable(r.err));
        QCOMPARE(m_ntfy.count() + m_broken.count(), 2); // nothing more was sent
    }

private:
    QStringList rows(const QString &channel) const
    {
        OutboxStore store(StoreLocation::sqliteFile(m_store));
        QString error;
        if (!store.open(&error))
            return {error};
        QStringList states;
        for (const OutboxStore::Row &r : store.rows(&error).value_or(QList<OutboxStore::Row>()))
            if (r.channel == channel)
                states << OutboxStore::stateName(r.state);
        return states;
    }

    QTemporaryDir m_dir;
    NotifyReceiver m_ntfy;
    NotifyReceiver m_broken;
    NotifyReceiver m_down;
    QString m_store;
    QString m_config;
};

QTEST_GUILESS_MAIN(TestNotifyCli)
#include "tst_notify_cli.moc"
