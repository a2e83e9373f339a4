#include "gatewaysystem.h"

#include <QDateTime>

GatewaySystem::GatewaySystem(const FaultBoard *faults, QObject *parent)
    : SystemServer(SystemId::Gateway, faults, parent)
{
    addRoute(QStringLiteral("/api/health"), QHttpServerRequest::Method::Get, [this](const auto &) { return health(); });
}

HttpReply GatewaySystem::errorReply(int status, const QString &message) const
{
    const QString text = message.isEmpty() ? QString::fromLatin1(HttpReply::reasonPhrase(status)) : message;
    return HttpReply::json({ { QStringLiteral("error"), text } }, status);
}

HttpReply GatewaySystem::health() const
{
    return HttpReply::json({
        { QStringLiteral("status"), QStringLiteral("ok") },
        { QStringLiteral("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) },
        { QStringLiteral("connections"),
          QJsonObject { { QStringLiteral("clients"), 2 }, { QStringLiteral("subscriptions"), 1 } } },
    });
}
