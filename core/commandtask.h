#pragma once

#include "actiontask.h"
#include "processrunner.h"

// A command action: one program from an argument list (or, only with `shell: true`, one script
// through /bin/sh -c), in its own process group, with the action's working dir, environment,
// timeout (TERM to the whole group, KILL after a grace period) and output cap.
class CommandTask final : public ActionTask
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CommandTask)

public:
    static constexpr qint64 kGraceMs = 2'000; // between TERM and KILL

    explicit CommandTask(const Context &context, QObject *parent = nullptr);
    ~CommandTask() override;

    QStringList preview() const override;
    void start() override;
    void cancel() override;

    // What ProcessRunner is given; a shell script's parameters arrive as OPSDECK_PARAM_* variables.
    static ProcessRunner::Options options(const Context &context);
    // One argument as a POSIX shell would need it written: bare when safe, else '…' or $'…' (for
    // control characters), so a preview line is exact and can be pasted.
    static QString quote(const QString &argument);

private:
    void onFinished(const ProcessRunner::Outcome &outcome);

    ProcessRunner m_runner;
    bool m_cancelled = false;
};
