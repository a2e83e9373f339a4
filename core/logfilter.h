#pragma once

#include "condition.h"
#include "conditionparser.h"

#include <QJsonObject>
#include <QList>
#include <variant>

// Which NDJSON lines a filter keeps, in the log check's language: a bare name is a field of the
// line (`ok == false`, `level == error`, `error == pat(*Rate limit*)`, `user.id == 7`). The log
// check and the console's Logs view share it, so a filter tried in the view works in a check.
class LogFilter
{
public:
    LogFilter() = default; // keeps every line
    explicit LogFilter(const QList<Condition> &conditions);

    // One expression; empty or blank text keeps every line. Errors carry the 1-based column.
    static std::variant<LogFilter, ConditionParser::Error> parse(QStringView text);

    bool isEmpty() const { return m_conditions.isEmpty(); }
    QString text() const;
    // Every condition holds for the line.
    bool matches(const QJsonObject &line, qint64 nowMs) const;

private:
    QList<Condition> m_conditions;
};
