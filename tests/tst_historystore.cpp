#include "historystore.h"
#include "historywriter.h"
#include "schemamigrations.h"
#include "storelocation.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QFile>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <algorithm>
#include <memory>

namespace {

constexpr qint64 kT0 = 1'763'000'000'000; // 2025-11-13T02:13:20Z

// The version-1 schema exactly as OpsDeck 0.1 created it. Kept verbatim here (not taken from the
// code) because the point is to upgrade a file written by the old code.
const QStringList kV1Ddl = {
    QStringLiteral("CREATE TABLE results (service TEXT NOT NULL, check_name TEXT NOT NULL, ts INTEGER NOT NULL, "
                   "outcome TEXT NOT NULL, latency_ms REAL, error TEXT NOT NULL DEFAULT '')"),
    QStringLiteral("CREATE INDEX results_v1_key_ts ON results (service, check_name, ts)"),
};
const QString kSchemaVersionDdl = QStringLiteral(
    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL, description TEXT NOT NULL)");
const QStringList kV2ResultsDdl = {
    QStringLiteral("CREATE TABLE results (id INTEGER PRIMARY KEY, check_id INTEGER NOT NULL REFERENCES checks (id), "
                   "ts INTEGER NOT NULL, outcome INTEGER NOT NULL, latency_ms REAL, http_status INTEGER, "
                   "error TEXT NOT NULL DEFAULT '', failed_condition TEXT NOT NULL DEFAULT '', "
                   "actual_value TEXT NOT NULL DEFAULT '', network_error INTEGER NOT NULL DEFAULT 0)"),
    QStringLiteral("CREATE INDEX results_check_ts ON results (check_id, ts)"),
};

// A plain connection of the test's own, to look at or tamper with the file behind the store.
class RawDb
{
public:
    explicit RawDb(const QString &path)
        : m_name(QStringLiteral("tst-raw-%1").arg(++s_serial))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        m_ok = db.open();
    }
    ~RawDb()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    Q_DISABLE_COPY_MOVE(RawDb)

    bool isOpen() const { return m_ok; }
    QString exec(const QString &sql) const // empty on success, else the error
    {
        QSqlQuery q(QSqlDatabase::database(m_name, false));
        return q.exec(sql) ? QString() : q.lastError().text() + QStringLiteral(" — ") + sql;
    }
    QVariant scalar(const QString &sql) const
    {
        QSqlQuery q(QSqlDatabase::database(m_name, false));
        if (!q.exec(sql) || !q.next())
            return QString(QStringLiteral("error: ") + q.lastError().text());
        return q.value(0);
    }
    int rowCount(const QString &sql) const
    {
        QSqlQuery q(QSqlDatabase::database(m_name, false));
        if (!q.exec(sql))
            return -1;
        int n = 0;
        while (q.next())
            ++n;
        return n;
    }
    QStringList tables() const { return QSqlDatabase::database(m_name, false).tables(); }

private:
    static inline int s_serial = 0;
    QString m_name;
    bool m_ok = false;
};

CheckResult result(const QString &service, const QString &check, qint64 at, Health outcome, double latency = -1,
                   int http = 0)
{
    CheckResult r;
    r.service = service;
    r.check = check;
    r.atMs = at;
    r.outcome = outcome;
    r.latencyMs = latency;
    r.httpStatus = http;
    return r;
}

StateTransition transition(const QString &service, const QString &check, qint64 at, Health from, Health to,
                           const QString &reason)
{
    StateTransition t;
    t.service = service;
    t.check = check;
    t.atMs = at;
    t.from = from;
    t.to = to;
    t.reason = reason;
    return t;
}

QString diff(const CheckResult &a, const CheckResult &e)
{
    QStringList out;
    const auto field = [&](const char *name, const auto &x, const auto &y) {
        if (!(x == y))
            out << QStringLiteral("%1: got `%2`, expected `%3`")
                       .arg(QLatin1String(name), QVariant::fromValue(x).toString(), QVariant::fromValue(y).toString());
    };
    field("service", a.service, e.service);
    field("check", a.check, e.check);
    field("atMs", a.atMs, e.atMs);
    field("outcome", healthName(a.outcome), healthName(e.outcome));
    field("latencyMs", a.latencyMs, e.latencyMs);
    field("httpStatus", a.httpStatus, e.httpStatus);
    field("error", a.error, e.error);
    field("failedCondition", a.failedCondition, e.failedCondition);
    field("actualValue", a.actualValue, e.actualValue);
    field("networkError", a.networkError, e.networkError);
    return out.join(QLatin1String("; "));
}

QString diff(const StateTransition &a, const StateTransition &e)
{
    QStringList out;
    if (a.service != e.service || a.check != e.check || a.atMs != e.atMs || a.from != e.from || a.to != e.to
        || a.reason != e.reason)
        out << QStringLiteral("got %1/%2@%3 %4→%5 `%6`, expected %7/%8@%9 %10→%11 `%12`")
                   .arg(a.service, a.check, QString::number(a.atMs), healthName(a.from), healthName(a.to), a.reason,
                        e.service, e.check, QString::number(e.atMs))
                   .arg(healthName(e.from), healthName(e.to), e.reason);
    return out.join(QLatin1String("; "));
}

template<typename T>
QString diffLists(const QList<T> &actual, const QList<T> &expected)
{
    if (actual.size() != expected.size())
        return QStringLiteral("got %1 rows, expected %2").arg(actual.size()).arg(expected.size());
    for (qsizetype i = 0; i < actual.size(); ++i) {
        const QString d = diff(actual.at(i), expected.at(i));
        if (!d.isEmpty())
            return QStringLiteral("row %1: %2").arg(i).arg(d);
    }
    return {};
}

} // namespace

class TestHistoryStore : public QObject
{
    Q_OBJECT

private:
    // Fixture rows with every field set, including the awkward ones (no latency, no HTTP status,
    // non-ASCII text, a network error).
    QList<CheckResult> m_results;
    QList<StateTransition> m_transitions;

    void checkFixture(const HistoryStore &store)
    {
        const CheckResult &apiDown = m_results.at(0), &apiUp = m_results.at(1), &db = m_results.at(2),
                          &other = m_results.at(3);
        QString d = diffLists(store.results(QStringLiteral("billing"), QString(), 0), {apiUp, db, apiDown});
        QVERIFY2(d.isEmpty(), qPrintable(d));
        d = diffLists(store.results(QStringLiteral("billing"), QStringLiteral("api"), 0), {apiUp, apiDown});
        QVERIFY2(d.isEmpty(), qPrintable(d));
        d = diffLists(store.results(QStringLiteral("billing"), QStringLiteral("api"), kT0 + 1), {apiUp});
        QVERIFY2(d.isEmpty(), qPrintable(d));
        d = diffLists(store.results(QStringLiteral("billing"), QString(), 0, 2), {apiUp, db});
        QVERIFY2(d.isEmpty(), qPrintable(d));
        d = diffLists(store.results(QStringLiteral("other"), QString(), 0, 0), {other});
        QVERIFY2(d.isEmpty(), qPrintable(d));
        QVERIFY(store.results(QStringLiteral("nobody"), QString(), 0).isEmpty());

        const auto latest = store.latest(QStringLiteral("billing"), QStringLiteral("db"));
        QVERIFY(latest.has_value());
        d = diff(*latest, db);
        QVERIFY2(d.isEmpty(), qPrintable(d));
        QVERIFY(!store.latest(QStringLiteral("billing"), QStringLiteral("nope")).has_value());

        QCOMPARE(store.services(), QStringList({QStringLiteral("billing"), QStringLiteral("other"),
                                                QStringLiteral("quiet")}));

        d = diffLists(store.transitions(QStringLiteral("billing"), 0, 100),
                      {m_transitions.at(2), m_transitions.at(1), m_transitions.at(0)});
        QVERIFY2(d.isEmpty(), qPrintable(d));
        d = diffLists(store.transitions(QStringLiteral("billing"), kT0 + 5, 1), {m_transitions.at(2)});
        QVERIFY2(d.isEmpty(), qPrintable(d));
        QCOMPARE(store.transitions(QString(), 0, 0).size(), 4);
        QCOMPARE(store.schemaVersion(), 2);
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);

        CheckResult apiDown = result(QStringLiteral("billing"), QStringLiteral("api"), kT0, Health::Down, 412.5, 503);
        apiDown.error = QStringLiteral("HTTP 503");
        apiDown.failedCondition = QStringLiteral("[STATUS] == 200");
        apiDown.actualValue = QStringLiteral("503");
        CheckResult apiUp = result(QStringLiteral("billing"), QStringLiteral("api"), kT0 + 1000, Health::Ok, 87.25, 200);
        CheckResult db = result(QStringLiteral("billing"), QStringLiteral("db"), kT0 + 500, Health::Unknown);
        db.error = QStringLiteral("secret `DB_PASS` is missing — “ünïcødé” 🔑");
        db.networkError = true;
        CheckResult other = result(QStringLiteral("other"), QStringLiteral("ping"), kT0, Health::Degraded, 0.0);
        other.failedCondition = QStringLiteral("[RESPONSE_TIME] < 400");
        other.actualValue = QStringLiteral("0 ms? ' \" ; DROP TABLE results; --");
        m_results = {apiDown, apiUp, db, other};

        m_transitions = {
            transition(QStringLiteral("billing"), QStringLiteral("api"), kT0, Health::Ok, Health::Down,
                       QStringLiteral("[STATUS] == 200 — got 503")),
            transition(QStringLiteral("billing"), QString(), kT0 + 10, Health::Ok, Health::Down,
                       QStringLiteral("api is down")),
            transition(QStringLiteral("billing"), QStringLiteral("api"), kT0 + 1000, Health::Down, Health::Ok, QString()),
            // A service with transitions but no results yet still counts as known.
            transition(QStringLiteral("quiet"), QString(), kT0, Health::Unknown, Health::Stale,
                       QStringLiteral("no result for 3 intervals")),
        };
    }

    void parseLocation_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<bool>("postgres");
        QTest::addColumn<QString>("path");     // Sqlite
        QTest::addColumn<QString>("host");     // PostgreSql, and "user:port:db"
        QTest::addColumn<QString>("userPortDb");
        QTest::addColumn<QString>("error");    // a part of the message

        const QString def = StoreLocation::defaultSqlitePath();
        const QString home = QDir::homePath();
        const auto ok = [](const char *name, const QString &value, const QString &path) {
            QTest::newRow(name) << value << true << false << path << QString() << QString() << QString();
        };
        const auto pg = [](const char *name, const QString &value, const QString &host, const QString &upd) {
            QTest::newRow(name) << value << true << true << QString() << host << upd << QString();
        };
        const auto bad = [](const char *name, const QString &value, const QString &error) {
            QTest::newRow(name) << value << false << false << QString() << QString() << QString() << error;
        };

        ok("empty means default", QString(), def);
        ok("sqlite", QStringLiteral("sqlite"), def);
        ok("sqlite, spaced and capitalised", QStringLiteral("  SQLite \n"), def);
        ok("sqlite:/abs", QStringLiteral("sqlite:/var/lib/opsdeck/h.sqlite"), QStringLiteral("/var/lib/opsdeck/h.sqlite"));
        ok("sqlite:///abs", QStringLiteral("sqlite:///var/lib/opsdeck/h.sqlite"), QStringLiteral("/var/lib/opsdeck/h.sqlite"));
        ok("sqlite:relative", QStringLiteral("sqlite:data/h.sqlite"), QStringLiteral("/etc/opsdeck/data/h.sqlite"));
        ok("sqlite:~", QStringLiteral("sqlite:~/h.sqlite"), home + QStringLiteral("/h.sqlite"));
        ok("bare absolute", QStringLiteral("/srv/opsdeck/history.db"), QStringLiteral("/srv/opsdeck/history.db"));
        ok("bare absolute, unclean", QStringLiteral("/srv//opsdeck/./x/../history.db"), QStringLiteral("/srv/opsdeck/history.db"));
        ok("bare ./relative", QStringLiteral("./h.sqlite"), QStringLiteral("/etc/opsdeck/h.sqlite"));
        ok("bare ../relative", QStringLiteral("../var/h.sqlite"), QStringLiteral("/etc/var/h.sqlite"));
        ok("bare file name", QStringLiteral("history.sqlite"), QStringLiteral("/etc/opsdeck/history.sqlite"));
        ok("bare ~", QStringLiteral("~/ops/h.sqlite"), home + QStringLiteral("/ops/h.sqlite"));
        pg("postgresql", QStringLiteral("postgresql://ops@db.internal:5433/opsdeck"), QStringLiteral("db.internal"),
           QStringLiteral("ops:5433:opsdeck"));
        pg("postgres, default port", QStringLiteral("postgres://ops@db.internal/opsdeck"),
           QStringLiteral("db.internal"), QStringLiteral("ops:5432:opsdeck"));
        pg("postgresql, no user", QStringLiteral("PostgreSQL://10.0.0.5:6432/history"), QStringLiteral("10.0.0.5"),
           QStringLiteral(":6432:history"));

        bad("sqlite: without path", QStringLiteral("sqlite:"), QStringLiteral("expected a file path after `sqlite:`"));
        bad("sqlite with a host", QStringLiteral("sqlite://host/h.sqlite"), QStringLiteral("three slashes"));
        bad("sqlite directory", QStringLiteral("sqlite:/var/lib/opsdeck/"), QStringLiteral("names a directory"));
        bad("bare directory", QStringLiteral("/var/lib/opsdeck/"), QStringLiteral("expected a file such as"));
        bad("other scheme", QStringLiteral("mysql://ops@db/opsdeck"),
            QStringLiteral("unsupported kind `mysql:`; expected `sqlite`, `sqlite:/path/file.sqlite`, a file path, "
                           "or `postgresql://user@host:port/db`"));
        bad("typo", QStringLiteral("sqlit"), QStringLiteral("`sqlit` is not a known store or a file path; expected `sqlite`"));
        bad("postgres without scheme", QStringLiteral("postgres"), QStringLiteral("not a known store"));
        bad("pg without database", QStringLiteral("postgresql://ops@db:5432/"), QStringLiteral("database name"));
        bad("pg nested path", QStringLiteral("postgresql://ops@db/a/b"), QStringLiteral("database name"));
        bad("pg without host", QStringLiteral("postgresql:///opsdeck"), QStringLiteral("no host"));
        bad("pg bad port", QStringLiteral("postgresql://ops@db:port/opsdeck"),
            QStringLiteral("not a valid PostgreSQL URL; expected `postgresql://user@host:port/db`"));
    }

    void parseLocation()
    {
        QFETCH(QString, value);
        QFETCH(bool, valid);
        QFETCH(bool, postgres);
        QFETCH(QString, path);
        QFETCH(QString, host);
        QFETCH(QString, userPortDb);
        QFETCH(QString, error);

        QString message;
        const auto loc = StoreLocation::parse(value, &message, QStringLiteral("/etc/opsdeck"));
        QCOMPARE(loc.has_value(), valid);
        if (!valid) {
            QVERIFY2(message.contains(error), qPrintable(message));
            return;
        }
        QVERIFY(message.isEmpty());
        QCOMPARE(loc->kind, postgres ? StoreLocation::Kind::PostgreSql : StoreLocation::Kind::Sqlite);
        if (postgres) {
            QCOMPARE(loc->host, host);
            QCOMPARE(QStringLiteral("%1:%2:%3").arg(loc->user).arg(loc->port).arg(loc->database), userPortDb);
        } else {
            QCOMPARE(loc->path, path);
        }
    }

    void locationDefaults()
    {
        // The test binary has an application name, so the default is its AppDataLocation. (The
        // GenericDataLocation/opsdeck fallback is for a process without QCoreApplication, which a
        // Qt Test binary cannot be.)
        QVERIFY(!QCoreApplication::applicationName().isEmpty());
        QCOMPARE(StoreLocation::defaultSqlitePath(),
                 QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/history.sqlite"));
        QCOMPARE(StoreLocation::parse(QStringLiteral("sqlite"), nullptr)->path, StoreLocation::defaultSqlitePath());
    }

    void locationKeepsPasswordOutOfDisplay()
    {
        QString error;
        const auto loc = StoreLocation::parse(QStringLiteral("postgresql://ops:s3cr%40t@db:5433/opsdeck?sslmode=require"),
                                              &error);
        QVERIFY2(loc, qPrintable(error));
        QCOMPARE(loc->password, QStringLiteral("s3cr@t"));
        QCOMPARE(loc->connectOptions, QStringLiteral("sslmode=require"));
        QCOMPARE(loc->displayString(), QStringLiteral("postgresql://ops@db:5433/opsdeck"));

        const auto bad = StoreLocation::parse(QStringLiteral("postgresql://ops:s3cret@db:port/opsdeck"), &error);
        QVERIFY(!bad);
        QVERIFY2(!error.contains(QLatin1String("s3cret")), qPrintable(error));
    }

    void postgresNotSupportedYet()
    {
        QString error;
        const auto loc = StoreLocation::parse(QStringLiteral("postgresql://ops@127.0.0.1:55432/opsdeck"), &error);
        QVERIFY(loc);
        HistoryStore store;
        QVERIFY(!store.open(*loc, &error));
        QVERIFY2(error.contains(QLatin1String("PostgreSQL store is not supported yet")), qPrintable(error));
        QCOMPARE(store.lastError(), error);
        QVERIFY(!store.isOpen());
    }

    void writeReadAndReopen()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        // Folders that do not exist yet are created.
        const QString path = tmp.filePath(QStringLiteral("nested/deeper/history.sqlite"));
        {
            HistoryStore store;
            QString error;
            QVERIFY2(store.open(StoreLocation::sqliteFile(path), &error), qPrintable(error));
            QVERIFY(store.isOpen());
            QCOMPARE(store.location().path, path);
            for (const CheckResult &r : std::as_const(m_results))
                store.record(r);
            for (const StateTransition &t : std::as_const(m_transitions))
                store.recordTransition(t);
            QVERIFY2(store.flush(), qPrintable(store.lastError()));
            QCOMPARE(store.pendingWrites(), 0);
            QCOMPARE(store.droppedWrites(), quint64(0));
            checkFixture(store);
            if (QTest::currentTestFailed())
                return;
        }
        HistoryStore again;
        QString error;
        QVERIFY2(again.open(StoreLocation::sqliteFile(path), &error), qPrintable(error));
        checkFixture(again);
    }

    void rowsArriveWithoutFlush()
    {
        QTemporaryDir tmp;
        HistoryStore store;
        QString error;
        QVERIFY2(store.open(StoreLocation::sqliteFile(tmp.filePath(QStringLiteral("h.sqlite"))), &error), qPrintable(error));
        for (int i = 0; i < 3; ++i)
            store.record(result(QStringLiteral("svc"), QStringLiteral("c"), kT0 + i, Health::Ok, 1));
        // The writer's batch timer commits them on its own.
        QTRY_COMPARE(store.results(QStringLiteral("svc"), QString(), 0).size(), 3);
        QCOMPARE(store.pendingWrites(), 0);
    }

    void closeFlushes()
    {
        QTemporaryDir tmp;
        const auto loc = StoreLocation::sqliteFile(tmp.filePath(QStringLiteral("h.sqlite")));
        {
            HistoryStore store;
            QVERIFY(store.open(loc));
            for (int i = 0; i < 700; ++i)
                store.record(result(QStringLiteral("svc"), QStringLiteral("c%1").arg(i % 7), kT0 + i, Health::Ok, i));
            store.recordTransition(transition(QStringLiteral("svc"), QString(), kT0, Health::Unknown, Health::Ok, {}));
        } // the destructor closes, and closing flushes
        HistoryStore store;
        QVERIFY(store.open(loc));
        QCOMPARE(store.results(QStringLiteral("svc"), QString(), 0, 0).size(), 700);
        QCOMPARE(store.transitions(QStringLiteral("svc"), 0, 0).size(), 1);
    }

    void walMode()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("h.sqlite"));
        HistoryStore store;
        QVERIFY(store.open(StoreLocation::sqliteFile(path)));
        store.record(m_results.first());
        QVERIFY(store.flush());
        QVERIFY(QFile::exists(path + QStringLiteral("-wal")));
        RawDb raw(path);
        QVERIFY(raw.isOpen());
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
        // The reader sees committed rows while the store keeps its connections open.
        QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM results")).toInt(), 1);
    }

    void migratesVersion1()
    {
        // The shipped step 1 must stay what version-1 files were made with.
        const QList<MigrationStep> steps = schemaMigrations(SqlDialect::Sqlite);
        QCOMPARE(steps.size(), HistoryStore::currentSchemaVersion());
        QCOMPARE(steps.first().version, 1);
        QCOMPARE(steps.first().statements, kV1Ddl);

        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("old.sqlite"));
        {
            RawDb raw(path);
            QVERIFY(raw.isOpen());
            QStringList sql = {kSchemaVersionDdl};
            sql << kV1Ddl;
            sql << QStringLiteral("INSERT INTO schema_version VALUES (1, 1700000000000, 'results keyed by service and check name')")
                << QStringLiteral("INSERT INTO results VALUES ('billing', 'api', %1, 'ok', 120.5, '')").arg(kT0)
                << QStringLiteral("INSERT INTO results VALUES ('billing', 'api', %1, 'down', NULL, 'HTTP 503')").arg(kT0 + 2000)
                << QStringLiteral("INSERT INTO results VALUES ('billing', 'db', %1, 'degraded', -1, '')").arg(kT0 + 1500)
                << QStringLiteral("INSERT INTO results VALUES ('shop', 'home', %1, 'weird', 33, 'it''s odd')").arg(kT0 + 1200);
            for (const QString &s : std::as_const(sql))
                QCOMPARE(raw.exec(s), QString());
        }

        HistoryStore store;
        QString error;
        QVERIFY2(store.open(StoreLocation::sqliteFile(path), &error), qPrintable(error));
        QCOMPARE(store.schemaVersion(), 2);

        CheckResult apiOk = result(QStringLiteral("billing"), QStringLiteral("api"), kT0, Health::Ok, 120.5);
        CheckResult apiDown = result(QStringLiteral("billing"), QStringLiteral("api"), kT0 + 2000, Health::Down);
        apiDown.error = QStringLiteral("HTTP 503");
        // -1 was version 1's "not measured"; it becomes NULL and reads back as -1.
        CheckResult db = result(QStringLiteral("billing"), QStringLiteral("db"), kT0 + 1500, Health::Degraded);
        // An outcome name the code does not know is not a success.
        CheckResult home = result(QStringLiteral("shop"), QStringLiteral("home"), kT0 + 1200, Health::Unknown, 33);
        home.error = QStringLiteral("it's odd");

        QString d = diffLists(store.results(QStringLiteral("billing"), QString(), 0), {apiDown, db, apiOk});
        QVERIFY2(d.isEmpty(), qPrintable(d));
        d = diffLists(store.results(QStringLiteral("shop"), QStringLiteral("home"), 0), {home});
        QVERIFY2(d.isEmpty(), qPrintable(d));
        QCOMPARE(store.services(), QStringList({QStringLiteral("billing"), QStringLiteral("shop")}));

        // New rows land next to the migrated ones, on the same check ids.
        store.record(result(QStringLiteral("billing"), QStringLiteral("api"), kT0 + 3000, Health::Ok, 90));
        QVERIFY(store.flush());
        QCOMPARE(store.results(QStringLiteral("billing"), QStringLiteral("api"), 0).size(), 3);

        RawDb raw(path);
        QVERIFY(!raw.tables().contains(QStringLiteral("results_v1")));
        QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM checks")).toInt(), 3);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM results")).toInt(), 5);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT group_concat(version) FROM schema_version")).toString(),
                 QStringLiteral("1,2"));
        QCOMPARE(raw.rowCount(QStringLiteral("PRAGMA foreign_key_check")), 0); // no dangling check ids
    }

    void freshDatabaseRunsEveryStep()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("h.sqlite"));
        {
            HistoryStore store;
            QVERIFY(store.open(StoreLocation::sqliteFile(path)));
            QCOMPARE(store.schemaVersion(), HistoryStore::currentSchemaVersion());
        }
        RawDb raw(path);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM schema_version")).toInt(),
                 HistoryStore::currentSchemaVersion());
        const QStringList tables = raw.tables();
        for (const char *t : {"schema_version", "checks", "results", "transitions"})
            QVERIFY2(tables.contains(QLatin1String(t)), t);
        QVERIFY(!tables.contains(QStringLiteral("results_v1")));
    }

    void refusesNewerSchema()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("future.sqlite"));
        {
            RawDb raw(path);
            QCOMPARE(raw.exec(kSchemaVersionDdl), QString());
            QCOMPARE(raw.exec(QStringLiteral("INSERT INTO schema_version VALUES (99, 1, 'from the future')")), QString());
            QCOMPARE(raw.exec(QStringLiteral("CREATE TABLE results (whatever TEXT)")), QString());
        }
        HistoryStore store;
        QString error;
        QVERIFY(!store.open(StoreLocation::sqliteFile(path), &error));
        QVERIFY2(error.contains(QLatin1String("schema version 99")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("versions up to 2")), qPrintable(error));
        QVERIFY(!store.isOpen());
        QCOMPARE(store.schemaVersion(), -1);

        // Left exactly as it was: not migrated, not even switched to WAL.
        RawDb raw(path);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT MAX(version) FROM schema_version")).toInt(), 99);
        QCOMPARE(raw.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("delete"));
    }

    void refusesForeignFiles()
    {
        QTemporaryDir tmp;
        const QString other = tmp.filePath(QStringLiteral("crm.sqlite"));
        {
            RawDb raw(other);
            QCOMPARE(raw.exec(QStringLiteral("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")), QString());
        }
        HistoryStore store;
        QString error;
        QVERIFY(!store.open(StoreLocation::sqliteFile(other), &error));
        QVERIFY2(error.contains(QLatin1String("not an OpsDeck history database")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("customers")), qPrintable(error));

        const QString garbage = tmp.filePath(QStringLiteral("notes.txt"));
        QFile f(garbage);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("these are my notes, not a database\n").repeated(200));
        f.close();
        QVERIFY(!store.open(StoreLocation::sqliteFile(garbage), &error));
        QVERIFY2(error.contains(garbage), qPrintable(error));
    }

    void openFailsInsideRegularFile()
    {
        QTemporaryDir tmp;
        const QString plain = tmp.filePath(QStringLiteral("plain"));
        QFile f(plain);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("x");
        f.close();
        HistoryStore store;
        QString error;
        // Fails for root too: no permission check is involved, a file cannot hold a folder.
        QVERIFY(!store.open(StoreLocation::sqliteFile(plain + QStringLiteral("/sub/history.sqlite")), &error));
        QVERIFY2(error.contains(QLatin1String("cannot create the folder")), qPrintable(error));
        QVERIFY(!store.isOpen());
        store.record(m_results.first()); // ignored, not a crash
        QVERIFY(!store.flush());
        QVERIFY(store.results(QStringLiteral("billing"), QString(), 0).isEmpty());
    }

    void recordsFromOtherThreads()
    {
        QTemporaryDir tmp;
        HistoryStore store;
        QString error;
        QVERIFY2(store.open(StoreLocation::sqliteFile(tmp.filePath(QStringLiteral("h.sqlite"))), &error), qPrintable(error));

        constexpr int kPerThread = 3000;
        QAtomicInt flushedOk = 0;
        const auto producer = [&](const QString &service) {
            return QThread::create([&store, &flushedOk, service] {
                for (int i = 0; i < kPerThread; ++i) {
                    store.record(result(service, QStringLiteral("c%1").arg(i % 10), kT0 + i, Health::Ok, i));
                    if (i % 1000 == 0)
                        store.recordTransition(transition(service, QString(), kT0 + i, Health::Down, Health::Ok, {}));
                }
                // flush() works from any thread, not only the one that opened the store.
                if (store.flush())
                    flushedOk.fetchAndAddRelaxed(1);
            });
        };
        std::unique_ptr<QThread> a(producer(QStringLiteral("alpha")));
        std::unique_ptr<QThread> b(producer(QStringLiteral("beta")));
        a->start();
        b->start();
        for (int i = 0; i < kPerThread; ++i)
            store.record(result(QStringLiteral("main"), QStringLiteral("c"), kT0 + i, Health::Ok, i));
        QVERIFY(a->wait(60'000));
        QVERIFY(b->wait(60'000));
        QCOMPARE(flushedOk.loadRelaxed(), 2);
        QVERIFY(store.flush());
        for (const char *service : {"alpha", "beta", "main"})
            QCOMPARE(store.results(QLatin1String(service), QString(), 0, 0).size(), kPerThread);
        QCOMPARE(store.transitions(QString(), 0, 0).size(), 6);

        // Reads belong to the thread that opened the store; elsewhere they return nothing.
        qsizetype seen = -1;
        std::unique_ptr<QThread> reader(QThread::create([&] { seen = store.results(QStringLiteral("main"), {}, 0).size(); }));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("called from a thread other than")));
        reader->start();
        QVERIFY(reader->wait(60'000));
        QCOMPARE(seen, 0);
    }

    void ingestManyRows()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("bulk.sqlite"));
        HistoryStore store;
        QVERIFY(store.open(StoreLocation::sqliteFile(path)));

        constexpr int kRows = 50'000, kChecks = 1000;
        QList<CheckResult> rows;
        rows.reserve(kRows);
        for (int i = 0; i < kRows; ++i) {
            CheckResult r = result(QStringLiteral("svc%1").arg(i % kChecks / 10), QStringLiteral("check%1").arg(i % 10),
                                   kT0 + i / kChecks * 1000, i % 17 ? Health::Ok : Health::Down, 10 + i % 300,
                                   i % 17 ? 200 : 500);
            if (r.outcome == Health::Down) {
                r.failedCondition = QStringLiteral("[STATUS] == 200");
                r.actualValue = QStringLiteral("500");
            }
            rows.append(std::move(r));
        }
        QElapsedTimer timer;
        timer.start();
        for (const CheckResult &r : std::as_const(rows))
            store.record(r);
        const qint64 enqueueMs = timer.elapsed();
        QVERIFY2(store.flush(), qPrintable(store.lastError()));
        const qint64 totalMs = std::max<qint64>(1, timer.elapsed());
        qInfo("ingest: %d results in %lld ms (%lld ms to enqueue) = %lld results/s", kRows, totalMs, enqueueMs,
              qint64(kRows) * 1000 / totalMs);

        RawDb raw(path);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM results")).toInt(), kRows);
        QCOMPARE(raw.scalar(QStringLiteral("SELECT COUNT(*) FROM checks")).toInt(), kChecks);
        QCOMPARE(store.results(QStringLiteral("svc7"), QStringLiteral("check3"), 0, 0).size(), kRows / kChecks);
    }

    void writeFailureKeepsRows()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("h.sqlite"));
        HistoryStore store;
        QVERIFY(store.open(StoreLocation::sqliteFile(path)));
        store.record(m_results.first());
        QVERIFY(store.flush());

        QSignalSpy failed(&store, &HistoryStore::writeFailed);
        RawDb raw(path);
        // Pulling the table away fails every insert, for root as much as anyone.
        QCOMPARE(raw.exec(QStringLiteral("DROP TABLE results")), QString());
        for (int i = 0; i < 5; ++i)
            store.record(result(QStringLiteral("svc"), QStringLiteral("c"), kT0 + i, Health::Ok, i));
        QVERIFY(!store.flush());
        QTRY_VERIFY(failed.count() >= 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QLatin1String("no such table")), qPrintable(message));
        QVERIFY2(message.contains(path), qPrintable(message));
        QVERIFY2(store.lastError().contains(QLatin1String("no such table")), qPrintable(store.lastError()));
        QCOMPARE(store.pendingWrites(), 5); // kept, not dropped
        QCOMPARE(store.droppedWrites(), quint64(0));

        // Once the database takes writes again, the same rows go in.
        for (const QString &sql : kV2ResultsDdl)
            QCOMPARE(raw.exec(sql), QString());
        QVERIFY2(store.flush(), qPrintable(store.lastError()));
        QCOMPARE(store.pendingWrites(), 0);
        QCOMPARE(store.results(QStringLiteral("svc"), QStringLiteral("c"), 0).size(), 5);
    }

    void fullQueueDropsAndReports()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("h.sqlite"));
        HistoryStore store;
        QVERIFY(store.open(StoreLocation::sqliteFile(path)));
        store.setQueueLimit(10);
        QSignalSpy failed(&store, &HistoryStore::writeFailed);
        RawDb raw(path);
        QCOMPARE(raw.exec(QStringLiteral("DROP TABLE transitions")), QString());

        constexpr int kSent = 1000;
        for (int i = 0; i < kSent; ++i)
            store.recordTransition(transition(QStringLiteral("svc"), QString(), kT0 + i, Health::Ok, Health::Down, {}));
        QVERIFY(!store.flush());
        const qsizetype kept = store.pendingWrites();
        QVERIFY(store.droppedWrites() > 0);
        QCOMPARE(qsizetype(store.droppedWrites()) + kept, kSent);
        QTRY_VERIFY(std::any_of(failed.cbegin(), failed.cend(), [](const QList<QVariant> &args) {
            return args.first().toString().contains(QLatin1String("new rows are dropped"));
        }));

        QCOMPARE(raw.exec(QStringLiteral("CREATE TABLE transitions (id INTEGER PRIMARY KEY, service TEXT NOT NULL, "
                                         "check_id INTEGER REFERENCES checks (id), ts INTEGER NOT NULL, "
                                         "from_health INTEGER NOT NULL, to_health INTEGER NOT NULL, "
                                         "reason TEXT NOT NULL DEFAULT '')")),
                 QString());
        QVERIFY2(store.flush(), qPrintable(store.lastError()));
        QCOMPARE(store.transitions(QStringLiteral("svc"), 0, 0).size(), kept);
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
