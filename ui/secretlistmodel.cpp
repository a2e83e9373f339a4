#include "secretlistmodel.h"

#include "secretresolver.h"
#include "secretstore.h"

#include <QColor>
#include <QFile>
#include <QMap>

SecretListModel::SecretListModel(SecretStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    connect(store, &SecretStore::namesChanged, this, &SecretListModel::refresh);
    connect(store, &SecretStore::secretChanged, this, &SecretListModel::refresh);
}

QStringList SecretListModel::referencesInFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList names;
    // A commented-out reference is not one the config uses.
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        const QString text = QString::fromUtf8(line);
        if (text.trimmed().startsWith(u'#'))
            continue;
        for (const QString &name : SecretResolver::references(text))
            if (!names.contains(name))
                names << name;
    }
    return names;
}

void SecretListModel::setConfigFile(const QString &path)
{
    m_referenced = referencesInFile(path);
    refresh();
}

void SecretListModel::refresh()
{
    QMap<QString, Row> rows;
    for (const QString &name : m_store->names())
        rows[name] = Row{name, true, false};
    for (const QString &name : std::as_const(m_referenced)) {
        Row &row = rows[name];
        row.name = name;
        row.referenced = true;
    }
    beginResetModel();
    m_rows = rows.values();
    endResetModel();
}

int SecretListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SecretListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SecretListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case NameRole: return row.name;
    case IsSetRole: return row.set;
    case IsReferencedRole: return row.referenced;
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return row.name;
        case StateColumn: return row.set ? tr("Set") : tr("Not set");
        case UsedColumn: return row.referenced ? tr("Used by the configuration") : tr("Not referenced");
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == StateColumn && !row.set && row.referenced)
            return tr("Checks and actions that use this secret show as unknown until it is set.");
        break;
    case Qt::ForegroundRole:
        if (index.column() == StateColumn && !row.set && row.referenced)
            return QColor(0xd0, 0x31, 0x2d);
        break;
    }
    return {};
}

QVariant SecretListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Secret");
    case StateColumn: return tr("State");
    case UsedColumn: return tr("Use");
    }
    return {};
}
