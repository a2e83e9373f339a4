#include "quiethours.h"

#include <QDateTime>

QuietHours::QuietHours(QTime from, QTime to)
    : m_from(from)
    , m_to(to)
{
}

QuietHours QuietHours::fromStrings(const QString &from, const QString &to)
{
    const QString format = QStringLiteral("HH:mm");
    return QuietHours(QTime::fromString(from.trimmed(), format), QTime::fromString(to.trimmed(), format));
}

bool QuietHours::contains(QTime t) const
{
    if (isEmpty() || !t.isValid())
        return false;
    if (m_from < m_to)
        return t >= m_from && t < m_to;
    return t >= m_from || t < m_to; // spans midnight
}

bool QuietHours::contains(qint64 atMs, const QTimeZone &zone) const
{
    return !isEmpty() && contains(QDateTime::fromMSecsSinceEpoch(atMs, zone).time());
}

qint64 QuietHours::endAfter(qint64 atMs, const QTimeZone &zone) const
{
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(atMs, zone);
    if (!contains(local.time()))
        return atMs;
    QDate endDate = local.date();
    if (m_from > m_to && local.time() >= m_from)
        endDate = endDate.addDays(1);
    qint64 end = QDateTime(endDate, m_to, zone).toMSecsSinceEpoch();
    // An end that falls into a DST gap is moved by Qt; never answer with a time already past.
    while (end <= atMs)
        end = QDateTime(endDate = endDate.addDays(1), m_to, zone).toMSecsSinceEpoch();
    return end;
}

QString QuietHours::toString() const
{
    if (isEmpty())
        return {};
    const QString format = QStringLiteral("HH:mm");
    return m_from.toString(format) + u'-' + m_to.toString(format);
}
