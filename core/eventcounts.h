#pragma once

#include "latencyhistogram.h"

// What a rollup holds for one check and one time bucket, and what adding rollups over a window
// gives: the events an SLO counts. An event is one check result. `total` counts results that
// judged the target (ok, degraded, down); `good` those that were not down; `latencyGood` the good
// ones whose latency was within the service's SLO threshold; `unknown` the results that could not
// judge it (unknown, stale, blind), which count for nothing. The histogram holds the latencies of
// the judged results that got an answer (no network error).
struct EventCounts
{
    quint64 total = 0;
    quint64 good = 0;
    quint64 latencyGood = 0;
    quint64 unknown = 0;
    LatencyHistogram latency;

    quint64 bad() const { return total - good; }
    void merge(const EventCounts &other)
    {
        total += other.total;
        good += other.good;
        latencyGood += other.latencyGood;
        unknown += other.unknown;
        latency.merge(other.latency);
    }
    friend bool operator==(const EventCounts &, const EventCounts &) = default;
};
