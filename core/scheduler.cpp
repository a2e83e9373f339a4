#include "scheduler.h"

#include "clock.h"
#include "logging.h"
#include "probe.h"
#include "probefactory.h"
#include "resultevaluator.h"
#include "secretresolver.h"

#include <QPointer>
#include <algorithm>

Scheduler::Scheduler(ProbeFactory *factory, SecretResolver *secrets, const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_factory(factory)
    , m_secrets(secrets)
    , m_clock(clock)
    , m_random(QRandomGenerator::securelySeeded())
{
    m_mono.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &Scheduler::onTick);
}

Scheduler::~Scheduler() = default;

void Scheduler::setChecks(const Config &config)
{
    ++m_generation;
    m_entries.clear(); // deleting running probes cancels them
    m_targets.clear();
    m_targetIds.clear();
    m_readyTargets.clear();
    m_due = {};
    m_inFlight = 0;
    m_pendingPass = 0;
    m_settings = config.scheduler;
    if (config.connectivity)
        addEntry(QString(), *config.connectivity);
    for (const ServiceConfig &service : config.services) {
        for (const CheckConfig &check : service.checks)
            addEntry(service.name, check);
    }
    if (m_running)
        start();
}

void Scheduler::addEntry(const QString &service, const CheckConfig &check)
{
    auto e = std::make_unique<Entry>();
    e->service = service;
    e->check = check;
    const QString host = check.target();
    auto it = m_targetIds.constFind(host);
    if (it == m_targetIds.constEnd()) {
        it = m_targetIds.insert(host, int(m_targets.size()));
        m_targets.emplace_back();
    }
    e->target = *it;
    for (const QString &text : check.secretCarriers())
        e->hasSecrets = e->hasSecrets || SecretResolver::hasReferences(text);
    m_entries.push_back(std::move(e));
}

qint64 Scheduler::jitterMs(const Entry &e)
{
    const qint64 span = qint64(double(e.check.intervalMs) * m_settings.jitter);
    return span > 0 ? qint64(m_random.bounded(quint64(span) + 1)) : 0;
}

void Scheduler::start()
{
    m_running = true;
    m_due = {};
    const qint64 now = monoNow();
    for (int i = 0; i < int(m_entries.size()); ++i) {
        Entry &e = *m_entries[i];
        // Spread the first runs over a short window: results come quickly after start, without
        // every check firing in the same millisecond.
        const qint64 spread = qMin<qint64>(e.check.intervalMs, 2000);
        e.baseDueMs = now;
        e.dueMs = now + (spread > 0 ? qint64(m_random.bounded(quint64(spread))) : 0);
        schedule(i);
    }
    armTimer();
}

void Scheduler::stop()
{
    m_running = false;
    m_timer.stop();
}

void Scheduler::runOnce()
{
    m_pendingPass = int(m_entries.size());
    if (m_pendingPass == 0) {
        QMetaObject::invokeMethod(this, &Scheduler::passFinished, Qt::QueuedConnection);
        return;
    }
    for (int i = 0; i < int(m_entries.size()); ++i)
        enqueue(i);
    dispatch();
}

void Scheduler::schedule(int index)
{
    m_due.emplace(m_entries[index]->dueMs, index);
}

void Scheduler::armTimer()
{
    if (!m_running)
        return;
    while (!m_due.empty() && m_entries[m_due.top().second]->dueMs != m_due.top().first)
        m_due.pop(); // stale: the entry was moved
    if (m_due.empty())
        return;
    m_timer.start(int(qBound(qint64(0), m_due.top().first - monoNow(), qint64(24 * 3600 * 1000))));
}

void Scheduler::onTick()
{
    const qint64 now = monoNow();
    while (!m_due.empty() && m_due.top().first <= now) {
        const auto [due, index] = m_due.top();
        m_due.pop();
        Entry &e = *m_entries[index];
        if (e.dueMs != due)
            continue; // stale
        // Next run on the cadence; if we fell far behind (a suspended laptop), restart from now.
        e.baseDueMs += e.check.intervalMs;
        if (e.baseDueMs < now - e.check.intervalMs)
            e.baseDueMs = now;
        e.dueMs = e.baseDueMs + jitterMs(e);
        if (now < e.notBeforeMs) {
            e.dueMs = qMax(e.dueMs, e.notBeforeMs);
            schedule(index);
            continue;
        }
        schedule(index);
        if (e.running || e.queued) {
            ++m_skipped;
            qCDebug(lcScheduler) << "skipping a run of" << e.service << e.check.name << "- the previous one is still going";
            continue;
        }
        enqueue(index);
    }
    dispatch();
    armTimer();
}

void Scheduler::enqueue(int index)
{
    Entry &e = *m_entries[index];
    if (e.queued || e.running)
        return;
    e.queued = true;
    m_targets[std::size_t(e.target)].queue.push_back(index);
    listTarget(e.target);
}

void Scheduler::listTarget(int target)
{
    Target &t = m_targets[std::size_t(target)];
    if (!t.listed && !t.queue.empty() && t.load < m_settings.perHost) {
        t.listed = true;
        m_readyTargets.push_back(target);
    }
}

void Scheduler::dispatch()
{
    while (!m_readyTargets.empty() && m_inFlight < m_settings.maxConcurrent) {
        const int target = m_readyTargets.front();
        m_readyTargets.pop_front();
        Target &t = m_targets[std::size_t(target)];
        t.listed = false;
        if (t.queue.empty() || t.load >= m_settings.perHost)
            continue; // this host is busy (perhaps hanging); it is listed again when a slot frees
        const int index = t.queue.front();
        t.queue.pop_front();
        Entry &e = *m_entries[index];
        e.queued = false;
        e.running = true;
        ++t.load;
        ++m_inFlight;
        listTarget(target); // round-robin: back of the line if it has more waiting
        launch(index);
    }
}

void Scheduler::launch(int index)
{
    Entry &e = *m_entries[index];
    e.startedAtMs = m_clock->nowMs();
    if (!e.hasSecrets) {
        startProbe(index, e.check);
        return;
    }
    const quint64 generation = m_generation;
    m_secrets->resolve(e.check.secretCarriers(), this, [this, index, generation](const SecretResolver::Resolution &r) {
        if (generation != m_generation)
            return;
        Entry &entry = *m_entries[index];
        if (!r.ok()) {
            CheckResult result;
            result.service = entry.service;
            result.check = entry.check.name;
            result.atMs = entry.startedAtMs;
            result.outcome = Health::Unknown;
            result.error = r.errorString();
            complete(index, result, -1);
            return;
        }
        entry.resolved = entry.check.withCarriers(r.texts);
        entry.redact = [r](const QString &text) { return r.redact(text); };
        startProbe(index, entry.resolved);
    });
}

void Scheduler::startProbe(int index, const CheckConfig &check)
{
    Entry &e = *m_entries[index];
    e.probe = m_factory->create(check.kind);
    const quint64 generation = m_generation;
    connect(e.probe.get(), &Probe::finished, this, [this, index, generation](const ProbeReading &reading) {
        if (generation != m_generation)
            return;
        Entry &entry = *m_entries[index];
        const CheckConfig &used = entry.hasSecrets ? entry.resolved : entry.check;
        CheckResult result = ResultEvaluator::evaluate(entry.service, used, reading, entry.startedAtMs, m_clock->nowMs());
        if (entry.redact) {
            // Nothing a run reports may carry a secret into history, logs or the screen.
            result.error = entry.redact(result.error);
            result.actualValue = entry.redact(result.actualValue);
        }
        complete(index, result, reading.retryAfterMs);
    });
    e.probe->start(check);
}

void Scheduler::complete(int index, const CheckResult &result, qint64 retryAfterMs)
{
    Entry &e = *m_entries[index];
    e.running = false;
    if (e.probe)
        e.probe.release()->deleteLater(); // we are inside its signal
    if (e.hasSecrets) {
        // Do not keep expanded secrets around longer than a run.
        e.resolved = CheckConfig();
        e.redact = nullptr;
    }
    --m_targets[std::size_t(e.target)].load;
    --m_inFlight;
    listTarget(e.target);
    ++m_completed;
    if (retryAfterMs > 0) {
        // Honour the server's request, within reason: never sooner than the interval, never later
        // than ten minutes.
        const qint64 wait = qBound(e.check.intervalMs, retryAfterMs, qint64(600'000));
        e.notBeforeMs = monoNow() + wait;
        if (e.notBeforeMs > e.dueMs) {
            e.dueMs = e.notBeforeMs;
            schedule(index);
            armTimer();
        }
    }
    const QPointer<Scheduler> self(this);
    emit resultReady(result);
    if (!self)
        return;
    if (m_pendingPass > 0 && --m_pendingPass == 0)
        emit passFinished();
    dispatch();
}
