#pragma once

#include "probe.h"

#include <QElapsedTimer>
#include <QTcpSocket>
#include <QTimer>

// Can OpsDeck open a TCP connection to host:port within the timeout? ([CONNECTED], [RESPONSE_TIME])
class TcpProbe final : public Probe
{
    Q_OBJECT

public:
    explicit TcpProbe(QObject *parent = nullptr);
    void start(const CheckConfig &check) override;

private:
    void finish(bool connected, const QString &error);

    QTcpSocket m_socket;
    QTimer m_timer;
    QElapsedTimer m_elapsed;
    qint64 m_timeoutMs = 0;
    bool m_done = false;
};
