#include "connectivityguard.h"

#include "clock.h"
#include "logging.h"

ConnectivityGuard::ConnectivityGuard(const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{
}

void ConnectivityGuard::ingestProbe(const CheckResult &result)
{
    m_probeFailing = result.outcome != Health::Ok;
    m_probeError = result.reason();
    reassess();
}

void ConnectivityGuard::ingest(const QString &target, const CheckResult &result)
{
    Seen &seen = m_targets[target];
    seen.atMs = result.atMs;
    seen.networkError = result.networkError;
    seen.error = result.error;
    reassess();
}

void ConnectivityGuard::reset()
{
    m_targets.clear();
    m_probeFailing = false;
    reassess();
}

void ConnectivityGuard::reassess()
{
    bool blind = false;
    QString reason;
    if (m_probeFailing) {
        blind = true;
        reason = QStringLiteral("the connectivity probe fails (%1)").arg(m_probeError);
    } else {
        const qint64 since = m_clock->nowMs() - m_horizonMs;
        int recent = 0, unreachable = 0;
        for (const Seen &s : std::as_const(m_targets)) {
            if (s.atMs < since)
                continue;
            ++recent;
            unreachable += s.networkError;
        }
        if (recent >= m_minimumTargets && unreachable == recent) {
            blind = true;
            reason = QStringLiteral("all %1 monitored hosts are unreachable at once; OpsDeck's own network is the likelier fault").arg(recent);
        }
    }
    if (blind == m_blind && reason == m_reason)
        return;
    const bool changed = blind != m_blind;
    m_blind = blind;
    m_reason = reason;
    if (changed) {
        qCInfo(lcState) << (blind ? "blind:" : "seeing again") << reason;
        emit blindChanged(blind, reason);
    }
}
