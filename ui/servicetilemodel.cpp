#include "servicetilemodel.h"

#include "checkresult.h"
#include "clock.h"
#include "coresession.h"
#include "failovercontroller.h"
#include "failovermanager.h"
#include "healthstyle.h"
#include "historystore.h"
#include "maintenanceschedule.h"
#include "slomonitor.h"
#include "statetracker.h"
#include "watcher.h"

#include <QDateTime>
#include <QLocale>

ServiceTileModel::ServiceTileModel(CoreSession *session, QObject *parent)
    : QAbstractListModel(parent)
    , m_session(session)
{
    m_flush.setSingleShot(true);
    m_flush.setInterval(100);
    connect(&m_flush, &QTimer::timeout, this, &ServiceTileModel::flush);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &ServiceTileModel::tick);
    m_tick.start();

    Watcher *watcher = session->watcher();
    connect(watcher, &Watcher::resultRecorded, this, &ServiceTileModel::addResult);
    connect(watcher, &Watcher::serviceStateChanged, this,
            [this](const StateTransition &t) { serviceChanged(t.service); });
    // A check's state can change without changing the service's (a second check going down while
    // the first already is): the reason shown follows the checks.
    connect(watcher, &Watcher::checkStateChanged, this, [this](const StateTransition &t) { serviceChanged(t.service); });
    connect(session->slo(), &SloMonitor::reportsUpdated, this, &ServiceTileModel::updateReports);
    connect(session, &CoreSession::configLoaded, this, &ServiceTileModel::reload);
    reload();
}

void ServiceTileModel::reload()
{
    beginResetModel();
    m_resetting = true;
    m_tiles.clear();
    m_rows.clear();
    m_groups.clear();
    for (const ServiceConfig &s : m_session->config().services) {
        Tile t;
        t.name = s.name;
        t.group = s.group;
        t.groupShown = s.group.isEmpty() ? tr("Other services") : s.group;
        t.description = s.description;
        t.hasSlo = s.slo.enabled;
        m_rows.insert(s.name, int(m_tiles.size()));
        m_groups[s.group] << int(m_tiles.size());
        m_tiles << t;
    }
    for (int row = 0; row < m_tiles.size(); ++row)
        updateHealth(row);
    for (auto it = m_groups.cbegin(); it != m_groups.cend(); ++it)
        updateGroupHealth(it.key());
    for (Tile &t : m_tiles)
        t.sortKey = sortKey(t);
    seedLatencies();
    m_dirty = QBitArray(int(m_tiles.size()));
    m_sortDirty = QBitArray(int(m_tiles.size()));
    m_anyDirty = false;
    m_flush.stop();
    updateReports();
    updateMaintenance();
    connectFailover();
    m_resetting = false;
    endResetModel();
}

void ServiceTileModel::seedLatencies()
{
    HistoryStore *store = m_session->history();
    if (!store || !store->isOpen())
        return;
    for (Tile &t : m_tiles) {
        const QList<CheckResult> recent = store->results(t.name, QString(), 0, kLatencySamples);
        // Newest first from the store; the sparkline reads oldest first.
        for (auto it = recent.crbegin(); it != recent.crend(); ++it)
            if (it->latencyMs >= 0)
                t.latencies << it->latencyMs;
        if (!recent.isEmpty())
            t.lastMs = recent.first().atMs;
    }
}

void ServiceTileModel::connectFailover()
{
    for (const QMetaObject::Connection &c : std::as_const(m_failoverConnections))
        disconnect(c);
    m_failoverConnections.clear();
    FailoverManager *manager = m_session->failover();
    if (!manager)
        return;
    for (const QString &service : manager->services()) {
        FailoverController *controller = manager->controller(service);
        const int row = m_rows.value(service, -1);
        if (!controller || row < 0)
            continue;
        updateFailover(service, controller->state());
        m_failoverConnections << connect(controller, &FailoverController::stateChanged, this,
                                         [this, service](const FailoverState &s) { updateFailover(service, s); });
    }
}

void ServiceTileModel::updateFailover(const QString &service, const FailoverState &state)
{
    const int row = m_rows.value(service, -1);
    if (row < 0)
        return;
    FailoverBadge badge = FailoverBadge::None;
    switch (state.phase) {
    case FailoverState::Phase::Normal:
    case FailoverState::Phase::Watching:
        // The seed's tools flip only the flag; it still means traffic is on the fallback.
        badge = state.failoverActive ? FailoverBadge::Active : FailoverBadge::None;
        break;
    case FailoverState::Phase::WaitingForFallback: badge = FailoverBadge::Waiting; break;
    case FailoverState::Phase::FailingOver: badge = FailoverBadge::FailingOver; break;
    case FailoverState::Phase::Active: badge = FailoverBadge::Active; break;
    case FailoverState::Phase::FailingBack: badge = FailoverBadge::FailingBack; break;
    case FailoverState::Phase::FailoverFailed: badge = FailoverBadge::FailoverFailed; break;
    case FailoverState::Phase::FailbackFailed: badge = FailoverBadge::FailbackFailed; break;
    }
    Tile &t = m_tiles[row];
    if (t.failover == badge)
        return;
    t.failover = badge;
    markDirty(row, false);
}

void ServiceTileModel::addResult(const CheckResult &result)
{
    const int row = m_rows.value(result.service, -1);
    if (row < 0)
        return;
    Tile &t = m_tiles[row];
    if (result.latencyMs >= 0) {
        if (t.latencies.size() >= kLatencySamples)
            t.latencies.removeFirst();
        t.latencies << result.latencyMs;
    }
    t.lastMs = qMax(t.lastMs, result.atMs);
    markDirty(row, false);
}

void ServiceTileModel::serviceChanged(const QString &service)
{
    const int row = m_rows.value(service, -1);
    if (row < 0)
        return;
    const Health before = m_tiles[row].health;
    const QString reasonBefore = m_tiles[row].reason;
    updateHealth(row);
    Tile &t = m_tiles[row];
    if (t.health != before) {
        const Health groupBefore = t.groupHealth;
        updateGroupHealth(t.group);
        t.sortKey = sortKey(t);
        markDirty(row, true);
        if (m_tiles[row].groupHealth != groupBefore) {
            // The whole group moves.
            for (int r : std::as_const(m_groups[m_tiles[row].group])) {
                m_tiles[r].sortKey = sortKey(m_tiles[r]);
                markDirty(r, true);
            }
        }
    } else if (t.reason != reasonBefore) {
        markDirty(row, false);
    }
}

void ServiceTileModel::updateHealth(int row)
{
    Tile &t = m_tiles[row];
    const StateTracker &state = m_session->watcher()->state();
    t.health = state.serviceHealth(t.name);
    t.reason.clear();
    if (t.health == Health::Ok)
        return;
    for (const CheckStatus *c : state.statuses(t.name)) {
        if (c->health == t.health) {
            t.reason = c->reason.isEmpty() ? c->check : tr("%1: %2").arg(c->check, c->reason);
            break;
        }
    }
}

void ServiceTileModel::updateGroupHealth(const QString &group)
{
    Health worst = Health::Ok;
    const QList<int> rows = m_groups.value(group);
    for (int r : rows)
        worst = ::worse(worst, m_tiles[r].health);
    for (int r : rows)
        m_tiles[r].groupHealth = worst;
}

void ServiceTileModel::updateReports()
{
    const SloMonitor *slo = m_session->slo();
    for (int row = 0; row < m_tiles.size(); ++row) {
        Tile &t = m_tiles[row];
        const SloReport *report = t.hasSlo ? slo->report(t.name) : nullptr;
        const bool has = report != nullptr;
        const double budget = has ? report->budgetRemaining : 1;
        const BudgetState state = has ? report->budgetState : BudgetState::Ok;
        if (has == t.hasReport && budget == t.budget && state == t.budgetState)
            continue;
        t.hasReport = has;
        t.budget = budget;
        t.budgetState = state;
        markDirty(row, false);
    }
}

void ServiceTileModel::updateMaintenance()
{
    const MaintenanceSchedule *schedule = m_session->maintenance();
    const qint64 now = m_session->clock()->nowMs();
    for (int row = 0; row < m_tiles.size(); ++row) {
        Tile &t = m_tiles[row];
        const auto window = schedule->activeFor(t.name, now);
        QString text;
        if (window) {
            const QString until = QLocale().toString(QDateTime::fromMSecsSinceEpoch(window->endMs), QLocale::ShortFormat);
            text = window->reason.isEmpty() ? tr("In maintenance until %1").arg(until)
                                            : tr("In maintenance until %1: %2").arg(until, window->reason);
        }
        if (bool(window) == t.maintenance && text == t.maintenanceText)
            continue;
        t.maintenance = bool(window);
        t.maintenanceText = text;
        markDirty(row, false);
    }
}

void ServiceTileModel::tick()
{
    updateMaintenance();
    // The "12 s ago" texts move with the clock: one signal for all rows.
    if (!m_tiles.isEmpty())
        emit dataChanged(index(0), index(int(m_tiles.size()) - 1), {LastCheckTextRole, Qt::ToolTipRole, Qt::AccessibleTextRole});
}

void ServiceTileModel::markDirty(int row, bool sortChanged)
{
    if (m_resetting)
        return; // the reset announces everything
    m_dirty.setBit(row);
    if (sortChanged)
        m_sortDirty.setBit(row);
    m_anyDirty = true;
    if (m_flush.interval() == 0)
        flush();
    else if (!m_flush.isActive())
        m_flush.start();
}

void ServiceTileModel::setUpdateInterval(int ms)
{
    m_flush.setInterval(qMax(0, ms));
    if (ms <= 0)
        flush();
}

void ServiceTileModel::flush()
{
    m_flush.stop();
    if (!m_anyDirty)
        return;
    m_anyDirty = false;
    // Rows whose place in the order may have changed go out with every role, so a sorting proxy
    // sorts them again; the rest name their roles, so it only forwards them.
    static const QList<int> dataRoles = {Qt::DisplayRole, Qt::ToolTipRole, Qt::AccessibleTextRole, ReasonRole,
                                         LatencySamplesRole, LatencyRole, BudgetRemainingRole, BudgetStateRole,
                                         LastCheckRole, LastCheckTextRole, MaintenanceRole, MaintenanceTextRole,
                                         FailoverRole, FailoverTextRole};
    const int n = int(m_tiles.size());
    for (int pass = 0; pass < 2; ++pass) {
        const bool sortPass = pass == 0;
        int first = -1;
        for (int row = 0; row <= n; ++row) {
            const bool in = row < n && m_dirty.testBit(row) && m_sortDirty.testBit(row) == sortPass;
            if (in && first < 0)
                first = row;
            if (!in && first >= 0) {
                emit dataChanged(index(first), index(row - 1), sortPass ? QList<int>() : dataRoles);
                first = -1;
            }
        }
    }
    m_dirty.fill(false);
    m_sortDirty.fill(false);
}

QString ServiceTileModel::sortKey(const Tile &t)
{
    // Worst first: a higher Health sorts earlier, so its digit is inverted.
    const int maxHealth = int(Health::Down);
    return QString::number(maxHealth - int(t.groupHealth)) + t.groupShown.toCaseFolded() + QChar(0x1f)
        + QString::number(maxHealth - int(t.health)) + t.name.toCaseFolded();
}

QString ServiceTileModel::agoText(qint64 lastMs, qint64 nowMs)
{
    if (lastMs <= 0)
        return tr("never checked");
    const qint64 s = qMax<qint64>(0, (nowMs - lastMs) / 1000);
    if (s < 2)
        return tr("just now");
    if (s < 120)
        return tr("%n s ago", nullptr, int(s));
    if (s < 7200)
        return tr("%n min ago", nullptr, int(s / 60));
    if (s < 2 * 86400)
        return tr("%n h ago", nullptr, int(s / 3600));
    return tr("%n d ago", nullptr, int(s / 86400));
}

int ServiceTileModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tiles.size());
}

QVariant ServiceTileModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Tile &t = m_tiles.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case ServiceRole: return t.name;
    case Qt::DecorationRole: return HealthStyle::icon(t.health);
    case Qt::ToolTipRole: return toolTip(t);
    case Qt::AccessibleTextRole: return accessibleText(t);
    case GroupRole: return t.groupShown;
    case DescriptionRole: return t.description;
    case HealthRole: return int(t.health);
    case GroupHealthRole: return int(t.groupHealth);
    case ReasonRole: return t.reason;
    case LatencySamplesRole: return QVariant::fromValue(t.latencies);
    case LatencyRole: return t.latencies.isEmpty() ? QVariant() : QVariant(t.latencies.last());
    case HasSloRole: return t.hasSlo;
    case BudgetRemainingRole: return t.hasReport ? QVariant(t.budget) : QVariant();
    case BudgetStateRole: return int(t.budgetState);
    case LastCheckRole: return t.lastMs;
    case LastCheckTextRole: return agoText(t.lastMs, m_session->clock()->nowMs());
    case MaintenanceRole: return t.maintenance;
    case MaintenanceTextRole: return t.maintenanceText;
    case FailoverRole: return int(t.failover);
    case FailoverTextRole: return failoverText(t.failover);
    case SortKeyRole: return t.sortKey;
    case FilterTextRole: return QString(t.name + u'\n' + t.groupShown);
    default: return {};
    }
}

QString ServiceTileModel::failoverText(FailoverBadge badge)
{
    switch (badge) {
    case FailoverBadge::None: return QString();
    case FailoverBadge::Active: return tr("Failed over");
    case FailoverBadge::FailingOver: return tr("Failing over");
    case FailoverBadge::FailingBack: return tr("Failing back");
    case FailoverBadge::Waiting: return tr("Failover waiting");
    case FailoverBadge::FailoverFailed: return tr("Failover failed");
    case FailoverBadge::FailbackFailed: return tr("Failback failed");
    }
    return QString();
}

QString ServiceTileModel::accessibleText(const Tile &t) const
{
    QStringList parts{t.name, HealthStyle::label(t.health)};
    if (!t.reason.isEmpty())
        parts << t.reason;
    if (t.hasReport)
        parts << tr("error budget %1 % left").arg(qRound(t.budget * 100));
    parts << agoText(t.lastMs, m_session->clock()->nowMs());
    if (t.maintenance)
        parts << tr("in maintenance");
    if (t.failover != FailoverBadge::None)
        parts << failoverText(t.failover);
    return parts.join(QStringLiteral(", "));
}

QString ServiceTileModel::toolTip(const Tile &t) const
{
    QStringList lines{tr("%1 — %2").arg(t.name, HealthStyle::label(t.health))};
    if (!t.description.isEmpty())
        lines << t.description;
    if (!t.reason.isEmpty())
        lines << t.reason;
    if (!t.maintenanceText.isEmpty())
        lines << t.maintenanceText;
    if (t.hasReport)
        lines << tr("Error budget: %1 % left").arg(QLocale().toString(t.budget * 100, 'f', 1));
    if (t.lastMs > 0)
        lines << tr("Last checked %1 (%2)")
                     .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(t.lastMs), QLocale::ShortFormat),
                          agoText(t.lastMs, m_session->clock()->nowMs()));
    return lines.join(u'\n');
}

QHash<int, QByteArray> ServiceTileModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(ServiceRole, "service");
    names.insert(GroupRole, "group");
    names.insert(DescriptionRole, "description");
    names.insert(HealthRole, "health");
    names.insert(GroupHealthRole, "groupHealth");
    names.insert(ReasonRole, "reason");
    names.insert(LatencySamplesRole, "latencySamples");
    names.insert(LatencyRole, "latency");
    names.insert(HasSloRole, "hasSlo");
    names.insert(BudgetRemainingRole, "budgetRemaining");
    names.insert(BudgetStateRole, "budgetState");
    names.insert(LastCheckRole, "lastCheck");
    names.insert(LastCheckTextRole, "lastCheckText");
    names.insert(MaintenanceRole, "maintenance");
    names.insert(MaintenanceTextRole, "maintenanceText");
    names.insert(FailoverRole, "failover");
    names.insert(FailoverTextRole, "failoverText");
    names.insert(SortKeyRole, "sortKey");
    names.insert(FilterTextRole, "filterText");
    return names;
}
