#include "cronexpression.h"

#include <QDateTime>
#include <QtTest>

namespace {
qint64 at(int y, int mo, int d, int h, int mi)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi), Qt::UTC).toMSecsSinceEpoch();
}
} // namespace

class TestCronExpression : public QObject
{
    Q_OBJECT

private slots:
    void matching_data()
    {
        QTest::addColumn<QString>("expr");
        QTest::addColumn<qint64>("when");
        QTest::addColumn<bool>("matches");
        // 2026-11-22 is a Sunday.
        QTest::newRow("sunday 02:00") << "0 2 * * sun" << at(2026, 11, 22, 2, 0) << true;
        QTest::newRow("sunday as 7") << "0 2 * * 7" << at(2026, 11, 22, 2, 0) << true;
        QTest::newRow("sunday as 0") << "0 2 * * 0" << at(2026, 11, 22, 2, 0) << true;
        QTest::newRow("monday no") << "0 2 * * sun" << at(2026, 11, 23, 2, 0) << false;
        QTest::newRow("every 15 min") << "*/15 * * * *" << at(2026, 11, 23, 7, 45) << true;
        QTest::newRow("every 15 min off") << "*/15 * * * *" << at(2026, 11, 23, 7, 46) << false;
        QTest::newRow("range weekdays") << "30 6 * * mon-fri" << at(2026, 11, 23, 6, 30) << true;
        QTest::newRow("list") << "0 2,14 * * *" << at(2026, 11, 23, 14, 0) << true;
        QTest::newRow("month name") << "0 0 1 jan *" << at(2027, 1, 1, 0, 0) << true;
        QTest::newRow("dom or dow") << "0 0 1 * mon" << at(2026, 11, 23, 0, 0) << true; // a Monday, not the 1st
    }

    void matching()
    {
        QFETCH(QString, expr);
        QFETCH(qint64, when);
        QFETCH(bool, matches);
        QString error;
        const auto c = CronExpression::parse(expr, &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->matches(when), matches);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("expr");
        QTest::addColumn<QString>("message");
        QTest::newRow("fields") << "0 2 * *" << "a cron expression has five fields";
        QTest::newRow("hour") << "0 24 * * *" << "`24` is not valid in the hour field (0 to 23)";
        QTest::newRow("step") << "*/0 * * * *" << "bad step in the minute field";
        QTest::newRow("backwards") << "0 5-2 * * *" << "the range `5-2` in the hour field runs backwards";
        QTest::newRow("name") << "0 0 * * funday" << "`funday` is not valid in the day of week field";
    }

    void errors()
    {
        QFETCH(QString, expr);
        QFETCH(QString, message);
        QString error;
        QVERIFY(!CronExpression::parse(expr, &error));
        QVERIFY2(error.startsWith(message), qPrintable(error));
    }

    void activeAndNext()
    {
        QString error;
        const auto c = CronExpression::parse(QStringLiteral("0 2 * * sun"), &error);
        QVERIFY(c->activeAt(at(2026, 11, 22, 3, 59), 2 * 3'600'000));
        QVERIFY(!c->activeAt(at(2026, 11, 22, 4, 0), 2 * 3'600'000));
        QVERIFY(!c->activeAt(at(2026, 11, 22, 1, 59), 2 * 3'600'000));
        QCOMPARE(c->next(at(2026, 11, 22, 2, 0)), at(2026, 11, 29, 2, 0));
        QCOMPARE(c->next(at(2026, 11, 21, 23, 0)), at(2026, 11, 22, 2, 0));
    }
};

QTEST_GUILESS_MAIN(TestCronExpression)
#include "tst_cronexpression.moc"
