#pragma once

#include "config.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

// Parameters of actions: the `{name}` placeholders in an action's texts, validating the values an
// operator typed against their declarations, and inserting them as data only.
//
// A placeholder is `{name}` (name: a letter or `_`, then letters, digits, `_` or `-`) not preceded
// by `$`, so `${secret:NAME}` and a shell's `${VAR}` are never placeholders. Every other brace is
// literal text (a JSON body's `{"a": 1}` stays as it is).
namespace ActionParams {

struct Segment
{
    enum class Kind { Literal, Param, Secret };
    Kind kind = Kind::Literal;
    QString text;       // the literal text, the parameter's name or the secret's name
    qsizetype offset = 0; // where it starts in the template
};

// The template cut into literal text, placeholders and well-formed ${secret:NAME} references.
QList<Segment> segments(QStringView text);
// The parameter names a text uses, in order, without repeats.
QStringList placeholders(QStringView text);
bool isValidName(QStringView name);
// The environment variable a command action gets each parameter in: OPSDECK_PARAM_JOB_ID for job_id.
QString envName(const QString &param);

// How a value goes into a text.
enum class Insert {
    Literal,    // as it is (argv elements, headers, bodies, paths)
    UrlEncoded, // percent-encoded, every byte but A-Z a-z 0-9 - . _ ~ (so `/`, `?`, `&`, `#` stay data; the
                // runner refuses a value of only dots in a URL)
};

// `text` with placeholders replaced by `params` and secret references by `secrets` (name → value);
// a reference whose value is not in `secrets` stays as `${secret:NAME}` (previews never need a
// value). A placeholder without a value stays as it is.
QString expand(QStringView text, const QHash<QString, QString> &params, const QHash<QString, QString> *secrets,
               Insert insert = Insert::Literal);

// Checks what the operator typed against the action's declarations: unknown names, missing
// required values, types, anchored patterns, bounds and choices; fills in defaults. NUL is never
// accepted. nullopt and *error naming the parameter and what it expected.
std::optional<QHash<QString, QString>> validate(const ActionConfig &action, const QHash<QString, QString> &given,
                                                QString *error);
// One parameter's value; empty when it is acceptable, else what is wrong (without the name).
QString check(const ActionParam &param, const QString &value);
// What a parameter accepts, for help texts and errors: "integer 1–100", "one of a, b", "matching ^…$".
QString describe(const ActionParam &param);

} // namespace ActionParams
