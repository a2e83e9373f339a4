#include "builtintasks.h"

// Replaced by the built-in tasks as they land; until then no built-in can be created, and the
// runner refuses such actions with its "cannot run" error.
ActionTask *createBuiltinTask(const ActionTask::Context &, QObject *)
{
    return nullptr;
}
