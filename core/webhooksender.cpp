#include "webhooksender.h"

#include "resultjson.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>

namespace {

QJsonValue orNull(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

} // namespace

QByteArray WebhookSender::body(const Notification &n)
{
    const QJsonObject o{
        {QStringLiteral("event"), n.event},
        {QStringLiteral("service"), orNull(n.service)},
        {QStringLiteral("severity"), orNull(n.severity)},
        {QStringLiteral("title"), n.title},
        {QStringLiteral("text"), n.text},
        {QStringLiteral("incident_id"), n.incidentId > 0 ? QJsonValue(n.incidentId) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("at"), ResultJson::isoTime(n.atMs)},
        {QStringLiteral("dedup_key"), orNull(n.dedupKey)},
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray WebhookSender::signature(const QByteArray &body, const QString &secret)
{
    return "sha256=" + QMessageAuthenticationCode::hash(body, secret.toUtf8(), QCryptographicHash::Sha256).toHex();
}

ChannelRequest WebhookSender::request(const Notification &n, qint64 outboxId, const QStringList &expanded) const
{
    const NotifyChannel c = expandedConfig(expanded);
    ChannelRequest r;
    r.url = QUrl(c.url);
    r.body = body(n);
    r.headers = {{"Content-Type", "application/json"},
                 {"X-OpsDeck-Delivery", QByteArray::number(outboxId)},
                 {"X-OpsDeck-Event", n.event.toLatin1()}};
    if (!c.secret.isEmpty())
        r.headers << qMakePair(QByteArrayLiteral("X-OpsDeck-Signature"), signature(r.body, c.secret));
    return r;
}
