#pragma once

#include <QString>
#include <QTime>
#include <QTimeZone>

// A channel's daily quiet period in local time, e.g. 22:00-07:00; it may span midnight. The start
// is inside, the end is not. Equal ends (or none) mean no quiet hours.
class QuietHours
{
public:
    QuietHours() = default;
    QuietHours(QTime from, QTime to);
    // From a channel's quietFrom/quietTo ("HH:mm", as the config loader checked them); empty or
    // unreadable values give no quiet hours.
    static QuietHours fromStrings(const QString &from, const QString &to);

    bool isEmpty() const { return !m_from.isValid() || !m_to.isValid() || m_from == m_to; }
    QTime from() const { return m_from; }
    QTime to() const { return m_to; }

    bool contains(QTime localTime) const;
    bool contains(qint64 atMs, const QTimeZone &zone) const;
    // When the quiet period around atMs ends (ms since the epoch, UTC); atMs when it is not quiet.
    // Computed in `zone`, so a DST change during the night moves the end with the wall clock.
    qint64 endAfter(qint64 atMs, const QTimeZone &zone) const;
    QString toString() const; // "22:00-07:00", empty when none

private:
    QTime m_from;
    QTime m_to;
};
