#include "clioutput.h"
#include "commands.h"

#include "coresession.h"
#include "duration.h"
#include "historystore.h"
#include "resultjson.h"
#include "watcher.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimer>

namespace {

// Monitoring-plugins convention: CRITICAL beats WARNING beats UNKNOWN beats OK.
int exitCodeFor(const QList<CheckResult> &results)
{
    bool down = false, degraded = false, unknown = false;
    for (const CheckResult &r : results) {
        down = down || r.outcome == Health::Down;
        degraded = degraded || r.outcome == Health::Degraded;
        unknown = unknown || r.outcome == Health::Unknown || r.outcome == Health::Stale;
    }
    return down ? 2 : degraded ? 1 : unknown ? 3 : 0;
}

QString statusWord(int code)
{
    switch (code) {
    case 0: return QStringLiteral("OK");
    case 1: return QStringLiteral("WARNING");
    case 2: return QStringLiteral("CRITICAL");
    default: return QStringLiteral("UNKNOWN");
    }
}

} // namespace

int runCheck(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Run every check once and report. Exit status follows the monitoring-plugins convention:\n"
        "0 OK, 1 WARNING (degraded), 2 CRITICAL (down), 3 UNKNOWN (OpsDeck could not tell, or bad usage)."));
    Cli::addCommonOptions(parser, true);
    parser.addOption({{QStringLiteral("s"), QStringLiteral("service")},
                      QStringLiteral("Only this service (repeatable)."), QStringLiteral("name")});
    parser.addOption({QStringLiteral("no-history"), QStringLiteral("Do not record the results in the history store.")});
    int code = 0;
    Cli::Format format = Cli::Format::Text;
    if (!Cli::parse(parser, args, 3, &code) || !Cli::format(parser, &format, 3, &code))
        return code;

    CoreSession session;
    const QString path = CoreSession::resolveConfigPath(parser.value(QStringLiteral("config")));
    if (!session.loadConfig(path)) {
        Cli::printIssues(session.issues(), Cli::err());
        Cli::err() << "UNKNOWN - the config cannot be used\n";
        return 3;
    }
    Config config = session.config();
    const QStringList only = parser.values(QStringLiteral("service"));
    if (!only.isEmpty()) {
        QList<ServiceConfig> picked;
        for (const QString &name : only) {
            const ServiceConfig *s = config.service(name);
            if (!s) {
                QStringList known;
                for (const ServiceConfig &k : config.services)
                    known << k.name;
                Cli::err() << "UNKNOWN - no service `" << name << "` in " << path << " (known: " << known.join(u", ") << ")\n";
                return 3;
            }
            picked << *s;
        }
        config.services = picked;
    }
    if (!parser.isSet(QStringLiteral("no-history"))) {
        QString error;
        if (!session.openHistory(&error))
            Cli::err() << "warning: results are not recorded: " << error << "\n";
    }

    Watcher *watcher = session.watcher();
    watcher->setConfig(config);
    QList<CheckResult> results;
    QObject::connect(watcher, &Watcher::resultRecorded, [&](const CheckResult &r) { results << r; });
    QObject::connect(watcher, &Watcher::passFinished, qApp, &QCoreApplication::quit, Qt::QueuedConnection);
    // A backstop: every probe bounds itself by its timeout, so this only fires on a bug.
    qint64 longest = 0;
    for (const ServiceConfig &s : config.services)
        for (const CheckConfig &c : s.checks)
            longest = qMax(longest, c.timeoutMs);
    bool gaveUp = false;
    QTimer::singleShot(longest + 30'000, qApp, [&] {
        gaveUp = true;
        QCoreApplication::quit();
    });
    watcher->runOnce();
    QCoreApplication::exec();
    if (session.history())
        session.history()->flush();

    // Report in config order, not completion order.
    QList<CheckResult> ordered;
    for (const ServiceConfig &s : config.services)
        for (const CheckConfig &c : s.checks)
            for (const CheckResult &r : std::as_const(results))
                if (r.service == s.name && r.check == c.name)
                    ordered << r;
    code = gaveUp ? 3 : exitCodeFor(ordered);

    if (format == Cli::Format::Json) {
        QJsonArray checks;
        for (const CheckResult &r : ordered)
            checks.append(ResultJson::toJson(r));
        QJsonObject o;
        o.insert(QStringLiteral("status"), statusWord(code).toLower());
        o.insert(QStringLiteral("exit_code"), code);
        o.insert(QStringLiteral("blind"), watcher->isBlind());
        o.insert(QStringLiteral("checks"), checks);
        Cli::printJson(o);
        return code;
    }

    int counts[5] = {};
    for (const CheckResult &r : ordered)
        ++counts[int(r.outcome)];
    QStringList summary;
    for (Health h : {Health::Down, Health::Degraded, Health::Unknown, Health::Ok})
        if (counts[int(h)])
            summary << QStringLiteral("%1 %2").arg(counts[int(h)]).arg(healthName(h));
    // Nagios performance data: one latency per check.
    QStringList perf;
    for (const CheckResult &r : ordered)
        if (r.latencyMs >= 0)
            perf << QStringLiteral("'%1'=%2ms").arg(r.key()).arg(r.latencyMs, 0, 'f', 1);
    QTextStream &o = Cli::out();
    o << "OPSDECK " << statusWord(code) << " - " << (summary.isEmpty() ? QStringLiteral("no checks") : summary.join(u", "));
    if (gaveUp)
        o << " (gave up waiting for " << (config.checkCount() - ordered.size()) << " checks)";
    if (!perf.isEmpty())
        o << " | " << perf.join(u' ');
    o << "\n";
    if (watcher->isBlind())
        o << "OpsDeck cannot see: " << watcher->blindReason() << "\n";
    for (const CheckResult &r : ordered) {
        o << healthName(r.outcome).toUpper().leftJustified(9) << r.key();
        if (r.httpStatus > 0)
            o << "  HTTP " << r.httpStatus;
        if (r.latencyMs >= 0)
            o << "  " << Duration::formatLatency(r.latencyMs);
        if (const QString why = r.reason(); !why.isEmpty())
            o << "  " << why;
        o << "\n";
    }
    o.flush();
    return code;
}
