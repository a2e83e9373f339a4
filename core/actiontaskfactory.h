#pragma once

#include "actiontask.h"

// The task for an action of any kind: a CommandTask, an HttpTask, or a built-in's task. Null with
// *error when it cannot be made (a built-in this build cannot run).
ActionTask *createActionTask(const ActionTask::Context &context, QObject *parent, QString *error);
// "command", "http", or the built-in's name — as stored with each run.
QString actionKindName(const ActionConfig &action);
