#include "auditlog.h"

#include "opsdatabase.h"
#include "resultjson.h"

#include <QCryptographicHash>
#include <QHash>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include <pwd.h>
#include <unistd.h>

QString currentActor()
{
    if (const passwd *pw = ::getpwuid(::getuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    const QString user = qEnvironmentVariable("USER");
    return user.isEmpty() ? QStringLiteral("uid %1").arg(::getuid()) : user;
}

AuditLog::AuditLog(const OpsDatabase *db)
    : m_db(db)
{
}

QString AuditLog::genesisHash()
{
    return QString(64, u'0');
}

QString AuditLog::hashOf(const Record &r)
{
    // A canonical text of everything the record says: compact JSON with sorted keys.
    QJsonObject o;
    o.insert(QStringLiteral("seq"), r.seq);
    o.insert(QStringLiteral("at"), r.atMs);
    o.insert(QStringLiteral("actor"), r.actor);
    o.insert(QStringLiteral("action"), r.action);
    o.insert(QStringLiteral("details"), r.details);
    o.insert(QStringLiteral("prev"), r.prevHash);
    return QString::fromLatin1(
        QCryptographicHash::hash(QJsonDocument(o).toJson(QJsonDocument::Compact), QCryptographicHash::Sha256).toHex());
}

bool AuditLog::append(const QString &actor, const QString &action, const QJsonObject &details, qint64 atMs, QString *error)
{
    const QSqlDatabase db = m_db->db();
    if (!m_db->begin(error))
        return false;
    QSqlQuery q(db);
    // PostgreSQL: serialise appenders so two never extend the same tail.
    if (m_db->dialect() == SqlDialect::PostgreSql && !q.exec(QStringLiteral("LOCK TABLE audit_log IN EXCLUSIVE MODE"))) {
        *error = q.lastError().text();
        m_db->rollback();
        return false;
    }
    Record r;
    r.prevHash = genesisHash();
    r.seq = 1;
    if (q.exec(QStringLiteral("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")) && q.next()) {
        r.seq = q.value(0).toLongLong() + 1;
        r.prevHash = q.value(1).toString();
    }
    r.atMs = atMs;
    r.actor = actor;
    r.action = action;
    r.details = details;
    r.hash = hashOf(r);
    q.prepare(QStringLiteral("INSERT INTO audit_log (seq, at, actor, action, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(r.seq);
    q.addBindValue(r.atMs);
    q.addBindValue(r.actor);
    q.addBindValue(r.action);
    q.addBindValue(QString::fromUtf8(QJsonDocument(r.details).toJson(QJsonDocument::Compact)));
    q.addBindValue(r.prevHash);
    q.addBindValue(r.hash);
    if (!q.exec()) {
        *error = q.lastError().text();
        m_db->rollback();
        return false;
    }
    return m_db->commit(error);
}

QList<AuditLog::Record> AuditLog::records(qint64 sinceSeq, int limit) const
{
    QList<Record> out;
    QSqlQuery q(m_db->db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT seq, at, actor, action, details, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq")
              + (limit > 0 ? QStringLiteral(" LIMIT %1").arg(limit) : QString()));
    q.addBindValue(sinceSeq);
    if (!q.exec())
        return out;
    while (q.next()) {
        Record r;
        r.seq = q.value(0).toLongLong();
        r.atMs = q.value(1).toLongLong();
        r.actor = q.value(2).toString();
        r.action = q.value(3).toString();
        r.details = QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object();
        r.prevHash = q.value(5).toString();
        r.hash = q.value(6).toString();
        out << r;
    }
    return out;
}

QList<AuditLog::Problem> AuditLog::verify() const
{
    QList<Problem> problems;
    const QList<Record> all = records();
    QHash<QString, qint64> seqOfHash;
    for (const Record &r : all)
        seqOfHash.insert(r.hash, r.seq);
    QString previous = genesisHash();
    qint64 expectedSeq = 1;
    for (const Record &r : all) {
        if (hashOf(r) != r.hash) {
            // Moved records keep their content but not their position: find where it was written.
            qint64 writtenAs = 0;
            for (const Record &other : all) {
                Record moved = r;
                moved.seq = other.seq;
                if (other.seq != r.seq && hashOf(moved) == r.hash) {
                    writtenAs = other.seq;
                    break;
                }
            }
            if (writtenAs)
                problems.append({r.seq, QStringLiteral("record %1 is out of order: it was written as record %2").arg(r.seq).arg(writtenAs)});
            else
                problems.append({r.seq, QStringLiteral("record %1 was edited: its content no longer matches its hash").arg(r.seq)});
        } else if (r.prevHash != previous) {
            const auto follows = seqOfHash.constFind(r.prevHash);
            if (follows != seqOfHash.constEnd() && *follows != r.seq)
                problems.append({r.seq, QStringLiteral("record %1 is out of order: it was written after record %2").arg(r.seq).arg(*follows)});
            else if (r.seq > expectedSeq)
                problems.append({r.seq, QStringLiteral("record %1 is missing (deleted): record %2 follows record %3")
                                            .arg(expectedSeq)
                                            .arg(r.seq)
                                            .arg(expectedSeq - 1)});
            else
                problems.append({r.seq, QStringLiteral("record %1 does not follow the record before it (deleted or replaced)").arg(r.seq)});
        } else if (r.seq != expectedSeq) {
            problems.append({r.seq, QStringLiteral("record %1 has the wrong position (expected %2)").arg(r.seq).arg(expectedSeq)});
        }
        previous = r.hash;
        expectedSeq = r.seq + 1;
    }
    return problems;
}

QByteArray AuditLog::exportNdjson() const
{
    QByteArray out;
    for (const Record &r : records()) {
        QJsonObject o;
        o.insert(QStringLiteral("seq"), r.seq);
        o.insert(QStringLiteral("at"), ResultJson::isoTime(r.atMs));
        o.insert(QStringLiteral("actor"), r.actor);
        o.insert(QStringLiteral("action"), r.action);
        o.insert(QStringLiteral("details"), r.details);
        o.insert(QStringLiteral("prev_hash"), r.prevHash);
        o.insert(QStringLiteral("hash"), r.hash);
        out += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    }
    return out;
}
