#pragma once

#include <QList>
#include <QString>
#include <optional>

// Severity schemes with their response targets, as the runbooks define them:
//   P0-P3     (EchoPilot operations)   P0: acknowledge < 5 min, diagnose < 15 min, mitigate < 30 min
//   Level 1-3 (EchoPilot disaster recovery) response 30 min / 15 min / immediate; Level 3 is the worst
//   P1-P4     (the Pi deployment)      immediate / < 1 h / < 4 h / next business day
// Levels are listed most severe first. A target of 0 is "immediate" (treated as 5 minutes, the
// tightest target any runbook names); -1 means none. "Next business day" is kept as a flag and
// resolved against the incident's start (weekends skipped).
struct SeverityLevel
{
    QString name;
    QString description;
    qint64 acknowledgeMs = -1;
    qint64 diagnoseMs = -1;
    qint64 mitigateMs = -1;
    bool nextBusinessDay = false; // acknowledge by the end of the next business day

    // When the acknowledge target falls for an incident opened at `openedMs` (UTC); -1: none.
    qint64 acknowledgeDeadline(qint64 openedMs) const;
};

struct SeverityScheme
{
    QString name;
    QList<SeverityLevel> levels; // most severe first

    const SeverityLevel *level(QStringView name) const;
    int rank(QStringView name) const; // 0 = most severe; -1 when unknown
};

namespace SeveritySchemes {
const QList<SeverityScheme> &builtIn();
// Built-in and custom schemes by name; custom ones may not reuse a built-in name.
const SeverityScheme *find(const QList<SeverityScheme> &custom, QStringView name);
constexpr qint64 kImmediateMs = 5 * 60'000;
}
