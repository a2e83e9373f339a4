#include "pgrestoretask.h"

#include "backupinventory.h"
#include "pgdumptask.h"
#include "pgtarget.h"

#include <QAtomicInteger>
#include <QFileInfo>

QStringList PgRestoreTask::preview() const
{
    const ActionConfig &a = context().action;
    QString error;
    const auto target = PgTarget::parse(a.source, &error);
    if (!target)
        return {error};
    QString from = a.from;
    if (from.isEmpty()) {
        const auto newest = BackupInventory::newestRestorable(a.to, builtinKindName(BuiltinKind::PgDump), &error);
        from = newest ? newest->path : QStringLiteral("(the newest backup in %1: %2)").arg(a.to, error);
    }
    const QString conn = target->connectionArgs().join(u' ');
    return {QStringLiteral("check %1: sha256 against its manifest; pg_restore --list %1").arg(from),
            QStringLiteral("snapshot: pg_dump --format=custom of %1 into %2/%3%4-<UTC yyyyMMddTHHmmssZ>.dump (with manifest)")
                .arg(target->display(), a.to, QLatin1String(BackupFiles::kSnapshotPrefix), a.name),
            QStringLiteral("pg_restore --clean --if-exists --single-transaction %1 --dbname %2 %3 (password through PGPASSWORD)")
                .arg(conn, target->database(), from),
            QStringLiteral("compare the row counts of every table with the backup's manifest")};
}

ActionOutcome PgRestoreTask::run(Work &work)
{
    const ActionConfig &a = context().action;
    QString error;
    const auto target = PgTarget::parse(a.source, &error);
    if (!target)
        return failed(error);
    const auto source = BackupInventory::restoreSource(a, builtinKindName(BuiltinKind::PgDump),
                                                       [&work](const QString &line) { work.say(line); }, &error);
    if (!source)
        return failed(error);
    const QString from = source->path;
    const std::optional<BackupManifest> &manifest = source->manifest;
    ProcessRunner::Options list;
    list.argv = {QStringLiteral("pg_restore"), QStringLiteral("--list"), from};
    list.timeoutMs = 10 * 60'000;
    list.maxOutputBytes = 16 << 20;
    // --list prints the archive's table of contents; streaming it would bury the rest.
    const ProcessRunner::Outcome listed = work.runProcess(list, false);
    if (!listed.started || listed.timedOut || listed.crashed || listed.exitCode != 0)
        return failed(QStringLiteral("nothing restored: ") + processFailure(QStringLiteral("pg_restore --list"), listed));
    if (work.cancelled())
        return failed(QStringLiteral("nothing restored"));

    BackupManifest snap;
    snap.kind = builtinKindName(BuiltinKind::PgDump);
    snap.service = context().service;
    snap.action = a.name;
    snap.snapshot = true;
    snap.reason = QStringLiteral("taken before restoring %1").arg(QFileInfo(from).fileName());
    const QString snapshot = PgDumpTask::dump(work, *target, a.to, QLatin1String(BackupFiles::kSnapshotPrefix) + a.name, snap, &error);
    if (snapshot.isEmpty())
        return failed(QStringLiteral("nothing restored: the snapshot of %1 failed: %2").arg(target->display(), error));
    work.say(QStringLiteral("snapshot of the current data: %1").arg(snapshot));
    if (work.cancelled())
        return failed(QStringLiteral("nothing restored (the snapshot %1 was kept)").arg(snapshot));

    work.say(QStringLiteral("restoring %1 into %2").arg(from, target->display()));
    ProcessRunner::Options o;
    o.argv = QStringList{QStringLiteral("pg_restore"), QStringLiteral("--clean"), QStringLiteral("--if-exists"),
                         QStringLiteral("--single-transaction")}
        + target->connectionArgs() + QStringList{QStringLiteral("--dbname"), target->database(), from};
    o.environment = target->environment();
    o.timeoutMs = std::numeric_limits<int>::max();
    const ProcessRunner::Outcome out = work.runProcess(o);
    if (!out.started || out.timedOut || out.crashed || out.exitCode != 0)
        return failed(QStringLiteral("%1; the database is as it was (one transaction); the snapshot: %2")
                          .arg(processFailure(QStringLiteral("pg_restore"), out), snapshot),
                      out.exitCode);
    QString summary = QStringLiteral("restored %1 into %2; the previous data is in %3")
                          .arg(QFileInfo(from).fileName(), target->database(), QFileInfo(snapshot).fileName());
    if (manifest && manifest->tables) {
        static QAtomicInteger<quint64> serial;
        const QString connection = QStringLiteral("opsdeck-pgrestore-%1").arg(serial.fetchAndAddRelaxed(1));
        std::optional<QMap<QString, qint64>> counts;
        if (target->open(connection, &error)) {
            counts = PgTarget::tableCounts(QSqlDatabase::database(connection, false), &error);
            QSqlDatabase::database(connection, false).close();
        }
        QSqlDatabase::removeDatabase(connection);
        if (!counts)
            return failed(summary + QStringLiteral("; but it cannot be read back: ") + error);
        const QStringList diff = BackupFiles::countDifferences(*manifest->tables, *counts);
        if (!diff.isEmpty())
            return failed(summary + QStringLiteral("; but its row counts differ from the backup's manifest: ") + diff.join(QStringLiteral(", ")));
        summary += QStringLiteral("; row counts of %1 tables match the backup").arg(counts->size());
    }
    return succeeded(summary);
}
