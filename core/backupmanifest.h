#pragma once

#include "config.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

// What a backup built-in knew when it wrote a backup, kept next to it as `<file>.manifest.json`,
// so that verification can compare the restored backup with the source at backup time:
//
//   {"kind":"sqlite-backup","service":"gateway","action":"backup-db","source":"/srv/gateway/.data/db.sqlite",
//    "file":"backup-db-20261123T093000Z.sqlite","taken_at":"2026-11-23T09:30:00.123Z","size_bytes":40960,
//    "sha256":"…","tables":{"runs":12,"events":340}}
//
// tar archives carry "sources" and "files" (the number of entries) instead of "tables"; a snapshot
// taken before a restore has "snapshot": true and "reason".
struct BackupManifest
{
    QString kind;                 // sqlite-backup, pg-dump, tar
    QString service;
    QString action;
    QString source;               // the database file or the postgresql:// URL without password
    QStringList sources;          // tar
    QString file;                 // the backup's file name (in the same folder)
    qint64 takenAtMs = 0;
    qint64 sizeBytes = 0;
    QString sha256;               // hex, of the backup file
    std::optional<QMap<QString, qint64>> tables; // row count of every table at backup time
    std::optional<qint64> fileCount; // tar: entries in the archive
    bool snapshot = false;        // taken before a restore
    QString reason;

    QJsonObject toJson() const;
    static std::optional<BackupManifest> fromJson(const QJsonObject &o, QString *error);

    static QString pathFor(const QString &backupFile); // backupFile + ".manifest.json"
    // Atomically (QSaveFile) next to `backupFile`.
    bool write(const QString &backupFile, QString *error) const;
    static std::optional<BackupManifest> read(const QString &backupFile, QString *error);
};

// How backups are named and recognised.
namespace BackupFiles {
inline constexpr char kSnapshotPrefix[] = "pre-restore-";
QString stamp(qint64 ms); // UTC yyyyMMddTHHmmssZ
// The time in a name carrying a stamp (…-20261123T093000Z.sqlite, …-20261123T093000Z-2.sqlite).
std::optional<qint64> stampIn(const QString &fileName);
// ".sqlite", ".dump", ".tar.gz" for the backup kinds.
QString extensionFor(BuiltinKind kind);
// A free name in `dir`: `<prefix>-<stamp><ext>`, with -2, -3 … before the extension when taken.
QString freeName(const QString &dir, const QString &prefix, qint64 ms, const QString &ext);
bool isManifest(const QString &fileName);
bool isSnapshot(const QString &fileName);
// Hex SHA-256 of a file, read in chunks; nullopt and *error when it cannot be read.
std::optional<QString> sha256(const QString &path, QString *error);
// Differences between the row counts a manifest expects and those found, "table: 10 rows,
// expected 12"; empty when equal.
QStringList countDifferences(const QMap<QString, qint64> &expected, const QMap<QString, qint64> &actual);
// Publishes `tempPath` as `finalPath` after its manifest: the manifest is written first, so a
// backup file never exists without one. Removes the temp file on failure.
bool publish(const QString &tempPath, const QString &finalPath, BackupManifest manifest, QString *error);
}
