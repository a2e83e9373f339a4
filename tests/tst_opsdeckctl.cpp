#include "ctlprocess.h"
#include "simprocess.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

// opsdeckctl end to end: the real binary against the demo fleet, exit codes included.
class TestOpsdeckctl : public QObject
{
    Q_OBJECT

private:
    QString writeConfig(const QString &name, const QByteArray &services, const QByteArray &extra = {})
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write("store: " + m_dir.filePath(QStringLiteral("history.sqlite")).toUtf8() + "\n"
                + "defaults: { interval: 1s, timeout: 2s, failure_threshold: 1 }\n" + extra + "services:\n" + services);
        return path;
    }

    QByteArray echopilotService(const QByteArray &extraChecks = {})
    {
        const QByteArray base = m_sim.baseUrl(QStringLiteral("echopilot")).toString().toUtf8();
        return "  - name: echopilot\n    checks:\n"
               "      - name: health\n        url: " + base + "/health\n"
               "        conditions: [\"[STATUS] == 200\", \"[BODY].dependencies.* == ok\"]\n"
               "      - name: scheduler\n        url: " + base + "/api/scheduler/status\n"
               "        conditions: [\"[BODY].status == running\", \"warning: age([BODY].last_tick) < 120s\"]\n"
               + extraChecks;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_sim.start(), qPrintable(m_sim.errorString()));
        const QByteArray aifsm = m_sim.baseUrl(QStringLiteral("aifsm")).toString().toUtf8();
        const QByteArray gateway = m_sim.baseUrl(QStringLiteral("gateway")).toString().toUtf8();
        m_config = writeConfig(QStringLiteral("fleet.yaml"),
                               echopilotService()
                                   + "  - name: gateway\n    checks:\n      - name: api-health\n"
                                     "        url: https://localhost:" + QByteArray::number(m_sim.port(QStringLiteral("gateway")))
                                   + "/api/health\n        ca_file: " + m_sim.certificatePath().toUtf8()
                                   + "\n        conditions: [\"[STATUS] == 200\", \"has([BODY].connections) == true\"]\n"
                                     "  - name: ai-fsm\n    checks:\n      - name: api-health\n        url: " + aifsm
                                   + "/api/health\n        conditions: [\"[BODY].checks.db == ok\"]\n");
        QVERIFY(!m_config.isEmpty());
        Q_UNUSED(gateway)
    }

    void helpEverywhere_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("top") << QStringList{"--help"} << "Commands:";
        QTest::newRow("check") << QStringList{"check", "--help"} << "monitoring-plugins convention";
        QTest::newRow("watch") << QStringList{"watch", "--help"} << "printing each state change";
        QTest::newRow("history") << QStringList{"history", "--help"} << "--since";
        QTest::newRow("config") << QStringList{"config", "--help"} << "config check FILE";
        QTest::newRow("secret") << QStringList{"secret", "--help"} << "never values";
    }

    void helpEverywhere()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        const CtlRun r = runCtl(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(expected), qPrintable(r.out));
    }

    void usageErrors()
    {
        CtlRun r = runCtl({QStringLiteral("frobnicate")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(u"unknown command `frobnicate`"));
        r = runCtl({QStringLiteral("check"), QStringLiteral("--format"), QStringLiteral("xml"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 3); // a check that cannot run is UNKNOWN, never OK
        QVERIFY(r.err.contains(u"unknown --format `xml`"));
        r = runCtl({QStringLiteral("check"), QStringLiteral("--config"), m_config, QStringLiteral("--service"), QStringLiteral("nope")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(u"no service `nope`") && r.err.contains(u"known: echopilot, gateway, ai-fsm"), qPrintable(r.err));
        r = runCtl({QStringLiteral("version")});
        QCOMPARE(r.exitCode, 2);
        r = runCtl({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(u"opsdeckctl "));
    }

    void configCheck()
    {
        CtlRun r = runCtl({QStringLiteral("config"), QStringLiteral("check"), m_config});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u": OK — 3 services, 4 checks"), qPrintable(r.out));

        const QString bad = m_dir.filePath(QStringLiteral("bad.yaml"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("services:\n  - name: a\n    checks:\n      - name: h\n        url: http://x/\n        interval: soon\n"
                "        conditions: [\"[STATUS] = 200\"]\n");
        f.close();
        r = runCtl({QStringLiteral("config"), QStringLiteral("check"), bad});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(bad + QStringLiteral(":6:19: error: services[a].checks[h].interval: bad duration `soon`")), qPrintable(r.err));
        QVERIFY2(r.err.contains(bad + QStringLiteral(":7:32: error: services[a].checks[h].conditions[0]: bad condition")), qPrintable(r.err));
        QVERIFY(r.err.contains(u"2 errors"));

        r = runCtl({QStringLiteral("check"), QStringLiteral("--config"), bad});
        QCOMPARE(r.exitCode, 3);
        r = runCtl({QStringLiteral("config"), QStringLiteral("check"), m_dir.filePath(QStringLiteral("missing.yaml"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(u"cannot read the config file"));
    }

    void checkExitCodes()
    {
        QVERIFY(m_sim.setFaults(""));
        CtlRun r = runCtl({QStringLiteral("check"), QStringLiteral("--config"), m_config});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
        QVERIFY(r.out.startsWith(u"OPSDECK OK - 4 ok | 'echopilot/health'="));

        // A warning condition fails: WARNING.
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, kind: stale_tick}\n"));
        r = runCtl({QStringLiteral("check"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(u"DEGRADED echopilot/scheduler"), qPrintable(r.out));
        QVERIFY(r.out.contains(u"warning: age([BODY].last_tick) < 120s — got `6"));

        // ai-fsm's database fails: CRITICAL, and the failed condition says what it got.
        QVERIFY(m_sim.setFaults("faults:\n  - {system: aifsm, path: /api/health, kind: degraded, dependency: db}\n"));
        r = runCtl({QStringLiteral("check"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.out.contains(u"DOWN     ai-fsm/api-health  HTTP 503") && r.out.contains(u"[BODY].checks.db == ok — got `fail`"),
                 qPrintable(r.out));

        // --service narrows the pass.
        r = runCtl({QStringLiteral("check"), QStringLiteral("--config"), m_config, QStringLiteral("--service"), QStringLiteral("gateway")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(u"OPSDECK OK - 1 ok"));
        QVERIFY(m_sim.setFaults(""));
    }

    void checkUnknown()
    {
        const QString path = writeConfig(QStringLiteral("unknown.yaml"),
                                         "  - name: box\n    checks:\n      - name: tool\n        type: command\n"
                                         "        command: [/nonexistent/pg_isready]\n");
        const CtlRun r = runCtl({QStringLiteral("check"), QStringLiteral("--config"), path});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.startsWith(u"OPSDECK UNKNOWN - 1 unknown"), qPrintable(r.out));
    }

    void checkJson()
    {
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, path: /health, kind: degraded, dependency: notion}\n"));
        const CtlRun r = runCtl({QStringLiteral("check"), QStringLiteral("--config"), m_config, QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(r.exitCode, 2);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o.value(u"status").toString(), QStringLiteral("critical"));
        QCOMPARE(o.value(u"exit_code").toInt(), 2);
        const QJsonArray checks = o.value(u"checks").toArray();
        QCOMPARE(checks.size(), 4);
        const QJsonObject health = checks.at(0).toObject();
        QCOMPARE(health.value(u"service").toString(), QStringLiteral("echopilot"));
        QCOMPARE(health.value(u"check").toString(), QStringLiteral("health"));
        QCOMPARE(health.value(u"outcome").toString(), QStringLiteral("down"));
        QCOMPARE(health.value(u"failed_condition").toString(), QStringLiteral("[BODY].dependencies.* == ok"));
        QCOMPARE(health.value(u"actual_value").toString(), QStringLiteral("`[BODY].dependencies.notion` got `fail`"));
        QVERIFY(health.value(u"latency_ms").toDouble() >= 0);
        QVERIFY(health.value(u"at").toString().endsWith(u'Z'));
        QVERIFY(m_sim.setFaults(""));
    }

    void historyAfterCheck()
    {
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, path: /health, kind: status, status: 500}\n"));
        CtlRun r = runCtl({QStringLiteral("check"), QStringLiteral("--config"), m_config, QStringLiteral("--service"), QStringLiteral("echopilot")});
        QCOMPARE(r.exitCode, 2);
        r = runCtl({QStringLiteral("history"), QStringLiteral("echopilot"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"health") && r.out.contains(u"down") && r.out.contains(u"[STATUS] == 200 — got `500`"), qPrintable(r.out));

        r = runCtl({QStringLiteral("history"), QStringLiteral("echopilot"), QStringLiteral("--config"), m_config, QStringLiteral("--check"),
                    QStringLiteral("health"), QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray results = QJsonDocument::fromJson(r.out.toUtf8()).object().value(u"results").toArray();
        QVERIFY(!results.isEmpty());
        QCOMPARE(results.first().toObject().value(u"http_status").toInt(), 500);
        for (const QJsonValue &v : results)
            QCOMPARE(v.toObject().value(u"check").toString(), QStringLiteral("health"));

        r = runCtl({QStringLiteral("history"), QStringLiteral("nope"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(u"no history for service `nope`"));
        r = runCtl({QStringLiteral("history"), QStringLiteral("echopilot"), QStringLiteral("--config"), m_config, QStringLiteral("--since"), QStringLiteral("yesterday")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(m_sim.setFaults(""));
    }

    void sloJsonInterface()
    {
        // History from the checks above exists; the JSON keys are an interface for scripts.
        CtlRun r = runCtl({QStringLiteral("check"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 0);
        r = runCtl({QStringLiteral("slo"), QStringLiteral("--config"), m_config, QStringLiteral("--format"), QStringLiteral("json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonArray array = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QCOMPARE(array.size(), 3);
        const QJsonObject o = array.at(0).toObject();
        for (const char *key : {"service", "window", "availability", "latency_sli", "budget_remaining", "burn_rates", "alert",
                                "p50_ms", "p95_ms", "p99_ms", "events"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QCOMPARE(o.value(u"service").toString(), QStringLiteral("echopilot"));
        QCOMPARE(o.value(u"window").toString(), QStringLiteral("30d"));
        QVERIFY(o.value(u"events").toInt() > 0);
        const double availability = o.value(u"availability").toDouble(-1);
        QVERIFY(availability >= 0 && availability <= 1);
        QVERIFY(o.value(u"latency_sli").isNull()); // no latency objective configured
        QVERIFY(o.value(u"budget_remaining").isDouble());
        const QJsonObject burns = o.value(u"burn_rates").toObject();
        QCOMPARE(burns.keys(), QStringList({u"1d"_qs, u"1h"_qs, u"30m"_qs, u"3d"_qs, u"5m"_qs, u"6h"_qs}));
        QVERIFY(QStringList({u"none"_qs, u"ticket"_qs, u"page"_qs}).contains(o.value(u"alert").toString()));
        QVERIFY(o.value(u"p95_ms").toDouble() > 0);

        r = runCtl({QStringLiteral("slo"), QStringLiteral("gateway"), QStringLiteral("--window"), QStringLiteral("7d"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(u"gateway  (window 7d,") && r.out.contains(u"error budget") && r.out.contains(u"burn rates"), qPrintable(r.out));
        r = runCtl({QStringLiteral("slo"), QStringLiteral("nope"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 1);

        // A fresh history cannot show 30 healthy minutes: not restored, and each line says why.
        r = runCtl({QStringLiteral("recovery"), QStringLiteral("gateway"), QStringLiteral("--config"), m_config});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(u"[FAIL] healthy for 30m+") && r.out.contains(u"[PASS] no 5xx in 15m") && r.out.contains(u"Not restored yet."),
                 qPrintable(r.out));
        r = runCtl({QStringLiteral("recovery"), QStringLiteral("gateway"), QStringLiteral("--config"), m_config, QStringLiteral("--format"), QStringLiteral("json")});
        const QJsonObject rec = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(rec.value(u"restored").toBool(true), false);
        QCOMPARE(rec.value(u"criteria").toArray().size(), 4);
    }

    void incidentCommands()
    {
        const QStringList cfg = {QStringLiteral("--config"), m_config};
        CtlRun r = runCtl(QStringList{u"incident"_qs, u"open"_qs, u"echopilot"_qs, u"--title"_qs, u"Stripe webhooks failing"_qs,
                                      u"--severity"_qs, u"p1"_qs} + cfg);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString id = r.out.section(u'#', 1).trimmed();
        QVERIFY(id.toInt() > 0);
        r = runCtl(QStringList{u"incident"_qs, u"list"_qs, u"--format"_qs, u"json"_qs} + cfg);
        QCOMPARE(r.exitCode, 0);
        const QJsonArray list = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QVERIFY(!list.isEmpty());
        const QJsonObject first = list.first().toObject();
        for (const char *key : {"id", "service", "severity", "state", "title", "opened_at", "resolved_at"})
            QVERIFY2(first.contains(QLatin1String(key)), key);
        QCOMPARE(first.value(u"id").toInt(), id.toInt());
        QCOMPARE(first.value(u"severity").toString(), QStringLiteral("P1"));
        QCOMPARE(first.value(u"state").toString(), QStringLiteral("open"));
        QVERIFY(first.value(u"opened_at").toString().endsWith(u'Z'));
        QVERIFY(first.value(u"resolved_at").isNull());

        QCOMPARE(runCtl(QStringList{u"incident"_qs, u"ack"_qs, id, u"--note"_qs, u"looking"_qs} + cfg).exitCode, 0);
        r = runCtl(QStringList{u"incident"_qs, u"ack"_qs, id} + cfg);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(u"is acknowledged, not open"));
        QCOMPARE(runCtl(QStringList{u"incident"_qs, u"note"_qs, id, u"webhook"_qs, u"secret"_qs, u"rotated"_qs} + cfg).exitCode, 0);
        QCOMPARE(runCtl(QStringList{u"incident"_qs, u"resolve"_qs, id, u"--root-cause"_qs, u"expired signing secret"_qs,
                                    u"--resolution"_qs, u"rotated STRIPE_WEBHOOK_SECRET"_qs} + cfg).exitCode, 0);
        r = runCtl(QStringList{u"incident"_qs, u"show"_qs, id, u"--format"_qs, u"json"_qs} + cfg);
        const QJsonObject shown = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(shown.value(u"state").toString(), QStringLiteral("resolved"));
        QVERIFY(shown.value(u"resolved_at").toString().endsWith(u'Z'));
        const QJsonArray timeline = shown.value(u"timeline").toArray();
        QCOMPARE(timeline.size(), 4);
        QStringList kinds;
        for (const QJsonValue &e : timeline) {
            const QJsonObject o = e.toObject();
            for (const char *key : {"at", "kind", "actor", "text"})
                QVERIFY2(o.contains(QLatin1String(key)), key);
            kinds << o.value(u"kind").toString();
        }
        QCOMPARE(kinds, QStringList({u"detected"_qs, u"acknowledged"_qs, u"note"_qs, u"resolved"_qs}));
        QCOMPARE(timeline.at(2).toObject().value(u"text").toString(), QStringLiteral("webhook secret rotated"));

        r = runCtl(QStringList{u"incident"_qs, u"template"_qs, id} + cfg);
        QVERIFY2(r.out.startsWith(u"✅ RESOLVED: Stripe webhooks failing\nRoot Cause: expired signing secret\nResolution: rotated"), qPrintable(r.out));
        const QString md = m_dir.filePath(QStringLiteral("postmortem.md"));
        QCOMPARE(runCtl(QStringList{u"incident"_qs, u"export"_qs, id, u"--output"_qs, md} + cfg).exitCode, 0);
        QFile file(md);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY(text.startsWith(u"# Postmortem: Stripe webhooks failing"));
        QVERIFY(text.contains(u"## Timeline") && text.contains(u"## Root cause\n\nexpired signing secret"));

        QCOMPARE(runCtl(QStringList{u"incident"_qs, u"ack"_qs, u"99999"_qs} + cfg).exitCode, 1);
        QCOMPARE(runCtl(QStringList{u"incident"_qs, u"ack"_qs, u"abc"_qs} + cfg).exitCode, 2);
        QCOMPARE(runCtl(QStringList{u"incident"_qs, u"open"_qs, u"echopilot"_qs, u"--title"_qs, u"x"_qs, u"--severity"_qs, u"P9"_qs} + cfg).exitCode, 1);
    }

    void maintenanceAndAudit()
    {
        const QStringList cfg = {QStringLiteral("--config"), m_config};
        CtlRun r = runCtl(QStringList{u"maintenance"_qs, u"start"_qs, u"gateway"_qs, u"--for"_qs, u"30m"_qs, u"--reason"_qs,
                                      u"certificate renewal"_qs} + cfg);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCtl(QStringList{u"maintenance"_qs, u"list"_qs, u"--format"_qs, u"json"_qs} + cfg);
        const QJsonArray windows = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QCOMPARE(windows.size(), 1);
        QCOMPARE(windows.first().toObject().value(u"reason").toString(), QStringLiteral("certificate renewal"));
        QVERIFY(windows.first().toObject().value(u"active").toBool());
        QCOMPARE(runCtl(QStringList{u"maintenance"_qs, u"stop"_qs, u"gateway"_qs} + cfg).exitCode, 0);
        r = runCtl(QStringList{u"maintenance"_qs, u"stop"_qs, u"gateway"_qs} + cfg);
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains(u"has no ad hoc maintenance running"));
        QCOMPARE(runCtl(QStringList{u"maintenance"_qs, u"start"_qs, u"gateway"_qs} + cfg).exitCode, 2);

        // Every operator action so far is in the audit log, chained.
        r = runCtl(QStringList{u"audit"_qs, u"verify"_qs} + cfg);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.startsWith(u"the audit log is intact"));
        r = runCtl(QStringList{u"audit"_qs, u"export"_qs} + cfg);
        QStringList actions;
        for (const QString &line : r.out.split(u'\n', Qt::SkipEmptyParts))
            actions << QJsonDocument::fromJson(line.toUtf8()).object().value(u"action").toString();
        QVERIFY2(actions.contains(u"maintenance.start"_qs) && actions.contains(u"maintenance.stop"_qs), qPrintable(actions.join(u',')));

        // Someone edits a record behind OpsDeck's back.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tamper"));
            db.setDatabaseName(m_dir.filePath(QStringLiteral("history.sqlite")));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1")));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tamper"));
        r = runCtl(QStringList{u"audit"_qs, u"verify"_qs} + cfg);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"record 1 was edited"), qPrintable(r.err));
    }

    void watchPrintsChanges()
    {
        // health fails after 1.5 s for 2 s: watch sees ok → down → ok.
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, path: /health, kind: status, status: 503, from: 1500ms, for: 2s}\n"));
        const QString path = writeConfig(QStringLiteral("watch.yaml"), echopilotService());
        const CtlRun r = runCtl({QStringLiteral("watch"), QStringLiteral("--config"), path, QStringLiteral("--for"), QStringLiteral("6s"),
                                 QStringLiteral("--format"), QStringLiteral("json")});
        QCOMPARE(r.exitCode, 0);
        QList<QJsonObject> events;
        for (const QString &line : r.out.split(u'\n', Qt::SkipEmptyParts))
            events << QJsonDocument::fromJson(line.toUtf8()).object();
        auto seen = [&](const QString &check, const QString &from, const QString &to) {
            for (const QJsonObject &e : events)
                if (e.value(u"check").toString() == check && e.value(u"from").toString() == from && e.value(u"to").toString() == to)
                    return true;
            return false;
        };
        QVERIFY2(seen(QStringLiteral("health"), QStringLiteral("unknown"), QStringLiteral("ok")), qPrintable(r.out));
        QVERIFY2(seen(QStringLiteral("health"), QStringLiteral("ok"), QStringLiteral("down")), qPrintable(r.out));
        QVERIFY2(seen(QStringLiteral("health"), QStringLiteral("down"), QStringLiteral("ok")), qPrintable(r.out));
        bool serviceDown = false;
        for (const QJsonObject &e : events)
            serviceDown = serviceDown || (e.value(u"event").toString() == u"service" && e.value(u"to").toString() == u"down");
        QVERIFY(serviceDown);
        QVERIFY2(r.err.contains(u"probes completed") && r.err.contains(u"peak RSS"), qPrintable(r.err));
        QVERIFY(m_sim.setFaults(""));
    }

    void watchStopsOnSigterm()
    {
        const QString path = writeConfig(QStringLiteral("term.yaml"), echopilotService());
        QProcess p;
        p.start(opsdeckctlPath(), {QStringLiteral("watch"), QStringLiteral("--config"), path});
        QVERIFY(p.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).contains("watching 2 checks of 1 services"), 10'000);
        p.terminate();
        QVERIFY(p.waitForFinished(10'000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardError().contains("probes completed"));
    }

    void watchReloadsConfig()
    {
        const QString path = writeConfig(QStringLiteral("reload.yaml"), echopilotService());
        QProcess p;
        p.start(opsdeckctlPath(), {QStringLiteral("watch"), QStringLiteral("--config"), path});
        QVERIFY(p.waitForStarted());
        QByteArray out, err;
        QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).contains("watching 2 checks"), 10'000);

        // An editor saves a new version with one more check.
        const QByteArray fallback = "      - name: fallback\n        url: " + m_sim.baseUrl(QStringLiteral("fallback")).toString().toUtf8() + "/health\n";
        writeConfig(QStringLiteral("reload.yaml.tmp"), echopilotService(fallback));
        QFile::remove(path);
        QVERIFY(QFile::rename(path + QStringLiteral(".tmp"), path));
        QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).contains("config reloaded: watching 3 checks of 1 services"), 10'000);

        // A broken save keeps the running config and says why.
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("services: [\n");
        f.close();
        QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).contains("config NOT reloaded"), 10'000);
        QTRY_VERIFY_WITH_TIMEOUT((err += p.readAllStandardError()).contains("error: YAML syntax error"), 5'000);
        p.terminate();
        QVERIFY(p.waitForFinished(10'000));
        QCOMPARE(p.exitCode(), 0);
    }

private:
    QTemporaryDir m_dir;
    SimProcess m_sim;
    QString m_config;
};

QTEST_GUILESS_MAIN(TestOpsdeckctl)
#include "tst_opsdeckctl.moc"
