#include "actionparams.h"
#include "actionrunner.h"
#include "auditlog.h"
#include "clock.h"
#include "configloader.h"
#include "historystore.h"
#include "incidentmanager.h"
#include "incidentstore.h"
#include "maintenanceschedule.h"
#include "notifyreceiver.h"
#include "opsdatabase.h"
#include "rawhttpserver.h"
#include "tlsfixture.h"
#include "testdatabase.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QScopeGuard>
#include <QSysInfo>
#include <QtTest>

#include <memory>

// The action runner with real processes, a real HTTP server and a real store (SQLite, and
// PostgreSQL when OPSDECK_TEST_PG_URL is set): parameters, injection attempts, timeouts that end
// whole process groups, output caps, locks (also held by a process that died), run records, audit
// records and incident timelines.
namespace {

// Gone, or a zombie nobody has reaped yet: either way it runs no more.
bool processGone(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close < 0 || text.mid(close + 2, 1) == "Z";
}

class Rig
{
public:
    explicit Rig(const QString &backend)
        : db(backend)
    {
        receiver.listen();
    }

    bool open()
    {
        if (db.unavailable() || !db.error().isEmpty())
            return false;
        QFile file(QStringLiteral(OPSDECK_SOURCE_DIR "/tests/data/actions/runner.yaml"));
        if (!file.open(QIODevice::ReadOnly)) {
            m_error = file.errorString();
            return false;
        }
        QByteArray yaml = file.readAll();
        yaml.replace("@DIR@", dir.path().toUtf8());
        yaml.replace("@URL@", receiver.url(QString()).toUtf8());
        yaml.replace("@TLS@", tls.url(QString()).toUtf8());
        yaml.replace("@CA@", TlsFixture::instance().caFile().toUtf8());
        yaml.replace("@STORE@", "sqlite");
        const ConfigLoader::Result r = ConfigLoader::loadText(yaml, dir.filePath(QStringLiteral("opsdeck.yaml")));
        if (!r.ok()) {
            for (const ConfigIssue &i : r.issues)
                m_error += i.toString() + u'\n';
            return false;
        }
        config = *r.config;
        RetentionPolicy keep;
        keep.autoIntervalMs = 0;
        history.setRetention(keep);
        if (!history.open(db.location(), &m_error) || !ops.open(db.location(), &m_error))
            return false;
        audit = std::make_unique<AuditLog>(&ops);
        incidentStore = std::make_unique<IncidentStore>(&ops);
        maintenance = std::make_unique<MaintenanceSchedule>(&ops);
        incidents = std::make_unique<IncidentManager>(incidentStore.get(), audit.get(), maintenance.get(), SystemClock::instance());
        incidents->setConfig(config);
        runner = makeRunner();
        return true;
    }
    std::unique_ptr<ActionRunner> makeRunner()
    {
        auto r = std::make_unique<ActionRunner>(&ops, nullptr, nullptr, audit.get(), incidents.get());
        r->setConfig(config);
        return r;
    }
    QString error() const { return m_error.isEmpty() ? db.error() : m_error; }

    ActionRunner::Request request(const QString &action, const QHash<QString, QString> &params = {}) const
    {
        ActionRunner::Request r;
        r.service = QStringLiteral("api");
        r.action = action;
        r.params = params;
        r.actor = QStringLiteral("tester");
        return r;
    }

    // Runs to the end; the finished run, or nothing when it was refused (*refusal says why).
    std::optional<ActionRun> run(const ActionRunner::Request &request, QString *error = nullptr,
                                 ActionRunner::Refusal *refusal = nullptr, int timeoutMs = 30'000)
    {
        QSignalSpy finished(runner.get(), &ActionRunner::runFinished);
        QString why;
        ActionRunner::Refusal kind = ActionRunner::Refusal::None;
        const qint64 id = runner->run(request, &why, &kind);
        if (error)
            *error = why;
        if (refusal)
            *refusal = kind;
        if (id == 0)
            return std::nullopt;
        for (int waited = 0; waited < timeoutMs; waited += 50) {
            for (const QList<QVariant> &args : finished)
                if (args.first().value<ActionRun>().id == id)
                    return args.first().value<ActionRun>();
            finished.wait(50);
        }
        qWarning("run %lld did not finish within %d ms", id, timeoutMs);
        return std::nullopt;
    }

    QTemporaryDir dir;
    NotifyReceiver receiver;
    RawHttpServer tls{TlsFixture::instance().validCert(), TlsFixture::instance().keyFile()};
    TestDatabase db;
    Config config;
    HistoryStore history;
    OpsDatabase ops;
    std::unique_ptr<AuditLog> audit;
    std::unique_ptr<IncidentStore> incidentStore;
    std::unique_ptr<MaintenanceSchedule> maintenance;
    std::unique_ptr<IncidentManager> incidents;
    std::unique_ptr<ActionRunner> runner;

private:
    QString m_error;
};

#define OPEN_RIG(rig)                                                                                                  \
    Rig rig(backend);                                                                                                  \
    if (rig.db.unavailable())                                                                                          \
        QSKIP("PostgreSQL: OPSDECK_TEST_PG_URL is not set");                                                           \
    QVERIFY2(rig.open(), qPrintable(rig.error()))

void backends()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
}

} // namespace

class TestActions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qRegisterMetaType<ActionRun>();
    }

    // --- parameters -------------------------------------------------------------------------

    void placeholders()
    {
        using ActionParams::expand;
        const QHash<QString, QString> p{{QStringLiteral("job_id"), QStringLiteral("a b/../c?d&e#f")}, {QStringLiteral("x"), QStringLiteral("..")}};
        // In URLs every reserved character is data.
        QCOMPARE(expand(u"https://h/api/job/{job_id}/retry?n={x}", p, nullptr, ActionParams::Insert::UrlEncoded),
                 QStringLiteral("https://h/api/job/a%20b%2F..%2Fc%3Fd%26e%23f/retry?n=.."));
        // Elsewhere literal, inside the one text; secrets stay references without their values.
        QCOMPARE(expand(u"{x}-${secret:key}-{unknown}", p, nullptr), QStringLiteral("..-${secret:key}-{unknown}"));
        const QHash<QString, QString> secrets{{QStringLiteral("key"), QStringLiteral("s3cret")}};
        QCOMPARE(expand(u"{x}-${secret:key}", p, &secrets), QStringLiteral("..-s3cret"));
        // A value that looks like a reference is data, never expanded.
        const QHash<QString, QString> sneaky{{QStringLiteral("x"), QStringLiteral("${secret:key}")}};
        QCOMPARE(expand(u"v={x}", sneaky, &secrets), QStringLiteral("v=${secret:key}"));
        // JSON braces and shell ${VAR} are not placeholders.
        QCOMPARE(ActionParams::placeholders(u"{\"a\": 1} ${HOME} {job_id} {job_id} {x}"), QStringList({"job_id", "x"}));
    }

    void validation_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QStringList>("params");
        QTest::addColumn<QString>("error"); // empty: accepted
        QTest::newRow("pattern ok") << "strict" << QStringList{"job_id=abc-123"} << QString();
        QTest::newRow("pattern anchored") << "strict" << QStringList{"job_id=abc-123 x"}
                                          << "parameter `job_id`: `abc-123 x` does not match the pattern ^[A-Za-z0-9-]{1,64}$";
        QTest::newRow("rm -rf") << "strict" << QStringList{"job_id=; rm -rf /"} << "parameter `job_id`: `; rm -rf /` does not match";
        QTest::newRow("command substitution") << "strict" << QStringList{"job_id=$(id)"} << "parameter `job_id`: `$(id)` does not match";
        QTest::newRow("path climbing") << "strict" << QStringList{"job_id=../../etc/passwd"} << "parameter `job_id`: `../../etc/passwd` does not match";
        QTest::newRow("newline") << "strict" << QStringList{"job_id=abc\nrm"} << "parameter `job_id`:";
        QTest::newRow("NUL without a pattern") << "echo" << QStringList{QStringLiteral("value=a") + QChar(0) + u'b'}
                                               << "parameter `value`: the value contains a NUL character";
        QTest::newRow("required") << "strict" << QStringList{} << "parameter `job_id` is required: text matching ^[A-Za-z0-9-]{1,64}$";
        QTest::newRow("unknown") << "strict" << QStringList{"job_id=a", "jobid=b"} << "no parameter `jobid` in `strict` (its parameters: job_id)";
        QTest::newRow("integer default") << "count" << QStringList{"env=staging"} << QString();
        QTest::newRow("integer range") << "count" << QStringList{"n=11", "env=staging"} << "parameter `n`: 11 is out of range: expected a whole number from 1 to 10";
        QTest::newRow("integer text") << "count" << QStringList{"n=3; id", "env=staging"} << "parameter `n`: `3; id` is not a whole number";
        QTest::newRow("integer plus") << "count" << QStringList{"n=+3", "env=staging"} << "parameter `n`: `+3` is not a whole number";
        QTest::newRow("choice") << "count" << QStringList{"env=prod"} << "parameter `env`: `prod` is not one of staging, production";
        QTest::newRow("dots in a URL") << "retry" << QStringList{"job_id=.."}
                                       << "parameter `job_id`: `..` cannot go into the URL: a path segment of dots climbs";
        QTest::newRow("header line break") << "retry" << QStringList{"job_id=1\r\nX-Evil: 1"}
                                           << "parameter `job_id`: a line break cannot go into the header `X-Job`";
    }

    void validation()
    {
        QFETCH(QString, action);
        QFETCH(QStringList, params);
        QFETCH(QString, error);
        Rig rig(QStringLiteral("sqlite"));
        QVERIFY2(rig.open(), qPrintable(rig.error()));
        QHash<QString, QString> values;
        for (const QString &kv : params)
            values.insert(kv.section(u'=', 0, 0), kv.section(u'=', 1));
        QString why;
        ActionRunner::Refusal refusal = ActionRunner::Refusal::None;
        const auto prepared = rig.runner->prepare(rig.request(action, values), &why, &refusal);
        if (error.isEmpty()) {
            QVERIFY2(prepared, qPrintable(why));
            return;
        }
        QVERIFY(!prepared);
        QCOMPARE(refusal, ActionRunner::Refusal::InvalidParams);
        QVERIFY2(why.startsWith(error), qPrintable(why));
        // run() refuses the same way, records no run, and audits the attempt.
        const auto run = rig.run(rig.request(action, values), &why, &refusal);
        QVERIFY(!run);
        QCOMPARE(refusal, ActionRunner::Refusal::InvalidParams);
        QCOMPARE(rig.db.count(QStringLiteral("SELECT COUNT(*) FROM action_runs")), 0);
        const QList<AuditLog::Record> records = rig.audit->records();
        QCOMPARE(records.size(), 1);
        QCOMPARE(records.first().action, QStringLiteral("action.refused"));
        QVERIFY(records.first().details.value(u"why").toString().startsWith(error));
    }

    // Without a pattern, what looks like an attack is one inert argv element: printed back as is.
    void injectionIsInertData_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("rm -rf") << QStringLiteral("; rm -rf / ; touch pwned");
        QTest::newRow("command substitution") << QStringLiteral("$(touch pwned)`touch pwned`");
        QTest::newRow("path climbing") << QStringLiteral("../../../etc/passwd");
        QTest::newRow("newline") << QStringLiteral("first\nsecond; touch pwned");
        QTest::newRow("quotes") << QStringLiteral("'\"; touch pwned; echo \"'");
        QTest::newRow("option") << QStringLiteral("--help");
    }

    void injectionIsInertData()
    {
        QFETCH(QString, value);
        Rig rig(QStringLiteral("sqlite"));
        QVERIFY2(rig.open(), qPrintable(rig.error()));
        // Whatever an injected `touch pwned` would create lands in the program's working dir.
        const QString before = QDir::currentPath();
        QDir::setCurrent(rig.dir.path());
        const auto restore = qScopeGuard([&] { QDir::setCurrent(before); });
        const auto run = rig.run(rig.request(QStringLiteral("echo"), {{QStringLiteral("value"), value}}));
        QVERIFY(run);
        QCOMPARE(run->status, QStringLiteral("succeeded"));
        QCOMPARE(QString::fromUtf8(run->output), value + u'\n');
        QVERIFY(!QFile::exists(rig.dir.filePath(QStringLiteral("pwned"))));
        QVERIFY(!QFile::exists(QStringLiteral("/pwned")));
        // The preview shows the one element quoted exactly, never split.
        QCOMPARE(run->preview.first().count(u' '), 3 + value.count(u' '));
        // A shell script gets the value through its environment only: still inert.
        const auto script = rig.run(rig.request(QStringLiteral("script"), {{QStringLiteral("word"), value}}));
        QVERIFY(script);
        QCOMPARE(script->status, QStringLiteral("succeeded"));
        QCOMPARE(QString::fromUtf8(script->output), value + QStringLiteral("|\n"));
        QVERIFY(!QFile::exists(rig.dir.filePath(QStringLiteral("pwned"))));
    }

    void previewIsExact()
    {
        Rig rig(QStringLiteral("sqlite"));
        QVERIFY2(rig.open(), qPrintable(rig.error()));
        QString why;
        const auto p = rig.runner->prepare(rig.request(QStringLiteral("in-dir"), {{QStringLiteral("who"), QStringLiteral("world")}}), &why);
        QVERIFY2(p, qPrintable(why));
        QCOMPARE(p->preview.at(0), QStringLiteral("run: pwd"));
        QCOMPARE(p->preview.at(1), QStringLiteral("in: ") + rig.dir.path());
        QCOMPARE(p->preview.at(2), QStringLiteral("env: GREETING='hello world'"));
        QVERIFY(p->preview.at(3).startsWith(u"timeout: 5m"));
        const auto e = rig.runner->prepare(rig.request(QStringLiteral("echo"), {{QStringLiteral("value"), QStringLiteral("a'b\nc")}}), &why);
        QCOMPARE(e->preview.at(0), QStringLiteral("run: printf '%s\\n' $'a\\'b\\nc'"));
        const auto h = rig.runner->prepare(rig.request(QStringLiteral("retry"), {{QStringLiteral("job_id"), QStringLiteral("j 1")}}), &why);
        QVERIFY2(h, qPrintable(why));
        QCOMPARE(h->preview.at(0), QStringLiteral("POST %1/api/job/j%201/retry?note=a%26b%3Dc").arg(rig.receiver.url(QString())));
        QVERIFY(h->preview.contains(QStringLiteral("header: X-Job: j 1")));
        QVERIFY(h->preview.contains(QStringLiteral("body: {\"job\": \"j 1\"}")));
        QVERIFY(!h->needsConfirmation);
        QVERIFY(rig.runner->prepare(rig.request(QStringLiteral("dangerous")), &why)->needsConfirmation);
        // Unknown names.
        ActionRunner::Refusal refusal = ActionRunner::Refusal::None;
        QVERIFY(!rig.runner->prepare(rig.request(QStringLiteral("nope")), &why, &refusal));
        QCOMPARE(refusal, ActionRunner::Refusal::UnknownAction);
        QVERIFY(why.startsWith(u"no action `nope` in service `api` (its actions: echo, strict,"));
    }

    // --- processes --------------------------------------------------------------------------

    void commandResults()
    {
        Rig rig(QStringLiteral("sqlite"));
        QVERIFY2(rig.open(), qPrintable(rig.error()));
        const auto failing = rig.run(rig.request(QStringLiteral("failing")));
        QVERIFY(failing);
        QCOMPARE(failing->status, QStringLiteral("failed"));
        QCOMPARE(failing->exitCode, 3);
        QCOMPARE(failing->summary, QStringLiteral("exit code 3 — oops"));
        QVERIFY(failing->output.contains("starting\n"));
        const auto missing = rig.run(rig.request(QStringLiteral("missing-program")));
        QCOMPARE(missing->status, QStringLiteral("failed"));
        QVERIFY2(missing->summary.startsWith(u"could not start `/nonexistent/opsdeck-no-such-program`"), qPrintable(missing->summary));
        const auto env = rig.run(rig.request(QStringLiteral("env"), {{QStringLiteral("who"), QStringLiteral("world")}}));
        QCOMPARE(env->status, QStringLiteral("succeeded"));
        QCOMPARE(env->output, QByteArray("hello world\n"));
        const auto dir = rig.run(rig.request(QStringLiteral("in-dir"), {{QStringLiteral("who"), QStringLiteral("x")}}));
        QCOMPARE(dir->output.trimmed(), QFileInfo(rig.dir.path()).canonicalFilePath().toUtf8());
    }

    void timeoutEndsTheProcessGroup()
    {
        Rig rig(QStringLiteral("sqlite"));
        QVERIFY2(rig.open(), qPrintable(rig.error()));
        const auto hang = rig.run(rig.request(QStringLiteral("hang")));
        QVERIFY(hang);
        QCOMPARE(hang->status, QStringLiteral("timeout"));
        QVERIFY2(hang->summary.startsWith(u"timed out after 300ms: the whole process group was ended (TERM, then KILL)"), qPrintable(hang->summary));
    }

    // Children that ignore TERM (and a grandchild) are gone after the KILL to their group.
    void childrenIgnoringTermAreKilled()
    {
        Rig rig(QStringLiteral("sqlite"));
        QVERIFY2(rig.open(), qPrintable(rig.error()));
        const auto run = rig.run(rig.request(QStringLiteral("stubborn")));
        QVERIFY(run);
        QCOMPARE(run->status, QStringLiteral("timeout"));
        QList<qint64> pids;
        for (const QByteArray &line : run->output.split('\n'))
            if (!line.trimmed().isEmpty())
                pids << line.trimmed().toLongLong();
        QCOMPARE(pids.size(), 4);
        for (qint64 pid : pids) {
            QVERIFY(pid > 1);
            // KILL was sent to the group when the run ended; give the kernel a moment to deliver it.
            QTRY_VERIFY2_WITH_TIMEOUT(processGone(pid), qPrintable(QStringLiteral("pid %1 is still running").arg(pid)), 5'000);
        }
    }

    // Megabytes of output: the program is never blocked, the kept part is capped, all is counted.
    void outputIsCappedAndCounted()
    {
        Rig rig(QStringLiteral("sqlite"));
        QVERIFY2(rig.open(), qPrintable(rig.error()));
        QSignalSpy streamed(rig.runner.get(), &ActionRunner::runOutput);
        const auto run = rig.run(rig.request(QStringLiteral("chatty")));
        QVERIFY(run);
        QCOMPARE(run->status, QStringLiteral("succeeded"));
        QCOMPARE(run->output.size(), 64 * 1024);
        QCOMPARE(run->outputBytes, 3'000'000 + 1 + 5);
        qint64 streamedBytes = 0;
        for (const QList<QVariant> &args : streamed)
            streamedBytes += args.at(1).toByteArray().size();
        QCOMPARE(streamedBytes, 64 * 1024);
        QVERIFY2(run->summary.contains(u"output capped: 65536 of 3000006 bytes kept"), qPrintable(run->summary));
        const auto stored = rig.runner->get(run->id);
        QCOMPARE(stored->output.size(), 64 * 1024);
        QCOMPARE(stored->outputBytes, 3'000'006);
    }

    void cancel()
    {
        Rig rig(QStringLiteral("sqlite"));
        QVERIFY2(rig.open(), qPrintable(rig.error()));
        QSignalSpy finished(rig.runner.get(), &ActionRunner::runFinished);
        QString why;
        const qint64 id = rig.runner->run(rig.request(QStringLiteral("slow"), {{QStringLiteral("seconds"), QStringLiteral("30")}}), &why);
        QVERIFY2(id > 0, qPrintable(why));
        QSignalSpy output(rig.runner.get(), &ActionRunner::runOutput);
        QVERIFY(output.wait(10'000)); // its pid: it is running
        const qint64 pid = output.first().at(1).toByteArray().trimmed().toLongLong();
        rig.runner->cancel(id);
        QVERIFY(finished.wait(10'000));
        const ActionRun run = finished.first().first().value<ActionRun>();
        QCOMPARE(run.status, QStringLiteral("cancelled"));
        QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), 5'000);
    }

    // --- HTTP -------------------------------------------------------------------------------

    void httpRequest()
    {
        Rig rig(QStringLiteral("sqlite"));
        QVERIFY2(rig.open(), qPrintable(rig.error()));
        rig.receiver.enqueue(NotifyReceiver::status(202, "Accepted", "{\"retried\": true}"));
        const auto run = rig.run(rig.request(QStringLiteral("retry"), {{QStringLiteral("job_id"), QStringLiteral("a b/../c?d")}}));
        QVERIFY(run);
        QCOMPARE(run->status, QStringLiteral("succeeded"));
        QCOMPARE(run->exitCode, 202);
        QCOMPARE(run->summary, QStringLiteral("HTTP 202 Accepted — {\"retried\": true}"));
        QCOMPARE(run->output, QByteArray("HTTP 202 Accepted\n{\"retried\": true}"));
        QCOMPARE(rig.receiver.count(), 1);
        const NotifyReceiver::Request &r = rig.receiver.requests().first();
        QCOMPARE(r.method, QByteArray("POST"));
        // The value is data in the path and the query: it climbs nowhere and adds no parameter.
        QCOMPARE(r.path, QByteArray("/api/job/a%20b%2F..%2Fc%3Fd/retry?note=a%26b%3Dc"));
        QCOMPARE(r.header("X-Job"), QByteArray("a b/../c?d"));
        QCOMPARE(r.body, QByteArray("{\"job\": \"a b/../c?d\"}"));
    }

    void httpStatuses()
    {
        Rig rig(QStringLiteral("sqlite"));
        QVERIFY2(rig.open(), qPrintable(rig.error()));
        rig.receiver.enqueue(NotifyReceiver::status(500, "Internal Server Error", "boom"));
        const auto fail = rig.run(rig.request(QStringLiteral("http-fail")));
        QCOMPARE(fail->status, QStringLiteral("failed"));
        QCOMPARE(fail->exitCode, 500);
        QVERIFY2(fail->summary.startsWith(u"HTTP 500 Internal Server Error (expected a 2xx status)"), qPrintable(fail->summary));
        rig.receiver.enqueue(NotifyReceiver::status(404, "Not Found"));
        const auto accepted = rig.run(rig.request(QStringLiteral("http-accept")));
        QCOMPARE(accepted->status, QStringLiteral("succeeded"));
        QCOMPARE(rig.receiver.requests().last().method, QByteArray("DELETE"));
        NotifyReceiver::Response hang;
        hang.hang = true;
        rig.receiver.enqueue(hang);
        const auto timeout = rig.run(rig.request(QStringLiteral("http-hang")));
        QCOMPARE(timeout->status, QStringLiteral("timeout"));
        QVERIFY2(timeout->summary.startsWith(u"timed out after 300ms"), qPrintable(timeout->summary));
    }

    // The same TLS options as checks: `ca_file` trusts a private CA, `insecure` verifies nothing,
    // and without either an untrusted certificate fails the run.
    void httpsTrust()
    {
        QVERIFY2(TlsFixture::instance().ok(), qPrintable(TlsFixture::instance().error()));
        Rig rig(QStringLiteral("sqlite"));
        QVERIFY2(rig.open(), qPrintable(rig.error()));
        const auto trusted = rig.run(rig.request(QStringLiteral("tls-trusted")));
        QVERIFY(trusted);
        QCOMPARE(trusted->status, QStringLiteral("succeeded"));
        QCOMPARE(trusted->output, QByteArray("HTTP 200 OK\n{\"status\":\"ok\"}"));
        QVERIFY(trusted->preview.contains(QStringLiteral("tls: also trusting ") + TlsFixture::instance().caFile()));
        const auto untrusted = rig.run(rig.request(QStringLiteral("tls-untrusted")));
        QCOMPARE(untrusted->status, QStringLiteral("failed"));
        QVERIFY2(untrusted->summary.contains(u"certificate", Qt::CaseInsensitive), qPrintable(untrusted->summary));
        const auto insecure = rig.run(rig.request(QStringLiteral("tls-insecure")));
        QCOMPARE(insecure->status, QStringLiteral("succeeded"));
        QVERIFY(insecure->preview.contains(QStringLiteral("tls: certificate verification is OFF (insecure: true)")));
        QCOMPARE(rig.tls.hits(QStringLiteral("/ok")), 2);
    }

    // --- the store --------------------------------------------------------------------------

    void recordsAuditAndTimeline_data() { backends(); }
    void recordsAuditAndTimeline()
    {
        QFETCH(QString, backend);
        OPEN_RIG(rig);
        QString why;
        const auto incident = rig.incidents->openByHand(QStringLiteral("api"), QStringLiteral("API is down"), QStringLiteral("P1"),
                                                       QStringLiteral("tester"), &why);
        QVERIFY2(incident, qPrintable(why));
        const auto run = rig.run(rig.request(QStringLiteral("failing")));
        QVERIFY(run);
        QCOMPARE(run->incidentId, incident->id);
        const auto stored = rig.runner->get(run->id);
        QVERIFY(stored);
        QCOMPARE(stored->status, QStringLiteral("failed"));
        QCOMPARE(stored->exitCode, 3);
        QCOMPARE(stored->kind, QStringLiteral("command"));
        QCOMPARE(stored->actor, QStringLiteral("tester"));
        QCOMPARE(stored->incidentId, incident->id);
        QVERIFY(stored->finishedAtMs >= stored->startedAtMs);
        QCOMPARE(stored->preview, run->preview);
        QVERIFY(stored->output.contains("oops"));
        QCOMPARE(rig.db.count(QStringLiteral("SELECT COUNT(*) FROM action_locks")), 0);
        // The incident's timeline has the run and its result.
        const auto withTimeline = rig.incidentStore->get(incident->id);
        const IncidentEvent &event = withTimeline->timeline.last();
        QCOMPARE(event.kind, QStringLiteral("action"));
        QCOMPARE(event.actor, QStringLiteral("tester"));
        QVERIFY2(event.text.startsWith(u"`failing` failed in "), qPrintable(event.text));
        QVERIFY2(event.text.contains(QStringLiteral("exit code 3 — oops (run #%1)").arg(run->id)), qPrintable(event.text));
        // The audit record, in an intact chain.
        const QList<AuditLog::Record> records = rig.audit->records();
        const AuditLog::Record &last = records.last();
        QCOMPARE(last.action, QStringLiteral("action.run"));
        QCOMPARE(last.actor, QStringLiteral("tester"));
        QCOMPARE(last.details.value(u"service").toString(), QStringLiteral("api"));
        QCOMPARE(last.details.value(u"action").toString(), QStringLiteral("failing"));
        QCOMPARE(last.details.value(u"status").toString(), QStringLiteral("failed"));
        QCOMPARE(last.details.value(u"run_id").toInteger(), run->id);
        QVERIFY(rig.audit->verify().isEmpty());
        // Parameters are stored with the run and audited.
        const auto echo = rig.run(rig.request(QStringLiteral("count"), {{QStringLiteral("env"), QStringLiteral("staging")}}));
        QCOMPARE(echo->output, QByteArray("3\nstaging\n"));
        QCOMPARE(rig.runner->get(echo->id)->params.value(QStringLiteral("n")), QStringLiteral("3"));
        QCOMPARE(rig.audit->records().last().details.value(u"params").toObject().value(u"env").toString(), QStringLiteral("staging"));
        // History: newest first, filtered.
        const QList<ActionRun> all = rig.runner->history(QString(), QString(), 10);
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.first().id, echo->id);
        QCOMPARE(rig.runner->history(QStringLiteral("api"), QStringLiteral("failing"), 10).size(), 1);
    }

    void dryRunRunsNothing_data() { backends(); }
    void dryRunRunsNothing()
    {
        QFETCH(QString, backend);
        OPEN_RIG(rig);
        auto request = rig.request(QStringLiteral("touch"));
        request.dryRun = true;
        const auto run = rig.run(request);
        QVERIFY(run);
        QVERIFY(run->dryRun);
        QCOMPARE(run->status, QStringLiteral("succeeded"));
        QCOMPARE(run->summary, QStringLiteral("dry run: nothing was run"));
        QVERIFY(!QFile::exists(rig.dir.filePath(QStringLiteral("touched"))));
        QCOMPARE(rig.db.count(QStringLiteral("SELECT dry_run FROM action_runs")), 1);
        // Confirmation: a dry run needs none, a real run does.
        auto dangerous = rig.request(QStringLiteral("dangerous"));
        dangerous.dryRun = true;
        QVERIFY(rig.run(dangerous));
        dangerous.dryRun = false;
        QString why;
        ActionRunner::Refusal refusal = ActionRunner::Refusal::None;
        QVERIFY(!rig.run(dangerous, &why, &refusal));
        QCOMPARE(refusal, ActionRunner::Refusal::NeedsConfirmation);
        QVERIFY(why.contains(u"needs explicit confirmation"));
        dangerous.confirmed = true;
        QCOMPARE(rig.run(dangerous)->status, QStringLiteral("succeeded"));
        // And the real thing touches.
        QCOMPARE(rig.run(rig.request(QStringLiteral("touch")))->status, QStringLiteral("succeeded"));
        QVERIFY(QFile::exists(rig.dir.filePath(QStringLiteral("touched"))));
    }

    void oneRunAtATime_data() { backends(); }
    void oneRunAtATime()
    {
        QFETCH(QString, backend);
        OPEN_RIG(rig);
        QSignalSpy finished(rig.runner.get(), &ActionRunner::runFinished);
        QString why;
        const auto slow = rig.request(QStringLiteral("slow"), {{QStringLiteral("seconds"), QStringLiteral("30")}});
        const qint64 first = rig.runner->run(slow, &why);
        QVERIFY2(first > 0, qPrintable(why));
        QVERIFY(rig.runner->isRunning(QStringLiteral("api"), QStringLiteral("slow")));
        QCOMPARE(rig.db.count(QStringLiteral("SELECT COUNT(*) FROM action_locks")), 1);
        ActionRunner::Refusal refusal = ActionRunner::Refusal::None;
        QCOMPARE(rig.runner->run(slow, &why, &refusal), 0);
        QCOMPARE(refusal, ActionRunner::Refusal::AlreadyRunning);
        QVERIFY2(why.startsWith(QStringLiteral("`api/slow` is already running in this program: run #%1 by tester").arg(first)), qPrintable(why));
        // A second runner on the same store sees the live holder (this program, its lease fresh)
        // and is refused too.
        OpsDatabase other;
        QVERIFY(other.open(rig.db.location(), &why));
        ActionRunner second(&other, nullptr, nullptr, nullptr, nullptr);
        second.setConfig(rig.config);
        QVERIFY(second.isRunning(QStringLiteral("api"), QStringLiteral("slow")));
        QCOMPARE(second.run(slow, &why, &refusal), 0);
        QCOMPARE(refusal, ActionRunner::Refusal::AlreadyRunning);
        QVERIFY2(why.startsWith(QStringLiteral("`api/slow` is already running in this program: run #%1 by tester").arg(first)), qPrintable(why));
        // Other actions are not held up.
        QCOMPARE(rig.run(rig.request(QStringLiteral("echo"), {{QStringLiteral("value"), QStringLiteral("x")}}))->status, QStringLiteral("succeeded"));
        rig.runner->cancel(first);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() && finished.last().first().value<ActionRun>().id == first, 10'000);
        QCOMPARE(rig.db.count(QStringLiteral("SELECT COUNT(*) FROM action_locks")), 0);
        QCOMPARE(rig.run(rig.request(QStringLiteral("slow"), {{QStringLiteral("seconds"), QStringLiteral("0")}}))->status, QStringLiteral("succeeded"));
    }

    // A lock whose holder died — its lease ran out on another host, or its pid is gone on this
    // one — is taken over, and the run it held becomes `interrupted`.
    void staleLocksAreTakenOver_data() { backends(); }
    void staleLocksAreTakenOver()
    {
        QFETCH(QString, backend);
        OPEN_RIG(rig);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        // A process that has ended: its pid is free.
        QProcess gone;
        gone.start(QStringLiteral("true"));
        QVERIFY(gone.waitForFinished(5'000));
        const qint64 deadPid = gone.processId() > 0 ? gone.processId() : 999'999;
        struct Holder
        {
            QString host;
            qint64 pid;
            qint64 expires;
        };
        const QList<Holder> holders = {{QStringLiteral("elsewhere.example"), 4242, now - 1'000},
                                       {QSysInfo::machineHostName(), deadPid, now + 600'000}};
        for (const Holder &h : holders) {
            QVERIFY2(rig.db.exec(QStringLiteral("DELETE FROM action_locks")).isEmpty(), "");
            QVERIFY(rig.db.exec(QStringLiteral("INSERT INTO action_runs (service, action, kind, actor, host, pid, started_at, status) "
                                               "VALUES ('api', 'slow', 'command', 'ghost', '%1', %2, %3, 'running')")
                                    .arg(h.host)
                                    .arg(h.pid)
                                    .arg(now - 5'000))
                        .isEmpty());
            const qint64 ghostRun = rig.db.count(QStringLiteral("SELECT MAX(id) FROM action_runs"));
            QVERIFY(rig.db.exec(QStringLiteral("INSERT INTO action_locks (action_key, run_id, host, pid, acquired_at, expires_at) "
                                               "VALUES ('api/slow', %1, '%2', %3, %4, %5)")
                                    .arg(ghostRun)
                                    .arg(h.host)
                                    .arg(h.pid)
                                    .arg(now - 5'000)
                                    .arg(h.expires))
                        .isEmpty());
            // Shown as interrupted before anyone sweeps.
            QCOMPARE(rig.runner->get(ghostRun)->status, QStringLiteral("interrupted"));
            QVERIFY(!rig.runner->isRunning(QStringLiteral("api"), QStringLiteral("slow")));
            const auto run = rig.run(rig.request(QStringLiteral("slow"), {{QStringLiteral("seconds"), QStringLiteral("0")}}));
            QVERIFY(run);
            QCOMPARE(run->status, QStringLiteral("succeeded"));
            QCOMPARE(rig.db.scalar(QStringLiteral("SELECT status FROM action_runs WHERE id = %1").arg(ghostRun)).toString(), QStringLiteral("interrupted"));
            QVERIFY(rig.db.scalar(QStringLiteral("SELECT summary FROM action_runs WHERE id = %1").arg(ghostRun)).toString().startsWith(u"interrupted: its program"));
        }
        // A live holder on another host is respected.
        QVERIFY(rig.db.exec(QStringLiteral("INSERT INTO action_runs (service, action, kind, actor, host, pid, started_at, status) "
                                           "VALUES ('api', 'slow', 'command', 'alice', 'elsewhere.example', 77, %1, 'running')")
                                .arg(now))
                    .isEmpty());
        const qint64 live = rig.db.count(QStringLiteral("SELECT MAX(id) FROM action_runs"));
        QVERIFY(rig.db.exec(QStringLiteral("INSERT INTO action_locks (action_key, run_id, host, pid, acquired_at, expires_at) "
                                           "VALUES ('api/slow', %1, 'elsewhere.example', 77, %2, %3)")
                                .arg(live)
                                .arg(now)
                                .arg(now + 600'000))
                    .isEmpty());
        QString why;
        ActionRunner::Refusal refusal = ActionRunner::Refusal::None;
        QVERIFY(!rig.run(rig.request(QStringLiteral("slow"), {{QStringLiteral("seconds"), QStringLiteral("0")}}), &why, &refusal));
        QCOMPARE(refusal, ActionRunner::Refusal::AlreadyRunning);
        QVERIFY2(why.startsWith(QStringLiteral("`api/slow` is already running in another program (pid 77 on elsewhere.example): run #%1 by alice").arg(live)),
                 qPrintable(why));
        QCOMPARE(rig.runner->get(live)->status, QStringLiteral("running"));
    }

    void interruptedOnStartup_data() { backends(); }
    void interruptedOnStartup()
    {
        QFETCH(QString, backend);
        OPEN_RIG(rig);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        // Left running by a program that died without a lock row, and one whose lease ran out.
        QVERIFY(rig.db.exec(QStringLiteral("INSERT INTO action_runs (service, action, kind, actor, host, pid, started_at, status) "
                                           "VALUES ('api', 'echo', 'command', 'ghost', 'x', 1, %1, 'running')").arg(now - 60'000)).isEmpty());
        QVERIFY(rig.db.exec(QStringLiteral("INSERT INTO action_runs (service, action, kind, actor, host, pid, started_at, status) "
                                           "VALUES ('api', 'hang', 'command', 'ghost', 'x', 1, %1, 'running')").arg(now - 60'000)).isEmpty());
        const qint64 leased = rig.db.count(QStringLiteral("SELECT MAX(id) FROM action_runs"));
        QVERIFY(rig.db.exec(QStringLiteral("INSERT INTO action_locks (action_key, run_id, host, pid, acquired_at, expires_at) "
                                           "VALUES ('api/hang', %1, 'x', 1, %2, %3)").arg(leased).arg(now - 60'000).arg(now - 1)).isEmpty());
        const auto fresh = rig.makeRunner(); // sweeps when made
        QCOMPARE(rig.db.count(QStringLiteral("SELECT COUNT(*) FROM action_runs WHERE status = 'interrupted'")), 2);
        QCOMPARE(rig.db.count(QStringLiteral("SELECT COUNT(*) FROM action_locks")), 0);
        QCOMPARE(fresh->sweepInterrupted(), 0);
        const QList<ActionRun> runs = fresh->history(QStringLiteral("api"), QString(), 10);
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs.first().status, QStringLiteral("interrupted"));
        QCOMPARE(rig.audit->records().last().details.value(u"status").toString(), QStringLiteral("interrupted"));
    }

    // The runner that goes away records what it was running as cancelled, group and all.
    void destroyedWhileRunning()
    {
        Rig rig(QStringLiteral("sqlite"));
        QVERIFY2(rig.open(), qPrintable(rig.error()));
        QString why;
        const qint64 id = rig.runner->run(rig.request(QStringLiteral("slow"), {{QStringLiteral("seconds"), QStringLiteral("30")}}), &why);
        QVERIFY(id > 0);
        QSignalSpy output(rig.runner.get(), &ActionRunner::runOutput);
        QVERIFY(output.wait(10'000));
        const qint64 pid = output.first().at(1).toByteArray().trimmed().toLongLong();
        rig.runner.reset();
        QTRY_VERIFY_WITH_TIMEOUT(processGone(pid), 5'000);
        QCOMPARE(rig.db.scalar(QStringLiteral("SELECT status FROM action_runs WHERE id = %1").arg(id)).toString(), QStringLiteral("cancelled"));
        QCOMPARE(rig.db.count(QStringLiteral("SELECT COUNT(*) FROM action_locks")), 0);
    }
};

QTEST_GUILESS_MAIN(TestActions)
#include "tst_actions.moc"
