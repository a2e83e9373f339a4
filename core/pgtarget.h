#pragma once

#include "storelocation.h"

#include <QMap>
#include <QPair>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <optional>

// A PostgreSQL database the pg-dump / pg-restore built-ins and backup verification work on, from
// the action's `source` URL (postgresql://user:password@host:port/db, the password already
// expanded from ${secret:NAME}). The password goes to programs through PGPASSWORD, never argv.
class PgTarget
{
public:
    static std::optional<PgTarget> parse(const QString &url, QString *error);

    const StoreLocation &location() const { return m_location; }
    QString database() const { return m_location.database; }
    // For messages: the URL without its password.
    QString display() const { return m_location.displayString(); }
    // The same server, another database (a scratch database for verification).
    PgTarget withDatabase(const QString &database) const;

    // -h HOST -p PORT -U USER --no-password (the database is added by the caller).
    QStringList connectionArgs() const;
    // PGPASSWORD (when there is one) and PGCONNECT_TIMEOUT.
    QList<QPair<QString, QString>> environment() const;

    // A QPSQL connection named `connectionName` in the calling thread; the caller removes it
    // (QSqlDatabase::removeDatabase) when done.
    bool open(const QString &connectionName, QString *error) const;
    // Row count of every ordinary table outside the system schemas, keyed "schema.table".
    static std::optional<QMap<QString, qint64>> tableCounts(const QSqlDatabase &db, QString *error);
    // Runs one statement; the error text with the password masked.
    bool exec(const QSqlDatabase &db, const QString &sql, QString *error) const;

private:
    QString clean(QString text) const;
    StoreLocation m_location;
};
