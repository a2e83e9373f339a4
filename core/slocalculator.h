#pragma once

#include "config.h"
#include "sloreport.h"

#include <QList>
#include <QPair>

// The arithmetic of SLOs, error budgets and burn-rate alerts, as in Google's SRE workbook, on event
// counts. Pure: the caller supplies the counts of each window, so the rules are tested with
// hand-computable histories.
namespace SloCalculator {

struct BurnWindow
{
    QString label;
    qint64 ms;
};
// 5m, 30m, 1h, 6h, 1d, 3d.
const QList<BurnWindow> &burnWindows();

// The SLO window at `nowMs`: the last windowMs, or the calendar month so far (UTC).
QPair<qint64, qint64> window(const SloSettings &slo, qint64 nowMs);
QString windowLabel(const SloSettings &slo);

// `window` holds the events of window(); `burns` those of each burn window ending now.
SloReport compute(const QString &service, const SloSettings &slo, qint64 nowMs, const EventCounts &window,
                  const QMap<QString, EventCounts> &burns);

// Burn rate of a count: how many times faster than sustainable the budget is being spent.
double burnRate(const EventCounts &counts, double availabilityTarget);

// The error-budget burn-down the console charts: for each bucket of `series` (consecutive buckets
// from the SLO window's start, as HistoryStore::series() gives them), the availability budget
// remaining (fraction, below 0 when overspent) over the events from the first bucket up to and
// including that one — the same arithmetic as compute()'s budgetRemaining, so the last point is
// the report's value. Before the first event nothing has been spent (1).
QList<QPair<qint64, double>> budgetBurnDown(const SloSettings &slo, const QList<QPair<qint64, EventCounts>> &series);

} // namespace SloCalculator
