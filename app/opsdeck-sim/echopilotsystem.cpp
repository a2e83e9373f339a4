#include "echopilotsystem.h"

#include "faultboard.h"

#include <QJsonArray>
#include <QUrlQuery>

namespace {
constexpr qint64 kTickIntervalS = 60;
constexpr qint64 kStaleTickAgeS = 600;

using Method = QHttpServerRequest::Method;
} // namespace

EchoPilotSystem::EchoPilotSystem(const FaultBoard *faults, const QString &dashKey, const QString &healthToken,
                                 QObject *parent)
    : SystemServer(SystemId::EchoPilot, faults, parent)
    , m_dashKey(dashKey)
    , m_healthToken(healthToken)
    , m_startedAt(QDateTime::currentDateTimeUtc())
{
    m_uptime.start();
    addRoute(QStringLiteral("/api/status/summary"), Method::Get, [this](const auto &) { return statusSummary(); });
    addRoute(QStringLiteral("/api/slo/status"), Method::Get, [this](const auto &) { return sloStatus(); });
    addRoute(QStringLiteral("/api/scheduler/status"), Method::Get, [this](const auto &) { return schedulerStatus(); });
    addRoute(QStringLiteral("/health"), Method::Get, [this](const auto &) { return health(); });
    addRoute(QStringLiteral("/healthz/strict"), Method::Get, [this](const auto &) { return strictHealth(); });
    addRoute(QStringLiteral("/supervisor"), Method::Get, [this](const auto &r) { return supervisor(r); });
    addRoute(QStringLiteral("/api/supervisor-status"), Method::Get,
             [this](const auto &r) { return supervisorStatus(r); });
    addRoute(QStringLiteral("/api/jobs/stuck"), Method::Get, [this](const auto &r) { return stuckJobs(r); });
    addArgRoute(QStringLiteral("/api/job/<arg>"), Method::Get,
                [this](const QString &id, const auto &) { return jobDetails(id); });
    addArgRoute(QStringLiteral("/api/job/<arg>/retry"), Method::Post,
                [this](const QString &id, const auto &r) { return retryJob(id, r); });
    addRoute(QStringLiteral("/api/payments/reconcile"), Method::Get,
             [this](const auto &r) { return reconcilePayments(r); });
}

HttpReply EchoPilotSystem::errorReply(int status, const QString &message) const
{
    QString text = message;
    if (text.isEmpty()) {
        switch (status) {
        case 401:
            text = QStringLiteral("unauthorized");
            break;
        case 404:
            text = QStringLiteral("not found");
            break;
        case 405:
            text = QStringLiteral("method not allowed");
            break;
        case 429:
            text = QStringLiteral("Rate limit exceeded"); // the runbook's wording
            break;
        default:
            text = QString::fromLatin1(HttpReply::reasonPhrase(status));
        }
    }
    return HttpReply::json({ { QStringLiteral("ok"), false }, { QStringLiteral("error"), text } }, status);
}

HttpReply EchoPilotSystem::statusSummary() const
{
    const bool degraded = !faults().failingDependencies(id(), u"/api/status/summary").isEmpty();
    return HttpReply::json({
        { QStringLiteral("status"), degraded ? QStringLiteral("degraded") : QStringLiteral("healthy") },
        { QStringLiteral("workflows"),
          QJsonObject { { QStringLiteral("bot"), QStringLiteral("running") },
                        { QStringLiteral("scheduler"), QStringLiteral("running") } } },
        { QStringLiteral("version"), QStringLiteral("2.0") },
        { QStringLiteral("uptime_s"), m_uptime.elapsed() / 1000 },
    });
}

HttpReply EchoPilotSystem::sloStatus() const
{
    return HttpReply::json(slo().toJson());
}

HttpReply EchoPilotSystem::schedulerStatus() const
{
    return HttpReply::json({
        { QStringLiteral("status"), QStringLiteral("running") },
        { QStringLiteral("last_tick"), lastTick().toString(Qt::ISODateWithMs) },
        { QStringLiteral("interval_s"), kTickIntervalS },
    });
}

HttpReply EchoPilotSystem::health() const
{
    const QStringList failing = faults().failingDependencies(id(), u"/health");
    return HttpReply::json({
        { QStringLiteral("status"), failing.isEmpty() ? QStringLiteral("ok") : QStringLiteral("degraded") },
        { QStringLiteral("dependencies"), dependencies(failing) },
    });
}

HttpReply EchoPilotSystem::strictHealth() const
{
    // Strict means "would an SLO guard page someone": any failing dependency (wherever its fault
    // points), a stale scheduler, or an error budget in the runbook's critical zone (< 10%).
    const Slo current = slo();
    QJsonArray reasons;
    const QList<ActiveFault> degraded = faults().active(id(), FaultKind::Degraded);
    for (const ActiveFault &a : degraded)
        reasons.append(QString(u"dependency " % a.fault.dependency % u" failing"));
    if (!faults().active(id(), FaultKind::StaleTick).isEmpty())
        reasons.append(QStringLiteral("scheduler tick stale"));
    if (current.errorBudgetRemainingPct < 10)
        reasons.append(QStringLiteral("error budget below 10%"));
    QJsonObject body {
        { QStringLiteral("status"), reasons.isEmpty() ? QStringLiteral("ok") : QStringLiteral("unhealthy") },
        { QStringLiteral("slo"), current.toJson() },
    };
    if (!reasons.isEmpty())
        body.insert(QStringLiteral("reasons"), reasons);
    return HttpReply::json(body, reasons.isEmpty() ? 200 : 503);
}

HttpReply EchoPilotSystem::supervisor(const QHttpServerRequest &request) const
{
    if (request.query().queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded) != m_healthToken)
        return errorReply(401, QStringLiteral("invalid token"));
    return HttpReply::json(supervisorBody());
}

HttpReply EchoPilotSystem::supervisorStatus(const QHttpServerRequest &request) const
{
    if (!hasDashKey(request))
        return errorReply(401, QString());
    return HttpReply::json(supervisorBody());
}

HttpReply EchoPilotSystem::stuckJobs(const QHttpServerRequest &request)
{
    if (!hasDashKey(request))
        return errorReply(401, QString());
    syncJobs();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QJsonArray stuck;
    const QList<Job> jobs = m_jobs.stuck();
    for (const Job &job : jobs) {
        stuck.append(QJsonObject { { QStringLiteral("id"), job.id },
                                   { QStringLiteral("age_s"), job.createdAt.secsTo(now) },
                                   { QStringLiteral("type"), job.type } });
    }
    return HttpReply::json({ { QStringLiteral("stuck"), stuck } });
}

HttpReply EchoPilotSystem::jobDetails(const QString &id)
{
    syncJobs();
    const std::optional<Job> job = m_jobs.find(id);
    if (!job)
        return errorReply(404, QStringLiteral("no such job"));
    QJsonObject body = job->toJson(QDateTime::currentDateTimeUtc());
    body.insert(QStringLiteral("ok"), true);
    return HttpReply::json(body);
}

HttpReply EchoPilotSystem::retryJob(const QString &id, const QHttpServerRequest &request)
{
    if (!hasDashKey(request))
        return errorReply(401, QString());
    syncJobs();
    const std::optional<Job> job = m_jobs.retry(id);
    if (!job)
        return errorReply(404, QStringLiteral("no such job"));
    return HttpReply::json({ { QStringLiteral("ok"), true },
                             { QStringLiteral("id"), job->id },
                             { QStringLiteral("state"), job->state } });
}

HttpReply EchoPilotSystem::reconcilePayments(const QHttpServerRequest &request) const
{
    if (!hasDashKey(request))
        return errorReply(401, QString());
    return HttpReply::json({ { QStringLiteral("ok"), true }, { QStringLiteral("mismatches"), 0 } });
}

bool EchoPilotSystem::hasDashKey(const QHttpServerRequest &request) const
{
    const QList<QPair<QByteArray, QByteArray>> headers = request.headers();
    for (const auto &header : headers) {
        if (header.first.compare("X-Dash-Key", Qt::CaseInsensitive) == 0)
            return QString::fromUtf8(header.second.trimmed()) == m_dashKey;
    }
    return false;
}

QJsonObject EchoPilotSystem::dependencies(const QStringList &failing) const
{
    QJsonObject deps;
    const QStringList all = systemDependencies(id());
    for (const QString &dependency : all)
        deps.insert(dependency, failing.contains(dependency) ? QStringLiteral("fail") : QStringLiteral("ok"));
    return deps;
}

QJsonObject EchoPilotSystem::supervisorBody() const
{
    const auto workflow = [](const QString &name) {
        return QJsonObject { { QStringLiteral("name"), name }, { QStringLiteral("state"), QStringLiteral("running") } };
    };
    return { { QStringLiteral("ok"), true },
             { QStringLiteral("workflows"),
               QJsonArray { workflow(QStringLiteral("EchoPilot Bot")), workflow(QStringLiteral("Scheduler")) } } };
}

EchoPilotSystem::Slo EchoPilotSystem::slo() const
{
    Slo slo;
    // Faults anywhere on the system count: the SLO is measured over all of its traffic.
    for (FaultKind kind : { FaultKind::Status, FaultKind::Reset, FaultKind::Hang, FaultKind::Slow, FaultKind::LogErrors }) {
        const QList<ActiveFault> ofKind = faults().active(id(), kind);
        for (const ActiveFault &a : ofKind) {
            const Fault &f = a.fault;
            const bool outage = (kind == FaultKind::Status && f.status >= 500) || kind == FaultKind::Reset
                || kind == FaultKind::Hang;
            if (outage) {
                slo.availabilityPct = qMin(slo.availabilityPct, 98.7);
                slo.errorBudgetRemainingPct = qMin(slo.errorBudgetRemainingPct, 6.0);
                slo.errorRatePct = qMax(slo.errorRatePct, 7.5);
                slo.webhookSuccessPct = qMin(slo.webhookSuccessPct, 96.2);
            } else if (kind == FaultKind::Status || kind == FaultKind::LogErrors) {
                slo.errorBudgetRemainingPct = qMin(slo.errorBudgetRemainingPct, 18.0);
                slo.errorRatePct = qMax(slo.errorRatePct, 2.4);
            } else if (kind == FaultKind::Slow) {
                slo.p95Ms = qMax(slo.p95Ms, 210 + f.delayMs);
            }
        }
    }
    return slo;
}

QJsonObject EchoPilotSystem::Slo::toJson() const
{
    return {
        { QStringLiteral("availability_pct"), availabilityPct },
        { QStringLiteral("error_budget_remaining_pct"), errorBudgetRemainingPct },
        { QStringLiteral("p95_ms"), p95Ms },
        { QStringLiteral("error_rate_pct"), errorRatePct },
        { QStringLiteral("webhook_success_pct"), webhookSuccessPct },
    };
}

QDateTime EchoPilotSystem::lastTick() const
{
    // Ticks every 60 s since start; a stale_tick fault shows the scheduler stuck ten minutes back.
    const qint64 ticks = m_uptime.elapsed() / 1000 / kTickIntervalS;
    QDateTime tick = m_startedAt.addSecs(ticks * kTickIntervalS);
    if (!faults().active(id(), FaultKind::StaleTick).isEmpty())
        tick = tick.addSecs(-kStaleTickAgeS);
    return tick;
}

void EchoPilotSystem::syncJobs()
{
    QStringList activations;
    const QList<ActiveFault> active = faults().active(id(), FaultKind::StuckJobs);
    for (const ActiveFault &a : active)
        activations << a.activation;
    m_jobs.sync(activations);
}
