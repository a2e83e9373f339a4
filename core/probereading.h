#pragma once

#include "conditionevaluator.h"

#include <QByteArray>
#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

// What one probe measured, before conditions judge it. Probes fill it; ConditionEvaluator reads it
// through ConditionContext.
class ProbeReading final : public ConditionContext
{
public:
    QString error;             // what went wrong, or a note such as a 429's Retry-After
    bool failed = false;       // no usable answer (refused, timed out, TLS failure …): any failing condition means down
    bool networkError = false; // the failure is about reaching the target
    bool unknown = false;      // the prober itself could not run (missing secret, bad set-up): not a verdict on the target
    double responseTimeMs = -1;
    int httpStatus = 0;
    qint64 retryAfterMs = -1;  // a 429/503 asked us to come back later
    QHash<QString, QJsonValue> values; // STATUS, CONNECTED, EXIT_CODE, OUTPUT, VALUE, FREE, AGE, COUNT …
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;

    void set(const QString &placeholder, const QJsonValue &value) { values.insert(placeholder, value); }
    std::optional<QJsonValue> root(const QString &placeholder) const override;

private:
    mutable std::optional<QJsonValue> m_bodyJson;
};
