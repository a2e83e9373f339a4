// opsdeck-kioskbench: what `opsdeck --kiosk` holds in memory. It builds the kiosk as the opsdeck
// program does for --kiosk (CoreSession from the config, its history store, FleetSummary, a
// KioskWindow with KioskOptions::fromConfig, shown fullscreen, then session.start()) and samples
// VmRSS/VmHWM from /proc/self/status every second while the pages rotate. --baseline measures a
// bare QApplication with one fullscreen QWidget instead, the floor of any Qt Widgets program.
//
// Prints "SAMPLE <s> <VmRSS kB>" lines and one "RESULT peak_kb=<VmHWM> steady_kb=<median VmRSS of
// the second half> pages=<screens shown> results=<results recorded>". See bench/kiosk-bench.sh.
#include "coresession.h"
#include "fleetsummary.h"
#include "kioskpage.h"
#include "kioskwindow.h"
#include "watcher.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QScreen>
#include <QSet>
#include <QTimer>
#include <algorithm>
#include <cstdio>

static qint64 statusKb(const char *key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(qsizetype(qstrlen(key))).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("config"), QStringLiteral("The config."), QStringLiteral("file")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("How long to run."), QStringLiteral("s"), QStringLiteral("60")});
    parser.addOption({QStringLiteral("baseline"), QStringLiteral("A bare QApplication with one QWidget.")});
    parser.process(app);
    const int seconds = parser.value(QStringLiteral("seconds")).toInt();

    std::unique_ptr<CoreSession> session;
    std::unique_ptr<FleetSummary> summary;
    std::unique_ptr<QWidget> window;
    KioskWindow *kiosk = nullptr;
    quint64 results = 0;
    if (parser.isSet(QStringLiteral("baseline"))) {
        window = std::make_unique<QWidget>();
        window->setGeometry(QGuiApplication::primaryScreen()->geometry());
        window->showFullScreen();
    } else {
        session = std::make_unique<CoreSession>();
        if (!session->loadConfig(parser.value(QStringLiteral("config")))) {
            for (const ConfigIssue &i : session->issues())
                std::fprintf(stderr, "%s\n", qPrintable(i.toString()));
            return 2;
        }
        QString error;
        if (!session->openHistory(&error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 2;
        }
        summary = std::make_unique<FleetSummary>(session.get());
        kiosk = new KioskWindow(session.get(), summary.get(), KioskOptions::fromConfig(session->config()));
        window.reset(kiosk);
        kiosk->showOnScreen();
        QObject::connect(session->watcher(), &Watcher::resultRecorded, [&results] { ++results; });
        session->start();
    }

    QList<qint64> samples;
    QSet<QString> screens;
    int elapsed = 0;
    QTimer sampler;
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        ++elapsed;
        const qint64 rss = statusKb("VmRSS:");
        samples << rss;
        if (kiosk && kiosk->currentPage())
            screens.insert(kiosk->currentPage()->objectName() + u'/' + QString::number(kiosk->currentSubPage()));
        std::printf("SAMPLE %d %lld\n", elapsed, rss);
        std::fflush(stdout);
        if (elapsed >= seconds)
            app.quit();
    });
    sampler.start(1000);
    QApplication::exec();
    if (session)
        session->stop();

    QList<qint64> steady = samples.mid(samples.size() / 2);
    std::sort(steady.begin(), steady.end());
    const qint64 median = steady.isEmpty() ? -1 : steady.at(steady.size() / 2);
    std::printf("RESULT peak_kb=%lld steady_kb=%lld pages=%lld results=%llu\n", statusKb("VmHWM:"), median,
                qint64(screens.size()), static_cast<unsigned long long>(results));
    return 0;
}
