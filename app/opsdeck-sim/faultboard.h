#pragma once

#include "fault.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QList>
#include <QStringList>
#include <functional>
#include <optional>

// A fault that is active right now, with what tells this activation apart from the next one (so
// that, say, a repeating stuck_jobs fault seeds fresh jobs each cycle).
struct ActiveFault
{
    Fault fault;
    QString activation; // "<load generation>/<entry index>/<cycle>"
};

// The loaded fault script and the clock it runs on. Every system asks it, per request, which faults
// apply; nothing is cached, so faults start and stop exactly on their schedule.
class FaultBoard final
{
public:
    FaultBoard();

    // Installs a new script; its times count from now.
    void replace(const QList<Fault> &faults);
    int size() const { return int(m_faults.size()); }
    qint64 msSinceLoad() const { return m_clock.elapsed(); }

    // Active faults of a system whose path matches, in file order.
    QList<ActiveFault> active(SystemId system, QStringView path) const;
    // Active faults of a system and kind, whatever their path.
    QList<ActiveFault> active(SystemId system, FaultKind kind) const;
    // The first active transport fault for a request: the one that decides how it is answered.
    std::optional<ActiveFault> transportFault(SystemId system, QStringView path) const;
    // Dependencies that active `degraded` faults for this path report as failing.
    QStringList failingDependencies(SystemId system, QStringView path) const;

    // For GET /_sim/faults: the system's faults, active or not.
    QJsonObject describe(SystemId system) const;

private:
    QList<ActiveFault> activeWhere(SystemId system, const std::function<bool(const Fault &)> &accept) const;

    QList<Fault> m_faults;
    QElapsedTimer m_clock;
    int m_generation = 0;
};
