#include "restoretask.h"

#include "backupinventory.h"
#include "sqlitebackup.h"
#include "sqlitebackuptask.h"

#include <QFileInfo>

QString RestoreTask::snapshotDir() const
{
    const ActionConfig &a = context().action;
    return a.to.isEmpty() ? QFileInfo(a.source).absolutePath() : a.to;
}

QStringList RestoreTask::preview() const
{
    const ActionConfig &a = context().action;
    QString from = a.from;
    if (from.isEmpty()) {
        QString error;
        const auto newest = BackupInventory::newestRestorable(a.to, builtinKindName(BuiltinKind::SqliteBackup), &error);
        from = newest ? newest->path : QStringLiteral("(the newest backup in %1: %2)").arg(a.to, error);
    }
    return {QStringLiteral("check %1: sha256 against its manifest, PRAGMA integrity_check").arg(from),
            QStringLiteral("snapshot the current %1 into %2/%3%4-<UTC yyyyMMddTHHmmssZ>.sqlite (online backup, with manifest)")
                .arg(a.source, snapshotDir(), QLatin1String(BackupFiles::kSnapshotPrefix), a.name),
            QStringLiteral("restore %1 into %2 (SQLite backup API), then compare row counts with the manifest").arg(from, a.source)};
}

ActionOutcome RestoreTask::run(Work &work)
{
    const ActionConfig &a = context().action;
    QString error;
    const auto source = BackupInventory::restoreSource(a, builtinKindName(BuiltinKind::SqliteBackup),
                                                       [&work](const QString &line) { work.say(line); }, &error);
    if (!source)
        return failed(error);
    const QString from = source->path;
    const std::optional<BackupManifest> &manifest = source->manifest;
    const auto integrity = SqliteBackup::integrityCheck(from, &error);
    if (!integrity)
        return failed(QStringLiteral("nothing restored: ") + error);
    if (*integrity != u"ok")
        return failed(QStringLiteral("nothing restored: integrity_check of %1 failed: %2").arg(from, *integrity));
    if (work.cancelled())
        return failed(QStringLiteral("nothing restored"));

    // The snapshot first: whatever the live database holds now stays recoverable.
    BackupManifest snap;
    snap.kind = builtinKindName(BuiltinKind::SqliteBackup);
    snap.service = context().service;
    snap.action = a.name;
    snap.snapshot = true;
    snap.reason = QStringLiteral("taken before restoring %1").arg(QFileInfo(from).fileName());
    const QString snapshot = SqliteBackupTask::backUp(work, a.source, snapshotDir(),
                                                      QLatin1String(BackupFiles::kSnapshotPrefix) + a.name, snap, &error);
    if (snapshot.isEmpty())
        return failed(QStringLiteral("nothing restored: the snapshot of %1 failed: %2").arg(a.source, error));
    work.say(QStringLiteral("snapshot of the current database: %1").arg(snapshot));
    if (work.cancelled())
        return failed(QStringLiteral("nothing restored (the snapshot %1 was kept)").arg(snapshot));

    work.say(QStringLiteral("restoring %1 into %2").arg(from, a.source));
    error = SqliteBackup::restoreInto(from, a.source);
    if (!error.isEmpty())
        return failed(QStringLiteral("%1 (the snapshot of what was there: %2)").arg(error, snapshot));
    QString summary = QStringLiteral("restored %1 into %2; the previous content is in %3")
                          .arg(QFileInfo(from).fileName(), a.source, QFileInfo(snapshot).fileName());
    if (manifest && manifest->tables) {
        const auto counts = SqliteBackup::tableCounts(a.source, &error);
        if (!counts)
            return failed(summary + QStringLiteral("; but it cannot be read back: ") + error);
        const QStringList diff = BackupFiles::countDifferences(*manifest->tables, *counts);
        if (!diff.isEmpty())
            return failed(summary + QStringLiteral("; but its row counts differ from the backup's manifest: ")
                          + diff.join(QStringLiteral(", ")));
        summary += QStringLiteral("; row counts of %1 tables match the backup").arg(counts->size());
    }
    return succeeded(summary);
}
