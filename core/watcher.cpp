#include "watcher.h"

#include "clock.h"
#include "historystore.h"

Watcher::Watcher(ProbeFactory *factory, SecretResolver *secrets, HistoryStore *history, const Clock *clock,
                 QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_history(history)
    , m_scheduler(factory, secrets, clock)
    , m_state(clock)
    , m_guard(clock)
{
    connect(&m_scheduler, &Scheduler::resultReady, this, &Watcher::ingest);
    connect(&m_scheduler, &Scheduler::passFinished, this, &Watcher::passFinished);
    connect(&m_state, &StateTracker::checkChanged, this, [this](const StateTransition &t) {
        if (m_history)
            m_history->recordTransition(t);
        emit checkStateChanged(t);
    });
    connect(&m_state, &StateTracker::serviceChanged, this, [this](const StateTransition &t) {
        if (m_history)
            m_history->recordTransition(t);
        emit serviceStateChanged(t);
    });
    connect(&m_state, &StateTracker::flappingChanged, this, &Watcher::flappingChanged);
    connect(&m_state, &StateTracker::statusUpdated, this, &Watcher::statusUpdated);
    connect(&m_guard, &ConnectivityGuard::blindChanged, this, [this](bool blind, const QString &reason) {
        m_state.setBlind(blind, reason);
        emit blindChanged(blind, reason);
    });
}

void Watcher::setConfig(const Config &config)
{
    m_config = config;
    m_targets.clear();
    m_networkChecks.clear();
    qint64 longest = 0;
    for (const ServiceConfig &s : config.services) {
        for (const CheckConfig &c : s.checks) {
            const QString key = s.name + u'/' + c.name;
            m_targets.insert(key, c.target());
            const bool remote = c.kind == CheckKind::Http || c.kind == CheckKind::Tcp
                || (c.kind == CheckKind::Sql && c.sql.driver == u"QPSQL");
            if (remote)
                m_networkChecks.insert(key);
            longest = qMax(longest, c.intervalMs);
        }
    }
    // "At once" means within about two of the slowest intervals.
    m_guard.setHorizonMs(qMax<qint64>(2 * longest, 10'000));
    m_guard.reset();
    m_state.setChecks(config);
    m_scheduler.setChecks(config);
}

void Watcher::start()
{
    m_running = true;
    m_scheduler.start();
}

void Watcher::stop()
{
    m_running = false;
    m_scheduler.stop();
}

void Watcher::runOnce()
{
    m_scheduler.runOnce();
}

void Watcher::ingest(CheckResult result)
{
    m_lastResultMs = m_clock->nowMs();
    if (result.service.isEmpty()) {
        m_guard.ingestProbe(result);
        return;
    }
    const QString key = result.key();
    if (m_networkChecks.contains(key))
        m_guard.ingest(m_targets.value(key), result);
    if (m_guard.isBlind() && isFailure(result.outcome)) {
        // Keep what the probe saw, but do not call it down: OpsDeck cannot tell.
        const QString saw = result.reason();
        result.outcome = Health::Unknown;
        result.failedCondition.clear();
        result.actualValue.clear();
        result.error = QStringLiteral("OpsDeck cannot see: %1 (the check saw: %2)").arg(m_guard.reason(), saw);
    }
    if (m_sloExclusion && isFailure(result.outcome))
        result.excludedFromSlo = m_sloExclusion(result.service, result.atMs);
    if (m_history)
        m_history->record(result);
    m_state.ingest(result);
    emit resultRecorded(result);
}
