#include "commandtask.h"

#include "actionparams.h"
#include "duration.h"

#include <QRegularExpression>

CommandTask::CommandTask(const Context &context, QObject *parent)
    : ActionTask(context, parent)
{
    connect(&m_runner, &ProcessRunner::output, this, &ActionTask::output);
    connect(&m_runner, &ProcessRunner::finished, this, &CommandTask::onFinished);
}

CommandTask::~CommandTask() = default; // ProcessRunner kills what is still running, group and all

QString CommandTask::quote(const QString &argument)
{
    static const QRegularExpression safe(QStringLiteral("\\A[A-Za-z0-9_@%+=:,./-]+\\z"));
    if (safe.match(argument).hasMatch())
        return argument;
    bool control = false;
    for (QChar c : argument)
        control = control || c.unicode() < 0x20 || c.unicode() == 0x7f;
    if (!control)
        return u'\'' + QString(argument).replace(u'\'', QStringLiteral("'\\''")) + u'\'';
    QString out = QStringLiteral("$'");
    for (QChar c : argument) {
        switch (c.unicode()) {
        case '\n': out += QStringLiteral("\\n"); break;
        case '\r': out += QStringLiteral("\\r"); break;
        case '\t': out += QStringLiteral("\\t"); break;
        case '\\': out += QStringLiteral("\\\\"); break;
        case '\'': out += QStringLiteral("\\'"); break;
        default:
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    return out + u'\'';
}

ProcessRunner::Options CommandTask::options(const Context &context)
{
    const ActionConfig &a = context.action;
    ProcessRunner::Options o;
    o.argv = a.shell ? QStringList{QStringLiteral("/bin/sh"), QStringLiteral("-c"), a.argv.value(0)} : a.argv;
    o.workingDir = a.workingDir;
    o.environment = a.environment;
    if (a.shell)
        for (const ActionParam &p : a.params)
            o.environment.append({ActionParams::envName(p.name), context.params.value(p.name)});
    o.timeoutMs = a.timeoutMs;
    o.graceMs = kGraceMs;
    o.maxOutputBytes = a.maxOutputBytes;
    o.killGroupOnExit = true;
    return o;
}

QStringList CommandTask::preview() const
{
    const ProcessRunner::Options o = options(context());
    QStringList argv;
    for (const QString &arg : o.argv)
        argv << quote(arg);
    QStringList lines;
    lines << (context().action.shell ? QStringLiteral("shell: ") : QStringLiteral("run: ")) + masked(argv.join(u' '));
    if (!o.workingDir.isEmpty())
        lines << QStringLiteral("in: ") + quote(o.workingDir);
    for (const auto &[name, value] : o.environment)
        lines << QStringLiteral("env: %1=%2").arg(name, masked(quote(value)));
    lines << QStringLiteral("timeout: %1, then TERM to the whole process group, KILL %2 later")
                 .arg(Duration::format(o.timeoutMs), Duration::format(kGraceMs));
    return lines;
}

void CommandTask::start()
{
    m_runner.start(options(context()));
}

void CommandTask::cancel()
{
    m_cancelled = true;
    m_runner.terminate();
}

void CommandTask::onFinished(const ProcessRunner::Outcome &o)
{
    ActionOutcome out;
    out.exitCode = o.started && !o.crashed ? o.exitCode : -1;
    out.outputBytes = o.outputBytes;
    if (!o.started) {
        out.status = ActionOutcome::Status::Failed;
        out.summary = masked(o.error.isEmpty() ? QStringLiteral("the program did not start") : o.error);
    } else if (o.timedOut) {
        out.status = ActionOutcome::Status::TimedOut;
        out.summary = QStringLiteral("timed out after %1: the whole process group was ended (TERM, then KILL)")
                          .arg(Duration::format(context().action.timeoutMs));
    } else if (m_cancelled) {
        out.status = ActionOutcome::Status::Cancelled;
        out.summary = QStringLiteral("cancelled: the whole process group was ended (TERM, then KILL)");
    } else if (o.crashed) {
        out.status = ActionOutcome::Status::Failed;
        out.summary = QStringLiteral("ended by a signal");
    } else if (o.exitCode != 0) {
        out.status = ActionOutcome::Status::Failed;
        out.summary = QStringLiteral("exit code %1").arg(o.exitCode);
    } else {
        out.status = ActionOutcome::Status::Succeeded;
        out.summary = QStringLiteral("exit code 0");
    }
    emit finished(out);
}
