#include "faultboard.h"

#include <QDateTime>
#include <QJsonArray>

FaultBoard::FaultBoard()
{
    m_clock.start();
}

void FaultBoard::replace(const QList<Fault> &faults)
{
    m_faults = faults;
    m_clock.restart();
    ++m_generation;
}

QList<ActiveFault> FaultBoard::activeWhere(SystemId system, const std::function<bool(const Fault &)> &accept) const
{
    QList<ActiveFault> result;
    const qint64 now = msSinceLoad();
    for (qsizetype i = 0; i < m_faults.size(); ++i) {
        const Fault &fault = m_faults.at(i);
        if (fault.system != system || !accept(fault))
            continue;
        if (const std::optional<qint64> cycle = fault.cycleAt(now)) {
            result << ActiveFault { fault,
                                    QString::number(m_generation) % u'/' % QString::number(i) % u'/'
                                        % QString::number(*cycle) };
        }
    }
    return result;
}

QList<ActiveFault> FaultBoard::active(SystemId system, QStringView path) const
{
    return activeWhere(system, [path](const Fault &fault) { return fault.matchesPath(path); });
}

QList<ActiveFault> FaultBoard::active(SystemId system, FaultKind kind) const
{
    return activeWhere(system, [kind](const Fault &fault) { return fault.kind == kind; });
}

std::optional<ActiveFault> FaultBoard::transportFault(SystemId system, QStringView path) const
{
    const QList<ActiveFault> all = active(system, path);
    for (const ActiveFault &a : all) {
        if (a.fault.isTransport())
            return a;
    }
    return std::nullopt;
}

QStringList FaultBoard::failingDependencies(SystemId system, QStringView path) const
{
    QStringList failing;
    const QList<ActiveFault> all = active(system, path);
    for (const ActiveFault &a : all) {
        if (a.fault.kind == FaultKind::Degraded && !failing.contains(a.fault.dependency))
            failing << a.fault.dependency;
    }
    return failing;
}

QJsonObject FaultBoard::describe(SystemId system) const
{
    const qint64 now = msSinceLoad();
    QJsonArray faults;
    int activeCount = 0;
    for (const Fault &fault : m_faults) {
        if (fault.system != system)
            continue;
        QJsonObject o = fault.toJson();
        const bool isActive = fault.cycleAt(now).has_value();
        activeCount += isActive ? 1 : 0;
        o.insert(QStringLiteral("active"), isActive);
        faults.append(o);
    }
    return {
        { QStringLiteral("system"), systemName(system) },
        { QStringLiteral("loaded_at"),
          QDateTime::currentDateTimeUtc().addMSecs(-now).toString(Qt::ISODateWithMs) },
        { QStringLiteral("ms_since_load"), now },
        { QStringLiteral("active"), activeCount },
        { QStringLiteral("faults"), faults },
    };
}
