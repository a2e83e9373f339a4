#pragma once

#include "systemserver.h"

// ai-fsm on the Pi 4, as its incident runbook probes it: GET /api/health →
// {"status":"ok","checks":{"db":"ok"}}, or 503 {"status":"degraded","checks":{"db":"fail"}} like
// the real Next.js health route when a check fails.
class AiFsmSystem final : public SystemServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AiFsmSystem)

public:
    explicit AiFsmSystem(const FaultBoard *faults, QObject *parent = nullptr);

protected:
    // The app's API error shape: {"error":{"code":"RATE_LIMITED","message":"..."}}.
    HttpReply errorReply(int status, const QString &message) const override;

private:
    HttpReply health() const;
};
