// opsdeck-guibench — whether the dashboard keeps up with 500 services changing at once.
// bench/gui-bench.sh builds and runs it offscreen and prints the table; by hand:
//
//   QT_QPA_PLATFORM=offscreen opsdeck-guibench [--services 500] [--runs 5] [--stream 3] [--rate 1000]
//
// It writes a config of N services (one TCP check each, in groups of 25, failure and success
// thresholds 1 so that every result can change a state) and shows a DashboardView at 1920×1080.
// No store is opened unless --store: with one, every state change also goes through history and the
// incident rules (an incident opened or resolved in SQLite per change), which costs far more than
// the view and would hide it; --store measures that whole path. Nothing is probed: results go in through Watcher::ingest(),
// the path every probe result takes (judged, recorded, debounced, announced). A second session of
// the same config with no view is the baseline of core's own work. Then --runs times:
//   burst    every service changes state and latency at once (N results): time per result through
//            watcher → model → proxy → view (the dashboard's share is this minus core's alone,
//            measured the same way on the bare session), the model's flush of the collected changes,
//            and the time until the event loop has laid out and painted them — each with the model
//            announcing every change at once (interval 0) and coalescing them (--coalesce ms)
//   repaint  a full repaint of the dashboard at 1920×1080 (QWidget::grab(): every visible tile
//            painted into a fresh pixmap; median of 10), against
//            a QListView of N plain rows at the same size (the baseline)
//   stream   --rate results/s round-robin over the services for --stream seconds, each flipping its
//            service's state: the longest the event loop was blocked (a 2 ms precise timer's worst
//            lateness) and repaints per second, for both update modes and for the bare session
//
// Output: progress on stderr; on stdout one fact per line for the script to parse:
//   INFO key value        the set-up
//   RUN r key value       run r's measurements
//   CHECK name ok|FAIL detail   a sanity check of what was measured; FAIL means the figure is void
// Exit status 0 when every CHECK is ok, 1 when one failed, 2 on a usage or set-up error.

#include "checkresult.h"
#include "coresession.h"
#include "dashboardview.h"
#include "servicetilemodel.h"
#include "servicetileview.h"
#include "watcher.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QListView>
#include <QPaintEvent>
#include <QPixmap>
#include <QRandomGenerator>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace {

bool g_failed = false;

void out(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

void progress(const QString &line)
{
    std::fprintf(stderr, "%s\n", qPrintable(line));
}

void check(const QString &name, bool ok, const QString &detail)
{
    out(QStringLiteral("CHECK %1 %2 %3").arg(name, ok ? QStringLiteral("ok") : QStringLiteral("FAIL"), detail));
    if (!ok)
        g_failed = true;
}

double median(QList<double> v)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const qsizetype n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// Counts paints of a widget (the dashboard's viewport): proof that the screen followed.
class PaintCounter final : public QObject
{
public:
    int paints = 0;
    bool eventFilter(QObject *, QEvent *e) override
    {
        if (e->type() == QEvent::Paint)
            ++paints;
        return false;
    }
};

QByteArray benchConfig(int services, const QString &store)
{
    QByteArray yaml = "store: sqlite:" + store.toUtf8() + "\n"
                      "defaults: { interval: 1h, timeout: 5s, failure_threshold: 1, success_threshold: 1 }\n"
                      "services:\n";
    for (int i = 0; i < services; ++i) {
        yaml += "  - name: svc-" + QByteArray::number(i).rightJustified(4, '0') + "\n"
                "    group: Group " + QByteArray::number(i / 25 + 1).rightJustified(2, '0') + "\n"
                "    checks:\n"
                "      - { name: port, type: tcp, host: 127.0.0.1, port: 9 }\n";
    }
    return yaml;
}

struct Fleet
{
    QStringList names;
    qint64 nowMs = 0;
    // Results that move every service to `health` with a fresh latency.
    QList<CheckResult> burst(Health health)
    {
        QList<CheckResult> results;
        results.reserve(names.size());
        nowMs += 1000;
        for (const QString &n : std::as_const(names)) {
            CheckResult r;
            r.service = n;
            r.check = QStringLiteral("port");
            r.atMs = nowMs;
            r.outcome = health;
            r.latencyMs = 5 + QRandomGenerator::global()->bounded(400.0);
            if (health != Health::Ok)
                r.error = QStringLiteral("connection refused");
            results << r;
        }
        return results;
    }
};

std::unique_ptr<CoreSession> openSession(const QString &configPath, bool withStore)
{
    auto session = std::make_unique<CoreSession>();
    if (!session->loadConfig(configPath)) {
        progress(QStringLiteral("guibench: the config does not load"));
        return nullptr;
    }
    QString error;
    if (withStore && !session->openHistory(&error)) {
        progress(QStringLiteral("guibench: the store does not open: %1").arg(error));
        return nullptr;
    }
    return session;
}

void settle()
{
    // A few rounds: the delayed layout, then the paint it asks for.
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents(QEventLoop::AllEvents);
}

struct StreamResult
{
    double maxBlockMs = 0;
    double p99BlockMs = 0;
    double paintsPerS = 0;
    int results = 0;
};

// Feeds `rate` results/s for `seconds`, flipping services round robin, and watches how late a 2 ms
// timer fires.
StreamResult stream(Watcher *watcher, Fleet &fleet, int rate, double seconds, PaintCounter *paints)
{
    StreamResult result;
    QEventLoop loop;
    QList<double> gaps;
    QElapsedTimer clock;
    clock.start();
    qint64 lastProbeNs = clock.nsecsElapsed();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(2);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        gaps << qMax(0.0, double(now - lastProbeNs) / 1e6 - 2.0);
        lastProbeNs = now;
    });
    QTimer feed;
    feed.setTimerType(Qt::PreciseTimer);
    feed.setInterval(10);
    qsizetype next = 0;
    QHash<QString, bool> down;
    QObject::connect(&feed, &QTimer::timeout, [&] {
        // As many as are due by the wall clock, so a slow loop is fed as hard as a fast one.
        const qint64 due = qint64(double(clock.nsecsElapsed()) / 1e9 * rate) - result.results;
        for (qint64 i = 0; i < due; ++i) {
            const QString &name = fleet.names[next];
            next = (next + 1) % fleet.names.size();
            const bool d = !down.value(name);
            down[name] = d;
            CheckResult r;
            r.service = name;
            r.check = QStringLiteral("port");
            r.atMs = ++fleet.nowMs;
            r.outcome = d ? Health::Down : Health::Ok;
            r.latencyMs = 5 + QRandomGenerator::global()->bounded(400.0);
            watcher->ingest(r);
            ++result.results;
        }
    });
    const int paintsBefore = paints ? paints->paints : 0;
    QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
    probe.start();
    feed.start();
    loop.exec();
    const double elapsedS = double(clock.nsecsElapsed()) / 1e9;
    if (!gaps.isEmpty()) {
        std::sort(gaps.begin(), gaps.end());
        result.maxBlockMs = gaps.last();
        result.p99BlockMs = gaps[qMin(gaps.size() - 1, qsizetype(double(gaps.size()) * 0.99))];
    }
    result.paintsPerS = paints ? (paints->paints - paintsBefore) / elapsedS : 0;
    return result;
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("What the dashboard costs with many services changing"));
    parser.addHelpOption();
    const QCommandLineOption servicesOpt(QStringLiteral("services"), QStringLiteral("services (default 500)"), QStringLiteral("N"), QStringLiteral("500"));
    const QCommandLineOption runsOpt(QStringLiteral("runs"), QStringLiteral("repetitions (default 5)"), QStringLiteral("R"), QStringLiteral("5"));
    const QCommandLineOption streamOpt(QStringLiteral("stream"), QStringLiteral("seconds of streaming per mode (default 3)"), QStringLiteral("S"), QStringLiteral("3"));
    const QCommandLineOption rateOpt(QStringLiteral("rate"), QStringLiteral("results/s while streaming (default 1000)"), QStringLiteral("N"), QStringLiteral("1000"));
    const QCommandLineOption coalesceOpt(QStringLiteral("coalesce"), QStringLiteral("the model's update interval in ms for the coalesced mode (default 100)"), QStringLiteral("MS"), QStringLiteral("100"));
    const QCommandLineOption storeOpt(QStringLiteral("store"), QStringLiteral("open the SQLite store, so that history, incidents and maintenance run as in the console (core's own cost then dominates)"));
    const QCommandLineOption grabOpt(QStringLiteral("grab"), QStringLiteral("save the dashboard after the first burst as a PNG at 1920x1080, and FILE-1280x800.png (to look at them)"), QStringLiteral("FILE"));
    parser.addOptions({servicesOpt, runsOpt, streamOpt, rateOpt, coalesceOpt, storeOpt, grabOpt});
    parser.process(app);
    const int services = parser.value(servicesOpt).toInt();
    const int runs = parser.value(runsOpt).toInt();
    const double streamS = parser.value(streamOpt).toDouble();
    const int rate = parser.value(rateOpt).toInt();
    const int coalesceMs = parser.value(coalesceOpt).toInt();
    const bool withStore = parser.isSet(storeOpt);
    if (services < 1 || runs < 1 || streamS <= 0 || rate < 1 || coalesceMs < 1) {
        progress(QStringLiteral("guibench: --services, --runs, --stream, --rate and --coalesce must be positive"));
        return 2;
    }

    QTemporaryDir dir;
    const QString configPath = dir.filePath(QStringLiteral("bench.yaml"));
    const QString barePath = dir.filePath(QStringLiteral("bare.yaml"));
    for (const auto &[path, store] : {std::pair{configPath, QStringLiteral("dash.sqlite")}, std::pair{barePath, QStringLiteral("bare.sqlite")}}) {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(benchConfig(services, dir.filePath(store))) < 0)
            return 2;
    }
    auto session = openSession(configPath, withStore);
    auto bare = openSession(barePath, withStore);
    if (!session || !bare)
        return 2;

    DashboardView dashboard(session.get());
    dashboard.resize(1920, 1080);
    dashboard.show();
    settle();
    PaintCounter paints;
    dashboard.view()->viewport()->installEventFilter(&paints);

    // The baseline view: N plain rows, nothing but text.
    QStandardItemModel plainModel;
    for (int i = 0; i < services; ++i)
        plainModel.appendRow(new QStandardItem(QStringLiteral("svc-%1").arg(i, 4, 10, QLatin1Char('0'))));
    QListView plain;
    plain.setModel(&plainModel);
    plain.resize(1920, 1080);
    plain.show();
    settle();

    out(QStringLiteral("INFO services %1").arg(services));
    out(QStringLiteral("INFO runs %1").arg(runs));
    out(QStringLiteral("INFO columns %1").arg(dashboard.view()->columns()));
    out(QStringLiteral("INFO coalesce_ms %1").arg(coalesceMs));
    out(QStringLiteral("INFO stream_s %1").arg(streamS));
    out(QStringLiteral("INFO rate %1").arg(rate));
    out(QStringLiteral("INFO store %1").arg(withStore ? QStringLiteral("sqlite") : QStringLiteral("none")));
    out(QStringLiteral("INFO qt %1").arg(QString::fromLatin1(qVersion())));
    out(QStringLiteral("INFO platform %1").arg(QGuiApplication::platformName()));
    check(QStringLiteral("tiles"), dashboard.proxy()->rowCount() == services,
          QStringLiteral("%1 tiles for %2 services").arg(dashboard.proxy()->rowCount()).arg(services));

    Fleet fleet;
    for (const ServiceConfig &s : session->config().services)
        fleet.names << s.name;
    fleet.nowMs = QDateTime::currentMSecsSinceEpoch();
    ServiceTileModel *model = dashboard.model();
    bool downNow = false;
    bool burstsOk = true;

    for (int run = 1; run <= runs; ++run) {
        progress(QStringLiteral("run %1 of %2").arg(run).arg(runs));
        auto emitRun = [&](const QString &key, double value) {
            out(QStringLiteral("RUN %1 %2 %3").arg(run).arg(key).arg(value, 0, 'f', 3));
        };

        // Core alone.
        {
            downNow = !downNow;
            const QList<CheckResult> results = fleet.burst(downNow ? Health::Down : Health::Ok);
            QElapsedTimer t;
            t.start();
            for (const CheckResult &r : results)
                bare->watcher()->ingest(r);
            emitRun(QStringLiteral("core_ingest_us"), double(t.nsecsElapsed()) / 1e3 / results.size());
            settle();
        }

        // Through the dashboard, in both update modes.
        for (const int interval : {0, coalesceMs}) {
            const QString mode = interval == 0 ? QStringLiteral("immediate") : QStringLiteral("coalesced");
            model->setUpdateInterval(interval);
            settle();
            downNow = !downNow;
            const Health target = downNow ? Health::Down : Health::Ok;
            const QList<CheckResult> results = fleet.burst(target);
            const int paintsBefore = paints.paints;
            QElapsedTimer t;
            t.start();
            for (const CheckResult &r : results)
                session->watcher()->ingest(r);
            const qint64 ingestNs = t.nsecsElapsed();
            t.restart();
            model->flush();
            const qint64 flushNs = t.nsecsElapsed();
            t.restart();
            settle();
            const qint64 settleNs = t.nsecsElapsed();
            emitRun(QStringLiteral("ingest_us_%1").arg(mode), double(ingestNs) / 1e3 / results.size());
            emitRun(QStringLiteral("flush_ms_%1").arg(mode), double(flushNs) / 1e6);
            emitRun(QStringLiteral("settle_ms_%1").arg(mode), double(settleNs) / 1e6);
            emitRun(QStringLiteral("burst_ms_%1").arg(mode), double(ingestNs + flushNs + settleNs) / 1e6);
            // What was measured: every tile shows the new state, the view repainted.
            const QModelIndex first = dashboard.proxy()->index(0, 0);
            const QModelIndex last = dashboard.proxy()->index(dashboard.proxy()->rowCount() - 1, 0);
            if (run == 1 && parser.isSet(grabOpt) && target == Health::Down) {
                // At 1920×1080 and, beside it, at 1280×800.
                const QString file = parser.value(grabOpt);
                dashboard.grab().save(file);
                dashboard.resize(1280, 800);
                settle();
                dashboard.grab().save(file.left(file.lastIndexOf(u'.')) + QStringLiteral("-1280x800.png"));
                dashboard.resize(1920, 1080);
                settle();
            }
            if (first.data(ServiceTileModel::HealthRole).toInt() != int(target)
                || last.data(ServiceTileModel::HealthRole).toInt() != int(target) || paints.paints == paintsBefore)
                burstsOk = false;
        }

        // A full repaint, and the plain list's.
        {
            QList<double> dash, base;
            for (int i = 0; i < 10; ++i) {
                QElapsedTimer t;
                t.start();
                const QPixmap d = dashboard.grab();
                dash << double(t.nsecsElapsed()) / 1e6;
                t.restart();
                const QPixmap p = plain.grab();
                base << double(t.nsecsElapsed()) / 1e6;
            }
            emitRun(QStringLiteral("repaint_ms"), median(dash));
            emitRun(QStringLiteral("baseline_repaint_ms"), median(base));
        }

        // Streaming.
        for (const int interval : {0, coalesceMs}) {
            const QString mode = interval == 0 ? QStringLiteral("immediate") : QStringLiteral("coalesced");
            model->setUpdateInterval(interval);
            settle();
            const StreamResult s = stream(session->watcher(), fleet, rate, streamS, &paints);
            emitRun(QStringLiteral("stream_max_block_ms_%1").arg(mode), s.maxBlockMs);
            emitRun(QStringLiteral("stream_p99_block_ms_%1").arg(mode), s.p99BlockMs);
            emitRun(QStringLiteral("stream_paints_per_s_%1").arg(mode), s.paintsPerS);
            emitRun(QStringLiteral("stream_results_per_s_%1").arg(mode), s.results / streamS);
            settle();
        }
        {
            const StreamResult s = stream(bare->watcher(), fleet, rate, streamS, nullptr);
            emitRun(QStringLiteral("stream_max_block_ms_bare"), s.maxBlockMs);
            emitRun(QStringLiteral("stream_p99_block_ms_bare"), s.p99BlockMs);
        }
    }
    check(QStringLiteral("bursts"), burstsOk, QStringLiteral("every burst reached the first and last tile and repainted"));
    return g_failed ? 1 : 0;
}
