#include "prunetask.h"

#include "clock.h"
#include "duration.h"

#include <QDateTime>
#include <QFile>
#include <QTimeZone>

namespace {

QString when(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss'Z'"));
}

QString rules(int keepLast, qint64 keepForMs)
{
    QStringList r;
    if (keepLast > 0)
        r << QStringLiteral("the newest %1").arg(keepLast);
    if (keepForMs > 0)
        r << QStringLiteral("those younger than %1").arg(Duration::format(keepForMs));
    return r.join(QStringLiteral(" and "));
}

} // namespace

PrunePlan PruneTask::plan(qint64 nowMs, QString *error) const
{
    const ActionConfig &a = context().action;
    return BackupInventory::planPrune(BackupInventory::filesIn(a.to, QString(), false, error), a.keepLast, a.keepForMs, nowMs);
}

QStringList PruneTask::describe(const PrunePlan &plan, int keepLast, qint64 keepForMs)
{
    QStringList lines;
    for (const BackupFile &f : plan.remove)
        lines << QStringLiteral("remove %1 (taken %2) and its manifest").arg(f.path, when(f.takenAtMs));
    for (const BackupFile &f : plan.keep)
        lines << QStringLiteral("keep %1 (taken %2)").arg(f.path, when(f.takenAtMs));
    if (plan.remove.isEmpty())
        lines << QStringLiteral("nothing to remove: keeping %1").arg(rules(keepLast, keepForMs));
    return lines;
}

QStringList PruneTask::preview() const
{
    const ActionConfig &a = context().action;
    QString error;
    const PrunePlan p = plan(nowMs(), &error);
    QStringList lines{QStringLiteral("prune %1: keep %2 (the newest backup is always kept)").arg(a.to, rules(a.keepLast, a.keepForMs))};
    if (!error.isEmpty())
        return lines << error;
    return lines + describe(p, a.keepLast, a.keepForMs);
}

QStringList PruneTask::removeFiles(const PrunePlan &plan, const Work &work)
{
    QStringList errors;
    for (const BackupFile &f : plan.remove) {
        if (work.cancelled()) {
            errors << QStringLiteral("stopped before removing %1").arg(f.name);
            break;
        }
        QFile file(f.path);
        if (!file.remove()) {
            errors << QStringLiteral("cannot remove %1: %2").arg(f.path, file.errorString());
            continue;
        }
        QFile::remove(BackupManifest::pathFor(f.path));
        work.say(QStringLiteral("removed %1 (taken %2)").arg(f.path, when(f.takenAtMs)));
    }
    return errors;
}

QString PruneTask::afterBackup(const ActionConfig &action, const Work &work, QStringList *errors)
{
    if (action.keepLast <= 0 && action.keepForMs <= 0)
        return {};
    QString error;
    const PrunePlan p = BackupInventory::planPrune(BackupInventory::backupsOf(action, &error), action.keepLast,
                                                   action.keepForMs, work.nowMs());
    if (!error.isEmpty()) {
        *errors << error;
        return {};
    }
    *errors << removeFiles(p, work);
    if (p.remove.isEmpty())
        return {};
    return QStringLiteral("pruned %1 old backup(s), %2 kept").arg(p.remove.size()).arg(p.keep.size());
}

ActionOutcome PruneTask::run(Work &work)
{
    const ActionConfig &a = context().action;
    if (a.keepLast <= 0 && a.keepForMs <= 0)
        return failed(QStringLiteral("prune needs keep_last or keep_for; nothing removed"));
    QString error;
    const PrunePlan p = plan(work.nowMs(), &error);
    if (!error.isEmpty())
        return failed(error);
    for (const BackupFile &f : p.keep)
        work.say(QStringLiteral("keep %1").arg(f.name));
    const QStringList errors = removeFiles(p, work);
    if (!errors.isEmpty())
        return failed(errors.join(QStringLiteral("; ")));
    return succeeded(QStringLiteral("removed %1 backup(s) from %2, kept %3").arg(p.remove.size()).arg(a.to).arg(p.keep.size()));
}
