#include "backupinventory.h"

#include "actionparams.h"
#include "backupverifier.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <algorithm>

QString BackupInventory::nameFilter(const ActionConfig &action)
{
    return action.name + QStringLiteral("-*") + BackupFiles::extensionFor(action.builtin);
}

QList<BackupFile> BackupInventory::filesIn(const QString &dir, const QString &filter, bool snapshots, QString *error)
{
    QList<BackupFile> out;
    const QDir d(dir);
    if (!d.exists()) {
        if (error)
            *error = QStringLiteral("backup folder %1 does not exist").arg(dir);
        return out;
    }
    const QStringList filters = filter.isEmpty() ? QStringList() : QStringList{filter};
    // Hidden files are temporary ones still being written.
    for (const QFileInfo &info : d.entryInfoList(filters, QDir::Files | QDir::NoDotAndDotDot)) {
        const QString name = info.fileName();
        if (BackupFiles::isManifest(name) || BackupFiles::isSnapshot(name) != snapshots)
            continue;
        BackupFile f;
        f.path = info.absoluteFilePath();
        f.name = name;
        f.sizeBytes = info.size();
        f.manifest = BackupManifest::read(f.path, &f.manifestError);
        if (const auto at = BackupFiles::stampIn(name))
            f.takenAtMs = *at;
        else if (f.manifest)
            f.takenAtMs = f.manifest->takenAtMs;
        else
            f.takenAtMs = info.lastModified().toMSecsSinceEpoch();
        out << f;
    }
    std::sort(out.begin(), out.end(), [](const BackupFile &a, const BackupFile &b) {
        return a.takenAtMs != b.takenAtMs ? a.takenAtMs > b.takenAtMs : a.name > b.name;
    });
    return out;
}

QList<BackupFile> BackupInventory::backupsOf(const ActionConfig &action, QString *error)
{
    return filesIn(action.to, nameFilter(action), false, error);
}

QList<BackupFile> BackupInventory::snapshotsIn(const QString &dir)
{
    return filesIn(dir, QString(), true, nullptr);
}

std::optional<BackupFile> BackupInventory::newestRestorable(const QString &dir, const QString &kind, QString *error)
{
    QString why;
    const QList<BackupFile> files = filesIn(dir, QString(), false, &why);
    if (!why.isEmpty()) {
        *error = why;
        return std::nullopt;
    }
    for (const BackupFile &f : files)
        if (f.manifest && f.manifest->kind == kind && !f.manifest->snapshot)
            return f;
    *error = QStringLiteral("no %1 backup with a manifest in %2").arg(kind, dir);
    return std::nullopt;
}

PrunePlan BackupInventory::planPrune(const QList<BackupFile> &newestFirst, int keepLast, qint64 keepForMs, qint64 nowMs)
{
    PrunePlan plan;
    for (int i = 0; i < newestFirst.size(); ++i) {
        const BackupFile &f = newestFirst.at(i);
        bool keep = i == 0; // never the last backup there is
        if (keepLast > 0 && i < keepLast)
            keep = true;
        if (keepForMs > 0 && nowMs - f.takenAtMs < keepForMs)
            keep = true;
        if (keepLast <= 0 && keepForMs <= 0)
            keep = true; // no rule: nothing to remove
        (keep ? plan.keep : plan.remove) << f;
    }
    return plan;
}

qint64 BackupInventory::Entry::totalBytes() const
{
    qint64 total = 0;
    for (const BackupFile &f : files)
        total += f.sizeBytes;
    return total;
}

BackupInventory::Entry BackupInventory::entryFor(const QString &service, const ActionConfig &action)
{
    Entry e;
    e.service = service;
    e.action = action.name;
    e.kind = builtinKindName(action.builtin);
    e.destination = action.to;
    e.files = backupsOf(action, &e.error);
    if (e.error.isEmpty())
        e.snapshots = snapshotsIn(action.to);
    return e;
}

const ActionConfig *BackupInventory::restoreActionFor(const ServiceConfig &service, const ActionConfig &backup)
{
    if (!backup.isBackup())
        return nullptr;
    BuiltinKind wanted;
    if (backup.builtin == BuiltinKind::SqliteBackup)
        wanted = BuiltinKind::Restore;
    else if (backup.builtin == BuiltinKind::PgDump)
        wanted = BuiltinKind::PgRestore;
    else
        return nullptr;
    const QString folder = QDir::cleanPath(backup.to);
    for (const ActionConfig &a : service.actions) {
        if (a.kind != ActionKind::Builtin || a.builtin != wanted)
            continue;
        if (!a.to.isEmpty() && QDir::cleanPath(a.to) == folder)
            return &a;
        if (a.to.isEmpty() && !a.from.isEmpty() && QDir::cleanPath(QFileInfo(a.from).absolutePath()) == folder)
            return &a;
    }
    return nullptr;
}

std::optional<QHash<QString, QString>> BackupInventory::restoreParamsFor(const ActionConfig &restore, const QString &file, QString *why)
{
    const QString target = QDir::cleanPath(QFileInfo(file).absoluteFilePath());
    const QStringList names = ActionParams::placeholders(restore.from);
    if (names.size() == 1) {
        const QString marker = u'{' + names.first() + u'}';
        const qsizetype at = restore.from.indexOf(marker);
        const QString prefix = restore.from.left(at);
        const QString suffix = restore.from.mid(at + marker.size());
        if (restore.from.indexOf(marker, at + 1) < 0 && target.startsWith(prefix) && target.endsWith(suffix)
            && target.size() > prefix.size() + suffix.size()) {
            const QString value = target.mid(prefix.size(), target.size() - prefix.size() - suffix.size());
            if (QDir::cleanPath(ActionParams::expand(restore.from, {{names.first(), value}}, nullptr)) == target)
                return QHash<QString, QString>{{names.first(), value}};
        }
        *why = QStringLiteral("%1's `from` (%2) cannot name %3").arg(restore.name, restore.from, file);
        return std::nullopt;
    }
    if (!names.isEmpty()) {
        *why = QStringLiteral("%1's `from` has several parameters: choose the file in its dialog").arg(restore.name);
        return std::nullopt;
    }
    QString restores = restore.from;
    if (restores.isEmpty()) {
        QString error;
        const auto newest = newestRestorable(restore.to, restore.builtin == BuiltinKind::PgRestore ? QStringLiteral("pg-dump")
                                                                                                    : QStringLiteral("sqlite-backup"),
                                             &error);
        if (!newest) {
            *why = error;
            return std::nullopt;
        }
        restores = newest->path;
    }
    if (QDir::cleanPath(QFileInfo(restores).absoluteFilePath()) == target)
        return QHash<QString, QString>();
    *why = QStringLiteral("%1 restores only %2; give its `from` a parameter (`from: %3/{file}`) to choose").arg(restore.name, restores, restore.to);
    return std::nullopt;
}

QList<BackupInventory::Entry> BackupInventory::collect(const Config &config, OpsDatabase *db)
{
    QList<Entry> out;
    for (const ServiceConfig &s : config.services) {
        for (const ActionConfig &a : s.actions) {
            if (!a.isBackup())
                continue;
            Entry e = entryFor(s.name, a);
            if (db)
                e.lastVerification = BackupVerifier::latest(*db, s.name, a.name);
            out << e;
        }
    }
    return out;
}

std::optional<BackupFile> BackupInventory::restoreSource(const ActionConfig &action, const QString &kind,
                                                         const std::function<void(const QString &)> &say, QString *error)
{
    BackupFile source;
    QString why;
    if (action.from.isEmpty()) {
        const auto newest = newestRestorable(action.to, kind, &why);
        if (!newest) {
            *error = QStringLiteral("nothing restored: ") + why;
            return std::nullopt;
        }
        source = *newest;
    } else {
        source.path = action.from;
        source.manifest = BackupManifest::read(action.from, &why);
        if (!source.manifest) {
            source.manifestError = why;
            say(QStringLiteral("note: %1 has no usable manifest (%2): its checksum and row counts cannot be compared").arg(action.from, why));
        }
    }
    if (!QFileInfo::exists(source.path)) {
        *error = QStringLiteral("nothing restored: %1 does not exist").arg(source.path);
        return std::nullopt;
    }
    say(QStringLiteral("checking %1").arg(source.path));
    if (source.manifest) {
        const auto digest = BackupFiles::sha256(source.path, &why);
        if (!digest) {
            *error = QStringLiteral("nothing restored: ") + why;
            return std::nullopt;
        }
        if (*digest != source.manifest->sha256) {
            *error = QStringLiteral("nothing restored: %1 does not match its manifest's sha256 (corrupted or changed since it was taken)").arg(source.path);
            return std::nullopt;
        }
    }
    return source;
}
