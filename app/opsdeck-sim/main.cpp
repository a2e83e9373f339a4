#include "auditlog.h"
#include "certificatestore.h"
#include "console.h"
#include "faultboard.h"
#include "faultwatcher.h"
#include "fleet.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QStandardPaths>
#include <memory>

namespace {
struct PortOption
{
    SystemId system;
    quint16 defaultPort;
};
constexpr PortOption kPortOptions[] = { { SystemId::EchoPilot, 18080 },
                                        { SystemId::Fallback, 18081 },
                                        { SystemId::Gateway, 13100 },
                                        { SystemId::AiFsm, 13000 } };

QString portOptionName(SystemId system)
{
    return systemName(system) + QStringLiteral("-port");
}
} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("opsdeck-sim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OPSDECK_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The OpsDeck demo fleet: EchoPilot (primary and fallback), the HTTPS gateway and ai-fsm on "
        "127.0.0.1, failing and recovering as a YAML fault script says."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption faultsOption(QStringLiteral("faults"),
                                          QStringLiteral("Fault script, reloaded whenever it changes."),
                                          QStringLiteral("file"));
    parser.addOption(faultsOption);
    for (const PortOption &p : kPortOptions) {
        parser.addOption(QCommandLineOption(portOptionName(p.system),
                                            u"Port for " % systemName(p.system) % u" (default "
                                                % QString::number(p.defaultPort) % u", 0 = any free port).",
                                            QStringLiteral("port"), QString::number(p.defaultPort)));
    }
    const QString defaultCertDir
        = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/opsdeck/demo");
    const QCommandLineOption certDirOption(
        QStringLiteral("cert-dir"),
        QStringLiteral("Directory of gateway.crt/gateway.key, created if missing (default %1).").arg(defaultCertDir),
        QStringLiteral("dir"), defaultCertDir);
    parser.addOption(certDirOption);
    const QCommandLineOption dashKeyOption(QStringLiteral("dash-key"),
                                           QStringLiteral("EchoPilot's X-Dash-Key (default demo-dash-key)."),
                                           QStringLiteral("key"), QStringLiteral("demo-dash-key"));
    parser.addOption(dashKeyOption);
    const QCommandLineOption healthTokenOption(
        QStringLiteral("health-token"), QStringLiteral("EchoPilot's /supervisor token (default demo-health-token)."),
        QStringLiteral("token"), QStringLiteral("demo-health-token"));
    parser.addOption(healthTokenOption);
    const QCommandLineOption logDirOption(QStringLiteral("log-dir"),
                                          QStringLiteral("Write EchoPilot's audit.ndjson into this directory."),
                                          QStringLiteral("dir"));
    parser.addOption(logDirOption);
    parser.process(app);

    if (!parser.positionalArguments().isEmpty()) {
        Console::error(u"unexpected argument \"" % parser.positionalArguments().constFirst() % u"\" (see --help)");
        return 1;
    }
    Fleet::Settings settings;
    for (const PortOption &p : kPortOptions) {
        const QString text = parser.value(portOptionName(p.system));
        bool ok = false;
        const uint port = text.toUInt(&ok);
        if (!ok || port > 65535) {
            Console::error(u"--" % portOptionName(p.system) % u": \"" % text % u"\" is not a port number (0-65535)");
            return 1;
        }
        settings.ports[p.system] = quint16(port);
    }
    settings.dashKey = parser.value(dashKeyOption);
    settings.healthToken = parser.value(healthTokenOption);
    if (settings.dashKey.isEmpty() || settings.healthToken.isEmpty()) {
        Console::error(QStringLiteral("--dash-key and --health-token must not be empty"));
        return 1;
    }
    const QString faultsPath = parser.value(faultsOption);
    if (parser.isSet(faultsOption) && !QFileInfo(faultsPath).isFile()) {
        Console::error(u"--faults: no such file: " % faultsPath);
        return 1;
    }

    CertificateStore certificates(parser.value(certDirOption));
    QString error;
    if (!certificates.ensure(&error)) {
        Console::error(error);
        return 1;
    }
    settings.gatewayTls = certificates.serverConfiguration();

    FaultBoard faults;
    Fleet fleet(&faults, settings);
    if (!fleet.listen(&error)) {
        Console::error(error);
        return 1;
    }
    std::unique_ptr<AuditLog> auditLog;
    if (parser.isSet(logDirOption)) {
        auditLog = std::make_unique<AuditLog>(parser.value(logDirOption), &faults);
        if (!auditLog->start(&error)) {
            Console::error(error);
            return 1;
        }
    }
    Console::line(u"opsdeck-sim ready " % QString::fromUtf8(fleet.portsJson()));

    std::unique_ptr<FaultWatcher> watcher;
    if (!faultsPath.isEmpty()) {
        watcher = std::make_unique<FaultWatcher>(faultsPath, &faults);
        QObject::connect(watcher.get(), &FaultWatcher::reloaded,
                         [](int count) { Console::line(u"opsdeck-sim faults " % QString::number(count)); });
        QObject::connect(watcher.get(), &FaultWatcher::rejected,
                         [](const QString &message) { Console::line(u"opsdeck-sim faults-error " % message); });
        watcher->start();
    }
    return app.exec();
}
