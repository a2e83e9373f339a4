#pragma once

#include "probereading.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPointer>
#include <QThreadPool>
#include <functional>
#include <memory>

// Runs measurements that block (a database query, statvfs on a slow mount, scanning a large log) on
// worker threads, and hands each result back on the owner's thread to a receiver — or drops it if
// the receiver is gone by then. Workers only ever talk to this long-lived object, never to the
// receiver directly, so a probe can be deleted while its job still runs.
class WorkerPool final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WorkerPool)

public:
    explicit WorkerPool(int maxThreads, QObject *parent = nullptr);
    ~WorkerPool() override;

    void run(std::function<ProbeReading()> job, QObject *receiver, std::function<void(const ProbeReading &)> deliver);

private:
    struct Pending
    {
        QPointer<QObject> receiver;
        std::function<void(const ProbeReading &)> deliver;
    };
    void complete(quint64 id, const ProbeReading &reading);

    // Shared with running jobs: a job that outlives the pool (a truly hung mount at shutdown) finds
    // a null pointer here instead of a dangling one.
    struct Link
    {
        QMutex mutex;
        WorkerPool *pool = nullptr;
    };
    std::shared_ptr<Link> m_link;
    std::unique_ptr<QThreadPool> m_pool;
    QHash<quint64, Pending> m_pending;
    quint64 m_nextId = 1;
};
