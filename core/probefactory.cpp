#include "probefactory.h"

#include "blockingprobe.h"
#include "commandprobe.h"
#include "httpprobe.h"
#include "tcpprobe.h"
#include "workerpool.h"

#include <QNetworkAccessManager>
#include <QNetworkProxy>

ProbeFactory::ProbeFactory(QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_workers(new WorkerPool(8, this))
{
    // Health checks must see the server, never a cached or proxied answer set by the desktop.
    m_network->setProxy(QNetworkProxy::NoProxy);
    m_network->setAutoDeleteReplies(false);
}

ProbeFactory::~ProbeFactory() = default;

std::unique_ptr<Probe> ProbeFactory::create(CheckKind kind)
{
    switch (kind) {
    case CheckKind::Http: return std::make_unique<HttpProbe>(m_network, &m_trust);
    case CheckKind::Tcp: return std::make_unique<TcpProbe>();
    case CheckKind::Command: return std::make_unique<CommandProbe>();
    case CheckKind::Sql: return std::make_unique<SqlProbe>(m_workers);
    case CheckKind::Disk: return std::make_unique<DiskProbe>(m_workers);
    case CheckKind::FileAge: return std::make_unique<FileAgeProbe>(m_workers);
    case CheckKind::Log: return std::make_unique<LogProbe>(m_workers);
    }
    return nullptr;
}
