#include "maintenanceschedule.h"

#include "opsdatabase.h"
#include "sqldialect.h"

#include <QSqlError>
#include <QSqlQuery>

namespace {
constexpr qint64 kReloadMs = 2'000;

bool covers(const QStringList &services, const QString &service)
{
    return services.isEmpty() || services.contains(service);
}
} // namespace

MaintenanceSchedule::MaintenanceSchedule(const OpsDatabase *db)
    : m_db(db)
{
}

void MaintenanceSchedule::setPlanned(const QList<MaintenanceWindow> &windows)
{
    m_planned = windows;
    m_crons.clear();
    for (const MaintenanceWindow &w : windows) {
        QString ignored;
        m_crons << (w.cron.isEmpty() ? std::nullopt : CronExpression::parse(w.cron, &ignored));
    }
}

void MaintenanceSchedule::reload(qint64 nowMs) const
{
    if (!m_db || !m_db->isOpen() || (m_loadedAtMs >= 0 && nowMs - m_loadedAtMs < kReloadMs && nowMs >= m_loadedAtMs))
        return;
    m_loadedAtMs = nowMs;
    m_adHoc.clear();
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("SELECT id, service, starts_at, ends_at, reason, actor, count_in_slo FROM maintenance_windows "
                             "WHERE ends_at > ? ORDER BY starts_at"));
    q.addBindValue(nowMs);
    if (!q.exec())
        return;
    while (q.next()) {
        Window w;
        w.id = q.value(0).toLongLong();
        if (!q.value(1).toString().isEmpty())
            w.services << q.value(1).toString();
        w.startMs = q.value(2).toLongLong();
        w.endMs = q.value(3).toLongLong();
        w.reason = q.value(4).toString();
        w.actor = q.value(5).toString();
        w.countInSlo = q.value(6).toInt() != 0;
        m_adHoc << w;
    }
}

std::optional<MaintenanceSchedule::Window> MaintenanceSchedule::activeFor(const QString &service, qint64 nowMs) const
{
    reload(nowMs);
    for (const Window &w : std::as_const(m_adHoc))
        if (w.startMs <= nowMs && nowMs < w.endMs && covers(w.services, service))
            return w;
    for (qsizetype i = 0; i < m_planned.size(); ++i) {
        const MaintenanceWindow &p = m_planned[i];
        if (!covers(p.services, service))
            continue;
        Window w;
        w.services = p.services;
        w.reason = p.reason;
        w.countInSlo = p.countInSlo;
        w.planned = true;
        w.cron = p.cron;
        if (m_crons[i]) {
            if (m_crons[i]->activeAt(nowMs, p.lengthMs)) {
                // The occurrence that is running: the latest matching minute within its length.
                for (qint64 t = nowMs - nowMs % 60'000; t > nowMs - p.lengthMs; t -= 60'000) {
                    if (m_crons[i]->matches(t)) {
                        w.startMs = t;
                        break;
                    }
                }
                w.endMs = w.startMs + p.lengthMs;
                return w;
            }
        } else if (p.startMs <= nowMs && nowMs < p.endMs) {
            w.startMs = p.startMs;
            w.endMs = p.endMs;
            return w;
        }
    }
    return std::nullopt;
}

QList<MaintenanceSchedule::Window> MaintenanceSchedule::windows(qint64 nowMs, qint64 aheadMs) const
{
    reload(nowMs);
    QList<Window> out = m_adHoc;
    for (qsizetype i = 0; i < m_planned.size(); ++i) {
        const MaintenanceWindow &p = m_planned[i];
        Window w;
        w.services = p.services;
        w.reason = p.reason;
        w.countInSlo = p.countInSlo;
        w.planned = true;
        w.cron = p.cron;
        if (m_crons[i]) {
            qint64 next = m_crons[i]->next(nowMs - p.lengthMs);
            if (next >= 0 && next <= nowMs + aheadMs) {
                w.startMs = next;
                w.endMs = next + p.lengthMs;
                out << w;
            }
        } else if (p.endMs > nowMs && p.startMs <= nowMs + aheadMs) {
            w.startMs = p.startMs;
            w.endMs = p.endMs;
            out << w;
        }
    }
    std::sort(out.begin(), out.end(), [](const Window &a, const Window &b) { return a.startMs < b.startMs; });
    return out;
}

std::optional<qint64> MaintenanceSchedule::start(const QString &service, qint64 nowMs, qint64 durationMs, const QString &reason,
                                                 const QString &actor, bool countInSlo, QString *error)
{
    if (!m_db || !m_db->isOpen()) {
        *error = QStringLiteral("ad hoc maintenance needs the store, which is not open");
        return std::nullopt;
    }
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("INSERT INTO maintenance_windows (service, starts_at, ends_at, reason, actor, created_at, count_in_slo) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(service);
    q.addBindValue(nowMs);
    q.addBindValue(nowMs + durationMs);
    q.addBindValue(storedText(reason));
    q.addBindValue(actor);
    q.addBindValue(nowMs);
    q.addBindValue(countInSlo ? 1 : 0);
    if (!q.exec()) {
        *error = q.lastError().text();
        return std::nullopt;
    }
    m_loadedAtMs = -1;
    return q.lastInsertId().toLongLong();
}

bool MaintenanceSchedule::stop(const QString &service, qint64 nowMs, QString *error)
{
    if (!m_db || !m_db->isOpen()) {
        *error = QStringLiteral("ad hoc maintenance needs the store, which is not open");
        return false;
    }
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("UPDATE maintenance_windows SET ends_at = ? WHERE service = ? AND starts_at <= ? AND ends_at > ?"));
    q.addBindValue(nowMs);
    q.addBindValue(service);
    q.addBindValue(nowMs);
    q.addBindValue(nowMs);
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    m_loadedAtMs = -1;
    if (q.numRowsAffected() == 0) {
        *error = QStringLiteral("`%1` has no ad hoc maintenance running").arg(service);
        return false;
    }
    return true;
}
