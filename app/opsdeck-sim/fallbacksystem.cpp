#include "fallbacksystem.h"

#include "faultboard.h"

FallbackSystem::FallbackSystem(const FaultBoard *faults, QObject *parent)
    : SystemServer(SystemId::Fallback, faults, parent)
{
    addRoute(QStringLiteral("/health"), QHttpServerRequest::Method::Get, [this](const auto &) { return health(); });
}

HttpReply FallbackSystem::errorReply(int status, const QString &message) const
{
    QString text = message;
    if (text.isEmpty())
        text = status == 404 ? QStringLiteral("not found")
            : status == 429  ? QStringLiteral("Rate limit exceeded")
                             : QString::fromLatin1(HttpReply::reasonPhrase(status));
    return HttpReply::json({ { QStringLiteral("ok"), false }, { QStringLiteral("error"), text } }, status);
}

HttpReply FallbackSystem::health() const
{
    const QStringList failing = faults().failingDependencies(id(), u"/health");
    QJsonObject dependencies;
    const QStringList all = systemDependencies(id());
    for (const QString &dependency : all)
        dependencies.insert(dependency, failing.contains(dependency) ? QStringLiteral("fail") : QStringLiteral("ok"));
    return HttpReply::json({
        { QStringLiteral("status"), failing.isEmpty() ? QStringLiteral("ok") : QStringLiteral("degraded") },
        { QStringLiteral("role"), QStringLiteral("fallback") },
        { QStringLiteral("dependencies"), dependencies },
    });
}
