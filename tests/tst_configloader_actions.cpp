#include "actionparams.h"
#include "configloader.h"

#include <QFile>
#include <QtTest>

// `services[].actions`: every problem names file, line, column and field and says what was
// expected; a valid config carries every key into ActionConfig. The YAML lives in
// tests/data/config/actions/ (one file per case).
namespace {

const QString kDir = QStringLiteral(OPSDECK_SOURCE_DIR "/tests/data/config/actions/");

QString firstError(const ConfigLoader::Result &r)
{
    QStringList all;
    for (const ConfigIssue &i : r.issues)
        all << i.toString();
    return all.isEmpty() ? QStringLiteral("(no issue)") : all.join(u'\n');
}

ConfigLoader::Result load(const QString &name)
{
    const QString path = kDir + name + QStringLiteral(".yaml");
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(path));
    return ConfigLoader::loadText(file.readAll(), path);
}

} // namespace

class TestConfigLoaderActions : public QObject
{
    Q_OBJECT

private slots:
    void errors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        const QString a = QStringLiteral("services[api].actions");
        QTest::newRow("unknown key") << "unknown-key" << QStringLiteral(":7:9: error: %1[restart].timout: unknown key `timout`; did you mean `timeout`?").arg(a);
        QTest::newRow("no kind") << "no-kind" << QStringLiteral(":5:15: error: %1[restart]: missing what to run: give one of `command`").arg(a);
        QTest::newRow("two kinds") << "two-kinds"
                                   << QStringLiteral(":7:15: error: %1[restart].http: an action is one of `command`, `http` or `builtin`, not several: this one has `command` and `http`").arg(a);
        QTest::newRow("unknown builtin") << "unknown-builtin"
                                         << QStringLiteral(":6:18: error: %1[backup].builtin: unknown built-in `sqlite-bakup`: expected sqlite-backup, pg-dump").arg(a);
        // The regex error points at the character inside the pattern: the quote is at column 36,
        // the pattern from 37, and PCRE2 stops at its end (offset 7, the closing quote).
        QTest::newRow("bad regex") << "bad-regex"
                                   << QStringLiteral(":7:44: error: %1[retry].params.job_id.pattern: bad regular expression `^[a-z+$`: missing terminating ] for character class at character 8").arg(a);
        QTest::newRow("undeclared placeholder")
            << "undeclared-placeholder"
            << QStringLiteral(":6:35: error: %1[retry].http.url: `{job}` names no parameter of this action (its parameters: job_id)").arg(a);
        QTest::newRow("duplicate name") << "duplicate-name"
                                        << QStringLiteral(":7:15: error: %1[1].name: duplicate action name `restart` in service `api` (first defined on line 5)").arg(a);
        QTest::newRow("verify check") << "verify-check"
                                      << QStringLiteral(":8:23: error: %1[rotate].verify_check: no check `helth` in service `api` (its checks: health)").arg(a);
        QTest::newRow("builtin missing field") << "builtin-missing-field"
                                               << QStringLiteral(":5:15: error: %1[backup].to: missing: the built-in sqlite-backup needs `to`").arg(a);
        QTest::newRow("key of another kind")
            << "key-of-other-kind"
            << QStringLiteral(":7:9: error: %1[restart].keep_last: `keep_last` does not apply to command actions (it is for the built-ins sqlite-backup, pg-dump, tar, prune)").arg(a);
        QTest::newRow("command as a string") << "command-string"
                                             << QStringLiteral(":6:18: error: %1[restart].command: expected an argument list such as").arg(a);
        QTest::newRow("placeholder in a shell script")
            << "shell-placeholder"
            << QStringLiteral(":7:18: error: %1[grep].command: a shell script gets its parameters as environment variables, never pasted into the script: write \"$OPSDECK_PARAM_WORD\" instead of `{word}`").arg(a);
        QTest::newRow("secret in argv") << "secret-in-argv"
                                        << QStringLiteral(":6:37: error: %1[login].command[2]: secrets go through `env`, never the argument list").arg(a);
        QTest::newRow("bad default") << "bad-default"
                                     << QStringLiteral(":7:63: error: %1[scale].params.n.default: the default is not valid: 20 is out of range: expected a whole number from 1 to 10").arg(a);
        QTest::newRow("bad param type") << "bad-param-type"
                                        << QStringLiteral(":7:28: error: %1[scale].params.n.type: unknown type `float`: expected string, integer or choice").arg(a);
        QTest::newRow("pattern on an integer") << "pattern-on-integer"
                                               << QStringLiteral(":7:46: error: %1[scale].params.n.pattern: `pattern` is for string parameters").arg(a);
        QTest::newRow("prune without what to keep") << "prune-keep"
                                                    << QStringLiteral(":5:15: error: %1[prune].keep_last: missing: the built-in prune needs `keep_last` or `keep_for`").arg(a);
        QTest::newRow("http bad url") << "http-bad-url"
                                      << QStringLiteral(":6:35: error: %1[retry].http.url: bad URL `ftp://a/retry`: expected an http:// or https:// address").arg(a);
        QTest::newRow("ok_status range") << "ok-status" << QStringLiteral(":7:26: error: %1[retry].ok_status[1]: 700 is out of range: expected 100 to 599").arg(a);
        QTest::newRow("shell with an argv") << "shell-two-items"
                                            << QStringLiteral(":7:18: error: %1[script].command: with `shell: true`, `command` is one script").arg(a);
        QTest::newRow("unknown http key") << "unknown-http-key"
                                          << QStringLiteral(":6:39: error: %1[retry].http.metod: unknown key `metod`; did you mean `method`?").arg(a);
        QTest::newRow("choice without choices") << "choices-missing"
                                                << QStringLiteral(":7:23: error: %1[deploy].params.env.choices: missing: a choice parameter needs `choices: [a, b]`").arg(a);
    }

    void errors()
    {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const ConfigLoader::Result r = load(file);
        QVERIFY2(!r.ok(), "a config with errors must not load");
        bool found = false;
        for (const ConfigIssue &i : r.issues)
            found = found || i.toString().contains(expected);
        QVERIFY2(found, qPrintable(QStringLiteral("expected `%1`; got:\n%2").arg(expected, firstError(r))));
        // One mistake, one error: nothing it causes is reported again.
        QVERIFY2(r.errorCount() == 1, qPrintable(firstError(r)));
        for (const ConfigIssue &i : r.issues)
            QVERIFY2(i.toString().startsWith(kDir + file), qPrintable(i.toString()));
    }

    void everyKey()
    {
        const ConfigLoader::Result r = load(QStringLiteral("valid"));
        QVERIFY2(r.ok(), qPrintable(firstError(r)));
        QVERIFY2(r.issues.isEmpty(), qPrintable(firstError(r)));
        const ServiceConfig &s = r.config->services.first();
        QCOMPARE(s.actions.size(), 10);

        const ActionConfig *restart = s.action(u"restart-worker");
        QVERIFY(restart);
        QCOMPARE(restart->kind, ActionKind::Command);
        QCOMPARE(restart->description, QStringLiteral("Restart the worker container"));
        QCOMPARE(restart->argv, QStringList({"docker", "compose", "-f", "compose.pi.yml", "restart", "worker"}));
        QVERIFY(!restart->shell);
        QCOMPARE(restart->workingDir, kDir + QStringLiteral("deploy"));
        QCOMPARE(restart->environment.size(), 2);
        QCOMPARE(restart->environment.at(1).second, QStringLiteral("${secret:pg}"));
        QCOMPARE(restart->timeoutMs, 120'000);
        QCOMPARE(restart->maxOutputBytes, 64 * 1024);
        QVERIFY(!restart->confirm);

        const ActionConfig *tail = s.action(u"tail-log");
        QVERIFY(tail->shell);
        QCOMPARE(tail->argv.size(), 1);
        const ActionParam *lines = tail->param(u"lines");
        QVERIFY(lines);
        QCOMPARE(lines->type, ActionParam::Type::Integer);
        QCOMPARE(lines->min, 1);
        QCOMPARE(lines->max, 1000);
        QCOMPARE(lines->defaultValue.value_or(QString()), QStringLiteral("50"));

        const ActionConfig *retry = s.action(u"retry-job");
        QCOMPARE(retry->kind, ActionKind::Http);
        QCOMPARE(retry->http.method, QByteArray("POST"));
        QCOMPARE(retry->http.url, QStringLiteral("https://echopilot.example/api/job/{job_id}/retry?env={env}"));
        QCOMPARE(retry->http.headers.size(), 2);
        QCOMPARE(retry->http.body, QStringLiteral("{\"job\": \"{job_id}\", \"reason\": \"retry\"}"));
        QCOMPARE(retry->http.caFile, kDir + QStringLiteral("certs/ca.pem"));
        QCOMPARE(retry->okStatus, QList<int>({200, 202}));
        QVERIFY(retry->confirm);
        const ActionParam *job = retry->param(u"job_id");
        QCOMPARE(job->type, ActionParam::Type::String);
        QCOMPARE(job->patternText, QStringLiteral("[A-Za-z0-9-]{1,64}"));
        QVERIFY(!job->defaultValue);
        QCOMPARE(job->description, QStringLiteral("The stuck job"));
        // Anchored by the loader although the pattern does not say ^…$.
        QVERIFY(ActionParams::check(*job, QStringLiteral("abc-123")).isEmpty());
        QVERIFY(!ActionParams::check(*job, QStringLiteral("abc; rm -rf /")).isEmpty());
        const ActionParam *env = retry->param(u"env");
        QCOMPARE(env->type, ActionParam::Type::Choice);
        QCOMPARE(env->choices, QStringList({"staging", "production"}));
        QCOMPARE(env->defaultValue.value_or(QString()), QStringLiteral("production"));

        const ActionConfig *backup = s.action(u"backup-db");
        QCOMPARE(backup->kind, ActionKind::Builtin);
        QCOMPARE(backup->builtin, BuiltinKind::SqliteBackup);
        QCOMPARE(backup->source, kDir + QStringLiteral(".data/db.sqlite"));
        QCOMPARE(backup->to, QStringLiteral("/srv/backups/gateway"));
        QCOMPARE(backup->keepLast, 7);
        QCOMPARE(backup->keepForMs, 14LL * 86'400'000);
        QCOMPARE(backup->maxAgeMs, 26LL * 3'600'000);
        QCOMPARE(backup->maxAgeDownMs, 48LL * 3'600'000);
        QCOMPARE(s.action(u"dump")->source, QStringLiteral("postgresql://postgres:${secret:pg}@localhost:5432/ai_fsm"));
        QCOMPARE(s.action(u"archive")->sources, QStringList({kDir + QStringLiteral(".data"), kDir + QStringLiteral("config")}));
        QCOMPARE(s.action(u"prune")->keepLast, 3);
        const ActionConfig *rotate = s.action(u"rotate-key");
        QCOMPARE(rotate->secret, QStringLiteral("echopilot-dash-key"));
        QCOMPARE(rotate->secretBytes, 48);
        QCOMPARE(rotate->verifyCheck, QStringLiteral("supervisor"));
        // Restores always ask first.
        QVERIFY(s.action(u"restore-db")->confirm);
        QCOMPARE(s.action(u"restore-db")->from, QStringLiteral("/srv/backups/gateway/latest.sqlite"));
        QVERIFY(s.action(u"pg-restore")->confirm);
    }
};

QTEST_GUILESS_MAIN(TestConfigLoaderActions)
#include "tst_configloader_actions.moc"
