#include "probeharness.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

// Every check kind other than HTTP against real things: sockets, processes, SQLite files, a real
// PostgreSQL (started by the test script), the file system, NDJSON logs.
class TestProbes : public QObject
{
    Q_OBJECT

private slots:
    void tcpConnected()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        CheckConfig c = makeCheck(CheckKind::Tcp, {"[CONNECTED] == true"});
        c.tcp = {QStringLiteral("127.0.0.1"), server.serverPort()};
        const ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Ok);
        QVERIFY(run.result.latencyMs >= 0);
    }

    void tcpRefused()
    {
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        const quint16 port = server.serverPort();
        server.close();
        CheckConfig c = makeCheck(CheckKind::Tcp, {"[CONNECTED] == true"});
        c.tcp = {QStringLiteral("127.0.0.1"), port};
        const ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);
        QCOMPARE(run.result.error, QStringLiteral("connection refused"));
        QCOMPARE(run.result.actualValue, QStringLiteral("got `false`"));
        QVERIFY(run.result.networkError);
    }

    void tcpExpectedClosed()
    {
        // A port that must stay closed: `[CONNECTED] == false` passes when the connection fails.
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        const quint16 port = server.serverPort();
        server.close();
        CheckConfig c = makeCheck(CheckKind::Tcp, {"[CONNECTED] == false"});
        c.tcp = {QStringLiteral("127.0.0.1"), port};
        QCOMPARE(runProbe(m_factory, c).result.outcome, Health::Ok);
    }

    void commandExitAndOutput()
    {
        CheckConfig c = makeCheck(CheckKind::Command, {"[EXIT_CODE] == 0", "[OUTPUT] == pat(*ready*)"});
        c.command.argv = {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo accepting connections: ready")};
        const ProbeRun run = runProbe(m_factory, c);
        QVERIFY2(run.result.outcome == Health::Ok, qPrintable(run.result.reason()));
    }

    void commandFailingExitCode()
    {
        CheckConfig c = makeCheck(CheckKind::Command, {"[EXIT_CODE] == 0"});
        c.command.argv = {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("echo no response; exit 2")};
        const ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);
        QCOMPARE(run.result.actualValue, QStringLiteral("got `2`"));
        QCOMPARE(run.reading.values.value(QStringLiteral("OUTPUT")).toString(), QStringLiteral("no response"));
    }

    void commandArgumentsAreNotShell()
    {
        // No shell: metacharacters are passed to the program as they are.
        CheckConfig c = makeCheck(CheckKind::Command, {"[OUTPUT] == \"a; echo b $(id)\""});
        c.command.argv = {QStringLiteral("printf"), QStringLiteral("%s"), QStringLiteral("a; echo b $(id)")};
        QCOMPARE(runProbe(m_factory, c).result.outcome, Health::Ok);
    }

    void commandEnvironmentAndWorkingDir()
    {
        QTemporaryDir dir;
        CheckConfig c = makeCheck(CheckKind::Command, {"[OUTPUT] == \"" + dir.path() + " s3cret\""});
        c.command.argv = {QStringLiteral("sh"), QStringLiteral("-c"), QStringLiteral("printf '%s %s' \"$PWD\" \"$TOKEN\"")};
        c.command.workingDir = dir.path();
        c.command.environment = {{QStringLiteral("TOKEN"), QStringLiteral("s3cret")}};
        const ProbeRun run = runProbe(m_factory, c);
        QVERIFY2(run.result.outcome == Health::Ok, qPrintable(run.result.reason()));
    }

    void commandTimeoutKillsGroup()
    {
        // The child ignores TERM and has a grandchild: the whole group must end.
        QTemporaryDir dir;
        const QString pidFile = dir.filePath(QStringLiteral("pid"));
        CheckConfig c = makeCheck(CheckKind::Command, {"[EXIT_CODE] == 0"}, 500);
        c.command.argv = {QStringLiteral("sh"), QStringLiteral("-c"),
                          QStringLiteral("trap '' TERM; sleep 30 & echo $! > %1; wait").arg(pidFile)};
        const ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY2(run.result.error.contains(u"timed out"), qPrintable(run.result.error));
        QVERIFY2(run.elapsedMs < 3000, qPrintable(QString::number(run.elapsedMs)));
        QFile f(pidFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray pid = f.readAll().trimmed();
        QVERIFY(!pid.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(QStringLiteral("/proc/") + QString::fromLatin1(pid)), 3000);
    }

    void commandOutputCapped()
    {
        CheckConfig c = makeCheck(CheckKind::Command, {"[EXIT_CODE] == 0"}, 10'000);
        c.command.argv = {QStringLiteral("head"), QStringLiteral("-c"), QStringLiteral("5000000"), QStringLiteral("/dev/zero")};
        c.command.maxOutputBytes = 4096;
        const ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Ok);
        QVERIFY(run.reading.values.value(QStringLiteral("OUTPUT")).toString().size() <= 4096);
    }

    void commandMissingIsUnknown()
    {
        CheckConfig c = makeCheck(CheckKind::Command, {"[EXIT_CODE] == 0"});
        c.command.argv = {QStringLiteral("/nonexistent/pg_isready")};
        const ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Unknown);
        QVERIFY2(run.result.error.contains(u"could not start `/nonexistent/pg_isready`"), qPrintable(run.result.error));
    }

    void sqliteValue()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("db.sqlite"));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("setup"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("CREATE TABLE runs (id TEXT, status TEXT)")));
            QVERIFY(q.exec(QStringLiteral("INSERT INTO runs VALUES ('a','running'),('b','running'),('c','done')")));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("setup"));
        CheckConfig c = makeCheck(CheckKind::Sql, {"[CONNECTED] == true", "[VALUE] == 2", "[ROWS] == 1"});
        c.sql = {QStringLiteral("QSQLITE"), path, QStringLiteral("SELECT COUNT(*) FROM runs WHERE status = 'running'")};
        ProbeRun run = runProbe(m_factory, c);
        QVERIFY2(run.result.outcome == Health::Ok, qPrintable(run.result.reason()));

        c.sql.query = QStringLiteral("SELECT COUNT(*) FROM nonexistent");
        run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY2(run.result.error.contains(u"query failed") && run.result.error.contains(u"nonexistent"), qPrintable(run.result.error));
    }

    void sqliteMissingFileNotCreated()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("missing.sqlite"));
        CheckConfig c = makeCheck(CheckKind::Sql, {"[CONNECTED] == true"});
        c.sql = {QStringLiteral("QSQLITE"), path, QStringLiteral("SELECT 1")};
        const ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY2(run.result.error.startsWith(u"cannot connect"), qPrintable(run.result.error));
        QVERIFY(!QFile::exists(path)); // a check never creates the database it watches
    }

    void postgresql()
    {
        const QString url = qEnvironmentVariable("OPSDECK_TEST_PG_URL");
        if (url.isEmpty()) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("OPSDECK_TEST_PG_URL is not set: the test script starts PostgreSQL for this suite");
            QSKIP("no PostgreSQL: run through scripts/test.sh, which starts one");
        }
        CheckConfig c = makeCheck(CheckKind::Sql, {"[CONNECTED] == true", "[VALUE] == 42"});
        c.sql = {QStringLiteral("QPSQL"), url, QStringLiteral("SELECT 42")};
        ProbeRun run = runProbe(m_factory, c);
        QVERIFY2(run.result.outcome == Health::Ok, qPrintable(run.result.reason()));

        // A query slower than the timeout is cut off by statement_timeout or the probe's timer.
        c = makeCheck(CheckKind::Sql, {"[CONNECTED] == true"}, 500);
        c.sql = {QStringLiteral("QPSQL"), url, QStringLiteral("SELECT pg_sleep(5)")};
        run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY2(run.elapsedMs < 3000, qPrintable(QString::number(run.elapsedMs)));

        QUrl wrong(url);
        wrong.setPort(1); // nothing listens there
        c = makeCheck(CheckKind::Sql, {"[CONNECTED] == true"});
        c.sql = {QStringLiteral("QPSQL"), wrong.toString(), QStringLiteral("SELECT 1")};
        run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY(run.result.networkError);
    }

    void disk()
    {
        QTemporaryDir dir;
        CheckConfig c = makeCheck(CheckKind::Disk, {"[FREE] > 0", "[FREE_PERCENT] > 0", "[SIZE] > [FREE]"});
        c.path = dir.path();
        ProbeRun run = runProbe(m_factory, c);
        QVERIFY2(run.result.outcome == Health::Ok, qPrintable(run.result.reason()));
        const double free = run.reading.values.value(QStringLiteral("FREE_PERCENT")).toDouble();
        const double used = run.reading.values.value(QStringLiteral("USED_PERCENT")).toDouble();
        QVERIFY(qAbs(free + used - 100.0) < 1e-6);

        c = makeCheck(CheckKind::Disk, {"[FREE_PERCENT] > 101"});
        c.path = dir.path();
        run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);

        c.path = dir.filePath(QStringLiteral("nope"));
        run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY2(run.result.error.contains(u"does not exist"), qPrintable(run.result.error));
    }

    void fileAge()
    {
        QTemporaryDir dir;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        auto make = [&](const QString &name, qint64 ageSecs, int size) {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(size, 'x'));
            f.flush(); // a later flush would set the time again
            QVERIFY(f.setFileTime(now.addSecs(-ageSecs), QFileDevice::FileModificationTime));
        };
        make(QStringLiteral("backup-1.sqlite"), 3 * 86400, 10);
        make(QStringLiteral("backup-2.sqlite"), 2 * 3600, 20);
        make(QStringLiteral("notes.txt"), 60, 30); // newest file, but not a backup

        CheckConfig c = makeCheck(CheckKind::FileAge, {"[AGE] < 26h", "[COUNT] == 2", "[SIZE] == 20"});
        c.path = dir.filePath(QStringLiteral("backup-*.sqlite"));
        ProbeRun run = runProbe(m_factory, c);
        QVERIFY2(run.result.outcome == Health::Ok, qPrintable(run.result.reason()));
        const double age = run.reading.values.value(QStringLiteral("AGE")).toDouble();
        QVERIFY2(qAbs(age - 2 * 3600 * 1000.0) < 60'000, qPrintable(QString::number(age)));

        c = makeCheck(CheckKind::FileAge, {"[AGE] < 1h"});
        c.path = dir.filePath(QStringLiteral("backup-*.sqlite"));
        run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY(run.result.actualValue.startsWith(u"got `72"));

        c.path = dir.filePath(QStringLiteral("*.dump"));
        run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);
        QCOMPARE(run.result.actualValue, QStringLiteral("`[AGE]` is missing"));
        QVERIFY2(run.result.error.startsWith(u"no file matches"), qPrintable(run.result.error));
    }

    void logScan()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("audit.ndjson"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        auto line = [&](qint64 agoSecs, bool ok, const char *level) {
            const QString ts = now.addSecs(-agoSecs).toString(Qt::ISODateWithMs);
            f.write(QStringLiteral(R"({"ts":"%1","ok":%2,"level":"%3","action":"login"})").arg(ts, ok ? u"true"_qs : u"false"_qs, QString::fromLatin1(level)).toUtf8() + '\n');
        };
        // Old failures (outside a 15 minute window) must not count.
        for (int i = 0; i < 5; ++i)
            line(3600 + i, false, "error");
        for (int i = 0; i < 3000; ++i) // enough lines to cross several 64 KiB chunks
            line(600 - i / 10, i % 1000 != 0, "info");
        line(30, false, "error");
        f.write("not json at all\n");
        line(5, true, "info");
        f.close();

        CheckConfig c = makeCheck(CheckKind::Log, {"[COUNT] <= 1"});
        c.path = path;
        c.log.windowMs = 15 * 60'000;
        c.log.filter = {std::get<Condition>(ConditionParser::parse(u"ok == false", ConditionParser::Mode::LogFilter))};
        ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.reading.values.value(QStringLiteral("COUNT")).toInt(), 4); // 3 in the bulk + 1 recent
        QCOMPARE(run.result.outcome, Health::Down);
        QCOMPARE(run.result.actualValue, QStringLiteral("got `4`"));

        c.log.filter = {std::get<Condition>(ConditionParser::parse(u"level == error", ConditionParser::Mode::LogFilter))};
        run = runProbe(m_factory, c);
        QCOMPARE(run.reading.values.value(QStringLiteral("COUNT")).toInt(), 1);
        QCOMPARE(run.result.outcome, Health::Ok);

        c.log.windowMs = 2 * 3600'000; // now the old failures are inside
        run = runProbe(m_factory, c);
        QCOMPARE(run.reading.values.value(QStringLiteral("COUNT")).toInt(), 6);
    }

    void logWithoutTimestampsIsUnknown()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("plain.ndjson"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"ok\":false}\n{\"ok\":true}\n");
        f.close();
        CheckConfig c = makeCheck(CheckKind::Log, {"[COUNT] <= 0"});
        c.path = path;
        c.log.filter = {std::get<Condition>(ConditionParser::parse(u"ok == false", ConditionParser::Mode::LogFilter))};
        const ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Unknown);
        QVERIFY2(run.result.error.contains(u"set `time_field`"), qPrintable(run.result.error));
    }

    void logMissingFile()
    {
        CheckConfig c = makeCheck(CheckKind::Log, {"[COUNT] <= 0"});
        c.path = QStringLiteral("/nonexistent/audit.ndjson");
        c.log.filter = {std::get<Condition>(ConditionParser::parse(u"ok == false", ConditionParser::Mode::LogFilter))};
        const ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY2(run.result.error.startsWith(u"cannot read /nonexistent/audit.ndjson"), qPrintable(run.result.error));
    }

private:
    ProbeFactory m_factory;
};

QTEST_GUILESS_MAIN(TestProbes)
#include "tst_probes.moc"
