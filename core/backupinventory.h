#pragma once

#include "backupmanifest.h"
#include "backupverifier.h"
#include "config.h"

#include <QHash>
#include <QList>
#include <QString>
#include <functional>
#include <optional>

class OpsDatabase;


// One file in a backup folder.
struct BackupFile
{
    QString path;
    QString name;
    qint64 sizeBytes = 0;
    qint64 takenAtMs = 0;  // the stamp in its name; else its modification time
    std::optional<BackupManifest> manifest;
    QString manifestError; // why there is no usable manifest
};

// What retention decided for a folder: keep and remove, each newest first.
struct PrunePlan
{
    QList<BackupFile> keep;
    QList<BackupFile> remove;
};

// The backups of the configured backup actions (sqlite-backup, pg-dump, tar): per action's `to`
// folder the files it wrote (`<action>-<stamp><ext>` with their manifests), their sizes and ages,
// the pre-restore snapshots kept there, and the last verification from the store. Read from disk
// each time; nothing is cached.
class BackupInventory
{
public:
    struct Entry
    {
        QString service;
        QString action;
        QString kind;        // sqlite-backup, pg-dump, tar
        QString destination; // the `to` folder
        QList<BackupFile> files;     // newest first
        QList<BackupFile> snapshots; // pre-restore snapshots in the same folder, newest first
        QString error;       // the folder is missing or unreadable
        std::optional<BackupVerification> lastVerification;

        qint64 totalBytes() const;
        const BackupFile *newest() const { return files.isEmpty() ? nullptr : &files.first(); }
    };

    // The file name filter of an action's own backups: "backup-db-*.sqlite".
    static QString nameFilter(const ActionConfig &action);
    // The action's own backups, newest first (manifests read).
    static QList<BackupFile> backupsOf(const ActionConfig &action, QString *error = nullptr);
    // Files of `dir` matching `nameFilter` (all files when empty), without manifests, hidden
    // (temporary) files and — unless `snapshots` — pre-restore snapshots; newest first.
    static QList<BackupFile> filesIn(const QString &dir, const QString &nameFilter, bool snapshots, QString *error);
    static QList<BackupFile> snapshotsIn(const QString &dir);
    // The newest backup in `dir` that a restore may use: has a manifest of `kind`, is not a snapshot.
    static std::optional<BackupFile> newestRestorable(const QString &dir, const QString &kind, QString *error);
    // What a restore action restores from, checked before anything is touched: its `from` (with
    // whatever manifest it has; `say` notes when it has none), else the newest restorable backup of
    // `kind` in its `to`. The file must exist and, when there is a manifest, match its sha256.
    // nullopt and *error ("nothing restored: …") otherwise.
    static std::optional<BackupFile> restoreSource(const ActionConfig &action, const QString &kind,
                                                   const std::function<void(const QString &)> &say, QString *error);

    // Keep the newest `keepLast` (0: no count rule) and those younger than `keepForMs` (0: no age
    // rule); with both rules a file is kept when either keeps it. The newest file is always kept.
    static PrunePlan planPrune(const QList<BackupFile> &newestFirst, int keepLast, qint64 keepForMs, qint64 nowMs);

    static Entry entryFor(const QString &service, const ActionConfig &action);
    // The service's action that restores the backups of `backup`: a `restore` built-in for
    // sqlite-backup, `pg-restore` for pg-dump, reading the same `to` folder (or whose fixed `from`
    // lies in it); null when there is none (tar archives have no restore built-in).
    static const ActionConfig *restoreActionFor(const ServiceConfig &service, const ActionConfig &backup);
    // The parameters that make `restore` (a restoreActionFor() action) put back `file`. A `from`
    // with one {placeholder} is matched against the file's path ("/srv/backups/{name}" → name =
    // the file's name); without one the action restores its fixed `from` or the newest backup in
    // its `to`, so: no parameters when that is `file`. nullopt (and *why) when it cannot restore
    // `file`.
    static std::optional<QHash<QString, QString>> restoreParamsFor(const ActionConfig &restore, const QString &file, QString *why);
    // Every backup action of the config; with `db`, each with its last verification.
    static QList<Entry> collect(const Config &config, OpsDatabase *db);
};
