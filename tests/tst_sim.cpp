#include "simprocess.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QtTest>

// The demo fleet as a black box: start opsdeck-sim, talk to it over HTTP(S) as OpsDeck will, and
// check that endpoints have the runbooks' shapes and that scripted faults start and stop on time.
// Durations are short and waits are on signals or polled conditions, never fixed sleeps.

namespace {
using RawHeaders = QList<QPair<QByteArray, QByteArray>>;

struct Response
{
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    int status = 0; // 0: no HTTP response at all
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // names lower-cased
    qint64 elapsedMs = 0;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

QByteArray fault(const char *entry)
{
    return QByteArray("faults:\n  - ") + entry + '\n';
}
} // namespace

class TestSim : public QObject
{
    Q_OBJECT

private:
    Response fetch(const QUrl &url, const RawHeaders &headers = {}, int timeoutMs = 5'000,
                   const QByteArray &verb = "GET")
    {
        QNetworkRequest request(url);
        request.setTransferTimeout(timeoutMs);
        request.setSslConfiguration(m_sim.sslConfiguration());
        for (const auto &header : headers)
            request.setRawHeader(header.first, header.second);
        QElapsedTimer timer;
        timer.start();
        QNetworkReply *reply = nullptr;
        if (verb == "POST") {
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            reply = m_nam.post(request, QByteArray());
        } else {
            reply = m_nam.get(request);
        }
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(timeoutMs + 5'000);
        Response response;
        response.elapsedMs = timer.elapsed();
        response.error = reply->error();
        response.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        response.body = reply->readAll();
        const QList<QNetworkReply::RawHeaderPair> pairs = reply->rawHeaderPairs();
        for (const auto &pair : pairs)
            response.headers.insert(pair.first.toLower(), pair.second);
        reply->deleteLater();
        return response;
    }

    Response fetch(const QString &system, const QString &path, const RawHeaders &headers = {})
    {
        return fetch(m_sim.url(system, path), headers);
    }

    RawHeaders dashKey() const { return { { "X-Dash-Key", m_sim.dashKey().toUtf8() } }; }

    bool setFaults(const QByteArray &yaml)
    {
        m_faultsSet = true;
        return m_sim.setFaults(yaml);
    }

    SimProcess m_sim;
    QNetworkAccessManager m_nam;
    bool m_faultsSet = false;

private slots:
    void initTestCase()
    {
        QVERIFY2(m_sim.start(), qPrintable(m_sim.errorString()));
        QSet<quint16> ports;
        for (const char *system : { "echopilot", "fallback", "gateway", "aifsm" }) {
            QVERIFY2(m_sim.port(QString::fromLatin1(system)) != 0, system);
            ports.insert(m_sim.port(QString::fromLatin1(system)));
        }
        QCOMPARE(ports.size(), 4);
        QCOMPARE(m_sim.baseUrl(QStringLiteral("gateway")).scheme(), QStringLiteral("https"));
        QCOMPARE(m_sim.lastFaultsLine(), QStringLiteral("opsdeck-sim faults 0"));
        QVERIFY(m_sim.output().constFirst().startsWith(QStringLiteral("opsdeck-sim ready {\"echopilot\":")));
    }

    void cleanup()
    {
        if (m_faultsSet)
            QVERIFY2(m_sim.setFaults("faults: []\n"), qPrintable(m_sim.lastFaultsLine()));
        m_faultsSet = false;
        QVERIFY(m_sim.isRunning());
    }

    void endpointShapes_data()
    {
        QTest::addColumn<QString>("system");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("needsKey");
        QTest::addColumn<QStringList>("keys");

        const auto row = [](const char *name, const char *system, const char *path, bool needsKey,
                            const QStringList &keys) {
            QTest::newRow(name) << QString::fromLatin1(system) << QString::fromLatin1(path) << needsKey << keys;
        };
        row("summary", "echopilot", "/api/status/summary", false, { "status", "workflows", "version", "uptime_s" });
        row("slo", "echopilot", "/api/slo/status", false,
            { "availability_pct", "error_budget_remaining_pct", "p95_ms", "error_rate_pct", "webhook_success_pct" });
        row("scheduler", "echopilot", "/api/scheduler/status", false, { "status", "last_tick", "interval_s" });
        row("health", "echopilot", "/health", false, { "status", "dependencies" });
        row("strict", "echopilot", "/healthz/strict", false, { "status", "slo" });
        row("supervisor", "echopilot", "/supervisor?token=sim-health-token", false, { "ok", "workflows" });
        row("supervisor-status", "echopilot", "/api/supervisor-status", true, { "ok", "workflows" });
        row("stuck", "echopilot", "/api/jobs/stuck", true, { "stuck" });
        row("reconcile", "echopilot", "/api/payments/reconcile", true, { "ok", "mismatches" });
        row("fallback", "fallback", "/health", false, { "status", "role", "dependencies" });
        row("gateway", "gateway", "/api/health", false, { "status", "timestamp", "connections" });
        row("aifsm", "aifsm", "/api/health", false, { "status", "checks" });
    }

    void endpointShapes()
    {
        QFETCH(QString, system);
        QFETCH(QString, path);
        QFETCH(bool, needsKey);
        QFETCH(QStringList, keys);

        const Response r = fetch(system, path, needsKey ? dashKey() : RawHeaders());
        QCOMPARE(r.error, QNetworkReply::NoError);
        QCOMPARE(r.status, 200);
        QVERIFY(r.headers.value("content-type").startsWith("application/json"));
        QJsonParseError parseError;
        const QJsonObject body = QJsonDocument::fromJson(r.body, &parseError).object();
        QCOMPARE(parseError.error, QJsonParseError::NoError);
        QStringList actual = body.keys();
        actual.sort();
        keys.sort();
        QCOMPARE(actual, keys);
    }

    void healthyValues()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();

        const QJsonObject summary = fetch(QStringLiteral("echopilot"), QStringLiteral("/api/status/summary")).json();
        QCOMPARE(summary.value("status").toString(), QStringLiteral("healthy"));
        QCOMPARE(summary.value("workflows").toObject().value("scheduler").toString(), QStringLiteral("running"));
        QCOMPARE(summary.value("version").toString(), QStringLiteral("2.0"));
        QVERIFY(summary.value("uptime_s").toInteger(-1) >= 0);

        const QJsonObject slo = fetch(QStringLiteral("echopilot"), QStringLiteral("/api/slo/status")).json();
        QCOMPARE(slo.value("availability_pct").toDouble(), 99.95);
        QCOMPARE(slo.value("error_budget_remaining_pct").toDouble(), 62.5);
        QCOMPARE(slo.value("p95_ms").toInt(), 210);

        const QJsonObject scheduler = fetch(QStringLiteral("echopilot"), QStringLiteral("/api/scheduler/status")).json();
        QCOMPARE(scheduler.value("status").toString(), QStringLiteral("running"));
        QCOMPARE(scheduler.value("interval_s").toInt(), 60);
        const QDateTime tick = QDateTime::fromString(scheduler.value("last_tick").toString(), Qt::ISODateWithMs);
        QVERIFY(tick.isValid());
        QVERIFY2(tick.secsTo(now) >= -1 && tick.secsTo(now) <= 61, qPrintable(tick.toString(Qt::ISODateWithMs)));

        const QJsonObject health = fetch(QStringLiteral("echopilot"), QStringLiteral("/health")).json();
        QCOMPARE(health.value("status").toString(), QStringLiteral("ok"));
        const QJsonObject deps = health.value("dependencies").toObject();
        QCOMPARE(deps.keys(), QStringList({ "database", "notion", "openai" }));
        for (const QJsonValue &state : deps)
            QCOMPARE(state.toString(), QStringLiteral("ok"));

        QCOMPARE(fetch(QStringLiteral("echopilot"), QStringLiteral("/healthz/strict")).json().value("status").toString(),
                 QStringLiteral("ok"));
        QCOMPARE(fetch(QStringLiteral("echopilot"), QStringLiteral("/api/jobs/stuck"), dashKey())
                     .json().value("stuck").toArray().size(),
                 0);
        QCOMPARE(fetch(QStringLiteral("echopilot"), QStringLiteral("/api/payments/reconcile"), dashKey())
                     .json().value("mismatches").toInt(-1),
                 0);

        const QJsonObject supervisor
            = fetch(QStringLiteral("echopilot"), QStringLiteral("/supervisor?token=") + m_sim.healthToken()).json();
        QCOMPARE(supervisor.value("ok").toBool(), true);
        const QJsonArray workflows = supervisor.value("workflows").toArray();
        QCOMPARE(workflows.size(), 2);
        QCOMPARE(workflows.at(0).toObject().value("name").toString(), QStringLiteral("EchoPilot Bot"));
        QCOMPARE(workflows.at(1).toObject().value("state").toString(), QStringLiteral("running"));

        const QJsonObject fallback = fetch(QStringLiteral("fallback"), QStringLiteral("/health")).json();
        QCOMPARE(fallback.value("role").toString(), QStringLiteral("fallback"));
        QCOMPARE(fallback.value("dependencies").toObject().value("database").toString(), QStringLiteral("ok"));

        const QJsonObject gateway = fetch(QStringLiteral("gateway"), QStringLiteral("/api/health")).json();
        QCOMPARE(gateway.value("status").toString(), QStringLiteral("ok"));
        const QDateTime stamp = QDateTime::fromString(gateway.value("timestamp").toString(), Qt::ISODateWithMs);
        QVERIFY(qAbs(stamp.secsTo(now)) <= 5);
        QCOMPARE(gateway.value("connections").toObject().value("clients").toInt(), 2);

        const Response aifsm = fetch(QStringLiteral("aifsm"), QStringLiteral("/api/health"));
        QCOMPARE(aifsm.status, 200);
        QCOMPARE(aifsm.json().value("checks").toObject().value("db").toString(), QStringLiteral("ok"));
    }

    void gatewayIsUntrustedWithoutItsCertificate()
    {
        QNetworkRequest request(m_sim.url(QStringLiteral("gateway"), QStringLiteral("/api/health")));
        request.setTransferTimeout(5'000);
        QNetworkAccessManager fresh; // m_nam may hold a connection that already passed verification
        QNetworkReply *reply = fresh.get(request); // system CAs only
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(10'000));
        QCOMPARE(reply->error(), QNetworkReply::SslHandshakeFailedError);
        reply->deleteLater();
    }

    void authentication_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error");

        QTest::newRow("supervisor no token") << "/supervisor" << QByteArray() << QByteArray("GET") << 401 << "invalid token";
        QTest::newRow("supervisor bad token") << "/supervisor?token=nope" << QByteArray() << QByteArray("GET") << 401
                                              << "invalid token";
        QTest::newRow("supervisor-status no key") << "/api/supervisor-status" << QByteArray() << QByteArray("GET")
                                                  << 401 << "unauthorized";
        QTest::newRow("supervisor-status bad key") << "/api/supervisor-status" << QByteArray("nope") << QByteArray("GET")
                                                   << 401 << "unauthorized";
        QTest::newRow("supervisor-status key") << "/api/supervisor-status" << QByteArray("sim-dash-key")
                                               << QByteArray("GET") << 200 << "";
        QTest::newRow("stuck no key") << "/api/jobs/stuck" << QByteArray() << QByteArray("GET") << 401 << "unauthorized";
        QTest::newRow("stuck key") << "/api/jobs/stuck" << QByteArray("sim-dash-key") << QByteArray("GET") << 200 << "";
        QTest::newRow("reconcile no key") << "/api/payments/reconcile" << QByteArray() << QByteArray("GET") << 401
                                          << "unauthorized";
        QTest::newRow("reconcile key") << "/api/payments/reconcile" << QByteArray("sim-dash-key") << QByteArray("GET")
                                       << 200 << "";
        QTest::newRow("retry no key") << "/api/job/job-3e8a01/retry" << QByteArray() << QByteArray("POST") << 401
                                      << "unauthorized";
        QTest::newRow("job details need no key") << "/api/job/job-3e8a01" << QByteArray() << QByteArray("GET") << 200
                                                 << "";
    }

    void authentication()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, key);
        QFETCH(QByteArray, verb);
        QFETCH(int, status);
        QFETCH(QString, error);

        RawHeaders headers;
        if (!key.isEmpty())
            headers.append({ "X-Dash-Key", key });
        const Response r = fetch(m_sim.url(QStringLiteral("echopilot"), path), headers, 5'000, verb);
        QCOMPARE(r.status, status);
        if (status == 401) {
            QCOMPARE(r.json().value("ok").toBool(true), false);
            QCOMPARE(r.json().value("error").toString(), error);
        }
    }

    void unknownPathsAndMethods()
    {
        const Response echopilot = fetch(QStringLiteral("echopilot"), QStringLiteral("/no/such/path"));
        QCOMPARE(echopilot.status, 404);
        QCOMPARE(echopilot.json().value("ok").toBool(true), false);
        const Response aifsm = fetch(QStringLiteral("aifsm"), QStringLiteral("/nope"));
        QCOMPARE(aifsm.status, 404);
        QCOMPARE(aifsm.json().value("error").toObject().value("code").toString(), QStringLiteral("NOT_FOUND"));
        QCOMPARE(fetch(QStringLiteral("gateway"), QStringLiteral("/nope")).status, 404);
        const Response post
            = fetch(m_sim.url(QStringLiteral("echopilot"), QStringLiteral("/health")), {}, 5'000, "POST");
        QCOMPARE(post.status, 405);
    }

    void stuckJobsAndRetry()
    {
        QVERIFY(setFaults(fault("{system: echopilot, kind: stuck_jobs}")));
        const QString echopilot = QStringLiteral("echopilot");

        QJsonArray stuck = fetch(echopilot, QStringLiteral("/api/jobs/stuck"), dashKey()).json().value("stuck").toArray();
        QCOMPARE(stuck.size(), 2);
        for (const QJsonValue &job : std::as_const(stuck)) {
            QVERIFY(job.toObject().value("id").toString().startsWith(QStringLiteral("job-")));
            QVERIFY(job.toObject().value("age_s").toInteger() >= 600);
            QVERIFY(!job.toObject().value("type").toString().isEmpty());
        }
        const QString id = stuck.at(0).toObject().value("id").toString();

        const QJsonObject details = fetch(echopilot, u"/api/job/" + id).json();
        QCOMPARE(details.value("id").toString(), id);
        QCOMPARE(details.value("state").toString(), QStringLiteral("stuck"));

        const Response retry = fetch(m_sim.url(echopilot, u"/api/job/" % id % u"/retry"), dashKey(), 5'000, "POST");
        QCOMPARE(retry.status, 200);
        QCOMPARE(retry.json(), QJsonObject({ { "ok", true }, { "id", id }, { "state", "queued" } }));

        stuck = fetch(echopilot, QStringLiteral("/api/jobs/stuck"), dashKey()).json().value("stuck").toArray();
        QCOMPARE(stuck.size(), 1);
        QVERIFY(stuck.at(0).toObject().value("id").toString() != id);
        QCOMPARE(fetch(echopilot, u"/api/job/" + id).json().value("state").toString(), QStringLiteral("queued"));

        const Response unknownRetry
            = fetch(m_sim.url(echopilot, QStringLiteral("/api/job/job-none/retry")), dashKey(), 5'000, "POST");
        QCOMPARE(unknownRetry.status, 404);
        QCOMPARE(unknownRetry.json().value("error").toString(), QStringLiteral("no such job"));
        const Response unknown = fetch(echopilot, QStringLiteral("/api/job/job-none"));
        QCOMPARE(unknown.status, 404);
        QCOMPARE(unknown.json(), QJsonObject({ { "ok", false }, { "error", "no such job" } }));

        // Once the fault is gone the worker has caught up.
        QVERIFY(setFaults("faults: []\n"));
        QCOMPARE(fetch(echopilot, QStringLiteral("/api/jobs/stuck"), dashKey()).json().value("stuck").toArray().size(), 0);
    }

    void statusFaultStartsAndExpires()
    {
        QVERIFY(setFaults("faults:\n"
                          "  - {system: echopilot, path: /health, kind: status, status: 503, for: 1s}\n"
                          "  - {system: aifsm, path: /api/health, kind: status, status: 500, from: 400ms, for: 600ms}\n"));
        QElapsedTimer sinceLoad;
        sinceLoad.start();
        const QString echopilot = QStringLiteral("echopilot");
        const QString aifsm = QStringLiteral("aifsm");

        const Response down = fetch(echopilot, QStringLiteral("/health"));
        QCOMPARE(down.status, 503);
        QCOMPARE(down.json().value("ok").toBool(true), false);
        QCOMPARE(fetch(echopilot, QStringLiteral("/api/status/summary")).status, 200); // other paths unaffected
        QCOMPARE(fetch(aifsm, QStringLiteral("/api/health")).status, 200); // not started yet

        QTRY_COMPARE_WITH_TIMEOUT(fetch(aifsm, QStringLiteral("/api/health")).status, 500, 3'000);
        QCOMPARE(fetch(aifsm, QStringLiteral("/api/health")).json().value("error").toObject().value("code").toString(),
                 QStringLiteral("INTERNAL_ERROR"));
        QTRY_COMPARE_WITH_TIMEOUT(fetch(echopilot, QStringLiteral("/health")).status, 200, 5'000);
        QVERIFY2(sinceLoad.elapsed() >= 800, qPrintable(QString::number(sinceLoad.elapsed())));
        QTRY_COMPARE_WITH_TIMEOUT(fetch(aifsm, QStringLiteral("/api/health")).status, 200, 5'000);
    }

    void repeatingFault()
    {
        QVERIFY(setFaults(fault("{system: fallback, path: /health, kind: status, status: 502, for: 400ms, every: 1s}")));
        const QString fallback = QStringLiteral("fallback");
        QCOMPARE(fetch(fallback, QStringLiteral("/health")).status, 502);
        QTRY_COMPARE_WITH_TIMEOUT(fetch(fallback, QStringLiteral("/health")).status, 200, 3'000);
        QTRY_COMPARE_WITH_TIMEOUT(fetch(fallback, QStringLiteral("/health")).status, 502, 3'000);
    }

    void rateLimited()
    {
        QVERIFY(setFaults("faults:\n"
                          "  - {system: echopilot, path: /api/status/summary, kind: status, status: 429}\n"
                          "  - {system: aifsm, path: /api/health, kind: status, status: 429, retry_after: 5s}\n"));
        const Response echopilot = fetch(QStringLiteral("echopilot"), QStringLiteral("/api/status/summary"));
        QCOMPARE(echopilot.status, 429);
        QCOMPARE(echopilot.headers.value("retry-after"), QByteArray("60"));
        QCOMPARE(echopilot.json(), QJsonObject({ { "ok", false }, { "error", "Rate limit exceeded" } }));
        const Response aifsm = fetch(QStringLiteral("aifsm"), QStringLiteral("/api/health"));
        QCOMPARE(aifsm.status, 429);
        QCOMPARE(aifsm.headers.value("retry-after"), QByteArray("5"));
        QCOMPARE(aifsm.json().value("error").toObject().value("code").toString(), QStringLiteral("RATE_LIMITED"));
    }

    void slowFault()
    {
        QVERIFY(setFaults(fault("{system: gateway, path: /api/health, kind: slow, delay: 600ms}")));
        const Response r = fetch(QStringLiteral("gateway"), QStringLiteral("/api/health"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value("status").toString(), QStringLiteral("ok"));
        QVERIFY2(r.elapsedMs >= 600, qPrintable(QString::number(r.elapsedMs)));
    }

    void hangFault()
    {
        QVERIFY(setFaults(fault("{system: echopilot, path: /api/status/summary, kind: hang}")));
        QNetworkRequest request(m_sim.url(QStringLiteral("echopilot"), QStringLiteral("/api/status/summary")));
        request.setTransferTimeout(800);
        QElapsedTimer timer;
        timer.start();
        QNetworkReply *hung = m_nam.get(request);
        QSignalSpy hungFinished(hung, &QNetworkReply::finished);

        // The system keeps serving its other paths while one request hangs.
        const Response other = fetch(QStringLiteral("echopilot"), QStringLiteral("/health"));
        QCOMPARE(other.status, 200);
        QVERIFY(!hung->isFinished());

        QVERIFY(hungFinished.wait(5'000));
        QVERIFY2(timer.elapsed() >= 700, qPrintable(QString::number(timer.elapsed())));
        QVERIFY2(hung->error() == QNetworkReply::OperationCanceledError || hung->error() == QNetworkReply::TimeoutError,
                 qPrintable(hung->errorString()));
        QVERIFY(!hung->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid());
        hung->deleteLater();

        // The abandoned connection left nothing broken behind.
        QCOMPARE(fetch(QStringLiteral("echopilot"), QStringLiteral("/health")).status, 200);
    }

    void malformedFault()
    {
        QVERIFY(setFaults(fault("{system: fallback, path: /health, kind: malformed}")));
        const Response r = fetch(QStringLiteral("fallback"), QStringLiteral("/health"));
        QCOMPARE(r.status, 200);
        QVERIFY(!r.body.isEmpty());
        QJsonParseError error;
        QJsonDocument::fromJson(r.body, &error);
        QVERIFY2(error.error != QJsonParseError::NoError, r.body.constData());
    }

    void degradedDependency()
    {
        QVERIFY(setFaults("faults:\n"
                          "  - {system: echopilot, path: /health, kind: degraded, dependency: database}\n"
                          "  - {system: fallback, path: /health, kind: degraded, dependency: database}\n"
                          "  - {system: aifsm, path: /api/health, kind: degraded, dependency: db}\n"));
        const Response health = fetch(QStringLiteral("echopilot"), QStringLiteral("/health"));
        QCOMPARE(health.status, 200);
        QCOMPARE(health.json().value("status").toString(), QStringLiteral("degraded"));
        const QJsonObject deps = health.json().value("dependencies").toObject();
        QCOMPARE(deps.value("database").toString(), QStringLiteral("fail"));
        QCOMPARE(deps.value("notion").toString(), QStringLiteral("ok"));

        const Response strict = fetch(QStringLiteral("echopilot"), QStringLiteral("/healthz/strict"));
        QCOMPARE(strict.status, 503);
        QVERIFY(strict.json().value("reasons").toArray().contains(QJsonValue("dependency database failing")));
        // The fault names /health: the summary is not part of it.
        QCOMPARE(fetch(QStringLiteral("echopilot"), QStringLiteral("/api/status/summary")).json().value("status").toString(),
                 QStringLiteral("healthy"));

        const QJsonObject fallback = fetch(QStringLiteral("fallback"), QStringLiteral("/health")).json();
        QCOMPARE(fallback.value("dependencies").toObject().value("database").toString(), QStringLiteral("fail"));

        const Response aifsm = fetch(QStringLiteral("aifsm"), QStringLiteral("/api/health"));
        QCOMPARE(aifsm.status, 503);
        QCOMPARE(aifsm.json(), QJsonObject({ { "status", "degraded" }, { "checks", QJsonObject { { "db", "fail" } } } }));
    }

    void resetFault()
    {
        QVERIFY(setFaults(fault("{system: aifsm, path: /api/health, kind: reset}")));
        const Response r = fetch(QStringLiteral("aifsm"), QStringLiteral("/api/health"));
        QVERIFY2(r.error != QNetworkReply::NoError, r.body.constData());
        QCOMPARE(r.status, 0);
        QCOMPARE(fetch(QStringLiteral("aifsm"), QStringLiteral("/nope")).status, 404); // the server lives on
    }

    void dripFault()
    {
        QVERIFY(setFaults(fault("{system: echopilot, path: /health, kind: drip}")));
        QNetworkRequest request(m_sim.url(QStringLiteral("echopilot"), QStringLiteral("/health")));
        QNetworkReply *reply = m_nam.get(request);
        qint64 received = 0;
        qint64 total = -1;
        const QMetaObject::Connection progress
            = connect(reply, &QNetworkReply::downloadProgress, this, [&](qint64 bytes, qint64 of) {
            received = bytes;
            total = of;
        });
        QElapsedTimer timer;
        timer.start();
        QTRY_VERIFY_WITH_TIMEOUT(received >= 1, 3'000);
        const qint64 firstByteAt = timer.elapsed();
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY(total > 20); // Content-Length of the whole body was announced up front

        QTRY_VERIFY_WITH_TIMEOUT(received >= 4, 3'000);
        // Three more bytes at one per 200 ms: at least ~600 ms, allowing for coalesced reads.
        QVERIFY2(timer.elapsed() - firstByteAt >= 350, qPrintable(QString::number(timer.elapsed() - firstByteAt)));
        QVERIFY(received < total);
        QVERIFY(!reply->isFinished());
        disconnect(progress); // the lambda refers to locals of this function
        reply->abort();
        reply->deleteLater();
        QCOMPARE(fetch(QStringLiteral("echopilot"), QStringLiteral("/api/slo/status")).status, 200);
    }

    void hugeFault()
    {
        QVERIFY(setFaults(fault("{system: gateway, path: /api/health, kind: huge}")));
        const Response r = fetch(QStringLiteral("gateway"), QStringLiteral("/api/health"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body.size(), 10 * 1024 * 1024);
        QCOMPARE(r.json().value("status").toString(), QStringLiteral("ok"));
    }

    void redirectLoop()
    {
        QVERIFY(setFaults(fault("{system: echopilot, path: /api/slo/status, kind: redirect_loop}")));
        QNetworkRequest request(m_sim.url(QStringLiteral("echopilot"), QStringLiteral("/api/slo/status")));
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        QNetworkReply *reply = m_nam.get(request);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        QVERIFY(finished.wait(5'000));
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 302);
        QCOMPARE(reply->rawHeader("Location"), QByteArray("/api/slo/status"));
        reply->deleteLater();

        const Response followed = fetch(QStringLiteral("echopilot"), QStringLiteral("/api/slo/status"));
        QCOMPARE(followed.error, QNetworkReply::TooManyRedirectsError);
    }

    void staleTick()
    {
        QVERIFY(setFaults(fault("{system: echopilot, kind: stale_tick}")));
        const QJsonObject scheduler = fetch(QStringLiteral("echopilot"), QStringLiteral("/api/scheduler/status")).json();
        const QDateTime tick = QDateTime::fromString(scheduler.value("last_tick").toString(), Qt::ISODateWithMs);
        const qint64 age = tick.secsTo(QDateTime::currentDateTimeUtc());
        QVERIFY2(age >= 600 && age <= 662, qPrintable(QString::number(age)));
        QCOMPARE(scheduler.value("status").toString(), QStringLiteral("running"));
        const Response strict = fetch(QStringLiteral("echopilot"), QStringLiteral("/healthz/strict"));
        QCOMPARE(strict.status, 503);
        QVERIFY(strict.json().value("reasons").toArray().contains(QJsonValue("scheduler tick stale")));
    }

    void simFaultsEndpoint()
    {
        QVERIFY(setFaults(fault("{system: echopilot, path: \"*\", kind: status, status: 503}")));
        QCOMPARE(fetch(QStringLiteral("echopilot"), QStringLiteral("/health")).status, 503);
        const Response echopilot = fetch(QStringLiteral("echopilot"), QStringLiteral("/_sim/faults"));
        QCOMPARE(echopilot.status, 200); // exempt from "*"
        QCOMPARE(echopilot.json().value("active").toInt(), 1);
        const QJsonObject entry = echopilot.json().value("faults").toArray().at(0).toObject();
        QCOMPARE(entry.value("kind").toString(), QStringLiteral("status"));
        QCOMPARE(entry.value("status").toInt(), 503);
        QCOMPARE(entry.value("line").toInt(), 2);
        const Response gateway = fetch(QStringLiteral("gateway"), QStringLiteral("/_sim/faults"));
        QCOMPARE(gateway.json().value("faults").toArray().size(), 0);
    }

    void auditLog()
    {
        const auto lines = [this]() {
            QFile file(m_sim.auditLogPath());
            if (!file.open(QIODevice::ReadOnly))
                return QList<QByteArray>();
            QList<QByteArray> result = file.readAll().split('\n');
            result.removeAll(QByteArray());
            return result;
        };
        QTRY_VERIFY_WITH_TIMEOUT(!lines().isEmpty(), 5'000);
        const QRegularExpression iso(QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)"));
        const QJsonObject first = QJsonDocument::fromJson(lines().constFirst()).object();
        QVERIFY(lines().constFirst().startsWith("{\"ts\":\"")); // moc misreads raw strings with quotes
        QVERIFY(iso.match(first.value("ts").toString()).hasMatch());
        QCOMPARE(first.value("level").toString(), QStringLiteral("info"));
        QCOMPARE(first.value("action").toString(), QStringLiteral("api.call"));
        QCOMPARE(first.value("ok").toBool(false), true);

        QVERIFY(setFaults(fault("{system: echopilot, kind: log_errors}")));
        const qsizetype before = lines().size();
        QTRY_VERIFY_WITH_TIMEOUT(lines().size() > before, 5'000);
        const QJsonObject failure = QJsonDocument::fromJson(lines().constLast()).object();
        QCOMPARE(failure.value("ok").toBool(true), false);
        QCOMPARE(failure.value("level").toString(), QStringLiteral("error"));
        QVERIFY(!failure.value("error").toString().isEmpty());
    }

    void badFaultFileKeepsPreviousFaults()
    {
        QVERIFY(setFaults(fault("{system: echopilot, path: /api/slo/status, kind: status, status: 503}")));
        QCOMPARE(fetch(QStringLiteral("echopilot"), QStringLiteral("/api/slo/status")).status, 503);

        QVERIFY(!setFaults("faults:\n"
                           "  - system: echopilot\n"
                           "    kind: slow\n"
                           "    dely: 2s\n"));
        QVERIFY2(m_sim.lastFaultsLine().startsWith(QStringLiteral("opsdeck-sim faults-error line 4, column 5: ")),
                 qPrintable(m_sim.lastFaultsLine()));
        QVERIFY(m_sim.lastFaultsLine().contains(QStringLiteral("\"dely\"")));
        QCOMPARE(fetch(QStringLiteral("echopilot"), QStringLiteral("/api/slo/status")).status, 503);

        QVERIFY(!setFaults("faults:\n  - system: echopilot\n    kind: status\n    from: soon\n"));
        QVERIFY2(m_sim.lastFaultsLine().contains(QStringLiteral("line 4, column 11: \"from\"")),
                 qPrintable(m_sim.lastFaultsLine()));
        QVERIFY(!setFaults("faults: [ {system: echopilot\n"));
        QVERIFY2(m_sim.lastFaultsLine().contains(QStringLiteral("YAML syntax error")), qPrintable(m_sim.lastFaultsLine()));
        QCOMPARE(fetch(QStringLiteral("echopilot"), QStringLiteral("/api/slo/status")).status, 503);
    }
};

QTEST_GUILESS_MAIN(TestSim)
#include "tst_sim.moc"
