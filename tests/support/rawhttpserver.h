#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslServer>
#include <QTcpServer>
#include <functional>

// A deliberately badly behaved HTTP/1.1 server on 127.0.0.1, for what QHttpServer will not do:
// hang, reset, drip one byte every 200 ms, send 10 MB, loop redirects. Plain or TLS. Paths:
//   /ok         200 {"status":"ok"}           /json-broken  200 {"status":
//   /hang       reads the request, never answers
//   /reset      aborts the connection          /drip         headers, then 1 byte / 200 ms (100 bytes)
//   /huge       200 with a 10 MB body          /loop         302 to itself
//   /redirect   302 to /ok                     /429          429 with Retry-After: 30
//   /slow       200 after 300 ms               /status/NNN   that status
//   /keepalive  200 on a connection kept open for more requests
//   /chunked    200 {"status":"ok"} in three chunks, kept open
// Every request is counted per path (hits()).
class RawHttpServer final : public QObject
{
    Q_OBJECT

public:
    // With a certificate and key, serves TLS.
    explicit RawHttpServer(const QString &certFile = {}, const QString &keyFile = {}, QObject *parent = nullptr);
    ~RawHttpServer() override;

    quint16 port() const { return m_server->serverPort(); }
    QString url(const QString &path, const QString &host = QStringLiteral("127.0.0.1")) const;
    int hits(const QString &path) const { return m_hits.value(path); }
    // The most /slow requests that were being answered at the same time.
    int maxConcurrentSlow() const { return m_maxSlow; }
    // Connections accepted so far, and closing every open one from the server's side.
    int connections() const { return m_connections; }
    void closeAll();

private:
    void onConnection(QTcpSocket *socket);
    void handle(QTcpSocket *socket, const QByteArray &path);

    QTcpServer *m_server;
    bool m_tls = false;
    QHash<QString, int> m_hits;
    int m_slow = 0;
    int m_connections = 0;
    QList<QPointer<QTcpSocket>> m_open;
    int m_maxSlow = 0;
    QList<QPointer<QTcpSocket>> m_held; // hung connections, kept open until the client gives up
};
