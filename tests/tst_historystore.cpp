#include "historystore.h"
#include "storetestfixture.h"
#include "testdatabase.h"
#include "historywriter.h"
#include "pgarrayliteral.h"
#include "schemamigrations.h"
#include "storelocation.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
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
    "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_ms {int64} NOT NULL, description TEXT NOT NULL)");
// Version 2 as OpsDeck 0.2 left it (both dialects, through dialectSql's placeholders).
const QStringList kV2Ddl = {
    QStringLiteral("CREATE TABLE checks (id {id}, service TEXT NOT NULL, name TEXT NOT NULL, UNIQUE (service, name))"),
    QStringLiteral("CREATE TABLE results (id {id}, check_id {int64} NOT NULL REFERENCES checks (id), "
                   "ts {int64} NOT NULL, outcome INTEGER NOT NULL, latency_ms {real}, http_status INTEGER, "
                   "error TEXT NOT NULL DEFAULT '', failed_condition TEXT NOT NULL DEFAULT '', "
                   "actual_value TEXT NOT NULL DEFAULT '', network_error INTEGER NOT NULL DEFAULT 0)"),
    QStringLiteral("CREATE INDEX results_check_ts ON results (check_id, ts)"),
    QStringLiteral("CREATE TABLE transitions (id {id}, service TEXT NOT NULL, check_id {int64} REFERENCES checks (id), "
                   "ts {int64} NOT NULL, from_health INTEGER NOT NULL, to_health INTEGER NOT NULL, "
                   "reason TEXT NOT NULL DEFAULT '')"),
    QStringLiteral("CREATE INDEX transitions_service_ts ON transitions (service, ts)"),
};
// The version-3 results table, to put back after a test pulled it away.
const QString kV3ResultsDdl = QStringLiteral(
    "CREATE TABLE results (check_id {int64} NOT NULL REFERENCES checks (id), ts {int64} NOT NULL, "
    "seq INTEGER NOT NULL DEFAULT 0, outcome INTEGER NOT NULL, latency_us {int64}, http_status INTEGER, "
    "network_error INTEGER NOT NULL DEFAULT 0, error TEXT NOT NULL DEFAULT '', failed_condition TEXT NOT NULL DEFAULT '', "
    "actual_value TEXT NOT NULL DEFAULT '', CONSTRAINT results_key PRIMARY KEY (check_id, ts, seq)){without_rowid}");

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
        QCOMPARE(store.schemaVersion(), HistoryStore::currentSchemaVersion());
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

    void locationKeepsSecretReferenceVerbatim()
    {
        QString error;
        const auto loc = StoreLocation::parse(QStringLiteral("postgresql://ops:${secret:history-db}@db.internal:5433/opsdeck"),
                                              &error);
        QVERIFY2(loc, qPrintable(error));
        QCOMPARE(loc->kind, StoreLocation::Kind::PostgreSql);
        QCOMPARE(loc->user, QStringLiteral("ops"));
        QCOMPARE(loc->password, QStringLiteral("${secret:history-db}"));
        QCOMPARE(loc->host, QStringLiteral("db.internal"));
        QCOMPARE(loc->port, 5433);
        QCOMPARE(loc->database, QStringLiteral("opsdeck"));
        QCOMPARE(loc->displayString(), QStringLiteral("postgresql://ops@db.internal:5433/opsdeck"));

        // Unexpanded, it is refused before anything is sent to a server.
        HistoryStore store;
        QVERIFY(!store.open(*loc, &error));
        QVERIFY2(error.contains(QLatin1String("was not resolved from the keychain")), qPrintable(error));
        QVERIFY2(!error.contains(QLatin1String("history-db")), qPrintable(error));
    }

    void postgresUnreachable()
    {
        // A port nobody listens on: the error names the store, never its password.
        QString error;
        const auto loc = StoreLocation::parse(QStringLiteral("postgresql://ops:hunter2@127.0.0.1:1/opsdeck"), &error);
        QVERIFY(loc);
        HistoryStore store;
        QVERIFY(!store.open(*loc, &error));
        QVERIFY2(error.contains(QLatin1String("postgresql://ops@127.0.0.1:1/opsdeck")), qPrintable(error));
        QVERIFY2(!error.contains(QLatin1String("hunter2")), qPrintable(error));
        QCOMPARE(store.lastError(), error);
        QVERIFY(!store.isOpen());
    }

    void writeReadAndReopen_data() { addBackends(); }
    void writeReadAndReopen()
    {
        OPEN_TEST_DATABASE(db);
        StoreLocation location = db.location();
        if (!db.isPostgres()) // folders that do not exist yet are created
            location = StoreLocation::sqliteFile(QFileInfo(db.path()).absolutePath()
                                                 + QStringLiteral("/nested/deeper/history.sqlite"));
        {
            HistoryStore store;
            QString error;
            QVERIFY2(store.open(location, &error), qPrintable(error));
            QVERIFY(store.isOpen());
            QCOMPARE(store.location(), location);
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
        QVERIFY2(again.open(location, &error), qPrintable(error));
        checkFixture(again);
    }

    void rowsArriveWithoutFlush_data() { addBackends(); }
    void rowsArriveWithoutFlush()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QString error;
        QVERIFY2(openStore(store, db, &error), qPrintable(error));
        for (int i = 0; i < 3; ++i)
            store.record(result(QStringLiteral("svc"), QStringLiteral("c"), kT0 + i, Health::Ok, 1));
        // The writer's batch timer commits them on its own.
        QTRY_COMPARE(store.results(QStringLiteral("svc"), QString(), 0).size(), 3);
        QCOMPARE(store.pendingWrites(), 0);
    }

    void closeFlushes_data() { addBackends(); }
    void closeFlushes()
    {
        OPEN_TEST_DATABASE(db);
        {
            HistoryStore store;
            QVERIFY(openStore(store, db));
            for (int i = 0; i < 700; ++i)
                store.record(result(QStringLiteral("svc"), QStringLiteral("c%1").arg(i % 7), kT0 + i, Health::Ok, i));
            store.recordTransition(transition(QStringLiteral("svc"), QString(), kT0, Health::Unknown, Health::Ok, {}));
        } // the destructor closes, and closing flushes
        HistoryStore store;
        QVERIFY(openStore(store, db));
        QCOMPARE(store.results(QStringLiteral("svc"), QString(), 0, 0).size(), 700);
        QCOMPARE(store.transitions(QStringLiteral("svc"), 0, 0).size(), 1);
        QCOMPARE(store.counts(QStringLiteral("svc"), {}, kT0, kT0 + 700).total, quint64(700));
    }

    void walMode()
    {
        TestDatabase db(QStringLiteral("sqlite"));
        HistoryStore store;
        QVERIFY(openStore(store, db));
        store.record(m_results.first());
        QVERIFY(store.flush());
        QVERIFY(QFile::exists(db.path() + QStringLiteral("-wal")));
        QCOMPARE(db.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
        // A file OpsDeck creates can give pages back after large deletes (see RetentionPass).
        QCOMPARE(db.scalar(QStringLiteral("PRAGMA auto_vacuum")).toInt(), 2);
        // The reader sees committed rows while the store keeps its connections open.
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM results")), 1);
    }

    void migratesVersion1()
    {
        // The shipped step 1 must stay what version-1 files were made with.
        const QList<MigrationStep> steps = schemaMigrations(SqlDialect::Sqlite);
        QCOMPARE(steps.size(), HistoryStore::currentSchemaVersion());
        QCOMPARE(steps.first().version, 1);
        QCOMPARE(steps.first().statements, kV1Ddl);

        TestDatabase db(QStringLiteral("sqlite"), QStringLiteral("old.sqlite"));
        {
            QStringList sql = {kSchemaVersionDdl};
            sql << kV1Ddl;
            sql << QStringLiteral("INSERT INTO schema_version VALUES (1, 1700000000000, 'results keyed by service and check name')")
                << QStringLiteral("INSERT INTO results VALUES ('billing', 'api', %1, 'ok', 120.5, '')").arg(kT0)
                << QStringLiteral("INSERT INTO results VALUES ('billing', 'api', %1, 'down', NULL, 'HTTP 503')").arg(kT0 + 2000)
                << QStringLiteral("INSERT INTO results VALUES ('billing', 'db', %1, 'degraded', -1, '')").arg(kT0 + 1500)
                << QStringLiteral("INSERT INTO results VALUES ('shop', 'home', %1, 'weird', 33, 'it''s odd')").arg(kT0 + 1200);
            for (const QString &s : std::as_const(sql))
                QCOMPARE(db.exec(s), QString());
            db.closeRaw();
        }

        HistoryStore store;
        QString error;
        QVERIFY2(openStore(store, db, &error), qPrintable(error));
        QCOMPARE(store.schemaVersion(), HistoryStore::currentSchemaVersion());

        CheckResult apiOk = result(QStringLiteral("billing"), QStringLiteral("api"), kT0, Health::Ok, 120.5);
        CheckResult apiDown = result(QStringLiteral("billing"), QStringLiteral("api"), kT0 + 2000, Health::Down);
        apiDown.error = QStringLiteral("HTTP 503");
        // -1 was version 1's "not measured"; it becomes NULL and reads back as -1.
        CheckResult dbRow = result(QStringLiteral("billing"), QStringLiteral("db"), kT0 + 1500, Health::Degraded);
        // An outcome name the code does not know is not a success.
        CheckResult home = result(QStringLiteral("shop"), QStringLiteral("home"), kT0 + 1200, Health::Unknown, 33);
        home.error = QStringLiteral("it's odd");

        QString d = diffLists(store.results(QStringLiteral("billing"), QString(), 0), {apiDown, dbRow, apiOk});
        QVERIFY2(d.isEmpty(), qPrintable(d));
        d = diffLists(store.results(QStringLiteral("shop"), QStringLiteral("home"), 0), {home});
        QVERIFY2(d.isEmpty(), qPrintable(d));
        QCOMPARE(store.services(), QStringList({QStringLiteral("billing"), QStringLiteral("shop")}));

        // New rows land next to the migrated ones, on the same check ids.
        store.record(result(QStringLiteral("billing"), QStringLiteral("api"), kT0 + 3000, Health::Ok, 90));
        QVERIFY(store.flush());
        QCOMPARE(store.results(QStringLiteral("billing"), QStringLiteral("api"), 0).size(), 3);
        // The old results were rolled up on the way: 3 judged billing results, one of them down,
        // and the new one on top.
        const EventCounts billing = store.counts(QStringLiteral("billing"), {}, kT0, kT0 + 60'000);
        QCOMPARE(billing.total, quint64(4));
        QCOMPARE(billing.good, quint64(3));
        QCOMPARE(billing.latency.count(), quint64(2)); // 120.5 and 90 ms; the others measured nothing

        QVERIFY(!db.tables().contains(QStringLiteral("results_v1")));
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM checks")), 3);
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM results")), 5);
        QCOMPARE(db.scalar(QStringLiteral("SELECT group_concat(version) FROM schema_version")).toString(),
                 QStringLiteral("1,2,3,4,5,6,7"));
        QCOMPARE(db.rows(QStringLiteral("PRAGMA foreign_key_check")).size(), 0); // no dangling check ids
    }

    void migratesVersion2_data() { addBackends(); }
    void migratesVersion2()
    {
        OPEN_TEST_DATABASE(db);
        QStringList sql = {kSchemaVersionDdl};
        sql << kV2Ddl;
        sql << QStringLiteral("INSERT INTO schema_version VALUES (1, 1700000000000, 'results keyed by service and check name')")
            << QStringLiteral("INSERT INTO schema_version VALUES (2, 1700000000001, 'checks table, full results, transitions')")
            << QStringLiteral("INSERT INTO checks (service, name) VALUES ('billing', 'api')")
            << QStringLiteral("INSERT INTO checks (service, name) VALUES ('billing', 'db')")
            << QStringLiteral("INSERT INTO checks (service, name) VALUES ('shop', 'home')");
        // (check, ts, outcome, latency, http, error, failed condition, actual value, network error)
        const QString insert = QStringLiteral("INSERT INTO results (check_id, ts, outcome, latency_ms, http_status, error, "
                                              "failed_condition, actual_value, network_error) VALUES (%1)");
        const QStringList values = {
            QStringLiteral("1, %1, 0, 120.5, 200, '', '', '', 0").arg(kT0),
            // Two results of one check in one millisecond: both survive, in their order.
            QStringLiteral("1, %1, 4, 412.25, 503, 'HTTP 503', '[STATUS] == 200', '503', 0").arg(kT0 + 2000),
            QStringLiteral("1, %1, 3, 0.1234, 200, '', '[RESPONSE_TIME] < 0.1', '0.1234', 0").arg(kT0 + 2000),
            QStringLiteral("2, %1, 1, NULL, NULL, 'secret `DB_PASS` is missing', '', '', 1").arg(kT0 + 1500),
            QStringLiteral("3, %1, 4, NULL, NULL, 'connection refused', '', '', 1").arg(kT0 - 3'600'000),
        };
        for (const QString &v : values)
            sql << insert.arg(v);
        sql << QStringLiteral("INSERT INTO transitions (service, check_id, ts, from_health, to_health, reason) "
                              "VALUES ('billing', 1, %1, 0, 4, 'api is down')").arg(kT0 + 2000)
            << QStringLiteral("INSERT INTO transitions (service, check_id, ts, from_health, to_health, reason) "
                              "VALUES ('billing', NULL, %1, 0, 4, 'billing is down')").arg(kT0 + 2001);
        for (const QString &s : std::as_const(sql))
            QCOMPARE(db.exec(s), QString());
        db.closeRaw();

        HistoryStore store;
        QString error;
        QVERIFY2(openStore(store, db, &error), qPrintable(error));
        QCOMPARE(store.schemaVersion(), HistoryStore::currentSchemaVersion());

        CheckResult ok = result(QStringLiteral("billing"), QStringLiteral("api"), kT0, Health::Ok, 120.5, 200);
        CheckResult down = result(QStringLiteral("billing"), QStringLiteral("api"), kT0 + 2000, Health::Down, 412.25, 503);
        down.error = QStringLiteral("HTTP 503");
        down.failedCondition = QStringLiteral("[STATUS] == 200");
        down.actualValue = QStringLiteral("503");
        // Microseconds are what is kept of a latency now.
        CheckResult slow = result(QStringLiteral("billing"), QStringLiteral("api"), kT0 + 2000, Health::Degraded, 0.123, 200);
        slow.failedCondition = QStringLiteral("[RESPONSE_TIME] < 0.1");
        slow.actualValue = QStringLiteral("0.1234");
        CheckResult secret = result(QStringLiteral("billing"), QStringLiteral("db"), kT0 + 1500, Health::Unknown);
        secret.error = QStringLiteral("secret `DB_PASS` is missing");
        secret.networkError = true;
        CheckResult refused = result(QStringLiteral("shop"), QStringLiteral("home"), kT0 - 3'600'000, Health::Down);
        refused.error = QStringLiteral("connection refused");
        refused.networkError = true;

        QString d = diffLists(store.results(QStringLiteral("billing"), QString(), 0), {slow, down, secret, ok});
        QVERIFY2(d.isEmpty(), qPrintable(d));
        d = diffLists(store.results(QStringLiteral("shop"), QString(), 0), {refused});
        QVERIFY2(d.isEmpty(), qPrintable(d));
        QCOMPARE(store.transitions(QStringLiteral("billing"), 0).size(), 2);
        QCOMPARE(store.services(), QStringList({QStringLiteral("billing"), QStringLiteral("shop")}));

        // Rolled up on the way (latencyGood = good: no thresholds were known then).
        const EventCounts billing = store.counts(QStringLiteral("billing"), {}, kT0 - 86'400'000, kT0 + 86'400'000);
        QCOMPARE(billing.total, quint64(3));
        QCOMPARE(billing.good, quint64(2));
        QCOMPARE(billing.latencyGood, quint64(2));
        QCOMPARE(billing.unknown, quint64(1));
        QCOMPARE(billing.latency.count(), quint64(3));
        const EventCounts shop = store.counts(QStringLiteral("shop"), {}, kT0 - 3'600'000, kT0 - 3'599'999);
        QCOMPARE(shop.total, quint64(1));
        QCOMPARE(shop.good, quint64(0));
        QCOMPARE(shop.latency.count(), quint64(0)); // a network error has no latency to chart
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM rollup_minute")), 3); // one minute per check
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM rollup_hour")), 3);
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM rollup_day")), 3);
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM rollup_day WHERE check_id = 1")), 1);
        QCOMPARE(db.count(QStringLiteral("SELECT total FROM rollup_day WHERE check_id = 1")), 3);

        // New results continue the same checks and the same rollup rows.
        store.record(result(QStringLiteral("billing"), QStringLiteral("api"), kT0 + 3000, Health::Ok, 90, 200));
        QVERIFY(store.flush());
        QCOMPARE(store.counts(QStringLiteral("billing"), {QStringLiteral("api")}, kT0, kT0 + 1).total, quint64(4));
        QCOMPARE(db.scalar(QStringLiteral("SELECT COUNT(*) FROM schema_version")).toInt(), HistoryStore::currentSchemaVersion());
        QVERIFY(!db.tables().contains(QStringLiteral("results_v2")));
        if (!db.isPostgres())
            QCOMPARE(db.rows(QStringLiteral("PRAGMA foreign_key_check")).size(), 0);
    }

    void freshDatabaseRunsEveryStep_data() { addBackends(); }
    void freshDatabaseRunsEveryStep()
    {
        OPEN_TEST_DATABASE(db);
        {
            HistoryStore store;
            QVERIFY(openStore(store, db));
            QCOMPARE(store.schemaVersion(), HistoryStore::currentSchemaVersion());
        }
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM schema_version")), HistoryStore::currentSchemaVersion());
        const QStringList tables = db.tables();
        for (const char *t : {"schema_version", "checks", "results", "transitions", "rollup_minute", "rollup_hour",
                              "rollup_day", "retention_horizon"})
            QVERIFY2(tables.contains(QLatin1String(t)), t);
        for (const char *t : {"rollup_minute_packed", "rollup_hour_packed"})
            QVERIFY2(tables.contains(QLatin1String(t)) == db.isPostgres(), t);
        QVERIFY(!tables.contains(QStringLiteral("results_v1")));
        QVERIFY(!tables.contains(QStringLiteral("results_v2")));
    }

    void postgresMigrationRace()
    {
        // Two OpsDecks opening one fresh shared database at the same moment: both succeed and the
        // schema is made once. A few rounds, since one round may not overlap at all.
        for (int round = 0; round < 3; ++round) {
            TestDatabase db(QStringLiteral("postgresql"));
            if (db.unavailable()) {
                if (qEnvironmentVariableIsSet("CI"))
                    QFAIL("OPSDECK_TEST_PG_URL is not set, so the PostgreSQL store cannot be tested");
                QSKIP("OPSDECK_TEST_PG_URL is not set; scripts/test.sh starts a throwaway PostgreSQL for these");
            }
            QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
            QSemaphore ready, go;
            QMutex mutex;
            QStringList errors;
            int opened = 0;
            const auto opener = [&](const QString &service) {
                return QThread::create([&, service] {
                    HistoryStore store;
                    ready.release();
                    go.acquire();
                    QString error;
                    if (!openStore(store, db, &error)) {
                        QMutexLocker lock(&mutex);
                        errors << error;
                        return;
                    }
                    store.record(result(service, QStringLiteral("c"), kT0, Health::Ok, 5));
                    const bool flushed = store.flush();
                    QMutexLocker lock(&mutex);
                    if (flushed)
                        ++opened;
                    else
                        errors << store.lastError();
                });
            };
            std::unique_ptr<QThread> a(opener(QStringLiteral("alpha")));
            std::unique_ptr<QThread> b(opener(QStringLiteral("beta")));
            a->start();
            b->start();
            ready.acquire(2);
            go.release(2);
            QVERIFY(a->wait(60'000));
            QVERIFY(b->wait(60'000));
            QVERIFY2(errors.isEmpty(), qPrintable(errors.join(QLatin1String("\n"))));
            QCOMPARE(opened, 2);
            QCOMPARE(db.rows(QStringLiteral("SELECT version FROM schema_version ORDER BY version")),
                     QList<QVariantList>({{1}, {2}, {3}, {4}, {5}, {6}, {7}}));
            QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM checks")), 2);
            QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM rollup_minute")), 2);
            // Every connection closed again. A server backend ends a moment after its client hangs up,
            // and pg_stat_activity lists it until then.
            QTRY_COMPARE_WITH_TIMEOUT(db.scalar(QStringLiteral("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'opsdeck' "
                                                               "AND datname = current_database()"))
                                          .toInt(),
                                      0, 10'000);
        }
    }

    void postgresReconnects()
    {
        // A PostgreSQL restart (here: every OpsDeck connection killed) costs at most one failed
        // write, retried, and one failed read; then the store carries on by itself.
        TestDatabase db(QStringLiteral("postgresql"));
        if (db.unavailable()) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("OPSDECK_TEST_PG_URL is not set, so the PostgreSQL store cannot be tested");
            QSKIP("OPSDECK_TEST_PG_URL is not set; scripts/test.sh starts a throwaway PostgreSQL for these");
        }
        QVERIFY2(db.error().isEmpty(), qPrintable(db.error()));
        HistoryStore store;
        QString error;
        QVERIFY2(openStore(store, db, &error), qPrintable(error));
        store.record(result(QStringLiteral("svc"), QStringLiteral("c"), kT0, Health::Ok, 5));
        QVERIFY(store.flush());
        const auto killConnections = [&] {
            return db.count(QStringLiteral("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                           "WHERE datname = current_database() AND application_name = 'opsdeck'"));
        };
        QCOMPARE(killConnections(), 2); // the writer's and the reader's

        store.record(result(QStringLiteral("svc"), QStringLiteral("c"), kT0 + 1000, Health::Ok, 5));
        QTRY_VERIFY_WITH_TIMEOUT(store.flush(), 20'000);
        QTRY_COMPARE(store.results(QStringLiteral("svc"), QStringLiteral("c"), 0).size(), 2);
        QCOMPARE(store.counts(QStringLiteral("svc"), {}, kT0, kT0 + 2000).total, quint64(2));
        QCOMPARE(store.runRetention(kT0), 0);

        // And the retention pass too.
        QCOMPARE(killConnections(), 2);
        qint64 deleted = store.runRetention(kT0 + 49 * 3'600'000);
        if (deleted < 0) // the pass that found the connection dead
            deleted = store.runRetention(kT0 + 49 * 3'600'000);
        QCOMPARE(deleted, 2);
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM results")), 0);
    }

    void refusesNewerSchema_data() { addBackends(); }
    void refusesNewerSchema()
    {
        OPEN_TEST_DATABASE(db);
        QCOMPARE(db.exec(kSchemaVersionDdl), QString());
        QCOMPARE(db.exec(QStringLiteral("INSERT INTO schema_version VALUES (99, 1, 'from the future')")), QString());
        QCOMPARE(db.exec(QStringLiteral("CREATE TABLE results (whatever TEXT)")), QString());
        db.closeRaw();
        HistoryStore store;
        QString error;
        QVERIFY(!store.open(db.location(), &error));
        QVERIFY2(error.contains(QLatin1String("schema version 99")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("versions up to %1").arg(HistoryStore::currentSchemaVersion())), qPrintable(error));
        QVERIFY(!store.isOpen());
        QCOMPARE(store.schemaVersion(), -1);

        // Left exactly as it was: not migrated, not even switched to WAL.
        QCOMPARE(db.scalar(QStringLiteral("SELECT MAX(version) FROM schema_version")).toInt(), 99);
        QVERIFY(!db.tables().contains(QStringLiteral("rollup_minute")));
        if (!db.isPostgres())
            QCOMPARE(db.scalar(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("delete"));
    }

    void refusesForeignFiles()
    {
        QTemporaryDir tmp;
        const QString other = tmp.filePath(QStringLiteral("crm.sqlite"));
        {
            TestDatabase crm(QStringLiteral("sqlite"));
            QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tst-crm"));
            raw.setDatabaseName(other);
            QVERIFY(raw.open());
            QVERIFY(QSqlQuery(raw).exec(QStringLiteral("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")));
            raw.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tst-crm"));
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
        QCOMPARE(store.runRetention(kT0), -1);
        QCOMPARE(store.databaseSizeBytes(), -1);
    }

    void recordsFromOtherThreads_data() { addBackends(); }
    void recordsFromOtherThreads()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QString error;
        QVERIFY2(openStore(store, db, &error), qPrintable(error));

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
        QVERIFY(a->wait(120'000));
        QVERIFY(b->wait(120'000));
        QCOMPARE(flushedOk.loadRelaxed(), 2);
        QVERIFY(store.flush());
        for (const char *service : {"alpha", "beta", "main"}) {
            QCOMPARE(store.results(QLatin1String(service), QString(), 0, 0).size(), kPerThread);
            QCOMPARE(store.counts(QLatin1String(service), {}, kT0, kT0 + kPerThread).total, quint64(kPerThread));
        }
        QCOMPARE(store.transitions(QString(), 0, 0).size(), 6);

        // Reads belong to the thread that opened the store; elsewhere they return nothing.
        qsizetype seen = -1;
        std::unique_ptr<QThread> reader(QThread::create([&] { seen = store.results(QStringLiteral("main"), {}, 0).size(); }));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("called from a thread other than")));
        reader->start();
        QVERIFY(reader->wait(60'000));
        QCOMPARE(seen, 0);
    }

    void ingestManyRows_data() { addBackends(); }
    void ingestManyRows()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));

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
        qInfo("ingest (%s, with rollups): %d results in %lld ms (%lld ms to enqueue) = %lld results/s",
              qPrintable(QString::fromLatin1(QTest::currentDataTag())), kRows, totalMs, enqueueMs,
              qint64(kRows) * 1000 / totalMs);

        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM results")), kRows);
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM checks")), kChecks);
        QCOMPARE(db.count(QStringLiteral("SELECT SUM(total) FROM rollup_day")), kRows);
        QCOMPARE(db.count(QStringLiteral("SELECT SUM(total) FROM rollup_minute")), kRows);
        QCOMPARE(store.results(QStringLiteral("svc7"), QStringLiteral("check3"), 0, 0).size(), kRows / kChecks);
    }

    void sameMillisecond_data() { addBackends(); }
    void sameMillisecond()
    {
        // Results of one check in one millisecond are all kept, in the order they came, whether
        // they meet in one batch or across batches (and, on PostgreSQL, in one multi-row INSERT).
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        for (int i = 0; i < 3; ++i)
            store.record(result(QStringLiteral("svc"), QStringLiteral("c"), kT0 + 7, Health::Ok, i));
        QVERIFY(store.flush());
        for (int i = 0; i < 300; ++i) // every tenth shares kT0 + 7 with the three above
            store.record(result(QStringLiteral("svc"), QStringLiteral("c"), i % 10 ? kT0 + i / 2 + 8 : kT0 + 7,
                                Health::Ok, 100 + i));
        QVERIFY(store.flush());
        const QList<CheckResult> rows = store.results(QStringLiteral("svc"), QStringLiteral("c"), 0, 0);
        QCOMPARE(rows.size(), 303);
        QList<double> at7;
        for (const CheckResult &r : rows)
            if (r.atMs == kT0 + 7)
                at7.prepend(r.latencyMs); // newest first
        QList<double> expected = {0, 1, 2};
        for (int i = 0; i < 300; i += 10)
            expected << 100 + i;
        QCOMPARE(at7, expected);
        QCOMPARE(db.count(QStringLiteral("SELECT MAX(seq) FROM results")), 32);
        QCOMPARE(store.counts(QStringLiteral("svc"), {}, kT0, kT0 + 1000).total, quint64(303));
    }

    void httpStatusOutsideThreeDigitsIsNotStored_data() { addBackends(); }
    void httpStatusOutsideThreeDigitsIsNotStored()
    {
        // The response parser only lets 100-999 through, but a result is a plain struct: a status
        // PostgreSQL's two-byte column cannot hold must not keep the batch (and every later one)
        // out of the store. It is stored as "no status", like 0.
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        const QList<int> statuses = {200, 70'000, 42, -1, 0, 999, 100};
        for (qsizetype i = 0; i < statuses.size(); ++i) {
            CheckResult r = result(QStringLiteral("svc"), QStringLiteral("c"), kT0 + i, Health::Ok, 5);
            r.httpStatus = statuses.at(i);
            store.record(r);
        }
        QVERIFY(store.flush());
        QList<int> stored;
        const QList<CheckResult> rows = store.results(QStringLiteral("svc"), QStringLiteral("c"), 0, 0);
        for (const CheckResult &r : rows)
            stored.prepend(r.httpStatus); // newest first
        QCOMPARE(stored, QList<int>({200, 0, 0, 0, 0, 999, 100}));
    }

    void pgArrayLiteral()
    {
        PgArrayLiteral numbers;
        QCOMPARE(numbers.take(), QStringLiteral("{}"));
        numbers.add(qint64(1));
        numbers.addNull();
        numbers.add(qint64(-3));
        QCOMPARE(numbers.take(), QStringLiteral("{1,NULL,-3}"));
        QCOMPARE(numbers.take(), QStringLiteral("{}")); // take() leaves it empty

        PgArrayLiteral texts;
        for (const QString &t : {QString(), QStringLiteral("NULL"), QStringLiteral("say \"hi\""),
                                 QStringLiteral("back\\slash"), QStringLiteral("{a, b}"), QStringLiteral("nul\0")})
            texts.add(t);
        QCOMPARE(texts.take(), u"{\"\",\"NULL\",\"say \\\"hi\\\"\",\"back\\\\slash\",\"{a, b}\",\"nul\uFFFD\"}"_qs);

        PgArrayLiteral bytes;
        bytes.add(QByteArray::fromHex("00ff10"));
        bytes.addNull();
        QCOMPARE(bytes.take(), QStringLiteral("{\"\\\\x00ff10\",NULL}"));
    }

    void everyFieldSurvives_data() { addBackends(); }
    void everyFieldSurvives()
    {
        // Whatever a probe reports comes back as it went in, in batches of every size: on
        // PostgreSQL the rows of a batch travel as one array per column, so text that looks like
        // array syntax (quotes, backslashes, braces, commas, NULL) must not be read as such, and
        // a NUL, which PostgreSQL's text cannot hold, must not hold up the batch.
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        const QStringList texts = {
            QString(), QStringLiteral("NULL"), QStringLiteral("\"quoted\""), QStringLiteral("back\\slash\\"),
            QStringLiteral("{1,2},{3}"), QStringLiteral("it's"), QStringLiteral(" padded "),
            QStringLiteral("line\nbreak\ttab"), QStringLiteral("Ünïcödé ✓ 🚨"), QStringLiteral("\\\"{,}\"\\"),
            QStringLiteral("[STATUS] == 200"), QStringLiteral("$1 ? :name"), QStringLiteral("nul\0inside"),
        };
        QList<CheckResult> sent;
        const auto make = [&](int i, qint64 at) {
            CheckResult r = result(QStringLiteral("svc"), QStringLiteral("c%1").arg((at - kT0) % 3), at,
                                   i % 3 ? Health::Ok : Health::Down, i % 4 ? 10.5 + i : -1, i % 5 ? 200 + i % 7 : 0);
            r.error = texts.at(i % texts.size());
            r.failedCondition = texts.at((i + 1) % texts.size());
            r.actualValue = texts.at((i + 5) % texts.size());
            r.networkError = i % 6 == 0;
            return r;
        };
        const auto send = [&](const CheckResult &r) {
            sent << r;
            store.record(r);
        };
        int i = 0;
        // One alone, a few, and many: the queue wakes its writer at 500 rows waiting, and the
        // pushes are far quicker than the writer's start, so in practice the last is one batch of
        // several statements.
        for (const int batch : {1, 7, 250, 2600}) {
            for (int k = 0; k < batch; ++k, ++i)
                send(make(i, kT0 + i));
            QVERIFY2(store.flush(), qPrintable(store.lastError()));
        }
        // Then results of the same check and millisecond as stored ones (refused by the statement,
        // they go in one by one with a later seq), each twice in one batch (the second kept for
        // after the statement).
        const int distinct = i;
        for (int k = 0; k < 60; ++k, ++i)
            send(make(i, kT0 + (k % 30) * 37));
        QVERIFY2(store.flush(), qPrintable(store.lastError()));

        // Per check and millisecond, what was sent in its order; results() gives the newest first.
        QHash<std::pair<QString, qint64>, QList<CheckResult>> expected;
        for (const CheckResult &r : std::as_const(sent))
            expected[{r.check, r.atMs}].prepend(r);
        int found = 0;
        for (int c = 0; c < 3; ++c) {
            const QList<CheckResult> rows = store.results(QStringLiteral("svc"), QStringLiteral("c%1").arg(c), 0, 0);
            for (qsizetype k = 0; k < rows.size();) {
                const CheckResult &first = rows.at(k);
                const QList<CheckResult> wanted = expected.value({first.check, first.atMs});
                QVERIFY2(!wanted.isEmpty(), qPrintable(QStringLiteral("%1 at %2").arg(first.check).arg(first.atMs)));
                for (const CheckResult &want : wanted) {
                    QVERIFY(k < rows.size());
                    const CheckResult &got = rows.at(k++);
                    QCOMPARE(got.atMs, want.atMs);
                    QCOMPARE(got.outcome, want.outcome);
                    QCOMPARE(got.latencyMs, want.latencyMs);
                    QCOMPARE(got.httpStatus, want.httpStatus);
                    // A null QString equals an empty one; NUL is stored as U+FFFD on both databases.
                    const auto stored = [](QString s) { return s.replace(QChar(0), QChar::ReplacementCharacter); };
                    QCOMPARE(got.error, stored(want.error));
                    QCOMPARE(got.failedCondition, stored(want.failedCondition));
                    QCOMPARE(got.actualValue, stored(want.actualValue));
                    QCOMPARE(got.networkError, want.networkError);
                    ++found;
                }
            }
        }
        QCOMPARE(found, sent.size());
        QCOMPARE(db.count(QStringLiteral("SELECT COUNT(*) FROM results WHERE seq > 0")), 60);
        QCOMPARE(store.counts(QStringLiteral("svc"), {}, kT0, kT0 + distinct).total, quint64(sent.size()));
    }

    void writeFailureKeepsRows_data() { addBackends(); }
    void writeFailureKeepsRows()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        store.record(m_results.first());
        QVERIFY(store.flush());

        QSignalSpy failed(&store, &HistoryStore::writeFailed);
        // Pulling the table away fails every insert, for root as much as anyone.
        QCOMPARE(db.exec(QStringLiteral("DROP TABLE results")), QString());
        for (int i = 0; i < 5; ++i)
            store.record(result(QStringLiteral("svc"), QStringLiteral("c"), kT0 + i, Health::Ok, i));
        QVERIFY(!store.flush());
        QTRY_VERIFY(failed.count() >= 1);
        const QString missing = db.isPostgres() ? QStringLiteral("does not exist") : QStringLiteral("no such table");
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(missing), qPrintable(message));
        QVERIFY2(message.contains(db.isPostgres() ? db.location().displayString() : db.path()), qPrintable(message));
        QVERIFY2(store.lastError().contains(missing), qPrintable(store.lastError()));
        QCOMPARE(store.pendingWrites(), 5); // kept, not dropped
        QCOMPARE(store.droppedWrites(), quint64(0));
        // Nothing of the failed batches reached the rollups either.
        QCOMPARE(store.counts(QStringLiteral("svc"), {}, kT0, kT0 + 5).total, quint64(0));

        // Once the database takes writes again, the same rows go in.
        QCOMPARE(db.exec(kV3ResultsDdl), QString());
        QVERIFY2(store.flush(), qPrintable(store.lastError()));
        QCOMPARE(store.pendingWrites(), 0);
        QCOMPARE(store.results(QStringLiteral("svc"), QStringLiteral("c"), 0).size(), 5);
        QCOMPARE(store.counts(QStringLiteral("svc"), {}, kT0, kT0 + 5).total, quint64(5));
    }

    void fullQueueDropsAndReports_data() { addBackends(); }
    void fullQueueDropsAndReports()
    {
        OPEN_TEST_DATABASE(db);
        HistoryStore store;
        QVERIFY(openStore(store, db));
        store.setQueueLimit(10);
        QSignalSpy failed(&store, &HistoryStore::writeFailed);
        QCOMPARE(db.exec(QStringLiteral("DROP TABLE transitions")), QString());

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

        QCOMPARE(db.exec(QStringLiteral("CREATE TABLE transitions (id {id}, service TEXT NOT NULL, "
                                        "check_id {int64} REFERENCES checks (id), ts {int64} NOT NULL, "
                                        "from_health INTEGER NOT NULL, to_health INTEGER NOT NULL, "
                                        "reason TEXT NOT NULL DEFAULT '')")),
                 QString());
        QVERIFY2(store.flush(), qPrintable(store.lastError()));
        QCOMPARE(store.transitions(QStringLiteral("svc"), 0, 0).size(), kept);
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
