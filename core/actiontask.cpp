#include "actiontask.h"

QString actionStatusName(ActionOutcome::Status status)
{
    switch (status) {
    case ActionOutcome::Status::Succeeded: return QStringLiteral("succeeded");
    case ActionOutcome::Status::Failed: return QStringLiteral("failed");
    case ActionOutcome::Status::TimedOut: return QStringLiteral("timeout");
    case ActionOutcome::Status::Cancelled: return QStringLiteral("cancelled");
    case ActionOutcome::Status::Refused: return QStringLiteral("refused");
    }
    return {};
}
