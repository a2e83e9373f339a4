#include "slocalculator.h"

#include "duration.h"

#include <QDateTime>
#include <cmath>

QString burnAlertName(BurnAlert alert)
{
    switch (alert) {
    case BurnAlert::None: return QStringLiteral("none");
    case BurnAlert::Ticket: return QStringLiteral("ticket");
    case BurnAlert::Page: return QStringLiteral("page");
    }
    return {};
}

QString budgetStateName(BudgetState state)
{
    switch (state) {
    case BudgetState::Ok: return QStringLiteral("ok");
    case BudgetState::Warning: return QStringLiteral("warning");
    case BudgetState::Critical: return QStringLiteral("critical");
    }
    return {};
}

namespace SloCalculator {

const QList<BurnWindow> &burnWindows()
{
    static const QList<BurnWindow> windows = {
        {QStringLiteral("5m"), 5 * 60'000LL},        {QStringLiteral("30m"), 30 * 60'000LL},
        {QStringLiteral("1h"), 3'600'000LL},         {QStringLiteral("6h"), 6 * 3'600'000LL},
        {QStringLiteral("1d"), 86'400'000LL},        {QStringLiteral("3d"), 3 * 86'400'000LL},
    };
    return windows;
}

QPair<qint64, qint64> window(const SloSettings &slo, qint64 nowMs)
{
    if (slo.calendarMonth) {
        const QDate today = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).date();
        const QDateTime start(QDate(today.year(), today.month(), 1), QTime(0, 0), Qt::UTC);
        return {start.toMSecsSinceEpoch(), nowMs};
    }
    return {nowMs - slo.windowMs, nowMs};
}

QString windowLabel(const SloSettings &slo)
{
    return slo.calendarMonth ? QStringLiteral("month") : Duration::format(slo.windowMs).remove(u' ');
}

double burnRate(const EventCounts &counts, double availabilityTarget)
{
    if (counts.total == 0)
        return 0;
    const double badFraction = double(counts.bad()) / double(counts.total);
    return badFraction / (1.0 - availabilityTarget);
}

QList<QPair<qint64, double>> budgetBurnDown(const SloSettings &slo, const QList<QPair<qint64, EventCounts>> &series)
{
    const double errorRate = 1.0 - slo.availability / 100.0;
    QList<QPair<qint64, double>> points;
    points.reserve(series.size());
    quint64 total = 0, bad = 0;
    for (const auto &[atMs, counts] : series) {
        total += counts.total;
        bad += counts.bad();
        points.append({atMs, total == 0 ? 1.0 : 1.0 - double(bad) / (errorRate * double(total))});
    }
    return points;
}

static qint64 windowLength(const SloSettings &slo, qint64 nowMs)
{
    if (!slo.calendarMonth)
        return slo.windowMs;
    const QDate today = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).date();
    return qint64(today.daysInMonth()) * 86'400'000;
}

SloReport compute(const QString &service, const SloSettings &slo, qint64 nowMs, const EventCounts &counts,
                  const QMap<QString, EventCounts> &burns)
{
    SloReport r;
    r.service = service;
    r.window = windowLabel(slo);
    const auto [from, to] = window(slo, nowMs);
    r.fromMs = from;
    r.toMs = to;
    r.counts = counts;
    r.availabilityTarget = slo.availability / 100.0;
    r.latencyTarget = slo.latencyTarget / 100.0;
    r.latencyMs = slo.latencyMs;

    const double errorRate = 1.0 - r.availabilityTarget;
    r.badAllowed = errorRate * double(counts.total);
    if (counts.total > 0) {
        r.availability = double(counts.good) / double(counts.total);
        // Remaining = 1 - used / allowed; an empty window has spent nothing.
        r.budgetRemaining = 1.0 - double(counts.bad()) / r.badAllowed;
        if (slo.latencyMs > 0) {
            r.latencySli = double(counts.latencyGood) / double(counts.total);
            const double latencyAllowed = (1.0 - r.latencyTarget) * double(counts.total);
            r.latencyBudgetRemaining = 1.0 - double(counts.total - counts.latencyGood) / latencyAllowed;
        }
    } else if (slo.latencyMs > 0) {
        r.latencyBudgetRemaining = 1.0;
    }

    for (const BurnWindow &w : burnWindows()) {
        const EventCounts c = burns.value(w.label);
        r.burnRates.insert(w.label, burnRate(c, r.availabilityTarget));
        r.burnBadEvents.insert(w.label, c.bad());
    }

    // Multi-window, multi-burn-rate alerts (SRE workbook, table 5-8), each also needing enough bad
    // events: sparse probes turn two failures in an hour into a 14× burn that must not page.
    auto fires = [&](const QString &longW, const QString &shortW, double threshold) {
        return r.burnRates.value(longW) >= threshold && r.burnRates.value(shortW) >= threshold
            && r.burnBadEvents.value(longW) >= quint64(slo.minBadEvents);
    };
    auto describe = [&](const QString &longW, const QString &shortW) {
        return QStringLiteral("burning %1× over %2 and %3× over %4 (%5 bad events in %2)")
            .arg(r.burnRates.value(longW), 0, 'f', 1)
            .arg(longW)
            .arg(r.burnRates.value(shortW), 0, 'f', 1)
            .arg(shortW)
            .arg(r.burnBadEvents.value(longW));
    };
    if (fires(QStringLiteral("1h"), QStringLiteral("5m"), 14.4)) {
        r.alert = BurnAlert::Page;
        r.alertReason = describe(QStringLiteral("1h"), QStringLiteral("5m"));
    } else if (fires(QStringLiteral("6h"), QStringLiteral("30m"), 6.0)) {
        r.alert = BurnAlert::Page;
        r.alertReason = describe(QStringLiteral("6h"), QStringLiteral("30m"));
    } else if (fires(QStringLiteral("3d"), QStringLiteral("6h"), 1.0)) {
        r.alert = BurnAlert::Ticket;
        r.alertReason = describe(QStringLiteral("3d"), QStringLiteral("6h"));
    }

    // Compared with a little slack so that exactly 10 % left (1 - 9/10 in floating point) is not
    // "below 10 %".
    const double remainingPct = r.budgetRemaining * 100.0 + 1e-9;
    r.budgetState = remainingPct < slo.budgetCritical ? BudgetState::Critical
        : remainingPct < slo.budgetWarning            ? BudgetState::Warning
                                                      : BudgetState::Ok;

    // At burn rate b the whole budget lasts windowLength / b; what is left lasts remaining times that.
    const double currentBurn = r.burnRates.value(QStringLiteral("1h"));
    if (r.budgetRemaining <= 0)
        r.exhaustionMs = nowMs;
    else if (currentBurn > 0)
        r.exhaustionMs = nowMs + std::llround(r.budgetRemaining * double(windowLength(slo, nowMs)) / currentBurn);

    r.p50 = counts.latency.percentile(0.50);
    r.p95 = counts.latency.percentile(0.95);
    r.p99 = counts.latency.percentile(0.99);
    return r;
}

} // namespace SloCalculator
