#pragma once

#include <QByteArray>
#include <QString>

// A PostgreSQL array literal such as {1,NULL,3} or {"a","say \"hi\""}, built one element at a
// time. Multi-row statements take their rows as one such array per column, which the server
// unnests: a VALUES list would make it parse and bind every value as a parameter of its own,
// which costs more than writing the row.
class PgArrayLiteral
{
public:
    explicit PgArrayLiteral(qsizetype elements = 0);

    void add(qint64 value);
    // Quoted, so NULL, braces, commas and blanks in it are text; stored as storedText() says.
    void add(const QString &value);
    // A bytea element in hex ("\\x0a1b").
    void add(const QByteArray &bytes);
    void addNull();

    // The literal, and the builder empty again.
    QString take();

private:
    void separate();

    QString m_text;
};
