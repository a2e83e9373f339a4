#include "tararchivetask.h"

#include "backupinventory.h"
#include "prunetask.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>

QStringList TarArchiveTask::createArgs(const QString &archive) const
{
    QStringList argv{QStringLiteral("tar"), QStringLiteral("-czf"), archive};
    for (const QString &source : context().action.sources) {
        const QFileInfo info(QDir::cleanPath(source));
        argv << QStringLiteral("-C") << info.absolutePath() << info.fileName();
    }
    return argv;
}

QStringList TarArchiveTask::preview() const
{
    const ActionConfig &a = context().action;
    QStringList lines{createArgs(QStringLiteral("%1/%2-<UTC yyyyMMddTHHmmssZ>.tar.gz").arg(a.to, a.name)).join(u' '),
                      QStringLiteral("tar -tzf <the archive> to count its files; write its manifest (files, sha256)")};
    if (a.keepLast > 0 || a.keepForMs > 0) {
        QList<BackupFile> files = BackupInventory::backupsOf(a);
        files.prepend(BackupFile{QStringLiteral("(the new backup)"), QString(), 0, std::numeric_limits<qint64>::max(), {}, {}});
        for (const BackupFile &f : BackupInventory::planPrune(files, a.keepLast, a.keepForMs, nowMs()).remove)
            lines << QStringLiteral("then remove %1 and its manifest (retention)").arg(f.path);
    }
    return lines;
}

std::optional<qint64> TarArchiveTask::countFiles(const Work *work, const QString &archive, QString *error)
{
    ProcessRunner::Outcome out;
    const QStringList argv{QStringLiteral("tar"), QStringLiteral("-tzf"), archive};
    if (work) {
        ProcessRunner::Options o;
        o.argv = argv;
        o.timeoutMs = 30 * 60'000;
        o.maxOutputBytes = 256 << 20;
        out = work->runProcess(o, false);
    } else {
        QProcess p;
        p.start(argv.first(), argv.mid(1));
        out.started = p.waitForStarted();
        out.error = p.errorString();
        if (out.started) {
            p.waitForFinished(30 * 60'000);
            out.exitCode = p.exitCode();
            out.crashed = p.exitStatus() != QProcess::NormalExit;
            out.output = p.readAllStandardOutput() + p.readAllStandardError();
        }
    }
    if (!out.started || out.timedOut || out.crashed || out.exitCode != 0) {
        *error = processFailure(QStringLiteral("tar -tzf"), out);
        return std::nullopt;
    }
    qint64 files = 0;
    for (const QByteArray &line : out.output.split('\n'))
        if (!line.isEmpty() && !line.endsWith('/'))
            ++files;
    return files;
}

ActionOutcome TarArchiveTask::run(Work &work)
{
    const ActionConfig &a = context().action;
    if (a.sources.isEmpty())
        return failed(QStringLiteral("tar needs `sources`: the folders and files to archive"));
    for (const QString &source : a.sources)
        if (!QFileInfo::exists(source))
            return failed(QStringLiteral("nothing archived: %1 does not exist").arg(source));
    if (!QDir().mkpath(a.to))
        return failed(QStringLiteral("cannot create the backup folder %1").arg(a.to));
    const qint64 now = work.nowMs();
    const QString finalPath = QDir(a.to).filePath(BackupFiles::freeName(a.to, a.name, now, QStringLiteral(".tar.gz")));
    const QString temp = QDir(a.to).filePath(u'.' + QFileInfo(finalPath).fileName() + QStringLiteral(".partial"));
    work.say(QStringLiteral("archiving %1 into %2").arg(a.sources.join(QStringLiteral(", ")), finalPath));
    ProcessRunner::Options o;
    o.argv = createArgs(temp);
    o.timeoutMs = std::numeric_limits<int>::max();
    const ProcessRunner::Outcome out = work.runProcess(o);
    // GNU tar exits 1 when a file changed while it was read: the archive is complete, holding
    // the file as it was read. Say so; 2 is a real failure.
    const bool changed = out.started && !out.timedOut && !out.crashed && out.exitCode == 1;
    if (!changed && (!out.started || out.timedOut || out.crashed || out.exitCode != 0)) {
        QFile::remove(temp);
        return failed(processFailure(QStringLiteral("tar"), out), out.exitCode);
    }
    if (changed)
        work.say(QStringLiteral("note: some files changed while tar read them (exit 1); back up live SQLite databases with sqlite-backup"));
    QString error;
    const auto files = countFiles(&work, temp, &error);
    if (!files) {
        QFile::remove(temp);
        return failed(QStringLiteral("the archive cannot be read back: ") + error);
    }
    BackupManifest m;
    m.kind = builtinKindName(BuiltinKind::TarArchive);
    m.service = context().service;
    m.action = a.name;
    for (const QString &s : a.sources)
        m.sources << QFileInfo(s).absoluteFilePath();
    m.takenAtMs = now;
    m.fileCount = *files;
    if (!BackupFiles::publish(temp, finalPath, m, &error))
        return failed(error);
    work.say(QStringLiteral("wrote %1 (%2 bytes, %3 files) and its manifest").arg(finalPath).arg(QFileInfo(finalPath).size()).arg(*files));
    QStringList errors;
    const QString pruned = PruneTask::afterBackup(a, work, &errors);
    const QString summary = QStringLiteral("archived %1 file(s) to %2").arg(*files).arg(QFileInfo(finalPath).fileName())
        + (pruned.isEmpty() ? QString() : QStringLiteral("; ") + pruned);
    if (!errors.isEmpty())
        return failed(summary + QStringLiteral("; but ") + errors.join(QStringLiteral("; ")));
    return succeeded(summary);
}
