#pragma once

#include <QtGlobal>

// Time is injected so that debounce, staleness and SLO windows are tested by advancing a fake
// clock rather than by sleeping. Milliseconds since the Unix epoch, UTC.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual qint64 nowMs() const = 0;
};

class SystemClock final : public Clock
{
public:
    qint64 nowMs() const override;
    static SystemClock *instance();
};
