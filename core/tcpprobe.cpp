#include "tcpprobe.h"

#include "duration.h"

TcpProbe::TcpProbe(QObject *parent)
    : Probe(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_socket, &QTcpSocket::connected, this, [this] { finish(true, {}); });
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        finish(false, e == QAbstractSocket::ConnectionRefusedError ? QStringLiteral("connection refused")
                   : e == QAbstractSocket::HostNotFoundError       ? QStringLiteral("host not found (DNS)")
                                                                   : m_socket.errorString());
    });
    connect(&m_timer, &QTimer::timeout, this, [this] {
        finish(false, QStringLiteral("no connection within %1").arg(Duration::format(m_timeoutMs)));
    });
}

void TcpProbe::start(const CheckConfig &check)
{
    m_timeoutMs = check.timeoutMs;
    m_elapsed.start();
    m_timer.start(int(check.timeoutMs));
    m_socket.connectToHost(check.tcp.host, quint16(check.tcp.port));
}

void TcpProbe::finish(bool connected, const QString &error)
{
    if (m_done)
        return;
    m_done = true;
    m_timer.stop();
    ProbeReading reading;
    reading.responseTimeMs = double(m_elapsed.nsecsElapsed()) / 1e6;
    reading.set(QStringLiteral("CONNECTED"), connected);
    if (!connected) {
        reading.failed = true;
        reading.networkError = true;
        reading.error = error;
    }
    m_socket.abort();
    // Signals from QTcpSocket can arrive inside connectToHost(); always deliver from the event loop.
    QMetaObject::invokeMethod(this, [this, reading] { emit finished(reading); }, Qt::QueuedConnection);
}
