#pragma once

#include <QString>
#include <array>

// The rollup tiers. Buckets are aligned to their length in UTC (epoch-based), so a day bucket is
// a UTC day and every hour lies in exactly one day, every minute in exactly one hour.
enum class RollupResolution { Minute, Hour, Day };

inline constexpr qint64 kMinuteMs = 60'000;
inline constexpr qint64 kHourMs = 60 * kMinuteMs;
inline constexpr qint64 kDayMs = 24 * kHourMs;
inline constexpr std::array<RollupResolution, 3> kRollupResolutions = {
    RollupResolution::Minute, RollupResolution::Hour, RollupResolution::Day};

constexpr qint64 resolutionMs(RollupResolution resolution)
{
    switch (resolution) {
    case RollupResolution::Minute:
        return kMinuteMs;
    case RollupResolution::Hour:
        return kHourMs;
    case RollupResolution::Day:
        return kDayMs;
    }
    return kMinuteMs;
}

inline QString rollupTable(RollupResolution resolution)
{
    switch (resolution) {
    case RollupResolution::Minute:
        return QStringLiteral("rollup_minute");
    case RollupResolution::Hour:
        return QStringLiteral("rollup_hour");
    case RollupResolution::Day:
        return QStringLiteral("rollup_day");
    }
    return QStringLiteral("rollup_minute");
}

// Floor and ceiling to a multiple of step, correct for times before 1970 too.
constexpr qint64 floorTo(qint64 ms, qint64 step)
{
    const qint64 r = ms % step;
    return r < 0 ? ms - r - step : ms - r;
}

constexpr qint64 ceilTo(qint64 ms, qint64 step)
{
    const qint64 f = floorTo(ms, step);
    return f == ms ? ms : f + step;
}
