#include "failovercontroller.h"

#include "auditlog.h"
#include "clock.h"
#include "duration.h"
#include "incidentmanager.h"
#include "logging.h"
#include "oneshotprobe.h"
#include "watcher.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QTimer>

namespace {

const QString kOpsDeck = QStringLiteral("opsdeck");

// A fallback that answers but is slow (degraded) still serves better than a dead primary.
bool fallbackHealthy(Health h)
{
    return h == Health::Ok || h == Health::Degraded;
}

QString verdict(const CheckResult &r)
{
    const QString latency = r.latencyMs >= 0 ? QStringLiteral(" in %1").arg(Duration::formatLatency(r.latencyMs)) : QString();
    const QString reason = r.reason();
    return healthName(r.outcome) + latency + (reason.isEmpty() ? QString() : QStringLiteral(": ") + reason);
}

} // namespace

FailoverController::FailoverController(const ServiceConfig &service, const Services &services, QObject *parent)
    : QObject(parent)
    , m_deps(services)
    , m_clock(services.clock ? services.clock : SystemClock::instance())
{
    connect(&m_watch, &QFileSystemWatcher::fileChanged, this, [this] { reload(); });
    connect(&m_watch, &QFileSystemWatcher::directoryChanged, this, [this] { reload(); });
    if (m_deps.runner)
        connect(m_deps.runner, &ActionRunner::runFinished, this, &FailoverController::onRunFinished);
    setService(service);
}

FailoverController::~FailoverController() = default;

void FailoverController::setService(const ServiceConfig &service)
{
    m_service = service;
    m_config = service.failover.value_or(FailoverConfig());
    const bool moved = !m_file || m_file->path() != m_config.stateFile || m_file->logPath() != m_config.logFile;
    // A transition in flight finishes on the file it started with.
    if (moved && !m_busy) {
        if (!m_watch.files().isEmpty())
            m_watch.removePaths(m_watch.files());
        if (!m_watch.directories().isEmpty())
            m_watch.removePaths(m_watch.directories());
        m_file = std::make_unique<FailoverStateFile>(m_config.stateFile, m_config.logFile);
    }
    reload();
}

QString FailoverController::reload()
{
    QString error;
    const auto s = m_file->read(&error);
    if (m_started) {
        // Editors and QSaveFile replace the file: watch the folder too, and re-add the file.
        const QString dir = QFileInfo(m_file->path()).absolutePath();
        if (QFileInfo::exists(dir) && !m_watch.directories().contains(dir))
            m_watch.addPath(dir);
        if (QFileInfo::exists(m_file->path()) && !m_watch.files().contains(m_file->path()))
            m_watch.addPath(m_file->path());
    }
    if (!s) {
        if (m_stateError != error)
            qCWarning(lcState) << error;
        m_stateError = error;
        return error;
    }
    m_stateError.clear();
    if (FailoverStateFile::toJson(*s) != FailoverStateFile::toJson(m_state)) {
        m_state = *s;
        emit stateChanged(m_state);
    }
    return {};
}

bool FailoverController::update(const std::function<bool(FailoverState &)> &edit)
{
    QString error;
    FailoverState after;
    if (!m_file->update(m_clock->nowMs(), edit, &after, &error)) {
        qCWarning(lcState) << "failover of" << m_service.name << ":" << error;
        m_stateError = error;
        return false;
    }
    m_stateError.clear();
    if (FailoverStateFile::toJson(after) != FailoverStateFile::toJson(m_state)) {
        m_state = after;
        emit stateChanged(m_state);
    }
    return true;
}

// One transition everywhere it is kept: the NDJSON log, the incident's timeline, the audit log.
void FailoverController::record(const QString &event, const QString &text, const QJsonObject &extra, bool everywhere)
{
    const qint64 now = m_clock->nowMs();
    const QString actor = m_actor.isEmpty() ? kOpsDeck : m_actor;
    QJsonObject line{{QStringLiteral("ts"), FailoverStateFile::isoTime(now)},
                     {QStringLiteral("service"), m_service.name},
                     {QStringLiteral("event"), event},
                     {QStringLiteral("phase"), failoverPhaseName(m_state.phase)},
                     {QStringLiteral("consecutive_failures"), m_state.consecutiveFailures},
                     {QStringLiteral("failover_active"), m_state.failoverActive},
                     {QStringLiteral("mode"), failoverModeName(m_config.mode)},
                     {QStringLiteral("actor"), actor},
                     {QStringLiteral("text"), text}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        line.insert(it.key(), it.value());
    QString error;
    if (!m_file->appendLog(line, now, &error))
        qCWarning(lcState) << error;
    emit transition(m_service.name, event, text);
    if (!everywhere)
        return;
    if (m_deps.incidents) {
        qint64 id = m_state.incidentId;
        if (id <= 0)
            if (const auto open = m_deps.incidents->openIncidentFor(m_service.name))
                id = open->id;
        if (id > 0 && !m_deps.incidents->recordFailover(id, actor, text, &error))
            qCWarning(lcState) << "failover event not in incident" << id << ":" << error;
    }
    if (m_deps.audit) {
        QJsonObject details = line;
        details.remove(QStringLiteral("ts"));
        details.remove(QStringLiteral("actor"));
        if (!m_deps.audit->append(actor, QStringLiteral("failover.") + event, details, now, &error))
            qCWarning(lcState) << "could not write the audit log:" << error;
    }
    qCInfo(lcState) << m_service.name << "failover" << event << text;
}

// The incident this episode's events go to: the one already in the state file while it is open,
// else a new (or the already open) incident of cause `failover`.
qint64 FailoverController::ensureIncident(const QString &title, const QString &detail)
{
    if (!m_deps.incidents)
        return 0;
    if (m_state.incidentId > 0)
        for (const Incident &open : m_deps.incidents->openIncidents())
            if (open.id == m_state.incidentId)
                return m_state.incidentId;
    qint64 id = 0;
    if (const auto i = m_deps.incidents->raise(m_service.name, IncidentCause::Failover, detail, title))
        id = i->id;
    else if (const auto open = m_deps.incidents->openIncidentFor(m_service.name))
        id = open->id; // no failover rule, or in maintenance: the service's open incident, if any
    update([id](FailoverState &s) {
        if (s.incidentId == id)
            return false;
        s.incidentId = id;
        return true;
    });
    return id;
}

void FailoverController::attach(Watcher *watcher)
{
    m_watcher = watcher;
    connect(watcher, &Watcher::resultRecorded, this, &FailoverController::ingest);
}

void FailoverController::ingest(const CheckResult &result)
{
    if (result.service != m_service.name || m_config.mode == FailoverConfig::Mode::Off)
        return;
    if (result.check == m_config.primary)
        onPrimary(result);
    else if (result.check == m_config.fallback)
        onFallback(result);
}

void FailoverController::start()
{
    m_started = true;
    // The folder is watched for the file appearing and being replaced by other programs.
    QDir().mkpath(QFileInfo(m_file->path()).absolutePath());
    reload();
    if (m_config.mode == FailoverConfig::Mode::Off || !m_stateError.isEmpty() || !m_state.inTransition() || m_busy)
        return;
    // A transition is written down as running. If its program is alive it holds the lock and goes
    // on by itself; if it died, the lock is free and this program finishes the job.
    QString holder;
    if (!m_file->lockTransition(&holder)) {
        qCInfo(lcState) << m_service.name << "failover transition in progress in" << holder;
        return;
    }
    m_busy = true;
    m_actor = m_state.actor.isEmpty() ? kOpsDeck : m_state.actor;
    resume(m_state);
}

void FailoverController::stop()
{
    m_started = false;
}

void FailoverController::onPrimary(const CheckResult &r)
{
    const CheckConfig *check = m_service.check(m_config.primary);
    const qint64 half = check ? check->intervalMs / 2 : 0;
    bool counted = false;
    bool recovered = false;
    const int keep = m_config.triggerFailures;
    const bool ok = update([&](FailoverState &s) {
        // Two programs watching the same service see each period's result twice: count one.
        if (s.lastResultMs > 0 && r.atMs < s.lastResultMs + qMax<qint64>(half, 1))
            return false;
        s.lastResultMs = r.atMs;
        if (r.outcome == Health::Down) {
            ++s.consecutiveFailures;
            s.failureTimes.append(r.atMs);
            while (s.failureTimes.size() > keep)
                s.failureTimes.removeFirst();
            s.primaryHealthySinceMs = 0;
            counted = true;
        } else if (r.outcome == Health::Ok || r.outcome == Health::Degraded) {
            recovered = s.consecutiveFailures > 0;
            s.consecutiveFailures = 0;
            s.failureTimes.clear();
            s.alertedAtMs = 0;
            if (r.outcome == Health::Degraded)
                s.primaryHealthySinceMs = 0; // fail back only to a primary that is fully ok
            else if (s.primaryHealthySinceMs == 0)
                s.primaryHealthySinceMs = r.atMs;
        } else {
            s.primaryHealthySinceMs = 0; // unknown: not proof of health; neither counts nor resets the streak
        }
        return true;
    });
    if (!ok)
        return;
    if (counted)
        record(QStringLiteral("failure"), QStringLiteral("the primary `%1` failed (%2 in a row): %3")
                                              .arg(m_config.primary).arg(m_state.consecutiveFailures).arg(r.reason()),
               {{QStringLiteral("check"), m_config.primary}}, false);
    else if (recovered)
        record(QStringLiteral("recovered"), QStringLiteral("the primary `%1` is %2 again").arg(m_config.primary, healthName(r.outcome)),
               {{QStringLiteral("check"), m_config.primary}}, false);
    if (counted || recovered || r.outcome == Health::Ok)
        evaluate();
}

void FailoverController::onFallback(const CheckResult &r)
{
    if (m_busy || m_state.phase != FailoverState::Phase::WaitingForFallback || !fallbackHealthy(r.outcome))
        return;
    if (m_config.mode != FailoverConfig::Mode::Automatic || m_state.consecutiveFailures == 0)
        return;
    // The fallback is healthy again while the primary still fails: this result is the verification.
    startFailover(kOpsDeck, Trigger::Automatic, &r, nullptr);
}

bool FailoverController::triggered(const FailoverState &s) const
{
    const int n = m_config.triggerFailures;
    if (s.consecutiveFailures < n || s.failureTimes.size() < n)
        return false;
    return s.failureTimes.last() - s.failureTimes.at(s.failureTimes.size() - n) <= m_config.triggerWindowMs;
}

QString FailoverController::triggerText(const FailoverState &s) const
{
    return QStringLiteral("the primary `%1` failed %2 times in a row within %3")
        .arg(m_config.primary)
        .arg(s.consecutiveFailures)
        .arg(Duration::format(m_config.triggerWindowMs));
}

void FailoverController::evaluate()
{
    if (m_busy)
        return;
    const qint64 now = m_clock->nowMs();
    const FailoverState s = m_state;
    switch (s.phase) {
    case FailoverState::Phase::Watching:
        if (s.watchUntilMs > 0 && now >= s.watchUntilMs && !triggered(s)) {
            update([](FailoverState &st) {
                st.phase = FailoverState::Phase::Normal;
                st.watchUntilMs = 0;
                return true;
            });
            record(QStringLiteral("watch_over"), QStringLiteral("the primary `%1` stayed healthy for the watch period (%2) after the failback")
                                                     .arg(m_config.primary, Duration::format(m_config.watchMs)));
            return;
        }
        [[fallthrough]];
    case FailoverState::Phase::Normal:
        if (!triggered(s))
            return;
        switch (m_config.mode) {
        case FailoverConfig::Mode::Automatic: startFailover(kOpsDeck, Trigger::Automatic, nullptr, nullptr); break;
        case FailoverConfig::Mode::Manual: alert(); break;
        case FailoverConfig::Mode::Test: startDrill(kOpsDeck, true, nullptr); break;
        case FailoverConfig::Mode::Off: break;
        }
        return;
    case FailoverState::Phase::WaitingForFallback:
        if (s.consecutiveFailures == 0) {
            update([](FailoverState &st) {
                st.phase = FailoverState::Phase::Normal;
                st.refusedAtMs = 0;
                return true;
            });
            record(QStringLiteral("wait_over"), QStringLiteral("the primary `%1` recovered before the fallback did: no failover needed").arg(m_config.primary));
        }
        return;
    case FailoverState::Phase::Active:
        if (s.primaryHealthySinceMs <= 0 || now - s.primaryHealthySinceMs < m_config.failbackAfterMs)
            return;
        if (m_config.mode == FailoverConfig::Mode::Automatic && m_config.autoFailback) {
            startFailback(kOpsDeck, false, nullptr);
        } else if (s.failbackReadyNotedMs == 0) {
            update([now](FailoverState &st) {
                st.failbackReadyNotedMs = now;
                return true;
            });
            record(QStringLiteral("failback_ready"), QStringLiteral("the primary `%1` has been healthy for %2: fail back with `opsdeckctl failover back %3`")
                                                         .arg(m_config.primary, Duration::format(now - s.primaryHealthySinceMs), m_service.name));
        }
        return;
    case FailoverState::Phase::FailingOver:
    case FailoverState::Phase::FailingBack:
    case FailoverState::Phase::FailoverFailed:
    case FailoverState::Phase::FailbackFailed:
        return; // resumed by start(), or left to the operator
    }
}

// Manual mode: say that the trigger was reached, once per streak, and how to act on it.
void FailoverController::alert()
{
    if (m_state.alertedAtMs > 0)
        return;
    const qint64 now = m_clock->nowMs();
    update([now](FailoverState &s) {
        s.alertedAtMs = now;
        return true;
    });
    QString fallback = QStringLiteral("no result yet");
    if (m_watcher)
        if (const CheckStatus *st = m_watcher->state().status(m_service.name, m_config.fallback); st && st->hasResult)
            fallback = verdict(st->last);
    const QString text = QStringLiteral("%1; failover is manual: verify the fallback `%2` (last: %3) and run `opsdeckctl failover now %4`")
                             .arg(triggerText(m_state), m_config.fallback, fallback, m_service.name);
    ensureIncident(QStringLiteral("%1: failover needed").arg(m_service.name), text);
    record(QStringLiteral("alert"), text);
}

bool FailoverController::begin(Done done, const char *what)
{
    if (m_busy) {
        if (done)
            done({false, QStringLiteral("a failover transition of %1 is already running in this program").arg(m_service.name), {}, {}});
        return false;
    }
    if (!m_deps.runner || !m_deps.probes) {
        if (done)
            done({false, QStringLiteral("cannot %1 %2: no action runner (is the store open?)").arg(QLatin1String(what), m_service.name), {}, {}});
        return false;
    }
    QString holder;
    if (!m_file->lockTransition(&holder)) {
        if (done)
            done({false, QStringLiteral("cannot %1 %2 now: a failover transition is running in %3").arg(QLatin1String(what), m_service.name, holder), {}, {}});
        return false;
    }
    m_busy = true;
    m_done = std::move(done);
    // Under the transition lock, the file as it is now decides.
    const QString error = reload();
    if (!error.isEmpty()) {
        finish({false, error, {}, {}});
        return false;
    }
    return true;
}

void FailoverController::finish(const Outcome &outcome)
{
    m_busy = false;
    m_awaitingRun = false;
    m_runId = 0;
    m_pendingAction.clear();
    m_file->unlockTransition();
    const Done done = std::exchange(m_done, nullptr);
    m_actor.clear();
    if (done)
        done(outcome);
}

void FailoverController::failoverNow(const QString &actor, Done done)
{
    if (m_config.mode == FailoverConfig::Mode::Off) {
        done({false, QStringLiteral("failover is off for %1 (mode: off in its config)").arg(m_service.name), {}, {}});
        return;
    }
    if (m_config.mode == FailoverConfig::Mode::Test) {
        done({false, QStringLiteral("%1's failover is in mode test, where nothing is switched: run `opsdeckctl failover test %1`, "
                                    "or set mode manual or automatic").arg(m_service.name), {}, {}});
        return;
    }
    startFailover(actor, Trigger::ByHand, nullptr, std::move(done));
}

void FailoverController::startFailover(const QString &actor, Trigger trigger, const CheckResult *verified, Done done)
{
    if (!begin(std::move(done), "fail over"))
        return;
    m_actor = actor;
    const FailoverState s = m_state;
    if (s.inTransition()) {
        m_actor = trigger == Trigger::ByHand ? actor : (s.actor.isEmpty() ? kOpsDeck : s.actor);
        resume(s); // its program died: finish what it started
        return;
    }
    if (s.phase == FailoverState::Phase::Active || s.phase == FailoverState::Phase::FailingBack) {
        finish({trigger == Trigger::ByHand, QStringLiteral("%1 is already failed over (since %2): nothing to do")
                                                .arg(m_service.name, FailoverStateFile::isoTime(s.sinceMs)), {}, {}});
        return;
    }
    if (trigger == Trigger::Automatic && !triggered(s) && s.phase != FailoverState::Phase::WaitingForFallback) {
        finish({false, QStringLiteral("the trigger no longer holds"), {}, {}}); // another program saw a recovery
        return;
    }
    if (verified) {
        proceedFailover(actor, trigger, *verified);
        return;
    }
    const CheckConfig *fallback = m_service.check(m_config.fallback);
    if (!fallback) {
        finish({false, QStringLiteral("no check `%1` in %2").arg(m_config.fallback, m_service.name), {}, {}});
        return;
    }
    // Never fail over to a dead fallback: look at it now, right before.
    m_deps.probes->run(m_service.name, *fallback, this, [this, actor, trigger](const CheckResult &r) {
        proceedFailover(actor, trigger, r);
    });
}

void FailoverController::proceedFailover(const QString &actor, Trigger trigger, const CheckResult &fallback)
{
    const qint64 now = m_clock->nowMs();
    if (!fallbackHealthy(fallback.outcome)) {
        const QString text = QStringLiteral("failover refused: the fallback `%1` is unhealthy (%2)").arg(m_config.fallback, verdict(fallback));
        if (trigger == Trigger::Automatic) {
            const bool first = m_state.phase != FailoverState::Phase::WaitingForFallback;
            update([now](FailoverState &s) {
                s.phase = FailoverState::Phase::WaitingForFallback;
                s.sinceMs = now;
                s.refusedAtMs = now;
                return true;
            });
            if (first) {
                const QString detail = QStringLiteral("%1; %2. OpsDeck fails over as soon as the fallback is healthy while the primary still fails.")
                                           .arg(triggerText(m_state), text);
                ensureIncident(QStringLiteral("%1: failover refused — the fallback `%2` is unhealthy").arg(m_service.name, m_config.fallback), detail);
                record(QStringLiteral("refused"), detail, {{QStringLiteral("fallback"), verdict(fallback)}});
            }
        } else {
            record(QStringLiteral("refused"), text + QStringLiteral(" (asked by hand)"), {{QStringLiteral("fallback"), verdict(fallback)}});
        }
        finish({false, text, {}, {}});
        return;
    }
    const bool relapse = m_state.phase == FailoverState::Phase::Watching && m_state.watchUntilMs > now;
    const bool retry = m_state.phase == FailoverState::Phase::FailoverFailed;
    const int fromStep = retry ? m_state.step : 0;
    const QString owner = FailoverStateFile::ownerId();
    update([&](FailoverState &s) {
        s.phase = FailoverState::Phase::FailingOver;
        s.step = fromStep;
        s.runId = 0;
        s.owner = owner;
        s.actor = actor;
        s.sinceMs = now;
        s.refusedAtMs = 0;
        s.lastError.clear();
        if (!retry)
            ++s.failovers;
        if (relapse)
            ++s.relapses;
        return true;
    });
    QString why = trigger == Trigger::ByHand ? QStringLiteral("by hand (%1)").arg(actor) : triggerText(m_state);
    if (relapse)
        why = QStringLiteral("relapse within the watch period after the failback: ") + why;
    const QString text = QStringLiteral("failing over from `%1` to `%2`: %3; the fallback is %4; actions: %5")
                             .arg(m_config.primary, m_config.fallback, why, verdict(fallback),
                                  m_config.actions.isEmpty() ? QStringLiteral("none") : m_config.actions.mid(fromStep).join(QStringLiteral(", ")));
    ensureIncident(relapse ? QStringLiteral("%1: failed over again (relapse)").arg(m_service.name)
                           : QStringLiteral("%1: failed over to the fallback").arg(m_service.name),
                   text);
    record(relapse ? QStringLiteral("relapse") : retry ? QStringLiteral("failover_retried") : QStringLiteral("failover_started"), text,
           {{QStringLiteral("fallback"), verdict(fallback)}});
    runNextStep();
}

void FailoverController::failbackNow(const QString &actor, Done done)
{
    if (m_config.mode == FailoverConfig::Mode::Test) {
        done({false, QStringLiteral("%1's failover is in mode test: nothing was switched, so there is nothing to fail back").arg(m_service.name), {}, {}});
        return;
    }
    startFailback(actor, true, std::move(done));
}

void FailoverController::startFailback(const QString &actor, bool byHand, Done done)
{
    if (!begin(std::move(done), "fail back"))
        return;
    m_actor = actor;
    const FailoverState s = m_state;
    if (s.inTransition()) {
        resume(s);
        return;
    }
    const bool canFailBack = s.phase == FailoverState::Phase::Active || s.phase == FailoverState::Phase::FailbackFailed
        || s.phase == FailoverState::Phase::FailoverFailed;
    if (!canFailBack) {
        finish({false, QStringLiteral("%1 is not failed over (phase %2): nothing to fail back").arg(m_service.name, failoverPhaseName(s.phase)), {}, {}});
        return;
    }
    if (!byHand) {
        beginFailback(actor, QStringLiteral("the primary `%1` has been healthy for %2")
                                 .arg(m_config.primary, Duration::format(m_clock->nowMs() - s.primaryHealthySinceMs)));
        return;
    }
    const CheckConfig *primary = m_service.check(m_config.primary);
    if (!primary) {
        finish({false, QStringLiteral("no check `%1` in %2").arg(m_config.primary, m_service.name), {}, {}});
        return;
    }
    // The runbook's first failback step: verify the primary's health.
    m_deps.probes->run(m_service.name, *primary, this, [this, actor](const CheckResult &r) {
        if (r.outcome != Health::Ok) {
            const QString text = QStringLiteral("failback refused: the primary `%1` is not healthy (%2)").arg(m_config.primary, verdict(r));
            record(QStringLiteral("failback_refused"), text);
            finish({false, text, {}, {}});
            return;
        }
        QString why = QStringLiteral("by hand (%1); the primary is %2").arg(actor, verdict(r));
        if (m_state.primaryHealthySinceMs > 0 && m_clock->nowMs() - m_state.primaryHealthySinceMs < m_config.failbackAfterMs)
            why += QStringLiteral(" (healthy for %1 only; the runbook waits %2)")
                       .arg(Duration::format(m_clock->nowMs() - m_state.primaryHealthySinceMs), Duration::format(m_config.failbackAfterMs));
        beginFailback(actor, why);
    });
}

void FailoverController::beginFailback(const QString &actor, const QString &why)
{
    const qint64 now = m_clock->nowMs();
    const bool retry = m_state.phase == FailoverState::Phase::FailbackFailed;
    const int fromStep = retry ? m_state.step : 0;
    const QString owner = FailoverStateFile::ownerId();
    update([&](FailoverState &s) {
        s.phase = FailoverState::Phase::FailingBack;
        s.step = fromStep;
        s.runId = 0;
        s.owner = owner;
        s.actor = actor;
        s.sinceMs = now;
        s.lastError.clear();
        return true;
    });
    record(retry ? QStringLiteral("failback_retried") : QStringLiteral("failback_started"),
           QStringLiteral("failing back from `%1` to `%2`: %3; actions: %4")
               .arg(m_config.fallback, m_config.primary, why,
                    m_config.failbackActions.isEmpty() ? QStringLiteral("none") : m_config.failbackActions.mid(fromStep).join(QStringLiteral(", "))));
    runNextStep();
}

void FailoverController::resume(const FailoverState &s)
{
    const bool over = s.phase == FailoverState::Phase::FailingOver;
    const QStringList &list = over ? m_config.actions : m_config.failbackActions;
    int step = s.step;
    QString note;
    if (s.runId > 0 && m_deps.runner) {
        const auto run = m_deps.runner->get(s.runId);
        if (run && run->status == u"succeeded") {
            note = QStringLiteral("; `%1` had succeeded before the interruption (run #%2)").arg(run->action).arg(run->id);
            ++step;
        } else if (run) {
            note = QStringLiteral("; `%1` was interrupted (run #%2: %3) and runs again").arg(run->action).arg(run->id).arg(run->status);
        }
    }
    const QString owner = FailoverStateFile::ownerId();
    const QString left = s.owner;
    update([&](FailoverState &st) {
        st.step = step;
        st.runId = 0;
        st.owner = owner;
        return true;
    });
    record(QStringLiteral("resumed"), QStringLiteral("resuming the interrupted %1 left by %2 at step %3 of %4%5")
                                          .arg(over ? QStringLiteral("failover") : QStringLiteral("failback"),
                                               left.isEmpty() ? QStringLiteral("a program that stopped") : left)
                                          .arg(qMin(step + 1, int(list.size())))
                                          .arg(list.size())
                                          .arg(note));
    runNextStep();
}

void FailoverController::runNextStep()
{
    const bool over = m_state.phase == FailoverState::Phase::FailingOver;
    const QStringList &list = over ? m_config.actions : m_config.failbackActions;
    if (m_state.step >= list.size()) {
        completeTransition();
        return;
    }
    const QString action = list.at(m_state.step);
    ActionRunner::Request request;
    request.service = m_service.name;
    request.action = action;
    request.actor = m_actor.isEmpty() ? kOpsDeck : m_actor;
    request.confirmed = true; // failing over is the confirmation
    request.reason = over ? QStringLiteral("failover") : QStringLiteral("failback");
    QString error;
    m_pendingAction = action;
    m_awaitingRun = true;
    m_earlyFinish.reset();
    const qint64 id = m_deps.runner->run(request, &error);
    if (id <= 0) {
        m_awaitingRun = false;
        stepFailed(action, error.isEmpty() ? QStringLiteral("the action runner refused it") : error);
        return;
    }
    m_runId = id;
    update([id](FailoverState &s) {
        s.runId = id;
        return true;
    });
    if (m_earlyFinish && m_earlyFinish->id == id) {
        const ActionRun run = *std::exchange(m_earlyFinish, std::nullopt);
        onRunFinished(run);
    }
}

void FailoverController::onRunFinished(const ActionRun &run)
{
    if (!m_busy || !m_awaitingRun || run.service != m_service.name || run.action != m_pendingAction)
        return;
    if (m_runId == 0) {
        m_earlyFinish = run; // finished before run() returned: handled there
        return;
    }
    if (run.id != m_runId)
        return;
    m_awaitingRun = false;
    m_runId = 0;
    const bool ok = run.status == u"succeeded";
    if (m_drillStage != DrillStage::None) {
        FailoverDrill::Step step;
        step.name = QStringLiteral("%1 action `%2` (dry run)")
                        .arg(m_drillStage == DrillStage::FailoverActions ? QStringLiteral("Failover") : QStringLiteral("Failback"), run.action);
        step.startedMs = run.startedAtMs;
        step.finishedMs = run.finishedAtMs > 0 ? run.finishedAtMs : m_clock->nowMs();
        step.ok = ok;
        step.detail = run.status + (run.summary.isEmpty() ? QString() : QStringLiteral(": ") + run.summary);
        m_drill.steps << step;
        if (!ok) {
            finishDrill();
            return;
        }
        ++m_drillIndex;
        drillNext();
        return;
    }
    if (!ok) {
        stepFailed(run.action, QStringLiteral("%1%2 (run #%3)").arg(run.status, run.summary.isEmpty() ? QString() : QStringLiteral(": ") + run.summary).arg(run.id));
        return;
    }
    record(QStringLiteral("action"), QStringLiteral("`%1` succeeded in %2%3 (run #%4)")
                                         .arg(run.action, Duration::format(qMax<qint64>(run.durationMs(), 0)),
                                              run.summary.isEmpty() ? QString() : QStringLiteral(": ") + run.summary)
                                         .arg(run.id),
           {{QStringLiteral("action"), run.action}, {QStringLiteral("run_id"), run.id}, {QStringLiteral("status"), run.status}});
    update([](FailoverState &s) {
        ++s.step;
        s.runId = 0;
        return true;
    });
    runNextStep();
}

void FailoverController::stepFailed(const QString &action, const QString &why)
{
    const bool over = m_state.phase == FailoverState::Phase::FailingOver;
    const QStringList &list = over ? m_config.actions : m_config.failbackActions;
    const QStringList skipped = list.mid(m_state.step + 1);
    update([&](FailoverState &s) {
        s.phase = over ? FailoverState::Phase::FailoverFailed : FailoverState::Phase::FailbackFailed;
        s.runId = 0;
        s.owner.clear();
        s.lastError = QStringLiteral("`%1` failed: %2").arg(action, why);
        return true;
    });
    const QString text = QStringLiteral("%1 stopped: action `%2` failed: %3%4")
                             .arg(over ? QStringLiteral("failover") : QStringLiteral("failback"), action, why,
                                  skipped.isEmpty() ? QString() : QStringLiteral("; not run: ") + skipped.join(QStringLiteral(", ")));
    ensureIncident(QStringLiteral("%1: %2 failed").arg(m_service.name, over ? QStringLiteral("failover") : QStringLiteral("failback")), text);
    record(QStringLiteral("action_failed"), text, {{QStringLiteral("action"), action}});
    finish({false, text, {}, {}});
}

void FailoverController::completeTransition()
{
    const qint64 now = m_clock->nowMs();
    if (m_state.phase == FailoverState::Phase::FailingOver) {
        update([now](FailoverState &s) {
            s.phase = FailoverState::Phase::Active;
            s.failoverActive = true;
            s.sinceMs = now;
            s.step = 0;
            s.runId = 0;
            s.owner.clear();
            s.primaryHealthySinceMs = 0; // the healthy period counts from now
            s.failbackReadyNotedMs = 0;
            s.watchUntilMs = 0;
            return true;
        });
        const QString text = QStringLiteral("failed over: %1 is served by the fallback `%2` (%3 actions succeeded); failback %4")
                                 .arg(m_service.name, m_config.fallback)
                                 .arg(m_config.actions.size())
                                 .arg(m_config.mode == FailoverConfig::Mode::Automatic && m_config.autoFailback
                                          ? QStringLiteral("after the primary is healthy for %1").arg(Duration::format(m_config.failbackAfterMs))
                                          : QStringLiteral("by hand: opsdeckctl failover back %1").arg(m_service.name));
        record(QStringLiteral("failover_active"), text);
        finish({true, text, {}, {}});
        return;
    }
    const qint64 watchUntil = m_config.watchMs > 0 ? now + m_config.watchMs : 0;
    update([now, watchUntil](FailoverState &s) {
        s.phase = watchUntil > 0 ? FailoverState::Phase::Watching : FailoverState::Phase::Normal;
        s.failoverActive = false;
        s.consecutiveFailures = 0;
        s.failureTimes.clear();
        s.alertedAtMs = 0;
        s.sinceMs = now;
        s.step = 0;
        s.runId = 0;
        s.owner.clear();
        s.watchUntilMs = watchUntil;
        s.failbackReadyNotedMs = 0;
        return true;
    });
    const QString text = QStringLiteral("failed back: %1 is served by the primary `%2` again (%3 actions succeeded)%4")
                             .arg(m_service.name, m_config.primary)
                             .arg(m_config.failbackActions.size())
                             .arg(watchUntil > 0 ? QStringLiteral("; a relapse until %1 fails over again").arg(FailoverStateFile::isoTime(watchUntil))
                                                 : QString());
    record(QStringLiteral("failback_done"), text);
    finish({true, text, {}, {}});
}

// ---- drills -------------------------------------------------------------------------------------

void FailoverController::drill(const QString &actor, Done done)
{
    if (m_config.mode == FailoverConfig::Mode::Off) {
        done({false, QStringLiteral("failover is off for %1 (mode: off in its config)").arg(m_service.name), {}, {}});
        return;
    }
    startDrill(actor, false, std::move(done));
}

void FailoverController::startDrill(const QString &actor, bool triggeredByFailures, Done done)
{
    if (!begin(std::move(done), "run a failover drill for"))
        return;
    m_actor = actor;
    const qint64 now = m_clock->nowMs();
    m_drill = FailoverDrill();
    m_drill.service = m_service.name;
    m_drill.actor = actor;
    m_drill.primary = m_config.primary;
    m_drill.fallback = m_config.fallback;
    m_drill.triggered = triggeredByFailures;
    m_drill.startedMs = now;
    if (triggeredByFailures) {
        // Detection: from the first of the N failures to the trigger (the runbook: 3 in 15 min).
        const int n = m_config.triggerFailures;
        FailoverDrill::Step detect;
        detect.name = QStringLiteral("Detect: %1 consecutive failures of `%2`").arg(n).arg(m_config.primary);
        detect.startedMs = m_state.failureTimes.size() >= n ? m_state.failureTimes.at(m_state.failureTimes.size() - n) : now;
        detect.finishedMs = now;
        detect.ok = true;
        detect.targetMs = m_config.triggerWindowMs;
        detect.target = QStringLiteral("the trigger window: %1 failures in %2").arg(n).arg(Duration::format(m_config.triggerWindowMs));
        detect.detail = triggerText(m_state);
        m_drill.steps << detect;
        // One drill per streak: the failures counted so far are used up.
        update([](FailoverState &s) {
            s.failureTimes.clear();
            return true;
        });
    }
    record(QStringLiteral("drill_started"), QStringLiteral("failover drill of %1 (dry run)%2")
                                                .arg(m_service.name, triggeredByFailures ? QStringLiteral(": ") + triggerText(m_state) : QString()),
           {{QStringLiteral("dry_run"), true}});
    m_drillStage = DrillStage::Fallback;
    m_drillIndex = 0;
    drillNext();
}

void FailoverController::drillProbe(const QString &checkName, bool informational)
{
    const CheckConfig *check = m_service.check(checkName);
    const qint64 started = m_clock->nowMs();
    auto handle = [this, checkName, informational, started](const CheckResult &r) {
        FailoverDrill::Step step;
        step.name = informational ? QStringLiteral("Verify the primary `%1`").arg(checkName)
                                  : QStringLiteral("Verify the fallback `%1`").arg(checkName);
        step.startedMs = started;
        step.finishedMs = m_clock->nowMs();
        step.ok = informational ? r.outcome == Health::Ok : fallbackHealthy(r.outcome);
        step.informational = informational;
        step.detail = verdict(r);
        if (!informational) {
            step.targetMs = FailoverDrill::kImmediateMs;
            step.target = QStringLiteral("Level 3 response: immediate");
        } else if (!step.ok) {
            step.detail += QStringLiteral(" — a real failback would wait until it is healthy for %1").arg(Duration::format(m_config.failbackAfterMs));
        }
        m_drill.steps << step;
        if (!informational && !step.ok) {
            finishDrill();
            return;
        }
        m_drillStage = informational ? DrillStage::FailbackActions : DrillStage::FailoverActions;
        m_drillIndex = 0;
        m_drillPhaseStartMs = m_clock->nowMs();
        drillNext();
    };
    if (!check) {
        CheckResult missing;
        missing.outcome = Health::Unknown;
        missing.error = QStringLiteral("no check `%1` in %2").arg(checkName, m_service.name);
        handle(missing);
        return;
    }
    m_deps.probes->run(m_service.name, *check, this, handle);
}

void FailoverController::drillNext()
{
    switch (m_drillStage) {
    case DrillStage::None: return;
    case DrillStage::Fallback: drillProbe(m_config.fallback, false); return;
    case DrillStage::Primary: drillProbe(m_config.primary, true); return;
    case DrillStage::FailoverActions:
    case DrillStage::FailbackActions: break;
    }
    const bool over = m_drillStage == DrillStage::FailoverActions;
    const QStringList &list = over ? m_config.actions : m_config.failbackActions;
    if (m_drillIndex >= list.size()) {
        // The whole switch, dry: the runbook's Level 3 "activate edge failover — immediate".
        FailoverDrill::Step total;
        total.name = over ? QStringLiteral("Fail over: all %1 failover actions (dry run)").arg(list.size())
                          : QStringLiteral("Fail back: all %1 failback actions (dry run)").arg(list.size());
        total.startedMs = m_drillPhaseStartMs;
        total.finishedMs = m_clock->nowMs();
        total.ok = true;
        if (over) {
            total.targetMs = FailoverDrill::kImmediateMs;
            total.target = QStringLiteral("Level 3 response: activate edge failover immediately");
        }
        m_drill.steps << total;
        if (over) {
            m_drillStage = DrillStage::Primary;
            drillNext();
        } else {
            finishDrill();
        }
        return;
    }
    ActionRunner::Request request;
    request.service = m_service.name;
    request.action = list.at(m_drillIndex);
    request.actor = m_actor.isEmpty() ? kOpsDeck : m_actor;
    request.dryRun = true;
    request.confirmed = true;
    request.reason = QStringLiteral("failover drill");
    QString error;
    m_pendingAction = request.action;
    m_awaitingRun = true;
    m_earlyFinish.reset();
    m_runId = 0;
    const qint64 id = m_deps.runner->run(request, &error);
    if (id <= 0) {
        m_awaitingRun = false;
        FailoverDrill::Step step;
        step.name = QStringLiteral("%1 action `%2` (dry run)").arg(over ? QStringLiteral("Failover") : QStringLiteral("Failback"), request.action);
        step.startedMs = step.finishedMs = m_clock->nowMs();
        step.detail = QStringLiteral("refused: ") + error;
        m_drill.steps << step;
        finishDrill();
        return;
    }
    m_runId = id;
    if (m_earlyFinish && m_earlyFinish->id == id) {
        const ActionRun run = *std::exchange(m_earlyFinish, std::nullopt);
        onRunFinished(run);
    }
}

void FailoverController::finishDrill()
{
    m_drillStage = DrillStage::None;
    m_drill.finishedMs = m_clock->nowMs();
    Outcome outcome;
    outcome.ok = m_drill.passed();
    outcome.report = m_drill.markdown();
    QString error;
    const QString dir = QFileInfo(m_file->path()).absolutePath() + QStringLiteral("/drills");
    if (!m_drill.save(dir, &outcome.reportPath, &error)) {
        outcome.ok = false;
        outcome.message = error;
    } else {
        outcome.message = QStringLiteral("failover drill of %1 %2; report: %3")
                              .arg(m_service.name, outcome.ok ? QStringLiteral("passed") : QStringLiteral("FAILED"), outcome.reportPath);
    }
    record(QStringLiteral("drill"), outcome.message,
           {{QStringLiteral("dry_run"), true}, {QStringLiteral("passed"), m_drill.passed()}, {QStringLiteral("report"), outcome.reportPath}});
    finish(outcome);
}
