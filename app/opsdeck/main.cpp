#include "colorscheme.h"
#include "coresession.h"
#include "fleetsummary.h"
#include "historystore.h"
#include "kioskwindow.h"
#include "localization.h"
#include "mainwindow.h"
#include "terminationsignals.h"
#include "trayicon.h"
#include "uisettings.h"
#include "watcher.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QMessageBox>

#include <memory>


int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("opsdeck"));
    QApplication::setApplicationDisplayName(QStringLiteral("OpsDeck"));
    QApplication::setApplicationVersion(QStringLiteral(OPSDECK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("opsdeck"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("OpsDeck — operations console for small self-hosted services"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({{QStringLiteral("c"), QStringLiteral("config")},
                      QStringLiteral("The config file (default: $OPSDECK_CONFIG, else ~/.config/opsdeck/opsdeck.yaml)."),
                      QStringLiteral("file")});
    parser.addOption({QStringLiteral("lang"),
                      QStringLiteral("The language of the console, e.g. de or en (default: as chosen in Settings, else the system's)."),
                      QStringLiteral("code")});
    parser.addOption({QStringLiteral("no-tray"), QStringLiteral("Do not put an icon in the system tray; closing the window quits.")});
    parser.addOption({QStringLiteral("kiosk"),
                      QStringLiteral("The wall display: fullscreen, read-only, rotating pages (also `kiosk: {enabled: true}` in the config).")});
    parser.process(app);

    Localization::install(parser.isSet(QStringLiteral("lang")) ? parser.value(QStringLiteral("lang")) : UiSettings::language());
    ColorScheme::apply(ColorScheme::modeFromName(UiSettings::colorScheme()));

    CoreSession session;
    const QString path = CoreSession::resolveConfigPath(parser.value(QStringLiteral("config")));
    if (!session.loadConfig(path)) {
        QStringList lines;
        for (const ConfigIssue &issue : session.issues())
            lines << issue.toString();
        QMessageBox box(QMessageBox::Critical, QObject::tr("OpsDeck cannot start"),
                        QFile::exists(path) ? QObject::tr("The configuration %1 has errors.").arg(path)
                                            : QObject::tr("There is no configuration at %1. Pass --config FILE, or "
                                                          "start the demo with scripts/start.sh.").arg(path),
                        QMessageBox::Close);
        box.setDetailedText(lines.join(u'\n'));
        box.exec();
        return 1;
    }
    QString error;
    if (!session.openHistory(&error))
        qWarning("history is not recorded: %s", qPrintable(error));

    TerminationSignals termination;
    QObject::connect(&termination, &TerminationSignals::received, &app, &QApplication::quit);

    session.setAutoReload(true);
    FleetSummary summary(&session);
    // Monitoring runs while the event loop does; what is queued for the store is written before exit.
    const auto run = [&session] {
        session.start();
        const int code = QApplication::exec();
        session.stop();
        if (session.history())
            session.history()->flush();
        return code;
    };
    if (KioskWindow::wanted(session.config(), parser.isSet(QStringLiteral("kiosk")))) {
        // A wall display has no tray and no main window; leaving it (with the PIN) ends the program.
        KioskWindow kiosk(&session, &summary, KioskOptions::fromConfig(session.config()));
        QObject::connect(&kiosk, &KioskWindow::exitRequested, &app, &QApplication::quit);
        kiosk.showOnScreen();
        return run();
    }
    MainWindow window(&session, &summary);
    std::unique_ptr<TrayIcon> tray;
    if (!parser.isSet(QStringLiteral("no-tray")) && TrayIcon::isSystemTrayAvailable()) {
        tray = std::make_unique<TrayIcon>(&session, &summary);
        QObject::connect(tray.get(), &TrayIcon::openRequested, &window, &MainWindow::bringToFront);
        QObject::connect(tray.get(), &TrayIcon::incidentRequested, &window, &MainWindow::showIncident);
        QObject::connect(tray.get(), &TrayIcon::quitRequested, &app, &QApplication::quit);
        tray->show();
        window.setTray(tray.get());
        // Hidden to the tray is still running.
        QApplication::setQuitOnLastWindowClosed(false);
    }
    window.show();
    return run();
}
