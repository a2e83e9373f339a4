#include "clioutput.h"
#include "commands.h"

#include "actionparams.h"
#include "actionrunner.h"
#include "actiontaskfactory.h"
#include "auditlog.h"
#include "coresession.h"
#include "duration.h"
#include "resultjson.h"
#include "terminationsignals.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringDecoder>

#include <cstdio>
#include <unistd.h>

namespace {

// Exit codes of `action run`, documented in the README and the help text.
enum Exit {
    Succeeded = 0,
    Failed = 1,       // the action ran and did not succeed, or could not be run (store, secret, built-in)
    Usage = 2,        // usage or config error, unknown action, not confirmed
    BadParam = 3,     // a parameter was refused
    Busy = 4,         // already running, here or in another program
    TimedOut = 5,     // it ran into its timeout; its process group was ended
    Cancelled = 6,    // stopped by Ctrl+C or SIGTERM
};

struct Target
{
    QString service;
    QString action;
};

// NAME is SERVICE/ACTION, or an action name that only one service has (or that --service has).
std::optional<Target> resolve(const Config &config, const QString &name, const QString &service, QString *error)
{
    if (name.contains(u'/')) {
        const QString s = name.section(u'/', 0, 0);
        if (!service.isEmpty() && service != s) {
            *error = QStringLiteral("`%1` names the service `%2`, but --service says `%3`").arg(name, s, service);
            return std::nullopt;
        }
        return Target{s, name.section(u'/', 1)};
    }
    if (!service.isEmpty())
        return Target{service, name};
    QStringList owners;
    for (const ServiceConfig &s : config.services)
        if (s.action(name))
            owners << s.name;
    if (owners.size() == 1)
        return Target{owners.first(), name};
    if (owners.isEmpty()) {
        QStringList all;
        for (const ServiceConfig &s : config.services)
            for (const ActionConfig &a : s.actions)
                all << s.name + u'/' + a.name;
        *error = all.isEmpty() ? QStringLiteral("no action `%1`: the config has no actions").arg(name)
                               : QStringLiteral("no action `%1` (actions: %2)").arg(name, all.join(QStringLiteral(", ")));
    } else {
        *error = QStringLiteral("`%1` is an action of several services (%2): write SERVICE/%1 or pass --service")
                     .arg(name, owners.join(QStringLiteral(", ")));
    }
    return std::nullopt;
}

QJsonValue time(qint64 ms)
{
    return ms > 0 ? QJsonValue(ResultJson::isoTime(ms)) : QJsonValue();
}

QString localTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString duration(qint64 ms)
{
    return ms < 1000 ? QStringLiteral("%1 ms").arg(ms) : QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
}

QString typeName(ActionParam::Type type)
{
    switch (type) {
    case ActionParam::Type::String: return QStringLiteral("string");
    case ActionParam::Type::Integer: return QStringLiteral("integer");
    case ActionParam::Type::Choice: return QStringLiteral("choice");
    }
    return {};
}

int list(const Config &config, const QString &service, Cli::Format format)
{
    QJsonArray array;
    QStringList lines;
    for (const ServiceConfig &s : config.services) {
        if (!service.isEmpty() && s.name != service)
            continue;
        for (const ActionConfig &a : s.actions) {
            QJsonArray params;
            QStringList paramText;
            for (const ActionParam &p : a.params) {
                QJsonObject o{{QStringLiteral("name"), p.name},
                              {QStringLiteral("type"), typeName(p.type)},
                              {QStringLiteral("required"), !p.defaultValue.has_value()},
                              {QStringLiteral("default"), p.defaultValue ? QJsonValue(*p.defaultValue) : QJsonValue()},
                              {QStringLiteral("accepts"), ActionParams::describe(p)},
                              {QStringLiteral("description"), p.description}};
                if (!p.patternText.isEmpty())
                    o.insert(QStringLiteral("pattern"), p.patternText);
                if (p.type == ActionParam::Type::Integer) {
                    if (p.min != std::numeric_limits<qint64>::min())
                        o.insert(QStringLiteral("min"), p.min);
                    if (p.max != std::numeric_limits<qint64>::max())
                        o.insert(QStringLiteral("max"), p.max);
                }
                if (!p.choices.isEmpty())
                    o.insert(QStringLiteral("choices"), QJsonArray::fromStringList(p.choices));
                params.append(o);
                paramText << QStringLiteral("%1=<%2>%3").arg(p.name, ActionParams::describe(p),
                                                             p.defaultValue ? QStringLiteral(" (default %1)").arg(*p.defaultValue) : QString());
            }
            array.append(QJsonObject{{QStringLiteral("service"), s.name},
                                     {QStringLiteral("name"), a.name},
                                     {QStringLiteral("kind"), actionKindName(a)},
                                     {QStringLiteral("description"), a.description},
                                     {QStringLiteral("confirm"), a.confirm},
                                     {QStringLiteral("timeout_ms"), a.timeoutMs},
                                     {QStringLiteral("params"), params}});
            QString line = QStringLiteral("%1  %2").arg(QString(s.name + u'/' + a.name).leftJustified(32), actionKindName(a).leftJustified(13));
            if (!a.description.isEmpty())
                line += a.description;
            if (a.confirm)
                line += QStringLiteral(" [asks for confirmation]");
            lines << line;
            for (const QString &p : std::as_const(paramText))
                lines << QStringLiteral("      --param ") + p;
        }
    }
    if (format == Cli::Format::Json) {
        Cli::printJson(array);
        return 0;
    }
    if (lines.isEmpty())
        Cli::out() << "no actions configured\n";
    for (const QString &l : std::as_const(lines))
        Cli::out() << l << "\n";
    Cli::out().flush();
    return 0;
}

QJsonObject runJson(const ActionRun &r)
{
    QJsonObject params;
    for (auto it = r.params.constBegin(); it != r.params.constEnd(); ++it)
        params.insert(it.key(), it.value());
    return QJsonObject{{QStringLiteral("id"), r.id},
                       {QStringLiteral("service"), r.service},
                       {QStringLiteral("action"), r.action},
                       {QStringLiteral("kind"), r.kind},
                       {QStringLiteral("status"), r.status},
                       {QStringLiteral("exit_code"), r.exitCode >= 0 ? QJsonValue(r.exitCode) : QJsonValue()},
                       {QStringLiteral("started_at"), time(r.startedAtMs)},
                       {QStringLiteral("finished_at"), time(r.finishedAtMs)},
                       {QStringLiteral("duration_ms"), r.finishedAtMs > 0 ? QJsonValue(r.durationMs()) : QJsonValue()},
                       {QStringLiteral("actor"), r.actor},
                       {QStringLiteral("dry_run"), r.dryRun},
                       {QStringLiteral("params"), params},
                       {QStringLiteral("incident_id"), r.incidentId > 0 ? QJsonValue(r.incidentId) : QJsonValue()},
                       {QStringLiteral("summary"), r.summary},
                       {QStringLiteral("output_bytes"), r.outputBytes}};
}

int history(ActionRunner *runner, const QString &service, const QString &action, int limit, Cli::Format format)
{
    const QList<ActionRun> runs = runner->history(service, action, limit);
    if (format == Cli::Format::Json) {
        QJsonArray array;
        for (const ActionRun &r : runs)
            array.append(runJson(r));
        Cli::printJson(array);
        return 0;
    }
    if (runs.isEmpty())
        Cli::out() << "no runs recorded\n";
    for (const ActionRun &r : runs) {
        Cli::out() << QStringLiteral("#%1").arg(r.id).leftJustified(6) << " " << localTime(r.startedAtMs) << "  "
                   << QString(r.service + u'/' + r.action).leftJustified(28) << " "
                   << (r.dryRun ? QStringLiteral("dry-run") : r.status).leftJustified(11) << " "
                   << (r.finishedAtMs > 0 ? duration(r.durationMs()) : QStringLiteral("-")).leftJustified(8) << " " << r.actor << "  "
                   << r.summary << "\n";
    }
    Cli::out().flush();
    return 0;
}

bool confirmOnTerminal()
{
    Cli::err() << "Run it? [y/N] ";
    Cli::err().flush();
    char buffer[64] = {};
    if (!std::fgets(buffer, sizeof buffer, stdin))
        return false;
    const QString answer = QString::fromLocal8Bit(buffer).trimmed().toLower();
    return answer == u"y" || answer == u"yes";
}

int run(CoreSession &session, const Target &target, const QHash<QString, QString> &params, bool yes, bool dryRun)
{
    ActionRunner *runner = session.actions();
    const QString name = target.service + u'/' + target.action;
    ActionRunner::Request request;
    request.service = target.service;
    request.action = target.action;
    request.params = params;
    request.actor = currentActor();
    request.dryRun = dryRun;
    QString error;
    ActionRunner::Refusal why = ActionRunner::Refusal::None;
    const auto prepared = runner->prepare(request, &error, &why);
    if (!prepared) {
        switch (why) {
        case ActionRunner::Refusal::InvalidParams:
            Cli::err() << "refused: " << error << "\n";
            return BadParam;
        case ActionRunner::Refusal::UnknownAction: Cli::err() << error << "\n"; return Usage;
        default: Cli::err() << "cannot run: " << error << "\n"; return Failed;
        }
    }
    const ActionConfig *action = session.config().service(target.service)->action(target.action);
    Cli::out() << name << " (" << actionKindName(*action) << ")" << (dryRun ? " would run" : " will run") << ":\n";
    for (const QString &line : prepared->preview)
        Cli::out() << "  " << line << "\n";
    if (prepared->needsConfirmation)
        Cli::out() << "  (this action asks for explicit confirmation)\n";
    Cli::out().flush();

    if (!dryRun && !yes) {
        if (!::isatty(STDIN_FILENO)) {
            Cli::err() << "not run: stdin is not a terminal, so there is no one to confirm; pass --yes to run " << name
                       << " without asking\n";
            return Usage;
        }
        if (!confirmOnTerminal()) {
            Cli::err() << "not run\n";
            return Usage;
        }
    }
    request.confirmed = true;

    QEventLoop loop;
    qint64 id = 0;
    std::optional<ActionRun> finished;
    QStringDecoder decoder(QStringDecoder::Utf8);
    bool lineOpen = false;
    QObject::connect(runner, &ActionRunner::runOutput, &loop, [&](qint64 runId, const QByteArray &chunk) {
        if (runId != id || chunk.isEmpty())
            return;
        Cli::out() << decoder.decode(chunk);
        Cli::out().flush();
        lineOpen = !chunk.endsWith('\n');
    });
    QObject::connect(runner, &ActionRunner::runFinished, &loop, [&](const ActionRun &r) {
        if (r.id != id)
            return;
        finished = r;
        loop.quit();
    });
    TerminationSignals termination;
    bool stopped = false;
    QObject::connect(&termination, &TerminationSignals::received, &loop, [&](int) {
        stopped = true;
        Cli::err() << "\nstopping " << name << " (its whole process group is ended)…\n";
        Cli::err().flush();
        runner->cancel(id);
    });
    id = runner->run(request, &error, &why);
    if (id == 0) {
        switch (why) {
        case ActionRunner::Refusal::AlreadyRunning: Cli::err() << "not run: " << error << "\n"; return Busy;
        case ActionRunner::Refusal::InvalidParams: Cli::err() << "refused: " << error << "\n"; return BadParam;
        case ActionRunner::Refusal::UnknownAction:
        case ActionRunner::Refusal::NeedsConfirmation: Cli::err() << "not run: " << error << "\n"; return Usage;
        default: Cli::err() << "cannot run: " << error << "\n"; return Failed;
        }
    }
    if (!dryRun)
        Cli::err() << "running " << name << " (run #" << id << ")…\n";
    Cli::err().flush();
    while (!finished)
        loop.exec();
    if (lineOpen)
        Cli::out() << "\n";
    Cli::out().flush();
    const ActionRun &r = *finished;
    const QString tail = QStringLiteral(" (run #%1, %2)").arg(r.id).arg(duration(r.durationMs()));
    if (r.dryRun) {
        Cli::out() << "dry run: nothing was run (recorded as run #" << r.id << ")\n";
        Cli::out().flush();
        return Succeeded;
    }
    if (r.status == u"succeeded") {
        Cli::out() << "succeeded: " << r.summary << tail << "\n";
        Cli::out().flush();
        return Succeeded;
    }
    if (r.status == u"timeout") {
        Cli::err() << "timed out: " << r.summary << tail << "\n";
        return TimedOut;
    }
    if (r.status == u"cancelled" || stopped) {
        Cli::err() << "cancelled: " << r.summary << tail << "\n";
        return Cancelled;
    }
    Cli::err() << "failed: " << r.summary << tail << "\n";
    return Failed;
}

} // namespace

int runAction(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Run the config's recovery actions and look at their runs:\n"
        "  action list [--service S]                        the actions and their parameters\n"
        "  action run NAME [--param k=v]... [--yes] [--dry-run]\n"
        "                                                   show exactly what will run, confirm, run it, stream its output\n"
        "  action history [NAME|SERVICE] [--limit N]        the latest runs, newest first\n"
        "NAME is SERVICE/ACTION, or an action name only one service has.\n"
        "Exit status of `run`: 0 succeeded (or a dry run), 1 the action failed or could not be run,\n"
        "2 usage or config error, unknown action, or not confirmed, 3 a parameter was refused,\n"
        "4 already running (here or in another program), 5 timed out, 6 cancelled (Ctrl+C)."));
    Cli::addCommonOptions(parser, true);
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("list, run or history."));
    parser.addPositionalArgument(QStringLiteral("name"), QStringLiteral("run/history: SERVICE/ACTION or ACTION."), QStringLiteral("[NAME]"));
    parser.addOption({QStringLiteral("service"), QStringLiteral("The service (when NAME alone is ambiguous; list/history: only this one)."),
                      QStringLiteral("name")});
    parser.addOption({QStringLiteral("param"), QStringLiteral("run: a parameter, name=value (repeatable)."), QStringLiteral("name=value")});
    parser.addOption({{QStringLiteral("y"), QStringLiteral("yes")}, QStringLiteral("run: do not ask; needed when stdin is not a terminal.")});
    parser.addOption({QStringLiteral("dry-run"), QStringLiteral("run: show and record what would run; run nothing.")});
    parser.addOption({QStringLiteral("limit"), QStringLiteral("history: how many runs (default 20)."), QStringLiteral("n"), QStringLiteral("20")});
    int code = 0;
    Cli::Format format = Cli::Format::Text;
    if (!Cli::parse(parser, args, Usage, &code) || !Cli::format(parser, &format, Usage, &code))
        return code;
    const QStringList pos = parser.positionalArguments();
    const QString command = pos.value(0);
    if (command != u"list" && command != u"run" && command != u"history") {
        Cli::err() << "expected list, run or history; try `opsdeckctl action --help`\n";
        return Usage;
    }
    if ((command == u"run" && pos.size() != 2) || pos.size() > 2) {
        Cli::err() << "usage: opsdeckctl action run SERVICE/ACTION [--param k=v]... [--yes] [--dry-run]\n";
        return Usage;
    }
    QHash<QString, QString> params;
    for (const QString &kv : parser.values(QStringLiteral("param"))) {
        const qsizetype eq = kv.indexOf(u'=');
        if (eq <= 0) {
            Cli::err() << "--param `" << kv << "`: expected name=value\n";
            return Usage;
        }
        const QString key = kv.left(eq);
        if (params.contains(key)) {
            Cli::err() << "--param `" << key << "` is given twice\n";
            return Usage;
        }
        params.insert(key, kv.mid(eq + 1));
    }
    bool limitOk = false;
    const int limit = parser.value(QStringLiteral("limit")).toInt(&limitOk);
    if (!limitOk || limit < 1) {
        Cli::err() << "--limit: expected a positive whole number\n";
        return Usage;
    }

    CoreSession session;
    const QString path = CoreSession::resolveConfigPath(parser.value(QStringLiteral("config")));
    if (!session.loadConfig(path)) {
        Cli::printIssues(session.issues(), Cli::err());
        return Usage;
    }
    const QString service = parser.value(QStringLiteral("service"));
    if (!service.isEmpty() && !session.config().service(service)) {
        Cli::err() << "no service `" << service << "` in " << path << "\n";
        return Usage;
    }
    if (command == u"list")
        return list(session.config(), service, format);

    std::optional<Target> target;
    QString historyService = service;
    // `history SERVICE`: the runs of every action of that service.
    if (command == u"history" && pos.size() == 2 && !pos.at(1).contains(u'/') && service.isEmpty()
        && session.config().service(pos.at(1))) {
        bool isAction = false;
        for (const ServiceConfig &s : session.config().services)
            isAction = isAction || s.action(pos.at(1));
        if (!isAction)
            historyService = pos.at(1);
    }
    if (pos.size() == 2 && historyService == service) {
        QString error;
        target = resolve(session.config(), pos.at(1), service, &error);
        if (!target) {
            Cli::err() << error << "\n";
            return Usage;
        }
        const ServiceConfig *s = session.config().service(target->service);
        if (!s || !s->action(target->action)) {
            Cli::err() << "no action `" << target->action << "` in service `" << target->service << "`\n";
            return Usage;
        }
    }
    QString error;
    if (!session.openHistory(&error)) {
        Cli::err() << "cannot open the store (runs are recorded there): " << error << "\n";
        return Failed;
    }
    if (command == u"history")
        return history(session.actions(), target ? target->service : historyService, target ? target->action : QString(), limit, format);
    return run(session, *target, params, parser.isSet(QStringLiteral("yes")), parser.isSet(QStringLiteral("dry-run")));
}
