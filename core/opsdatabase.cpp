#include "opsdatabase.h"

#include "historywriter.h"

#include <QAtomicInteger>
#include <QSqlError>
#include <QSqlQuery>

OpsDatabase::~OpsDatabase()
{
    close();
}

bool OpsDatabase::open(const StoreLocation &location, QString *error)
{
    close();
    static QAtomicInteger<quint64> counter;
    m_name = QStringLiteral("opsdeck-ops-%1").arg(counter.fetchAndAddRelaxed(1));
    m_dialect = dialectFor(location);
    m_open = openHistoryConnection(m_name, location, error);
    return m_open;
}

void OpsDatabase::close()
{
    if (!m_name.isEmpty())
        closeHistoryConnection(m_name);
    m_open = false;
}

QSqlDatabase OpsDatabase::db() const
{
    return QSqlDatabase::database(m_name, false);
}

bool OpsDatabase::begin(QString *error) const
{
    QSqlQuery q(db());
    if (q.exec(beginWriteSql(m_dialect)))
        return true;
    if (error)
        *error = q.lastError().text();
    return false;
}

bool OpsDatabase::commit(QString *error) const
{
    QSqlQuery q(db());
    if (q.exec(QStringLiteral("COMMIT")))
        return true;
    if (error)
        *error = q.lastError().text();
    rollback();
    return false;
}

void OpsDatabase::rollback() const
{
    QSqlQuery q(db());
    q.exec(QStringLiteral("ROLLBACK"));
}
