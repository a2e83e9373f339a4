#pragma once

#include "condition.h"

#include <QJsonValue>
#include <optional>

// What a probe measured, as the evaluator sees it. root() returns the value behind a placeholder:
// a scalar for [STATUS], the parsed JSON (or the raw text when it is not JSON) for [BODY], an
// object of lower-case header names for [HEADER], the line's object for a log filter's fields.
// std::nullopt means "not measured", which fails any condition that reads it.
class ConditionContext
{
public:
    virtual ~ConditionContext() = default;
    virtual std::optional<QJsonValue> root(const QString &placeholder) const = 0;
};

struct ConditionVerdict
{
    bool passed = true;
    QString actual; // e.g. "got `fail`", "`[BODY].p95` is missing", "got `fail`, not a number"
};

// Never turns a missing or non-numeric value into a silent 0: such a condition fails and says why.
class ConditionEvaluator
{
public:
    static ConditionVerdict evaluate(const Condition &condition, const ConditionContext &context, qint64 nowMs);

    // How a value is shown to the operator: strings bare, numbers without trailing zeros, JSON
    // compact and shortened.
    static QString display(const QJsonValue &value);
    // Numbers, numeric strings and ISO 8601 / epoch timestamps as the evaluator reads them.
    static std::optional<double> toNumber(const QJsonValue &value);
    static std::optional<qint64> toEpochMs(const QJsonValue &value);
};
