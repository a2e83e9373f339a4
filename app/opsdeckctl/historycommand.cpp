#include "clioutput.h"
#include "commands.h"

#include "coresession.h"
#include "duration.h"
#include "historystore.h"
#include "resultjson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>

int runHistory(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Show a service's recorded results (newest first) and its state changes."));
    Cli::addCommonOptions(parser, true);
    parser.addPositionalArgument(QStringLiteral("service"), QStringLiteral("The service to show."));
    parser.addOption({QStringLiteral("since"), QStringLiteral("How far back (default 1h), e.g. 30m, 2d."), QStringLiteral("duration"),
                      QStringLiteral("1h")});
    parser.addOption({QStringLiteral("check"), QStringLiteral("Only this check."), QStringLiteral("name")});
    parser.addOption({QStringLiteral("limit"), QStringLiteral("At most this many results (default 100)."), QStringLiteral("n"),
                      QStringLiteral("100")});
    int code = 0;
    Cli::Format format = Cli::Format::Text;
    if (!Cli::parse(parser, args, 2, &code) || !Cli::format(parser, &format, 2, &code))
        return code;
    if (parser.positionalArguments().size() != 1) {
        Cli::err() << "history needs exactly one SERVICE; try `opsdeckctl history --help`\n";
        return 2;
    }
    const QString service = parser.positionalArguments().first();
    const auto since = Duration::parse(parser.value(QStringLiteral("since")));
    if (!since) {
        Cli::err() << "bad --since `" << parser.value(QStringLiteral("since")) << "`: expected " << Duration::expectedForm() << "\n";
        return 2;
    }
    bool limitOk = false;
    const int limit = parser.value(QStringLiteral("limit")).toInt(&limitOk);
    if (!limitOk || limit <= 0) {
        Cli::err() << "bad --limit `" << parser.value(QStringLiteral("limit")) << "`: expected a positive number\n";
        return 2;
    }

    CoreSession session;
    const QString path = CoreSession::resolveConfigPath(parser.value(QStringLiteral("config")));
    if (!session.loadConfig(path)) {
        Cli::printIssues(session.issues(), Cli::err());
        return 1;
    }
    QString error;
    if (!session.openHistory(&error)) {
        Cli::err() << "cannot open the history store: " << error << "\n";
        return 1;
    }
    HistoryStore *history = session.history();
    if (!history->services().contains(service)) {
        Cli::err() << "no history for service `" << service << "` in " << session.config().store.displayString()
                   << " (services with history: " << history->services().join(u", ") << ")\n";
        return 1;
    }
    const qint64 from = QDateTime::currentMSecsSinceEpoch() - *since;
    const QList<CheckResult> results = history->results(service, parser.value(QStringLiteral("check")), from, limit);
    const QList<StateTransition> transitions = history->transitions(service, from, limit);

    if (format == Cli::Format::Json) {
        QJsonArray r, t;
        for (const CheckResult &x : results)
            r.append(ResultJson::toJson(x));
        for (const StateTransition &x : transitions)
            t.append(ResultJson::toJson(x));
        Cli::printJson(QJsonObject{{QStringLiteral("service"), service}, {QStringLiteral("results"), r},
                                   {QStringLiteral("transitions"), t}});
        return 0;
    }
    QTextStream &o = Cli::out();
    o << "State changes of " << service << " in the last " << Duration::format(*since) << ":\n";
    if (transitions.isEmpty())
        o << "  none\n";
    for (const StateTransition &t : transitions) {
        o << "  " << ResultJson::isoTime(t.atMs) << "  " << (t.check.isEmpty() ? QStringLiteral("(service)") : t.check).leftJustified(20)
          << healthName(t.from) << " -> " << healthName(t.to);
        if (!t.reason.isEmpty())
            o << "  " << t.reason;
        o << "\n";
    }
    o << "\nResults (newest first, at most " << limit << "):\n";
    if (results.isEmpty())
        o << "  none\n";
    for (const CheckResult &r : results) {
        o << "  " << ResultJson::isoTime(r.atMs) << "  " << r.check.leftJustified(20) << healthName(r.outcome).leftJustified(9);
        o << Duration::formatLatency(r.latencyMs).rightJustified(7);
        if (r.httpStatus > 0)
            o << "  HTTP " << r.httpStatus;
        if (const QString why = r.reason(); !why.isEmpty())
            o << "  " << why;
        o << "\n";
    }
    o.flush();
    return 0;
}
