#pragma once

#include "notification.h"
#include "sqldialect.h"
#include "storelocation.h"

#include <QElapsedTimer>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

// The notification outbox: the `outbox` table of the history database (schema version 4). Every
// notification is a row here before any network activity, so that a crash, a restart or an
// outage loses nothing. A row is
//
//   pending  due at next_attempt_at (new, or waiting out a back-off)
//   held     held back by quiet hours; due at next_attempt_at, their end
//   sending  claimed by a notifier; next_attempt_at is the end of its lease. A row whose lease
//            ran out (its notifier died mid-send) is due again, for any notifier
//   sent     delivered (sent_at)
//   failed   given up (last_error says why)
//   muted    recorded while notifications were muted, never sent
//
// `payload` is the notification as JSON (encode()); the channel renders it at send time, so a
// corrected channel URL also fixes what is still queued and no secret is ever stored expanded.
//
// Several notifiers (programs) may share one store: a row is claimed in a write transaction, and
// every later update of a claimed row names the lease it was claimed with (next_attempt_at), so a
// notifier that lost its claim to another changes nothing. Each method is one small transaction
// on the connection of the thread that called open().
class OutboxStore
{
public:
    enum class State { Pending, Sending, Held, Sent, Failed, Muted };
    static QString stateName(State state);
    static std::optional<State> stateFromName(QStringView name);

    struct Row
    {
        qint64 id = 0;
        QString channel;
        qint64 createdAtMs = 0;
        QString dedupKey;
        qint64 incidentId = 0;
        QString payload;
        State state = State::Pending;
        int attempts = 0;
        qint64 nextAttemptAtMs = 0; // for a claimed row: the end of its lease, which identifies the claim
        QString lastError;
        qint64 sentAtMs = 0;
    };

    struct NewRow
    {
        QString channel;
        Notification notification;
        State state = State::Pending; // Pending, Held or Muted
        qint64 nextAttemptAtMs = 0;
        QString note;                 // stored as last_error: why it is held or muted
        bool dedup = true;            // subject to the dedup window (repeats and tests are not)
    };

    enum class Update { Applied, Lost, Error }; // Lost: the row is no longer claimed with that lease

    explicit OutboxStore(const StoreLocation &location);
    ~OutboxStore();
    Q_DISABLE_COPY_MOVE(OutboxStore)

    // Connects (SQLite: creates the file and its folder, WAL) and brings the schema up to date,
    // as HistoryStore::open() does, so that a notifier also works on a fresh store. The
    // PostgreSQL password must already be expanded.
    bool open(QString *error);
    void close();
    bool isOpen() const { return m_open; }
    const StoreLocation &location() const { return m_location; }

    // All rows in one transaction; createdAtMs for all. ids[i] is rows[i]'s id, or 0 when it was
    // dropped as a duplicate: with dedup, a row is dropped when its channel already has a row with
    // the same non-empty dedup key created since dedupSinceMs (a muted row only counts against
    // another muted one: what was muted may be sent once mute ends).
    std::optional<QList<qint64>> insert(const QList<NewRow> &rows, qint64 createdAtMs, qint64 dedupSinceMs, QString *error);

    // Claims up to `limit` rows of `channels` that are due at nowMs (pending or held, or sending
    // with a lapsed lease), oldest first: each becomes sending until leaseUntilMs, one attempt more.
    // `busy` are rows the caller is sending itself (a lease can lapse under a request in flight when
    // the machine slept): they are left alone.
    std::optional<QList<Row>> claimDue(const QStringList &channels, qint64 nowMs, qint64 leaseUntilMs, int limit,
                                       const QList<qint64> &busy, QString *error);
    // Claims one row whatever its due time, unless another notifier holds it or it is finished.
    // nullopt with an empty *error when it is not claimable.
    std::optional<Row> claim(qint64 id, qint64 nowMs, qint64 leaseUntilMs, QString *error);
    // A longer lease for a claimed row (before a send that waited for the keychain).
    Update renewLease(Row &claimed, qint64 leaseUntilMs, QString *error);
    // Delivered: sent whoever holds the row now, since the message is out.
    bool markSent(qint64 id, qint64 sentAtMs, QString *error);
    // Back to pending, due at nextAttemptAtMs.
    Update reschedule(const Row &claimed, qint64 nextAttemptAtMs, const QString &lastError, QString *error);
    Update markFailed(const Row &claimed, const QString &lastError, QString *error);

    // The earliest next_attempt_at of the rows of `channels` that are not finished, `busy` ones
    // aside; nullopt when there are none (or on error, with *error).
    std::optional<qint64> nextDue(const QStringList &channels, const QList<qint64> &busy, QString *error) const;
    // Rows of any channel created before createdBeforeMs that are still not delivered (and not
    // held by a live lease) become failed with `reason`. Returns how many.
    std::optional<int> expire(qint64 createdBeforeMs, qint64 nowMs, const QString &reason, QString *error);
    // Deletes finished rows (sent, failed, muted) created before createdBeforeMs.
    std::optional<int> prune(qint64 createdBeforeMs, QString *error);

    std::optional<Row> row(qint64 id, QString *error) const;
    // Every row, oldest first; for tests and the CLI.
    std::optional<QList<Row>> rows(QString *error) const;

    static QString encode(const Notification &n);
    static std::optional<Notification> decode(const QString &payload);

private:
    bool ready(QString *error) const;
    bool sqlFailed(QString *error, const QString &message) const;
    bool begin(QString *error) const;
    bool commit(QString *error) const;
    void rollback() const;
    bool lockDedupKeys(const QList<NewRow> &rows, QString *error) const;

    StoreLocation m_location;
    SqlDialect m_dialect = SqlDialect::Sqlite;
    QString m_connection;
    bool m_open = false;
    // Reconnecting (PostgreSQL) after a failed statement, with a back-off.
    mutable bool m_reconnect = false;
    mutable QElapsedTimer m_reconnectTimer;
    mutable qint64 m_reconnectDelayMs = 0;
    mutable QString m_connectError;
};
