#pragma once

#include "health.h"

#include <QMetaType>
#include <QString>

// One probe run, as stored in history and shown to the operator.
struct CheckResult
{
    QString service;
    QString check;
    qint64 atMs = 0;         // when the probe started, ms since epoch (UTC)
    Health outcome = Health::Unknown;
    double latencyMs = -1;   // response time; -1 when nothing was measured
    int httpStatus = 0;      // 0 when not an HTTP check or no response
    QString error;           // what went wrong reaching or reading the target
    QString failedCondition; // the condition text that failed, verbatim
    QString actualValue;     // the value that made it fail
    bool networkError = false; // the failure was about reaching the target (refused, timeout, DNS, reset)
    // Inside a maintenance window that does not count against the SLO: recorded as seen, but the
    // rollups count it as neither good nor bad (like an unknown), so the budget is not charged.
    bool excludedFromSlo = false;

    QString key() const { return service + u'/' + check; }
    // "[STATUS] == 200 — got 500", or the error text, or empty when all is well.
    QString reason() const;
};
Q_DECLARE_METATYPE(CheckResult)
