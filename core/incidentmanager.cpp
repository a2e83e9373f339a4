#include "incidentmanager.h"

#include "auditlog.h"
#include "clock.h"
#include "duration.h"
#include "incidentstore.h"
#include "incidenttemplates.h"
#include "logging.h"
#include "maintenanceschedule.h"
#include "slomonitor.h"
#include "watcher.h"

#include <QCryptographicHash>
#include <QJsonObject>

namespace {
const QString kOpsDeck = QStringLiteral("opsdeck");
constexpr qint64 kMinTickMs = 250;
// Deadlines far ahead are still looked at now and then, so a clock that jumps (a laptop waking
// up) cannot push an escalation far past its time.
constexpr qint64 kMaxTickMs = 30'000;

// The three response targets of a severity level, and whether an incident has met each.
struct Target
{
    const char *name;
    qint64 deadline;
    bool met;
};

QList<Target> targets(const Incident &i, const SeverityLevel &level)
{
    bool diagnosed = !i.rootCause.isEmpty() || i.mitigatedAtMs > 0 || i.resolvedAtMs > 0;
    for (const IncidentEvent &e : i.timeline)
        diagnosed = diagnosed || e.kind == u"note";
    QList<Target> out;
    const qint64 ack = level.acknowledgeDeadline(i.openedAtMs);
    if (ack > 0)
        out.append({"acknowledge", ack, i.acknowledgedAtMs > 0 || !i.isOpen()});
    if (level.diagnoseMs >= 0)
        out.append({"diagnose", i.openedAtMs + (level.diagnoseMs ? level.diagnoseMs : SeveritySchemes::kImmediateMs), diagnosed});
    if (level.mitigateMs >= 0)
        out.append({"mitigate", i.openedAtMs + (level.mitigateMs ? level.mitigateMs : SeveritySchemes::kImmediateMs),
                    i.mitigatedAtMs > 0 || !i.isOpen()});
    return out;
}
} // namespace

IncidentManager::IncidentManager(IncidentStore *store, AuditLog *audit, MaintenanceSchedule *maintenance, const Clock *clock,
                                 QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_audit(audit)
    , m_maintenance(maintenance)
    , m_clock(clock)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &IncidentManager::checkTimers);
    // Planning reads every open incident from the store; when the whole fleet changes state at once
    // (a network blip) that read ran once per service and stalled the event loop for a second.
    m_rearm.setSingleShot(true);
    m_rearm.setInterval(0);
    connect(&m_rearm, &QTimer::timeout, this, &IncidentManager::rearm);
    m_watchExternal.setInterval(3'000);
    connect(&m_watchExternal, &QTimer::timeout, this, [this] {
        const qint64 mark = m_store->changeMark();
        if (mark == m_changeMark)
            return;
        m_changeMark = mark;
        for (const Incident &i : m_store->list(false, QString(), 50))
            emit incidentChanged(withTimeline(i.id));
        arm();
    });
}

void IncidentManager::setConfig(const Config &config)
{
    m_config = config;
    refreshBlocked();
}

void IncidentManager::attach(Watcher *watcher, SloMonitor *slo)
{
    m_watcher = watcher;
    connect(watcher, &Watcher::serviceStateChanged, this, &IncidentManager::onServiceChanged);
    connect(watcher, &Watcher::statusUpdated, this, &IncidentManager::onCheckUpdated);
    if (slo) {
        connect(slo, &SloMonitor::budgetStateChanged, this, &IncidentManager::onBudget);
        connect(slo, &SloMonitor::alertChanged, this, &IncidentManager::onAlert);
    }
}

void IncidentManager::start()
{
    // Escalations already written survive restarts: remember them rather than repeat them.
    for (const Incident &open : m_store->list(true)) {
        const Incident i = withTimeline(open.id);
        for (const IncidentEvent &e : i.timeline)
            if (e.kind == u"escalated")
                m_escalated.insert(QString::number(i.id) + u'/' + e.text.section(u':', 0, 0));
    }
    m_changeMark = m_store->changeMark();
    m_watchExternal.start();
    arm();
}

void IncidentManager::stop()
{
    m_rearm.stop();
    m_timer.stop();
    m_watchExternal.stop();
}

Incident IncidentManager::withTimeline(qint64 id) const
{
    return m_store->get(id, true).value_or(Incident());
}

const IncidentRule *IncidentManager::rule(const QString &service, IncidentCause cause) const
{
    const ServiceConfig *s = m_config.service(service);
    if (!s)
        return nullptr;
    for (const IncidentRule &r : s->incidentRules)
        if (r.cause == cause)
            return &r;
    return nullptr;
}

bool IncidentManager::suppressed(const QString &service, QString *why) const
{
    if (const auto window = m_maintenance ? m_maintenance->activeFor(service, m_clock->nowMs()) : std::nullopt) {
        *why = QStringLiteral("in maintenance%1").arg(window->reason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(window->reason));
        return true;
    }
    QString parent;
    if (isBlocked(service, &parent)) {
        *why = QStringLiteral("blocked by parent `%1`, which is down").arg(parent);
        return true;
    }
    return false;
}

bool IncidentManager::isBlocked(const QString &service, QString *parent) const
{
    const auto it = m_blockedBy.constFind(service);
    if (it == m_blockedBy.constEnd())
        return false;
    if (parent)
        *parent = *it;
    return true;
}

void IncidentManager::refreshBlocked()
{
    if (!m_watcher)
        return;
    QHash<QString, QString> blocked;
    for (const ServiceConfig &s : m_config.services)
        for (const QString &p : s.dependsOn)
            if (m_watcher->state().serviceHealth(p) == Health::Down && !blocked.contains(s.name))
                blocked.insert(s.name, p);
    const QHash<QString, QString> before = std::exchange(m_blockedBy, blocked);
    for (auto it = blocked.cbegin(); it != blocked.cend(); ++it)
        if (!before.contains(it.key()))
            emit blockedChanged(it.key(), true, it.value());
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (blocked.contains(it.key()))
            continue;
        emit blockedChanged(it.key(), false, it.value());
        // The parent is back; a child still down now fails on its own account.
        if (m_watcher->state().serviceHealth(it.key()) == Health::Down) {
            const IncidentRule *r = rule(it.key(), IncidentCause::Down);
            if (r && r->afterResults == 0)
                open(it.key(), IncidentCause::Down, QStringLiteral("%1 is down").arg(it.key()),
                     QStringLiteral("still down after its parent `%1` recovered").arg(it.value()), false);
        }
    }
}

void IncidentManager::onServiceChanged(const StateTransition &t)
{
    refreshBlocked();
    const QString &service = t.service;
    if (t.to == Health::Down) {
        if (const IncidentRule *r = rule(service, IncidentCause::Down); r && r->afterResults == 0)
            open(service, IncidentCause::Down, QStringLiteral("%1 is down").arg(service), t.reason,
                 t.from == Health::Ok || t.from == Health::Degraded);
    }
    if (t.to == Health::Degraded) {
        if (!m_degradedSince.contains(service))
            m_degradedSince.insert(service, t.atMs);
        arm();
    } else if (t.to != Health::Down) {
        m_degradedSince.remove(service); // a service that gets worse stays "degraded or worse"
    }
    if (t.to == Health::Ok) {
        clear(service, IncidentCause::Down, QStringLiteral("%1 is ok again").arg(service));
        clear(service, IncidentCause::Degraded, QStringLiteral("%1 is ok again").arg(service));
    }
}

void IncidentManager::onCheckUpdated(const QString &service, const QString &check)
{
    const IncidentRule *r = rule(service, IncidentCause::Down);
    if (!r || r->afterResults <= 0 || !m_watcher)
        return;
    const CheckStatus *s = m_watcher->state().status(service, check);
    if (s && s->hasResult && s->last.outcome == Health::Down && s->consecutiveBad == r->afterResults)
        open(service, IncidentCause::Down, QStringLiteral("%1 is down").arg(service),
             QStringLiteral("%1 consecutive failures of %2: %3").arg(r->afterResults).arg(check, s->last.reason()), true);
}

void IncidentManager::onBudget(const QString &service, BudgetState, BudgetState to, const SloReport &report)
{
    const QString left = QStringLiteral("%1 % of the error budget left (%2 of %3 allowed bad events used)")
                             .arg(report.budgetRemaining * 100, 0, 'f', 1)
                             .arg(report.counts.bad())
                             .arg(report.badAllowed, 0, 'f', 1);
    if (to == BudgetState::Critical && rule(service, IncidentCause::BudgetCritical))
        open(service, IncidentCause::BudgetCritical, QStringLiteral("%1: error budget critical").arg(service), left, true);
    else if (to != BudgetState::Critical)
        clear(service, IncidentCause::BudgetCritical, left);
}

void IncidentManager::onAlert(const QString &service, BurnAlert, BurnAlert to, const SloReport &report)
{
    if (to == BurnAlert::Page && rule(service, IncidentCause::BurnPage))
        open(service, IncidentCause::BurnPage, QStringLiteral("%1: burning its error budget fast").arg(service),
             report.alertReason, true);
    else if (to != BurnAlert::Page)
        clear(service, IncidentCause::BurnPage, QStringLiteral("the burn rate is back below the paging thresholds"));
}

std::optional<Incident> IncidentManager::open(const QString &service, IncidentCause cause, const QString &title,
                                              const QString &detail, bool recurrence)
{
    QString why;
    if (suppressed(service, &why)) {
        qCInfo(lcState) << "no incident for" << service << incidentCauseName(cause) << "-" << why;
        return std::nullopt;
    }
    const IncidentRule *r = rule(service, cause);
    if (!r)
        return std::nullopt;
    const ServiceConfig *svc = m_config.service(service);
    Incident i;
    i.service = service;
    i.cause = incidentCauseName(cause);
    i.severity = r->severity;
    i.title = title;
    i.impact = QStringLiteral("%1%2: %3")
                   .arg(service, svc && !svc->description.isEmpty() ? QStringLiteral(" (%1)").arg(svc->description) : QString(), detail);
    i.openedAtMs = m_clock->nowMs();
    i.autoResolve = r->autoResolve;
    const IncidentEvent first{0, i.openedAtMs, QStringLiteral("detected"), kOpsDeck, detail};
    QString error;
    switch (m_store->create(i, first, &error)) {
    case IncidentStore::Created::New:
        qCInfo(lcState) << "incident" << i.id << "opened:" << title;
        emit incidentOpened(i);
        emit incidentChanged(i);
        notify(i, QStringLiteral("opened"), IncidentTemplates::detected(i));
        arm();
        return i;
    case IncidentStore::Created::AlreadyOpen:
        if (recurrence) {
            IncidentEvent e{0, m_clock->nowMs(), QStringLiteral("recurred"), kOpsDeck, detail};
            if (m_store->addEvent(i.id, e, &error)) {
                const Incident updated = withTimeline(i.id);
                emit incidentChanged(updated);
                notify(updated, QStringLiteral("recurred"), QStringLiteral("🔁 RECURRED: %1\n%2").arg(i.title, detail));
            }
        }
        return i;
    case IncidentStore::Created::Failed:
        qCWarning(lcState) << "could not open an incident for" << service << ":" << error;
        return std::nullopt;
    }
    return std::nullopt;
}

std::optional<Incident> IncidentManager::raise(const QString &service, IncidentCause cause, const QString &detail,
                                               const QString &title)
{
    if (!title.isEmpty())
        return open(service, cause, title, detail, true);
    const QString usual = cause == IncidentCause::Failover ? QStringLiteral("%1: failed over").arg(service)
                                                           : QStringLiteral("%1: %2").arg(service, incidentCauseName(cause));
    return open(service, cause, usual, detail, true);
}

void IncidentManager::clear(const QString &service, IncidentCause cause, const QString &detail)
{
    const auto i = m_store->openFor(service, incidentCauseName(cause));
    if (!i || !i->autoResolve)
        return;
    QString error;
    Resolution r;
    r.text = QStringLiteral("resolved automatically: %1").arg(detail);
    r.resolution = QStringLiteral("Recovered: %1.").arg(detail);
    change(i->id, kOpsDeck, QString(), [&](Incident &inc, IncidentEvent &e, QString *) {
        inc.state = IncidentState::Resolved;
        inc.resolvedAtMs = m_clock->nowMs();
        if (inc.resolution.isEmpty())
            inc.resolution = r.resolution;
        e.kind = QStringLiteral("resolved");
        e.text = r.text;
        return true;
    }, &error);
}

bool IncidentManager::change(qint64 id, const QString &actor, const QString &auditAction,
                             const std::function<bool(Incident &, IncidentEvent &, QString *)> &edit, QString *error)
{
    auto current = m_store->get(id, true);
    if (!current) {
        *error = QStringLiteral("no incident #%1").arg(id);
        return false;
    }
    Incident i = *current;
    IncidentEvent e;
    e.atMs = m_clock->nowMs();
    e.actor = actor;
    if (!edit(i, e, error))
        return false;
    if (!m_store->update(i, e, error))
        return false;
    i.timeline << e;
    if (!auditAction.isEmpty())
        audit(actor, auditAction, i, e.text);
    emit incidentChanged(i);
    if (e.kind == u"resolved")
        notify(i, QStringLiteral("resolved"), IncidentTemplates::resolved(i));
    else if (e.kind == u"acknowledged")
        notify(i, QStringLiteral("acknowledged"), QStringLiteral("👀 ACKNOWLEDGED by %1: %2%3").arg(actor, i.title,
                                                      e.text.isEmpty() ? QString() : QStringLiteral("\n") + e.text));
    else if (e.kind == u"severity_changed")
        notify(i, QStringLiteral("severity"), QStringLiteral("↕ SEVERITY %1: %2").arg(i.severity, i.title));
    else if (e.kind == u"note")
        notify(i, QStringLiteral("note"), QStringLiteral("📝 %1 (%2): %3").arg(i.title, actor, e.text));
    arm();
    return true;
}

void IncidentManager::audit(const QString &actor, const QString &action, const Incident &incident, const QString &text)
{
    if (!m_audit)
        return;
    QJsonObject details{{QStringLiteral("incident"), incident.id}, {QStringLiteral("service"), incident.service},
                        {QStringLiteral("state"), incidentStateName(incident.state)}, {QStringLiteral("severity"), incident.severity}};
    if (!text.isEmpty())
        details.insert(QStringLiteral("text"), text);
    QString error;
    if (!m_audit->append(actor, action, details, m_clock->nowMs(), &error))
        qCWarning(lcState) << "audit log:" << error;
}

void IncidentManager::notify(const Incident &i, const QString &event, const QString &text)
{
    Notification n;
    n.event = event;
    n.service = i.service;
    n.severity = i.severity;
    if (const ServiceConfig *s = m_config.service(i.service)) {
        n.scheme = s->severityScheme;
        if (const SeverityScheme *scheme = m_config.scheme(*s))
            n.severityRank = scheme->rank(i.severity);
    }
    n.title = text.section(u'\n', 0, 0);
    n.text = text;
    n.incidentId = i.id;
    // Opened, acknowledged and resolved happen once per incident; escalations (one per target),
    // recurrences and notes differ by their text, and only a repeat of the same text is a duplicate.
    n.dedupKey = QStringLiteral("incident-%1-%2").arg(i.id).arg(event);
    if (event != u"opened" && event != u"acknowledged" && event != u"resolved")
        n.dedupKey += u'-' + QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha1).toHex().left(12));
    n.atMs = m_clock->nowMs();
    // Maintenance silences what the service would say, not what an operator does.
    if ((event == u"opened" || event == u"recurred" || event == u"escalated") && m_maintenance
        && m_maintenance->activeFor(i.service, n.atMs))
        return;
    emit notificationReady(n);
}

bool IncidentManager::acknowledge(qint64 id, const QString &actor, const QString &note, QString *error)
{
    return change(id, actor, QStringLiteral("incident.acknowledge"), [&](Incident &i, IncidentEvent &e, QString *err) {
        if (i.state != IncidentState::Open) {
            *err = QStringLiteral("incident #%1 is %2, not open").arg(i.id).arg(incidentStateName(i.state));
            return false;
        }
        i.state = IncidentState::Acknowledged;
        i.acknowledgedAtMs = e.atMs;
        e.kind = QStringLiteral("acknowledged");
        e.text = note;
        return true;
    }, error);
}

bool IncidentManager::addNote(qint64 id, const QString &actor, const QString &text, QString *error)
{
    if (text.trimmed().isEmpty()) {
        *error = QStringLiteral("a note needs text");
        return false;
    }
    return change(id, actor, QStringLiteral("incident.note"), [&](Incident &, IncidentEvent &e, QString *) {
        e.kind = QStringLiteral("note");
        e.text = text.trimmed();
        return true;
    }, error);
}

bool IncidentManager::changeSeverity(qint64 id, const QString &actor, const QString &severity, QString *error)
{
    return change(id, actor, QStringLiteral("incident.severity"), [&](Incident &i, IncidentEvent &e, QString *err) {
        const ServiceConfig *s = m_config.service(i.service);
        const SeverityScheme *scheme = s ? m_config.scheme(*s) : SeveritySchemes::find({}, u"P0-P3");
        const SeverityLevel *level = scheme ? scheme->level(severity) : nullptr;
        if (!level) {
            QStringList names;
            if (scheme)
                for (const SeverityLevel &l : scheme->levels)
                    names << l.name;
            *err = QStringLiteral("no level `%1` in %2's scheme (%3)").arg(severity, i.service, names.join(QStringLiteral(", ")));
            return false;
        }
        if (level->name == i.severity) {
            *err = QStringLiteral("incident #%1 already is %2").arg(i.id).arg(level->name);
            return false;
        }
        e.kind = QStringLiteral("severity_changed");
        e.text = QStringLiteral("%1 → %2").arg(i.severity, level->name);
        i.severity = level->name;
        return true;
    }, error);
}

bool IncidentManager::mitigate(qint64 id, const QString &actor, const QString &text, QString *error)
{
    return change(id, actor, QStringLiteral("incident.mitigate"), [&](Incident &i, IncidentEvent &e, QString *err) {
        if (i.state == IncidentState::Resolved || i.state == IncidentState::Mitigated) {
            *err = QStringLiteral("incident #%1 is already %2").arg(i.id).arg(incidentStateName(i.state));
            return false;
        }
        i.state = IncidentState::Mitigated;
        i.mitigatedAtMs = e.atMs;
        if (i.acknowledgedAtMs == 0)
            i.acknowledgedAtMs = e.atMs; // mitigating is acting on it
        e.kind = QStringLiteral("mitigated");
        e.text = text;
        return true;
    }, error);
}

bool IncidentManager::resolve(qint64 id, const QString &actor, const Resolution &r, QString *error)
{
    return change(id, actor, QStringLiteral("incident.resolve"), [&](Incident &i, IncidentEvent &e, QString *err) {
        if (i.state == IncidentState::Resolved) {
            *err = QStringLiteral("incident #%1 is already resolved").arg(i.id);
            return false;
        }
        i.state = IncidentState::Resolved;
        i.resolvedAtMs = e.atMs;
        if (!r.rootCause.isEmpty())
            i.rootCause = r.rootCause;
        if (!r.resolution.isEmpty())
            i.resolution = r.resolution;
        if (!r.prevention.isEmpty())
            i.prevention = r.prevention;
        e.kind = QStringLiteral("resolved");
        e.text = r.text.isEmpty() ? QStringLiteral("resolved by hand") : r.text;
        return true;
    }, error);
}

bool IncidentManager::tickChecklist(qint64 id, const QString &actor, const QString &item, bool ticked, QString *error)
{
    return change(id, actor, QStringLiteral("incident.checklist"), [&](Incident &, IncidentEvent &e, QString *) {
        e.kind = QStringLiteral("checklist");
        e.text = (ticked ? QStringLiteral("☑ ") : QStringLiteral("☐ ")) + item;
        return true;
    }, error);
}

bool IncidentManager::recordAction(qint64 id, const QString &actor, const QString &text, QString *error)
{
    return change(id, actor, QString(), [&](Incident &, IncidentEvent &e, QString *) {
        e.kind = QStringLiteral("action");
        e.text = text;
        return true;
    }, error);
}

bool IncidentManager::recordFailover(qint64 id, const QString &actor, const QString &text, QString *error)
{
    return change(id, actor, QString(), [&](Incident &, IncidentEvent &e, QString *) {
        e.kind = QStringLiteral("failover");
        e.text = text;
        return true;
    }, error);
}

std::optional<Incident> IncidentManager::openByHand(const QString &service, const QString &title, const QString &severity,
                                                    const QString &actor, QString *error)
{
    const ServiceConfig *s = m_config.service(service);
    if (!s) {
        *error = QStringLiteral("no service `%1`").arg(service);
        return std::nullopt;
    }
    const SeverityScheme *scheme = m_config.scheme(*s);
    const SeverityLevel *level = scheme ? scheme->level(severity) : nullptr;
    if (!level) {
        *error = QStringLiteral("no level `%1` in %2's scheme %3").arg(severity, service, s->severityScheme);
        return std::nullopt;
    }
    Incident i;
    i.service = service;
    // Each incident opened by hand is its own cause: several may be open at once.
    i.cause = QStringLiteral("manual-%1").arg(m_clock->nowMs());
    i.severity = level->name;
    i.title = title;
    i.impact = service;
    i.openedAtMs = m_clock->nowMs();
    i.autoResolve = false;
    const IncidentEvent first{0, i.openedAtMs, QStringLiteral("detected"), actor, QStringLiteral("opened by hand")};
    if (m_store->create(i, first, error) != IncidentStore::Created::New)
        return std::nullopt;
    audit(actor, QStringLiteral("incident.open"), i, title);
    emit incidentOpened(i);
    emit incidentChanged(i);
    notify(i, QStringLiteral("opened"), IncidentTemplates::detected(i));
    arm();
    return i;
}

std::optional<Incident> IncidentManager::openIncidentFor(const QString &service) const
{
    std::optional<Incident> best;
    int bestRank = 1 << 30;
    const ServiceConfig *s = m_config.service(service);
    const SeverityScheme *scheme = s ? m_config.scheme(*s) : nullptr;
    for (const Incident &i : m_store->list(true, service)) {
        const int rank = scheme ? scheme->rank(i.severity) : 0;
        if (!best || rank < bestRank) {
            best = i;
            bestRank = rank;
        }
    }
    return best;
}

QList<Incident> IncidentManager::openIncidents() const
{
    return m_store->list(true);
}

void IncidentManager::checkTimers()
{
    const qint64 now = m_clock->nowMs();
    // Degraded for long enough.
    for (auto it = m_degradedSince.cbegin(); it != m_degradedSince.cend(); ++it) {
        const IncidentRule *r = rule(it.key(), IncidentCause::Degraded);
        if (r && now - it.value() >= r->forMs && !m_store->openFor(it.key(), incidentCauseName(IncidentCause::Degraded)))
            open(it.key(), IncidentCause::Degraded,
                 QStringLiteral("%1 degraded for %2").arg(it.key(), Duration::format(now - it.value())),
                 QStringLiteral("degraded since %1").arg(Duration::format(now - it.value()) + QStringLiteral(" ago")), false);
    }
    // Overdue response targets.
    for (const Incident &open : m_store->list(true)) {
        const ServiceConfig *s = m_config.service(open.service);
        const SeverityScheme *scheme = s ? m_config.scheme(*s) : nullptr;
        const SeverityLevel *level = scheme ? scheme->level(open.severity) : nullptr;
        if (!level)
            continue;
        const Incident i = withTimeline(open.id);
        for (const Target &t : targets(i, *level)) {
            const QString key = QString::number(i.id) + u'/' + QLatin1String(t.name);
            if (t.met || now < t.deadline || m_escalated.contains(key))
                continue;
            m_escalated.insert(key);
            IncidentEvent e{0, now, QStringLiteral("escalated"), kOpsDeck,
                            QStringLiteral("%1: not done within the %2 target of %3 (due %4 ago)")
                                .arg(QLatin1String(t.name), level->name,
                                     level->nextBusinessDay && QLatin1String(t.name) == u"acknowledge"
                                         ? QStringLiteral("the next business day")
                                         : Duration::format(t.deadline - i.openedAtMs),
                                     Duration::format(now - t.deadline))};
            QString error;
            if (!m_store->addEvent(i.id, e, &error)) {
                qCWarning(lcState) << "escalation of incident" << i.id << ":" << error;
                continue;
            }
            const Incident updated = withTimeline(i.id);
            emit incidentChanged(updated);
            notify(updated, QStringLiteral("escalated"), QStringLiteral("⏰ OVERDUE: %1\n%2").arg(i.title, e.text));
        }
    }
    arm();
}

QList<IncidentManager::ResponseTarget> IncidentManager::responseTargets(const Incident &incident) const
{
    const ServiceConfig *s = m_config.service(incident.service);
    const SeverityScheme *scheme = s ? m_config.scheme(*s) : nullptr;
    const SeverityLevel *level = scheme ? scheme->level(incident.severity) : nullptr;
    QList<ResponseTarget> out;
    if (!level)
        return out;
    for (const Target &t : targets(incident, *level))
        out.append({QLatin1String(t.name), t.deadline, t.met});
    return out;
}

void IncidentManager::arm()
{
    if (!m_rearm.isActive())
        m_rearm.start();
}

void IncidentManager::rearm()
{
    const qint64 now = m_clock->nowMs();
    qint64 next = std::numeric_limits<qint64>::max();
    for (auto it = m_degradedSince.cbegin(); it != m_degradedSince.cend(); ++it)
        if (const IncidentRule *r = rule(it.key(), IncidentCause::Degraded))
            next = qMin(next, it.value() + r->forMs);
    for (const Incident &open : m_store->list(true)) {
        const ServiceConfig *s = m_config.service(open.service);
        const SeverityScheme *scheme = s ? m_config.scheme(*s) : nullptr;
        const SeverityLevel *level = scheme ? scheme->level(open.severity) : nullptr;
        if (!level)
            continue;
        for (const Target &t : targets(open, *level))
            if (!t.met && !m_escalated.contains(QString::number(open.id) + u'/' + QLatin1String(t.name)))
                next = qMin(next, t.deadline);
    }
    if (next == std::numeric_limits<qint64>::max()) {
        m_timer.stop();
        return;
    }
    m_timer.start(int(qBound(kMinTickMs, next - now, kMaxTickMs)));
}
