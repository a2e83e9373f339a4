#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

// The record of one failover drill — the runbook's monthly failover test and the failover part of
// the quarterly DR drill: every step with its time, measured against the runbook's target where
// it has one. Actions run as dry runs; nothing is switched.
struct FailoverDrill
{
    struct Step
    {
        QString name;
        qint64 startedMs = 0;
        qint64 finishedMs = 0;
        bool ok = false;
        QString detail;       // what happened (a check's verdict, an action's summary)
        qint64 targetMs = -1; // -1: the runbook sets no target for this step
        QString target;       // where the target comes from
        bool informational = false; // its result does not decide the drill (the primary's health)
        qint64 tookMs() const { return finishedMs - startedMs; }
        bool metTarget() const { return targetMs < 0 || tookMs() <= targetMs; }
    };

    QString service;
    QString actor;
    QString primary;
    QString fallback;
    bool triggered = false; // by the primary's failures in mode `test`, not by hand
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    QList<Step> steps;

    // Passed: every deciding step succeeded and met its target.
    bool passed() const;
    QString markdown() const;
    QJsonObject toJson() const;
    // Writes <dir>/<service>-<UTC time>.md and .json; *markdownPath is the Markdown one.
    bool save(const QString &dir, QString *markdownPath, QString *error) const;

    // The runbook's targets. "Immediate" (Level 3, total outage: activate edge failover) is five
    // minutes, as for the severity schemes.
    static constexpr qint64 kImmediateMs = 5 * 60'000;
};
