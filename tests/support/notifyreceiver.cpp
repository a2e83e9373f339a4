#include "notifyreceiver.h"

#include <QHostAddress>
#include <QTcpSocket>
#include <QTest>

QByteArray NotifyReceiver::Request::header(const QByteArray &name) const
{
    for (const auto &[n, v] : headers)
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

NotifyReceiver::NotifyReceiver(QObject *parent)
    : QObject(parent)
{
    connect(&m_server, &QTcpServer::newConnection, this, &NotifyReceiver::onConnection);
}

NotifyReceiver::~NotifyReceiver()
{
    close();
}

bool NotifyReceiver::listen(quint16 port)
{
    if (m_server.isListening())
        return true;
    if (!m_server.listen(QHostAddress::LocalHost, port ? port : m_port))
        return false;
    m_port = m_server.serverPort();
    return true;
}

void NotifyReceiver::close()
{
    m_server.close();
    for (const QPointer<QTcpSocket> &s : std::as_const(m_sockets))
        if (s)
            s->abort();
    m_sockets.clear();
    m_buffers.clear();
}

QString NotifyReceiver::url(const QString &path) const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path);
}

NotifyReceiver::Response NotifyReceiver::status(int status, const QByteArray &reason, const QByteArray &body,
                                                const QList<QPair<QByteArray, QByteArray>> &headers)
{
    Response r;
    r.status = status;
    r.reason = reason;
    r.body = body;
    r.headers = headers;
    return r;
}

bool NotifyReceiver::waitForRequests(int n, int timeoutMs)
{
    return QTest::qWaitFor([&] { return count() >= n; }, timeoutMs);
}

void NotifyReceiver::onConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        m_sockets << socket;
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void NotifyReceiver::onReadyRead(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    for (;;) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        Request request;
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        request.method = first.value(0);
        request.path = first.value(1);
        qsizetype length = 0;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed();
            const QByteArray value = line.mid(colon + 1).trimmed();
            request.headers << qMakePair(name, value);
            if (name.compare("content-length", Qt::CaseInsensitive) == 0)
                length = value.toLongLong();
        }
        if (buffer.size() < end + 4 + length)
            return; // the rest of the body is still on its way
        request.body = buffer.mid(end + 4, length);
        buffer.remove(0, end + 4 + length);

        const Response response = m_script.isEmpty() ? m_default : m_script.takeFirst();
        m_requests << request;
        emit received(int(m_requests.size() - 1));
        if (response.hang)
            return;
        QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + response.reason + "\r\n";
        bool typed = false;
        for (const auto &[name, value] : response.headers) {
            out += name + ": " + value + "\r\n";
            typed = typed || name.compare("content-type", Qt::CaseInsensitive) == 0;
        }
        if (!typed)
            out += "Content-Type: application/json\r\n";
        out += "Content-Length: " + QByteArray::number(response.body.size()) + "\r\nConnection: close\r\n\r\n" + response.body;
        socket->write(out);
        socket->disconnectFromHost();
        return;
    }
}
