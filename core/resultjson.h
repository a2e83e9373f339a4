#pragma once

#include "checkresult.h"
#include "statetransition.h"

#include <QJsonObject>

// The JSON shapes of results and transitions, shared by `opsdeckctl --format json` and exports.
// Field names are an interface for scripts: keep them stable.
namespace ResultJson {
QString isoTime(qint64 ms); // ISO 8601 UTC with milliseconds, "2026-11-23T05:10:00.123Z"
QJsonObject toJson(const CheckResult &result);
QJsonObject toJson(const StateTransition &transition);
}
