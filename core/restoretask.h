#pragma once

#include "builtintask.h"

// `builtin: restore` — puts an SQLite backup back into the live database `source`: the backup is
// `from`, or the newest sqlite-backup with a manifest in `to`. Before anything changes, the backup
// is checked (its sha256 against its manifest, PRAGMA integrity_check) and a snapshot of the
// current database is taken with the online backup API into
// `to/pre-restore-<action>-<stamp>.sqlite` (with a manifest) — so nothing recorded is lost. Then
// the backup is copied into `source` through the backup API and its row counts are compared with
// the manifest. Always needs the operator's confirmation (the loader sets `confirm`).
// (A `restore` whose `source` is a postgresql:// URL is the pg-restore task.)
class RestoreTask final : public BuiltinTask
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RestoreTask)

public:
    using BuiltinTask::BuiltinTask;
    QStringList preview() const override;

protected:
    ActionOutcome run(Work &work) override;

private:
    QString snapshotDir() const;
};
