#include "actionrunner.h"
#include "auditlog.h"
#include "configloader.h"
#include "historystore.h"
#include "notifyreceiver.h"
#include "opsdatabase.h"
#include "secretresolver.h"
#include "secretstore.h"
#include "testdatabase.h"

#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

#include <chrono>

using namespace std::chrono_literals;

// Actions with secrets from a real keychain (a private gnome-keyring, see run-with-keyring.sh):
// the preview shows the reference, the request carries the value, and nothing stored or shown
// afterwards does.
namespace {
const QString kService = QStringLiteral("opsdeck-test-actions");
const QString kKey = QStringLiteral("dash-key-value-4711");
} // namespace

class TestKeyringActions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(!qgetenv("OPSDECK_KEYRING_SANDBOX").isEmpty(),
                 "run this suite through tests/run-with-keyring.sh (ctest does): it needs a private session bus "
                 "with an unlocked gnome-keyring and must not touch your own keyring");
        qRegisterMetaType<ActionRun>();
        m_store.setTimeout(10s);
        const auto written = m_store.writeBlocking(QStringLiteral("opsdeck-test-action-key"), kKey);
        QVERIFY2(written.ok(), qPrintable(written.message));
        m_store.removeBlocking(QStringLiteral("opsdeck-test-action-unset"));
    }

    void cleanupTestCase()
    {
        m_store.removeBlocking(QStringLiteral("opsdeck-test-action-key"));
    }

    void headerSecretMasked()
    {
        NotifyReceiver receiver;
        QVERIFY(receiver.listen());
        // The server echoes the key back: the output must not keep it.
        receiver.enqueue(NotifyReceiver::status(200, "OK", "retried with key " + kKey.toUtf8()));
        QFile file(QStringLiteral(OPSDECK_SOURCE_DIR "/tests/data/actions/secrets.yaml"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray yaml = file.readAll();
        yaml.replace("@URL@", receiver.url(QString()).toUtf8());
        const ConfigLoader::Result loaded = ConfigLoader::loadText(yaml, QStringLiteral("/tmp/secrets.yaml"));
        QVERIFY(loaded.ok());

        TestDatabase db(QStringLiteral("sqlite"));
        HistoryStore history;
        OpsDatabase ops;
        QString error;
        QVERIFY2(history.open(db.location(), &error) && ops.open(db.location(), &error), qPrintable(error));
        AuditLog audit(&ops);
        SecretResolver resolver(&m_store);
        ActionRunner runner(&ops, &resolver, &m_store, &audit, nullptr);
        runner.setConfig(*loaded.config);

        ActionRunner::Request request;
        request.service = QStringLiteral("echopilot");
        request.action = QStringLiteral("retry-job");
        request.params = {{QStringLiteral("job_id"), QStringLiteral("job 42")}};
        request.actor = QStringLiteral("tester");
        const auto prepared = runner.prepare(request, &error);
        QVERIFY2(prepared, qPrintable(error));
        QCOMPARE(prepared->preview.at(0), QStringLiteral("POST %1/api/job/job%2042/retry").arg(receiver.url(QString())));
        QCOMPARE(prepared->preview.at(1), QStringLiteral("header: X-Dash-Key: ${secret:opsdeck-test-action-key}"));

        QSignalSpy finished(&runner, &ActionRunner::runFinished);
        QVERIFY2(runner.run(request, &error) > 0, qPrintable(error));
        QVERIFY(finished.wait(20'000));
        const ActionRun run = finished.first().first().value<ActionRun>();
        QCOMPARE(run.status, QStringLiteral("succeeded"));
        QCOMPARE(receiver.count(), 1);
        QCOMPARE(receiver.requests().first().header("X-Dash-Key"), kKey.toUtf8());
        QCOMPARE(receiver.requests().first().path, QByteArray("/api/job/job%2042/retry"));
        QCOMPARE(run.output, QByteArray("HTTP 200 OK\nretried with key ••••••"));
        QVERIFY(!run.summary.contains(kKey));
        // Nothing in the store has the value: not the run, not the preview, not the audit log.
        for (const QVariantList &row : db.rows(QStringLiteral("SELECT * FROM action_runs")))
            for (const QVariant &v : row)
                QVERIFY2(!v.toString().contains(kKey), qPrintable(v.toString()));
        QVERIFY(!QString::fromUtf8(audit.exportNdjson()).contains(kKey));
        QVERIFY(runner.get(run.id)->preview.join(u'\n').contains(u"${secret:opsdeck-test-action-key}"));

        // A secret in a command's environment reaches the program; its output is masked too.
        request.action = QStringLiteral("with-env");
        request.params.clear();
        QVERIFY2(runner.run(request, &error) > 0, qPrintable(error));
        QVERIFY(finished.wait(20'000));
        const ActionRun env = finished.last().first().value<ActionRun>();
        QCOMPARE(env.status, QStringLiteral("succeeded"));
        QCOMPARE(env.output, QByteArray("key is ••••••\n"));
        QVERIFY(env.preview.contains(QStringLiteral("env: KEY='${secret:opsdeck-test-action-key}'")));

        // A secret that is not set: the run fails saying which and how to set it; nothing is sent.
        request.action = QStringLiteral("unset");
        QVERIFY2(runner.run(request, &error) > 0, qPrintable(error));
        QVERIFY(finished.wait(20'000));
        const ActionRun unset = finished.last().first().value<ActionRun>();
        QCOMPARE(unset.status, QStringLiteral("failed"));
        QVERIFY2(unset.summary.contains(u"opsdeck-test-action-unset"), qPrintable(unset.summary));
        QVERIFY2(unset.summary.contains(u"opsdeckctl secret set"), qPrintable(unset.summary));
        QCOMPARE(receiver.count(), 1);
    }

private:
    SecretStore m_store{kService};
};

QTEST_GUILESS_MAIN(TestKeyringActions)
#include "tst_keyring_actions.moc"
