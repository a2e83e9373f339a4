#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QTcpServer>

class QTcpSocket;

// A local HTTP/1.1 server on 127.0.0.1 that plays a notification service — ntfy, the Telegram Bot
// API, a Slack incoming webhook, a webhook receiver — and records every request exactly as it
// arrived (method, path, headers, the raw body bytes). Answers follow a script: each request takes
// the next scripted response, then the default one (200). It can go down (close(): connections
// are refused) and come back on the same port.
class NotifyReceiver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NotifyReceiver)

public:
    struct Request
    {
        QByteArray method;
        QByteArray path; // with the query
        QList<QPair<QByteArray, QByteArray>> headers; // names as sent
        QByteArray body;
        QByteArray header(const QByteArray &name) const; // case-insensitive; empty when absent
    };
    struct Response
    {
        int status = 200;
        QByteArray reason = "OK";
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        bool hang = false; // read the request, never answer
    };

    explicit NotifyReceiver(QObject *parent = nullptr);
    ~NotifyReceiver() override;

    // Listens on 127.0.0.1:port (0: any free port). Listening again after close() keeps the port.
    bool listen(quint16 port = 0);
    // Down: stops listening and drops every open connection.
    void close();
    bool isListening() const { return m_server.isListening(); }
    quint16 port() const { return m_port; }
    QString url(const QString &path = QStringLiteral("/")) const;

    void setDefaultResponse(const Response &response) { m_default = response; }
    void enqueue(const Response &response) { m_script << response; }
    static Response status(int status, const QByteArray &reason, const QByteArray &body = {},
                           const QList<QPair<QByteArray, QByteArray>> &headers = {});

    const QList<Request> &requests() const { return m_requests; }
    int count() const { return int(m_requests.size()); }
    // Bounded wait until at least n requests have arrived.
    bool waitForRequests(int n, int timeoutMs = 20'000);

signals:
    void received(int index);

private:
    void onConnection();
    void onReadyRead(QTcpSocket *socket);

    QTcpServer m_server;
    quint16 m_port = 0;
    QList<Request> m_requests;
    QList<Response> m_script;
    Response m_default;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<QPointer<QTcpSocket>> m_sockets;
};
