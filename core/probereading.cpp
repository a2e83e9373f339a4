#include "probereading.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

std::optional<QJsonValue> ProbeReading::root(const QString &placeholder) const
{
    if (placeholder == u"BODY") {
        if (!values.contains(QStringLiteral("STATUS")) && body.isEmpty() && !error.isEmpty())
            return std::nullopt; // no response at all
        if (!m_bodyJson) {
            // Parsed once per reading, however many conditions look at the body.
            QJsonParseError err;
            const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
            if (err.error == QJsonParseError::NoError && !doc.isNull())
                m_bodyJson = doc.isObject() ? QJsonValue(doc.object()) : QJsonValue(doc.array());
            else
                m_bodyJson = QJsonValue(QString::fromUtf8(body));
        }
        return m_bodyJson;
    }
    if (placeholder == u"HEADER") {
        if (headers.isEmpty() && !values.contains(QStringLiteral("STATUS")))
            return std::nullopt;
        QJsonObject obj;
        for (const auto &[name, value] : headers)
            obj.insert(QString::fromLatin1(name).toLower(), QString::fromUtf8(value));
        return QJsonValue(obj);
    }
    if (placeholder == u"RESPONSE_TIME")
        return responseTimeMs >= 0 ? std::optional<QJsonValue>(QJsonValue(responseTimeMs)) : std::nullopt;
    const auto it = values.constFind(placeholder);
    if (it == values.constEnd())
        return std::nullopt;
    return *it;
}
