#include "fleet.h"

#include "aifsmsystem.h"
#include "echopilotsystem.h"
#include "fallbacksystem.h"
#include "gatewaysystem.h"
#include "orderedjson.h"

Fleet::Fleet(const FaultBoard *faults, const Settings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_systems[SystemId::EchoPilot] = new EchoPilotSystem(faults, settings.dashKey, settings.healthToken, this);
    m_systems[SystemId::Fallback] = new FallbackSystem(faults, this);
    m_systems[SystemId::Gateway] = new GatewaySystem(faults, this);
    m_systems[SystemId::AiFsm] = new AiFsmSystem(faults, this);
}

bool Fleet::listen(QString *error)
{
    for (SystemId id : allSystems) {
        const auto port = m_settings.ports.find(id);
        std::optional<QSslConfiguration> tls;
        if (id == SystemId::Gateway)
            tls = m_settings.gatewayTls;
        QString reason;
        if (!m_systems.at(id)->listen(port == m_settings.ports.end() ? 0 : port->second, tls, &reason)) {
            *error = systemName(id) % u" (--" % systemName(id) % u"-port): " % reason;
            return false;
        }
    }
    return true;
}

QByteArray Fleet::portsJson() const
{
    QList<QPair<QString, QJsonValue>> ports;
    for (SystemId id : allSystems)
        ports.append({ systemName(id), m_systems.at(id)->port() });
    return orderedJson(ports);
}
