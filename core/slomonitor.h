#pragma once

#include "config.h"
#include "sloreport.h"

#include <QHash>
#include <QObject>
#include <QTimer>

class Clock;
class HistoryStore;

// Keeps every service's SLO report current and announces what the incident rules act on: a
// budget crossing its warning or critical threshold, a burn-rate alert starting or stopping.
// Reports come from the store's rollups in one pass for all services and windows at once
// (HistoryStore::countsByServiceMulti()), every minute and shortly after any service changes state.
class SloMonitor final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SloMonitor)

public:
    SloMonitor(HistoryStore *store, const Clock *clock, QObject *parent = nullptr);

    void setConfig(const Config &config);
    void start();
    void stop();
    // Recomputes every report now.
    void evaluate();
    // Asks for an evaluation soon (coalescing bursts of requests), e.g. after a state change.
    void evaluateSoon();

    const SloReport *report(const QString &service) const;
    QList<SloReport> reports() const; // in config order

    // One service's report at nowMs with the given settings (the CLI's --window uses this).
    static SloReport compute(const HistoryStore &store, const QString &service, const SloSettings &slo, qint64 nowMs);
    // Every SLO of a config at nowMs, in one pass over the store's rollups.
    static QList<SloReport> computeAll(const HistoryStore &store, const Config &config, qint64 nowMs);

signals:
    void reportsUpdated();
    void budgetStateChanged(const QString &service, BudgetState from, BudgetState to, const SloReport &report);
    void alertChanged(const QString &service, BurnAlert from, BurnAlert to, const SloReport &report);

private:
    HistoryStore *m_store;
    const Clock *m_clock;
    Config m_config;
    QHash<QString, SloReport> m_reports;
    QTimer m_period;
    QTimer m_soon;
};
