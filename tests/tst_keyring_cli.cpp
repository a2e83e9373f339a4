#include "ctlprocess.h"
#include "simprocess.h"

#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

// Secrets end to end through the real keychain (run-with-keyring.sh gives this suite a private
// D-Bus session and an unlocked gnome-keyring): opsdeckctl stores them, checks use them, and their
// values never reach the history, the output or the disk outside the keyring.
class TestKeyringCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"), "run this suite through tests/run-with-keyring.sh");
        QVERIFY2(m_sim.start(), qPrintable(m_sim.errorString()));
        const QByteArray base = m_sim.baseUrl(QStringLiteral("echopilot")).toString().toUtf8();
        m_config = m_dir.filePath(QStringLiteral("secrets.yaml"));
        QFile f(m_config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("store: " + m_dir.filePath(QStringLiteral("history.sqlite")).toUtf8() + "\n"
                "services:\n  - name: echopilot\n    checks:\n"
                "      - name: stuck-jobs\n        url: " + base + "/api/jobs/stuck\n"
                "        headers: { X-Dash-Key: \"${secret:opsdeck-test-dash}\" }\n"
                "        conditions: [\"[STATUS] == 200\", \"len([BODY].stuck) == 0\"]\n"
                "      - name: supervisor\n        url: \"" + base + "/supervisor?token=${secret:opsdeck-test-token}\"\n"
                "        conditions: [\"[STATUS] == 200\", \"[BODY].ok == true\"]\n");
    }

    void cleanupTestCase()
    {
        runCtl({QStringLiteral("secret"), QStringLiteral("delete"), QStringLiteral("opsdeck-test-dash")});
        runCtl({QStringLiteral("secret"), QStringLiteral("delete"), QStringLiteral("opsdeck-test-token")});
    }

    void missingSecretIsUnknownWithInstructions()
    {
        const CtlRun r = runCtl({QStringLiteral("check"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.contains(u"UNKNOWN  echopilot/stuck-jobs") &&
                     r.out.contains(u"secret `opsdeck-test-dash` is not set — set it with `opsdeckctl secret set opsdeck-test-dash`"),
                 qPrintable(r.out));
    }

    void setListUseDelete()
    {
        // With a config (and so a store) the change is also audited: the name, never the value.
        CtlRun r = runCtl({QStringLiteral("secret"), QStringLiteral("set"), QStringLiteral("opsdeck-test-dash")}, m_sim.dashKey().toUtf8() + "\n",
                          60'000, {QStringLiteral("OPSDECK_CONFIG=") + m_config});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCtl({QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--config"), m_config});
        QVERIFY2(r.out.contains(u"\"action\":\"secret.set\"") && r.out.contains(u"\"name\":\"opsdeck-test-dash\""), qPrintable(r.out));
        QVERIFY(!r.out.contains(m_sim.dashKey()));
        r = runCtl({QStringLiteral("secret"), QStringLiteral("set"), QStringLiteral("opsdeck-test-token")}, m_sim.healthToken().toUtf8());
        QCOMPARE(r.exitCode, 0);
        r = runCtl({QStringLiteral("secret"), QStringLiteral("list")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.split(u'\n').contains(u"opsdeck-test-dash"_qs));
        QVERIFY(r.out.split(u'\n').contains(u"opsdeck-test-token"_qs));
        QVERIFY(!r.out.contains(m_sim.dashKey()));

        // Both checks authenticate with the stored values (a wrong key would get a 401).
        r = runCtl({QStringLiteral("check"), QStringLiteral("--config"), m_config});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));

        // A failing run whose URL carries the token: nothing anywhere repeats the value.
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, path: /supervisor, kind: status, status: 500}\n"));
        r = runCtl({QStringLiteral("check"), QStringLiteral("--config"), m_config, QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(!r.out.contains(m_sim.healthToken()) && !r.err.contains(m_sim.healthToken()));
        r = runCtl({QStringLiteral("history"), QStringLiteral("echopilot"), QStringLiteral("--config"), m_config});
        QVERIFY(!r.out.contains(m_sim.healthToken()));
        QVERIFY(m_sim.setFaults(""));

        r = runCtl({QStringLiteral("secret"), QStringLiteral("delete"), QStringLiteral("opsdeck-test-dash")});
        QCOMPARE(r.exitCode, 0);
        r = runCtl({QStringLiteral("secret"), QStringLiteral("list")});
        QVERIFY(!r.out.contains(u"opsdeck-test-dash"));
        r = runCtl({QStringLiteral("check"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 3);
    }

    void noValueOnDisk()
    {
        // Outside the keyring itself, no file under HOME or the test dir holds a secret value.
        const QStringList roots = {m_dir.path(), qEnvironmentVariable("XDG_DATA_HOME"), qEnvironmentVariable("XDG_CONFIG_HOME")};
        const QString keyrings = QStringLiteral("/keyrings/");
        for (const QString &root : roots) {
            if (root.isEmpty())
                continue;
            QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                if (path.contains(keyrings))
                    continue;
                QFile f(path);
                if (!f.open(QIODevice::ReadOnly))
                    continue;
                const QByteArray data = f.readAll();
                QVERIFY2(!data.contains(m_sim.healthToken().toUtf8()), qPrintable(path));
                QVERIFY2(!data.contains(m_sim.dashKey().toUtf8()), qPrintable(path));
            }
        }
    }

    void badInput()
    {
        CtlRun r = runCtl({QStringLiteral("secret"), QStringLiteral("set"), QStringLiteral("bad name")}, "x");
        QCOMPARE(r.exitCode, 2);
        r = runCtl({QStringLiteral("secret"), QStringLiteral("set"), QStringLiteral("empty")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(u"no value on stdin; nothing stored"));
        r = runCtl({QStringLiteral("secret"), QStringLiteral("get"), QStringLiteral("x")});
        QCOMPARE(r.exitCode, 2); // values are never printed: there is no `get`
    }

private:
    QTemporaryDir m_dir;
    SimProcess m_sim;
    QString m_config;
};

QTEST_GUILESS_MAIN(TestKeyringCli)
#include "tst_keyring_cli.moc"
