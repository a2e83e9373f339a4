#pragma once

#include "probe.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;
class QSslError;
class TrustStore;

// An HTTP(S) request judged by its status, body, headers, timing and certificate. The timeout bounds
// the whole exchange — connect, TLS, headers and body — so a server that drips one byte every few
// hundred milliseconds cannot hold a check open; the body is capped so a huge response cannot
// exhaust memory.
class HttpProbe final : public Probe
{
    Q_OBJECT

public:
    HttpProbe(QNetworkAccessManager *network, TrustStore *trust, QObject *parent = nullptr);
    ~HttpProbe() override;
    void start(const CheckConfig &check) override;

private:
    void onReadyRead();
    void onFinished();
    void onTimeout();
    void fail(const QString &error, bool networkError);
    void done();

    QNetworkAccessManager *m_network;
    TrustStore *m_trust;
    QPointer<QNetworkReply> m_reply;
    QTimer m_timer;
    QElapsedTimer m_elapsed;
    ProbeReading m_reading;
    QStringList m_sslErrors;
    qint64 m_maxBody = 0;
    qint64 m_timeoutMs = 0;
    int m_maxRedirects = 0;
    bool m_capped = false;
    bool m_timedOut = false;
    bool m_done = false;
};
