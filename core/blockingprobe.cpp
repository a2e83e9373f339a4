#include "blockingprobe.h"

#include "duration.h"
#include "workerpool.h"

BlockingProbe::BlockingProbe(WorkerPool *pool, QObject *parent)
    : Probe(parent)
    , m_pool(pool)
{
    m_timer.setSingleShot(true);
}

void BlockingProbe::start(const CheckConfig &check)
{
    const qint64 timeoutMs = check.timeoutMs;
    connect(&m_timer, &QTimer::timeout, this, [this, timeoutMs] {
        ProbeReading reading;
        reading.failed = true;
        reading.error = QStringLiteral("no answer within %1").arg(Duration::format(timeoutMs));
        reading.responseTimeMs = double(timeoutMs);
        finish(reading);
    });
    m_timer.start(int(timeoutMs));
    m_pool->run(job(check), this, [this](const ProbeReading &reading) { finish(reading); });
}

void BlockingProbe::finish(const ProbeReading &reading)
{
    if (m_done)
        return;
    m_done = true;
    m_timer.stop();
    emit finished(reading);
}
