#include "builtintasks.h"

#include "pgdumptask.h"
#include "pgrestoretask.h"
#include "prunetask.h"
#include "restoretask.h"
#include "rotatesecrettask.h"
#include "sqlitebackuptask.h"
#include "tararchivetask.h"

ActionTask *createBuiltinTask(const ActionTask::Context &context, QObject *parent)
{
    if (context.action.kind != ActionKind::Builtin)
        return nullptr;
    switch (context.action.builtin) {
    case BuiltinKind::SqliteBackup: return new SqliteBackupTask(context, parent);
    case BuiltinKind::PgDump: return new PgDumpTask(context, parent);
    case BuiltinKind::PgRestore: return new PgRestoreTask(context, parent);
    case BuiltinKind::TarArchive: return new TarArchiveTask(context, parent);
    case BuiltinKind::Prune: return new PruneTask(context, parent);
    case BuiltinKind::RotateSecret: return new RotateSecretTask(context, parent);
    case BuiltinKind::Restore:
        // One `restore` for both stores: the source says which.
        if (context.action.source.startsWith(QLatin1String("postgresql://")) || context.action.source.startsWith(QLatin1String("postgres://")))
            return new PgRestoreTask(context, parent);
        return new RestoreTask(context, parent);
    }
    return nullptr;
}
