#include "checkresult.h"

QString CheckResult::reason() const
{
    QString out;
    if (!failedCondition.isEmpty()) {
        out = failedCondition;
        if (!actualValue.isEmpty())
            out += QStringLiteral(" — ") + actualValue;
    }
    if (!error.isEmpty())
        out = out.isEmpty() ? error : out + QStringLiteral(" (") + error + u')';
    return out;
}
