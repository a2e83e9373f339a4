#include "severity.h"

#include <QDateTime>

qint64 SeverityLevel::acknowledgeDeadline(qint64 openedMs) const
{
    if (nextBusinessDay) {
        // The end of the next working day (Monday to Friday), 23:59:59 UTC.
        QDate day = QDateTime::fromMSecsSinceEpoch(openedMs, Qt::UTC).date().addDays(1);
        while (day.dayOfWeek() > 5)
            day = day.addDays(1);
        return QDateTime(day, QTime(23, 59, 59), Qt::UTC).toMSecsSinceEpoch();
    }
    if (acknowledgeMs < 0)
        return -1;
    return openedMs + (acknowledgeMs == 0 ? SeveritySchemes::kImmediateMs : acknowledgeMs);
}

const SeverityLevel *SeverityScheme::level(QStringView levelName) const
{
    for (const SeverityLevel &l : levels)
        if (l.name.compare(levelName, Qt::CaseInsensitive) == 0)
            return &l;
    return nullptr;
}

int SeverityScheme::rank(QStringView levelName) const
{
    for (int i = 0; i < levels.size(); ++i)
        if (levels[i].name.compare(levelName, Qt::CaseInsensitive) == 0)
            return i;
    return -1;
}

namespace SeveritySchemes {

const QList<SeverityScheme> &builtIn()
{
    constexpr qint64 min = 60'000;
    static const QList<SeverityScheme> schemes = {
        {QStringLiteral("P0-P3"),
         {{QStringLiteral("P0"), QStringLiteral("Critical: complete system outage, payment failures, data loss"), 5 * min, 15 * min, 30 * min, false},
          {QStringLiteral("P1"), QStringLiteral("High: partial outage, degraded performance affecting users"), -1, -1, -1, false},
          {QStringLiteral("P2"), QStringLiteral("Medium: minor functionality broken, workaround available"), -1, -1, -1, false},
          {QStringLiteral("P3"), QStringLiteral("Low: cosmetic issues, documentation errors"), -1, -1, -1, false}}},
        {QStringLiteral("Level 1-3"),
         {{QStringLiteral("Level 3"), QStringLiteral("Total outage: app unreachable, all health checks failing"), 0, -1, -1, false},
          {QStringLiteral("Level 2"), QStringLiteral("Partial outage: some features down, 5xx errors, database connection failures"), 15 * min, -1, -1, false},
          {QStringLiteral("Level 1"), QStringLiteral("Degraded performance: slow responses, elevated latency (>1200ms P99)"), 30 * min, -1, -1, false}}},
        {QStringLiteral("P1-P4"),
         {{QStringLiteral("P1"), QStringLiteral("Critical: app completely down, DB inaccessible, data corruption suspected"), 0, -1, -1, false},
          {QStringLiteral("P2"), QStringLiteral("High: core feature broken, degraded health check"), 60 * min, -1, -1, false},
          {QStringLiteral("P3"), QStringLiteral("Medium: non-critical feature broken, worker automation failures"), 4 * 60 * min, -1, -1, false},
          {QStringLiteral("P4"), QStringLiteral("Low: performance degradation, cosmetic issues, single automation failure"), -1, -1, -1, true}}},
    };
    return schemes;
}

const SeverityScheme *find(const QList<SeverityScheme> &custom, QStringView name)
{
    for (const SeverityScheme &s : builtIn())
        if (s.name.compare(name, Qt::CaseInsensitive) == 0)
            return &s;
    for (const SeverityScheme &s : custom)
        if (s.name.compare(name, Qt::CaseInsensitive) == 0)
            return &s;
    return nullptr;
}

} // namespace SeveritySchemes
