#pragma once

#include "backupmanifest.h"
#include "builtintask.h"

class PgTarget;

// `builtin: pg-dump` — `pg_dump --format=custom` of the database `source` (a postgresql:// URL; the
// password reaches pg_dump through PGPASSWORD, never argv) into `to/<action>-<stamp>.dump` with a
// manifest: the row count of every table, counted in a REPEATABLE READ transaction whose snapshot
// pg_dump itself uses (--snapshot), so the counts are exactly what the dump holds; sha256.
class PgDumpTask final : public BuiltinTask
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PgDumpTask)

public:
    using BuiltinTask::BuiltinTask;
    QStringList preview() const override;

    // Dumps `target` into `dir` as `<prefix>-<stamp>.dump` with its manifest; the path written, or
    // "" and *error. Used for backups and for the snapshot before a restore.
    static QString dump(const Work &work, const PgTarget &target, const QString &dir, const QString &prefix,
                        BackupManifest manifest, QString *error);

protected:
    ActionOutcome run(Work &work) override;
};
