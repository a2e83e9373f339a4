#include "outboxstore.h"

#include "historywriter.h"
#include "schemamigrations.h"
#include "sqldialect.h"

#include <QAtomicInteger>
#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <QtEndian>

#include <algorithm>

namespace {

const QString kColumns = QStringLiteral(
    "id, channel, created_at, dedup_key, incident_id, payload, state, attempts, next_attempt_at, last_error, sent_at");

QString placeholders(qsizetype n)
{
    QStringList marks;
    for (qsizetype i = 0; i < n; ++i)
        marks << QStringLiteral("?");
    return marks.join(u',');
}

OutboxStore::Row readRow(const QSqlQuery &q)
{
    OutboxStore::Row r;
    r.id = q.value(0).toLongLong();
    r.channel = q.value(1).toString();
    r.createdAtMs = q.value(2).toLongLong();
    r.dedupKey = q.value(3).toString();
    r.incidentId = q.value(4).isNull() ? 0 : q.value(4).toLongLong();
    r.payload = q.value(5).toString();
    r.state = OutboxStore::stateFromName(q.value(6).toString()).value_or(OutboxStore::State::Failed);
    r.attempts = q.value(7).toInt();
    r.nextAttemptAtMs = q.value(8).toLongLong();
    r.lastError = q.value(9).toString();
    r.sentAtMs = q.value(10).isNull() ? 0 : q.value(10).toLongLong();
    return r;
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

QString OutboxStore::stateName(State state)
{
    switch (state) {
    case State::Pending: return QStringLiteral("pending");
    case State::Sending: return QStringLiteral("sending");
    case State::Held: return QStringLiteral("held");
    case State::Sent: return QStringLiteral("sent");
    case State::Failed: return QStringLiteral("failed");
    case State::Muted: return QStringLiteral("muted");
    }
    return {};
}

std::optional<OutboxStore::State> OutboxStore::stateFromName(QStringView name)
{
    for (State s : {State::Pending, State::Sending, State::Held, State::Sent, State::Failed, State::Muted})
        if (name == stateName(s))
            return s;
    return std::nullopt;
}

OutboxStore::OutboxStore(const StoreLocation &location)
    : m_location(location)
    , m_dialect(dialectFor(location))
{
    static QAtomicInteger<quint64> serial;
    m_connection = QStringLiteral("opsdeck-outbox-%1").arg(++serial);
}

OutboxStore::~OutboxStore()
{
    close();
}

bool OutboxStore::open(QString *error)
{
    close();
    const bool postgres = m_location.kind == StoreLocation::Kind::PostgreSql;
    if (!postgres) {
        const QFileInfo file(m_location.path);
        if (m_location.path.isEmpty() || file.isDir())
            return fail(error, QStringLiteral("notification outbox: expected a file path, got `%1`").arg(m_location.path));
        if (!QDir().mkpath(file.absolutePath()))
            return fail(error, QStringLiteral("cannot create the folder %1 for the history database").arg(file.absolutePath()));
    }
    QString why;
    if (!openHistoryConnection(m_connection, m_location, &why))
        return fail(error, why);
    bool ready = false;
    {
        const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        // The same steps as HistoryStore::open(), so that whichever of the two comes first leaves
        // the same database: look before touching (a newer schema is refused untouched), then WAL
        // and the migrations, which are safe to race with another program.
        const auto found = checkSchemaVersion(db, &why);
        if (!found) {
            ready = false;
        } else if (postgres) {
            ready = migrateSchema(db, SqlDialect::PostgreSql, &why);
        } else {
            if (*found == 0)
                QSqlQuery(db).exec(QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL"));
            ready = enableWal(db, &why) && migrateSchema(db, SqlDialect::Sqlite, &why);
        }
    }
    if (!ready) {
        closeHistoryConnection(m_connection);
        return fail(error, QStringLiteral("%1: %2").arg(postgres ? m_location.displayString() : m_location.path, why));
    }
    m_open = true;
    return true;
}

void OutboxStore::close()
{
    if (QSqlDatabase::contains(m_connection))
        closeHistoryConnection(m_connection);
    m_open = false;
}

bool OutboxStore::ready(QString *error) const
{
    if (!m_open)
        return fail(error, QStringLiteral("the notification outbox is not open"));
    if (!m_reconnect && QSqlDatabase::database(m_connection, false).isOpen())
        return true;
    // A PostgreSQL server that restarted, or a network that dropped the connection, leaves a QPSQL
    // connection that fails every statement and never recovers: connect afresh, but not more often
    // than the back-off allows, since connecting blocks the caller for up to the connect timeout.
    if (m_reconnectTimer.isValid() && !m_reconnectTimer.hasExpired(m_reconnectDelayMs))
        return fail(error, QStringLiteral("%1 (connecting again within %2 s)").arg(m_connectError).arg(m_reconnectDelayMs / 1000));
    closeHistoryConnection(m_connection);
    QString why;
    if (!openHistoryConnection(m_connection, m_location, &why)) {
        m_connectError = why;
        m_reconnectDelayMs = std::clamp<qint64>(m_reconnectDelayMs * 2, 1'000, 60'000);
        m_reconnectTimer.start();
        return fail(error, why);
    }
    m_reconnect = false;
    m_reconnectDelayMs = 0;
    m_reconnectTimer.invalidate();
    return true;
}

bool OutboxStore::sqlFailed(QString *error, const QString &message) const
{
    if (m_dialect == SqlDialect::PostgreSql)
        m_reconnect = true;
    return fail(error, message);
}

bool OutboxStore::begin(QString *error) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (q.exec(beginWriteSql(m_dialect)))
        return true;
    return sqlFailed(error, QStringLiteral("cannot start a transaction on the outbox: ") + sqlError(q));
}

bool OutboxStore::commit(QString *error) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (q.exec(QStringLiteral("COMMIT")))
        return true;
    const QString why = sqlError(q);
    rollback();
    return sqlFailed(error, QStringLiteral("cannot commit to the outbox: ") + why);
}

void OutboxStore::rollback() const
{
    QSqlQuery(QSqlDatabase::database(m_connection, false)).exec(QStringLiteral("ROLLBACK"));
}

bool OutboxStore::lockDedupKeys(const QList<NewRow> &rows, QString *error) const
{
    // SQLite's BEGIN IMMEDIATE already serializes writers. On PostgreSQL two notifiers could both
    // find no earlier row and both insert; a transaction-level advisory lock per (channel, key),
    // taken in a fixed order so two transactions cannot deadlock, makes the look and the insert
    // one step.
    if (m_dialect != SqlDialect::PostgreSql)
        return true;
    QList<qint64> keys;
    for (const NewRow &r : rows) {
        if (!r.dedup || r.notification.dedupKey.isEmpty())
            continue;
        const QByteArray key = "opsdeck-outbox-dedup\n" + r.channel.toUtf8() + '\n' + r.notification.dedupKey.toUtf8();
        const QByteArray digest = QCryptographicHash::hash(key, QCryptographicHash::Sha256);
        keys << qFromBigEndian<qint64>(digest.constData());
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const qint64 key : keys) {
        QSqlQuery q(QSqlDatabase::database(m_connection, false));
        q.prepare(QStringLiteral("SELECT pg_advisory_xact_lock(?)"));
        q.addBindValue(key);
        if (!q.exec())
            return sqlFailed(error, QStringLiteral("cannot lock the outbox's dedup key: ") + sqlError(q));
    }
    return true;
}

std::optional<QList<qint64>> OutboxStore::insert(const QList<NewRow> &rows, qint64 createdAtMs, qint64 dedupSinceMs, QString *error)
{
    if (!ready(error))
        return std::nullopt;
    if (rows.isEmpty())
        return QList<qint64>();
    if (!begin(error))
        return std::nullopt;
    if (!lockDedupKeys(rows, error)) {
        rollback();
        return std::nullopt;
    }
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QList<qint64> ids;
    for (const NewRow &r : rows) {
        const Notification &n = r.notification;
        if (r.dedup && !n.dedupKey.isEmpty()) {
            QSqlQuery look(db);
            look.setForwardOnly(true);
            look.prepare(QStringLiteral("SELECT id FROM outbox WHERE channel = ? AND dedup_key = ? AND created_at >= ?")
                         + (r.state == State::Muted ? QString() : QStringLiteral(" AND state <> 'muted'"))
                         + QStringLiteral(" LIMIT 1"));
            look.addBindValue(r.channel);
            look.addBindValue(n.dedupKey);
            look.addBindValue(dedupSinceMs);
            if (!look.exec()) {
                sqlFailed(error, QStringLiteral("cannot look for duplicates in the outbox: ") + sqlError(look));
                look.finish();
                rollback();
                return std::nullopt;
            }
            const bool duplicate = look.next();
            look.finish();
            if (duplicate) {
                ids << 0;
                continue;
            }
        }
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO outbox (channel, created_at, dedup_key, incident_id, payload, state, attempts, "
                                 "next_attempt_at, last_error, sent_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING id"));
        q.addBindValue(r.channel);
        q.addBindValue(createdAtMs);
        q.addBindValue(storedText(n.dedupKey));
        q.addBindValue(n.incidentId > 0 ? QVariant(n.incidentId) : QVariant(QMetaType::fromType<qint64>()));
        q.addBindValue(encode(n));
        q.addBindValue(stateName(r.state));
        q.addBindValue(r.nextAttemptAtMs);
        q.addBindValue(storedText(r.note));
        q.addBindValue(QVariant(QMetaType::fromType<qint64>()));
        if (!q.exec() || !q.next()) {
            sqlFailed(error, QStringLiteral("cannot write to the outbox: ") + sqlError(q));
            q.finish();
            rollback();
            return std::nullopt;
        }
        ids << q.value(0).toLongLong();
        q.finish();
    }
    if (!commit(error))
        return std::nullopt;
    return ids;
}

std::optional<QList<OutboxStore::Row>> OutboxStore::claimDue(const QStringList &channels, qint64 nowMs, qint64 leaseUntilMs,
                                                             int limit, const QList<qint64> &busy, QString *error)
{
    if (!ready(error))
        return std::nullopt;
    QList<Row> claimed;
    if (channels.isEmpty() || limit <= 0)
        return claimed;
    if (!begin(error))
        return std::nullopt;
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    QList<Row> candidates;
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT ") + kColumns
                  + QStringLiteral(" FROM outbox WHERE state IN ('pending', 'held', 'sending') AND next_attempt_at <= ? "
                                   "AND channel IN (%1)%2 ORDER BY next_attempt_at, id LIMIT ?")
                        .arg(placeholders(channels.size()),
                             busy.isEmpty() ? QString() : QStringLiteral(" AND id NOT IN (%1)").arg(placeholders(busy.size()))));
        q.addBindValue(nowMs);
        for (const QString &c : channels)
            q.addBindValue(c);
        for (const qint64 id : busy)
            q.addBindValue(id);
        q.addBindValue(limit);
        if (!q.exec()) {
            sqlFailed(error, QStringLiteral("cannot read the outbox: ") + sqlError(q));
            q.finish();
            rollback();
            return std::nullopt;
        }
        while (q.next())
            candidates << readRow(q);
    }
    for (Row r : candidates) {
        QSqlQuery q(db);
        // On PostgreSQL another notifier may have claimed the row since the SELECT; its UPDATE then
        // finds the row changed and touches nothing.
        q.prepare(QStringLiteral("UPDATE outbox SET state = 'sending', next_attempt_at = ?, attempts = attempts + 1 "
                                 "WHERE id = ? AND state = ? AND next_attempt_at = ?"));
        q.addBindValue(leaseUntilMs);
        q.addBindValue(r.id);
        q.addBindValue(stateName(r.state));
        q.addBindValue(r.nextAttemptAtMs);
        if (!q.exec()) {
            sqlFailed(error, QStringLiteral("cannot claim an outbox row: ") + sqlError(q));
            rollback();
            return std::nullopt;
        }
        if (q.numRowsAffected() != 1)
            continue;
        r.state = State::Sending;
        r.nextAttemptAtMs = leaseUntilMs;
        ++r.attempts;
        claimed << r;
    }
    if (!commit(error))
        return std::nullopt;
    return claimed;
}

std::optional<OutboxStore::Row> OutboxStore::claim(qint64 id, qint64 nowMs, qint64 leaseUntilMs, QString *error)
{
    if (error)
        error->clear();
    if (!ready(error))
        return std::nullopt;
    if (!begin(error))
        return std::nullopt;
    const QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    std::optional<Row> r;
    {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM outbox WHERE id = ?"));
        q.addBindValue(id);
        if (!q.exec()) {
            sqlFailed(error, QStringLiteral("cannot read the outbox: ") + sqlError(q));
            q.finish();
            rollback();
            return std::nullopt;
        }
        if (q.next())
            r = readRow(q);
    }
    const bool claimable = r && (r->state == State::Pending || r->state == State::Held
                                 || (r->state == State::Sending && r->nextAttemptAtMs <= nowMs));
    if (!claimable) {
        rollback();
        return std::nullopt;
    }
    QSqlQuery q(db);
    q.prepare(QStringLiteral("UPDATE outbox SET state = 'sending', next_attempt_at = ?, attempts = attempts + 1 "
                             "WHERE id = ? AND state = ? AND next_attempt_at = ?"));
    q.addBindValue(leaseUntilMs);
    q.addBindValue(id);
    q.addBindValue(stateName(r->state));
    q.addBindValue(r->nextAttemptAtMs);
    if (!q.exec()) {
        sqlFailed(error, QStringLiteral("cannot claim an outbox row: ") + sqlError(q));
        rollback();
        return std::nullopt;
    }
    if (q.numRowsAffected() != 1) {
        rollback();
        return std::nullopt;
    }
    if (!commit(error))
        return std::nullopt;
    r->state = State::Sending;
    r->nextAttemptAtMs = leaseUntilMs;
    ++r->attempts;
    return r;
}

OutboxStore::Update OutboxStore::renewLease(Row &claimed, qint64 leaseUntilMs, QString *error)
{
    if (!ready(error))
        return Update::Error;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND state = 'sending' AND next_attempt_at = ?"));
    q.addBindValue(leaseUntilMs);
    q.addBindValue(claimed.id);
    q.addBindValue(claimed.nextAttemptAtMs);
    if (!q.exec()) {
        sqlFailed(error, QStringLiteral("cannot update the outbox: ") + sqlError(q));
        return Update::Error;
    }
    if (q.numRowsAffected() != 1)
        return Update::Lost;
    claimed.nextAttemptAtMs = leaseUntilMs;
    return Update::Applied;
}

bool OutboxStore::markSent(qint64 id, qint64 sentAtMs, QString *error)
{
    if (!ready(error))
        return false;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("UPDATE outbox SET state = 'sent', sent_at = ?, last_error = '' WHERE id = ?"));
    q.addBindValue(sentAtMs);
    q.addBindValue(id);
    if (q.exec())
        return true;
    return sqlFailed(error, QStringLiteral("cannot mark outbox row %1 as sent: %2").arg(id).arg(sqlError(q)));
}

OutboxStore::Update OutboxStore::reschedule(const Row &claimed, qint64 nextAttemptAtMs, const QString &lastError, QString *error)
{
    if (!ready(error))
        return Update::Error;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ? "
                             "WHERE id = ? AND state = 'sending' AND next_attempt_at = ?"));
    q.addBindValue(nextAttemptAtMs);
    q.addBindValue(storedText(lastError));
    q.addBindValue(claimed.id);
    q.addBindValue(claimed.nextAttemptAtMs);
    if (!q.exec()) {
        sqlFailed(error, QStringLiteral("cannot update the outbox: ") + sqlError(q));
        return Update::Error;
    }
    return q.numRowsAffected() == 1 ? Update::Applied : Update::Lost;
}

OutboxStore::Update OutboxStore::markFailed(const Row &claimed, const QString &lastError, QString *error)
{
    if (!ready(error))
        return Update::Error;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("UPDATE outbox SET state = 'failed', last_error = ? "
                             "WHERE id = ? AND state = 'sending' AND next_attempt_at = ?"));
    q.addBindValue(storedText(lastError));
    q.addBindValue(claimed.id);
    q.addBindValue(claimed.nextAttemptAtMs);
    if (!q.exec()) {
        sqlFailed(error, QStringLiteral("cannot update the outbox: ") + sqlError(q));
        return Update::Error;
    }
    return q.numRowsAffected() == 1 ? Update::Applied : Update::Lost;
}

std::optional<qint64> OutboxStore::nextDue(const QStringList &channels, const QList<qint64> &busy, QString *error) const
{
    if (channels.isEmpty() || !ready(error))
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT MIN(next_attempt_at) FROM outbox WHERE state IN ('pending', 'held', 'sending') AND channel IN (%1)%2")
                  .arg(placeholders(channels.size()),
                       busy.isEmpty() ? QString() : QStringLiteral(" AND id NOT IN (%1)").arg(placeholders(busy.size()))));
    for (const QString &c : channels)
        q.addBindValue(c);
    for (const qint64 id : busy)
        q.addBindValue(id);
    if (!q.exec() || !q.next()) {
        sqlFailed(error, QStringLiteral("cannot read the outbox: ") + sqlError(q));
        return std::nullopt;
    }
    if (q.value(0).isNull())
        return std::nullopt;
    return q.value(0).toLongLong();
}

std::optional<int> OutboxStore::expire(qint64 createdBeforeMs, qint64 nowMs, const QString &reason, QString *error)
{
    if (!ready(error))
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("UPDATE outbox SET state = 'failed', last_error = CASE WHEN last_error = '' THEN CAST(? AS TEXT) "
                             "ELSE CAST(? AS TEXT) || ' — last error: ' || last_error END "
                             "WHERE created_at < ? AND (state IN ('pending', 'held') OR (state = 'sending' AND next_attempt_at <= ?))"));
    q.addBindValue(storedText(reason));
    q.addBindValue(storedText(reason));
    q.addBindValue(createdBeforeMs);
    q.addBindValue(nowMs);
    if (!q.exec()) {
        sqlFailed(error, QStringLiteral("cannot expire old outbox rows: ") + sqlError(q));
        return std::nullopt;
    }
    return q.numRowsAffected();
}

std::optional<int> OutboxStore::prune(qint64 createdBeforeMs, QString *error)
{
    if (!ready(error))
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("DELETE FROM outbox WHERE created_at < ? AND state IN ('sent', 'failed', 'muted')"));
    q.addBindValue(createdBeforeMs);
    if (!q.exec()) {
        sqlFailed(error, QStringLiteral("cannot prune the outbox: ") + sqlError(q));
        return std::nullopt;
    }
    return q.numRowsAffected();
}

std::optional<OutboxStore::Row> OutboxStore::row(qint64 id, QString *error) const
{
    if (error)
        error->clear();
    if (!ready(error))
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM outbox WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec()) {
        sqlFailed(error, QStringLiteral("cannot read the outbox: ") + sqlError(q));
        return std::nullopt;
    }
    if (!q.next())
        return std::nullopt;
    return readRow(q);
}

std::optional<QList<OutboxStore::Row>> OutboxStore::rows(QString *error) const
{
    if (!ready(error))
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM outbox ORDER BY id"))) {
        sqlFailed(error, QStringLiteral("cannot read the outbox: ") + sqlError(q));
        return std::nullopt;
    }
    QList<Row> out;
    while (q.next())
        out << readRow(q);
    return out;
}

QString OutboxStore::encode(const Notification &n)
{
    const QJsonObject o{
        {QStringLiteral("v"), 1},
        {QStringLiteral("event"), n.event},
        {QStringLiteral("service"), n.service},
        {QStringLiteral("severity"), n.severity},
        {QStringLiteral("severity_rank"), n.severityRank},
        {QStringLiteral("scheme"), n.scheme},
        {QStringLiteral("title"), n.title},
        {QStringLiteral("text"), n.text},
        {QStringLiteral("incident_id"), n.incidentId},
        {QStringLiteral("dedup_key"), n.dedupKey},
        {QStringLiteral("at"), n.atMs},
    };
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

std::optional<Notification> OutboxStore::decode(const QString &payload)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(payload.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("v")).toInt() != 1)
        return std::nullopt;
    Notification n;
    n.event = o.value(QStringLiteral("event")).toString();
    n.service = o.value(QStringLiteral("service")).toString();
    n.severity = o.value(QStringLiteral("severity")).toString();
    n.severityRank = o.value(QStringLiteral("severity_rank")).toInt(-1);
    n.scheme = o.value(QStringLiteral("scheme")).toString();
    n.title = o.value(QStringLiteral("title")).toString();
    n.text = o.value(QStringLiteral("text")).toString();
    n.incidentId = o.value(QStringLiteral("incident_id")).toInteger();
    n.dedupKey = o.value(QStringLiteral("dedup_key")).toString();
    n.atMs = o.value(QStringLiteral("at")).toInteger();
    return n;
}
