#pragma once

#include "httpresponseparser.h"
#include "probe.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QUrl>
#include <optional>

class HttpConnectionPool;
class QAbstractSocket;
class QSslError;
class TrustStore;

// An HTTP(S) request judged by its status, body, headers, timing and certificate, spoken as plain
// HTTP/1.1 over a pooled keep-alive connection (QTcpSocket, or QSslSocket for https). OpsDeck does
// not use QNetworkAccessManager here: measured in bench/, it costs 35–40 times what the request
// itself does, hopping to its own thread and reading headers a byte at a time, which at a thousand
// probes a second (or on a Raspberry Pi) is most of the machine. The timeout bounds the whole
// exchange — connect, TLS, headers, body and redirects — so a server that drips a byte every few
// hundred milliseconds cannot hold a check open; the body is capped so a huge response cannot
// exhaust memory.
class HttpProbe final : public Probe
{
    Q_OBJECT

public:
    HttpProbe(HttpConnectionPool *pool, TrustStore *trust, QObject *parent = nullptr);
    ~HttpProbe() override;
    void start(const CheckConfig &check) override;

private:
    void request(const QUrl &url);
    void openSocket();
    void send();
    void onReadyRead();
    void onSocketError();
    void onResponse();
    void onTimeout();
    QString poolKey() const;
    void releaseSocket(bool reusable);
    void fail(const QString &error, bool networkError);
    void finish();

    HttpConnectionPool *m_pool;
    TrustStore *m_trust;
    const CheckConfig *m_check = nullptr;
    QUrl m_url;
    QString m_key; // of m_url's connections in the pool
    QByteArray m_method;
    QByteArray m_body;
    QAbstractSocket *m_socket = nullptr;
    bool m_reused = false;      // the connection came from the pool
    bool m_retried = false;     // a stale pooled connection was already replaced once
    bool m_gotBytes = false;    // the server answered something on this connection
    std::optional<HttpResponseParser> m_parser;
    QStringList m_sslErrors;
    int m_redirects = 0;
    QTimer m_timer;
    QElapsedTimer m_elapsed;
    ProbeReading m_reading;
    bool m_done = false;
};
