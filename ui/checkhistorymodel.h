#pragma once

#include "checkresult.h"

#include <QAbstractTableModel>
#include <QList>

class HistoryStore;
class Watcher;

// The latest raw results of one check, newest first: read from the history store when the check
// is chosen, then kept current from the watcher's results as they arrive (the store commits in
// batches, so rereading it right after a result could miss that result).
class CheckHistoryModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CheckHistoryModel)

public:
    enum Column { TimeColumn, StateColumn, LatencyColumn, StatusColumn, ReasonColumn, ColumnCount };
    enum Role { HealthRole = Qt::UserRole + 1 };
    static constexpr int kRows = 100;

    // `history` may be null (no store): only results from now on are shown.
    CheckHistoryModel(Watcher *watcher, const HistoryStore *history, QObject *parent = nullptr);

    void setCheck(const QString &service, const QString &check);
    QString service() const { return m_service; }
    QString check() const { return m_check; }
    const CheckResult &resultAt(int row) const { return m_results.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void add(const CheckResult &result);

    const HistoryStore *m_history;
    QString m_service;
    QString m_check;
    QList<CheckResult> m_results;
};
