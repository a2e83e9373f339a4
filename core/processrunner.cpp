#include "processrunner.h"

#include <QDateTime>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

ProcessRunner::ProcessRunner(QObject *parent)
    : QObject(parent)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    // A new session makes the child the leader of its own process group, so the whole tree it
    // starts can be signalled at once.
    m_process.setChildProcessModifier([] { ::setsid(); });
    m_timeout.setSingleShot(true);
    m_kill.setSingleShot(true);
    connect(&m_process, &QProcess::started, this, [this] { m_pgid = m_process.processId(); });
    connect(&m_process, &QProcess::readyRead, this, &ProcessRunner::onReadyRead);
    connect(&m_process, &QProcess::finished, this, &ProcessRunner::onFinished);
    connect(&m_process, &QProcess::errorOccurred, this, &ProcessRunner::onErrorOccurred);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        m_outcome.timedOut = true;
        terminate();
    });
    connect(&m_kill, &QTimer::timeout, this, [this] { signalGroup(SIGKILL); });
}

ProcessRunner::~ProcessRunner()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_done = true; // no signal from a dying object
        signalGroup(SIGKILL);
        m_process.waitForFinished(1000);
    }
}

void ProcessRunner::start(const Options &options)
{
    m_options = options;
    m_outcome = {};
    m_done = false;
    m_pgid = 0;
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    if (options.argv.isEmpty() || options.argv.first().isEmpty()) {
        m_outcome.error = QStringLiteral("no program to run");
        QMetaObject::invokeMethod(this, &ProcessRunner::finish, Qt::QueuedConnection);
        return;
    }
    if (!options.environment.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const auto &[name, value] : options.environment)
            env.insert(name, value);
        m_process.setProcessEnvironment(env);
    }
    if (!options.workingDir.isEmpty())
        m_process.setWorkingDirectory(options.workingDir);
    m_process.start(options.argv.first(), options.argv.mid(1), QIODevice::ReadOnly);
    m_timeout.start(int(qMin<qint64>(options.timeoutMs, std::numeric_limits<int>::max())));
}

bool ProcessRunner::isRunning() const
{
    return !m_done;
}

void ProcessRunner::terminate()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    signalGroup(SIGTERM);
    m_kill.start(int(m_options.graceMs));
}

void ProcessRunner::signalGroup(int sig)
{
    if (m_pgid > 0)
        ::kill(-pid_t(m_pgid), sig);
}

void ProcessRunner::onReadyRead()
{
    const QByteArray chunk = m_process.readAll();
    m_outcome.outputBytes += chunk.size();
    const qint64 room = m_options.maxOutputBytes - m_outcome.output.size();
    if (room > 0) {
        const QByteArray kept = chunk.left(room);
        m_outcome.output += kept;
        emit output(kept);
    }
}

void ProcessRunner::onFinished(int exitCode, QProcess::ExitStatus status)
{
    onReadyRead();
    m_outcome.started = true;
    m_outcome.exitCode = exitCode;
    m_outcome.crashed = status == QProcess::CrashExit;
    // The leader is gone; make sure nothing it started lives on in its group.
    if (m_options.killGroupOnExit && m_pgid > 0)
        ::kill(-pid_t(m_pgid), SIGKILL);
    if (m_outcome.timedOut)
        m_outcome.error = QStringLiteral("timed out after %1 ms; the process group was terminated").arg(m_options.timeoutMs);
    else if (m_outcome.crashed)
        m_outcome.error = QStringLiteral("ended by a signal");
    finish();
}

void ProcessRunner::onErrorOccurred(QProcess::ProcessError error)
{
    if (error == QProcess::FailedToStart) {
        m_outcome.error = QStringLiteral("could not start `%1`: %2").arg(m_options.argv.first(), m_process.errorString());
        finish();
    }
}

void ProcessRunner::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    m_kill.stop();
    m_outcome.durationMs = QDateTime::currentMSecsSinceEpoch() - m_startedMs;
    emit finished(m_outcome);
}
