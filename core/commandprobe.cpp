#include "commandprobe.h"

#include "duration.h"

CommandProbe::CommandProbe(QObject *parent)
    : Probe(parent)
{
    connect(&m_runner, &ProcessRunner::finished, this, [this](const ProcessRunner::Outcome &o) {
        ProbeReading reading;
        reading.responseTimeMs = double(o.durationMs);
        if (!o.started) {
            // The program is missing or not executable: OpsDeck's set-up, not the target, is wrong.
            reading.unknown = true;
            reading.failed = true;
            reading.error = o.error;
        } else {
            reading.set(QStringLiteral("OUTPUT"), QString::fromUtf8(o.output).trimmed());
            if (o.timedOut || o.crashed) {
                reading.failed = true;
                reading.error = o.error;
            } else {
                reading.set(QStringLiteral("EXIT_CODE"), o.exitCode);
            }
        }
        emit finished(reading);
    });
}

void CommandProbe::start(const CheckConfig &check)
{
    ProcessRunner::Options options;
    options.argv = check.command.argv;
    options.workingDir = check.command.workingDir;
    options.environment = check.command.environment;
    options.timeoutMs = check.timeoutMs;
    options.graceMs = qMin<qint64>(2000, qMax<qint64>(100, check.timeoutMs / 5));
    options.maxOutputBytes = check.command.maxOutputBytes;
    m_runner.start(options);
}
