#pragma once

#include "checkresult.h"
#include "config.h"

#include <QObject>
#include <functional>

class Clock;
class ProbeFactory;
class SecretResolver;

// Runs one check once, now, outside the schedule — to verify a fallback right before failing over
// to it, or a primary before failing back. The same path as a scheduled run: secrets resolved
// (and masked out of what is reported), the probe's reading judged by the check's conditions.
class OneShotProbe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OneShotProbe)

public:
    // None owned; `secrets` may be null for configs without ${secret:…}.
    OneShotProbe(ProbeFactory *factory, SecretResolver *secrets, const Clock *clock, QObject *parent = nullptr);

    using Done = std::function<void(const CheckResult &)>;
    // `done` runs from the event loop exactly once (within the check's timeout and a margin),
    // unless `context` is destroyed first.
    void run(const QString &service, const CheckConfig &check, QObject *context, Done done);

private:
    void start(const QString &service, const CheckConfig &check, qint64 startedAtMs, QObject *context, Done done,
               std::function<QString(const QString &)> redact);

    ProbeFactory *m_factory;
    SecretResolver *m_secrets;
    const Clock *m_clock;
};
