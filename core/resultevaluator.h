#pragma once

#include "checkresult.h"
#include "config.h"
#include "probereading.h"

// Turns what a probe measured into a verdict: every condition is evaluated; a failing critical
// condition means down, a failing `warning:` one degraded; a probe that got no usable answer is down
// on any failure; a prober that could not run at all (a missing secret, a missing program) is
// unknown. The first failed condition — critical before warning — and its actual value are kept.
namespace ResultEvaluator {
CheckResult evaluate(const QString &service, const CheckConfig &check, const ProbeReading &reading, qint64 startedAtMs,
                     qint64 nowMs);
}
