#include "configloader.h"
#include "failoverstate.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

// `services[].failover` in the config (values, defaults, every error with its place and what was
// expected) and the state file's shape (the seed's, written atomically, read back, and what a
// hand-written or broken file does).
namespace {
const QString kFile = QStringLiteral("/etc/opsdeck/test.yaml");

QString allErrors(const ConfigLoader::Result &r)
{
    QStringList out;
    for (const ConfigIssue &i : r.issues)
        if (i.severity == ConfigIssue::Severity::Error)
            out << i.toString();
    return out.isEmpty() ? QStringLiteral("(no error)") : out.join(u'\n');
}
} // namespace

class TestFailoverConfig : public QObject
{
    Q_OBJECT

private slots:
    void valuesAndDefaults()
    {
        const ConfigLoader::Result r = ConfigLoader::loadFile(QStringLiteral(OPSDECK_SOURCE_DIR "/tests/data/config/failover.yaml"));
        QVERIFY2(r.ok(), qPrintable(allErrors(r)));
        const ServiceConfig &echo = r.config->services.at(0);
        QVERIFY(echo.failover);
        const FailoverConfig &f = *echo.failover;
        QCOMPARE(f.primary, u"health"_qs);
        QCOMPARE(f.fallback, u"fallback-health"_qs);
        QCOMPARE(f.mode, FailoverConfig::Mode::Automatic);
        QCOMPARE(f.triggerFailures, 4);
        QCOMPARE(f.triggerWindowMs, 20 * 60'000);
        QCOMPARE(f.failbackAfterMs, 45 * 60'000);
        QVERIFY(!f.autoFailback);
        QCOMPARE(f.watchMs, 2 * 3'600'000);
        QCOMPARE(f.stateFile, QStringLiteral(OPSDECK_SOURCE_DIR "/tests/data/config/state/echopilot-failover.json")); // relative to the config
        QCOMPARE(f.logFile, u"/var/log/opsdeck/edge_failover.ndjson"_qs);
        QCOMPARE(f.actions, QStringList({u"enable-fallback"_qs, u"restart-edge"_qs}));
        QCOMPARE(f.failbackActions, QStringList{u"disable-fallback"_qs});
        QCOMPARE(f.where.line, 12); // the `failover:` line

        // The runbook's defaults: manual, 3 failures in 15 min, failback after 30 min, watch 1 h.
        const FailoverConfig &g = *r.config->services.at(1).failover;
        QCOMPARE(g.mode, FailoverConfig::Mode::Manual);
        QCOMPARE(g.triggerFailures, 3);
        QCOMPARE(g.triggerWindowMs, 15 * 60'000);
        QCOMPARE(g.failbackAfterMs, 30 * 60'000);
        QVERIFY(g.autoFailback);
        QCOMPARE(g.watchMs, 60 * 60'000);
        QVERIFY(g.actions.isEmpty());
        QCOMPARE(g.stateFile, FailoverStateFile::defaultPath(u"gateway"_qs));
        QVERIFY2(g.stateFile.endsWith(u"/failover/gateway.json"), qPrintable(g.stateFile));
        QCOMPARE(g.logFile, g.stateFile.chopped(5) + u".ndjson"_qs);
        QVERIFY(!r.config->services.at(1).failover->stateFile.isEmpty());
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expected");
        const QByteArray head = "services:\n  - name: api\n    checks:\n      - { name: h, url: 'http://a/' }\n"
                                "      - { name: fb, url: 'http://b/' }\n"
                                "    actions:\n      - { name: up, command: [true] }\n";
        QTest::newRow("not a mapping") << head + "    failover: yes\n" << ":8:15: error: services[api].failover: expected a mapping";
        QTest::newRow("unknown key") << head + "    failover: { primary: h, fallback: fb, trigger_failure: 3 }\n"
                                     << ":8:43: error: services[api].failover.trigger_failure: unknown key `trigger_failure`; did you mean `trigger_failures`?";
        QTest::newRow("missing primary") << head + "    failover: { fallback: fb }\n"
                                         << ":8:15: error: services[api].failover.primary: missing: the check of this service that says the primary is healthy";
        QTest::newRow("missing fallback") << head + "    failover: { primary: h }\n"
                                          << ":8:15: error: services[api].failover.fallback: missing";
        QTest::newRow("unknown mode") << head + "    failover: { primary: h, fallback: fb, mode: auto }\n"
                                      << ":8:49: error: services[api].failover.mode: expected off, manual, automatic or test, got `auto`";
        QTest::newRow("bad window") << head + "    failover: { primary: h, fallback: fb, trigger_window: 15 minutes }\n"
                                    << ":8:59: error: services[api].failover.trigger_window: bad duration `15 minutes`";
        QTest::newRow("bad failback_after") << head + "    failover: { primary: h, fallback: fb, failback_after: [30m] }\n"
                                            << ":8:59: error: services[api].failover.failback_after: expected a duration, got a list";
        QTest::newRow("zero failures") << head + "    failover: { primary: h, fallback: fb, trigger_failures: 0 }\n"
                                       << ":8:61: error: services[api].failover.trigger_failures: 0 is out of range: expected 1 to 100";
        QTest::newRow("bad auto_failback") << head + "    failover: { primary: h, fallback: fb, auto_failback: later }\n"
                                           << ":8:58: error: services[api].failover.auto_failback: expected true or false, got `later`";
        QTest::newRow("primary not a check") << head + "    failover: { primary: health, fallback: fb }\n"
                                             << ":8:26: error: services[api].failover.primary: no check `health` in service `api` (its checks: h, fb)";
        QTest::newRow("fallback not a check") << head + "    failover: { primary: h, fallback: fallback-health }\n"
                                              << ":8:39: error: services[api].failover.fallback: no check `fallback-health` in service `api`";
        QTest::newRow("same check") << head + "    failover: { primary: h, fallback: h }\n"
                                    << ":8:39: error: services[api].failover.fallback: `h` is also the primary: the fallback must be another check";
        QTest::newRow("unknown action") << head + "    failover: { primary: h, fallback: fb, actions: [up, enable-fallback] }\n"
                                        << ":8:57: error: services[api].failover.actions[1]: no action `enable-fallback` in service `api` (its actions: up)";
        QTest::newRow("unknown failback action") << head + "    failover: { primary: h, fallback: fb, failback_actions: [down] }\n"
                                                 << ":8:62: error: services[api].failover.failback_actions[0]: no action `down` in service `api`";
        QTest::newRow("actions not a list") << head + "    failover: { primary: h, fallback: fb, actions: up }\n"
                                            << ":8:52: error: services[api].failover.actions: expected a list such as [enable-fallback], got `up`";
        QTest::newRow("log is the state file")
            << head + "    failover: { primary: h, fallback: fb, state_file: /tmp/s.json, log_file: /tmp/s.json }\n"
            << ":8:78: error: services[api].failover.log_file: must not be the state file `/tmp/s.json`";
        QTest::newRow("no actions in service")
            << QByteArray("services:\n  - name: api\n    checks: [{ name: h, url: 'http://a/' }, { name: fb, url: 'http://b/' }]\n"
                          "    failover: { primary: h, fallback: fb, actions: [up] }\n")
            << ":4:53: error: services[api].failover.actions[0]: no action `up` in service `api` (it has no `actions:`)";
        QTest::newRow("shared state file")
            << QByteArray("services:\n  - name: a\n    checks: [{ name: h, url: 'http://a/' }, { name: fb, url: 'http://b/' }]\n"
                          "    failover: { primary: h, fallback: fb, state_file: /tmp/f.json }\n"
                          "  - name: b\n    checks: [{ name: h, url: 'http://a/' }, { name: fb, url: 'http://b/' }]\n"
                          "    failover: { primary: h, fallback: fb, state_file: /tmp/f.json }\n")
            << ":7:15: error: services[b].failover.state_file: `/tmp/f.json` is already the state file of service `a`";
    }

    void errors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expected);
        const ConfigLoader::Result r = ConfigLoader::loadText(yaml, kFile);
        QVERIFY2(!r.ok(), "a config with errors must not load");
        QVERIFY2(allErrors(r).contains(expected), qPrintable(QStringLiteral("expected `%1`; got:\n%2").arg(expected, allErrors(r))));
    }

    // The seed's file, as the runbook writes it by hand, is a valid state; OpsDeck writes the
    // seed's two fields first and adds its own.
    void stateFileShape()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"echopilot.json"_qs);
        FailoverStateFile file(path, QString());
        QCOMPARE(file.logPath(), dir.filePath(u"echopilot.ndjson"_qs));
        QString error;
        auto fresh = file.read(&error); // no file yet: the initial state
        QVERIFY2(fresh, qPrintable(error));
        QCOMPARE(fresh->consecutiveFailures, 0);
        QVERIFY(!fresh->failoverActive);
        QCOMPARE(fresh->phase, FailoverState::Phase::Normal);

        FailoverState s;
        s.consecutiveFailures = 3;
        s.failoverActive = true;
        s.phase = FailoverState::Phase::Active;
        s.sinceMs = 1'763'000'000'000;
        s.failureTimes = {1'763'000'000'000 - 600'000, 1'763'000'000'000 - 300'000, 1'763'000'000'000};
        s.failovers = 1;
        QVERIFY2(file.write(s, 1'763'000'001'000, &error), qPrintable(error));
        QFile raw(path);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        const QByteArray text = raw.readAll();
        QVERIFY2(text.startsWith("{\"consecutive_failures\":3,\"failover_active\":true,"), text.constData());
        const QJsonObject o = QJsonDocument::fromJson(text).object();
        QCOMPARE(o.value(u"since"_qs).toString(), u"2025-11-13T02:13:20.000Z"_qs);
        QCOMPARE(o.value(u"last_change"_qs).toString(), u"2025-11-13T02:13:21.000Z"_qs);
        QCOMPARE(o.value(u"phase"_qs).toString(), u"active"_qs);
        const auto back = file.read(&error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->failureTimes, s.failureTimes);
        QCOMPARE(back->lastChangeMs, 1'763'000'001'000);
        QCOMPARE(back->failovers, 1);

        // The runbook's failback step 2, by hand: the seed's field wins over OpsDeck's phase.
        raw.close();
        QFile hand(path);
        QVERIFY(hand.open(QIODevice::WriteOnly | QIODevice::Truncate));
        hand.write("{\"consecutive_failures\": 0, \"failover_active\": false}\n");
        hand.close();
        const auto reset = file.read(&error);
        QVERIFY2(reset, qPrintable(error));
        QVERIFY(!reset->failoverActive);
        QCOMPARE(reset->phase, FailoverState::Phase::Normal);

        // update() is a locked read-modify-write.
        FailoverState after;
        QVERIFY2(file.update(1'763'000'002'000, [](FailoverState &st) { st.consecutiveFailures = 1; return true; }, &after, &error),
                 qPrintable(error));
        QCOMPARE(after.consecutiveFailures, 1);
        QCOMPARE(file.read(&error)->consecutiveFailures, 1);
    }

    void brokenStateFile_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("consecutive_failures=2") << "is not a JSON object";
        QTest::newRow("count missing") << QByteArray("{\"failover_active\":false}") << "`consecutive_failures` must be a whole number";
        QTest::newRow("active not bool") << QByteArray("{\"consecutive_failures\":0,\"failover_active\":\"yes\"}") << "`failover_active` must be true or false";
        QTest::newRow("bad phase") << QByteArray("{\"consecutive_failures\":0,\"failover_active\":false,\"phase\":\"sideways\"}") << "unknown `phase` `sideways`";
        QTest::newRow("bad time") << QByteArray("{\"consecutive_failures\":0,\"failover_active\":false,\"since\":\"yesterday\"}") << "`since` is not an ISO 8601 time";
    }

    // A broken file is an error naming it — never silently a fresh state that could fail over again.
    void brokenStateFile()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"s.json"_qs);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        QString error;
        QVERIFY(!FailoverStateFile(path, QString()).read(&error));
        QVERIFY2(error.contains(path) && error.contains(expected), qPrintable(error));
        FailoverState out;
        QVERIFY(!FailoverStateFile(path, QString()).update(0, [](FailoverState &) { return true; }, &out, &error));
    }

    // The transition lock: one holder at a time; a second object (as another program would) is told who holds it.
    void transitionLock()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"s.json"_qs);
        FailoverStateFile a(path, QString()), b(path, QString());
        QString holder;
        QVERIFY(a.lockTransition(&holder));
        QVERIFY(a.holdsTransition());
        QVERIFY(!b.lockTransition(&holder));
        QVERIFY2(holder.contains(QString::number(QCoreApplication::applicationPid())), qPrintable(holder));
        a.unlockTransition();
        QVERIFY(b.lockTransition(&holder));
    }
};

QTEST_GUILESS_MAIN(TestFailoverConfig)
#include "tst_failover_config.moc"
