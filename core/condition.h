#pragma once

#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <optional>

// The parsed form of one condition line such as `[BODY].dependencies.* == ok` or
// `warning: [RESPONSE_TIME] < 400`. Produced by ConditionParser, evaluated by ConditionEvaluator.
struct Operand
{
    enum class Kind { Placeholder, Literal, Function };
    Kind kind = Kind::Literal;
    int column = 0;  // 1-based position in the condition text, for messages
    QString source;  // the operand as written, e.g. `[BODY].status`

    // Placeholder: name without brackets ("BODY", "STATUS", "LINE" for log-filter fields) and path
    // segments ("dependencies", "*", "0").
    QString name;
    QStringList path;

    // Literal: its text; a number when it reads as one (durations and sizes are converted to
    // milliseconds and bytes).
    QString text;
    std::optional<double> number;

    // Function: len, has, pat, any, age.
    QString function;
    QList<Operand> args;
    QRegularExpression pattern; // compiled glob of pat()
};

enum class Comparison { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual };
QString comparisonSymbol(Comparison c);

struct Condition
{
    QString text;        // verbatim, including a `warning:` prefix
    bool warning = false; // failing it degrades rather than downs the check
    Operand left;
    Comparison comparison = Comparison::Equal;
    Operand right;

    // Placeholder names the condition reads, e.g. {"STATUS", "BODY"}.
    QStringList placeholders() const;
};
