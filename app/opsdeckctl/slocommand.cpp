#include "clioutput.h"
#include "commands.h"

#include "coresession.h"
#include "duration.h"
#include "historystore.h"
#include "recoverycriteria.h"
#include "resultjson.h"
#include "slocalculator.h"
#include "slomonitor.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <cmath>

namespace {

// The SLO JSON is an interface for scripts; these names are kept as they are.
QJsonObject toJson(const SloReport &r)
{
    auto optional = [](const std::optional<double> &v) { return v ? QJsonValue(*v) : QJsonValue(); };
    auto ms = [](double v) { return v >= 0 ? QJsonValue(std::round(v * 10) / 10) : QJsonValue(); };
    // Rounded well below what matters, so 99.9 % reads 0.999 and not 0.9990000000000001.
    auto fine = [](double v) { return std::round(v * 1e9) / 1e9; };
    QJsonObject burns;
    for (auto it = r.burnRates.cbegin(); it != r.burnRates.cend(); ++it)
        burns.insert(it.key(), fine(it.value()));
    QJsonObject o;
    o.insert(QStringLiteral("service"), r.service);
    o.insert(QStringLiteral("window"), r.window);
    o.insert(QStringLiteral("availability"), optional(r.availability));
    o.insert(QStringLiteral("latency_sli"), optional(r.latencySli));
    o.insert(QStringLiteral("budget_remaining"), fine(r.budgetRemaining));
    o.insert(QStringLiteral("burn_rates"), burns);
    o.insert(QStringLiteral("alert"), burnAlertName(r.alert));
    o.insert(QStringLiteral("p50_ms"), ms(r.p50));
    o.insert(QStringLiteral("p95_ms"), ms(r.p95));
    o.insert(QStringLiteral("p99_ms"), ms(r.p99));
    o.insert(QStringLiteral("events"), qint64(r.counts.total));
    // Beyond the interface, for people and richer scripts.
    o.insert(QStringLiteral("bad_events"), qint64(r.counts.bad()));
    o.insert(QStringLiteral("bad_allowed"), fine(r.badAllowed));
    o.insert(QStringLiteral("availability_target"), fine(r.availabilityTarget));
    o.insert(QStringLiteral("latency_ms"), r.latencyMs > 0 ? QJsonValue(r.latencyMs) : QJsonValue());
    o.insert(QStringLiteral("latency_target"), r.latencyMs > 0 ? QJsonValue(fine(r.latencyTarget)) : QJsonValue());
    o.insert(QStringLiteral("budget_state"), budgetStateName(r.budgetState));
    o.insert(QStringLiteral("alert_reason"), r.alertReason.isEmpty() ? QJsonValue() : QJsonValue(r.alertReason));
    o.insert(QStringLiteral("budget_exhausted_at"), r.exhaustionMs ? QJsonValue(ResultJson::isoTime(*r.exhaustionMs)) : QJsonValue());
    o.insert(QStringLiteral("from"), ResultJson::isoTime(r.fromMs));
    o.insert(QStringLiteral("to"), ResultJson::isoTime(r.toMs));
    return o;
}

QString percent(const std::optional<double> &v)
{
    return v ? QString::number(*v * 100, 'f', 3) + u" %" : QStringLiteral("n/a (no events)");
}

void printText(const SloReport &r, qint64 nowMs)
{
    QTextStream &o = Cli::out();
    o << r.service << "  (window " << r.window << ", " << r.counts.total << " events, " << r.counts.bad() << " bad)\n";
    o << "  availability   " << percent(r.availability) << "  target " << QString::number(r.availabilityTarget * 100) << " %\n";
    if (r.latencyMs > 0)
        o << "  latency SLI    " << percent(r.latencySli) << "  within " << r.latencyMs << " ms, target "
          << QString::number(r.latencyTarget * 100) << " %\n";
    o << "  error budget   " << QString::number(r.budgetRemaining * 100, 'f', 1) << " % left (" << budgetStateName(r.budgetState)
      << "), " << r.counts.bad() << " of " << QString::number(r.badAllowed, 'f', 1) << " bad events allowed used\n";
    o << "  burn rates    ";
    for (const SloCalculator::BurnWindow &w : SloCalculator::burnWindows())
        o << " " << w.label << " " << QString::number(r.burnRates.value(w.label), 'f', 2) << "×";
    o << "\n  alert          " << burnAlertName(r.alert);
    if (!r.alertReason.isEmpty())
        o << " — " << r.alertReason;
    o << "\n  latency        ";
    if (r.p50 < 0)
        o << "no samples\n";
    else
        o << "P50 " << Duration::formatLatency(r.p50) << "  P95 " << Duration::formatLatency(r.p95) << "  P99 "
          << Duration::formatLatency(r.p99) << "\n";
    o << "  forecast       ";
    if (!r.exhaustionMs)
        o << "not burning: the budget lasts\n";
    else if (*r.exhaustionMs <= nowMs)
        o << "the budget is spent\n";
    else
        o << "at the last hour's burn the budget runs out in " << Duration::format(*r.exhaustionMs - nowMs) << " ("
          << ResultJson::isoTime(*r.exhaustionMs) << ")\n";
}

// Shared start of both commands: config, store, the chosen services.
bool open(QCommandLineParser &parser, CoreSession &session, QList<ServiceConfig> *services, int *code)
{
    const QString path = CoreSession::resolveConfigPath(parser.value(QStringLiteral("config")));
    if (!session.loadConfig(path)) {
        Cli::printIssues(session.issues(), Cli::err());
        *code = 1;
        return false;
    }
    QString error;
    if (!session.openHistory(&error)) {
        Cli::err() << "cannot open the history store: " << error << "\n";
        *code = 1;
        return false;
    }
    const QStringList names = parser.positionalArguments();
    for (const ServiceConfig &s : session.config().services)
        if (names.isEmpty() || names.contains(s.name))
            *services << s;
    for (const QString &name : names) {
        if (!session.config().service(name)) {
            Cli::err() << "no service `" << name << "` in " << path << "\n";
            *code = 1;
            return false;
        }
    }
    return true;
}

} // namespace

int runSlo(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Show each service's SLO: availability and latency SLIs, error budget left, burn rates over\n"
        "5m/30m/1h/6h/1d/3d, the burn-rate alert (none, ticket or page) and when the budget runs out."));
    Cli::addCommonOptions(parser, true);
    parser.addPositionalArgument(QStringLiteral("service"), QStringLiteral("Only these services."), QStringLiteral("[service...]"));
    parser.addOption({QStringLiteral("window"), QStringLiteral("Report over this rolling window instead of the SLO's (e.g. 7d, 30d)."),
                      QStringLiteral("duration")});
    int code = 0;
    Cli::Format format = Cli::Format::Text;
    if (!Cli::parse(parser, args, 2, &code) || !Cli::format(parser, &format, 2, &code))
        return code;
    std::optional<qint64> window;
    if (parser.isSet(QStringLiteral("window"))) {
        window = Duration::parse(parser.value(QStringLiteral("window")));
        if (!window || *window < 60'000) {
            Cli::err() << "bad --window `" << parser.value(QStringLiteral("window")) << "`: expected " << Duration::expectedForm() << "\n";
            return 2;
        }
    }
    CoreSession session;
    QList<ServiceConfig> services;
    if (!open(parser, session, &services, &code))
        return code;
    Config config = session.config();
    config.services.clear();
    for (ServiceConfig s : services) {
        if (!s.slo.enabled)
            continue;
        if (window) {
            s.slo.windowMs = *window;
            s.slo.calendarMonth = false;
        }
        config.services << s;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<SloReport> reports = SloMonitor::computeAll(*session.history(), config, now);
    if (format == Cli::Format::Json) {
        QJsonArray array;
        for (const SloReport &r : reports)
            array.append(toJson(r));
        Cli::printJson(array);
        return 0;
    }
    if (reports.isEmpty())
        Cli::out() << "no service has an SLO (all are `slo: off`)\n";
    for (const SloReport &r : reports) {
        printText(r, now);
        Cli::out() << "\n";
    }
    Cli::out().flush();
    return 0;
}

int runRecovery(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Check the disaster-recovery runbook's \"Service Restored\" criteria for a service: healthy for 30+ min,\n"
        "error budget burn < 2 %/day, no 5xx in 15 min, P99 < 1200 ms. Exits 0 when all pass, 1 otherwise."));
    Cli::addCommonOptions(parser, true);
    parser.addPositionalArgument(QStringLiteral("service"), QStringLiteral("The service."));
    int code = 0;
    Cli::Format format = Cli::Format::Text;
    if (!Cli::parse(parser, args, 2, &code) || !Cli::format(parser, &format, 2, &code))
        return code;
    if (parser.positionalArguments().size() != 1) {
        Cli::err() << "recovery needs exactly one SERVICE; try `opsdeckctl recovery --help`\n";
        return 2;
    }
    CoreSession session;
    QList<ServiceConfig> services;
    if (!open(parser, session, &services, &code))
        return code;
    const QList<RecoveryCriteria::Line> lines =
        RecoveryCriteria::evaluate(*session.history(), services.first(), QDateTime::currentMSecsSinceEpoch());
    bool all = true;
    for (const RecoveryCriteria::Line &l : lines)
        all = all && l.passed;
    if (format == Cli::Format::Json) {
        QJsonArray array;
        for (const RecoveryCriteria::Line &l : lines)
            array.append(QJsonObject{{QStringLiteral("criterion"), l.criterion}, {QStringLiteral("passed"), l.passed},
                                     {QStringLiteral("measured"), l.measured}});
        Cli::printJson(QJsonObject{{QStringLiteral("service"), services.first().name}, {QStringLiteral("restored"), all},
                                   {QStringLiteral("criteria"), array}});
        return all ? 0 : 1;
    }
    QTextStream &o = Cli::out();
    o << "Recovery criteria for " << services.first().name << ":\n";
    for (const RecoveryCriteria::Line &l : lines)
        o << "  [" << (l.passed ? "PASS" : "FAIL") << "] " << l.criterion.leftJustified(30) << l.measured << "\n";
    o << (all ? "Service restored.\n" : "Not restored yet.\n");
    o.flush();
    return all ? 0 : 1;
}
