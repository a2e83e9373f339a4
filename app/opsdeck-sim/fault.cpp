#include "fault.h"

#include <QJsonValue>

namespace {
struct KindName
{
    FaultKind kind;
    const char16_t *name;
};

constexpr KindName kKindNames[] = {
    { FaultKind::Status, u"status" },
    { FaultKind::Slow, u"slow" },
    { FaultKind::Hang, u"hang" },
    { FaultKind::Degraded, u"degraded" },
    { FaultKind::Malformed, u"malformed" },
    { FaultKind::Reset, u"reset" },
    { FaultKind::Drip, u"drip" },
    { FaultKind::Huge, u"huge" },
    { FaultKind::RedirectLoop, u"redirect_loop" },
    { FaultKind::StuckJobs, u"stuck_jobs" },
    { FaultKind::LogErrors, u"log_errors" },
    { FaultKind::StaleTick, u"stale_tick" },
};
} // namespace

QString faultKindName(FaultKind kind)
{
    for (const KindName &entry : kKindNames) {
        if (entry.kind == kind)
            return QString::fromUtf16(entry.name);
    }
    return {};
}

std::optional<FaultKind> faultKindFromName(QStringView name)
{
    for (const KindName &entry : kKindNames) {
        if (name == QStringView(entry.name))
            return entry.kind;
    }
    return std::nullopt;
}

QStringList faultKindNames()
{
    QStringList names;
    for (const KindName &entry : kKindNames)
        names << QString::fromUtf16(entry.name);
    return names;
}

bool Fault::isTransport() const
{
    switch (kind) {
    case FaultKind::Status:
    case FaultKind::Slow:
    case FaultKind::Hang:
    case FaultKind::Malformed:
    case FaultKind::Reset:
    case FaultKind::Drip:
    case FaultKind::Huge:
    case FaultKind::RedirectLoop:
        return true;
    case FaultKind::Degraded:
    case FaultKind::StuckJobs:
    case FaultKind::LogErrors:
    case FaultKind::StaleTick:
        return false;
    }
    return false;
}

bool Fault::matchesPath(QStringView requestPath) const
{
    return path == u"*" || requestPath == path;
}

std::optional<qint64> Fault::cycleAt(qint64 msSinceLoad) const
{
    const qint64 sinceStart = msSinceLoad - fromMs;
    if (sinceStart < 0)
        return std::nullopt;
    if (everyMs) {
        const qint64 cycle = sinceStart / *everyMs;
        const qint64 intoCycle = sinceStart % *everyMs;
        // The parser insists on `for` with `every`; without it the fault would simply never stop.
        if (forMs && intoCycle >= *forMs)
            return std::nullopt;
        return cycle;
    }
    if (forMs && sinceStart >= *forMs)
        return std::nullopt;
    return 0;
}

QJsonObject Fault::toJson() const
{
    QJsonObject o {
        { QStringLiteral("system"), systemName(system) },
        { QStringLiteral("path"), path },
        { QStringLiteral("kind"), faultKindName(kind) },
        { QStringLiteral("from_ms"), fromMs },
        { QStringLiteral("line"), line },
    };
    o.insert(QStringLiteral("for_ms"), forMs ? QJsonValue(*forMs) : QJsonValue());
    if (everyMs)
        o.insert(QStringLiteral("every_ms"), *everyMs);
    switch (kind) {
    case FaultKind::Status:
        o.insert(QStringLiteral("status"), status);
        if (retryAfterMs)
            o.insert(QStringLiteral("retry_after_ms"), *retryAfterMs);
        break;
    case FaultKind::Slow:
        o.insert(QStringLiteral("delay_ms"), delayMs);
        break;
    case FaultKind::Degraded:
        o.insert(QStringLiteral("dependency"), dependency);
        break;
    default:
        break;
    }
    return o;
}
