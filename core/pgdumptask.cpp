#include "pgdumptask.h"

#include "backupinventory.h"
#include "pgtarget.h"
#include "prunetask.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSqlQuery>
#include <QVariant>

QStringList PgDumpTask::preview() const
{
    const ActionConfig &a = context().action;
    QString error;
    const auto target = PgTarget::parse(a.source, &error);
    if (!target)
        return {error};
    QStringList lines{
        QStringLiteral("count the rows of every table of %1 in one REPEATABLE READ snapshot").arg(target->display()),
        QStringLiteral("pg_dump --format=custom --snapshot=<that snapshot> --file %1/%2-<UTC yyyyMMddTHHmmssZ>.dump %3 %4 (password through PGPASSWORD)")
            .arg(a.to, a.name, target->connectionArgs().join(u' '), target->database()),
        QStringLiteral("write its manifest (row counts, sha256) next to it")};
    if (a.keepLast > 0 || a.keepForMs > 0) {
        QList<BackupFile> files = BackupInventory::backupsOf(a);
        files.prepend(BackupFile{QStringLiteral("(the new backup)"), QString(), 0, std::numeric_limits<qint64>::max(), {}, {}});
        for (const BackupFile &f : BackupInventory::planPrune(files, a.keepLast, a.keepForMs, nowMs()).remove)
            lines << QStringLiteral("then remove %1 and its manifest (retention)").arg(f.path);
    }
    return lines;
}

QString PgDumpTask::dump(const Work &work, const PgTarget &target, const QString &dir, const QString &prefix,
                         BackupManifest manifest, QString *error)
{
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("cannot create the backup folder %1").arg(dir);
        return {};
    }
    const qint64 now = work.nowMs();
    const QString finalPath = QDir(dir).filePath(BackupFiles::freeName(dir, prefix, now, QStringLiteral(".dump")));
    const QString temp = QDir(dir).filePath(u'.' + QFileInfo(finalPath).fileName() + QStringLiteral(".partial"));
    static QAtomicInteger<quint64> serial;
    const QString connection = QStringLiteral("opsdeck-pgdump-%1").arg(serial.fetchAndAddRelaxed(1));
    QString result;
    {
        if (!target.open(connection, error)) {
            QSqlDatabase::removeDatabase(connection);
            return {};
        }
        QSqlDatabase db = QSqlDatabase::database(connection, false);
        // The counts and the dump see the same snapshot: it is exported from this transaction,
        // which stays open until pg_dump is done.
        QString snapshotId;
        if (target.exec(db, QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), error)) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT pg_export_snapshot()")) && q.next())
                snapshotId = q.value(0).toString();
            else
                *error = QStringLiteral("cannot export a snapshot of %1").arg(target.display());
        }
        std::optional<QMap<QString, qint64>> counts;
        if (!snapshotId.isEmpty())
            counts = PgTarget::tableCounts(db, error);
        if (counts) {
            work.say(QStringLiteral("dumping %1 into %2 (%3 tables)").arg(target.display(), finalPath).arg(counts->size()));
            ProcessRunner::Options o;
            o.argv = QStringList{QStringLiteral("pg_dump"), QStringLiteral("--format=custom"),
                                 QStringLiteral("--snapshot=") + snapshotId, QStringLiteral("--file"), temp}
                + target.connectionArgs() + QStringList{target.database()};
            o.environment = target.environment();
            o.timeoutMs = std::numeric_limits<int>::max();
            const ProcessRunner::Outcome out = work.runProcess(o);
            if (out.started && !out.timedOut && !out.crashed && out.exitCode == 0) {
                manifest.source = target.display();
                manifest.takenAtMs = now;
                manifest.tables = *counts;
                if (BackupFiles::publish(temp, finalPath, manifest, error))
                    result = finalPath;
            } else {
                *error = BuiltinTask::processFailure(QStringLiteral("pg_dump"), out);
                QFile::remove(temp);
            }
        }
        QString ignored; // a read-only transaction: nothing to lose if COMMIT fails
        target.exec(db, QStringLiteral("COMMIT"), &ignored);
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    if (!result.isEmpty())
        work.say(QStringLiteral("wrote %1 (%2 bytes) and its manifest").arg(result).arg(QFileInfo(result).size()));
    return result;
}

ActionOutcome PgDumpTask::run(Work &work)
{
    const ActionConfig &a = context().action;
    QString error;
    const auto target = PgTarget::parse(a.source, &error);
    if (!target)
        return failed(error);
    BackupManifest m;
    m.kind = builtinKindName(BuiltinKind::PgDump);
    m.service = context().service;
    m.action = a.name;
    const QString path = dump(work, *target, a.to, a.name, m, &error);
    if (path.isEmpty())
        return failed(error);
    QStringList errors;
    const QString pruned = PruneTask::afterBackup(a, work, &errors);
    const QString summary = QStringLiteral("dumped %1 to %2").arg(target->database(), QFileInfo(path).fileName())
        + (pruned.isEmpty() ? QString() : QStringLiteral("; ") + pruned);
    if (!errors.isEmpty())
        return failed(summary + QStringLiteral("; but ") + errors.join(QStringLiteral("; ")));
    return succeeded(summary);
}
