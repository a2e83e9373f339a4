#pragma once

#include "config.h"
#include "probereading.h"

#include <QObject>

// One measurement of one check. A probe is used once: start() it, and it emits finished() exactly
// once, asynchronously, no later than the check's timeout plus a small margin, whatever the target
// does (hangs, drips bytes, resets). Deleting a running probe cancels it without emitting.
class Probe : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Probe)

public:
    using QObject::QObject;
    // `check` has its ${secret:…} references already resolved; it must outlive the run.
    virtual void start(const CheckConfig &check) = 0;

signals:
    void finished(const ProbeReading &reading);
};
