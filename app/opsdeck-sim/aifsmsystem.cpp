#include "aifsmsystem.h"

#include "faultboard.h"

AiFsmSystem::AiFsmSystem(const FaultBoard *faults, QObject *parent)
    : SystemServer(SystemId::AiFsm, faults, parent)
{
    addRoute(QStringLiteral("/api/health"), QHttpServerRequest::Method::Get, [this](const auto &) { return health(); });
}

HttpReply AiFsmSystem::errorReply(int status, const QString &message) const
{
    QString code;
    switch (status) {
    case 401:
        code = QStringLiteral("UNAUTHORIZED");
        break;
    case 404:
        code = QStringLiteral("NOT_FOUND");
        break;
    case 405:
        code = QStringLiteral("METHOD_NOT_ALLOWED");
        break;
    case 429:
        code = QStringLiteral("RATE_LIMITED");
        break;
    case 500:
        code = QStringLiteral("INTERNAL_ERROR");
        break;
    case 503:
        code = QStringLiteral("SERVICE_UNAVAILABLE");
        break;
    default:
        code = u"HTTP_" % QString::number(status);
    }
    const QString text = message.isEmpty() ? QString::fromLatin1(HttpReply::reasonPhrase(status)) : message;
    return HttpReply::json(
        { { QStringLiteral("error"), QJsonObject { { QStringLiteral("code"), code }, { QStringLiteral("message"), text } } } },
        status);
}

HttpReply AiFsmSystem::health() const
{
    const QStringList failing = faults().failingDependencies(id(), u"/api/health");
    QJsonObject checks;
    const QStringList all = systemDependencies(id());
    for (const QString &check : all)
        checks.insert(check, failing.contains(check) ? QStringLiteral("fail") : QStringLiteral("ok"));
    return HttpReply::json({ { QStringLiteral("status"), failing.isEmpty() ? QStringLiteral("ok") : QStringLiteral("degraded") },
                             { QStringLiteral("checks"), checks } },
                           failing.isEmpty() ? 200 : 503);
}
