#pragma once

#include "sqldialect.h"
#include "storelocation.h"

#include <QSqlDatabase>
#include <QString>

// A connection to the store for what the operator does — incidents, maintenance, the audit log —
// as opposed to the history writer's own connection. Writes here are rare and small (an ack, a
// note) and go straight through in the caller's thread; the schema is the history store's, so open
// the HistoryStore (which migrates) first. Used only in the thread that opened it.
class OpsDatabase
{
public:
    OpsDatabase() = default;
    ~OpsDatabase();
    Q_DISABLE_COPY_MOVE(OpsDatabase)

    bool open(const StoreLocation &location, QString *error);
    void close();
    bool isOpen() const { return m_open; }

    QSqlDatabase db() const;
    SqlDialect dialect() const { return m_dialect; }
    // A write transaction: BEGIN IMMEDIATE on SQLite (writers queue instead of failing later),
    // BEGIN on PostgreSQL.
    bool begin(QString *error) const;
    bool commit(QString *error) const;
    void rollback() const;

private:
    QString m_name;
    SqlDialect m_dialect = SqlDialect::Sqlite;
    bool m_open = false;
};
