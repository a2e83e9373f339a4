#pragma once

#include "systemserver.h"

// EchoPilot's Railway fallback, which the disaster-recovery runbook checks before failing over:
// GET /health → {"status":"ok","role":"fallback","dependencies":{"database":"ok"}}.
class FallbackSystem final : public SystemServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FallbackSystem)

public:
    explicit FallbackSystem(const FaultBoard *faults, QObject *parent = nullptr);

protected:
    // Same application as the primary, so the same {"ok":false,"error":...} shape.
    HttpReply errorReply(int status, const QString &message) const override;

private:
    HttpReply health() const;
};
