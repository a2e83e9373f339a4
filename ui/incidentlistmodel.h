#pragma once

#include "incident.h"
#include "incidentmanager.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>

class Clock;
class IncidentStore;

// The incidents of the store, newest first, one row each, kept current from the incident
// manager's signals (which also carry changes made by other programs on the same store). Each
// open incident carries its response targets from core, so an overdue one can be shown as such.
class IncidentListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IncidentListModel)

public:
    enum Column { IdColumn, SeverityColumn, ServiceColumn, TitleColumn, StateColumn, AgeColumn, TargetsColumn, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 1,
        ServiceRole,
        SeverityRole,
        StateRole,     // int(IncidentState)
        OverdueRole,   // bool: a response target has passed unmet
        SearchTextRole // what the text filter looks in
    };

    IncidentListModel(IncidentManager *manager, IncidentStore *store, const Clock *clock, QObject *parent = nullptr);

    // Reads every incident again (after the store was reopened, or on demand).
    void reload();
    int rowOf(qint64 id) const;
    const Incident *incident(int row) const;
    QList<IncidentManager::ResponseTarget> overdueTargets(int row) const;
    qint64 nowMs() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString stateLabel(IncidentState state);

private:
    struct Row
    {
        Incident incident; // without its timeline (kept small)
        QList<IncidentManager::ResponseTarget> targets;
    };
    Row rowFor(const Incident &withTimeline) const;
    void upsert(const Incident &incident);
    QString targetsText(const Row &row, bool withDetail = false) const; // detail: each overdue target's time

    IncidentManager *m_manager;
    IncidentStore *m_store;
    const Clock *m_clock;
    QList<Row> m_rows;
    QTimer m_tick; // ages and due times move on by themselves
};
