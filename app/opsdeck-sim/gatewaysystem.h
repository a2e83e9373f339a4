#pragma once

#include "systemserver.h"

// The HTTPS run gateway of the operations guide: GET /api/health →
// {"status":"ok","timestamp":"<now>","connections":{"clients":2,"subscriptions":1}}.
class GatewaySystem final : public SystemServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GatewaySystem)

public:
    explicit GatewaySystem(const FaultBoard *faults, QObject *parent = nullptr);

protected:
    // A Node service: {"error":"<message>"}.
    HttpReply errorReply(int status, const QString &message) const override;

private:
    HttpReply health() const;
};
