#include "probefactory.h"

#include "blockingprobe.h"
#include "commandprobe.h"
#include "httpconnectionpool.h"
#include "httpprobe.h"
#include "tcpprobe.h"
#include "workerpool.h"


ProbeFactory::ProbeFactory(QObject *parent)
    : QObject(parent)
    , m_http(new HttpConnectionPool(this))
    , m_workers(new WorkerPool(8, this))
{
}

ProbeFactory::~ProbeFactory() = default;

std::unique_ptr<Probe> ProbeFactory::create(CheckKind kind)
{
    switch (kind) {
    case CheckKind::Http: return std::make_unique<HttpProbe>(m_http, &m_trust);
    case CheckKind::Tcp: return std::make_unique<TcpProbe>();
    case CheckKind::Command: return std::make_unique<CommandProbe>();
    case CheckKind::Sql: return std::make_unique<SqlProbe>(m_workers);
    case CheckKind::Disk: return std::make_unique<DiskProbe>(m_workers);
    case CheckKind::FileAge: return std::make_unique<FileAgeProbe>(m_workers);
    case CheckKind::Log: return std::make_unique<LogProbe>(m_workers);
    }
    return nullptr;
}
