#pragma once

#include <QLoggingCategory>

// One category per module, switched with QT_LOGGING_RULES, e.g. "opsdeck.probe.debug=true". Only
// warnings show by default: `opsdeckctl check` runs from cron, where stderr is mail.
Q_DECLARE_LOGGING_CATEGORY(lcConfig)
Q_DECLARE_LOGGING_CATEGORY(lcProbe)
Q_DECLARE_LOGGING_CATEGORY(lcScheduler)
Q_DECLARE_LOGGING_CATEGORY(lcState)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcSecrets)
