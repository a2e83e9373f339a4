#include "pgtarget.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

std::optional<PgTarget> PgTarget::parse(const QString &url, QString *error)
{
    if (!url.startsWith(QLatin1String("postgresql://")) && !url.startsWith(QLatin1String("postgres://"))) {
        *error = QStringLiteral("`source` must be a postgresql://user@host:port/db URL");
        return std::nullopt;
    }
    QString why;
    const auto location = StoreLocation::parse(url, &why);
    if (!location) {
        *error = QStringLiteral("`source`: ") + why;
        return std::nullopt;
    }
    if (location->password.contains(QLatin1String("${secret:"))) {
        *error = QStringLiteral("the password of %1 is a ${secret:…} reference that was not expanded").arg(location->displayString());
        return std::nullopt;
    }
    PgTarget t;
    t.m_location = *location;
    return t;
}

PgTarget PgTarget::withDatabase(const QString &database) const
{
    PgTarget t = *this;
    t.m_location.database = database;
    return t;
}

QStringList PgTarget::connectionArgs() const
{
    QStringList args{QStringLiteral("-h"), m_location.host, QStringLiteral("-p"), QString::number(m_location.port)};
    if (!m_location.user.isEmpty())
        args << QStringLiteral("-U") << m_location.user;
    args << QStringLiteral("--no-password");
    return args;
}

QList<QPair<QString, QString>> PgTarget::environment() const
{
    QList<QPair<QString, QString>> env{{QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("10")}};
    if (!m_location.password.isEmpty())
        env.append({QStringLiteral("PGPASSWORD"), m_location.password});
    for (const QString &option : m_location.connectOptions.split(u';', Qt::SkipEmptyParts))
        if (option.startsWith(QLatin1String("sslmode=")))
            env.append({QStringLiteral("PGSSLMODE"), option.mid(8)});
    return env;
}

QString PgTarget::clean(QString text) const
{
    if (m_location.password.size() >= 1)
        text.replace(m_location.password, QStringLiteral("***"));
    return text.trimmed();
}

bool PgTarget::open(const QString &connectionName, QString *error) const
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        *error = QStringLiteral("the Qt PostgreSQL driver (QPSQL) is not installed (Debian: libqt6sql6-psql)");
        return false;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    db.setHostName(m_location.host);
    db.setPort(m_location.port);
    db.setUserName(m_location.user);
    db.setPassword(m_location.password);
    db.setDatabaseName(m_location.database);
    QString options = m_location.connectOptions;
    if (!options.contains(QLatin1String("connect_timeout")))
        options += QLatin1String(options.isEmpty() ? "" : ";") + QStringLiteral("connect_timeout=10");
    db.setConnectOptions(options);
    if (!db.open()) {
        *error = QStringLiteral("cannot connect to %1: %2").arg(display(), clean(db.lastError().text()));
        return false;
    }
    QSqlQuery(db).exec(QStringLiteral("SET client_min_messages = warning"));
    return true;
}

bool PgTarget::exec(const QSqlDatabase &db, const QString &sql, QString *error) const
{
    QSqlQuery q(db);
    if (q.exec(sql))
        return true;
    *error = clean(q.lastError().text());
    return false;
}

std::optional<QMap<QString, qint64>> PgTarget::tableCounts(const QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT schemaname, tablename FROM pg_tables "
                               "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
                               "AND schemaname NOT LIKE 'pg\\_toast%' ORDER BY 1, 2"))) {
        *error = QStringLiteral("cannot list the tables: ") + q.lastError().text().trimmed();
        return std::nullopt;
    }
    QList<QPair<QString, QString>> tables;
    while (q.next())
        tables.append({q.value(0).toString(), q.value(1).toString()});
    QMap<QString, qint64> counts;
    auto quoted = [](QString s) -> QString { return u'"' + s.replace(u'"', QStringLiteral("\"\"")) + u'"'; };
    for (const auto &[schema, table] : tables) {
        QSqlQuery c(db);
        c.setForwardOnly(true);
        if (!c.exec(QStringLiteral("SELECT COUNT(*) FROM %1.%2").arg(quoted(schema), quoted(table))) || !c.next()) {
            *error = QStringLiteral("cannot count the rows of %1.%2: %3").arg(schema, table, c.lastError().text().trimmed());
            return std::nullopt;
        }
        counts.insert(schema + u'.' + table, c.value(0).toLongLong());
    }
    return counts;
}
