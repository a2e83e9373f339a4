#include "servicetreemodel.h"

#include "duration.h"
#include "healthstyle.h"
#include "watcher.h"

#include <QDateTime>
#include <QLocale>

ServiceTreeModel::ServiceTreeModel(Watcher *watcher, QObject *parent)
    : QAbstractItemModel(parent)
    , m_watcher(watcher)
{
    connect(watcher, &Watcher::statusUpdated, this, &ServiceTreeModel::checkUpdated);
    connect(watcher, &Watcher::checkStateChanged, this,
            [this](const StateTransition &t) { checkUpdated(t.service, t.check); });
    connect(watcher, &Watcher::serviceStateChanged, this, [this](const StateTransition &t) { serviceUpdated(t.service); });
    reload();
}

void ServiceTreeModel::reload()
{
    beginResetModel();
    m_services.clear();
    for (const ServiceConfig &s : m_watcher->config().services) {
        Service row{s.name, s.group, {}};
        for (const CheckConfig &c : s.checks)
            row.checks << c.name;
        m_services << row;
    }
    endResetModel();
}

void ServiceTreeModel::checkUpdated(const QString &service, const QString &check)
{
    for (int i = 0; i < m_services.size(); ++i) {
        if (m_services[i].name != service)
            continue;
        const int row = int(m_services[i].checks.indexOf(check));
        if (row >= 0) {
            const QModelIndex parentIndex = index(i, 0);
            emit dataChanged(index(row, 0, parentIndex), index(row, ColumnCount - 1, parentIndex));
        }
        // The service row summarises its checks (latest time, why it is not ok).
        emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
        return;
    }
}

void ServiceTreeModel::serviceUpdated(const QString &service)
{
    for (int i = 0; i < m_services.size(); ++i) {
        if (m_services[i].name == service) {
            emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
            return;
        }
    }
}

QModelIndex ServiceTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    // Service rows carry id 0; check rows carry their service's row + 1.
    return createIndex(row, column, parent.isValid() ? quintptr(parent.row() + 1) : quintptr(0));
}

QModelIndex ServiceTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int ServiceTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_services.size());
    if (parent.internalId() == 0 && parent.column() == 0)
        return int(m_services.at(parent.row()).checks.size());
    return 0;
}

int ServiceTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant ServiceTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == 0)
        return serviceData(m_services.at(index.row()), index.column(), role);
    const Service &s = m_services.at(int(index.internalId() - 1));
    return checkData(s, s.checks.at(index.row()), index.column(), role);
}

QVariant ServiceTreeModel::serviceData(const Service &s, int column, int role) const
{
    const Health health = m_watcher->state().serviceHealth(s.name);
    if (role == HealthRole)
        return QVariant::fromValue(int(health));
    if (role == ServiceRole)
        return s.name;
    switch (column) {
    case NameColumn:
        if (role == Qt::DisplayRole)
            return s.group.isEmpty() ? s.name : tr("%1  (%2)").arg(s.name, s.group);
        if (role == Qt::DecorationRole)
            return HealthStyle::icon(health);
        break;
    case StateColumn:
        if (role == Qt::DisplayRole)
            return HealthStyle::label(health);
        if (role == Qt::ForegroundRole)
            return HealthStyle::color(health);
        break;
    case LastCheckColumn:
        if (role == Qt::DisplayRole) {
            qint64 latest = 0;
            for (const CheckStatus *c : m_watcher->state().statuses(s.name))
                latest = qMax(latest, c->hasResult ? c->last.atMs : 0);
            return latest ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(latest).time(), QLocale::LongFormat) : QVariant();
        }
        break;
    case ReasonColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
            for (const CheckStatus *c : m_watcher->state().statuses(s.name))
                if (c->health == health && health != Health::Ok)
                    return tr("%1: %2").arg(c->check, c->reason);
        }
        break;
    default: break;
    }
    return {};
}

QVariant ServiceTreeModel::checkData(const Service &s, const QString &check, int column, int role) const
{
    const CheckStatus *status = m_watcher->state().status(s.name, check);
    if (!status)
        return {};
    if (role == HealthRole)
        return QVariant::fromValue(int(status->health));
    if (role == ServiceRole)
        return s.name;
    if (role == CheckRole)
        return check;
    switch (column) {
    case NameColumn:
        if (role == Qt::DisplayRole)
            return check;
        if (role == Qt::DecorationRole)
            return HealthStyle::icon(status->health);
        break;
    case StateColumn:
        if (role == Qt::DisplayRole)
            return status->flapping ? tr("%1 (flapping)").arg(HealthStyle::label(status->health))
                                    : HealthStyle::label(status->health);
        if (role == Qt::ForegroundRole)
            return HealthStyle::color(status->health);
        break;
    case LatencyColumn:
        if (role == Qt::DisplayRole && status->hasResult && status->last.latencyMs >= 0)
            return Duration::formatLatency(status->last.latencyMs);
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case LastCheckColumn:
        if (role == Qt::DisplayRole && status->hasResult)
            return QLocale().toString(QDateTime::fromMSecsSinceEpoch(status->last.atMs).time(), QLocale::LongFormat);
        if (role == Qt::ToolTipRole && status->hasResult)
            return tr("State since %1").arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(status->sinceMs), QLocale::LongFormat));
        break;
    case ReasonColumn:
        if ((role == Qt::DisplayRole || role == Qt::ToolTipRole) && !status->explanation().isEmpty())
            return status->explanation();
        break;
    default: break;
    }
    return {};
}

QVariant ServiceTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Service / check");
    case StateColumn: return tr("State");
    case LatencyColumn: return tr("Latency");
    case LastCheckColumn: return tr("Last check");
    case ReasonColumn: return tr("Why");
    default: return {};
    }
}
