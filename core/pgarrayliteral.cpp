#include "pgarrayliteral.h"

#include "sqldialect.h"

#include <utility>

PgArrayLiteral::PgArrayLiteral(qsizetype elements)
{
    m_text.reserve(elements * 12 + 2);
}

void PgArrayLiteral::add(qint64 value)
{
    separate();
    m_text += QString::number(value);
}

void PgArrayLiteral::add(const QString &value)
{
    separate();
    m_text += u'"';
    for (const QChar c : storedText(value)) {
        if (c == u'"' || c == u'\\')
            m_text += u'\\';
        m_text += c;
    }
    m_text += u'"';
}

void PgArrayLiteral::add(const QByteArray &bytes)
{
    separate();
    m_text += u"\"\\\\x";
    m_text += QLatin1String(bytes.toHex());
    m_text += u'"';
}

void PgArrayLiteral::addNull()
{
    separate();
    m_text += u"NULL";
}

QString PgArrayLiteral::take()
{
    if (m_text.isEmpty())
        m_text += u'{';
    m_text += u'}';
    return std::exchange(m_text, {});
}

void PgArrayLiteral::separate()
{
    m_text += m_text.isEmpty() ? u'{' : u',';
}
