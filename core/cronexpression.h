#pragma once

#include <QString>
#include <bitset>
#include <optional>

// A classic five-field cron expression — minute, hour, day of month, month, day of week — for
// recurring maintenance windows ("0 2 * * sun": Sundays at 02:00). Fields take `*`, numbers,
// ranges (1-5), lists (1,15), steps (*/15, 0-30/10) and, for months and weekdays, names (jan, sun).
// When both day fields are restricted either may match, as in cron. Times are UTC.
class CronExpression
{
public:
    // nullopt with `error` set (naming the field) when the text is not a cron expression.
    static std::optional<CronExpression> parse(const QString &text, QString *error);

    bool matches(qint64 ms) const; // the minute holding ms
    // Whether a window of `lengthMs` starting at a matching minute covers `ms`.
    bool activeAt(qint64 ms, qint64 lengthMs) const;
    // The first matching minute strictly after `ms`, within a year and a day; -1 if none.
    qint64 next(qint64 ms) const;
    QString text() const { return m_text; }

private:
    QString m_text;
    std::bitset<60> m_minutes;
    std::bitset<24> m_hours;
    std::bitset<32> m_days;   // 1..31
    std::bitset<13> m_months; // 1..12
    std::bitset<8> m_weekdays; // 0 = Sunday; 7, Sunday again, is folded into 0
    bool m_anyDay = true;
    bool m_anyWeekday = true;
};
