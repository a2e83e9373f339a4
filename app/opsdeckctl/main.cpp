#include "commands.h"
#include "clioutput.h"

#include <QCoreApplication>

namespace {

struct Command
{
    const char *name;
    const char *summary;
    int (*run)(const QStringList &);
};

const Command kCommands[] = {
    {"check", "Run every check once; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN", runCheck},
    {"watch", "Watch until stopped, printing every state change", runWatch},
    {"history", "Show a service's recent results and state changes", runHistory},
    {"slo", "Show SLOs: SLIs, error budget, burn rates, alerts, forecast", runSlo},
    {"recovery", "Check the runbook's recovery success criteria for a service", runRecovery},
    {"incident", "List, show, acknowledge, note, resolve and export incidents", runIncident},
    {"maintenance", "Start, stop and list maintenance windows", runMaintenance},
    {"audit", "Verify and export the audit log of operator actions", runAudit},
    {"config", "Validate a config file (config check FILE)", runConfig},
    {"secret", "Manage secrets in the OS keychain (set, delete, list)", runSecret},
    {"notify", "Send a test notification through a channel", runNotify},
    {"backup", "Backups: the inventory of backup actions, and verification", runBackup},
    {"action", "List and run recovery actions, and show their runs", runAction},
    {"failover", "Edge failover: status, fail over or back by hand, drills", runFailover},
    {"kiosk", "The wall display's PIN: set-pin, clear-pin", runKiosk},
};

int usage(int code)
{
    QTextStream &s = code == 0 ? Cli::out() : Cli::err();
    s << "Usage: opsdeckctl <command> [options]\n\nOpsDeck from the shell: checks for cron, systemd and Nagios, "
         "a headless watcher, history and secrets.\n\nCommands:\n";
    for (const Command &c : kCommands)
        s << "  " << QString::fromLatin1(c.name).leftJustified(9) << c.summary << "\n";
    s << "\nRun `opsdeckctl <command> --help` for a command's options.\n"
         "Other options: --help, --version\n";
    s.flush();
    return code;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("opsdeck"));
    QCoreApplication::setApplicationVersion(QStringLiteral(OPSDECK_VERSION));

    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2)
        return usage(2);
    const QString name = args.at(1);
    if (name == u"--help" || name == u"-h" || name == u"help")
        return usage(0);
    if (name == u"--version" || name == u"-v") {
        Cli::out() << "opsdeckctl " << OPSDECK_VERSION << "\n";
        return 0;
    }
    for (const Command &c : kCommands) {
        if (name == QLatin1String(c.name)) {
            QStringList rest = args.mid(2);
            rest.prepend(QStringLiteral("opsdeckctl ") + name);
            return c.run(rest);
        }
    }
    Cli::err() << "unknown command `" << name << "`\n\n";
    return usage(2);
}
