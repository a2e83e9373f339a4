#pragma once

#include "checkresult.h"
#include "config.h"
#include "connectivityguard.h"
#include "scheduler.h"
#include "statetracker.h"

#include <QObject>
#include <functional>
#include <QSet>

class Clock;
class HistoryStore;
class ProbeFactory;
class SecretResolver;

// The core watcher: schedules the checks of a config, judges and debounces their results, knows
// when it is blind, keeps history, and announces every change. Views and the CLI listen to its
// signals; nothing polls it.
class Watcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Watcher)

public:
    // `history` may be null (no history kept). None are owned.
    Watcher(ProbeFactory *factory, SecretResolver *secrets, HistoryStore *history, const Clock *clock,
            QObject *parent = nullptr);

    // Adopts a config; the state of checks that remain is kept across a reload.
    void setConfig(const Config &config);
    const Config &config() const { return m_config; }
    void start();
    void stop();
    bool isRunning() const { return m_running; }
    // One pass over every check, then passFinished(); results are not debounced.
    void runOnce();
    // Takes a result as if a probe had produced it (the path every probe result takes): judged for
    // blindness, recorded, debounced. For results from elsewhere and for tests.
    void ingest(CheckResult result);
    // Decides, per result, whether it is left out of the SLO (maintenance with count_in_slo off).
    using SloExclusion = std::function<bool(const QString &service, qint64 atMs)>;
    void setSloExclusion(SloExclusion exclusion) { m_sloExclusion = std::move(exclusion); }

    const StateTracker &state() const { return m_state; }
    bool isBlind() const { return m_guard.isBlind(); }
    QString blindReason() const { return m_guard.reason(); }
    const Scheduler &scheduler() const { return m_scheduler; }
    qint64 lastResultMs() const { return m_lastResultMs; }

signals:
    void resultRecorded(const CheckResult &result);
    void checkStateChanged(const StateTransition &transition);
    void serviceStateChanged(const StateTransition &transition);
    void flappingChanged(const QString &service, const QString &check, bool flapping);
    void statusUpdated(const QString &service, const QString &check);
    void blindChanged(bool blind, const QString &reason);
    void passFinished();

private:

    const Clock *m_clock;
    HistoryStore *m_history;
    Config m_config;
    Scheduler m_scheduler;
    StateTracker m_state;
    ConnectivityGuard m_guard;
    SloExclusion m_sloExclusion;
    QHash<QString, QString> m_targets; // service/check → host, for the guard
    QSet<QString> m_networkChecks;
    qint64 m_lastResultMs = 0;
    bool m_running = false;
};
