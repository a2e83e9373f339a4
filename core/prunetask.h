#pragma once

#include "backupinventory.h"
#include "builtintask.h"

// `builtin: prune` — retention of a backup folder (`to`): keeps the newest `keep_last` and/or those
// younger than `keep_for` (the newest backup is always kept), removes the rest with their
// manifests. Files considered: every file of the folder except manifests, hidden (temporary) files
// and pre-restore snapshots, which stay until the operator removes them. Ages come from the stamp
// in the name, else the modification time. The preview names exactly the files it would remove.
class PruneTask final : public BuiltinTask
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PruneTask)

public:
    using BuiltinTask::BuiltinTask;
    QStringList preview() const override;

    // Preview lines for `plan` (what is removed, what is kept and why).
    static QStringList describe(const PrunePlan &plan, int keepLast, qint64 keepForMs);
    // Removes the plan's files and their manifests; each removal is said; errors are returned.
    static QStringList removeFiles(const PrunePlan &plan, const Work &work);
    // A backup action's pruning after a new backup (its keep_last/keep_for), saying what it did.
    // Returns the summary part ("pruned 2 old backup(s), 3 kept") or "" when nothing was removed.
    static QString afterBackup(const ActionConfig &action, const Work &work, QStringList *errors);

protected:
    ActionOutcome run(Work &work) override;

private:
    PrunePlan plan(qint64 nowMs, QString *error) const;
};
