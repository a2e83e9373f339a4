#include "recoverycriteriamodel.h"

#include "healthstyle.h"
#include "historystore.h"

#include <algorithm>

RecoveryCriteriaModel::RecoveryCriteriaModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RecoveryCriteriaModel::refresh(const HistoryStore *store, const ServiceConfig &service, qint64 nowMs)
{
    QList<RecoveryCriteria::Line> lines;
    if (store && store->isOpen() && !service.name.isEmpty())
        lines = RecoveryCriteria::evaluate(*store, service, nowMs);
    if (lines.size() == m_lines.size() && !lines.isEmpty()) {
        // Same criteria, new measurements: keep the selection and scroll position.
        m_lines = lines;
        emit dataChanged(index(0, 0), index(int(m_lines.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_lines = lines;
    endResetModel();
}

bool RecoveryCriteriaModel::allPassed() const
{
    return !m_lines.isEmpty() && std::all_of(m_lines.cbegin(), m_lines.cend(), [](const auto &l) { return l.passed; });
}

int RecoveryCriteriaModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_lines.size());
}

int RecoveryCriteriaModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RecoveryCriteriaModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RecoveryCriteria::Line &line = m_lines.at(index.row());
    if (role == PassedRole)
        return line.passed;
    const Health look = line.passed ? Health::Ok : Health::Down;
    switch (index.column()) {
    case ResultColumn:
        if (role == Qt::DisplayRole)
            return line.passed ? tr("pass") : tr("fail");
        if (role == Qt::DecorationRole)
            return HealthStyle::icon(look);
        if (role == Qt::ForegroundRole)
            return HealthStyle::color(look);
        break;
    case CriterionColumn:
        if (role == Qt::DisplayRole)
            return line.criterion;
        break;
    case MeasuredColumn:
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
            return line.measured;
        break;
    default: break;
    }
    return {};
}

QVariant RecoveryCriteriaModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ResultColumn: return tr("Result");
    case CriterionColumn: return tr("Criterion");
    case MeasuredColumn: return tr("Measured");
    default: return {};
    }
}
