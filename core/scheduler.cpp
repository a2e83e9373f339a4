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
    m_ready.clear();
    m_perTarget.clear();
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
    e->target = check.target();
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
    const qint64 now = monoNow();
    for (auto &e : m_entries) {
        // Spread the first runs over a short window: results come quickly after start, without
        // every check firing in the same millisecond.
        const qint64 spread = qMin<qint64>(e->check.intervalMs, 2000);
        e->baseDueMs = now;
        e->dueMs = now + (spread > 0 ? qint64(m_random.bounded(quint64(spread))) : 0);
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

void Scheduler::armTimer()
{
    if (!m_running || m_entries.empty())
        return;
    qint64 earliest = std::numeric_limits<qint64>::max();
    for (const auto &e : m_entries)
        earliest = qMin(earliest, e->dueMs);
    m_timer.start(int(qBound(qint64(0), earliest - monoNow(), qint64(24 * 3600 * 1000))));
}

void Scheduler::onTick()
{
    const qint64 now = monoNow();
    for (int i = 0; i < int(m_entries.size()); ++i) {
        Entry &e = *m_entries[i];
        if (e.dueMs > now)
            continue;
        // Next run on the cadence; if we fell far behind (a suspended laptop), restart from now.
        e.baseDueMs += e.check.intervalMs;
        if (e.baseDueMs < now - e.check.intervalMs)
            e.baseDueMs = now;
        e.dueMs = e.baseDueMs + jitterMs(e);
        if (now < e.notBeforeMs) {
            e.dueMs = qMax(e.dueMs, e.notBeforeMs);
            continue;
        }
        if (e.running || e.queued) {
            ++m_skipped;
            qCDebug(lcScheduler) << "skipping a run of" << e.service << e.check.name << "- the previous one is still going";
            continue;
        }
        enqueue(i);
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
    m_ready.push_back(index);
}

void Scheduler::dispatch()
{
    for (auto it = m_ready.begin(); it != m_ready.end() && m_inFlight < m_settings.maxConcurrent;) {
        Entry &e = *m_entries[*it];
        int &hostLoad = m_perTarget[e.target];
        if (hostLoad >= m_settings.perHost) {
            ++it; // this host is busy (perhaps hanging); others go ahead
            continue;
        }
        const int index = *it;
        it = m_ready.erase(it);
        e.queued = false;
        e.running = true;
        ++hostLoad;
        ++m_inFlight;
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
    --m_perTarget[e.target];
    --m_inFlight;
    ++m_completed;
    if (retryAfterMs > 0) {
        // Honour the server's request, within reason: never sooner than the interval, never later
        // than ten minutes.
        const qint64 wait = qBound(e.check.intervalMs, retryAfterMs, qint64(600'000));
        e.notBeforeMs = monoNow() + wait;
        e.dueMs = qMax(e.dueMs, e.notBeforeMs);
        armTimer();
    }
    const QPointer<Scheduler> self(this);
    emit resultReady(result);
    if (!self)
        return;
    if (m_pendingPass > 0 && --m_pendingPass == 0)
        emit passFinished();
    dispatch();
}
