#pragma once

#include "config.h"

#include <QList>

// What the built-in actions of a service imply for the rest of its config, applied by the config
// loader once the service's checks and actions are loaded:
//   - a backup action (sqlite-backup, pg-dump, tar) with `max_age` gets an implicit check of the
//     service, `backup-<action>`: a file_age check of `<to>/<action>-*<ext>` with the conditions
//     `warning: [AGE] < max_age` (degraded) and `[AGE] < max_age_down` (down; default twice
//     max_age), probed, recorded and debounced like every other check;
//   - restore and pg-restore always need confirmation (`confirm` is set);
//   - rotate-secret's `verify_check` must name a check of the service; that check is copied into
//     the action (ActionConfig::verifyCheckConfig);
//   - a tar backup's `to` must not lie inside one of its `sources`.
// Returns the problems found (errors; the loader reports them with the others).
QList<ConfigIssue> completeBuiltinActions(ServiceConfig &service);

// The implicit age check of a backup action (see above); its name is backupCheckName(action).
CheckConfig backupAgeCheck(const ActionConfig &action);
QString backupCheckName(const QString &action); // "backup-<action>"
