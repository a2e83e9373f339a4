#pragma once

#include "config.h"

#include <QList>
#include <QString>

class HistoryStore;

// The disaster-recovery runbook's "Service Restored" criteria, measured: healthy for 30+ minutes,
// error-budget burn below 2 %/day, no 5xx in the last 15 minutes, P99 latency below 1200 ms.
namespace RecoveryCriteria {

struct Targets
{
    qint64 healthyForMs = 30 * 60'000;
    double burnPercentPerDay = 2.0;
    qint64 no5xxForMs = 15 * 60'000;
    double p99Ms = 1200;
};

struct Line
{
    QString criterion; // "healthy for 30+ min"
    bool passed = false;
    QString measured;  // "healthy for 42 min", "0.4 %/day", "2 responses ≥ 500", "P99 340 ms"
};

QList<Line> evaluate(const HistoryStore &store, const ServiceConfig &service, qint64 nowMs, const Targets &targets = {});

} // namespace RecoveryCriteria
