#include "workerpool.h"

WorkerPool::WorkerPool(int maxThreads, QObject *parent)
    : QObject(parent)
    , m_link(std::make_shared<Link>())
{
    m_link->pool = this;
    m_pool = std::make_unique<QThreadPool>();
    m_pool->setMaxThreadCount(maxThreads);
    m_pool->setExpiryTimeout(30'000);
}

WorkerPool::~WorkerPool()
{
    {
        QMutexLocker lock(&m_link->mutex);
        m_link->pool = nullptr;
    }
    m_pending.clear();
    // QThreadPool's destructor waits forever; a job stuck in the kernel (a dead NFS mount) must not
    // hang shutdown, so such a pool is abandoned to the exiting process instead.
    if (!m_pool->waitForDone(2000))
        (void)m_pool.release();
}

void WorkerPool::run(std::function<ProbeReading()> job, QObject *receiver, std::function<void(const ProbeReading &)> deliver)
{
    const quint64 id = m_nextId++;
    m_pending.insert(id, {receiver, std::move(deliver)});
    m_pool->start([link = m_link, id, job = std::move(job)] {
        const ProbeReading reading = job();
        QMutexLocker lock(&link->mutex);
        if (WorkerPool *pool = link->pool)
            QMetaObject::invokeMethod(pool, [pool, id, reading] { pool->complete(id, reading); }, Qt::QueuedConnection);
    });
}

void WorkerPool::complete(quint64 id, const ProbeReading &reading)
{
    const Pending pending = m_pending.take(id);
    if (pending.receiver && pending.deliver)
        pending.deliver(reading);
}
