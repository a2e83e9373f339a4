#pragma once

#include "systemid.h"

#include <QJsonObject>
#include <QString>
#include <optional>

// Transport kinds decide how (or whether) a response goes out; content kinds leave the transport
// alone and change what the system reports in otherwise normal responses.
enum class FaultKind {
    // transport
    Status,
    Slow,
    Hang,
    Malformed,
    Reset,
    Drip,
    Huge,
    RedirectLoop,
    // content
    Degraded,
    StuckJobs,
    LogErrors,
    StaleTick,
};

QString faultKindName(FaultKind kind); // as written in the fault file, e.g. "redirect_loop"
std::optional<FaultKind> faultKindFromName(QStringView name);
QStringList faultKindNames();

// One entry of the fault script. Times are milliseconds after the script was loaded.
struct Fault
{
    SystemId system = SystemId::EchoPilot;
    QString path = QStringLiteral("*"); // exact request path, or "*" for every path of the system
    FaultKind kind = FaultKind::Status;
    qint64 fromMs = 0;
    std::optional<qint64> forMs; // unset: lasts forever
    std::optional<qint64> everyMs; // set: repeats; active for forMs at the start of each cycle
    int status = 503; // kind status
    std::optional<qint64> retryAfterMs; // kind status; 429 gets 60 s when unset
    qint64 delayMs = 2000; // kind slow
    QString dependency; // kind degraded
    int line = 0; // 1-based line of the entry in the fault file, for /_sim/faults

    bool isTransport() const;
    bool matchesPath(QStringView requestPath) const;
    // The repetition the fault is in at `msSinceLoad` (0 for one-shot faults), or nullopt while it
    // is inactive. Callers use the cycle to tell one activation from the next.
    std::optional<qint64> cycleAt(qint64 msSinceLoad) const;
    QJsonObject toJson() const;
};
