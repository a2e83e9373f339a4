#pragma once

#include "health.h"
#include "sloreport.h"

#include <QAbstractListModel>
#include <QBitArray>
#include <QHash>
#include <QList>
#include <QMetaObject>
#include <QTimer>

class CoreSession;
class FailoverController;
struct CheckResult;
struct FailoverState;

// One row per service of the session's config, for the dashboard's tiles: debounced state and why,
// the latest latencies, error budget, time of the last check, maintenance and failover. Fed by the
// core's signals (watcher, SLO monitor, failover controllers); maintenance and the "12 s ago" text
// follow a one-second tick. Changes are coalesced: a burst of results for many services becomes a
// few dataChanged() per update interval instead of one per result (see bench/gui-bench.sh).
class ServiceTileModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceTileModel)

public:
    enum Role {
        ServiceRole = Qt::UserRole + 1, // QString: the service's name
        GroupRole,            // QString: its group as shown (a heading for ungrouped services too)
        DescriptionRole,      // QString
        HealthRole,           // int(Health): the service's debounced state
        GroupHealthRole,      // int(Health): the worst state in its group
        ReasonRole,           // QString: "check: why it is not ok", empty when ok
        LatencySamplesRole,   // QList<double>: the latest latencies in ms, oldest first (at most kLatencySamples)
        LatencyRole,          // double: the latest latency in ms; invalid when none was measured
        HasSloRole,           // bool: the service has an SLO
        BudgetRemainingRole,  // double: fraction of the error budget left (below 0 when overspent); invalid before a report
        BudgetStateRole,      // int(BudgetState)
        LastCheckRole,        // qint64: ms since epoch of the latest result, 0 when never checked
        LastCheckTextRole,    // QString: "12 s ago"
        MaintenanceRole,      // bool: a maintenance window covers the service now
        MaintenanceTextRole,  // QString: the window's reason and end, empty when none
        FailoverRole,         // int(FailoverBadge)
        FailoverTextRole,     // QString: the failover badge's word, empty when none
        SortKeyRole,          // QString: (group's worst state, group, state, name) — worst first
        FilterTextRole,       // QString: name and group, for the filter box
    };
    Q_ENUM(Role)

    enum class FailoverBadge { None, Active, FailingOver, FailingBack, Waiting, FailoverFailed, FailbackFailed };
    Q_ENUM(FailoverBadge)

    static constexpr int kLatencySamples = 30;

    explicit ServiceTileModel(CoreSession *session, QObject *parent = nullptr);

    // Rebuilds the rows from the session's config (done by itself on every config load).
    void reload();

    // How long changes are collected before they are announced; 0 announces each at once.
    void setUpdateInterval(int ms);
    int updateInterval() const { return m_flush.interval(); }
    // Announces collected changes now (tests and the benchmark).
    void flush();
    // Takes one result as the watcher's resultRecorded() delivers it.
    void addResult(const CheckResult &result);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int rowOf(const QString &service) const { return m_rows.value(service, -1); }
    // "just now", "12 s ago", "5 min ago", "3 h ago", "never checked".
    static QString agoText(qint64 lastMs, qint64 nowMs);

private:
    struct Tile
    {
        QString name;
        QString group;      // as configured, may be empty
        QString groupShown; // the heading
        QString description;
        Health health = Health::Unknown;
        Health groupHealth = Health::Unknown;
        QString reason;
        QList<double> latencies;
        qint64 lastMs = 0;
        bool hasSlo = false;
        bool hasReport = false;
        double budget = 1;
        BudgetState budgetState = BudgetState::Ok;
        bool maintenance = false;
        QString maintenanceText;
        FailoverBadge failover = FailoverBadge::None;
        QString sortKey;
    };

    void serviceChanged(const QString &service);
    void updateHealth(int row);
    void updateGroupHealth(const QString &group);
    void updateReports();
    void updateMaintenance();
    void updateFailover(const QString &service, const FailoverState &state);
    void connectFailover();
    void tick();
    void seedLatencies();
    void markDirty(int row, bool sortChanged);
    static QString sortKey(const Tile &t);
    static QString failoverText(FailoverBadge badge);
    QString toolTip(const Tile &t) const;
    QString accessibleText(const Tile &t) const;

    CoreSession *m_session;
    QList<Tile> m_tiles;
    QHash<QString, int> m_rows;
    QHash<QString, QList<int>> m_groups; // configured group → rows
    QBitArray m_dirty;
    QBitArray m_sortDirty;
    bool m_anyDirty = false;
    bool m_resetting = false;
    QTimer m_flush;
    QTimer m_tick;
    QList<QMetaObject::Connection> m_failoverConnections;
};
