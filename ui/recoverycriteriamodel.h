#pragma once

#include "recoverycriteria.h"

#include <QAbstractTableModel>

// The disaster-recovery runbook's "Service Restored" criteria for one service, as
// RecoveryCriteria::evaluate measures them (what `opsdeckctl recovery SERVICE` prints): one row per
// criterion, passed or not, with the measured value.
class RecoveryCriteriaModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RecoveryCriteriaModel)

public:
    enum Column { ResultColumn, CriterionColumn, MeasuredColumn, ColumnCount };
    enum Role { PassedRole = Qt::UserRole + 1 };

    explicit RecoveryCriteriaModel(QObject *parent = nullptr);

    // Measures again; `store` null or closed: no rows.
    void refresh(const HistoryStore *store, const ServiceConfig &service, qint64 nowMs);
    const QList<RecoveryCriteria::Line> &lines() const { return m_lines; }
    bool allPassed() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<RecoveryCriteria::Line> m_lines;
};
