#include "cronexpression.h"

#include <QDateTime>
#include <QStringList>

namespace {

const QStringList kMonths = {QStringLiteral("jan"), QStringLiteral("feb"), QStringLiteral("mar"), QStringLiteral("apr"),
                             QStringLiteral("may"), QStringLiteral("jun"), QStringLiteral("jul"), QStringLiteral("aug"),
                             QStringLiteral("sep"), QStringLiteral("oct"), QStringLiteral("nov"), QStringLiteral("dec")};
const QStringList kWeekdays = {QStringLiteral("sun"), QStringLiteral("mon"), QStringLiteral("tue"), QStringLiteral("wed"),
                               QStringLiteral("thu"), QStringLiteral("fri"), QStringLiteral("sat")};

template<std::size_t N>
bool parseField(const QString &field, int low, int high, const QStringList &names, int nameBase, std::bitset<N> &out,
                bool *any, QString *error, const QString &what)
{
    auto value = [&](const QString &t, int *v) {
        const qsizetype named = names.indexOf(t.toLower());
        if (named >= 0) {
            *v = int(named) + nameBase;
            return true;
        }
        bool ok = false;
        *v = t.toInt(&ok);
        return ok && *v >= low && *v <= high;
    };
    *any = field == u"*";
    for (const QString &part : field.split(u',')) {
        QString range = part;
        int step = 1;
        if (const qsizetype slash = part.indexOf(u'/'); slash >= 0) {
            bool ok = false;
            step = part.mid(slash + 1).toInt(&ok);
            if (!ok || step <= 0) {
                *error = QStringLiteral("bad step in the %1 field `%2`").arg(what, part);
                return false;
            }
            range = part.left(slash);
        }
        int from = low, to = high;
        if (range != u"*") {
            const qsizetype dash = range.indexOf(u'-');
            if (!value(dash >= 0 ? range.left(dash) : range, &from) || (dash >= 0 && !value(range.mid(dash + 1), &to))) {
                *error = QStringLiteral("`%1` is not valid in the %2 field (%3 to %4)").arg(part, what).arg(low).arg(high);
                return false;
            }
            if (dash < 0)
                to = step > 1 ? high : from;
            if (from > to) {
                *error = QStringLiteral("the range `%1` in the %2 field runs backwards").arg(part, what);
                return false;
            }
        }
        for (int v = from; v <= to; v += step)
            out.set(std::size_t(v));
    }
    return true;
}

} // namespace

std::optional<CronExpression> CronExpression::parse(const QString &text, QString *error)
{
    const QStringList fields = text.simplified().split(u' ', Qt::SkipEmptyParts);
    if (fields.size() != 5) {
        *error = QStringLiteral("a cron expression has five fields (minute hour day-of-month month day-of-week), e.g. `0 2 * * sun`; got %1")
                     .arg(fields.size());
        return std::nullopt;
    }
    CronExpression c;
    c.m_text = text.simplified();
    bool dummy = false;
    if (!parseField(fields[0], 0, 59, {}, 0, c.m_minutes, &dummy, error, QStringLiteral("minute"))
        || !parseField(fields[1], 0, 23, {}, 0, c.m_hours, &dummy, error, QStringLiteral("hour"))
        || !parseField(fields[2], 1, 31, {}, 0, c.m_days, &c.m_anyDay, error, QStringLiteral("day of month"))
        || !parseField(fields[3], 1, 12, kMonths, 1, c.m_months, &dummy, error, QStringLiteral("month"))
        || !parseField(fields[4], 0, 7, kWeekdays, 0, c.m_weekdays, &c.m_anyWeekday, error, QStringLiteral("day of week")))
        return std::nullopt;
    if (c.m_weekdays.test(7))
        c.m_weekdays.set(0); // 7 is Sunday too
    return c;
}

bool CronExpression::matches(qint64 ms) const
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    const QDate d = t.date();
    if (!m_minutes.test(std::size_t(t.time().minute())) || !m_hours.test(std::size_t(t.time().hour()))
        || !m_months.test(std::size_t(d.month())))
        return false;
    const bool dayOk = m_days.test(std::size_t(d.day()));
    const bool weekdayOk = m_weekdays.test(std::size_t(d.dayOfWeek() % 7));
    if (m_anyDay && m_anyWeekday)
        return true;
    if (m_anyDay)
        return weekdayOk;
    if (m_anyWeekday)
        return dayOk;
    return dayOk || weekdayOk;
}

bool CronExpression::activeAt(qint64 ms, qint64 lengthMs) const
{
    const qint64 minute = ms - ms % 60'000;
    for (qint64 start = minute; start > ms - lengthMs; start -= 60'000)
        if (matches(start))
            return true;
    return false;
}

qint64 CronExpression::next(qint64 ms) const
{
    qint64 t = ms - ms % 60'000 + 60'000;
    const qint64 limit = t + 367LL * 86'400'000;
    while (t < limit) {
        const QDateTime dt = QDateTime::fromMSecsSinceEpoch(t, Qt::UTC);
        // Skip whole hours and days that cannot match.
        if (!m_months.test(std::size_t(dt.date().month())) || !m_hours.test(std::size_t(dt.time().hour()))) {
            t += 3'600'000 - (t % 3'600'000);
            continue;
        }
        if (matches(t))
            return t;
        t += 60'000;
    }
    return -1;
}
