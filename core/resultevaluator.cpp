#include "resultevaluator.h"

#include "conditionevaluator.h"

namespace ResultEvaluator {

CheckResult evaluate(const QString &service, const CheckConfig &check, const ProbeReading &reading, qint64 startedAtMs,
                     qint64 nowMs)
{
    CheckResult r;
    r.service = service;
    r.check = check.name;
    r.atMs = startedAtMs;
    r.latencyMs = reading.responseTimeMs;
    r.httpStatus = reading.httpStatus;
    r.error = reading.error;
    r.networkError = reading.networkError;
    if (reading.unknown) {
        r.outcome = Health::Unknown;
        return r;
    }
    const ConditionSpec *firstWarning = nullptr;
    QString warningActual;
    for (const ConditionSpec &spec : check.conditions) {
        const ConditionVerdict v = ConditionEvaluator::evaluate(spec.condition, reading, nowMs);
        if (v.passed)
            continue;
        if (!spec.condition.warning || reading.failed) {
            r.outcome = Health::Down;
            r.failedCondition = spec.condition.text;
            r.actualValue = v.actual;
            return r;
        }
        if (!firstWarning) {
            firstWarning = &spec;
            warningActual = v.actual;
        }
    }
    if (reading.failed) {
        // No usable answer, and no condition said that was expected (`[CONNECTED] == false`).
        bool expectsFailure = false;
        for (const ConditionSpec &spec : check.conditions)
            expectsFailure = expectsFailure || spec.condition.placeholders().contains(QStringLiteral("CONNECTED"));
        if (!expectsFailure) {
            r.outcome = Health::Down;
            return r;
        }
    }
    if (firstWarning) {
        r.outcome = Health::Degraded;
        r.failedCondition = firstWarning->condition.text;
        r.actualValue = warningActual;
        return r;
    }
    r.outcome = Health::Ok;
    return r;
}

} // namespace ResultEvaluator
