#include "logging.h"

Q_LOGGING_CATEGORY(lcConfig, "opsdeck.config", QtWarningMsg)
Q_LOGGING_CATEGORY(lcProbe, "opsdeck.probe", QtWarningMsg)
Q_LOGGING_CATEGORY(lcScheduler, "opsdeck.scheduler", QtWarningMsg)
Q_LOGGING_CATEGORY(lcState, "opsdeck.state", QtWarningMsg)
Q_LOGGING_CATEGORY(lcStore, "opsdeck.store", QtWarningMsg)
Q_LOGGING_CATEGORY(lcSecrets, "opsdeck.secrets", QtWarningMsg)
