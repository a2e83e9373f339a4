#pragma once

#include <QAbstractTableModel>
#include <QStringList>

class Watcher;

// The checks of one service as rows, live from the watcher's signals: state (icon and word),
// latency, time of the last result and why it is not ok — the failed condition with the value it got.
class CheckTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CheckTableModel)

public:
    enum Column { NameColumn, StateColumn, LatencyColumn, LastCheckColumn, ReasonColumn, ColumnCount };
    enum Role { HealthRole = Qt::UserRole + 1, CheckRole };

    explicit CheckTableModel(Watcher *watcher, QObject *parent = nullptr);

    // Shows the checks of `service` (as the watcher's config has them); empty: none.
    void setService(const QString &service);
    QString service() const { return m_service; }
    // Rereads the check list, e.g. after a config reload.
    void reload();
    QString checkAt(int row) const { return m_checks.value(row); }
    int rowOf(const QString &check) const { return int(m_checks.indexOf(check)); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void checkUpdated(const QString &service, const QString &check);

    Watcher *m_watcher;
    QString m_service;
    QStringList m_checks;
};
