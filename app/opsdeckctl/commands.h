#pragma once

#include <QStringList>

// Each subcommand parses its own arguments (args[0] is "opsdeckctl <command>") and returns the
// process exit code.
int runCheck(const QStringList &args);
int runWatch(const QStringList &args);
int runHistory(const QStringList &args);
int runConfig(const QStringList &args);
int runSecret(const QStringList &args);
int runSlo(const QStringList &args);
int runRecovery(const QStringList &args);
int runIncident(const QStringList &args);
int runMaintenance(const QStringList &args);
int runAudit(const QStringList &args);
int runNotify(const QStringList &args);
int runBackup(const QStringList &args);
int runAction(const QStringList &args);
int runFailover(const QStringList &args);
int runKiosk(const QStringList &args);
