#include "conditionparser.h"

#include "duration.h"
#include "quantity.h"

namespace {

const QStringList kPlaceholders = {
    QStringLiteral("STATUS"),        QStringLiteral("RESPONSE_TIME"), QStringLiteral("BODY"),
    QStringLiteral("HEADER"),        QStringLiteral("CERTIFICATE_EXPIRATION"),
    QStringLiteral("CONNECTED"),     QStringLiteral("EXIT_CODE"),     QStringLiteral("OUTPUT"),
    QStringLiteral("VALUE"),         QStringLiteral("ROWS"),          QStringLiteral("FREE"),
    QStringLiteral("FREE_PERCENT"),  QStringLiteral("USED_PERCENT"),  QStringLiteral("AGE"),
    QStringLiteral("COUNT"),         QStringLiteral("SIZE"),          QStringLiteral("LINE"),
};

bool takesPath(QStringView name)
{
    return name == u"BODY" || name == u"HEADER" || name == u"LINE";
}

bool isOperatorChar(QChar c)
{
    return c == u'=' || c == u'!' || c == u'<' || c == u'>';
}

bool isSegmentChar(QChar c)
{
    return !c.isSpace() && c != u'.' && c != u'[' && c != u']' && !isOperatorChar(c) && c != u','
        && c != u')' && c != u'(';
}

QRegularExpression globToRegex(QStringView glob)
{
    QString rx;
    rx.reserve(glob.size() * 2 + 4);
    rx += u"\\A(?:";
    for (QChar c : glob) {
        if (c == u'*')
            rx += u".*";
        else if (c == u'?')
            rx += u'.';
        else
            rx += QRegularExpression::escape(QString(c));
    }
    rx += u")\\z";
    return QRegularExpression(rx, QRegularExpression::DotMatchesEverythingOption);
}

std::optional<double> literalNumber(QStringView text)
{
    bool ok = false;
    const double d = text.toDouble(&ok);
    if (ok)
        return d;
    if (const auto ms = Duration::parse(text))
        return double(*ms);
    if (const auto bytes = Quantity::parseBytes(text))
        return double(*bytes);
    return std::nullopt;
}

class Parser
{
public:
    Parser(QStringView text, ConditionParser::Mode mode)
        : m_text(text)
        , m_mode(mode)
    {
    }

    std::variant<Condition, ConditionParser::Error> run()
    {
        Condition c;
        c.text = m_text.toString();
        skipSpace();
        if (m_text.mid(m_pos).startsWith(u"warning:", Qt::CaseInsensitive)) {
            c.warning = true;
            m_pos += 8;
            skipSpace();
        }
        if (atEnd())
            return fail(QStringLiteral("empty condition: expected e.g. `[STATUS] == 200`"));
        if (!operand(Side::Left, c.left))
            return m_error;
        skipSpace();
        if (!comparison(c.comparison))
            return m_error;
        skipSpace();
        if (atEnd())
            return fail(QStringLiteral("expected a value after `%1`").arg(comparisonSymbol(c.comparison)));
        if (!operand(Side::Right, c.right))
            return m_error;
        skipSpace();
        if (!atEnd())
            return fail(QStringLiteral("unexpected `%1` after the condition").arg(m_text.mid(m_pos).toString()));
        if (!validate(c))
            return m_error;
        return c;
    }

private:
    enum class Side { Left, Right, Argument };

    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek(qsizetype ahead = 0) const
    {
        return m_pos + ahead < m_text.size() ? m_text[m_pos + ahead] : QChar();
    }
    void skipSpace()
    {
        while (!atEnd() && peek().isSpace())
            ++m_pos;
    }
    int column() const { return int(m_pos) + 1; }

    ConditionParser::Error fail(const QString &message) { return failAt(column(), message); }
    ConditionParser::Error failAt(int column, const QString &message)
    {
        m_error = {column, message};
        return m_error;
    }

    bool comparison(Comparison &out)
    {
        const QStringView rest = m_text.mid(m_pos);
        struct Op
        {
            const char16_t *symbol;
            Comparison comparison;
        };
        static const Op ops[] = {{u"==", Comparison::Equal},       {u"!=", Comparison::NotEqual},
                                 {u"<=", Comparison::LessOrEqual}, {u">=", Comparison::GreaterOrEqual},
                                 {u"<", Comparison::Less},         {u">", Comparison::Greater}};
        for (const Op &op : ops) {
            if (rest.startsWith(QStringView(op.symbol))) {
                out = op.comparison;
                m_pos += QStringView(op.symbol).size();
                return true;
            }
        }
        if (rest.startsWith(u'='))
            fail(QStringLiteral("`=` is not an operator: use `==` to compare"));
        else if (rest.isEmpty())
            fail(QStringLiteral("expected a comparison operator (==, !=, <, <=, >, >=) at the end"));
        else
            fail(QStringLiteral("expected a comparison operator (==, !=, <, <=, >, >=), found `%1`")
                     .arg(rest.left(12).toString()));
        return false;
    }

    bool operand(Side side, Operand &out)
    {
        out.column = column();
        const qsizetype start = m_pos;
        bool ok = false;
        if (peek() == u'[')
            ok = placeholder(out);
        else if (peek() == u'"' || peek() == u'\'')
            ok = quoted(out);
        else if (peek().isLetter() && functionAhead())
            ok = function(side, out);
        else if (side == Side::Left && m_mode == ConditionParser::Mode::LogFilter)
            ok = field(out);
        else
            ok = bare(side, out);
        if (ok)
            out.source = m_text.mid(start, m_pos - start).trimmed().toString();
        return ok;
    }

    bool functionAhead() const
    {
        qsizetype i = m_pos;
        while (i < m_text.size() && (m_text[i].isLetterOrNumber() || m_text[i] == u'_'))
            ++i;
        while (i < m_text.size() && m_text[i].isSpace())
            ++i;
        return i < m_text.size() && m_text[i] == u'(';
    }

    bool placeholder(Operand &out)
    {
        out.kind = Operand::Kind::Placeholder;
        const int open = column();
        ++m_pos; // '['
        const qsizetype nameStart = m_pos;
        while (!atEnd() && peek() != u']' && !peek().isSpace())
            ++m_pos;
        if (peek() != u']') {
            failAt(open, QStringLiteral("unclosed `[`: placeholders look like `[STATUS]`"));
            return false;
        }
        out.name = m_text.mid(nameStart, m_pos - nameStart).toString();
        ++m_pos; // ']'
        if (!kPlaceholders.contains(out.name) || out.name == u"LINE") {
            failAt(open, QStringLiteral("unknown placeholder `[%1]`; known: %2")
                             .arg(out.name, knownList()));
            return false;
        }
        if (!path(out))
            return false;
        if (!takesPath(out.name) && !out.path.isEmpty()) {
            failAt(open, QStringLiteral("`[%1]` has no fields; only [BODY] and [HEADER] take a path").arg(out.name));
            return false;
        }
        if (out.name == u"HEADER" && out.path.size() != 1) {
            failAt(open, QStringLiteral("`[HEADER]` needs a header name, e.g. `[HEADER].Content-Type`"));
            return false;
        }
        return true;
    }

    static QString knownList()
    {
        QStringList names;
        for (const QString &p : kPlaceholders) {
            if (p != u"LINE")
                names << u'[' + p + u']';
        }
        return names.join(u", ");
    }

    bool path(Operand &out)
    {
        while (!atEnd()) {
            if (peek() == u'.') {
                const int dot = column();
                ++m_pos;
                const qsizetype segStart = m_pos;
                while (!atEnd() && isSegmentChar(peek()))
                    ++m_pos;
                if (m_pos == segStart) {
                    failAt(dot, QStringLiteral("expected a field name after `.`"));
                    return false;
                }
                out.path << m_text.mid(segStart, m_pos - segStart).toString();
            } else if (peek() == u'[') {
                const int open = column();
                ++m_pos;
                const qsizetype idxStart = m_pos;
                while (!atEnd() && (peek().isDigit() || peek() == u'*'))
                    ++m_pos;
                if (peek() != u']' || m_pos == idxStart) {
                    failAt(open, QStringLiteral("expected an array index such as `[0]` or `[*]`"));
                    return false;
                }
                out.path << m_text.mid(idxStart, m_pos - idxStart).toString();
                ++m_pos;
            } else {
                break;
            }
        }
        return true;
    }

    // A log-filter field path: `level`, `user.name`, `items[0]`.
    bool field(Operand &out)
    {
        out.kind = Operand::Kind::Placeholder;
        out.name = QStringLiteral("LINE");
        const qsizetype start = m_pos;
        while (!atEnd() && isSegmentChar(peek()))
            ++m_pos;
        if (m_pos == start) {
            fail(QStringLiteral("expected a field name such as `level` or `ok`"));
            return false;
        }
        out.path << m_text.mid(start, m_pos - start).toString();
        return path(out);
    }

    bool quoted(Operand &out)
    {
        out.kind = Operand::Kind::Literal;
        const QChar quote = peek();
        const int open = column();
        ++m_pos;
        QString text;
        while (!atEnd() && peek() != quote) {
            if (peek() == u'\\' && m_pos + 1 < m_text.size())
                ++m_pos;
            text += peek();
            ++m_pos;
        }
        if (atEnd()) {
            failAt(open, QStringLiteral("unterminated string: missing closing %1").arg(quote));
            return false;
        }
        ++m_pos;
        out.text = text;
        return true; // quoted text is always a string, never a number
    }

    bool bare(Side side, Operand &out)
    {
        out.kind = Operand::Kind::Literal;
        const qsizetype start = m_pos;
        if (side == Side::Left) {
            while (!atEnd() && !peek().isSpace() && !isOperatorChar(peek()))
                ++m_pos;
        } else {
            // Right side and arguments run to the end (or the next `,`/`)` inside a function), so
            // values with spaces need no quotes: `[BODY].message == all good`.
            while (!atEnd() && !(side == Side::Argument && (peek() == u',' || peek() == u')')))
                ++m_pos;
        }
        const QStringView raw = m_text.mid(start, m_pos - start).trimmed();
        if (raw.isEmpty()) {
            fail(side == Side::Argument ? QStringLiteral("expected a value") : QStringLiteral("expected a placeholder or value"));
            return false;
        }
        if (side == Side::Right) {
            for (QStringView sym : {u"==", u"!=", u"<=", u">="}) {
                if (const qsizetype at = raw.indexOf(sym); at >= 0) {
                    failAt(int(start + at) + 1, QStringLiteral("a second operator `%1`: one comparison per condition; quote the value if `%1` is part of it").arg(sym));
                    return false;
                }
            }
        }
        out.text = raw.toString();
        out.number = literalNumber(raw);
        return true;
    }

    bool function(Side side, Operand &out)
    {
        out.kind = Operand::Kind::Function;
        const int nameColumn = column();
        const qsizetype nameStart = m_pos;
        while (!atEnd() && (peek().isLetterOrNumber() || peek() == u'_'))
            ++m_pos;
        out.function = m_text.mid(nameStart, m_pos - nameStart).toString();
        skipSpace();
        ++m_pos; // '('
        static const QStringList known = {QStringLiteral("len"), QStringLiteral("has"), QStringLiteral("pat"),
                                          QStringLiteral("any"), QStringLiteral("age")};
        if (!known.contains(out.function)) {
            failAt(nameColumn, QStringLiteral("unknown function `%1()`; known: len(), has(), pat(), any(), age()")
                                   .arg(out.function));
            return false;
        }
        const bool rightOnly = out.function == u"pat" || out.function == u"any";
        if (rightOnly && side != Side::Right) {
            failAt(nameColumn, QStringLiteral("`%1()` belongs on the right of `==` or `!=`").arg(out.function));
            return false;
        }
        if (side == Side::Argument) {
            failAt(nameColumn, QStringLiteral("functions cannot be nested"));
            return false;
        }
        if (out.function == u"pat") {
            const qsizetype argStart = m_pos;
            int depth = 0;
            while (!atEnd() && !(peek() == u')' && depth == 0)) {
                depth += peek() == u'(' ? 1 : peek() == u')' ? -1 : 0;
                ++m_pos;
            }
            if (atEnd()) {
                failAt(nameColumn, QStringLiteral("missing `)` to close `pat(`"));
                return false;
            }
            Operand arg;
            arg.column = int(argStart) + 1;
            arg.text = m_text.mid(argStart, m_pos - argStart).trimmed().toString();
            arg.source = arg.text;
            if (arg.text.isEmpty()) {
                failAt(arg.column, QStringLiteral("`pat()` needs a pattern such as `pat(application/json*)`"));
                return false;
            }
            out.pattern = globToRegex(arg.text);
            out.args << arg;
            ++m_pos;
            return true;
        }
        for (;;) {
            skipSpace();
            if (peek() == u')' && out.args.isEmpty()) {
                fail(QStringLiteral("`%1()` needs an argument").arg(out.function));
                return false;
            }
            Operand arg;
            arg.column = column();
            const qsizetype argStart = m_pos;
            bool ok;
            if (peek() == u'[')
                ok = placeholder(arg);
            else if (peek() == u'"' || peek() == u'\'')
                ok = quoted(arg);
            else if (m_mode == ConditionParser::Mode::LogFilter && out.function != u"any")
                ok = field(arg);
            else
                ok = bare(Side::Argument, arg);
            if (!ok)
                return false;
            arg.source = m_text.mid(argStart, m_pos - argStart).trimmed().toString();
            out.args << arg;
            skipSpace();
            if (peek() == u',') {
                ++m_pos;
                continue;
            }
            if (peek() == u')') {
                ++m_pos;
                break;
            }
            fail(atEnd() ? QStringLiteral("missing `)` to close `%1(`").arg(out.function)
                         : QStringLiteral("expected `,` or `)` in `%1(`").arg(out.function));
            return false;
        }
        if (out.function != u"any") {
            if (out.args.size() != 1) {
                failAt(nameColumn, QStringLiteral("`%1()` takes one argument").arg(out.function));
                return false;
            }
            if (out.args.first().kind != Operand::Kind::Placeholder) {
                failAt(out.args.first().column,
                       QStringLiteral("`%1()` takes a placeholder such as `[BODY].items`").arg(out.function));
                return false;
            }
        }
        return true;
    }

    bool validate(const Condition &c)
    {
        const bool ordering = c.comparison != Comparison::Equal && c.comparison != Comparison::NotEqual;
        if (c.right.kind == Operand::Kind::Function && (c.right.function == u"pat" || c.right.function == u"any")
            && ordering) {
            failAt(c.right.column, QStringLiteral("`%1()` only works with `==` or `!=`").arg(c.right.function));
            return false;
        }
        if (c.left.kind == Operand::Kind::Literal && c.right.kind == Operand::Kind::Literal) {
            failAt(c.left.column, QStringLiteral("compares two constants; the left side should be a placeholder such as `[STATUS]`"));
            return false;
        }
        return true;
    }

    QStringView m_text;
    ConditionParser::Mode m_mode;
    qsizetype m_pos = 0;
    ConditionParser::Error m_error;
};

void collectPlaceholders(const Operand &o, QStringList &out)
{
    if (o.kind == Operand::Kind::Placeholder && !out.contains(o.name))
        out << o.name;
    for (const Operand &a : o.args)
        collectPlaceholders(a, out);
}

} // namespace

QString comparisonSymbol(Comparison c)
{
    switch (c) {
    case Comparison::Equal: return QStringLiteral("==");
    case Comparison::NotEqual: return QStringLiteral("!=");
    case Comparison::Less: return QStringLiteral("<");
    case Comparison::LessOrEqual: return QStringLiteral("<=");
    case Comparison::Greater: return QStringLiteral(">");
    case Comparison::GreaterOrEqual: return QStringLiteral(">=");
    }
    return {};
}

QStringList Condition::placeholders() const
{
    QStringList out;
    collectPlaceholders(left, out);
    collectPlaceholders(right, out);
    return out;
}

std::variant<Condition, ConditionParser::Error> ConditionParser::parse(QStringView text, Mode mode)
{
    return Parser(text, mode).run();
}

const QStringList &ConditionParser::knownPlaceholders()
{
    return kPlaceholders;
}
