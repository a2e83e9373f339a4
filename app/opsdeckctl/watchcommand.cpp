#include "clioutput.h"
#include "commands.h"

#include "coresession.h"
#include "duration.h"
#include "historystore.h"
#include "incidentmanager.h"
#include "resultjson.h"
#include "slomonitor.h"
#include "terminationsignals.h"
#include "watcher.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <sys/resource.h>

int runWatch(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Watch every check until stopped (Ctrl+C or SIGTERM), printing each state change as it happens:\n"
        "checks and services going ok/degraded/down/unknown/stale, and OpsDeck losing or regaining sight.\n"
        "Results are recorded in the history store named by the config."));
    Cli::addCommonOptions(parser, true);
    parser.addOption({QStringLiteral("for"), QStringLiteral("Stop after this long (e.g. 30s, 10m); for scripted runs and benchmarks."),
                      QStringLiteral("duration")});
    parser.addOption({QStringLiteral("results"), QStringLiteral("Also print every result, not only changes.")});
    parser.addOption({QStringLiteral("no-history"), QStringLiteral("Do not record results in the history store.")});
    int code = 0;
    Cli::Format format = Cli::Format::Text;
    if (!Cli::parse(parser, args, 2, &code) || !Cli::format(parser, &format, 2, &code))
        return code;
    qint64 runFor = 0;
    if (parser.isSet(QStringLiteral("for"))) {
        const auto d = Duration::parse(parser.value(QStringLiteral("for")));
        if (!d || *d <= 0) {
            Cli::err() << "bad --for `" << parser.value(QStringLiteral("for")) << "`: expected " << Duration::expectedForm() << "\n";
            return 2;
        }
        runFor = *d;
    }

    CoreSession session;
    const QString path = CoreSession::resolveConfigPath(parser.value(QStringLiteral("config")));
    if (!session.loadConfig(path)) {
        Cli::printIssues(session.issues(), Cli::err());
        return 1;
    }
    Cli::printIssues(session.issues(), Cli::err()); // warnings
    QString storeText = QStringLiteral("no history");
    if (!parser.isSet(QStringLiteral("no-history"))) {
        QString error;
        if (session.openHistory(&error))
            storeText = session.config().store.displayString();
        else
            Cli::err() << "warning: results are not recorded: " << error << "\n";
    }

    const bool json = format == Cli::Format::Json;
    auto emitLine = [json](const QJsonObject &o, const QString &text) {
        if (json)
            Cli::out() << QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)) << "\n";
        else
            Cli::out() << text << "\n";
        Cli::out().flush();
    };
    auto transitionLine = [&](const StateTransition &t) {
        QJsonObject o = ResultJson::toJson(t);
        o.insert(QStringLiteral("event"), t.check.isEmpty() ? QStringLiteral("service") : QStringLiteral("check"));
        const QString who = t.check.isEmpty() ? t.service : t.service + u'/' + t.check;
        QString text = ResultJson::isoTime(t.atMs) + u"  " + who.leftJustified(28) + u"  " + healthName(t.from)
            + QStringLiteral(" -> ") + healthName(t.to);
        if (!t.reason.isEmpty())
            text += u"  " + t.reason;
        emitLine(o, text);
    };
    Watcher *watcher = session.watcher();
    QObject::connect(watcher, &Watcher::checkStateChanged, transitionLine);
    QObject::connect(watcher, &Watcher::serviceStateChanged, transitionLine);
    QObject::connect(watcher, &Watcher::blindChanged, [&](bool blind, const QString &reason) {
        QJsonObject o{{QStringLiteral("event"), QStringLiteral("blind")}, {QStringLiteral("blind"), blind},
                      {QStringLiteral("reason"), reason}};
        emitLine(o, blind ? QStringLiteral("OpsDeck cannot see: ") + reason + QStringLiteral(" — results count as unknown")
                          : QStringLiteral("OpsDeck can see again"));
    });
    QObject::connect(watcher, &Watcher::flappingChanged, [&](const QString &service, const QString &check, bool flapping) {
        QJsonObject o{{QStringLiteral("event"), QStringLiteral("flapping")}, {QStringLiteral("service"), service},
                      {QStringLiteral("check"), check}, {QStringLiteral("flapping"), flapping}};
        emitLine(o, service + u'/' + check + (flapping ? QStringLiteral(" is flapping") : QStringLiteral(" stopped flapping")));
    });
    QObject::connect(session.slo(), &SloMonitor::budgetStateChanged,
                     [&](const QString &service, BudgetState from, BudgetState to, const SloReport &r) {
                         QJsonObject o{{QStringLiteral("event"), QStringLiteral("budget")}, {QStringLiteral("service"), service},
                                       {QStringLiteral("from"), budgetStateName(from)}, {QStringLiteral("to"), budgetStateName(to)},
                                       {QStringLiteral("budget_remaining"), r.budgetRemaining}};
                         emitLine(o, QStringLiteral("%1  error budget %2 -> %3 (%4 % left)")
                                         .arg(service, budgetStateName(from), budgetStateName(to))
                                         .arg(r.budgetRemaining * 100, 0, 'f', 1));
                     });
    QObject::connect(session.slo(), &SloMonitor::alertChanged,
                     [&](const QString &service, BurnAlert from, BurnAlert to, const SloReport &r) {
                         QJsonObject o{{QStringLiteral("event"), QStringLiteral("burn_alert")}, {QStringLiteral("service"), service},
                                       {QStringLiteral("from"), burnAlertName(from)}, {QStringLiteral("to"), burnAlertName(to)},
                                       {QStringLiteral("reason"), r.alertReason}};
                         emitLine(o, QStringLiteral("%1  burn-rate alert %2 -> %3%4")
                                         .arg(service, burnAlertName(from), burnAlertName(to),
                                              r.alertReason.isEmpty() ? QString() : QStringLiteral(": ") + r.alertReason));
                     });
    QObject::connect(session.incidents(), &IncidentManager::incidentOpened, [&](const Incident &i) {
        QJsonObject o{{QStringLiteral("event"), QStringLiteral("incident")}, {QStringLiteral("id"), i.id},
                      {QStringLiteral("service"), i.service}, {QStringLiteral("severity"), i.severity},
                      {QStringLiteral("state"), incidentStateName(i.state)}, {QStringLiteral("title"), i.title}};
        emitLine(o, QStringLiteral("%1  incident #%2 opened (%3): %4").arg(ResultJson::isoTime(i.openedAtMs)).arg(i.id).arg(i.severity, i.title));
    });
    QObject::connect(session.incidents(), &IncidentManager::blockedChanged, [&](const QString &service, bool blocked, const QString &parent) {
        QJsonObject o{{QStringLiteral("event"), QStringLiteral("blocked")}, {QStringLiteral("service"), service},
                      {QStringLiteral("blocked"), blocked}, {QStringLiteral("parent"), parent}};
        emitLine(o, blocked ? QStringLiteral("%1 is blocked by its parent %2 (down): its failures open no incidents").arg(service, parent)
                            : QStringLiteral("%1 is no longer blocked by %2").arg(service, parent));
    });
    if (parser.isSet(QStringLiteral("results"))) {
        QObject::connect(watcher, &Watcher::resultRecorded, [&](const CheckResult &r) {
            QJsonObject o = ResultJson::toJson(r);
            o.insert(QStringLiteral("event"), QStringLiteral("result"));
            emitLine(o, ResultJson::isoTime(r.atMs) + u"  " + r.key().leftJustified(28) + u"  " + healthName(r.outcome)
                            + u"  " + Duration::formatLatency(r.latencyMs) + u"  " + r.reason());
        });
    }

    session.setAutoReload(true);
    QObject::connect(&session, &CoreSession::reloaded, [&](bool ok) {
        QJsonObject o{{QStringLiteral("event"), QStringLiteral("config")}, {QStringLiteral("reloaded"), ok}};
        if (!ok) {
            Cli::printIssues(session.issues(), Cli::err());
            emitLine(o, QStringLiteral("config NOT reloaded: %1 has errors; still watching the previous one").arg(path));
        } else {
            emitLine(o, QStringLiteral("config reloaded: watching %1 checks of %2 services")
                            .arg(session.config().checkCount())
                            .arg(session.config().services.size()));
        }
    });

    TerminationSignals termination;
    QObject::connect(&termination, &TerminationSignals::received, qApp, &QCoreApplication::quit);
    if (runFor > 0)
        QTimer::singleShot(runFor, qApp, &QCoreApplication::quit);

    if (!json) {
        Cli::out() << "watching " << session.config().checkCount() << " checks of " << session.config().services.size()
                   << " services from " << path << " (" << storeText << "); Ctrl+C stops\n";
        Cli::out().flush();
    }
    session.start();
    QCoreApplication::exec();
    session.stop();
    if (session.history())
        session.history()->flush();
    // What the run cost, for benchmarks and capacity planning.
    rusage usage = {};
    ::getrusage(RUSAGE_SELF, &usage);
    const double cpuSeconds = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    Cli::err() << "stopped: " << watcher->scheduler().completed() << " probes completed, " << watcher->scheduler().skipped()
               << " runs skipped while the previous one was still going; CPU " << QString::number(cpuSeconds, 'f', 2)
               << " s, peak RSS " << QString::number(double(usage.ru_maxrss) / 1024.0, 'f', 1) << " MiB\n";
    Cli::err().flush();
    return 0;
}
