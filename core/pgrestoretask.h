#pragma once

#include "builtintask.h"

// `builtin: pg-restore` (and `restore` with a postgresql:// `source`) — restores a pg-dump backup
// (`from`, or the newest pg-dump with a manifest in `to`) into the database `source`. First the
// backup is checked (sha256 against its manifest, `pg_restore --list`), then a snapshot of the
// current data is dumped into `to/pre-restore-<action>-<stamp>.dump` (with a manifest), then
// `pg_restore --clean --if-exists --single-transaction` (all or nothing), then the row counts are
// compared with the backup's manifest. Always needs the operator's confirmation.
class PgRestoreTask final : public BuiltinTask
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PgRestoreTask)

public:
    using BuiltinTask::BuiltinTask;
    QStringList preview() const override;

protected:
    ActionOutcome run(Work &work) override;
};
