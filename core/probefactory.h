#pragma once

#include "config.h"
#include "truststore.h"

#include <QObject>
#include <memory>

class Probe;
class HttpConnectionPool;
class WorkerPool;

// Makes the probe for a check kind and owns what probes share: the pool of keep-alive HTTP
// connections, the TLS trust cache and the worker threads.
class ProbeFactory final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProbeFactory)

public:
    explicit ProbeFactory(QObject *parent = nullptr);
    ~ProbeFactory() override;

    std::unique_ptr<Probe> create(CheckKind kind);

private:
    HttpConnectionPool *m_http;
    WorkerPool *m_workers;
    TrustStore m_trust;
};
