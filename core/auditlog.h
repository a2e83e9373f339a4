#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

class OpsDatabase;

// Every operator action — acknowledge, note, resolve, action run, failover, secret set/delete,
// maintenance, config reload — with who did it and when, appended to the store. Each record
// carries the SHA-256 of its own content and of the record before it, so an edited, deleted or
// reordered record breaks the chain where it happened, and verify() says which.
class AuditLog
{
public:
    struct Record
    {
        qint64 seq = 0;
        qint64 atMs = 0;
        QString actor;
        QString action;     // e.g. "incident.acknowledge", "secret.set", "config.reload"
        QJsonObject details;
        QString prevHash;
        QString hash;
    };

    struct Problem
    {
        qint64 seq = 0;
        QString message; // "record 7 was edited", "record 8 is missing (deleted)", …
    };

    explicit AuditLog(const OpsDatabase *db);

    // Appends atomically (the chain's tail is read and extended in one write transaction).
    bool append(const QString &actor, const QString &action, const QJsonObject &details, qint64 atMs, QString *error);
    QList<Record> records(qint64 sinceSeq = 0, int limit = -1) const;
    // Empty when the chain is intact.
    QList<Problem> verify() const;
    // One JSON object per line, oldest first.
    QByteArray exportNdjson() const;

    static QString hashOf(const Record &record); // over seq, time, actor, action, details and the previous hash
    static QString genesisHash();                // the "previous hash" of the first record

private:
    const OpsDatabase *m_db;
};

// Who is acting: the operating-system user running OpsDeck.
QString currentActor();
