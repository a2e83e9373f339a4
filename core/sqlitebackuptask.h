#pragma once

#include "backupmanifest.h"
#include "builtintask.h"

// `builtin: sqlite-backup` — an online backup of the SQLite database `source` into
// `to/<action>-<UTC yyyyMMddTHHmmssZ>.sqlite` through SQLite's backup API (consistent while the
// service keeps writing), written under a hidden temporary name and renamed when complete, with a
// manifest (row counts of every table read from the backup itself, sha256); then the action's
// keep_last/keep_for retention.
class SqliteBackupTask final : public BuiltinTask
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SqliteBackupTask)

public:
    using BuiltinTask::BuiltinTask;
    QStringList preview() const override;

    // Backs `source` up into `dir` as `<prefix>-<stamp>.sqlite` with its manifest (`kind`,
    // `snapshot`/`reason` as given); the path written, or "" and *error.
    static QString backUp(const Work &work, const QString &source, const QString &dir, const QString &prefix,
                          BackupManifest manifest, QString *error);

protected:
    ActionOutcome run(Work &work) override;
};
