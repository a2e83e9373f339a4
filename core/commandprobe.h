#pragma once

#include "probe.h"
#include "processrunner.h"

// Runs a program (an argument list, no shell) and judges its exit code and output
// ([EXIT_CODE], [OUTPUT], [RESPONSE_TIME]). On timeout its whole process group is ended.
class CommandProbe final : public Probe
{
    Q_OBJECT

public:
    explicit CommandProbe(QObject *parent = nullptr);
    void start(const CheckConfig &check) override;

private:
    ProcessRunner m_runner;
};
