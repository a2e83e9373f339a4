#include "logging.h"

Q_LOGGING_CATEGORY(lcConfig, "opsdeck.config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProbe, "opsdeck.probe", QtInfoMsg)
Q_LOGGING_CATEGORY(lcScheduler, "opsdeck.scheduler", QtInfoMsg)
Q_LOGGING_CATEGORY(lcState, "opsdeck.state", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "opsdeck.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSecrets, "opsdeck.secrets", QtInfoMsg)
