#include "duration.h"

#include <limits>

namespace Duration {

std::optional<qint64> parse(QStringView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    qint64 total = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype numberStart = i;
        while (i < text.size() && (text[i].isDigit() || text[i] == u'.'))
            ++i;
        if (i == numberStart)
            return std::nullopt;
        bool ok = false;
        const double number = text.mid(numberStart, i - numberStart).toDouble(&ok);
        if (!ok)
            return std::nullopt;
        const qsizetype unitStart = i;
        while (i < text.size() && text[i].isLetter())
            ++i;
        const QStringView unit = text.mid(unitStart, i - unitStart);
        double factor = 0;
        if (unit == u"ms")
            factor = 1;
        else if (unit == u"s")
            factor = 1000;
        else if (unit == u"m")
            factor = 60'000;
        else if (unit == u"h")
            factor = 3'600'000;
        else if (unit == u"d")
            factor = 86'400'000;
        else
            return std::nullopt; // a bare number is not a duration: "10" could mean seconds or ms
        const double value = number * factor;
        if (value > double(std::numeric_limits<qint64>::max() / 2))
            return std::nullopt;
        total += qint64(value);
    }
    return total;
}

QString format(qint64 ms)
{
    const bool negative = ms < 0;
    if (negative)
        ms = -ms;
    QString out;
    if (ms < 1000) {
        out = QString::number(ms) + u"ms";
    } else if (ms < 60'000) {
        const qint64 tenths = (ms % 1000) / 100;
        out = QString::number(ms / 1000) + (tenths && ms < 10'000 ? u'.' + QString::number(tenths) : QString())
            + u's';
    } else if (ms < 3'600'000) {
        const qint64 s = (ms / 1000) % 60;
        out = QString::number(ms / 60'000) + u'm' + (s ? u' ' + QString::number(s) + u's' : QString());
    } else if (ms < 86'400'000) {
        const qint64 m = (ms / 60'000) % 60;
        out = QString::number(ms / 3'600'000) + u'h' + (m ? u' ' + QString::number(m) + u'm' : QString());
    } else {
        const qint64 h = (ms / 3'600'000) % 24;
        out = QString::number(ms / 86'400'000) + u'd' + (h ? u' ' + QString::number(h) + u'h' : QString());
    }
    return negative ? u'-' + out : out;
}

QString formatLatency(double ms)
{
    if (ms < 0)
        return QStringLiteral("-");
    if (ms < 10)
        return QString::number(ms, 'f', 1) + QStringLiteral("ms");
    return format(qint64(ms + 0.5));
}

QString expectedForm()
{
    return QStringLiteral("a number followed by ms, s, m, h or d (e.g. 500ms, 10s, 5m, 1h, 2d)");
}

} // namespace Duration
