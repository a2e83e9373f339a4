#include "clioutput.h"
#include "commands.h"

#include "auditlog.h"
#include "clock.h"
#include "coresession.h"
#include "duration.h"
#include "incidentmanager.h"
#include "incidentstore.h"
#include "incidenttemplates.h"
#include "maintenanceschedule.h"
#include "resultjson.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace {

QJsonValue time(qint64 ms)
{
    return ms > 0 ? QJsonValue(ResultJson::isoTime(ms)) : QJsonValue();
}

// The JSON of `incident list` and `show`: an interface for scripts; these names are kept.
QJsonObject toJson(const Incident &i, bool withTimeline)
{
    QJsonObject o{{QStringLiteral("id"), i.id},
                  {QStringLiteral("service"), i.service},
                  {QStringLiteral("severity"), i.severity},
                  {QStringLiteral("state"), incidentStateName(i.state)},
                  {QStringLiteral("title"), i.title},
                  {QStringLiteral("opened_at"), time(i.openedAtMs)},
                  {QStringLiteral("resolved_at"), time(i.resolvedAtMs)},
                  {QStringLiteral("cause"), i.cause},
                  {QStringLiteral("acknowledged_at"), time(i.acknowledgedAtMs)},
                  {QStringLiteral("mitigated_at"), time(i.mitigatedAtMs)}};
    if (withTimeline) {
        o.insert(QStringLiteral("impact"), i.impact);
        o.insert(QStringLiteral("root_cause"), i.rootCause);
        o.insert(QStringLiteral("resolution"), i.resolution);
        o.insert(QStringLiteral("prevention"), i.prevention);
        QJsonArray timeline;
        for (const IncidentEvent &e : i.timeline)
            timeline.append(QJsonObject{{QStringLiteral("at"), ResultJson::isoTime(e.atMs)}, {QStringLiteral("kind"), e.kind},
                                        {QStringLiteral("actor"), e.actor}, {QStringLiteral("text"), e.text}});
        o.insert(QStringLiteral("timeline"), timeline);
    }
    return o;
}

bool openSession(QCommandLineParser &parser, CoreSession &session, int *code)
{
    const QString path = CoreSession::resolveConfigPath(parser.value(QStringLiteral("config")));
    if (!session.loadConfig(path)) {
        Cli::printIssues(session.issues(), Cli::err());
        *code = 1;
        return false;
    }
    QString error;
    if (!session.openHistory(&error)) {
        Cli::err() << "cannot open the store: " << error << "\n";
        *code = 1;
        return false;
    }
    return true;
}

std::optional<qint64> incidentId(const QString &text)
{
    bool ok = false;
    const qint64 id = QString(text).remove(u'#').toLongLong(&ok);
    return ok && id > 0 ? std::optional<qint64>(id) : std::nullopt;
}

// After a change: tells the operator, then sends what the change has to say (acknowledged,
// resolved, …) through the notification channels, waiting a little for it; what is not delivered
// by then stays in the outbox for a running watcher or the next command.
int done(CoreSession &session, bool ok, const QString &error, const QString &message)
{
    if (!ok) {
        Cli::err() << error << "\n";
        return 1;
    }
    Cli::out() << message << "\n";
    Cli::out().flush();
    session.deliverPending(10'000);
    return 0;
}

} // namespace

int runIncident(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Work with incidents:\n"
        "  incident list [--all] [--service S]          open incidents (all with --all), newest first\n"
        "  incident show ID                             one incident with its timeline\n"
        "  incident ack ID [--note TEXT]                acknowledge\n"
        "  incident note ID TEXT                        add a note to the timeline\n"
        "  incident severity ID LEVEL                   change the severity\n"
        "  incident mitigate ID [--note TEXT]           mark mitigated\n"
        "  incident resolve ID [--root-cause T] [--resolution T] [--prevention T] [--note T]\n"
        "  incident open SERVICE --title T --severity LEVEL   open one by hand\n"
        "  incident template ID [detected|resolved]     the runbook's message, filled in\n"
        "  incident export ID [--output FILE]           the postmortem in Markdown"));
    Cli::addCommonOptions(parser, true);
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list, show, ack, note, severity, mitigate, resolve, open, template or export."));
    parser.addOption({QStringLiteral("all"), QStringLiteral("list: resolved incidents too.")});
    parser.addOption({QStringLiteral("service"), QStringLiteral("list: only this service."), QStringLiteral("name")});
    parser.addOption({QStringLiteral("note"), QStringLiteral("A note to go with the action."), QStringLiteral("text")});
    parser.addOption({QStringLiteral("root-cause"), QStringLiteral("resolve: the root cause."), QStringLiteral("text")});
    parser.addOption({QStringLiteral("resolution"), QStringLiteral("resolve: what was done."), QStringLiteral("text")});
    parser.addOption({QStringLiteral("prevention"), QStringLiteral("resolve: what will prevent it."), QStringLiteral("text")});
    parser.addOption({QStringLiteral("title"), QStringLiteral("open: the incident's title."), QStringLiteral("text")});
    parser.addOption({QStringLiteral("severity"), QStringLiteral("open: a level of the service's scheme."), QStringLiteral("level")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("export: write to this file."), QStringLiteral("file")});
    int code = 0;
    Cli::Format format = Cli::Format::Text;
    if (!Cli::parse(parser, args, 2, &code) || !Cli::format(parser, &format, 2, &code))
        return code;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    static const QStringList actions = {QStringLiteral("list"), QStringLiteral("show"), QStringLiteral("ack"), QStringLiteral("note"),
                                        QStringLiteral("severity"), QStringLiteral("mitigate"), QStringLiteral("resolve"),
                                        QStringLiteral("open"), QStringLiteral("template"), QStringLiteral("export")};
    if (!actions.contains(action)) {
        Cli::err() << "expected one of " << actions.join(u", ") << "; try `opsdeckctl incident --help`\n";
        return 2;
    }
    CoreSession session;
    if (!openSession(parser, session, &code))
        return code;
    IncidentStore *store = session.incidentStore();
    IncidentManager *manager = session.incidents();
    const QString actor = currentActor();

    if (action == u"list") {
        const QList<Incident> incidents = store->list(!parser.isSet(QStringLiteral("all")), parser.value(QStringLiteral("service")));
        if (format == Cli::Format::Json) {
            QJsonArray array;
            for (const Incident &i : incidents)
                array.append(toJson(i, false));
            Cli::printJson(array);
            return 0;
        }
        if (incidents.isEmpty())
            Cli::out() << (parser.isSet(QStringLiteral("all")) ? "no incidents\n" : "no open incidents\n");
        const qint64 now = session.clock()->nowMs();
        for (const Incident &i : incidents)
            Cli::out() << QStringLiteral("#%1").arg(i.id).leftJustified(6) << i.severity.leftJustified(9)
                       << incidentStateName(i.state).leftJustified(14) << i.service.leftJustified(16) << i.title << "  ("
                       << (i.isOpen() ? QStringLiteral("open for ") + Duration::format(now - i.openedAtMs)
                                      : QStringLiteral("resolved after ") + Duration::format(i.resolvedAtMs - i.openedAtMs))
                       << ")\n";
        return 0;
    }
    if (action == u"open") {
        if (pos.size() != 2 || !parser.isSet(QStringLiteral("title")) || !parser.isSet(QStringLiteral("severity"))) {
            Cli::err() << "usage: opsdeckctl incident open SERVICE --title TEXT --severity LEVEL\n";
            return 2;
        }
        QString error;
        const auto i = manager->openByHand(pos.at(1), parser.value(QStringLiteral("title")), parser.value(QStringLiteral("severity")), actor, &error);
        return done(session, i.has_value(), error, i ? QStringLiteral("opened incident #%1").arg(i->id) : QString());
    }
    if (pos.size() < 2) {
        Cli::err() << "`incident " << action << "` needs an incident id\n";
        return 2;
    }
    const auto id = incidentId(pos.at(1));
    if (!id) {
        Cli::err() << "`" << pos.at(1) << "` is not an incident id\n";
        return 2;
    }
    const auto incident = store->get(*id, true);
    if (!incident) {
        Cli::err() << "no incident #" << *id << "\n";
        return 1;
    }
    const SeverityScheme *scheme = nullptr;
    if (const ServiceConfig *s = session.config().service(incident->service))
        scheme = session.config().scheme(*s);

    QString error;
    if (action == u"show") {
        if (format == Cli::Format::Json) {
            Cli::printJson(toJson(*incident, true));
            return 0;
        }
        QTextStream &o = Cli::out();
        o << "#" << incident->id << "  " << incident->title << "\n  service " << incident->service << ", severity "
          << incident->severity << ", " << incidentStateName(incident->state) << ", cause " << incident->cause << "\n";
        if (!incident->impact.isEmpty())
            o << "  impact: " << incident->impact << "\n";
        o << "\nTimeline:\n";
        for (const IncidentEvent &e : incident->timeline)
            o << "  " << ResultJson::isoTime(e.atMs) << "  " << e.kind.leftJustified(17) << e.actor.leftJustified(10) << e.text << "\n";
        return 0;
    }
    if (action == u"ack")
        return done(session, manager->acknowledge(*id, actor, parser.value(QStringLiteral("note")), &error), error,
                    QStringLiteral("acknowledged incident #%1").arg(*id));
    if (action == u"note") {
        const QString text = pos.mid(2).join(u' ');
        if (text.trimmed().isEmpty()) {
            Cli::err() << "usage: opsdeckctl incident note ID TEXT\n";
            return 2;
        }
        return done(session, manager->addNote(*id, actor, text, &error), error, QStringLiteral("noted on incident #%1").arg(*id));
    }
    if (action == u"severity") {
        if (pos.size() != 3) {
            Cli::err() << "usage: opsdeckctl incident severity ID LEVEL\n";
            return 2;
        }
        return done(session, manager->changeSeverity(*id, actor, pos.at(2), &error), error,
                    QStringLiteral("incident #%1 is now %2").arg(*id).arg(pos.at(2).toUpper()));
    }
    if (action == u"mitigate")
        return done(session, manager->mitigate(*id, actor, parser.value(QStringLiteral("note")), &error), error,
                    QStringLiteral("incident #%1 mitigated").arg(*id));
    if (action == u"resolve") {
        IncidentManager::Resolution r;
        r.text = parser.value(QStringLiteral("note"));
        r.rootCause = parser.value(QStringLiteral("root-cause"));
        r.resolution = parser.value(QStringLiteral("resolution"));
        r.prevention = parser.value(QStringLiteral("prevention"));
        return done(session, manager->resolve(*id, actor, r, &error), error, QStringLiteral("resolved incident #%1").arg(*id));
    }
    if (action == u"template") {
        const QString which = pos.value(2, incident->isOpen() ? QStringLiteral("detected") : QStringLiteral("resolved"));
        if (which != u"detected" && which != u"resolved") {
            Cli::err() << "expected `detected` or `resolved`\n";
            return 2;
        }
        Cli::out() << (which == u"detected" ? IncidentTemplates::detected(*incident) : IncidentTemplates::resolved(*incident)) << "\n";
        return 0;
    }
    // export
    const QString markdown = IncidentTemplates::postmortem(*incident, scheme, session.clock()->nowMs());
    if (!parser.isSet(QStringLiteral("output"))) {
        Cli::out() << markdown;
        return 0;
    }
    QSaveFile file(parser.value(QStringLiteral("output")));
    if (!file.open(QIODevice::WriteOnly) || file.write(markdown.toUtf8()) < 0 || !file.commit()) {
        Cli::err() << "cannot write " << parser.value(QStringLiteral("output")) << ": " << file.errorString() << "\n";
        return 1;
    }
    Cli::out() << "wrote the postmortem of #" << *id << " to " << parser.value(QStringLiteral("output")) << "\n";
    return 0;
}

int runMaintenance(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Maintenance windows: failures are still recorded but open no incidents and send no notifications.\n"
        "  maintenance start SERVICE --for 30m --reason TEXT [--count-in-slo]\n"
        "  maintenance stop SERVICE       end its ad hoc window now\n"
        "  maintenance list               running and upcoming windows (planned ones from the config too)"));
    Cli::addCommonOptions(parser, true);
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("start, stop or list."));
    parser.addOption({QStringLiteral("for"), QStringLiteral("How long (e.g. 30m, 2h)."), QStringLiteral("duration")});
    parser.addOption({QStringLiteral("reason"), QStringLiteral("Why (shown with the window)."), QStringLiteral("text")});
    parser.addOption({QStringLiteral("count-in-slo"), QStringLiteral("Failures during the window still count against the SLO.")});
    int code = 0;
    Cli::Format format = Cli::Format::Text;
    if (!Cli::parse(parser, args, 2, &code) || !Cli::format(parser, &format, 2, &code))
        return code;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    if ((action == u"start" || action == u"stop") && pos.size() != 2) {
        Cli::err() << "usage: opsdeckctl maintenance " << action << " SERVICE\n";
        return 2;
    }
    if (action != u"start" && action != u"stop" && action != u"list") {
        Cli::err() << "expected start, stop or list; try `opsdeckctl maintenance --help`\n";
        return 2;
    }
    std::optional<qint64> length;
    if (action == u"start") {
        length = Duration::parse(parser.value(QStringLiteral("for")));
        if (!length || *length < 60'000) {
            Cli::err() << "maintenance start needs --for with at least a minute, e.g. --for 30m\n";
            return 2;
        }
    }
    CoreSession session;
    if (!openSession(parser, session, &code))
        return code;
    const qint64 now = session.clock()->nowMs();
    if (action == u"list") {
        const QList<MaintenanceSchedule::Window> windows = session.maintenance()->windows(now);
        if (format == Cli::Format::Json) {
            QJsonArray array;
            for (const MaintenanceSchedule::Window &w : windows)
                array.append(QJsonObject{{QStringLiteral("services"), QJsonArray::fromStringList(w.services)},
                                         {QStringLiteral("start"), ResultJson::isoTime(w.startMs)},
                                         {QStringLiteral("end"), ResultJson::isoTime(w.endMs)},
                                         {QStringLiteral("reason"), w.reason},
                                         {QStringLiteral("planned"), w.planned},
                                         {QStringLiteral("active"), w.startMs <= now && now < w.endMs},
                                         {QStringLiteral("count_in_slo"), w.countInSlo}});
            Cli::printJson(array);
            return 0;
        }
        if (windows.isEmpty())
            Cli::out() << "no maintenance running or planned in the next 7 days\n";
        for (const MaintenanceSchedule::Window &w : windows)
            Cli::out() << (w.startMs <= now ? "RUNNING  " : "planned  ") << ResultJson::isoTime(w.startMs) << " – "
                       << ResultJson::isoTime(w.endMs) << "  "
                       << (w.services.isEmpty() ? QStringLiteral("(all services)") : w.services.join(u", ")) << "  "
                       << w.reason << (w.cron.isEmpty() ? QString() : QStringLiteral("  [every %1]").arg(w.cron)) << "\n";
        return 0;
    }
    const QString service = pos.at(1);
    if (!session.config().service(service)) {
        Cli::err() << "no service `" << service << "`\n";
        return 1;
    }
    QString error;
    if (action == u"start") {
        const QString reason = parser.value(QStringLiteral("reason"));
        if (!session.maintenance()->start(service, now, *length, reason, currentActor(), parser.isSet(QStringLiteral("count-in-slo")), &error))
            return done(session, false, error, {});
        session.audit(QStringLiteral("maintenance.start"), {{QStringLiteral("service"), service}, {QStringLiteral("for"), Duration::format(*length)},
                                                            {QStringLiteral("reason"), reason}});
        return done(session, true, {}, QStringLiteral("%1 is in maintenance until %2").arg(service, ResultJson::isoTime(now + *length)));
    }
    if (!session.maintenance()->stop(service, now, &error))
        return done(session, false, error, {});
    session.audit(QStringLiteral("maintenance.stop"), {{QStringLiteral("service"), service}});
    return done(session, true, {}, QStringLiteral("%1's maintenance ended").arg(service));
}

int runAudit(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The audit log of operator actions, hash-chained:\n"
        "  audit list [--limit N]      the latest records\n"
        "  audit verify                check the chain; exits 1 and names the record if one was edited, deleted or reordered\n"
        "  audit export [--output F]   every record as NDJSON"));
    Cli::addCommonOptions(parser, false);
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("list, verify or export."));
    parser.addOption({QStringLiteral("limit"), QStringLiteral("list: how many (default 50)."), QStringLiteral("n"), QStringLiteral("50")});
    parser.addOption({{QStringLiteral("o"), QStringLiteral("output")}, QStringLiteral("export: write to this file."), QStringLiteral("file")});
    int code = 0;
    if (!Cli::parse(parser, args, 2, &code))
        return code;
    const QString action = parser.positionalArguments().value(0);
    if (action != u"list" && action != u"verify" && action != u"export") {
        Cli::err() << "expected list, verify or export; try `opsdeckctl audit --help`\n";
        return 2;
    }
    CoreSession session;
    if (!openSession(parser, session, &code))
        return code;
    AuditLog *audit = session.audit();
    if (action == u"verify") {
        const QList<AuditLog::Problem> problems = audit->verify();
        const qsizetype count = audit->records().size();
        if (problems.isEmpty()) {
            Cli::out() << "the audit log is intact: " << count << " records, each chained to the one before\n";
            return 0;
        }
        for (const AuditLog::Problem &p : problems)
            Cli::err() << p.message << "\n";
        Cli::err() << "the audit log has been tampered with (" << problems.size() << (problems.size() == 1 ? " problem" : " problems") << ")\n";
        return 1;
    }
    if (action == u"export") {
        const QByteArray ndjson = audit->exportNdjson();
        if (!parser.isSet(QStringLiteral("output"))) {
            Cli::out() << QString::fromUtf8(ndjson);
            return 0;
        }
        QSaveFile file(parser.value(QStringLiteral("output")));
        if (!file.open(QIODevice::WriteOnly) || file.write(ndjson) < 0 || !file.commit()) {
            Cli::err() << "cannot write " << parser.value(QStringLiteral("output")) << ": " << file.errorString() << "\n";
            return 1;
        }
        return 0;
    }
    const QList<AuditLog::Record> all = audit->records();
    const int limit = qMax(1, parser.value(QStringLiteral("limit")).toInt());
    for (qsizetype i = qMax<qsizetype>(0, all.size() - limit); i < all.size(); ++i) {
        const AuditLog::Record &r = all[i];
        Cli::out() << QString::number(r.seq).rightJustified(5) << "  " << ResultJson::isoTime(r.atMs) << "  " << r.actor.leftJustified(10)
                   << r.action.leftJustified(22) << QString::fromUtf8(QJsonDocument(r.details).toJson(QJsonDocument::Compact)) << "\n";
    }
    return 0;
}
