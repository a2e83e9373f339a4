#pragma once

#include "condition.h"

#include <variant>

// Parses the condition language (close to Gatus's, which operators already know):
//   [STATUS] == 200            [BODY].checks.db == ok        [BODY].dependencies.* == ok
//   [RESPONSE_TIME] < 400      [CERTIFICATE_EXPIRATION] > 14d age([BODY].last_tick) < 120s
//   [HEADER].Content-Type == pat(application/json*)          len([BODY].stuck) == 0
//   [BODY].status == any(ok, healthy)                        warning: [RESPONSE_TIME] < 400
// Operators parse with or without spaces around them. Errors carry the 1-based column inside the
// expression so the config loader can point at the exact character.
class ConditionParser
{
public:
    enum class Mode {
        Check,    // placeholders in brackets
        LogFilter // a bare name on the left is a field of an NDJSON line: `level == error`
    };

    struct Error
    {
        int column = 0;
        QString message;
    };

    static std::variant<Condition, Error> parse(QStringView text, Mode mode = Mode::Check);

    // Placeholders a condition may use, and whether they take a path after the bracket.
    static const QStringList &knownPlaceholders();
};
