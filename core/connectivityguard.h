#pragma once

#include "checkresult.h"

#include <QHash>
#include <QObject>

class Clock;

// Decides whether OpsDeck can see the world, so that a dead uplink shows as "unknown" instead of a
// fleet of false "down"s and a storm of alerts. Two sources: the operator's connectivity probe (if
// configured: its failure means blind), and the fleet itself — when every recently probed network
// target failed with a network error (refused, timeout, DNS, reset) and there are at least
// `minimumTargets` of them, the fault is far more likely on OpsDeck's side than everywhere at once.
class ConnectivityGuard final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectivityGuard)

public:
    explicit ConnectivityGuard(const Clock *clock, QObject *parent = nullptr);

    void setMinimumTargets(int n) { m_minimumTargets = n; }
    // Results older than this do not count as "recent".
    void setHorizonMs(qint64 ms) { m_horizonMs = ms; }

    void ingestProbe(const CheckResult &result);
    // `target` is the host the check talks to; only network checks (http, tcp, remote sql) count.
    void ingest(const QString &target, const CheckResult &result);
    void reset();

    bool isBlind() const { return m_blind; }
    QString reason() const { return m_reason; }

signals:
    void blindChanged(bool blind, const QString &reason);

private:
    struct Seen
    {
        qint64 atMs = 0;
        bool networkError = false;
        QString error;
    };
    void reassess();

    const Clock *m_clock;
    QHash<QString, Seen> m_targets;
    bool m_probeFailing = false;
    QString m_probeError;
    bool m_blind = false;
    QString m_reason;
    int m_minimumTargets = 2;
    qint64 m_horizonMs = 120'000;
};
