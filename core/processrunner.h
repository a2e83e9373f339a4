#pragma once

#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTimer>

// Runs one program from an argument list (never through a shell) in its own process group, with a
// timeout that ends the whole group — TERM first, KILL after a grace period — so children that
// ignore TERM or outlive their parent cannot linger. Output (stdout and stderr interleaved) is kept
// up to a cap; the rest is read and dropped so a chatty program cannot block on a full pipe or
// exhaust memory.
class ProcessRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProcessRunner)

public:
    struct Options
    {
        QStringList argv;
        QString workingDir;
        QList<QPair<QString, QString>> environment; // added to the inherited environment
        qint64 timeoutMs = 10'000;
        qint64 graceMs = 2'000;  // between TERM and KILL
        qint64 maxOutputBytes = 64 * 1024;
        bool killGroupOnExit = true; // end whatever the program left running in its group
    };

    struct Outcome
    {
        bool started = false;
        bool timedOut = false;
        bool crashed = false;   // ended by a signal
        int exitCode = -1;
        QByteArray output;      // capped
        qint64 outputBytes = 0; // everything the program wrote, including what was dropped
        qint64 durationMs = 0;
        QString error;          // why it did not start or did not end normally
    };

    explicit ProcessRunner(QObject *parent = nullptr);
    ~ProcessRunner() override;

    void start(const Options &options);
    bool isRunning() const;
    // Ends the process group now (TERM, then KILL after the grace period).
    void terminate();

signals:
    void output(const QByteArray &chunk); // live, for streaming to a view; only the part within the cap
    void finished(const ProcessRunner::Outcome &outcome);

private:
    void onReadyRead();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onErrorOccurred(QProcess::ProcessError error);
    void signalGroup(int signal);
    void finish();

    QProcess m_process;
    QTimer m_timeout;
    QTimer m_kill;
    Options m_options;
    Outcome m_outcome;
    qint64 m_startedMs = 0;
    qint64 m_pgid = 0;
    bool m_done = true;
};
