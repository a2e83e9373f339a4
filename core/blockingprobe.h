#pragma once

#include "probe.h"

#include <QTimer>
#include <functional>

class WorkerPool;

// Base of the probes whose measurement can block — a database query, statvfs on a slow mount, a
// scan of a large log. The measurement runs on a worker thread; the timeout is kept here, so a
// stuck target still yields a result on time (the worker's late answer is dropped).
class BlockingProbe : public Probe
{
    Q_OBJECT

public:
    BlockingProbe(WorkerPool *pool, QObject *parent = nullptr);
    void start(const CheckConfig &check) final;

protected:
    // A self-contained job: it runs on another thread and must capture copies, never `this`.
    virtual std::function<ProbeReading()> job(const CheckConfig &check) const = 0;

private:
    void finish(const ProbeReading &reading);

    WorkerPool *m_pool;
    QTimer m_timer;
    bool m_done = false;
};

class SqlProbe final : public BlockingProbe
{
    Q_OBJECT
public:
    using BlockingProbe::BlockingProbe;

protected:
    std::function<ProbeReading()> job(const CheckConfig &check) const override;
};

class DiskProbe final : public BlockingProbe
{
    Q_OBJECT
public:
    using BlockingProbe::BlockingProbe;

protected:
    std::function<ProbeReading()> job(const CheckConfig &check) const override;
};

class FileAgeProbe final : public BlockingProbe
{
    Q_OBJECT
public:
    using BlockingProbe::BlockingProbe;

protected:
    std::function<ProbeReading()> job(const CheckConfig &check) const override;
};

class LogProbe final : public BlockingProbe
{
    Q_OBJECT
public:
    using BlockingProbe::BlockingProbe;

protected:
    std::function<ProbeReading()> job(const CheckConfig &check) const override;
};
