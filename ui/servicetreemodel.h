#pragma once

#include <QAbstractItemModel>
#include <QStringList>

class Watcher;

// Services as top-level rows, their checks as children, live from the watcher's signals: state,
// latency, time of the last check and why it is not ok (the failed condition with its value).
class ServiceTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceTreeModel)

public:
    enum Column { NameColumn, StateColumn, LatencyColumn, LastCheckColumn, ReasonColumn, ColumnCount };
    enum Role { HealthRole = Qt::UserRole + 1, ServiceRole, CheckRole };

    explicit ServiceTreeModel(Watcher *watcher, QObject *parent = nullptr);

    // Rebuilds the rows from the watcher's current config.
    void reload();

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Service
    {
        QString name;
        QString group;
        QStringList checks;
    };
    void checkUpdated(const QString &service, const QString &check);
    void serviceUpdated(const QString &service);
    QVariant serviceData(const Service &s, int column, int role) const;
    QVariant checkData(const Service &s, const QString &check, int column, int role) const;

    Watcher *m_watcher;
    QList<Service> m_services;
};
