#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

// Runs the built opsdeckctl as a real process and collects what it printed. The child gets the
// test's environment (the test script already gives every run its own HOME and XDG dirs) plus
// `extraEnv`.
struct CtlRun
{
    int exitCode = -1;
    QString out;
    QString err;
    bool finished = false;
};

inline QString opsdeckctlPath()
{
    return QStringLiteral(OPSDECK_BINARY_DIR "/app/opsdeckctl/opsdeckctl");
}

inline CtlRun runCtl(const QStringList &args, const QByteArray &input = {}, int timeoutMs = 60'000,
                     const QStringList &extraEnv = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &kv : extraEnv)
        env.insert(kv.section(u'=', 0, 0), kv.section(u'=', 1));
    p.setProcessEnvironment(env);
    p.start(opsdeckctlPath(), args);
    CtlRun run;
    if (!p.waitForStarted(10'000))
        return run;
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    run.finished = p.waitForFinished(timeoutMs);
    if (!run.finished)
        p.kill();
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = QString::fromUtf8(p.readAllStandardOutput());
    run.err = QString::fromUtf8(p.readAllStandardError());
    return run;
}
