#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>
#include <QUrl>

class QAbstractSocket;

// Keeps idle HTTP/1.1 connections for reuse, keyed by scheme, host, port and TLS settings, so a
// check that runs every second does not pay for a TCP (and TLS) handshake every second. Idle
// connections are dropped after kIdleMs — before most servers' keep-alive timeouts, so a check on a
// long interval starts from a fresh connection rather than a stale one — and as soon as the server
// closes them.
class HttpConnectionPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpConnectionPool)

public:
    static constexpr qint64 kIdleMs = 15'000;
    static constexpr int kMaxIdlePerKey = 16;

    explicit HttpConnectionPool(QObject *parent = nullptr);
    ~HttpConnectionPool() override;

    // An idle connection for `key`, now owned by the caller, or nullptr.
    QAbstractSocket *take(const QString &key);
    // Hands a connection that finished a response cleanly back for reuse.
    void giveBack(const QString &key, QAbstractSocket *socket);
    int idleCount() const;
    // The parsed form of a check's URL, parsed once rather than on every run.
    const QUrl &url(const QString &text);

private:
    struct Idle
    {
        QAbstractSocket *socket;
        qint64 since;
    };
    void drop(QAbstractSocket *socket);
    void expire();

    QHash<QString, QList<Idle>> m_idle;
    QHash<QString, QUrl> m_urls;
    QTimer m_sweep;
    QElapsedTimer m_clock;
};
