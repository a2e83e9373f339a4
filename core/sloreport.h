#pragma once

#include "eventcounts.h"

#include <QMap>
#include <QString>
#include <optional>

enum class BurnAlert { None, Ticket, Page };
enum class BudgetState { Ok, Warning, Critical };
QString burnAlertName(BurnAlert alert);   // "none", "ticket", "page"
QString budgetStateName(BudgetState state); // "ok", "warning", "critical"

// One service's SLO at one moment: SLIs, error budget, burn rates, alert state and forecast.
struct SloReport
{
    QString service;
    QString window;          // "30d", "7d" or "month" (calendar month, UTC)
    qint64 fromMs = 0;       // the window, [from, to)
    qint64 toMs = 0;
    EventCounts counts;      // events in the window
    std::optional<double> availability; // good / all, 0–1; none without events
    std::optional<double> latencySli;   // latency-good / all, 0–1; none without events or objective
    double availabilityTarget = 0.999;  // fractions
    double latencyTarget = 0.95;
    double latencyMs = 0;               // 0: no latency objective
    double badAllowed = 0;              // bad events the budget allows for the events so far
    double budgetRemaining = 1;         // fraction of the availability budget left; below 0 when overspent
    std::optional<double> latencyBudgetRemaining;
    QMap<QString, double> burnRates;    // "5m" … "3d" → burn rate (1 = spending exactly the budget)
    QMap<QString, quint64> burnBadEvents;
    BurnAlert alert = BurnAlert::None;
    QString alertReason;
    BudgetState budgetState = BudgetState::Ok;
    std::optional<qint64> exhaustionMs; // when the budget runs out at the current (1 h) burn rate
    double p50 = -1, p95 = -1, p99 = -1; // ms, from the merged histogram; -1 without samples
};
