#include "actionparams.h"

#include "secretstore.h"

#include <QRegularExpression>
#include <QUrl>

namespace ActionParams {

namespace {

const QLatin1String kSecretOpen("${secret:");

bool nameStart(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

bool nameChar(QChar c)
{
    return nameStart(c) || (c >= u'0' && c <= u'9') || c == u'-';
}

void appendLiteral(QList<Segment> &out, QStringView text, qsizetype offset)
{
    if (text.isEmpty())
        return;
    if (!out.isEmpty() && out.last().kind == Segment::Kind::Literal) {
        out.last().text += text;
        return;
    }
    out.append({Segment::Kind::Literal, text.toString(), offset});
}

} // namespace

bool isValidName(QStringView name)
{
    if (name.isEmpty() || !nameStart(name.front()))
        return false;
    for (QChar c : name)
        if (!nameChar(c))
            return false;
    return true;
}

QString envName(const QString &param)
{
    return QStringLiteral("OPSDECK_PARAM_") + param.toUpper().replace(u'-', u'_');
}

QList<Segment> segments(QStringView text)
{
    QList<Segment> out;
    qsizetype literalFrom = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        if (text.mid(i).startsWith(kSecretOpen)) {
            const qsizetype close = text.indexOf(u'}', i + kSecretOpen.size());
            const QStringView name = close < 0 ? QStringView() : text.mid(i + kSecretOpen.size(), close - i - kSecretOpen.size());
            if (close >= 0 && SecretStore::isValidName(name)) {
                appendLiteral(out, text.mid(literalFrom, i - literalFrom), literalFrom);
                out.append({Segment::Kind::Secret, name.toString(), i});
                i = close + 1;
                literalFrom = i;
                continue;
            }
        }
        if (text[i] == u'{' && (i == 0 || text[i - 1] != u'$')) {
            qsizetype j = i + 1;
            while (j < text.size() && nameChar(text[j]))
                ++j;
            if (j < text.size() && text[j] == u'}' && isValidName(text.mid(i + 1, j - i - 1))) {
                appendLiteral(out, text.mid(literalFrom, i - literalFrom), literalFrom);
                out.append({Segment::Kind::Param, text.mid(i + 1, j - i - 1).toString(), i});
                i = j + 1;
                literalFrom = i;
                continue;
            }
        }
        ++i;
    }
    appendLiteral(out, text.mid(literalFrom), literalFrom);
    return out;
}

QStringList placeholders(QStringView text)
{
    QStringList names;
    for (const Segment &s : segments(text))
        if (s.kind == Segment::Kind::Param && !names.contains(s.text))
            names << s.text;
    return names;
}

QString expand(QStringView text, const QHash<QString, QString> &params, const QHash<QString, QString> *secrets, Insert insert)
{
    QString out;
    for (const Segment &s : segments(text)) {
        switch (s.kind) {
        case Segment::Kind::Literal: out += s.text; break;
        case Segment::Kind::Param: {
            const auto it = params.constFind(s.text);
            if (it == params.constEnd())
                out += u'{' + s.text + u'}';
            else if (insert == Insert::UrlEncoded)
                out += QString::fromLatin1(QUrl::toPercentEncoding(*it));
            else
                out += *it;
            break;
        }
        case Segment::Kind::Secret:
            if (secrets && secrets->contains(s.text))
                out += secrets->value(s.text);
            else
                out += QStringLiteral("${secret:%1}").arg(s.text);
            break;
        }
    }
    return out;
}

QString describe(const ActionParam &p)
{
    switch (p.type) {
    case ActionParam::Type::Integer: {
        const bool hasMin = p.min != std::numeric_limits<qint64>::min();
        const bool hasMax = p.max != std::numeric_limits<qint64>::max();
        if (hasMin && hasMax)
            return QStringLiteral("a whole number from %1 to %2").arg(p.min).arg(p.max);
        if (hasMin)
            return QStringLiteral("a whole number of at least %1").arg(p.min);
        if (hasMax)
            return QStringLiteral("a whole number of at most %1").arg(p.max);
        return QStringLiteral("a whole number");
    }
    case ActionParam::Type::Choice: return QStringLiteral("one of %1").arg(p.choices.join(QStringLiteral(", ")));
    case ActionParam::Type::String:
        return p.patternText.isEmpty() ? QStringLiteral("any text") : QStringLiteral("text matching %1").arg(p.patternText);
    }
    return {};
}

QString check(const ActionParam &p, const QString &value)
{
    if (value.contains(QChar(0)))
        return QStringLiteral("the value contains a NUL character");
    switch (p.type) {
    case ActionParam::Type::Integer: {
        static const QRegularExpression digits(QStringLiteral("\\A-?[0-9]{1,19}\\z"));
        bool ok = false;
        const qint64 v = digits.match(value).hasMatch() ? value.toLongLong(&ok) : 0;
        if (!ok)
            return QStringLiteral("`%1` is not a whole number: expected %2").arg(value, describe(p));
        if (v < p.min || v > p.max)
            return QStringLiteral("%1 is out of range: expected %2").arg(value, describe(p));
        return {};
    }
    case ActionParam::Type::Choice:
        if (!p.choices.contains(value))
            return QStringLiteral("`%1` is not one of %2").arg(value, p.choices.join(QStringLiteral(", ")));
        return {};
    case ActionParam::Type::String:
        if (!p.pattern.isEmpty()) {
            const QRegularExpression re(p.pattern);
            if (!re.isValid())
                return QStringLiteral("its pattern does not compile: %1").arg(re.errorString());
            if (!re.match(value).hasMatch())
                return QStringLiteral("`%1` does not match the pattern %2").arg(value, p.patternText);
        }
        return {};
    }
    return {};
}

std::optional<QHash<QString, QString>> validate(const ActionConfig &action, const QHash<QString, QString> &given, QString *error)
{
    QStringList declared;
    for (const ActionParam &p : action.params)
        declared << p.name;
    for (auto it = given.constBegin(); it != given.constEnd(); ++it) {
        if (!action.param(it.key())) {
            *error = declared.isEmpty()
                ? QStringLiteral("`%1` takes no parameters, got `%2`").arg(action.name, it.key())
                : QStringLiteral("no parameter `%1` in `%2` (its parameters: %3)").arg(it.key(), action.name, declared.join(QStringLiteral(", ")));
            return std::nullopt;
        }
    }
    QHash<QString, QString> values;
    for (const ActionParam &p : action.params) {
        QString value;
        if (given.contains(p.name)) {
            value = given.value(p.name);
        } else if (p.defaultValue) {
            value = *p.defaultValue;
        } else {
            *error = QStringLiteral("parameter `%1` is required: %2 (--param %1=…)").arg(p.name, describe(p));
            return std::nullopt;
        }
        const QString problem = check(p, value);
        if (!problem.isEmpty()) {
            *error = QStringLiteral("parameter `%1`: %2").arg(p.name, problem);
            return std::nullopt;
        }
        values.insert(p.name, value);
    }
    return values;
}

} // namespace ActionParams
