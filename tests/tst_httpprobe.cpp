#include "probeharness.h"
#include "rawhttpserver.h"
#include "tlsfixture.h"

#include <QHttpServer>
#include <QtTest>

namespace {
CheckConfig http(const QString &url, const QStringList &conditions = {"[STATUS] == 200"}, qint64 timeoutMs = 2000)
{
    CheckConfig c = makeCheck(CheckKind::Http, conditions, timeoutMs);
    c.http.url = url;
    return c;
}
} // namespace

class TestHttpProbe : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(TlsFixture::instance().ok(), qPrintable(TlsFixture::instance().error()));
        m_qhttp.route(QStringLiteral("/health"), [] {
            return QHttpServerResponse(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                                   {QStringLiteral("dependencies"),
                                                    QJsonObject{{QStringLiteral("db"), QStringLiteral("ok")},
                                                                {QStringLiteral("notion"), QStringLiteral("fail")}}}});
        });
        m_qhttp.route(QStringLiteral("/echo"), [](const QHttpServerRequest &req) {
            return QHttpServerResponse(QJsonObject{{QStringLiteral("method"), QString::fromLatin1(req.method() == QHttpServerRequest::Method::Post ? "POST" : "OTHER")},
                                                   {QStringLiteral("key"), QString::fromUtf8(req.value("X-Dash-Key"))},
                                                   {QStringLiteral("body"), QString::fromUtf8(req.body())}});
        });
        m_port = m_qhttp.listen(QHostAddress::LocalHost, 0);
        QVERIFY(m_port > 0);
    }

    void okWithConditions()
    {
        const CheckConfig c = http(QStringLiteral("http://127.0.0.1:%1/health").arg(m_port),
                                   {"[STATUS] == 200", "[BODY].status == ok", "[HEADER].Content-Type == pat(application/json*)",
                                    "[RESPONSE_TIME] < 2000"});
        const ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Ok);
        QCOMPARE(run.result.httpStatus, 200);
        QVERIFY(run.result.latencyMs >= 0);
        QVERIFY(run.result.error.isEmpty());
    }

    void failedConditionRecorded()
    {
        const CheckConfig c = http(QStringLiteral("http://127.0.0.1:%1/health").arg(m_port),
                                   {"[STATUS] == 200", "[BODY].dependencies.* == ok"});
        const ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);
        QCOMPARE(run.result.failedCondition, QStringLiteral("[BODY].dependencies.* == ok"));
        QCOMPARE(run.result.actualValue, QStringLiteral("`[BODY].dependencies.notion` got `fail`"));
    }

    void warningDegrades()
    {
        const CheckConfig c = http(QStringLiteral("http://127.0.0.1:%1/health").arg(m_port),
                                   {"[STATUS] == 200", "warning: [BODY].dependencies.notion == ok"});
        QCOMPARE(runProbe(m_factory, c).result.outcome, Health::Degraded);
    }

    void methodHeadersBody()
    {
        CheckConfig c = http(QStringLiteral("http://127.0.0.1:%1/echo").arg(m_port),
                             {"[BODY].method == POST", "[BODY].key == k123", "[BODY].body == ping"});
        c.http.method = "POST";
        c.http.headers = {{QStringLiteral("X-Dash-Key"), QStringLiteral("k123")}};
        c.http.body = QStringLiteral("ping");
        const ProbeRun run = runProbe(m_factory, c);
        QVERIFY2(run.result.outcome == Health::Ok, qPrintable(run.result.reason()));
    }

    void httpsTrustedThroughCaFile()
    {
        RawHttpServer server(TlsFixture::instance().validCert(), TlsFixture::instance().keyFile());
        CheckConfig c = http(server.url(QStringLiteral("/ok"), QStringLiteral("localhost")),
                             {"[STATUS] == 200", "[CERTIFICATE_EXPIRATION] > 14d"});
        c.http.caFile = TlsFixture::instance().caFile();
        const ProbeRun run = runProbe(m_factory, c);
        QVERIFY2(run.result.outcome == Health::Ok, qPrintable(run.result.reason()));
        QVERIFY(run.reading.values.value(QStringLiteral("CERTIFICATE_EXPIRATION")).toDouble() > 365.0 * 86'400'000);
    }

    void httpsRejectedWithoutCaFile()
    {
        RawHttpServer server(TlsFixture::instance().validCert(), TlsFixture::instance().keyFile());
        const ProbeRun run = runProbe(m_factory, http(server.url(QStringLiteral("/ok"), QStringLiteral("localhost"))));
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY2(run.result.error.startsWith(u"TLS: "), qPrintable(run.result.error));
        QVERIFY2(run.result.error.contains(u"issuer", Qt::CaseInsensitive) || run.result.error.contains(u"self", Qt::CaseInsensitive),
                 qPrintable(run.result.error));
        QVERIFY(!run.result.networkError);
    }

    void httpsExpiredRejected()
    {
        RawHttpServer server(TlsFixture::instance().expiredCert(), TlsFixture::instance().keyFile());
        CheckConfig c = http(server.url(QStringLiteral("/ok"), QStringLiteral("localhost")));
        c.http.caFile = TlsFixture::instance().caFile();
        const ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY2(run.result.error.contains(u"expired", Qt::CaseInsensitive), qPrintable(run.result.error));
    }

    void httpsWrongHostRejected()
    {
        RawHttpServer server(TlsFixture::instance().wrongHostCert(), TlsFixture::instance().keyFile());
        CheckConfig c = http(server.url(QStringLiteral("/ok"), QStringLiteral("localhost")));
        c.http.caFile = TlsFixture::instance().caFile();
        const ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY2(run.result.error.contains(u"host name", Qt::CaseInsensitive), qPrintable(run.result.error));
    }

    void insecureAcceptsExpired()
    {
        RawHttpServer server(TlsFixture::instance().expiredCert(), TlsFixture::instance().keyFile());
        CheckConfig c = http(server.url(QStringLiteral("/ok"), QStringLiteral("localhost")));
        c.http.insecure = true;
        QCOMPARE(runProbe(m_factory, c).result.outcome, Health::Ok);
    }

    void missingCaFileIsUnknown()
    {
        RawHttpServer server(TlsFixture::instance().validCert(), TlsFixture::instance().keyFile());
        CheckConfig c = http(server.url(QStringLiteral("/ok"), QStringLiteral("localhost")));
        c.http.caFile = QStringLiteral("/nonexistent/ca.pem");
        const ProbeRun run = runProbe(m_factory, c);
        QCOMPARE(run.result.outcome, Health::Unknown);
        QVERIFY2(run.result.error.contains(u"/nonexistent/ca.pem does not exist"), qPrintable(run.result.error));
    }

    void hangTimesOutWithinBound()
    {
        RawHttpServer server;
        const ProbeRun run = runProbe(m_factory, http(server.url(QStringLiteral("/hang")), {"[STATUS] == 200"}, 500));
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY2(run.result.error.contains(u"timed out after 500ms without a response"), qPrintable(run.result.error));
        QVERIFY(run.result.networkError);
        QVERIFY2(run.elapsedMs >= 450 && run.elapsedMs < 2500, qPrintable(QString::number(run.elapsedMs)));
    }

    void dripBoundedByTimeout()
    {
        // One byte every 200 ms would take 20 s; the timeout covers the whole exchange.
        RawHttpServer server;
        const ProbeRun run = runProbe(m_factory, http(server.url(QStringLiteral("/drip")), {"[STATUS] == 200"}, 1000));
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY2(run.result.error.contains(u"timed out after 1s while reading the body"), qPrintable(run.result.error));
        QVERIFY2(run.elapsedMs < 3000, qPrintable(QString::number(run.elapsedMs)));
    }

    void resetIsNetworkError()
    {
        RawHttpServer server;
        const ProbeRun run = runProbe(m_factory, http(server.url(QStringLiteral("/reset"))));
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY(run.result.networkError);
        QVERIFY2(run.result.error.contains(u"closed", Qt::CaseInsensitive), qPrintable(run.result.error));
    }

    void refused()
    {
        QTcpServer probePort;
        probePort.listen(QHostAddress::LocalHost, 0);
        const quint16 port = probePort.serverPort();
        probePort.close();
        const ProbeRun run = runProbe(m_factory, http(QStringLiteral("http://127.0.0.1:%1/").arg(port)));
        QCOMPARE(run.result.outcome, Health::Down);
        QCOMPARE(run.result.error, QStringLiteral("connection refused"));
        QVERIFY(run.result.networkError);
    }

    void malformedJson()
    {
        RawHttpServer server;
        const ProbeRun run = runProbe(m_factory, http(server.url(QStringLiteral("/json-broken")), {"[STATUS] == 200", "[BODY].status == ok"}));
        QCOMPARE(run.result.outcome, Health::Down);
        QCOMPARE(run.result.failedCondition, QStringLiteral("[BODY].status == ok"));
        QCOMPARE(run.result.actualValue, QStringLiteral("`[BODY].status` is missing (the body is not JSON)"));
    }

    void hugeBodyCapped()
    {
        RawHttpServer server;
        const ProbeRun run = runProbe(m_factory, http(server.url(QStringLiteral("/huge")), {"[STATUS] == 200"}, 10'000));
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY2(run.result.error.contains(u"larger than the 1.0 MiB cap"), qPrintable(run.result.error));
        QCOMPARE(run.reading.body.size(), 1 << 20);
    }

    void redirectFollowed()
    {
        RawHttpServer server;
        const ProbeRun run = runProbe(m_factory, http(server.url(QStringLiteral("/redirect")), {"[STATUS] == 200", "[BODY].status == ok"}));
        QVERIFY2(run.result.outcome == Health::Ok, qPrintable(run.result.reason()));
        QCOMPARE(server.hits(QStringLiteral("/ok")), 1);
    }

    void redirectLoopLimited()
    {
        RawHttpServer server;
        const ProbeRun run = runProbe(m_factory, http(server.url(QStringLiteral("/loop"))));
        QCOMPARE(run.result.outcome, Health::Down);
        QVERIFY2(run.result.error.contains(u"more than 5 redirects"), qPrintable(run.result.error));
        QCOMPARE(server.hits(QStringLiteral("/loop")), 6);
    }

    void rateLimitedWithRetryAfter()
    {
        RawHttpServer server;
        const ProbeRun run = runProbe(m_factory, http(server.url(QStringLiteral("/429"))));
        QCOMPARE(run.result.outcome, Health::Down);
        QCOMPARE(run.result.httpStatus, 429);
        QCOMPARE(run.result.error, QStringLiteral("429 Too Many Requests (rate limited), Retry-After 30s"));
        QCOMPARE(run.reading.retryAfterMs, 30'000);
        QCOMPARE(run.result.failedCondition, QStringLiteral("[STATUS] == 200"));
    }

    void serverErrorIsDownNotNetwork()
    {
        RawHttpServer server;
        const ProbeRun run = runProbe(m_factory, http(server.url(QStringLiteral("/status/500"))));
        QCOMPARE(run.result.outcome, Health::Down);
        QCOMPARE(run.result.actualValue, QStringLiteral("got `500`"));
        QVERIFY(!run.result.networkError);
        QVERIFY(run.result.error.isEmpty());
    }

    void keepAliveReusesConnection()
    {
        RawHttpServer server;
        const CheckConfig c = http(server.url(QStringLiteral("/keepalive")), {"[STATUS] == 200", "[BODY].status == ok"});
        for (int i = 0; i < 3; ++i)
            QCOMPARE(runProbe(m_factory, c).result.outcome, Health::Ok);
        QCOMPARE(server.hits(QStringLiteral("/keepalive")), 3);
        QCOMPARE(server.connections(), 1);
    }

    void staleKeepAliveIsRetried()
    {
        RawHttpServer server;
        const CheckConfig c = http(server.url(QStringLiteral("/keepalive")), {"[STATUS] == 200"});
        QCOMPARE(runProbe(m_factory, c).result.outcome, Health::Ok);
        // The server drops the idle connection and the next probe starts before OpsDeck could
        // notice: the request fails without an answer and goes again on a fresh connection.
        server.closeAll();
        const ProbeRun run = runProbe(m_factory, c);
        QVERIFY2(run.result.outcome == Health::Ok, qPrintable(run.result.reason()));
        QCOMPARE(server.connections(), 2);
    }

    void chunkedBody()
    {
        RawHttpServer server;
        const ProbeRun run = runProbe(m_factory, http(server.url(QStringLiteral("/chunked")), {"[STATUS] == 200", "[BODY].status == ok"}));
        QVERIFY2(run.result.outcome == Health::Ok, qPrintable(run.result.reason()));
        QCOMPARE(run.reading.body, QByteArray("{\"status\":\"ok\"}\n"));
    }

private:
    ProbeFactory m_factory;
    QHttpServer m_qhttp;
    quint16 m_port = 0;
};

QTEST_GUILESS_MAIN(TestHttpProbe)
#include "tst_httpprobe.moc"
