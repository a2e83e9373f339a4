#include "blockingprobe.h"

#include <QAtomicInteger>
#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QUrl>

namespace {

QJsonValue toJson(const QVariant &v)
{
    if (v.isNull())
        return QJsonValue(QJsonValue::Null);
    bool ok = false;
    const double d = v.toDouble(&ok);
    if (ok && v.typeId() != QMetaType::QString)
        return d;
    if (v.typeId() == QMetaType::Bool)
        return v.toBool();
    return v.toString();
}

ProbeReading measure(const QString &driver, const QString &connection, const QString &query, qint64 timeoutMs)
{
    static QAtomicInteger<quint64> counter;
    const QString name = QStringLiteral("opsdeck-sqlprobe-%1").arg(counter.fetchAndAddRelaxed(1));
    ProbeReading reading;
    QElapsedTimer elapsed;
    elapsed.start();
    {
        if (!QSqlDatabase::isDriverAvailable(driver)) {
            reading.unknown = true;
            reading.failed = true;
            reading.error = QStringLiteral("the Qt SQL driver %1 is not installed").arg(driver);
            return reading;
        }
        QSqlDatabase db = QSqlDatabase::addDatabase(driver, name);
        if (driver == u"QSQLITE") {
            db.setDatabaseName(connection);
            // Read-only: a health check must never create or change the database it watches.
            db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=%1").arg(timeoutMs));
        } else {
            const QUrl url(connection);
            db.setHostName(url.host());
            db.setPort(url.port(5432));
            db.setUserName(url.userName());
            db.setPassword(url.password());
            db.setDatabaseName(url.path().mid(1));
            db.setConnectOptions(QStringLiteral("connect_timeout=%1").arg(qMax<qint64>(1, (timeoutMs + 999) / 1000)));
        }
        if (!db.open()) {
            reading.failed = true;
            reading.networkError = driver == u"QPSQL";
            reading.error = QStringLiteral("cannot connect: %1").arg(db.lastError().text().trimmed());
            reading.set(QStringLiteral("CONNECTED"), false);
        } else {
            QSqlQuery q(db);
            if (driver == u"QPSQL")
                q.exec(QStringLiteral("SET statement_timeout = %1").arg(timeoutMs));
            q.setForwardOnly(true);
            if (!q.exec(query)) {
                reading.failed = true;
                reading.error = QStringLiteral("query failed: %1").arg(q.lastError().text().trimmed());
                reading.set(QStringLiteral("CONNECTED"), false);
            } else {
                reading.set(QStringLiteral("CONNECTED"), true);
                int rows = 0;
                while (q.next()) {
                    if (rows == 0 && q.record().count() > 0)
                        reading.set(QStringLiteral("VALUE"), toJson(q.value(0)));
                    if (++rows >= 100'000)
                        break;
                }
                reading.set(QStringLiteral("ROWS"), rows);
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    reading.responseTimeMs = double(elapsed.nsecsElapsed()) / 1e6;
    return reading;
}

} // namespace

std::function<ProbeReading()> SqlProbe::job(const CheckConfig &check) const
{
    return [driver = check.sql.driver, connection = check.sql.connection, query = check.sql.query,
            timeout = check.timeoutMs] { return measure(driver, connection, query, timeout); };
}
