#include "recoverycriteria.h"

#include "duration.h"
#include "historystore.h"
#include "slocalculator.h"

namespace RecoveryCriteria {

QList<Line> evaluate(const HistoryStore &store, const ServiceConfig &service, qint64 nowMs, const Targets &targets)
{
    QList<Line> lines;
    const QStringList &checks = service.slo.checks;

    // Healthy: every result of the SLO's checks ok (or degraded) since the last failure, and that
    // failure (if any in the raw window) long enough ago.
    {
        Line line;
        line.criterion = QStringLiteral("healthy for %1+").arg(Duration::format(targets.healthyForMs));
        // Look back a few times the target: enough to tell, without reading the whole raw window.
        const qint64 lookBack = qMin(store.retention().rawMs, 4 * targets.healthyForMs);
        const QList<CheckResult> recent = store.results(service.name, QString(), nowMs - lookBack, 0);
        qint64 lastBad = -1, oldest = nowMs;
        int counted = 0;
        for (const CheckResult &r : recent) {
            if (!checks.isEmpty() && !checks.contains(r.check))
                continue;
            ++counted;
            oldest = qMin(oldest, r.atMs);
            if (r.outcome == Health::Down || r.outcome == Health::Unknown || r.outcome == Health::Stale)
                lastBad = qMax(lastBad, r.atMs);
        }
        if (counted == 0) {
            line.measured = QStringLiteral("no results");
        } else if (lastBad >= 0) {
            const qint64 healthy = nowMs - lastBad;
            line.passed = healthy >= targets.healthyForMs;
            line.measured = QStringLiteral("healthy for %1 (since the last failed result)").arg(Duration::format(healthy));
        } else {
            const qint64 covered = nowMs - oldest;
            line.passed = covered >= targets.healthyForMs;
            line.measured = QStringLiteral("healthy for at least %1 (all results since then)").arg(Duration::format(covered));
        }
        lines << line;
    }
    // Burn: the share of the whole window's budget spent per day, at the last day's rate.
    {
        Line line;
        line.criterion = QStringLiteral("error budget burn < %1 %/day").arg(targets.burnPercentPerDay);
        SloSettings slo = service.slo;
        const EventCounts day = store.counts(service.name, checks, nowMs - 86'400'000, nowMs);
        const double burn = SloCalculator::burnRate(day, slo.availability / 100.0);
        const auto [from, to] = SloCalculator::window(slo, nowMs);
        const double perDay = burn * 86'400'000.0 / double(qMax<qint64>(to - from, 86'400'000)) * 100.0;
        line.passed = perDay < targets.burnPercentPerDay;
        line.measured = QStringLiteral("%1 %/day (%2 of %3 events bad in the last day)")
                            .arg(perDay, 0, 'f', 2)
                            .arg(day.bad())
                            .arg(day.total);
        lines << line;
    }
    // No server errors.
    {
        Line line;
        line.criterion = QStringLiteral("no 5xx in %1").arg(Duration::format(targets.no5xxForMs));
        const int errors = store.serverErrorCount(service.name, nowMs - targets.no5xxForMs);
        line.passed = errors == 0;
        line.measured = QStringLiteral("%1 responses ≥ 500").arg(errors);
        lines << line;
    }
    // P99 over the same stretch as "healthy".
    {
        Line line;
        line.criterion = QStringLiteral("P99 < %1 ms").arg(targets.p99Ms);
        const EventCounts recent = store.counts(service.name, checks, nowMs - targets.healthyForMs, nowMs);
        const double p99 = recent.latency.percentile(0.99);
        if (p99 < 0) {
            line.measured = QStringLiteral("no latency measured in the last %1").arg(Duration::format(targets.healthyForMs));
        } else {
            line.passed = p99 < targets.p99Ms;
            line.measured = QStringLiteral("P99 %1 over the last %2").arg(Duration::formatLatency(p99), Duration::format(targets.healthyForMs));
        }
        lines << line;
    }
    return lines;
}

} // namespace RecoveryCriteria
