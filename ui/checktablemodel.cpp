#include "checktablemodel.h"

#include "duration.h"
#include "healthstyle.h"
#include "watcher.h"

#include <QDateTime>
#include <QLocale>

CheckTableModel::CheckTableModel(Watcher *watcher, QObject *parent)
    : QAbstractTableModel(parent)
    , m_watcher(watcher)
{
    connect(watcher, &Watcher::statusUpdated, this, &CheckTableModel::checkUpdated);
    connect(watcher, &Watcher::checkStateChanged, this, [this](const StateTransition &t) { checkUpdated(t.service, t.check); });
    connect(watcher, &Watcher::flappingChanged, this,
            [this](const QString &service, const QString &check, bool) { checkUpdated(service, check); });
}

void CheckTableModel::setService(const QString &service)
{
    m_service = service;
    reload();
}

void CheckTableModel::reload()
{
    beginResetModel();
    m_checks.clear();
    if (const ServiceConfig *s = m_watcher->config().service(m_service))
        for (const CheckConfig &c : s->checks)
            m_checks << c.name;
    endResetModel();
}

void CheckTableModel::checkUpdated(const QString &service, const QString &check)
{
    if (service != m_service)
        return;
    const int row = rowOf(check);
    if (row >= 0)
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int CheckTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_checks.size());
}

int CheckTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CheckTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QString &check = m_checks.at(index.row());
    if (role == CheckRole)
        return check;
    const CheckStatus *status = m_watcher->state().status(m_service, check);
    const Health health = status ? status->health : Health::Unknown;
    if (role == HealthRole)
        return int(health);
    switch (index.column()) {
    case NameColumn:
        if (role == Qt::DisplayRole)
            return check;
        if (role == Qt::DecorationRole)
            return HealthStyle::icon(health);
        break;
    case StateColumn:
        if (role == Qt::DisplayRole)
            return status && status->flapping ? tr("%1 (flapping)").arg(HealthStyle::label(health)) : HealthStyle::label(health);
        if (role == Qt::ForegroundRole)
            return HealthStyle::color(health);
        break;
    case LatencyColumn:
        if (role == Qt::DisplayRole && status && status->hasResult && status->last.latencyMs >= 0)
            return Duration::formatLatency(status->last.latencyMs);
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case LastCheckColumn:
        if (role == Qt::DisplayRole && status && status->hasResult)
            return QLocale().toString(QDateTime::fromMSecsSinceEpoch(status->last.atMs).time(), QLocale::LongFormat);
        if (role == Qt::ToolTipRole && status && status->hasResult)
            return tr("In this state since %1").arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(status->sinceMs), QLocale::LongFormat));
        break;
    case ReasonColumn:
        if ((role == Qt::DisplayRole || role == Qt::ToolTipRole) && status && !status->explanation().isEmpty())
            return status->explanation();
        break;
    default: break;
    }
    return {};
}

QVariant CheckTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Check");
    case StateColumn: return tr("State");
    case LatencyColumn: return tr("Latency");
    case LastCheckColumn: return tr("Last check");
    case ReasonColumn: return tr("Why (failed condition — actual value)");
    default: return {};
    }
}
