#include "builtintask.h"

#include "clock.h"
#include "duration.h"

#include <QDateTime>
#include <QEventLoop>
#include <QTimer>

BuiltinTask::BuiltinTask(const Context &context, QObject *parent)
    : ActionTask(context, parent)
{
}

BuiltinTask::~BuiltinTask()
{
    if (m_thread) {
        m_cancel = true;
        m_thread->wait();
        delete m_thread;
    }
}

void BuiltinTask::start()
{
    if (m_started)
        return;
    m_started = true;
    if (context().dryRun) {
        // Nothing is touched: the preview is exactly what a real run would do.
        QMetaObject::invokeMethod(this, [this] {
            for (const QString &line : preview())
                emit output((QStringLiteral("would: ") + masked(line) + u'\n').toUtf8());
            finishOnce(succeeded(QStringLiteral("dry run: nothing was changed")));
        }, Qt::QueuedConnection);
        return;
    }
    const qint64 timeout = context().action.timeoutMs > 0 ? context().action.timeoutMs : 5 * 60'000;
    m_deadlineMs = QDateTime::currentMSecsSinceEpoch() + timeout;
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        m_cancel = true;
    });
    timer->start(int(qMin<qint64>(timeout, std::numeric_limits<int>::max())));
    m_thread = QThread::create([this] {
        Work work(this);
        m_outcome = run(work);
    });
    connect(m_thread, &QThread::finished, this, [this] { finishOnce(m_outcome); });
    m_thread->start();
}

void BuiltinTask::cancel()
{
    if (!m_started || m_finished)
        return;
    m_cancel = true;
}

void BuiltinTask::finishOnce(ActionOutcome outcome)
{
    if (m_finished)
        return;
    m_finished = true;
    if (outcome.status != ActionOutcome::Status::Succeeded) {
        if (m_timedOut) {
            outcome.status = ActionOutcome::Status::TimedOut;
            outcome.summary = QStringLiteral("timed out after %1: %2")
                                  .arg(Duration::format(context().action.timeoutMs), outcome.summary);
        } else if (m_cancel) {
            outcome.status = ActionOutcome::Status::Cancelled;
            outcome.summary = QStringLiteral("cancelled: ") + outcome.summary;
        }
    }
    outcome.summary = masked(outcome.summary);
    emit finished(outcome);
}

ActionOutcome BuiltinTask::succeeded(const QString &summary)
{
    ActionOutcome o;
    o.status = ActionOutcome::Status::Succeeded;
    o.exitCode = 0;
    o.summary = summary;
    return o;
}

ActionOutcome BuiltinTask::failed(const QString &summary, int exitCode)
{
    ActionOutcome o;
    o.status = ActionOutcome::Status::Failed;
    o.exitCode = exitCode;
    o.summary = summary;
    return o;
}

QString BuiltinTask::processFailure(const QString &what, const ProcessRunner::Outcome &outcome)
{
    if (!outcome.started)
        return QStringLiteral("%1 could not be started: %2").arg(what, outcome.error);
    if (outcome.timedOut)
        return QStringLiteral("%1 did not finish in time").arg(what);
    const QStringList lines = QString::fromUtf8(outcome.output).trimmed().split(u'\n', Qt::SkipEmptyParts);
    const QString last = lines.isEmpty() ? QString() : QStringLiteral(": ") + lines.last().trimmed();
    if (outcome.crashed)
        return QStringLiteral("%1 was ended by a signal%2").arg(what, last);
    return QStringLiteral("%1 exited with %2%3").arg(what).arg(outcome.exitCode).arg(last);
}

void BuiltinTask::Work::say(const QString &line) const
{
    BuiltinTask *task = m_task;
    const QByteArray chunk = (task->masked(line) + u'\n').toUtf8();
    QMetaObject::invokeMethod(task, [task, chunk] { emit task->output(chunk); }, Qt::QueuedConnection);
}

qint64 BuiltinTask::nowMs() const
{
    return context().clock ? context().clock->nowMs() : QDateTime::currentMSecsSinceEpoch();
}

qint64 BuiltinTask::Work::nowMs() const
{
    return m_task->nowMs();
}

ProcessRunner::Outcome BuiltinTask::Work::runProcess(ProcessRunner::Options options, bool stream) const
{
    const qint64 left = m_task->m_deadlineMs.load() - QDateTime::currentMSecsSinceEpoch();
    options.timeoutMs = qMax<qint64>(1, qMin(options.timeoutMs, left));
    ProcessRunner runner;
    QEventLoop loop;
    ProcessRunner::Outcome outcome;
    BuiltinTask *task = m_task;
    if (stream)
        QObject::connect(&runner, &ProcessRunner::output, &runner, [task](const QByteArray &chunk) {
        const QByteArray text = task->masked(QString::fromUtf8(chunk)).toUtf8();
        QMetaObject::invokeMethod(task, [task, text] { emit task->output(text); }, Qt::QueuedConnection);
    });
    QObject::connect(&runner, &ProcessRunner::finished, &loop, [&](const ProcessRunner::Outcome &o) {
        outcome = o;
        loop.quit();
    });
    QTimer poll;
    bool ending = false; // TERM once; ProcessRunner sends KILL after its grace period
    QObject::connect(&poll, &QTimer::timeout, &runner, [&] {
        if (cancelled() && !ending) {
            ending = true;
            runner.terminate();
        }
    });
    poll.start(50);
    runner.start(options);
    loop.exec();
    return outcome;
}
