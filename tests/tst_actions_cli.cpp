#include "ctlprocess.h"
#include "testdatabase.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QtTest>

#include <csignal>

// `opsdeckctl action list|run|history` as a real process on a real store: what it prints, its exit
// codes, and one run per action across two programs — also when the first was killed.
namespace {

bool processGone(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close < 0 || text.mid(close + 2, 1) == "Z";
}

QString storeUrl(const TestDatabase &db)
{
    const StoreLocation l = db.location();
    if (!db.isPostgres())
        return QStringLiteral("sqlite:") + l.path;
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(l.user, l.host).arg(l.port).arg(l.database);
}

// The config of tst_actions, pointed at this test's folder and store.
QString writeConfig(const QTemporaryDir &dir, const TestDatabase &db)
{
    QFile in(QStringLiteral(OPSDECK_SOURCE_DIR "/tests/data/actions/runner.yaml"));
    if (!in.open(QIODevice::ReadOnly))
        return {};
    QByteArray yaml = in.readAll();
    yaml.replace("@DIR@", dir.path().toUtf8());
    yaml.replace("@URL@", "http://127.0.0.1:9");
    yaml.replace("@TLS@", "https://127.0.0.1:9");
    yaml.replace("@CA@", dir.filePath(QStringLiteral("ca.pem")).toUtf8());
    yaml.replace("@STORE@", storeUrl(db).toUtf8());
    const QString path = dir.filePath(QStringLiteral("opsdeck.yaml"));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(yaml) != yaml.size())
        return {};
    return path;
}

QJsonArray jsonArray(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).array();
}

} // namespace

class TestActionsCli : public QObject
{
    Q_OBJECT

private slots:
    void exitCodes()
    {
        QTemporaryDir dir;
        TestDatabase db(QStringLiteral("sqlite"));
        const QString config = writeConfig(dir, db);
        QVERIFY(!config.isEmpty());
        auto ctl = [&](QStringList args) {
            args << QStringLiteral("--config") << config;
            return runCtl(QStringList{QStringLiteral("action")} + args);
        };

        CtlRun r = ctl({"run", "api/echo", "--param", "value=; rm -rf / $(id)", "--yes"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(u"api/echo (command) will run:\n  run: printf '%s\\n' '; rm -rf / $(id)'\n"), qPrintable(r.out));
        QVERIFY2(r.out.contains(u"\n; rm -rf / $(id)\nsucceeded: exit code 0"), qPrintable(r.out));

        // Not on a terminal and no --yes: nothing runs.
        r = ctl({"run", "touch"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"not run: stdin is not a terminal, so there is no one to confirm; pass --yes to run api/touch"), qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("touched"))));

        r = ctl({"run", "touch", "--dry-run"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"api/touch (command) would run:"), qPrintable(r.out));
        QVERIFY2(r.out.contains(u"dry run: nothing was run (recorded as run #"), qPrintable(r.out));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("touched"))));

        r = ctl({"run", "strict", "--param", "job_id=../../etc/passwd", "--yes"});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.startsWith(u"refused: parameter `job_id`: `../../etc/passwd` does not match the pattern ^[A-Za-z0-9-]{1,64}$"), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());

        r = ctl({"run", "failing", "--yes"});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(u"starting\noops\n"), qPrintable(r.out));
        QVERIFY2(r.err.contains(u"failed: exit code 3 — oops (run #"), qPrintable(r.err));

        r = ctl({"run", "hang", "--yes"});
        QCOMPARE(r.exitCode, 5);
        QVERIFY2(r.err.contains(u"timed out: timed out after 300ms: the whole process group was ended (TERM, then KILL)"), qPrintable(r.err));

        r = ctl({"run", "api/nope", "--yes"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"no action `nope` in service `api`"), qPrintable(r.err));
        r = ctl({"run", "nope", "--yes"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(u"no action `nope` (actions: api/echo, api/strict"), qPrintable(r.err));
        r = ctl({"run", "echo", "--param", "value=a", "--param", "value=b", "--yes"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--param `value` is given twice"), qPrintable(r.err));
        r = ctl({"run", "echo", "--param", "value", "--yes"});
        QCOMPARE(r.exitCode, 2);

        // list: every action with its parameters.
        r = ctl({"list", "--format", "json"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray actions = jsonArray(r.out);
        QVERIFY(actions.size() >= 10);
        QJsonObject strict;
        for (const QJsonValue &v : actions)
            if (v.toObject().value(u"name").toString() == u"strict")
                strict = v.toObject();
        QCOMPARE(strict.value(u"service").toString(), QStringLiteral("api"));
        QCOMPARE(strict.value(u"kind").toString(), QStringLiteral("command"));
        const QJsonObject param = strict.value(u"params").toArray().first().toObject();
        QCOMPARE(param.value(u"name").toString(), QStringLiteral("job_id"));
        QCOMPARE(param.value(u"pattern").toString(), QStringLiteral("^[A-Za-z0-9-]{1,64}$"));
        QVERIFY(param.value(u"required").toBool());
        r = ctl({"list"});
        QVERIFY2(r.out.contains(u"      --param job_id=<text matching ^[A-Za-z0-9-]{1,64}$>"), qPrintable(r.out));

        // history: newest first, with the statuses above; refusals ran nothing and are not runs.
        r = ctl({"history", "--format", "json", "--limit", "50"});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray runs = jsonArray(r.out);
        QStringList statuses;
        for (const QJsonValue &v : runs)
            statuses << (v.toObject().value(u"dry_run").toBool() ? QStringLiteral("dry-run") : v.toObject().value(u"status").toString());
        QCOMPARE(statuses, QStringList({"timeout", "failed", "dry-run", "succeeded"}));
        QCOMPARE(runs.first().toObject().value(u"action").toString(), QStringLiteral("hang"));
        QCOMPARE(runs.last().toObject().value(u"params").toObject().value(u"value").toString(), QStringLiteral("; rm -rf / $(id)"));
        r = ctl({"history", "api/failing"});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.count(u'\n'), 1);
        QVERIFY2(r.out.contains(u"api/failing") && r.out.contains(u"failed") && r.out.contains(u"exit code 3 — oops"), qPrintable(r.out));
    }

    // On a terminal the CLI asks; `y` runs it, anything else does not. `script` gives it a pty.
    void confirmOnTerminal()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("script")).isEmpty())
            QSKIP("`script` (util-linux) is needed for a terminal");
        QTemporaryDir dir;
        TestDatabase db(QStringLiteral("sqlite"));
        const QString config = writeConfig(dir, db);
        QVERIFY(!config.isEmpty());
        auto onTerminal = [&](const QByteArray &answer) {
            QProcess p;
            p.start(QStringLiteral("script"), {QStringLiteral("-qec"),
                                               QStringLiteral("%1 action run touch --config %2").arg(opsdeckctlPath(), config),
                                               QStringLiteral("/dev/null")});
            p.waitForStarted(10'000);
            p.write(answer);
            p.waitForFinished(30'000);
            return std::pair{p.exitCode(), QString::fromUtf8(p.readAllStandardOutput())};
        };
        auto [code, out] = onTerminal("n\n");
        QCOMPARE(code, 2);
        QVERIFY2(out.contains(u"Run it? [y/N]") && out.contains(u"not run"), qPrintable(out));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("touched"))));
        std::tie(code, out) = onTerminal("y\n");
        QCOMPARE(code, 0);
        QVERIFY2(out.contains(u"succeeded: exit code 0"), qPrintable(out));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("touched"))));
    }

    // SIGTERM (or Ctrl+C) ends the run's whole process group, records it as cancelled, exits 6.
    void terminated()
    {
        QTemporaryDir dir;
        TestDatabase db(QStringLiteral("sqlite"));
        const QString config = writeConfig(dir, db);
        QProcess ctl;
        ctl.start(opsdeckctlPath(), {"action", "run", "slow", "--param", "seconds=60", "--yes", "--config", config});
        QVERIFY(ctl.waitForStarted(10'000));
        QByteArray printed;
        static const QRegularExpression pidLine(QStringLiteral("\\n(\\d+)\\n"));
        QRegularExpressionMatch m;
        for (int waited = 0; waited < 30'000 && !(m = pidLine.match(QString::fromUtf8(printed))).hasMatch(); waited += 100) {
            ctl.waitForReadyRead(100);
            printed += ctl.readAllStandardOutput();
        }
        QVERIFY2(m.hasMatch(), printed.constData());
        const qint64 actionPid = m.captured(1).toLongLong();
        ctl.terminate(); // SIGTERM
        QVERIFY(ctl.waitForFinished(20'000));
        QCOMPARE(ctl.exitCode(), 6);
        const QString err = QString::fromUtf8(ctl.readAllStandardError());
        QVERIFY2(err.contains(u"cancelled: cancelled: the whole process group was ended"), qPrintable(err));
        QTRY_VERIFY_WITH_TIMEOUT(processGone(actionPid), 5'000);
        const QJsonArray runs = jsonArray(runCtl({"action", "history", "--format", "json", "--config", config}).out);
        QCOMPARE(runs.first().toObject().value(u"status").toString(), QStringLiteral("cancelled"));
    }

    // A second `action run` is refused while the first runs in another process; when the first
    // is killed (-9), its lock is stale, the next run takes it over and the killed run shows as
    // interrupted.
    void lockAcrossProcesses_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
    }

    void lockAcrossProcesses()
    {
        QFETCH(QString, backend);
        QTemporaryDir dir;
        TestDatabase db(backend);
        if (db.unavailable())
            QSKIP("PostgreSQL: OPSDECK_TEST_PG_URL is not set");
        QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
        const QString config = writeConfig(dir, db);
        QVERIFY(!config.isEmpty());

        QProcess first;
        first.setProcessChannelMode(QProcess::SeparateChannels);
        first.start(opsdeckctlPath(), {"action", "run", "slow", "--param", "seconds=60", "--yes", "--config", config});
        QVERIFY(first.waitForStarted(10'000));
        // The action prints its pid first: from then on it runs and holds the lock.
        QByteArray printed;
        static const QRegularExpression pidLine(QStringLiteral("\\n(\\d+)\\n"));
        QRegularExpressionMatch m;
        for (int waited = 0; waited < 30'000 && !(m = pidLine.match(QString::fromUtf8(printed))).hasMatch(); waited += 100) {
            first.waitForReadyRead(100);
            printed += first.readAllStandardOutput();
        }
        QVERIFY2(m.hasMatch(), printed.constData());
        const qint64 actionPid = m.captured(1).toLongLong();
        const qint64 firstPid = first.processId();

        CtlRun second = runCtl({"action", "run", "slow", "--param", "seconds=0", "--yes", "--config", config});
        QCOMPARE(second.exitCode, 4);
        QVERIFY2(second.err.contains(QStringLiteral("not run: `api/slow` is already running in another program (pid %1 on ").arg(firstPid)), qPrintable(second.err));

        // kill -9: no chance to clean up. Its action lives on in its own process group; end that
        // too, as an operator would.
        first.kill();
        QVERIFY(first.waitForFinished(10'000));
        ::kill(-pid_t(actionPid), SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(processGone(actionPid), 10'000);

        CtlRun third = runCtl({"action", "run", "slow", "--param", "seconds=0", "--yes", "--config", config});
        QVERIFY2(third.exitCode == 0, qPrintable(third.err));
        const QJsonArray runs = jsonArray(runCtl({"action", "history", "api/slow", "--format", "json", "--config", config}).out);
        QCOMPARE(runs.size(), 2);
        QCOMPARE(runs.at(0).toObject().value(u"status").toString(), QStringLiteral("succeeded"));
        QCOMPARE(runs.at(1).toObject().value(u"status").toString(), QStringLiteral("interrupted"));
        QVERIFY2(runs.at(1).toObject().value(u"summary").toString().contains(QStringLiteral("(pid %1 on ").arg(firstPid)),
                 qPrintable(runs.at(1).toObject().value(u"summary").toString()));
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM action_locks")), 0);
    }
};

QTEST_GUILESS_MAIN(TestActionsCli)
#include "tst_actions_cli.moc"
