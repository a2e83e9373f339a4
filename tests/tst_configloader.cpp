#include "configloader.h"

#include <QDir>
#include <QtTest>

namespace {
const QString kFile = QStringLiteral("/etc/opsdeck/test.yaml");

QString firstError(const ConfigLoader::Result &r)
{
    for (const ConfigIssue &i : r.issues)
        if (i.severity == ConfigIssue::Severity::Error)
            return i.toString();
    return QStringLiteral("(no error)");
}
} // namespace

class TestConfigLoader : public QObject
{
    Q_OBJECT

private slots:
    // Every error names file, line, column and field, and says what was expected.
    void errors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expected");

        const QByteArray head = "services:\n  - name: api\n    checks:\n";
        QTest::newRow("yaml syntax") << QByteArray("services: [\n  - a: b\n") << ":2:3: error: YAML syntax error";
        QTest::newRow("empty file") << QByteArray("") << ":1:1: error: the file is empty";
        QTest::newRow("top level list") << QByteArray("- a\n") << ":1:1: error: expected a mapping with `services:`";
        QTest::newRow("no services") << QByteArray("store: sqlite\n") << "error: services: missing";
        QTest::newRow("unknown top key") << QByteArray("servics: []\n") << ":1:1: error: servics: unknown key `servics`; did you mean `services`?";
        QTest::newRow("services not list") << QByteArray("services: {a: 1}\n") << ":1:11: error: services: expected a list";
        QTest::newRow("service missing name") << QByteArray("services:\n  - checks: []\n") << ":2:5: error: services[0]: missing `name`";
        QTest::newRow("unknown service key")
            << QByteArray("services:\n  - name: api\n    grup: x\n    checks:\n      - name: h\n        url: http://a/\n")
            << ":3:5: error: services[api].grup: unknown key `grup`; did you mean `group`?";
        QTest::newRow("no checks") << QByteArray("services:\n  - name: api\n") << ":2:5: error: services[api].checks: missing";
        QTest::newRow("check not map") << head + "      - just-a-string\n" << ":4:9: error: services[api].checks[0]: expected a mapping";
        QTest::newRow("check missing name") << head + "      - url: http://a/\n" << ":4:9: error: services[api].checks[0]: missing `name`";
        QTest::newRow("unknown check key")
            << head + "      - name: h\n        url: http://a/\n        intervall: 10s\n"
            << ":6:9: error: services[api].checks[h].intervall: unknown key `intervall`; did you mean `interval`?";
        QTest::newRow("key of another kind")
            << head + "      - name: h\n        type: tcp\n        host: a\n        port: 1\n        url: http://a/\n"
            << ":8:9: error: services[api].checks[h].url: `url` does not apply to tcp checks";
        QTest::newRow("unknown type") << head + "      - name: h\n        type: ping\n"
                                      << ":5:15: error: services[api].checks[h].type: unknown check type `ping`";
        QTest::newRow("bad duration") << head + "      - name: h\n        url: http://a/\n        interval: 10 sec\n"
                                      << ":6:19: error: services[api].checks[h].interval: bad duration `10 sec`: expected a number followed by ms, s, m, h or d";
        QTest::newRow("bare number duration") << head + "      - name: h\n        url: http://a/\n        timeout: 10\n"
                                              << ":6:18: error: services[api].checks[h].timeout: bad duration `10`";
        QTest::newRow("interval too short") << head + "      - name: h\n        url: http://a/\n        interval: 5ms\n"
                                            << ":6:19: error: services[api].checks[h].interval: `5ms` is too short";
        QTest::newRow("duration wrong type") << head + "      - name: h\n        url: http://a/\n        interval: [1]\n"
                                             << ":6:19: error: services[api].checks[h].interval: expected a duration, got a list";
        QTest::newRow("missing url") << head + "      - name: h\n" << ":4:15: error: services[api].checks[h].url: missing";
        QTest::newRow("bad url scheme") << head + "      - name: h\n        url: ftp://a/\n"
                                        << ":5:14: error: services[api].checks[h].url: bad URL `ftp://a/`: expected an http:// or https:// address";
        QTest::newRow("bad url") << head + "      - name: h\n        url: \"http://a b/\"\n"
                                 << ":5:14: error: services[api].checks[h].url: bad URL `http://a b/`";
        QTest::newRow("url without host") << head + "      - name: h\n        url: http:///x\n"
                                          << ":5:14: error: services[api].checks[h].url: bad URL `http:///x`: no host";
        QTest::newRow("bad method") << head + "      - name: h\n        url: http://a/\n        method: FETCH\n"
                                    << ":6:17: error: services[api].checks[h].method: unknown method `FETCH`";
        QTest::newRow("headers not map") << head + "      - name: h\n        url: http://a/\n        headers: [a]\n"
                                         << ":6:18: error: services[api].checks[h].headers: expected a mapping";
        QTest::newRow("bad bool") << head + "      - name: h\n        url: https://a/\n        insecure: maybe\n"
                                  << ":6:19: error: services[api].checks[h].insecure: expected true or false, got `maybe`";
        QTest::newRow("bad threshold") << head + "      - name: h\n        url: http://a/\n        failure_threshold: 0\n"
                                       << ":6:28: error: services[api].checks[h].failure_threshold: 0 is out of range: expected 1 to 100";
        QTest::newRow("threshold not number") << head + "      - name: h\n        url: http://a/\n        success_threshold: two\n"
                                              << ":6:28: error: services[api].checks[h].success_threshold: expected a whole number, got `two`";
        QTest::newRow("bad size") << head + "      - name: h\n        url: http://a/\n        max_body: lots\n"
                                  << ":6:19: error: services[api].checks[h].max_body: expected a size such as 1MiB";
        // Condition errors point at the character inside the expression: line 6, the quote at
        // column 13, the expression from column 14, its column 15 is the `=`.
        QTest::newRow("bad condition column")
            << head + "      - name: h\n        url: http://a/\n        conditions:\n          - \"[BODY].status = ok\"\n"
            << ":7:28: error: services[api].checks[h].conditions[0]: bad condition `[BODY].status = ok`: column 15: `=` is not an operator";
        QTest::newRow("bad condition plain scalar")
            << head + "      - name: h\n        url: http://a/\n        conditions: [ \"[STATUS] == 200\", \"[STATS] == 1\" ]\n"
            << ":6:43: error: services[api].checks[h].conditions[1]: bad condition `[STATS] == 1`: column 1: unknown placeholder `[STATS]`";
        QTest::newRow("placeholder of another kind")
            << head + "      - name: h\n        type: tcp\n        host: a\n        port: 1\n        conditions: [\"[STATUS] == 200\"]\n"
            << ":8:23: error: services[api].checks[h].conditions[0]: bad condition `[STATUS] == 200`: column 1: `[STATUS]` is not measured by tcp checks";
        QTest::newRow("conditions not list") << head + "      - name: h\n        url: http://a/\n        conditions: \"[STATUS] == 200\"\n"
                                             << ":6:21: error: services[api].checks[h].conditions: expected a list";
        QTest::newRow("empty conditions") << head + "      - name: h\n        url: http://a/\n        conditions: []\n"
                                          << ":6:21: error: services[api].checks[h].conditions: the list is empty";
        QTest::newRow("duplicate check")
            << head + "      - name: h\n        url: http://a/\n      - name: h\n        url: http://b/\n"
            << ":6:15: error: services[api].checks[1].name: duplicate check name `h` in service `api` (first defined on line 4)";
        QTest::newRow("duplicate service")
            << QByteArray("services:\n  - name: a\n    checks: [{name: h, url: 'http://a/'}]\n  - name: a\n    checks: [{name: h, url: 'http://a/'}]\n")
            << ":4:11: error: services[1].name: duplicate service name `a` (first defined on line 2)";
        QTest::newRow("duplicate key") << head + "      - name: h\n        url: http://a/\n        url: http://b/\n"
                                       << ":6:9: error: services[api].checks[h].url: duplicate key `url`";
        QTest::newRow("command as string") << head + "      - name: c\n        type: command\n        command: \"ls | wc\"\n"
                                           << ":6:18: error: services[api].checks[c].command: expected an argument list";
        QTest::newRow("empty command") << head + "      - name: c\n        type: command\n        command: []\n"
                                       << ":6:18: error: services[api].checks[c].command: the argument list is empty";
        QTest::newRow("tcp port range") << head + "      - name: t\n        type: tcp\n        host: a\n        port: 70000\n"
                                        << ":7:15: error: services[api].checks[t].port: 70000 is out of range: expected 1 to 65535";
        QTest::newRow("sql driver") << head + "      - name: q\n        type: sql\n        driver: mysql\n        connection: x\n"
                                    << ":6:17: error: services[api].checks[q].driver: unknown driver `mysql`: expected sqlite or postgresql";
        QTest::newRow("pg url") << head + "      - name: q\n        type: sql\n        driver: postgresql\n        connection: localhost\n"
                                << ":7:21: error: services[api].checks[q].connection: bad PostgreSQL connection `localhost`";
        QTest::newRow("file_age needs age") << head + "      - name: b\n        type: file_age\n        path: /srv/*.sqlite\n"
                                            << ":4:15: error: services[api].checks[b]: a file_age check needs `max_age`";
        QTest::newRow("log needs filter") << head + "      - name: l\n        type: log\n        path: /var/log/a.ndjson\n"
                                          << ":4:15: error: services[api].checks[l].filter: missing";
        QTest::newRow("bad log filter") << head + "      - name: l\n        type: log\n        path: a.ndjson\n        filter: \"level = error\"\n"
                                        << ":7:24: error: services[api].checks[l].filter: bad condition `level = error`: column 7";
        QTest::newRow("malformed secret") << head + "      - name: h\n        url: http://a/\n        headers: { X-Key: \"${secret:}\" }\n"
                                          << ":6:27: error: services[api].checks[h].headers.X-Key:";
        QTest::newRow("bad store") << QByteArray("store: mysql://x\nservices: []\n") << ":1:8: error: store:";
        QTest::newRow("bad jitter") << QByteArray("scheduler: {jitter: 2}\nservices: []\n")
                                    << ":1:21: error: scheduler.jitter: expected a fraction of the interval from 0 to 0.5";
        QTest::newRow("bad default") << QByteArray("defaults: {interval: soon}\nservices: []\n")
                                     << ":1:22: error: defaults.interval: bad duration `soon`";
        const QByteArray svc = "services:\n  - name: api\n    checks: [{name: health, url: 'http://a/'}]\n";
        QTest::newRow("slo availability 100") << svc + "    slo: { availability: 100 }\n"
                                              << ":4:26: error: services[api].slo.availability: 100 is out of range: expected more than 0 and less than 100";
        QTest::newRow("slo unknown key") << svc + "    slo: { availabilty: 99 }\n"
                                         << ":4:12: error: services[api].slo.availabilty: unknown key `availabilty`; did you mean `availability`?";
        QTest::newRow("slo bad window") << svc + "    slo: { window: forever }\n"
                                        << ":4:20: error: services[api].slo.window: expected a rolling window from 1h to 400d";
        QTest::newRow("slo unknown check") << svc + "    slo: { checks: [helth] }\n"
                                           << ":4:21: error: services[api].slo.checks[0]: no check `helth` in service `api` (its checks: health)";
        QTest::newRow("slo target without threshold") << svc + "    slo: { latency_target: 99 }\n"
                                                      << ":4:28: error: services[api].slo.latency_target: needs `latency_ms`";
        QTest::newRow("slo thresholds order") << svc + "    slo: { budget_warning: 10, budget_critical: 25 }\n"
                                              << ":4:10: error: services[api].slo.budget_critical: critical (25 %) must not be above warning (10 %)";
        QTest::newRow("slo not a map") << svc + "    slo: 99.9\n" << ":4:10: error: services[api].slo: expected a mapping";
        QTest::newRow("history order") << QByteArray("history: { raw: 3d, minutes: 1d }\nservices: []\n")
                                       << ":1:10: error: history.minutes: per-minute history (1d) must be kept at least as long as raw results (3d)";
        QTest::newRow("unknown scheme") << svc + "    severity_scheme: SEV\n"
                                        << ":4:22: error: services[api].severity_scheme: unknown scheme `SEV`; known: P0-P3, Level 1-3, P1-P4";
        QTest::newRow("rule cause") << svc + "    incidents: [{on: exploded}]\n"
                                    << ":4:22: error: services[api].incidents[0].on: expected down, degraded, budget_critical, burn_page or failover";
        QTest::newRow("rule severity") << svc + "    incidents: [{on: down, severity: P9}]\n"
                                       << ":4:38: error: services[api].incidents[0].severity: no level `P9` in the scheme P0-P3 (levels: P0, P1, P2, P3)";
        QTest::newRow("rule after on degraded") << svc + "    incidents: [{on: degraded, after: 3}]\n"
                                                << ":4:39: error: services[api].incidents[0].after: `after` (consecutive down results) is for `on: down`";
        QTest::newRow("rule twice") << svc + "    incidents: [{on: down}, {on: down}]\n"
                                    << ":4:34: error: services[api].incidents[1].on: a second rule for `down`";
        QTest::newRow("depends on unknown") << svc + "    depends_on: [router]\n"
                                            << ":2:11: error: services[api].depends_on: no service `router` (services: api)";
        QTest::newRow("dependency cycle")
            << QByteArray("services:\n  - name: a\n    checks: [{name: h, url: 'http://a/'}]\n    depends_on: [b]\n"
                          "  - name: b\n    checks: [{name: h, url: 'http://a/'}]\n    depends_on: [a]\n")
            << ":2:11: error: services[a].depends_on: a dependency cycle: a → b → a";
        QTest::newRow("maintenance service") << svc + "maintenance: [{service: web, start: 2026-12-01T02:00Z, for: 2h}]\n"
                                             << ":4:15: error: maintenance[0]: no service `web` (services: api)";
        QTest::newRow("maintenance zone") << svc + "maintenance: [{service: api, start: 2026-12-01T02:00, for: 2h}]\n"
                                          << ":4:37: error: maintenance[0].start: expected a date and time with its zone";
        QTest::newRow("maintenance backwards") << svc + "maintenance: [{service: api, start: 2026-12-01T02:00Z, end: 2026-12-01T01:00Z}]\n"
                                               << ":4:61: error: maintenance[0].end: ends before it starts";
        QTest::newRow("maintenance cron") << svc + "maintenance: [{service: api, every: '0 2 * sun', for: 2h}]\n"
                                          << ":4:37: error: maintenance[0].every: a cron expression has five fields";
        QTest::newRow("maintenance cron field") << svc + "maintenance: [{service: api, every: '0 25 * * *', for: 2h}]\n"
                                                << ":4:37: error: maintenance[0].every: `25` is not valid in the hour field (0 to 23)";
        QTest::newRow("notify kind") << svc + "notify: [{pager: {url: 'https://x/'}}]\n"
                                     << ":4:11: error: notify[0]: unknown channel `pager`";
        QTest::newRow("notify url") << svc + "notify: [{ntfy: {url: 'ftp://x/'}}]\n"
                                    << ":4:23: error: notify[0].ntfy.url: bad URL `ftp://x/`";
        QTest::newRow("notify telegram chat") << svc + "notify: [{telegram: {token: '${secret:tg}'}}]\n"
                                              << ":4:21: error: notify[0].telegram.chat: missing";
        QTest::newRow("notify duplicate name") << svc + "notify: [{ntfy: {url: 'https://a/'}}, {ntfy: {url: 'https://b/'}}]\n"
                                               << ":4:39: error: notify[1].ntfy: two channels are called `ntfy`";
        QTest::newRow("notify min severity") << svc + "notify: [{ntfy: {url: 'https://a/', min_severity: SEV1}}]\n"
                                             << ":4:51: error: notify[0].ntfy.min_severity: no service's severity scheme has a level `SEV1`";
        QTest::newRow("notify quiet hours") << svc + "notify: [{ntfy: {url: 'https://a/', quiet_hours: late}}]\n"
                                            << ":4:50: error: notify[0].ntfy.quiet_hours: expected local times like 22:00-07:00";
        QTest::newRow("custom scheme clash") << QByteArray("severity_schemes: [{name: P0-P3, levels: [{name: A}]}]\nservices: []\n")
                                             << ":1:27: error: severity_schemes[0].name: `P0-P3` already exists";
        QTest::newRow("history too short") << QByteArray("history: { raw: 10m }\nservices: []\n")
                                           << ":1:17: error: history.raw: `10m` is too short: at least 1h";
    }

    void errors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expected);
        const ConfigLoader::Result r = ConfigLoader::loadText(yaml, kFile);
        QVERIFY2(!r.ok(), "a config with errors must not load");
        bool found = false;
        for (const ConfigIssue &i : r.issues)
            found = found || i.toString().contains(expected);
        QVERIFY2(found, qPrintable(QStringLiteral("expected `%1`; got:\n%2").arg(expected, firstError(r))));
        for (const ConfigIssue &i : r.issues)
            QVERIFY2(i.toString().startsWith(kFile), qPrintable(i.toString()));
    }

    void allErrorsReported()
    {
        const QByteArray yaml = "services:\n  - name: a\n    checks:\n      - name: h\n        url: ftp://x\n        interval: x\n"
                                "      - name: g\n        url: http://a/\n        conditions: [\"[STATUS] = 1\"]\n";
        const ConfigLoader::Result r = ConfigLoader::loadText(yaml, kFile);
        QCOMPARE(r.errorCount(), 3);
        // Issues come in file order.
        QCOMPARE(r.issues.at(0).where.line, 5);
        QCOMPARE(r.issues.at(1).where.line, 6);
        QCOMPARE(r.issues.at(2).where.line, 9);
    }

    void warningsDoNotBlock()
    {
        const QByteArray yaml = "services:\n  - name: a\n    checks:\n      - name: h\n        url: https://a/\n        insecure: true\n"
                                "        interval: 5s\n        timeout: 10s\n";
        const ConfigLoader::Result r = ConfigLoader::loadText(yaml, kFile);
        QVERIFY(r.ok());
        QCOMPARE(r.issues.size(), 2);
        QVERIFY(r.issues.at(0).toString().contains(u"warning: services[a].checks[h].timeout: timeout 10s is longer than the interval 5s"));
        QVERIFY(r.issues.at(1).toString().contains(u":6:19: warning: services[a].checks[h].insecure: TLS certificate verification is OFF"));
        QVERIFY(r.config->services.first().checks.first().http.insecure);
    }

    void valuesAndDefaults()
    {
        const QByteArray yaml = R"(
store: sqlite:history/h.sqlite
defaults: { interval: 30s, timeout: 3s, failure_threshold: 3 }
scheduler: { max_concurrent: 10, per_host: 2, jitter: 0.2 }
connectivity: { type: tcp, host: 192.168.1.1, port: 53 }
services:
  - name: echopilot
    group: EchoPilot
    checks:
      - name: health
        url: https://e.example/health
        method: post
        headers: { X-Dash-Key: "${secret:dash-key}" }
        body: '{"ping":1}'
        ca_file: certs/ca.pem
        max_body: 2MiB
        max_redirects: 0
        conditions: ["[STATUS] == 200", "warning: [RESPONSE_TIME] < 400"]
      - name: tcp
        type: tcp
        host: db
        port: 5432
        interval: 5s
        success_threshold: 2
      - name: cmd
        type: command
        command: [pg_isready, -h, localhost]
        working_dir: ~/work
      - name: backups
        type: file_age
        path: /srv/backups/*.sqlite
        max_age: 26h
      - name: audit
        type: log
        path: logs/audit.ndjson
        filter: ["ok == false", "action == login"]
        window: 10m
        limit: 3
      - name: disk
        type: disk
        path: /
)";
        const ConfigLoader::Result r = ConfigLoader::loadText(yaml, QStringLiteral("/etc/opsdeck/opsdeck.yaml"));
        QVERIFY2(r.ok(), qPrintable(firstError(r)));
        const Config &c = *r.config;
        QCOMPARE(c.store.path, QStringLiteral("/etc/opsdeck/history/h.sqlite"));
        QCOMPARE(c.scheduler.maxConcurrent, 10);
        QCOMPARE(c.scheduler.perHost, 2);
        QCOMPARE(c.scheduler.jitter, 0.2);
        QVERIFY(c.connectivity);
        QCOMPARE(c.connectivity->tcp.host, QStringLiteral("192.168.1.1"));
        const ServiceConfig &s = c.services.first();
        QCOMPARE(s.group, QStringLiteral("EchoPilot"));
        const CheckConfig &h = s.checks.at(0);
        QCOMPARE(h.kind, CheckKind::Http);
        QCOMPARE(h.intervalMs, 30'000);
        QCOMPARE(h.timeoutMs, 3'000);
        QCOMPARE(h.failureThreshold, 3);
        QCOMPARE(h.http.method, QByteArray("POST"));
        QCOMPARE(h.http.headers.first().second, QStringLiteral("${secret:dash-key}"));
        QCOMPARE(h.http.caFile, QStringLiteral("/etc/opsdeck/certs/ca.pem"));
        QCOMPARE(h.http.maxBodyBytes, 2 * 1024 * 1024);
        QCOMPARE(h.http.maxRedirects, 0);
        QCOMPARE(h.conditions.size(), 2);
        QVERIFY(h.conditions.at(1).condition.warning);
        QCOMPARE(h.conditions.at(1).where.line, 18);
        QCOMPARE(h.secretCarriers().size(), 3);
        const CheckConfig &t = s.checks.at(1);
        QCOMPARE(t.intervalMs, 5'000);
        QCOMPARE(t.successThreshold, 2);
        QCOMPARE(t.conditions.first().condition.text, QStringLiteral("[CONNECTED] == true"));
        QCOMPARE(s.checks.at(2).command.argv, QStringList({"pg_isready", "-h", "localhost"}));
        QCOMPARE(s.checks.at(2).command.workingDir, QDir::homePath() + QStringLiteral("/work"));
        QCOMPARE(s.checks.at(3).conditions.first().condition.text, QStringLiteral("[AGE] < 26h"));
        QCOMPARE(s.checks.at(4).path, QStringLiteral("/etc/opsdeck/logs/audit.ndjson"));
        QCOMPARE(s.checks.at(4).log.filter.size(), 2);
        QCOMPARE(s.checks.at(4).log.windowMs, 600'000);
        QCOMPARE(s.checks.at(4).conditions.first().condition.text, QStringLiteral("[COUNT] <= 3"));
        QCOMPARE(s.checks.at(5).conditions.size(), 2);
        QCOMPARE(s.checks.at(5).target(), QStringLiteral("localhost"));
        QCOMPARE(h.target(), QStringLiteral("e.example"));
    }

    void sloValues()
    {
        const QByteArray yaml = "history: { raw: 24h, minutes: 7d, hours: 90d }\n"
                                "services:\n"
                                "  - name: echopilot\n    checks: [{name: health, url: 'http://a/'}, {name: disk, type: disk, path: /}]\n"
                                "    slo: { availability: 99.5, latency_ms: 400, latency_target: 95, window: 7d, checks: [health],\n"
                                "           budget_warning: 30, budget_critical: 5, min_bad_events: 3 }\n"
                                "  - name: monthly\n    checks: [{name: h, url: 'http://a/'}]\n    slo: { window: month }\n"
                                "  - name: defaulted\n    checks: [{name: h, url: 'http://a/'}]\n"
                                "  - name: none\n    checks: [{name: h, url: 'http://a/'}]\n    slo: off\n";
        const ConfigLoader::Result r = ConfigLoader::loadText(yaml, kFile);
        QVERIFY2(r.ok(), qPrintable(firstError(r)));
        const Config &c = *r.config;
        QCOMPARE(c.history.rawMs, 24LL * 3'600'000);
        QCOMPARE(c.history.minuteMs, 7LL * 86'400'000);
        QCOMPARE(c.history.hourMs, 90LL * 86'400'000);
        const SloSettings &e = c.services.at(0).slo;
        QVERIFY(e.enabled);
        QCOMPARE(e.availability, 99.5);
        QCOMPARE(e.latencyMs, 400.0);
        QCOMPARE(e.latencyTarget, 95.0);
        QCOMPARE(e.windowMs, 7LL * 86'400'000);
        QCOMPARE(e.checks, QStringList{u"health"_qs});
        QCOMPARE(e.budgetWarning, 30.0);
        QCOMPARE(e.budgetCritical, 5.0);
        QCOMPARE(e.minBadEvents, 3);
        QVERIFY(c.services.at(1).slo.calendarMonth);
        const SloSettings &d = c.services.at(2).slo; // the runbooks' defaults
        QVERIFY(d.enabled);
        QCOMPARE(d.availability, 99.9);
        QCOMPARE(d.windowMs, 30LL * 86'400'000);
        QCOMPARE(d.budgetWarning, 25.0);
        QCOMPARE(d.budgetCritical, 10.0);
        QVERIFY(!c.services.at(3).slo.enabled);
    }

    void incidentsAndNotify()
    {
        // Kept in a file: moc cannot read raw string literals with quotes inside.
        const QString path = QStringLiteral(OPSDECK_SOURCE_DIR "/tests/data/config/incidents.yaml");
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray yaml = file.readAll();
        const ConfigLoader::Result r = ConfigLoader::loadText(yaml, kFile);
        QVERIFY2(r.ok(), qPrintable(firstError(r)));
        const Config &c = *r.config;
        QCOMPARE(c.severitySchemes.size(), 1);
        const SeverityScheme *ours = c.scheme(c.services.at(1));
        QVERIFY(ours);
        QCOMPARE(ours->levels.at(0).acknowledgeMs, 0);
        QCOMPARE(ours->levels.at(0).mitigateMs, 30 * 60'000);
        QVERIFY(ours->levels.at(2).nextBusinessDay);
        const ServiceConfig &api = c.services.at(1);
        QCOMPARE(api.dependsOn, QStringList{u"router"_qs});
        QCOMPARE(api.incidentRules.size(), 2);
        QCOMPARE(api.incidentRules.at(0).cause, IncidentCause::Down);
        QCOMPARE(api.incidentRules.at(0).afterResults, 3);
        QCOMPARE(api.incidentRules.at(0).severity, QStringLiteral("SEV2"));
        QVERIFY(!api.incidentRules.at(0).autoResolve);
        QCOMPARE(api.incidentRules.at(1).severity, QStringLiteral("SEV3")); // degraded defaults to the third level
        QCOMPARE(api.incidentRules.at(1).forMs, 30 * 60'000);
        // Defaults for a service without rules: the scheme's levels.
        const ServiceConfig &router = c.services.at(0);
        QCOMPARE(router.severityScheme, QStringLiteral("P0-P3"));
        QCOMPARE(router.incidentRules.size(), 5);
        QCOMPARE(router.incidentRules.at(0).severity, QStringLiteral("P0"));
        QCOMPARE(c.maintenance.size(), 2);
        QCOMPARE(c.maintenance.at(0).reason, QStringLiteral("upgrade"));
        QCOMPARE(c.maintenance.at(0).endMs - c.maintenance.at(0).startMs, 2 * 3'600'000);
        QCOMPARE(c.maintenance.at(1).cron, QStringLiteral("0 2 * * sun"));
        QVERIFY(c.maintenance.at(1).countInSlo);
        QCOMPARE(c.notify.size(), 5);
        QCOMPARE(c.notify.at(0).name, QStringLiteral("ntfy"));
        QCOMPARE(c.notify.at(0).events, QStringList({u"opened"_qs, u"resolved"_qs}));
        QCOMPARE(c.notify.at(0).quietFrom, QStringLiteral("22:00"));
        QCOMPARE(c.notify.at(0).repeatMs, 30 * 60'000);
        QCOMPARE(c.notify.at(1).name, QStringLiteral("hook"));
        QCOMPARE(c.notify.at(1).secret, QStringLiteral("${secret:hook}"));
        QCOMPARE(c.notify.at(2).url, QStringLiteral("https://api.telegram.org"));
        QCOMPARE(c.notify.at(4).kind, NotifyChannel::Kind::Desktop);
    }

    void exampleConfigsLoad_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(QStringLiteral(OPSDECK_SOURCE_DIR "/resources/configs"));
        const QStringList files = dir.entryList({QStringLiteral("*.yaml")});
        QVERIFY(files.size() >= 5);
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << dir.filePath(f);
    }

    void exampleConfigsLoad()
    {
        QFETCH(QString, path);
        const ConfigLoader::Result r = ConfigLoader::loadFile(path);
        QVERIFY2(r.ok(), qPrintable(firstError(r)));
        QVERIFY(!r.config->services.isEmpty());
        for (const ConfigIssue &i : r.issues)
            QFAIL(qPrintable(QStringLiteral("example config has a warning: ") + i.toString()));
    }

    void missingFile()
    {
        const ConfigLoader::Result r = ConfigLoader::loadFile(QStringLiteral("/nonexistent/opsdeck.yaml"));
        QVERIFY(!r.ok());
        QVERIFY(firstError(r).startsWith(u"/nonexistent/opsdeck.yaml: error: cannot read the config file"));
    }
};

QTEST_GUILESS_MAIN(TestConfigLoader)
#include "tst_configloader.moc"
