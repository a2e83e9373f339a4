#pragma once

#include "config.h"
#include "cronexpression.h"

#include <QList>
#include <QString>
#include <optional>

class OpsDatabase;

// Which services are in maintenance now: planned windows from the config (once, or recurring on a
// cron expression) and ad hoc ones started from the CLI or GUI (kept in the store, so every
// OpsDeck sharing it agrees). Failures inside a window are recorded but open no incidents and send
// no notifications; whether they count against the SLO is the window's choice.
class MaintenanceSchedule
{
public:
    struct Window
    {
        qint64 id = 0;          // ad hoc windows: the store's id; planned ones: 0
        QStringList services;   // empty: every service
        qint64 startMs = 0;
        qint64 endMs = 0;
        QString reason;
        QString actor;          // who started an ad hoc window
        bool countInSlo = false;
        bool planned = false;
        QString cron;           // recurring planned windows
    };

    explicit MaintenanceSchedule(const OpsDatabase *db = nullptr);

    void setPlanned(const QList<MaintenanceWindow> &windows);
    // The window covering `service` at nowMs, if any (an ad hoc one first).
    std::optional<Window> activeFor(const QString &service, qint64 nowMs) const;
    // Active windows at nowMs and, for planned ones, the next occurrences within `aheadMs`.
    QList<Window> windows(qint64 nowMs, qint64 aheadMs = 7LL * 86'400'000) const;

    // Ad hoc windows (need the store).
    std::optional<qint64> start(const QString &service, qint64 nowMs, qint64 durationMs, const QString &reason,
                                const QString &actor, bool countInSlo, QString *error);
    // Ends the ad hoc windows of `service` that are running now; false when there is none.
    bool stop(const QString &service, qint64 nowMs, QString *error);

private:
    void reload(qint64 nowMs) const;

    const OpsDatabase *m_db;
    QList<MaintenanceWindow> m_planned;
    QList<std::optional<CronExpression>> m_crons;
    // Ad hoc windows read from the store, refreshed at most every few seconds: activeFor() runs for
    // every result.
    mutable QList<Window> m_adHoc;
    mutable qint64 m_loadedAtMs = -1;
};
