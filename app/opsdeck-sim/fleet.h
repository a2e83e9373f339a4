#pragma once

#include "systemid.h"

#include <QObject>
#include <QSslConfiguration>
#include <map>

class FaultBoard;
class SystemServer;

// The four systems together, each on its own port of 127.0.0.1; the gateway speaks HTTPS.
class Fleet final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Fleet)

public:
    struct Settings
    {
        std::map<SystemId, quint16> ports; // 0 = pick a free port
        QString dashKey;
        QString healthToken;
        QSslConfiguration gatewayTls;
    };

    Fleet(const FaultBoard *faults, const Settings &settings, QObject *parent = nullptr);

    // Starts listening; on failure the message names the system, its port option and the reason.
    bool listen(QString *error);
    // The ports actually bound, compact and in the runbooks' order:
    // {"echopilot":18080,"fallback":18081,"gateway":13100,"aifsm":13000}
    QByteArray portsJson() const;

private:
    const Settings m_settings;
    std::map<SystemId, SystemServer *> m_systems; // children
};
