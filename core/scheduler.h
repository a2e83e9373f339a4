#pragma once

#include "checkresult.h"
#include "config.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QRandomGenerator>
#include <QTimer>
#include <deque>
#include <queue>
#include <functional>
#include <memory>
#include <vector>

class Clock;
class Probe;
class ProbeFactory;
class SecretResolver;

// Runs every check on its interval, with jitter so a fleet of checks does not fire in lock step.
// Two limits keep OpsDeck polite and responsive: a global cap on probes in flight and a per-host
// cap, so a hanging host can hold at most its own few slots while every other check keeps its
// schedule. A check still running (or waiting for a slot) when it is due again skips that run
// rather than piling up. A 429/503 with Retry-After pushes that check's next run back.
class Scheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Scheduler)

public:
    Scheduler(ProbeFactory *factory, SecretResolver *secrets, const Clock *clock, QObject *parent = nullptr);
    ~Scheduler() override;

    // Replaces the schedule. `service` empty marks an internal check such as the connectivity probe.
    void setChecks(const Config &config);
    void start();
    void stop();
    // One run of every check as soon as limits allow, then passFinished(); for `opsdeckctl check`.
    void runOnce();

    int inFlight() const { return m_inFlight; }
    quint64 completed() const { return m_completed; }
    quint64 skipped() const { return m_skipped; }

signals:
    void resultReady(const CheckResult &result);
    void passFinished();

private:
    struct Entry
    {
        QString service;
        CheckConfig check;
        int target = 0; // index into m_targets
        bool hasSecrets = false;
        qint64 baseDueMs = 0; // monotonic; the unjittered cadence
        qint64 dueMs = 0;
        qint64 notBeforeMs = 0; // Retry-After
        bool running = false;
        bool queued = false;
        qint64 startedAtMs = 0; // wall clock, for the result
        CheckConfig resolved;   // with secrets expanded, kept alive for the probe's run
        std::function<QString(const QString &)> redact; // hides this run's secret values in what it reports
        std::unique_ptr<Probe> probe;
    };

    // Per host: probes in flight and the checks waiting for a slot there.
    struct Target
    {
        int load = 0;
        std::deque<int> queue;
        bool listed = false; // in m_readyTargets
    };

    void addEntry(const QString &service, const CheckConfig &check);
    void onTick();
    void armTimer();
    void schedule(int index); // (re)files an entry's dueMs in the heap
    void listTarget(int target);
    void enqueue(int index);
    void dispatch();
    void launch(int index);
    void startProbe(int index, const CheckConfig &check);
    void complete(int index, const CheckResult &result, qint64 retryAfterMs);
    qint64 jitterMs(const Entry &e);
    qint64 monoNow() const { return m_mono.elapsed(); }

    ProbeFactory *m_factory;
    SecretResolver *m_secrets;
    const Clock *m_clock;
    SchedulerSettings m_settings;
    std::vector<std::unique_ptr<Entry>> m_entries;
    std::vector<Target> m_targets;
    QHash<QString, int> m_targetIds;
    // Hosts with checks waiting and a free slot, served round-robin so one busy host cannot keep
    // the others waiting behind it.
    std::deque<int> m_readyTargets;
    // Due times as a min-heap of (dueMs, entry); an entry moved later leaves a stale item behind,
    // recognised because its time no longer matches the entry's.
    std::priority_queue<std::pair<qint64, int>, std::vector<std::pair<qint64, int>>, std::greater<>> m_due;
    QElapsedTimer m_mono;
    QTimer m_timer;
    QRandomGenerator m_random;
    int m_inFlight = 0;
    int m_pendingPass = 0; // runOnce(): runs still to finish
    bool m_running = false;
    quint64 m_generation = 0; // bumps on setChecks so late answers from old entries are ignored
    quint64 m_completed = 0;
    quint64 m_skipped = 0;
};
