#include "checkhistorymodel.h"

#include "duration.h"
#include "healthstyle.h"
#include "historystore.h"
#include "watcher.h"

#include <QDateTime>
#include <QLocale>

CheckHistoryModel::CheckHistoryModel(Watcher *watcher, const HistoryStore *history, QObject *parent)
    : QAbstractTableModel(parent)
    , m_history(history)
{
    connect(watcher, &Watcher::resultRecorded, this, &CheckHistoryModel::add);
}

void CheckHistoryModel::setCheck(const QString &service, const QString &check)
{
    beginResetModel();
    m_service = service;
    m_check = check;
    m_results.clear();
    if (m_history && m_history->isOpen() && !check.isEmpty())
        m_results = m_history->results(service, check, 0, kRows);
    endResetModel();
}

void CheckHistoryModel::add(const CheckResult &result)
{
    if (m_check.isEmpty() || result.service != m_service || result.check != m_check)
        return;
    // Already read from the store (it was committed before the check was chosen).
    if (!m_results.isEmpty() && m_results.first().atMs >= result.atMs)
        return;
    beginInsertRows({}, 0, 0);
    m_results.prepend(result);
    endInsertRows();
    if (m_results.size() > kRows) {
        beginRemoveRows({}, kRows, int(m_results.size()) - 1);
        m_results.resize(kRows);
        endRemoveRows();
    }
}

int CheckHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_results.size());
}

int CheckHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CheckHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CheckResult &r = m_results.at(index.row());
    if (role == HealthRole)
        return int(r.outcome);
    switch (index.column()) {
    case TimeColumn:
        if (role == Qt::DisplayRole)
            return QLocale().toString(QDateTime::fromMSecsSinceEpoch(r.atMs), QLocale::ShortFormat);
        if (role == Qt::ToolTipRole)
            return QLocale().toString(QDateTime::fromMSecsSinceEpoch(r.atMs), QLocale::LongFormat);
        break;
    case StateColumn:
        if (role == Qt::DisplayRole)
            return HealthStyle::label(r.outcome);
        if (role == Qt::DecorationRole)
            return HealthStyle::icon(r.outcome);
        if (role == Qt::ForegroundRole)
            return HealthStyle::color(r.outcome);
        break;
    case LatencyColumn:
        if (role == Qt::DisplayRole && r.latencyMs >= 0)
            return Duration::formatLatency(r.latencyMs);
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case StatusColumn:
        if (role == Qt::DisplayRole && r.httpStatus > 0)
            return r.httpStatus;
        break;
    case ReasonColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
            return r.reason();
        break;
    default: break;
    }
    return {};
}

QVariant CheckHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case StateColumn: return tr("Result");
    case LatencyColumn: return tr("Latency");
    case StatusColumn: return tr("HTTP");
    case ReasonColumn: return tr("Why");
    default: return {};
    }
}
