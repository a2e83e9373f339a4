#include "logfilter.h"

#include "conditionevaluator.h"

namespace {

class LineContext final : public ConditionContext
{
public:
    explicit LineContext(const QJsonObject &line)
        : m_line(line)
    {
    }
    std::optional<QJsonValue> root(const QString &name) const override
    {
        if (name == u"LINE")
            return QJsonValue(m_line);
        return std::nullopt;
    }

private:
    const QJsonObject &m_line;
};

} // namespace

LogFilter::LogFilter(const QList<Condition> &conditions)
    : m_conditions(conditions)
{
}

std::variant<LogFilter, ConditionParser::Error> LogFilter::parse(QStringView text)
{
    if (text.trimmed().isEmpty())
        return LogFilter();
    auto parsed = ConditionParser::parse(text, ConditionParser::Mode::LogFilter);
    if (auto *e = std::get_if<ConditionParser::Error>(&parsed))
        return *e;
    return LogFilter({std::get<Condition>(parsed)});
}

QString LogFilter::text() const
{
    QStringList parts;
    for (const Condition &c : m_conditions)
        parts << c.text;
    return parts.join(QStringLiteral(" && "));
}

bool LogFilter::matches(const QJsonObject &line, qint64 nowMs) const
{
    const LineContext ctx(line);
    for (const Condition &c : m_conditions) {
        if (!ConditionEvaluator::evaluate(c, ctx, nowMs).passed)
            return false;
    }
    return true;
}
