#pragma once

#include "checkresult.h"
#include "historystore.h"
#include "retentionpolicy.h"
#include "testdatabase.h"

#include <QtTest>

// What the suites that run on both store backends share: the data column, the database opening
// with the CI rule, a store without automatic retention, and a result builder.

// The `backend` column: every store test runs on SQLite and PostgreSQL.
inline void addBackends()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
}

// Without a PostgreSQL server the PostgreSQL rows are skipped on a developer's machine, but fail in
// CI, where scripts/test.sh always provides one.
#define OPEN_TEST_DATABASE(db)                                                                            \
    QFETCH(QString, backend);                                                                             \
    TestDatabase db(backend);                                                                             \
    if (db.unavailable()) {                                                                               \
        if (qEnvironmentVariableIsSet("CI"))                                                              \
            QFAIL("OPSDECK_TEST_PG_URL is not set, so the PostgreSQL store cannot be tested");            \
        QSKIP("OPSDECK_TEST_PG_URL is not set; scripts/test.sh starts a throwaway PostgreSQL for these"); \
    }                                                                                                     \
    QVERIFY2(db.error().isEmpty(), qPrintable(db.error()))

// A store for tests: no automatic retention pass may prune the fixed, long-past times they use.
inline bool openStore(HistoryStore &store, const TestDatabase &db, QString *error = nullptr)
{
    RetentionPolicy policy;
    policy.autoIntervalMs = 0;
    store.setRetention(policy);
    return store.open(db.location(), error);
}

inline CheckResult result(const QString &service, const QString &check, qint64 at, Health outcome, double latency = -1,
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
