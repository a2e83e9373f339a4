#include "rawhttpserver.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTimer>

namespace {

QByteArray response(int status, const QByteArray &reason, const QByteArray &body, const QByteArray &extraHeaders = {})
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n" + extraHeaders + "\r\n" + body;
}

} // namespace

RawHttpServer::RawHttpServer(const QString &certFile, const QString &keyFile, QObject *parent)
    : QObject(parent)
{
    if (!certFile.isEmpty()) {
        auto *ssl = new QSslServer(this);
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        QFile cert(certFile), key(keyFile);
        cert.open(QIODevice::ReadOnly);
        key.open(QIODevice::ReadOnly);
        conf.setLocalCertificate(QSslCertificate(&cert, QSsl::Pem));
        conf.setPrivateKey(QSslKey(&key, QSsl::Rsa, QSsl::Pem));
        conf.setPeerVerifyMode(QSslSocket::VerifyNone);
        ssl->setSslConfiguration(conf);
        // A client that rejects our certificate ends the handshake; that is the point of some tests.
        connect(ssl, &QSslServer::errorOccurred, this, [](QSslSocket *s, QAbstractSocket::SocketError) { s->deleteLater(); });
        m_server = ssl;
        m_tls = true;
    } else {
        m_server = new QTcpServer(this);
    }
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
        while (QTcpSocket *s = m_server->nextPendingConnection())
            onConnection(s);
    });
    m_server->listen(QHostAddress::LocalHost, 0);
}

RawHttpServer::~RawHttpServer()
{
    for (const QPointer<QTcpSocket> &s : std::as_const(m_held))
        if (s)
            s->abort();
}

QString RawHttpServer::url(const QString &path, const QString &host) const
{
    return (m_tls ? QStringLiteral("https://") : QStringLiteral("http://")) + host + u':' + QString::number(port()) + path;
}

void RawHttpServer::closeAll()
{
    for (const QPointer<QTcpSocket> &s : std::as_const(m_open))
        if (s)
            s->abort();
    m_open.clear();
}

void RawHttpServer::onConnection(QTcpSocket *socket)
{
    ++m_connections;
    m_open << socket;
    auto *buffer = new QByteArray;
    connect(socket, &QObject::destroyed, [buffer] { delete buffer; });
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
        *buffer += socket->readAll();
        const qsizetype end = buffer->indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> requestLine = buffer->left(buffer->indexOf("\r\n")).split(' ');
        buffer->clear();
        handle(socket, requestLine.value(1));
    });
}

void RawHttpServer::handle(QTcpSocket *socket, const QByteArray &rawPath)
{
    const QByteArray path = rawPath.left(rawPath.indexOf('?') < 0 ? rawPath.size() : rawPath.indexOf('?'));
    ++m_hits[QString::fromLatin1(path)];
    auto send = [socket](const QByteArray &data) {
        socket->write(data);
        socket->disconnectFromHost();
    };
    if (path == "/ok") {
        send(response(200, "OK", R"({"status":"ok"})"));
    } else if (path == "/keepalive") {
        const QByteArray body = R"({"status":"ok"})";
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size())
                      + "\r\n\r\n" + body);
    } else if (path == "/chunked") {
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5\r\n{\"sta\r\n5;ext=1\r\ntus\":\r\n6\r\n\"ok\"}\n\r\n0\r\nX-Trailer: 1\r\n\r\n");
    } else if (path == "/json-broken") {
        send(response(200, "OK", R"({"status":)"));
    } else if (path == "/hang") {
        m_held << socket;
    } else if (path == "/reset") {
        socket->abort();
    } else if (path == "/drip") {
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n");
        auto *timer = new QTimer(socket);
        auto *sent = new int(0);
        connect(timer, &QObject::destroyed, [sent] { delete sent; });
        connect(timer, &QTimer::timeout, socket, [socket, timer, sent] {
            socket->write("x");
            if (++*sent >= 100) {
                timer->stop();
                socket->disconnectFromHost();
            }
        });
        timer->start(200);
    } else if (path == "/huge") {
        send(response(200, "OK", QByteArray(10 * 1024 * 1024, 'a')));
    } else if (path == "/loop") {
        send(response(302, "Found", "{}", "Location: /loop\r\n"));
    } else if (path == "/redirect") {
        send(response(302, "Found", "{}", "Location: /ok\r\n"));
    } else if (path == "/429") {
        send(response(429, "Too Many Requests", R"({"ok": false, "error": "Rate limit exceeded"})", "Retry-After: 30\r\n"));
    } else if (path == "/slow") {
        m_maxSlow = qMax(m_maxSlow, ++m_slow);
        QTimer::singleShot(300, socket, [this, socket, send] {
            --m_slow;
            send(response(200, "OK", R"({"status":"ok"})"));
        });
    } else if (path.startsWith("/status/")) {
        const int code = path.mid(8).toInt();
        send(response(code, "Status", R"({"status":"status"})"));
    } else {
        send(response(404, "Not Found", R"({"error":"no such path"})"));
    }
}
