#include "conditionevaluator.h"
#include "conditionparser.h"
#include "probereading.h"

#include <QJsonObject>
#include <QtTest>

namespace {
constexpr qint64 kNow = 1'763'000'000'000; // 2025-11-13T02:13:20Z

ProbeReading reading()
{
    ProbeReading r;
    r.httpStatus = 200;
    r.set(QStringLiteral("STATUS"), 200);
    r.set(QStringLiteral("CONNECTED"), true);
    r.responseTimeMs = 123;
    r.body = R"({"status":"ok","p95":"fail","checks":{"db":"fail","cache":"ok"},
                 "dependencies":{"db":"ok","notion":"ok","openai":"ok"},
                 "degraded_deps":{"db":"ok","notion":"down"},
                 "empty":{}, "stuck":[], "jobs":[{"id":"a","ok":true},{"id":"b","ok":false}],
                 "last_tick":"2025-11-13T02:12:20Z","epoch_tick":1762999940,
                 "count":"17", "message":"all good", "nothing":null, "flag":true})";
    r.headers << qMakePair(QByteArray("Content-Type"), QByteArray("application/json; charset=utf-8"));
    r.set(QStringLiteral("CERTIFICATE_EXPIRATION"), double(20LL * 86'400'000));
    return r;
}
} // namespace

class TestConditions : public QObject
{
    Q_OBJECT

private slots:
    void parseErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");

        QTest::newRow("empty") << "" << 1 << "empty condition";
        QTest::newRow("unknown placeholder") << "[STATS] == 200" << 1 << "unknown placeholder `[STATS]`";
        QTest::newRow("unclosed bracket") << "[STATUS == 200" << 1 << "unclosed `[`";
        QTest::newRow("no operator") << "[STATUS] 200" << 10 << "expected a comparison operator";
        QTest::newRow("single equals") << "[STATUS] = 200" << 10 << "use `==`";
        QTest::newRow("nothing after operator") << "[STATUS] ==" << 12 << "expected a value after `==`";
        QTest::newRow("unknown function") << "lenn([BODY].x) == 0" << 1 << "unknown function `lenn()`";
        QTest::newRow("pat on left") << "pat(x) == [STATUS]" << 1 << "belongs on the right";
        QTest::newRow("pat with <") << "[BODY].x < pat(a*)" << 12 << "only works with `==` or `!=`";
        QTest::newRow("missing paren") << "len([BODY].x == 0" << 14 << "expected `,` or `)`";
        QTest::newRow("status with path") << "[STATUS].code == 1" << 1 << "has no fields";
        QTest::newRow("header without name") << "[HEADER] == x" << 1 << "needs a header name";
        QTest::newRow("empty path segment") << "[BODY]. == x" << 7 << "expected a field name after `.`";
        QTest::newRow("two operators") << "[STATUS] == 200 == 300" << 17 << "a second operator `==`";
        QTest::newRow("two constants") << "200 == 200" << 1 << "compares two constants";
        QTest::newRow("unterminated string") << "[BODY].a == \"ok" << 13 << "unterminated string";
        QTest::newRow("len of literal") << "len(5) == 1" << 5 << "takes a placeholder";
        QTest::newRow("warning column") << "warning: [NOPE] < 1" << 10 << "unknown placeholder";
        QTest::newRow("bad array index") << "[BODY].a[x] == 1" << 9 << "array index";
    }

    void parseErrors()
    {
        QFETCH(QString, text);
        QFETCH(int, column);
        QFETCH(QString, message);
        const auto result = ConditionParser::parse(text);
        QVERIFY2(std::holds_alternative<ConditionParser::Error>(result), qPrintable(text));
        const auto error = std::get<ConditionParser::Error>(result);
        QVERIFY2(error.message.contains(message), qPrintable(error.message));
        QCOMPARE(error.column, column);
    }

    void parseShapes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("left");
        QTest::addColumn<QString>("op");
        QTest::addColumn<QString>("right");
        QTest::addColumn<bool>("warning");

        QTest::newRow("spaced") << "[STATUS] == 200" << "[STATUS]" << "==" << "200" << false;
        QTest::newRow("unspaced") << "[STATUS]==200" << "[STATUS]" << "==" << "200" << false;
        QTest::newRow("unspaced <=") << "[RESPONSE_TIME]<=400" << "[RESPONSE_TIME]" << "<=" << "400" << false;
        QTest::newRow("unspaced >") << "[CERTIFICATE_EXPIRATION]>14d" << "[CERTIFICATE_EXPIRATION]" << ">" << "14d" << false;
        QTest::newRow("warning") << "warning: [RESPONSE_TIME] < 400" << "[RESPONSE_TIME]" << "<" << "400" << true;
        QTest::newRow("path") << "[BODY].checks.db == ok" << "[BODY].checks.db" << "==" << "ok" << false;
        QTest::newRow("header") << "[HEADER].Content-Type == pat(application/json*)" << "[HEADER].Content-Type" << "==" << "pat(application/json*)" << false;
        QTest::newRow("any") << "[BODY].status == any(ok, healthy)" << "[BODY].status" << "==" << "any(ok, healthy)" << false;
        QTest::newRow("age") << "age([BODY].last_tick) < 120s" << "age([BODY].last_tick)" << "<" << "120s" << false;
        QTest::newRow("spaces in value") << "[BODY].message == all good" << "[BODY].message" << "==" << "all good" << false;
        QTest::newRow("quoted value") << "[BODY].expr == \"a == b\"" << "[BODY].expr" << "==" << "\"a == b\"" << false;
    }

    void parseShapes()
    {
        QFETCH(QString, text);
        QFETCH(QString, left);
        QFETCH(QString, op);
        QFETCH(QString, right);
        QFETCH(bool, warning);
        const auto result = ConditionParser::parse(text);
        if (auto *error = std::get_if<ConditionParser::Error>(&result))
            QFAIL(qPrintable(QStringLiteral("col %1: %2").arg(error->column).arg(error->message)));
        const Condition c = std::get<Condition>(result);
        QCOMPARE(c.left.source, left);
        QCOMPARE(comparisonSymbol(c.comparison), op);
        QCOMPARE(c.right.source, right);
        QCOMPARE(c.warning, warning);
        QCOMPARE(c.text, text);
    }

    void evaluate_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("passed");
        QTest::addColumn<QString>("actual");

        QTest::newRow("status ok") << "[STATUS] == 200" << true << "";
        QTest::newRow("status wrong") << "[STATUS] == 500" << false << "got `200`";
        QTest::newRow("status range") << "[STATUS] < 400" << true << "";
        QTest::newRow("status !=") << "[STATUS] != 500" << true << "";
        QTest::newRow("body field") << "[BODY].status == ok" << true << "";
        QTest::newRow("nested fail") << "[BODY].checks.db == ok" << false << "got `fail`";
        QTest::newRow("wildcard all ok") << "[BODY].dependencies.* == ok" << true << "";
        QTest::newRow("wildcard one down") << "[BODY].degraded_deps.* == ok" << false << "`[BODY].degraded_deps.notion` got `down`";
        QTest::newRow("wildcard empty") << "[BODY].empty.* == ok" << false << "`[BODY].empty.*` matched nothing";
        QTest::newRow("array wildcard") << "[BODY].jobs[*].ok == true" << false << "`[BODY].jobs[1].ok` got `false`";
        QTest::newRow("array index") << "[BODY].jobs[0].id == a" << true << "";
        QTest::newRow("missing path") << "[BODY].p99 < 400" << false << "`[BODY].p99` is missing";
        QTest::newRow("missing is not zero") << "[BODY].p99 == 0" << false << "`[BODY].p99` is missing";
        QTest::newRow("not a number") << "[BODY].p95 < 400" << false << "got `fail`, not a number";
        QTest::newRow("numeric string") << "[BODY].count > 10" << true << "";
        QTest::newRow("numeric string eq") << "[BODY].count == 17" << true << "";
        QTest::newRow("response time") << "[RESPONSE_TIME] < 400" << true << "";
        QTest::newRow("response time slow") << "[RESPONSE_TIME] < 100" << false << "got `123`";
        QTest::newRow("response time duration") << "[RESPONSE_TIME] < 1s" << true << "";
        QTest::newRow("cert ok") << "[CERTIFICATE_EXPIRATION] > 14d" << true << "";
        QTest::newRow("cert short") << "[CERTIFICATE_EXPIRATION] > 30d" << false << "got `1728000000`";
        QTest::newRow("header pat") << "[HEADER].Content-Type == pat(application/json*)" << true << "";
        QTest::newRow("header case") << "[HEADER].content-type == pat(*json*)" << true << "";
        QTest::newRow("header pat miss") << "[HEADER].Content-Type == pat(text/*)" << false << "got `application/json; charset=utf-8`";
        QTest::newRow("header missing") << "[HEADER].X-Dash-Key == x" << false << "`[HEADER].X-Dash-Key` is missing";
        QTest::newRow("len empty") << "len([BODY].stuck) == 0" << true << "";
        QTest::newRow("len jobs") << "len([BODY].jobs) == 0" << false << "got `2`";
        QTest::newRow("len missing") << "len([BODY].nope) == 0" << false << "`[BODY].nope` is missing";
        QTest::newRow("has yes") << "has([BODY].checks) == true" << true << "";
        QTest::newRow("has no") << "has([BODY].errors) == false" << true << "";
        QTest::newRow("any hit") << "[BODY].status == any(ok, healthy)" << true << "";
        QTest::newRow("any miss") << "[BODY].checks.db == any(ok, healthy)" << false << "got `fail`";
        QTest::newRow("age iso") << "age([BODY].last_tick) < 120s" << true << "";
        QTest::newRow("age iso old") << "age([BODY].last_tick) < 30s" << false << "got `60000`";
        QTest::newRow("age epoch") << "age([BODY].epoch_tick) < 120s" << true << "";
        QTest::newRow("age not time") << "age([BODY].status) < 120s" << false << "`[BODY].status` got `ok`, not a timestamp";
        QTest::newRow("spaces value") << "[BODY].message == all good" << true << "";
        QTest::newRow("null") << "[BODY].nothing == null" << true << "";
        QTest::newRow("bool") << "[BODY].flag == true" << true << "";
        QTest::newRow("bool case") << "[BODY].flag == TRUE" << true << "";
        QTest::newRow("connected") << "[CONNECTED] == true" << true << "";
        QTest::newRow("right placeholder") << "[STATUS] == [STATUS]" << true << "";
        QTest::newRow("unmeasured") << "[EXIT_CODE] == 0" << false << "`[EXIT_CODE]` is missing";
        QTest::newRow("quoted number stays text") << "[BODY].count == \"17\"" << true << "";
    }

    void evaluate()
    {
        QFETCH(QString, text);
        QFETCH(bool, passed);
        QFETCH(QString, actual);
        const auto parsed = ConditionParser::parse(text);
        if (auto *error = std::get_if<ConditionParser::Error>(&parsed))
            QFAIL(qPrintable(QStringLiteral("col %1: %2").arg(error->column).arg(error->message)));
        const ProbeReading r = reading();
        const ConditionVerdict v = ConditionEvaluator::evaluate(std::get<Condition>(parsed), r, kNow);
        QCOMPARE(v.passed, passed);
        QCOMPARE(v.actual, actual);
    }

    void nonJsonBody()
    {
        ProbeReading r;
        r.set(QStringLiteral("STATUS"), 200);
        r.body = "<html>oops</html>";
        const auto parsed = ConditionParser::parse(u"[BODY].status == ok");
        const ConditionVerdict v = ConditionEvaluator::evaluate(std::get<Condition>(parsed), r, kNow);
        QVERIFY(!v.passed);
        QCOMPARE(v.actual, QStringLiteral("`[BODY].status` is missing (the body is not JSON)"));
        const auto raw = ConditionParser::parse(u"[BODY] == pat(*oops*)");
        QVERIFY(ConditionEvaluator::evaluate(std::get<Condition>(raw), r, kNow).passed);
    }

    void logFilter_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("line");
        QTest::addColumn<bool>("matches");

        QTest::newRow("ok false") << "ok == false" << R"({"ok":false,"action":"login"})" << true;
        QTest::newRow("ok true") << "ok == false" << R"({"ok":true})" << false;
        QTest::newRow("level") << "level == error" << R"({"level":"error","msg":"boom"})" << true;
        QTest::newRow("level other") << "level == error" << R"({"level":"info"})" << false;
        QTest::newRow("missing field") << "level == error" << R"({"msg":"x"})" << false;
        QTest::newRow("nested") << "user.role == admin" << R"({"user":{"role":"admin"}})" << true;
        QTest::newRow("pattern") << "msg == pat(*Login*)" << R"({"msg":"Login failed"})" << true;
        QTest::newRow("unspaced") << "status>=500" << R"({"status":503})" << true;
    }

    void logFilter()
    {
        QFETCH(QString, filter);
        QFETCH(QString, line);
        QFETCH(bool, matches);
        const auto parsed = ConditionParser::parse(filter, ConditionParser::Mode::LogFilter);
        if (auto *error = std::get_if<ConditionParser::Error>(&parsed))
            QFAIL(qPrintable(error->message));
        struct LineContext final : ConditionContext
        {
            QJsonObject obj;
            std::optional<QJsonValue> root(const QString &name) const override
            {
                return name == u"LINE" ? std::optional<QJsonValue>(obj) : std::nullopt;
            }
        } ctx;
        ctx.obj = QJsonDocument::fromJson(line.toUtf8()).object();
        QCOMPARE(ConditionEvaluator::evaluate(std::get<Condition>(parsed), ctx, kNow).passed, matches);
    }

    void placeholdersListed()
    {
        const auto parsed = ConditionParser::parse(u"len([BODY].x) < [STATUS]");
        QCOMPARE(std::get<Condition>(parsed).placeholders(), QStringList({"BODY", "STATUS"}));
    }
};

QTEST_GUILESS_MAIN(TestConditions)
#include "tst_conditions.moc"
