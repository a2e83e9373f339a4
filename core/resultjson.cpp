#include "resultjson.h"

#include <QDateTime>
#include <cmath>

namespace ResultJson {

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QJsonObject toJson(const CheckResult &r)
{
    QJsonObject o;
    o.insert(QStringLiteral("service"), r.service);
    o.insert(QStringLiteral("check"), r.check);
    o.insert(QStringLiteral("at"), isoTime(r.atMs));
    o.insert(QStringLiteral("outcome"), healthName(r.outcome));
    o.insert(QStringLiteral("latency_ms"), r.latencyMs >= 0 ? QJsonValue(std::round(r.latencyMs * 10) / 10) : QJsonValue());
    o.insert(QStringLiteral("http_status"), r.httpStatus > 0 ? QJsonValue(r.httpStatus) : QJsonValue());
    o.insert(QStringLiteral("error"), r.error.isEmpty() ? QJsonValue() : QJsonValue(r.error));
    o.insert(QStringLiteral("failed_condition"), r.failedCondition.isEmpty() ? QJsonValue() : QJsonValue(r.failedCondition));
    o.insert(QStringLiteral("actual_value"), r.actualValue.isEmpty() ? QJsonValue() : QJsonValue(r.actualValue));
    o.insert(QStringLiteral("network_error"), r.networkError);
    return o;
}

QJsonObject toJson(const StateTransition &t)
{
    QJsonObject o;
    o.insert(QStringLiteral("service"), t.service);
    o.insert(QStringLiteral("check"), t.check.isEmpty() ? QJsonValue() : QJsonValue(t.check));
    o.insert(QStringLiteral("at"), isoTime(t.atMs));
    o.insert(QStringLiteral("from"), healthName(t.from));
    o.insert(QStringLiteral("to"), healthName(t.to));
    o.insert(QStringLiteral("reason"), t.reason.isEmpty() ? QJsonValue() : QJsonValue(t.reason));
    return o;
}

} // namespace ResultJson
