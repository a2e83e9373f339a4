#include "incidentlistmodel.h"

#include "clock.h"
#include "duration.h"
#include "healthstyle.h"
#include "incidentstore.h"

#include <QColor>
#include <QFont>

namespace {
// How an incident's state looks: the same shapes as health, so "open" reads as alarming and
// "resolved" as done, always with the word beside it.
Health stateLook(IncidentState s)
{
    switch (s) {
    case IncidentState::Open: return Health::Down;
    case IncidentState::Acknowledged: return Health::Degraded;
    case IncidentState::Mitigated: return Health::Stale;
    case IncidentState::Resolved: return Health::Ok;
    }
    return Health::Unknown;
}

QString targetName(const QString &name)
{
    if (name == u"acknowledge")
        return IncidentListModel::tr("acknowledge");
    if (name == u"diagnose")
        return IncidentListModel::tr("diagnose");
    if (name == u"mitigate")
        return IncidentListModel::tr("mitigate");
    return name;
}
} // namespace

IncidentListModel::IncidentListModel(IncidentManager *manager, IncidentStore *store, const Clock *clock, QObject *parent)
    : QAbstractTableModel(parent)
    , m_manager(manager)
    , m_store(store)
    , m_clock(clock)
{
    // The manager reports changes from this program at once and those of other programs on the
    // same store within a few seconds (it polls the store's change mark), so no polling here.
    connect(manager, &IncidentManager::incidentOpened, this, &IncidentListModel::upsert);
    connect(manager, &IncidentManager::incidentChanged, this, &IncidentListModel::upsert);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, AgeColumn), index(int(m_rows.size()) - 1, TargetsColumn));
    });
    m_tick.start();
    reload();
}

qint64 IncidentListModel::nowMs() const
{
    return m_clock->nowMs();
}

IncidentListModel::Row IncidentListModel::rowFor(const Incident &withTimeline) const
{
    Row r;
    if (withTimeline.isOpen())
        r.targets = m_manager->responseTargets(withTimeline);
    r.incident = withTimeline;
    r.incident.timeline.clear();
    return r;
}

void IncidentListModel::reload()
{
    beginResetModel();
    m_rows.clear();
    for (const Incident &i : m_store->list(false)) {
        if (i.isOpen()) {
            if (const auto full = m_store->get(i.id, true)) {
                m_rows.append(rowFor(*full));
                continue;
            }
        }
        m_rows.append(rowFor(i));
    }
    endResetModel();
}

void IncidentListModel::upsert(const Incident &incident)
{
    if (incident.id <= 0)
        return;
    // Targets need the timeline (a note is what counts as diagnosed); some signals come without.
    Incident full = incident;
    if (full.isOpen() && full.timeline.isEmpty())
        full = m_store->get(incident.id, true).value_or(incident);
    const int row = rowOf(incident.id);
    if (row >= 0) {
        m_rows[row] = rowFor(full);
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    // Newest first: ids grow with time.
    int at = 0;
    while (at < m_rows.size() && m_rows.at(at).incident.id > incident.id)
        ++at;
    beginInsertRows({}, at, at);
    m_rows.insert(at, rowFor(full));
    endInsertRows();
}

int IncidentListModel::rowOf(qint64 id) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).incident.id == id)
            return i;
    return -1;
}

const Incident *IncidentListModel::incident(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row).incident : nullptr;
}

QList<IncidentManager::ResponseTarget> IncidentListModel::overdueTargets(int row) const
{
    QList<IncidentManager::ResponseTarget> out;
    if (row < 0 || row >= m_rows.size() || !m_rows.at(row).incident.isOpen())
        return out;
    const qint64 now = nowMs();
    for (const IncidentManager::ResponseTarget &t : m_rows.at(row).targets)
        if (!t.met && now >= t.deadlineMs)
            out.append(t);
    return out;
}

int IncidentListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int IncidentListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString IncidentListModel::stateLabel(IncidentState state)
{
    switch (state) {
    case IncidentState::Open: return tr("Open");
    case IncidentState::Acknowledged: return tr("Acknowledged");
    case IncidentState::Mitigated: return tr("Mitigated");
    case IncidentState::Resolved: return tr("Resolved");
    }
    return {};
}

QString IncidentListModel::targetsText(const Row &row, bool withDetail) const
{
    const Incident &i = row.incident;
    if (!i.isOpen())
        return tr("resolved after %1").arg(Duration::format(i.resolvedAtMs - i.openedAtMs));
    const qint64 now = nowMs();
    QStringList overdue, detail;
    const IncidentManager::ResponseTarget *next = nullptr;
    for (const IncidentManager::ResponseTarget &t : row.targets) {
        if (t.met)
            continue;
        if (now >= t.deadlineMs) {
            overdue << targetName(t.name);
            detail << tr("%1 was due %2 ago").arg(targetName(t.name), Duration::format(now - t.deadlineMs));
        } else if (!next || t.deadlineMs < next->deadlineMs) {
            next = &t;
        }
    }
    if (!overdue.isEmpty())
        return withDetail ? detail.join(u'\n') : tr("OVERDUE: %1").arg(overdue.join(QStringLiteral(", ")));
    if (next)
        return tr("%1 due in %2").arg(targetName(next->name), Duration::format(next->deadlineMs - now));
    return row.targets.isEmpty() ? tr("no targets") : tr("all met");
}

QVariant IncidentListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    const Incident &i = row.incident;
    switch (role) {
    case IdRole: return i.id;
    case ServiceRole: return i.service;
    case SeverityRole: return i.severity;
    case StateRole: return int(i.state);
    case OverdueRole: return !overdueTargets(index.row()).isEmpty();
    case SearchTextRole:
        return QStringList{QStringLiteral("#%1").arg(i.id), i.service, i.title, i.severity, i.cause, i.impact}.join(u'\n');
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        switch (index.column()) {
        case IdColumn: return QStringLiteral("#%1").arg(i.id);
        case SeverityColumn: return i.severity;
        case ServiceColumn: return i.service;
        case TitleColumn: return i.title;
        case StateColumn: return stateLabel(i.state);
        case AgeColumn: return Duration::format(qMax<qint64>(0, (i.isOpen() ? nowMs() : i.resolvedAtMs) - i.openedAtMs));
        case TargetsColumn: return targetsText(row);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == AgeColumn)
            return i.isOpen() ? tr("Open for %1").arg(Duration::format(nowMs() - i.openedAtMs))
                              : tr("Lasted %1").arg(Duration::format(i.resolvedAtMs - i.openedAtMs));
        if (index.column() == TargetsColumn)
            return targetsText(row, true);
        if (index.column() == TitleColumn)
            return i.title;
        break;
    case Qt::DecorationRole:
        if (index.column() == StateColumn)
            return HealthStyle::icon(stateLook(i.state));
        if (index.column() == TargetsColumn && !overdueTargets(index.row()).isEmpty())
            return HealthStyle::icon(Health::Down);
        break;
    case Qt::ForegroundRole:
        if (index.column() == TargetsColumn && !overdueTargets(index.row()).isEmpty())
            return HealthStyle::color(Health::Down);
        break;
    case Qt::BackgroundRole:
        // A translucent tint reads on light and dark palettes alike.
        if (!overdueTargets(index.row()).isEmpty()) {
            QColor tint = HealthStyle::color(Health::Down);
            tint.setAlpha(40);
            return tint;
        }
        break;
    case Qt::FontRole:
        if (index.column() == TargetsColumn && !overdueTargets(index.row()).isEmpty()) {
            QFont f;
            f.setBold(true);
            return f;
        }
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == IdColumn || index.column() == AgeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

QVariant IncidentListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn: return tr("ID");
    case SeverityColumn: return tr("Severity");
    case ServiceColumn: return tr("Service");
    case TitleColumn: return tr("Title");
    case StateColumn: return tr("State");
    case AgeColumn: return tr("Age");
    case TargetsColumn: return tr("Targets");
    }
    return {};
}
