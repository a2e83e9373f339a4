#pragma once

#include <QtGlobal>
#include <algorithm>

// How long each tier of history is kept. The day tier follows the hour tier.
struct RetentionPolicy
{
    qint64 rawMs = 48LL * 3600 * 1000;
    qint64 minuteMs = 14LL * 24 * 3600 * 1000;
    qint64 hourMs = 400LL * 24 * 3600 * 1000; // also the day tier
    // How often the writer thread prunes by itself (the first pass comes a minute after open).
    // 0 leaves pruning to explicit HistoryStore::runRetention() calls, for tests that need the
    // store to stay as they wrote it.
    qint64 autoIntervalMs = 10LL * 60 * 1000;

    // Windows nested (raw ≤ minute ≤ hour), none shorter than a minute, so that a row is only ever
    // deleted once the next coarser tier, written at ingest, covers it.
    RetentionPolicy normalized() const
    {
        RetentionPolicy p = *this;
        p.rawMs = std::max<qint64>(p.rawMs, 60'000);
        p.minuteMs = std::max(p.minuteMs, p.rawMs);
        p.hourMs = std::max(p.hourMs, p.minuteMs);
        p.autoIntervalMs = std::max<qint64>(p.autoIntervalMs, 0);
        return p;
    }
    friend bool operator==(const RetentionPolicy &, const RetentionPolicy &) = default;
};

// The tiers as the retention_horizon table numbers them.
enum class RetentionTier { Raw = 0, Minute = 1, Hour = 2, Day = 3 };
