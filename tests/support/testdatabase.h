#pragma once

#include "packedrollups.h"
#include "schemamigrations.h"
#include "sqldialect.h"
#include "storelocation.h"

#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTemporaryDir>
#include <QStringList>
#include <QVariant>

#include <algorithm>

// One test's database: a fresh SQLite file in a temporary folder, or a fresh database on the
// PostgreSQL server of OPSDECK_TEST_PG_URL, created here and dropped again at the end (ctest runs
// suites in parallel, and every test starts from nothing). It also gives the test a connection of
// its own, to look at or tamper with what is behind the store; statements go through dialectSql(),
// so they may use its placeholders.
class TestDatabase
{
public:
    explicit TestDatabase(const QString &backend, const QString &fileName = QStringLiteral("h.sqlite"))
        : m_postgres(backend == u"postgresql")
        , m_raw(QStringLiteral("tst-raw-%1").arg(++s_serial))
    {
        if (!m_postgres) {
            m_location = StoreLocation::sqliteFile(m_dir.filePath(fileName));
            return;
        }
        const QString url = qEnvironmentVariable("OPSDECK_TEST_PG_URL");
        if (url.isEmpty()) {
            m_unavailable = true;
            return;
        }
        const auto server = StoreLocation::parse(url, &m_error);
        if (!server)
            return;
        m_name = QStringLiteral("opsdeck_t_%1").arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
        m_location = *server;
        m_error = admin(QStringLiteral("CREATE DATABASE ") + m_name);
        m_location.database = m_name;
    }
    ~TestDatabase()
    {
        closeRaw();
        if (!m_name.isEmpty()) {
            const QString why = admin(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_name));
            if (!why.isEmpty())
                qWarning("could not drop the test database %s: %s", qPrintable(m_name), qPrintable(why));
        }
    }
    Q_DISABLE_COPY_MOVE(TestDatabase)

    bool isPostgres() const { return m_postgres; }
    bool unavailable() const { return m_unavailable; }
    QString error() const { return m_error; }
    StoreLocation location() const { return m_location; }
    QString path() const { return m_location.path; }
    SqlDialect dialect() const { return m_postgres ? SqlDialect::PostgreSql : SqlDialect::Sqlite; }

    QString exec(const QString &sql) const // empty on success, else the error
    {
        QSqlQuery q(raw());
        const QString text = dialectSql(dialect(), sql);
        return q.exec(text) ? QString() : q.lastError().text() + QStringLiteral(" — ") + text;
    }
    QVariant scalar(const QString &sql) const
    {
        QSqlQuery q(raw());
        if (!q.exec(dialectSql(dialect(), sql)) || !q.next())
            return QString(QStringLiteral("error: ") + q.lastError().text());
        return q.value(0);
    }
    qint64 count(const QString &sql) const { return scalar(sql).toLongLong(); }
    // A rollup table's rows as a derived table to select from: (check_id, bucket, total, good,
    // latency_good, unknown, histogram), on PostgreSQL with its packed rows unnested (see
    // PackedRollups), so a test sees one row per bucket whether or not a pass packed them.
    QString rollupRows(const QString &table) const
    {
        const auto resolution = std::find_if(kRollupResolutions.cbegin(), kRollupResolutions.cend(),
                                             [&](RollupResolution r) { return rollupTable(r) == table; });
        Q_ASSERT(resolution != kRollupResolutions.cend());
        QStringList ids = {QStringLiteral("-1")};
        for (const QVariantList &row : rows(QStringLiteral("SELECT id FROM checks")))
            ids << row.at(0).toString();
        constexpr qint64 kAll = qint64(1) << 60;
        return QStringLiteral("(SELECT check_id, bucket, total, good, latency_good, unknown, histogram FROM %1) AS t")
            .arg(PackedRollups::rowsSql(dialect(), *resolution, ids.join(u','), -kAll, kAll, true));
    }
    QList<QVariantList> rows(const QString &sql) const
    {
        QList<QVariantList> out;
        QSqlQuery q(raw());
        q.setForwardOnly(true);
        if (!q.exec(dialectSql(dialect(), sql))) {
            qWarning("%s — %s", qPrintable(q.lastError().text()), qPrintable(sql));
            return out;
        }
        while (q.next()) {
            QVariantList row;
            for (int i = 0; i < q.record().count(); ++i)
                row << q.value(i);
            out << row;
        }
        return out;
    }
    QStringList tables() const { return raw().tables(); }
    // The test's own connection, for reading the store the way a reader does.
    QSqlDatabase connection() const { return raw(); }
    void closeRaw()
    {
        if (!QSqlDatabase::contains(m_raw))
            return;
        {
            QSqlDatabase db = QSqlDatabase::database(m_raw, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_raw);
    }

private:
    QSqlDatabase raw() const
    {
        if (QSqlDatabase::contains(m_raw))
            return QSqlDatabase::database(m_raw, false);
        QSqlDatabase db = QSqlDatabase::addDatabase(m_postgres ? QStringLiteral("QPSQL") : QStringLiteral("QSQLITE"), m_raw);
        if (m_postgres)
            connectTo(db, m_location);
        else
            db.setDatabaseName(m_location.path);
        if (!m_postgres)
            db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open())
            qWarning("the test's own connection does not open: %s", qPrintable(db.lastError().text()));
        else if (m_postgres)
            QSqlQuery(db).exec(QStringLiteral("SET client_min_messages = warning"));
        return db;
    }
    static void connectTo(QSqlDatabase &db, const StoreLocation &where)
    {
        db.setHostName(where.host);
        db.setPort(where.port);
        db.setUserName(where.user);
        db.setPassword(where.password);
        db.setDatabaseName(where.database);
    }
    QString admin(const QString &sql) const // on the server's own database; empty on success
    {
        const QString name = m_raw + QStringLiteral("-admin");
        QString why;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
            StoreLocation server = m_location;
            server.database = QStringLiteral("postgres");
            connectTo(db, server);
            if (!db.open()) {
                why = db.lastError().text();
            } else {
                QSqlQuery q(db);
                if (!q.exec(sql))
                    why = q.lastError().text() + QStringLiteral(" — ") + sql;
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
        return why;
    }

    static inline int s_serial = 0;
    bool m_postgres = false;
    bool m_unavailable = false;
    QString m_error;
    QTemporaryDir m_dir;
    StoreLocation m_location;
    QString m_name; // PostgreSQL: the database made for this test
    QString m_raw;
};
