#pragma once

#include "config.h"

#include <QHash>
#include <QJsonArray>
#include <QString>
#include <optional>

class OpsDatabase;

// One verification of one backup file, as stored in `backup_verifications`.
struct BackupVerification
{
    qint64 id = 0;
    QString service;
    QString action;
    QString file;          // absolute path
    qint64 sizeBytes = 0;
    qint64 atMs = 0;
    qint64 durationMs = 0;
    bool ok = false;
    QString summary;       // one line: what was checked, or every reason it failed
    QJsonArray steps;      // [{"step":"sha256","ok":true,"text":"…"}, …] — the details column
};

// Proves a backup can be restored: restores it into a temporary place and checks what comes back
// against the manifest written when it was taken.
//   sqlite-backup: sha256; a copy restored through the backup API into a temporary folder;
//                  PRAGMA integrity_check; every table's row count equal to the manifest's.
//   pg-dump:       sha256; `pg_restore --list`; a restore into a scratch database created on the
//                  source's server for it (opsdeck_verify_<random>) and dropped afterwards; every
//                  table's row count equal to the manifest's.
//   tar:           sha256; `tar -tzf` reads the whole archive; its file count equals the manifest's.
// Every step runs even when an earlier one failed (when it still can), so the summary names every
// problem. Blocking: run it from the CLI or a worker thread.
class BackupVerifier
{
public:
    // `file`: a path, a name in the action's `to`, or empty for the action's newest backup.
    static BackupVerification verify(const QString &service, const ActionConfig &action, const QString &file);

    static bool record(OpsDatabase &db, BackupVerification &verification, QString *error);
    static std::optional<BackupVerification> latest(OpsDatabase &db, const QString &service, const QString &action);
    // The latest verification of each file of an action (absolute path → verification), so a list
    // of backups can say which of them have been proven restorable.
    static QHash<QString, BackupVerification> latestPerFile(OpsDatabase &db, const QString &service, const QString &action);
};
