#pragma once

#include "config.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

class Clock;
class SecretStore;

// How one run of an action ended.
struct ActionOutcome
{
    enum class Status { Succeeded, Failed, TimedOut, Cancelled, Refused };
    Status status = Status::Failed;
    int exitCode = -1;   // a command's exit code; an HTTP action's status; -1 when none
    QString summary;     // one line for the run list, the timeline and the CLI: what happened
    qint64 outputBytes = -1; // everything the task wrote when it dropped part itself (a capped
                             // process); -1: what it emitted through output() is all there was
};
QString actionStatusName(ActionOutcome::Status status); // succeeded, failed, timeout, cancelled, refused
Q_DECLARE_METATYPE(ActionOutcome)

// One run of one action, whatever its kind (command, HTTP request, a built-in). The runner
// (ActionRunner) validates parameters, resolves secrets, takes the action's lock and records the
// run; a task only does the work: it says exactly what it will do (preview), starts once, streams
// its output, and finishes exactly once — also after cancel() and on its own timeout.
class ActionTask : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActionTask)

public:
    // Everything a task may use. The action's texts are already expanded: {param} placeholders
    // replaced by the validated values (URL-encoded inside URLs, whole argv elements in commands)
    // and ${secret:NAME} references by their values; `secretValues` lists those values so that
    // preview() and output can mask them.
    struct Context
    {
        QString service;
        ActionConfig action;              // expanded
        QHash<QString, QString> params;   // validated values, by name
        QStringList secretValues;
        bool dryRun = false;              // say what would be done, change nothing
        QString scratchDir;               // a private temporary folder for this run, removed afterwards
        SecretStore *secrets = nullptr;   // rotate-secret writes the keychain through it
        const Clock *clock = nullptr;
    };

    explicit ActionTask(const Context &context, QObject *parent = nullptr)
        : QObject(parent), m_context(context) {}
    ~ActionTask() override = default;

    // Exactly what will run, one line per step, secrets masked: the argv, the method and URL, the
    // files read and written.
    virtual QStringList preview() const = 0;
    virtual void start() = 0;
    // Ends the run as soon as it safely can (a process group gets TERM, then KILL); finished()
    // follows with Status::Cancelled.
    virtual void cancel() = 0;

    const Context &context() const { return m_context; }

signals:
    void output(const QByteArray &chunk); // streamed as it comes; the runner caps what it keeps
    void finished(const ActionOutcome &outcome);

protected:
    // `text` with every secret value replaced by "••••••".
    QString masked(QString text) const
    {
        for (const QString &v : m_context.secretValues)
            if (v.size() >= 4)
                text.replace(v, QStringLiteral("••••••"));
        return text;
    }

private:
    Context m_context;
};
