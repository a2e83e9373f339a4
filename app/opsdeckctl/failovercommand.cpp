#include "clioutput.h"
#include "commands.h"

#include "auditlog.h"
#include "coresession.h"
#include "duration.h"
#include "failovercontroller.h"
#include "failovermanager.h"
#include "failoverstate.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonObject>

#include <cstdio>
#include <unistd.h>

namespace {

QJsonValue time(qint64 ms)
{
    return ms > 0 ? QJsonValue(FailoverStateFile::isoTime(ms)) : QJsonValue();
}

QString orNever(qint64 ms)
{
    return ms > 0 ? FailoverStateFile::isoTime(ms) : QStringLiteral("—");
}

void printStatus(const ServiceConfig &service, const FailoverState &s)
{
    const FailoverConfig &f = *service.failover;
    QTextStream &o = Cli::out();
    o << service.name << ": " << (s.failoverActive ? QStringLiteral("FAILED OVER to the fallback `%1`").arg(f.fallback)
                                                             : QStringLiteral("on the primary `%1`").arg(f.primary))
      << "\n";
    o << "  mode                  " << failoverModeName(f.mode) << (f.mode == FailoverConfig::Mode::Automatic && !f.autoFailback ? " (failback by hand)" : "")
      << "\n";
    o << "  phase                 " << failoverPhaseName(s.phase);
    if (s.inTransition() || s.phase == FailoverState::Phase::FailoverFailed || s.phase == FailoverState::Phase::FailbackFailed) {
        const QStringList &list = s.phase == FailoverState::Phase::FailingOver || s.phase == FailoverState::Phase::FailoverFailed
            ? f.actions : f.failbackActions;
        o << " (step " << qMin(s.step + 1, int(list.size())) << " of " << list.size();
        if (s.step < list.size())
            o << ": " << list.at(s.step);
        o << (s.owner.isEmpty() ? QString() : QStringLiteral(", by ") + s.owner) << ")";
    }
    o << "\n";
    o << "  consecutive failures  " << s.consecutiveFailures << " (trigger: " << f.triggerFailures << " within "
      << Duration::format(f.triggerWindowMs) << ")\n";
    o << "  since                 " << orNever(s.sinceMs) << "\n";
    o << "  last change           " << orNever(s.lastChangeMs) << "\n";
    if (s.phase == FailoverState::Phase::Active)
        o << "  primary healthy since " << orNever(s.primaryHealthySinceMs) << " (failback after " << Duration::format(f.failbackAfterMs) << ")\n";
    if (s.phase == FailoverState::Phase::Watching)
        o << "  watching until        " << orNever(s.watchUntilMs) << "\n";
    if (s.phase == FailoverState::Phase::WaitingForFallback)
        o << "  fallback refused at   " << orNever(s.refusedAtMs) << " — fails over once `" << f.fallback << "` is healthy\n";
    if (!s.lastError.isEmpty())
        o << "  last error            " << s.lastError << "\n";
    o << "  failovers             " << s.failovers << (s.relapses > 0 ? QStringLiteral(" (%1 relapses)").arg(s.relapses) : QString()) << "\n";
    if (s.incidentId > 0)
        o << "  incident              #" << s.incidentId << "\n";
    o << "  state file            " << f.stateFile << "\n";
    o << "  log                   " << f.logFile << "\n";
    o.flush();
}

// On a terminal, asks; elsewhere only --yes confirms.
bool confirm(const QString &question, bool yes, int *code)
{
    if (yes)
        return true;
    if (!::isatty(STDIN_FILENO)) {
        Cli::err() << "not confirmed: stdin is not a terminal; pass --yes to confirm\n";
        Cli::err().flush();
        *code = 2;
        return false;
    }
    Cli::out() << question << " [y/N] ";
    Cli::out().flush();
    char line[64] = {};
    const bool answered = std::fgets(line, sizeof line, stdin) != nullptr;
    const QString answer = QString::fromLocal8Bit(line).trimmed().toLower();
    if (!answered || (answer != u"y" && answer != u"yes")) {
        Cli::err() << "not confirmed: nothing was changed\n";
        Cli::err().flush();
        *code = 1;
        return false;
    }
    return true;
}

} // namespace

int runFailover(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Edge failover of a service (its `failover:` config):\n"
        "  failover status SERVICE     where it stands (--format json for scripts)\n"
        "  failover now SERVICE        verify the fallback, then fail over (run its failover actions)\n"
        "  failover back SERVICE       verify the primary, then fail back (run its failback actions)\n"
        "  failover test SERVICE       a drill: the whole path with actions as dry runs, and a report\n"
        "`now` and `back` ask for confirmation on a terminal; --yes confirms without asking.\n"
        "Exit status: 0 done, 1 refused or failed (the reason is printed), 2 usage or config error."));
    Cli::addCommonOptions(parser, true);
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("status, now, back or test."));
    parser.addPositionalArgument(QStringLiteral("service"), QStringLiteral("A service with `failover:` in its config."));
    parser.addOption({{QStringLiteral("y"), QStringLiteral("yes")}, QStringLiteral("now/back: confirm without asking.")});
    int code = 0;
    Cli::Format format = Cli::Format::Text;
    if (!Cli::parse(parser, args, 2, &code) || !Cli::format(parser, &format, 2, &code))
        return code;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    static const QStringList actions = {QStringLiteral("status"), QStringLiteral("now"), QStringLiteral("back"), QStringLiteral("test")};
    if (!actions.contains(action) || pos.size() != 2) {
        Cli::err() << (actions.contains(action) ? QStringLiteral("`failover %1` needs exactly one SERVICE").arg(action)
                                                : QStringLiteral("unknown or missing action `%1`: expected status, now, back or test").arg(action))
                   << "\nTry `opsdeckctl failover --help`.\n";
        return 2;
    }
    const QString name = pos.at(1);

    CoreSession session;
    const QString path = CoreSession::resolveConfigPath(parser.value(QStringLiteral("config")));
    if (!session.loadConfig(path)) {
        Cli::printIssues(session.issues(), Cli::err());
        return 2;
    }
    const ServiceConfig *service = session.config().service(name);
    if (!service || !service->failover) {
        QStringList with;
        for (const ServiceConfig &s : session.config().services)
            if (s.failover)
                with << s.name;
        Cli::err() << (service ? QStringLiteral("service `%1` has no `failover:` in %2").arg(name, path)
                               : QStringLiteral("no service `%1` in %2").arg(name, path))
                   << (with.isEmpty() ? QStringLiteral("; no service has failover configured") : QStringLiteral("; services with failover: ") + with.join(u", "))
                   << "\n";
        return 2;
    }
    const FailoverConfig &f = *service->failover;

    if (action == u"status") {
        // Read-only: the state file is the truth; nothing is resumed or changed.
        QString error;
        const auto state = FailoverStateFile(f.stateFile, f.logFile).read(&error);
        if (!state) {
            Cli::err() << error << "\n";
            return 1;
        }
        if (format == Cli::Format::Json) {
            // An interface for scripts: exactly these names.
            Cli::printJson(QJsonObject{{QStringLiteral("mode"), failoverModeName(f.mode)},
                                       {QStringLiteral("active"), state->failoverActive},
                                       {QStringLiteral("consecutive_failures"), state->consecutiveFailures},
                                       {QStringLiteral("since"), time(state->sinceMs)},
                                       {QStringLiteral("last_change"), time(state->lastChangeMs)},
                                       {QStringLiteral("state_file"), f.stateFile}});
        } else {
            printStatus(*service, *state);
        }
        return 0;
    }

    if (f.mode == FailoverConfig::Mode::Off) {
        Cli::err() << "failover is off for " << name << " (mode: off in " << path << ")\n";
        return 1;
    }
    if (action == u"now"
        && !confirm(QStringLiteral("Fail over %1 from `%2` to `%3`, running %4?")
                        .arg(name, f.primary, f.fallback, f.actions.isEmpty() ? QStringLiteral("no actions") : f.actions.join(QStringLiteral(", "))),
                    parser.isSet(QStringLiteral("yes")), &code))
        return code;
    if (action == u"back"
        && !confirm(QStringLiteral("Fail %1 back from `%2` to `%3`, running %4?")
                        .arg(name, f.fallback, f.primary,
                             f.failbackActions.isEmpty() ? QStringLiteral("no actions") : f.failbackActions.join(QStringLiteral(", "))),
                    parser.isSet(QStringLiteral("yes")), &code))
        return code;

    QString error;
    if (!session.openHistory(&error)) {
        Cli::err() << "cannot open the store (action runs, incidents and the audit log live there): " << error << "\n";
        return 1;
    }
    FailoverController *controller = session.failover() ? session.failover()->controller(name) : nullptr;
    if (!controller) {
        Cli::err() << "no failover controller for " << name << "\n";
        return 1;
    }
    const bool json = format == Cli::Format::Json;
    QObject::connect(controller, &FailoverController::transition, [json](const QString &, const QString &event, const QString &text) {
        if (json)
            return;
        Cli::out() << event << ": " << text << "\n";
        Cli::out().flush();
    });
    QEventLoop loop;
    FailoverController::Outcome outcome;
    bool finished = false;
    auto done = [&](const FailoverController::Outcome &o) {
        outcome = o;
        finished = true;
        loop.quit();
    };
    if (action == u"now")
        controller->failoverNow(currentActor(), done);
    else if (action == u"back")
        controller->failbackNow(currentActor(), done);
    else
        controller->drill(currentActor(), done);
    if (!finished)
        loop.exec();
    if (json) {
        QJsonObject o{{QStringLiteral("ok"), outcome.ok}, {QStringLiteral("message"), outcome.message}};
        if (!outcome.reportPath.isEmpty())
            o.insert(QStringLiteral("report"), outcome.reportPath);
        Cli::printJson(o);
    } else {
        if (!outcome.report.isEmpty())
            Cli::out() << "\n" << outcome.report << "\n";
        (outcome.ok ? Cli::out() : Cli::err()) << outcome.message << "\n";
    }
    Cli::out().flush();
    Cli::err().flush();
    // What the transition opened or recorded goes out to the channels now; what does not is left
    // in the outbox for a running watcher or the next command.
    session.deliverPending(10'000);
    return outcome.ok ? 0 : 1;
}
