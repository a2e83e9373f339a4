#pragma once

#include "actiontask.h"
#include "processrunner.h"

#include <QThread>
#include <atomic>
#include <memory>

// The common shape of the built-in actions: the work is one sequential function that runs in a
// worker thread (an SQLite backup, a pg_dump, a tar and the hashing of what they wrote must never
// block the GUI thread), says what it does line by line, runs programs through ProcessRunner and
// checks for cancellation between steps. The task finishes exactly once: with the work's outcome,
// or Cancelled after cancel(), or TimedOut after the action's timeout. A dry run prints the
// preview — exactly what would be done — and changes nothing.
class BuiltinTask : public ActionTask
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BuiltinTask)

public:
    explicit BuiltinTask(const Context &context, QObject *parent = nullptr);
    ~BuiltinTask() override; // stops the worker (cancel) and waits for it

    void start() override;
    void cancel() override;

    // What run() may use from its worker thread.
    class Work
    {
    public:
        explicit Work(BuiltinTask *task) : m_task(task) {}
        // One line of output (masked), streamed to the runner from the task's thread.
        void say(const QString &line) const;
        bool cancelled() const { return m_task->m_cancel.load(); }
        // Runs a program to its end (or until cancel/timeout ends its process group), streaming
        // its output (unless `stream` is false: then it is only in the outcome). The timeout is
        // capped by what is left of the action's own.
        ProcessRunner::Outcome runProcess(ProcessRunner::Options options, bool stream = true) const;
        qint64 nowMs() const;
        const std::atomic_bool *cancelFlag() const { return &m_task->m_cancel; }

    private:
        BuiltinTask *m_task;
    };

protected:
    // Now, by the context's clock (the system clock without one).
    qint64 nowMs() const;

    // The work; runs in a worker thread. Must not touch QObjects of the task's thread.
    virtual ActionOutcome run(Work &work) = 0;

    static ActionOutcome succeeded(const QString &summary);
    static ActionOutcome failed(const QString &summary, int exitCode = -1);
    // "pg_dump exited with 1: <last line>" and similar, for a program that did not succeed.
    static QString processFailure(const QString &what, const ProcessRunner::Outcome &outcome);

private:
    void finishOnce(ActionOutcome outcome);

    std::atomic_bool m_cancel{false};
    std::atomic_bool m_timedOut{false};
    std::atomic<qint64> m_deadlineMs{0};
    QThread *m_thread = nullptr;
    ActionOutcome m_outcome;
    bool m_started = false;
    bool m_finished = false;
};
