#pragma once

#include "checkresult.h"
#include "config.h"
#include "statetransition.h"

#include <QHash>
#include <QObject>
#include <QTimer>
#include <deque>

class Clock;

// What OpsDeck currently believes about one check.
struct CheckStatus
{
    QString service;
    QString check;
    Health health = Health::Unknown; // debounced; what the operator sees
    QString reason;                  // why it is not ok
    qint64 sinceMs = 0;              // when `health` last changed
    bool hasResult = false;
    CheckResult last;                // the latest raw result
    int consecutiveBad = 0;
    int consecutiveGood = 0;
    bool flapping = false;
    qint64 intervalMs = 60'000;
    int failureThreshold = 2;
    int successThreshold = 1;
    std::deque<bool> recent; // good/bad of the latest results, for flap detection

    // What the operator reads beside the state: why it is not ok, or, when it is ok after all, the
    // error the latest result still reported (a warning-level problem); empty when all is well.
    QString explanation() const
    {
        if (health != Health::Ok)
            return reason;
        return hasResult ? last.error : QString();
    }
};

// Debounces raw results into states and announces every change. A check goes down (or degraded)
// after `failure_threshold` consecutive failures and back up after `success_threshold` successes;
// an unknown result (OpsDeck could not look) is shown at once, never as down. A check with no result
// for two intervals turns `stale`. A service is the worst of its checks. Flapping is detected from
// how often the last results changed between good and bad. Nothing polls: staleness runs off one
// timer aimed at the next deadline.
class StateTracker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StateTracker)

public:
    explicit StateTracker(const Clock *clock, QObject *parent = nullptr);

    // Adopts the checks of a (new) config; statuses of checks that remain are kept.
    void setChecks(const Config &config);
    void ingest(const CheckResult &result);
    // While blind, every check is unknown: OpsDeck cannot tell up from down.
    void setBlind(bool blind, const QString &reason);
    // Marks checks without a recent result as stale; runs by itself off a timer, callable by tests
    // after advancing a fake clock.
    void checkStaleness();

    const CheckStatus *status(const QString &service, const QString &check) const;
    QList<const CheckStatus *> statuses(const QString &service) const;
    Health serviceHealth(const QString &service) const;
    QStringList services() const { return m_serviceOrder; }

    static constexpr int kFlapWindow = 20;
    static constexpr qint64 kStaleGranularityMs = 250;

signals:
    void checkChanged(const StateTransition &transition);
    void serviceChanged(const StateTransition &transition);
    void flappingChanged(const QString &service, const QString &check, bool flapping);
    // Every result, changed or not: for live views (latency, time of the last check).
    void statusUpdated(const QString &service, const QString &check);

private:
    void change(CheckStatus &s, Health to, const QString &reason);
    void updateService(const QString &service);
    void updateFlapping(CheckStatus &s, bool good);
    void armStaleTimer();

    const Clock *m_clock;
    QHash<QString, CheckStatus> m_checks; // key: service/check
    QHash<QString, QStringList> m_checkOrder; // service → check keys in config order
    QHash<QString, Health> m_serviceHealth;
    QStringList m_serviceOrder;
    QTimer m_staleTimer;
    bool m_blind = false;
};
