#pragma once

#include "jobbook.h"
#include "systemserver.h"

#include <QDateTime>
#include <QElapsedTimer>

// EchoPilot primary, as its operations and disaster-recovery runbooks query it: status summary,
// SLO, scheduler, dependency health, supervisor, stuck jobs, payments.
//
// Healthy SLO values are those of a comfortable month against the runbook's targets (uptime 99.9%,
// P95 < 400 ms, error rate < 1%, webhook success > 99%, error budget alert below 25%/10%):
// availability 99.95%, error budget remaining 62.5%, P95 210 ms, error rate 0.3%, webhooks 99.6%.
// Active echopilot faults move them: outages (5xx status, reset, hang) drop availability to 98.7%
// and the budget to 6% (critical), 429s and log_errors raise the error rate and spend budget to a
// warning level, slow adds its delay to P95.
class EchoPilotSystem final : public SystemServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EchoPilotSystem)

public:
    EchoPilotSystem(const FaultBoard *faults, const QString &dashKey, const QString &healthToken,
                    QObject *parent = nullptr);

protected:
    HttpReply errorReply(int status, const QString &message) const override;

private:
    struct Slo
    {
        double availabilityPct = 99.95;
        double errorBudgetRemainingPct = 62.5;
        qint64 p95Ms = 210;
        double errorRatePct = 0.3;
        double webhookSuccessPct = 99.6;

        QJsonObject toJson() const;
    };

    HttpReply statusSummary() const;
    HttpReply sloStatus() const;
    HttpReply schedulerStatus() const;
    HttpReply health() const;
    HttpReply strictHealth() const;
    HttpReply supervisor(const QHttpServerRequest &request) const;
    HttpReply supervisorStatus(const QHttpServerRequest &request) const;
    HttpReply stuckJobs(const QHttpServerRequest &request);
    HttpReply jobDetails(const QString &id);
    HttpReply retryJob(const QString &id, const QHttpServerRequest &request);
    HttpReply reconcilePayments(const QHttpServerRequest &request) const;

    bool hasDashKey(const QHttpServerRequest &request) const;
    QJsonObject dependencies(const QStringList &failing) const;
    QJsonObject supervisorBody() const;
    Slo slo() const;
    QDateTime lastTick() const;
    void syncJobs();

    const QString m_dashKey;
    const QString m_healthToken;
    const QDateTime m_startedAt;
    QElapsedTimer m_uptime;
    JobBook m_jobs;
};
