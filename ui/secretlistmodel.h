#pragma once

#include <QAbstractTableModel>
#include <QStringList>

class SecretStore;

// The secrets an operator deals with: every name the config references as ${secret:NAME} and every
// name set through OpsDeck, with whether it is set. Values are never read: "set" comes from the
// store's index of names, so showing this costs no keychain call.
class SecretListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretListModel)

public:
    enum Column { NameColumn, StateColumn, UsedColumn, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1, IsSetRole, IsReferencedRole };

    SecretListModel(SecretStore *store, QObject *parent = nullptr);

    // The names the config file references; read from its text, so that every field is covered.
    void setConfigFile(const QString &path);
    void refresh();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QStringList referencesInFile(const QString &path);

private:
    struct Row
    {
        QString name;
        bool set = false;
        bool referenced = false;
    };
    SecretStore *m_store;
    QStringList m_referenced;
    QList<Row> m_rows;
};
