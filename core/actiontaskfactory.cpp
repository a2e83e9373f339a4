#include "actiontaskfactory.h"

#include "builtintasks.h"
#include "commandtask.h"
#include "httptask.h"

ActionTask *createActionTask(const ActionTask::Context &context, QObject *parent, QString *error)
{
    switch (context.action.kind) {
    case ActionKind::Command: return new CommandTask(context, parent);
    case ActionKind::Http: return new HttpTask(context, parent);
    case ActionKind::Builtin:
        if (ActionTask *task = createBuiltinTask(context, parent))
            return task;
        *error = QStringLiteral("the built-in `%1` cannot run: this build of OpsDeck does not have it yet")
                     .arg(builtinKindName(context.action.builtin));
        return nullptr;
    }
    *error = QStringLiteral("unknown kind of action");
    return nullptr;
}

QString actionKindName(const ActionConfig &action)
{
    switch (action.kind) {
    case ActionKind::Command: return QStringLiteral("command");
    case ActionKind::Http: return QStringLiteral("http");
    case ActionKind::Builtin: return builtinKindName(action.builtin);
    }
    return {};
}
