#include "statetracker.h"

#include "clock.h"
#include "duration.h"
#include "logging.h"

#include <limits>

StateTracker::StateTracker(const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{
    m_staleTimer.setSingleShot(true);
    connect(&m_staleTimer, &QTimer::timeout, this, &StateTracker::checkStaleness);
}

void StateTracker::setChecks(const Config &config)
{
    QHash<QString, CheckStatus> next;
    m_checkOrder.clear();
    m_serviceOrder.clear();
    const qint64 now = m_clock->nowMs();
    for (const ServiceConfig &service : config.services) {
        m_serviceOrder << service.name;
        QStringList &order = m_checkOrder[service.name];
        for (const CheckConfig &check : service.checks) {
            const QString key = service.name + u'/' + check.name;
            CheckStatus s = m_checks.value(key);
            if (s.service.isEmpty()) {
                s.service = service.name;
                s.check = check.name;
                s.sinceMs = now;
                s.reason = QStringLiteral("no result yet");
            }
            s.intervalMs = check.intervalMs;
            s.failureThreshold = check.failureThreshold;
            s.successThreshold = check.successThreshold;
            next.insert(key, s);
            order << key;
        }
        if (!m_serviceHealth.contains(service.name))
            m_serviceHealth.insert(service.name, Health::Unknown);
    }
    for (auto it = m_serviceHealth.begin(); it != m_serviceHealth.end();) {
        if (!m_checkOrder.contains(it.key()))
            it = m_serviceHealth.erase(it);
        else
            ++it;
    }
    m_checks = std::move(next);
    armStaleTimer();
}

void StateTracker::ingest(const CheckResult &result)
{
    auto it = m_checks.find(result.key());
    if (it == m_checks.end())
        return; // a result from a check that was removed by a reload
    CheckStatus &s = *it;
    s.last = result;
    s.hasResult = true;
    const QString reason = result.reason();

    if (result.outcome == Health::Unknown || result.outcome == Health::Stale) {
        s.consecutiveBad = s.consecutiveGood = 0;
        change(s, Health::Unknown, reason.isEmpty() ? QStringLiteral("OpsDeck could not run the check") : reason);
    } else if (isFailure(result.outcome)) {
        ++s.consecutiveBad;
        s.consecutiveGood = 0;
        updateFlapping(s, false);
        // Once confirmed failing, a change between degraded and down shows at once.
        if (isFailure(s.health) || s.consecutiveBad >= s.failureThreshold)
            change(s, result.outcome, reason);
        else if (s.health != Health::Ok)
            s.reason = QStringLiteral("failing, awaiting confirmation (%1 of %2): %3")
                           .arg(s.consecutiveBad)
                           .arg(s.failureThreshold)
                           .arg(reason);
    } else {
        ++s.consecutiveGood;
        s.consecutiveBad = 0;
        updateFlapping(s, true);
        if (!isFailure(s.health) || s.consecutiveGood >= s.successThreshold)
            change(s, Health::Ok, QString());
    }
    emit statusUpdated(s.service, s.check);
    // A result only moves its own check's deadline later, so a running timer is still early enough;
    // checkStaleness() aims it again when it fires.
    if (!m_staleTimer.isActive())
        armStaleTimer();
}

void StateTracker::setBlind(bool blind, const QString &reason)
{
    if (m_blind == blind)
        return;
    m_blind = blind;
    if (!blind)
        return; // the next results restore the picture
    for (CheckStatus &s : m_checks) {
        s.consecutiveBad = s.consecutiveGood = 0;
        change(s, Health::Unknown, QStringLiteral("OpsDeck cannot see: %1").arg(reason));
    }
}

void StateTracker::checkStaleness()
{
    const qint64 now = m_clock->nowMs();
    for (CheckStatus &s : m_checks) {
        const qint64 lastAt = s.hasResult ? s.last.atMs : s.sinceMs;
        if (s.health != Health::Stale && now - lastAt >= 2 * s.intervalMs) {
            s.consecutiveBad = s.consecutiveGood = 0;
            change(s, Health::Stale,
                   QStringLiteral("no result for %1 (interval %2)")
                       .arg(Duration::format(now - lastAt), Duration::format(s.intervalMs)));
        }
    }
    armStaleTimer();
}

void StateTracker::armStaleTimer()
{
    // One timer aimed at the earliest moment any check could turn stale.
    qint64 earliest = std::numeric_limits<qint64>::max();
    for (const CheckStatus &s : std::as_const(m_checks)) {
        if (s.health == Health::Stale)
            continue;
        const qint64 lastAt = s.hasResult ? s.last.atMs : s.sinceMs;
        earliest = qMin(earliest, lastAt + 2 * s.intervalMs);
    }
    if (earliest == std::numeric_limits<qint64>::max()) {
        m_staleTimer.stop();
        return;
    }
    // At least kStaleGranularityMs apart: with many checks the deadlines are spread over an
    // interval, and a timer per deadline would rescan every check for each of them.
    const qint64 wait = qBound(kStaleGranularityMs, earliest - m_clock->nowMs() + 1, qint64(std::numeric_limits<int>::max()));
    if (!m_staleTimer.isActive() || m_staleTimer.remainingTime() > wait)
        m_staleTimer.start(int(wait));
}

void StateTracker::change(CheckStatus &s, Health to, const QString &reason)
{
    if (s.health == to) {
        if (!reason.isEmpty())
            s.reason = reason;
        return;
    }
    StateTransition t;
    t.service = s.service;
    t.check = s.check;
    t.atMs = m_clock->nowMs();
    t.from = s.health;
    t.to = to;
    t.reason = reason;
    s.health = to;
    s.reason = reason;
    s.sinceMs = t.atMs;
    qCDebug(lcState) << s.service << s.check << healthName(t.from) << "->" << healthName(to) << reason;
    emit checkChanged(t);
    updateService(s.service);
}

void StateTracker::updateService(const QString &service)
{
    Health worst = Health::Ok;
    QString worstReason;
    for (const QString &key : m_checkOrder.value(service)) {
        const CheckStatus &s = m_checks[key];
        if (s.health > worst) {
            worst = s.health;
            worstReason = s.check + QStringLiteral(": ") + s.reason;
        }
    }
    const Health before = m_serviceHealth.value(service, Health::Unknown);
    if (before == worst)
        return;
    m_serviceHealth[service] = worst;
    StateTransition t;
    t.service = service;
    t.atMs = m_clock->nowMs();
    t.from = before;
    t.to = worst;
    t.reason = worst == Health::Ok ? QString() : worstReason;
    emit serviceChanged(t);
}

void StateTracker::updateFlapping(CheckStatus &s, bool good)
{
    s.recent.push_back(good);
    if (s.recent.size() > kFlapWindow + 1)
        s.recent.pop_front();
    if (s.recent.size() < kFlapWindow / 2)
        return;
    int changes = 0;
    for (std::size_t i = 1; i < s.recent.size(); ++i)
        changes += s.recent[i] != s.recent[i - 1];
    const double ratio = double(changes) / double(s.recent.size() - 1);
    // Hysteresis, as in Nagios: start above 40 % changes, stop below 20 %.
    const bool flapping = s.flapping ? ratio >= 0.2 : ratio > 0.4;
    if (flapping != s.flapping) {
        s.flapping = flapping;
        emit flappingChanged(s.service, s.check, flapping);
    }
}

const CheckStatus *StateTracker::status(const QString &service, const QString &check) const
{
    const auto it = m_checks.constFind(service + u'/' + check);
    return it == m_checks.constEnd() ? nullptr : &*it;
}

QList<const CheckStatus *> StateTracker::statuses(const QString &service) const
{
    QList<const CheckStatus *> out;
    for (const QString &key : m_checkOrder.value(service))
        out << &m_checks.find(key).value();
    return out;
}

Health StateTracker::serviceHealth(const QString &service) const
{
    return m_serviceHealth.value(service, Health::Unknown);
}
