#include "sqlitebackuptask.h"

#include "backupinventory.h"
#include "prunetask.h"
#include "sqlitebackup.h"

#include <QDir>
#include <QFileInfo>

QStringList SqliteBackupTask::preview() const
{
    const ActionConfig &a = context().action;
    QStringList lines{
        QStringLiteral("SQLite online backup of %1 into %2/%3-<UTC yyyyMMddTHHmmssZ>.sqlite").arg(a.source, a.to, a.name),
        QStringLiteral("write its manifest (row counts of every table, sha256) next to it")};
    if (a.keepLast > 0 || a.keepForMs > 0) {
        QList<BackupFile> files = BackupInventory::backupsOf(a);
        files.prepend(BackupFile{QStringLiteral("(the new backup)"), QString(), 0, std::numeric_limits<qint64>::max(), {}, {}});
        const PrunePlan plan = BackupInventory::planPrune(files, a.keepLast, a.keepForMs, nowMs());
        for (const BackupFile &f : plan.remove)
            lines << QStringLiteral("then remove %1 and its manifest (retention)").arg(f.path);
    }
    return lines;
}

QString SqliteBackupTask::backUp(const Work &work, const QString &source, const QString &dir, const QString &prefix,
                                 BackupManifest manifest, QString *error)
{
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("cannot create the backup folder %1").arg(dir);
        return {};
    }
    const qint64 now = work.nowMs();
    const QString finalPath = QDir(dir).filePath(BackupFiles::freeName(dir, prefix, now, QStringLiteral(".sqlite")));
    const QString temp = QDir(dir).filePath(u'.' + QFileInfo(finalPath).fileName() + QStringLiteral(".partial"));
    work.say(QStringLiteral("backing up %1 into %2").arg(source, finalPath));
    int lastPercent = -1;
    const QString copyError = SqliteBackup::copy(source, temp, work.cancelFlag(), [&](int done, int total) {
        const int percent = total > 0 ? int(qint64(done) * 100 / total) : 100;
        if (percent / 25 != lastPercent / 25 && total > 1000)
            work.say(QStringLiteral("%1 of %2 pages").arg(done).arg(total));
        lastPercent = percent;
    });
    if (!copyError.isEmpty()) {
        QFile::remove(temp);
        *error = copyError;
        return {};
    }
    QString why;
    const auto counts = SqliteBackup::tableCounts(temp, &why);
    if (!counts) {
        QFile::remove(temp);
        *error = QStringLiteral("the backup cannot be read back: ") + why;
        return {};
    }
    manifest.source = QFileInfo(source).absoluteFilePath();
    manifest.takenAtMs = now;
    manifest.tables = *counts;
    if (!BackupFiles::publish(temp, finalPath, manifest, error))
        return {};
    qint64 rows = 0;
    for (qint64 n : *counts)
        rows += n;
    work.say(QStringLiteral("wrote %1 (%2 bytes; %3 tables, %4 rows) and its manifest")
                 .arg(finalPath).arg(QFileInfo(finalPath).size()).arg(counts->size()).arg(rows));
    return finalPath;
}

ActionOutcome SqliteBackupTask::run(Work &work)
{
    const ActionConfig &a = context().action;
    BackupManifest m;
    m.kind = builtinKindName(BuiltinKind::SqliteBackup);
    m.service = context().service;
    m.action = a.name;
    QString error;
    const QString path = backUp(work, a.source, a.to, a.name, m, &error);
    if (path.isEmpty())
        return failed(error);
    QStringList errors;
    const QString pruned = PruneTask::afterBackup(a, work, &errors);
    const QString summary = QStringLiteral("backed up %1 to %2").arg(QFileInfo(a.source).fileName(), QFileInfo(path).fileName())
        + (pruned.isEmpty() ? QString() : QStringLiteral("; ") + pruned);
    if (!errors.isEmpty())
        return failed(summary + QStringLiteral("; but ") + errors.join(QStringLiteral("; ")));
    return succeeded(summary);
}
