// rotate-secret against a real keychain (a private gnome-keyring, see run-with-keyring.sh) and a
// real HTTP service whose check needs the key in a header: the verified rotation keeps the
// previous key until confirmed, a failing check rolls back, and `opsdeckctl secret confirm|rollback`
// finish a rotation.
#include "builtintasks.h"
#include "conditionparser.h"
#include "ctlprocess.h"
#include "rotatesecrettask.h"
#include "secretstore.h"

#include <QHttpServer>
#include <QHttpServerResponse>
#include <QRegularExpression>
#include <QtTest>

#include <functional>

namespace {

const QString kName = QStringLiteral("gw-key");
const QString kOld = QStringLiteral("old-key-0123456789");

struct Run
{
    ActionOutcome outcome;
    QString output;
    int finished = 0;
};

} // namespace

class TestRotateSecret final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void verifiedRotationKeepsPreviousUntilConfirmed();
    void failingCheckRollsBack();
    void firstKeyRemovedWhenCheckFails();
    void rollbackCommandRestoresPrevious();
    void dryRunChangesNothing();

private:
    Run rotate(bool dryRun = false);
    QString read(const QString &name) { return m_store.readBlocking(name).value; }
    SecretStore::Status status(const QString &name) { return m_store.readBlocking(name).status; }

    SecretStore m_store; // the default keychain service, as opsdeckctl uses it: the keyring is private
    QHttpServer m_server;
    quint16 m_port = 0;
    std::function<bool(const QByteArray &)> m_accept;
    QList<QByteArray> m_seen;
};

void TestRotateSecret::initTestCase()
{
    // The service: answers 200 only when X-Key is a key it accepts.
    m_server.route(QStringLiteral("/check"), [this](const QHttpServerRequest &request) {
        const QByteArray key = request.value("X-Key");
        m_seen << key;
        if (m_accept && m_accept(key))
            return QHttpServerResponse(QByteArray(R"({"status":"ok"})"), QHttpServerResponder::StatusCode::Ok);
        return QHttpServerResponse(QByteArray(R"({"error":"bad key"})"), QHttpServerResponder::StatusCode::Unauthorized);
    });
    m_port = m_server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(m_port != 0);
}

void TestRotateSecret::init()
{
    m_seen.clear();
    m_store.removeBlocking(kName);
    m_store.removeBlocking(RotateSecretTask::previousName(kName));
    QVERIFY(m_store.writeBlocking(kName, kOld).ok());
}

Run TestRotateSecret::rotate(bool dryRun)
{
    CheckConfig check;
    check.name = QStringLiteral("health");
    check.kind = CheckKind::Http;
    check.http.url = QStringLiteral("http://127.0.0.1:%1/check").arg(m_port);
    check.http.headers = {{QStringLiteral("X-Key"), QStringLiteral("${secret:gw-key}")}};
    check.timeoutMs = 5000;
    ConditionSpec status;
    status.condition = std::get<Condition>(ConditionParser::parse(u"[STATUS] == 200"));
    check.conditions << status;

    ActionTask::Context context;
    context.service = QStringLiteral("gateway");
    context.action.name = QStringLiteral("rotate-gw-key");
    context.action.kind = ActionKind::Builtin;
    context.action.builtin = BuiltinKind::RotateSecret;
    context.action.secret = kName;
    context.action.secretBytes = 32;
    context.action.verifyCheck = check.name;
    context.action.verifyCheckConfig = check;
    context.secrets = &m_store;
    context.dryRun = dryRun;
    Run run;
    std::unique_ptr<ActionTask> task(createBuiltinTask(context, nullptr));
    if (!task)
        return run;
    connect(task.get(), &ActionTask::output, this, [&](const QByteArray &chunk) { run.output += QString::fromUtf8(chunk); });
    connect(task.get(), &ActionTask::finished, this, [&](const ActionOutcome &o) {
        run.outcome = o;
        ++run.finished;
    });
    task->start();
    QDeadlineTimer deadline(60'000);
    while (run.finished == 0 && !deadline.hasExpired())
        QTest::qWait(5);
    QTest::qWait(20); // a second finished() would arrive here
    return run;
}

void TestRotateSecret::verifiedRotationKeepsPreviousUntilConfirmed()
{
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
    m_accept = [](const QByteArray &key) { return hex64.match(QString::fromLatin1(key)).hasMatch(); };
    const Run run = rotate();
    QCOMPARE(run.finished, 1);
    QVERIFY2(run.outcome.status == ActionOutcome::Status::Succeeded, qPrintable(run.outcome.summary + u'\n' + run.output));
    const QString key = read(kName);
    QVERIFY(hex64.match(key).hasMatch());
    QVERIFY(key != kOld);
    QCOMPARE(read(RotateSecretTask::previousName(kName)), kOld);
    // The check ran with the new key, read from the keychain.
    QCOMPARE(m_seen, QList<QByteArray>{key.toLatin1()});
    // No value anywhere in what the operator sees.
    for (const QString &text : {run.outcome.summary, run.output}) {
        QVERIFY(!text.contains(key));
        QVERIFY(!text.contains(kOld));
    }
    QVERIFY(run.outcome.summary.contains(QStringLiteral("opsdeckctl secret confirm gw-key")));

    // A second rotation before confirming would lose the old key: refused, nothing changed.
    const Run again = rotate();
    QCOMPARE(again.outcome.status, ActionOutcome::Status::Failed);
    QVERIFY2(again.outcome.summary.contains(QStringLiteral("not confirmed yet")), qPrintable(again.outcome.summary));
    QCOMPARE(read(kName), key);
    QCOMPARE(read(RotateSecretTask::previousName(kName)), kOld);

    const CtlRun confirm = runCtl({QStringLiteral("secret"), QStringLiteral("confirm"), kName});
    QVERIFY2(confirm.exitCode == 0, qPrintable(confirm.err));
    QVERIFY(confirm.out.contains(QStringLiteral("confirmed the new key of `gw-key`")));
    QCOMPARE(status(RotateSecretTask::previousName(kName)), SecretStore::Status::NotSet);
    QCOMPARE(read(kName), key);
    const CtlRun nothing = runCtl({QStringLiteral("secret"), QStringLiteral("confirm"), kName});
    QCOMPARE(nothing.exitCode, 1);
    QVERIFY(nothing.err.contains(QStringLiteral("no rotation of `gw-key` is waiting")));
}

void TestRotateSecret::failingCheckRollsBack()
{
    // The service still only knows the old key: the new one is refused with 401.
    m_accept = [](const QByteArray &key) { return key == kOld.toLatin1(); };
    const Run run = rotate();
    QCOMPARE(run.finished, 1);
    QCOMPARE(run.outcome.status, ActionOutcome::Status::Failed);
    QVERIFY2(run.outcome.summary.contains(QStringLiteral("check `health` failed with the new key: [STATUS] == 200")),
             qPrintable(run.outcome.summary));
    QVERIFY(run.outcome.summary.contains(QStringLiteral("rolled back: gw-key holds its previous value again")));
    QCOMPARE(read(kName), kOld);
    QCOMPARE(status(RotateSecretTask::previousName(kName)), SecretStore::Status::NotSet);
    QCOMPARE(m_seen.size(), 1);
    QVERIFY(m_seen.first() != kOld.toLatin1()); // the new key was what was tried
    QVERIFY(!run.output.contains(QString::fromLatin1(m_seen.first())));
}

void TestRotateSecret::firstKeyRemovedWhenCheckFails()
{
    m_store.removeBlocking(kName);
    m_accept = [](const QByteArray &) { return false; };
    const Run run = rotate();
    QCOMPARE(run.outcome.status, ActionOutcome::Status::Failed);
    QVERIFY2(run.outcome.summary.contains(QStringLiteral("gw-key is not set, as before")), qPrintable(run.outcome.summary));
    QCOMPARE(status(kName), SecretStore::Status::NotSet);
    QCOMPARE(status(RotateSecretTask::previousName(kName)), SecretStore::Status::NotSet);
}

void TestRotateSecret::rollbackCommandRestoresPrevious()
{
    m_accept = [](const QByteArray &) { return true; };
    QCOMPARE(rotate().outcome.status, ActionOutcome::Status::Succeeded);
    QVERIFY(read(kName) != kOld);
    const CtlRun back = runCtl({QStringLiteral("secret"), QStringLiteral("rollback"), kName});
    QVERIFY2(back.exitCode == 0, qPrintable(back.err));
    QCOMPARE(read(kName), kOld);
    QCOMPARE(status(RotateSecretTask::previousName(kName)), SecretStore::Status::NotSet);
}

void TestRotateSecret::dryRunChangesNothing()
{
    m_accept = [](const QByteArray &) { return true; };
    const Run run = rotate(true);
    QCOMPARE(run.outcome.status, ActionOutcome::Status::Succeeded);
    QVERIFY(run.output.contains(QStringLiteral("would: generate a random key: 32 bytes")));
    QCOMPARE(read(kName), kOld);
    QCOMPARE(status(RotateSecretTask::previousName(kName)), SecretStore::Status::NotSet);
    QVERIFY(m_seen.isEmpty());
}

QTEST_GUILESS_MAIN(TestRotateSecret)
#include "tst_keyring_rotatesecret.moc"
