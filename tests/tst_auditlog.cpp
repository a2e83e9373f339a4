#include "auditlog.h"
#include "historystore.h"
#include "opsdatabase.h"
#include "testdatabase.h"

#include <QJsonDocument>
#include <QtTest>

// The hash-chained audit log: intact chains verify, and an edited, a deleted and a reordered record
// are each found and named — on SQLite and on PostgreSQL.
class TestAuditLog : public QObject
{
    Q_OBJECT

    struct Rig
    {
        explicit Rig(const QString &backend)
            : db(backend)
        {
        }
        bool open()
        {
            QString error;
            return history.open(db.location(), &error) && ops.open(db.location(), &error);
        }
        TestDatabase db;
        HistoryStore history;
        OpsDatabase ops;
    };

    static void fill(AuditLog &log, int n)
    {
        QString error;
        for (int i = 1; i <= n; ++i)
            QVERIFY2(log.append(i % 2 ? u"alice"_qs : u"bob"_qs, QStringLiteral("incident.note"),
                                {{QStringLiteral("incident"), i}, {QStringLiteral("text"), QStringLiteral("note %1").arg(i)}},
                                1'763'000'000'000 + i * 1000, &error),
                     qPrintable(error));
    }

private slots:
    void tampering_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("tamper");
        QTest::addColumn<QString>("expected");
        for (const char *backend : {"sqlite", "postgresql"}) {
            QTest::addRow("%s edited", backend) << QString::fromLatin1(backend)
                                                << QStringLiteral("UPDATE audit_log SET details = '{\"incident\":3,\"text\":\"nothing to see\"}' WHERE seq = 3")
                                                << QStringLiteral("record 3 was edited: its content no longer matches its hash");
            QTest::addRow("%s actor edited", backend) << QString::fromLatin1(backend)
                                                      << QStringLiteral("UPDATE audit_log SET actor = 'mallory' WHERE seq = 4")
                                                      << QStringLiteral("record 4 was edited");
            QTest::addRow("%s deleted", backend) << QString::fromLatin1(backend) << QStringLiteral("DELETE FROM audit_log WHERE seq = 3")
                                                 << QStringLiteral("record 3 is missing (deleted): record 4 follows record 2");
            // Swapping two records' positions keeps every field but the order.
            QTest::addRow("%s reordered", backend)
                << QString::fromLatin1(backend)
                << QStringLiteral("UPDATE audit_log SET seq = CASE seq WHEN 2 THEN 3 WHEN 3 THEN 2 END WHERE seq IN (2, 3)")
                << QStringLiteral("record 2 is out of order: it was written as record 3");
        }
    }

    void tampering()
    {
        QFETCH(QString, backend);
        QFETCH(QString, tamper);
        QFETCH(QString, expected);
        Rig rig(backend);
        if (rig.db.unavailable()) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("OPSDECK_TEST_PG_URL is not set: the test script starts PostgreSQL for this suite");
            QSKIP("no PostgreSQL: run through scripts/test.sh");
        }
        QVERIFY(rig.open());
        AuditLog log(&rig.ops);
        fill(log, 6);
        QVERIFY(log.verify().isEmpty());
        QCOMPARE(log.records().size(), 6);
        QCOMPARE(log.records().first().prevHash, AuditLog::genesisHash());
        QCOMPARE(log.records().at(1).prevHash, log.records().at(0).hash);

        // The swap needs the primary key out of the way on both backends.
        if (tamper.contains(u"CASE seq")) {
            QVERIFY2(rig.db.exec(QStringLiteral("UPDATE audit_log SET seq = -2 WHERE seq = 2")).isEmpty(), "step 1");
            QVERIFY(rig.db.exec(QStringLiteral("UPDATE audit_log SET seq = 2 WHERE seq = 3")).isEmpty());
            QVERIFY(rig.db.exec(QStringLiteral("UPDATE audit_log SET seq = 3 WHERE seq = -2")).isEmpty());
        } else {
            const QString error = rig.db.exec(tamper);
            QVERIFY2(error.isEmpty(), qPrintable(error));
        }
        const QList<AuditLog::Problem> problems = log.verify();
        QVERIFY(!problems.isEmpty());
        QVERIFY2(problems.first().message.startsWith(expected), qPrintable(problems.first().message));
    }

    void appendsAfterTamperingStillChain()
    {
        Rig rig(QStringLiteral("sqlite"));
        QVERIFY(rig.open());
        AuditLog log(&rig.ops);
        fill(log, 3);
        QString error;
        QVERIFY(log.append(u"carol"_qs, u"secret.set"_qs, {{QStringLiteral("name"), QStringLiteral("dash-key")}}, 1'763'000'100'000, &error));
        const QList<AuditLog::Record> all = log.records();
        QCOMPARE(all.size(), 4);
        QCOMPARE(all.last().prevHash, all.at(2).hash);
        QCOMPARE(all.last().hash, AuditLog::hashOf(all.last()));
    }

    void exportNdjson()
    {
        Rig rig(QStringLiteral("sqlite"));
        QVERIFY(rig.open());
        AuditLog log(&rig.ops);
        fill(log, 3);
        const QList<QByteArray> lines = log.exportNdjson().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        const QJsonObject first = QJsonDocument::fromJson(lines.first()).object();
        QCOMPARE(first.value(u"seq").toInt(), 1);
        QCOMPARE(first.value(u"actor").toString(), QStringLiteral("alice"));
        QCOMPARE(first.value(u"action").toString(), QStringLiteral("incident.note"));
        QCOMPARE(first.value(u"at").toString(), QStringLiteral("2025-11-13T02:13:21.000Z"));
        QCOMPARE(first.value(u"details").toObject().value(u"text").toString(), QStringLiteral("note 1"));
        QCOMPARE(first.value(u"hash").toString().size(), 64);
    }

    void actorIsTheOsUser() { QVERIFY(!currentActor().isEmpty()); }
};

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
