#pragma once

#include "actiontask.h"

// The built-in actions (sqlite-backup, pg-dump, pg-restore, tar, prune, rotate-secret, restore):
// a task for `context.action` (whose kind is ActionKind::Builtin), owned by `parent`.
ActionTask *createBuiltinTask(const ActionTask::Context &context, QObject *parent);
