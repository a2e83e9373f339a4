#include "clioutput.h"
#include "commands.h"

#include "coresession.h"
#include "rotatesecrettask.h"
#include "secretstore.h"

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace {

// Reads one value from stdin — never from argv, where every user could see it in /proc. On a
// terminal the typed text is not echoed.
std::optional<QString> readValue(const QString &name)
{
    const bool tty = ::isatty(STDIN_FILENO);
    termios saved = {};
    if (tty) {
        Cli::err() << "Value for " << name << " (not shown): ";
        Cli::err().flush();
        ::tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    QByteArray data;
    char buffer[4096];
    if (tty) {
        if (std::fgets(buffer, sizeof buffer, stdin))
            data = buffer;
        ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        Cli::err() << "\n";
    } else {
        std::size_t n;
        while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0)
            data.append(buffer, qsizetype(n));
    }
    // One trailing newline is the shell's (echo, a here-string), not part of the secret.
    if (data.endsWith('\n'))
        data.chop(1);
    if (data.endsWith('\r'))
        data.chop(1);
    if (data.isEmpty())
        return std::nullopt;
    return QString::fromUtf8(data);
}

// Secret changes are operator actions: recorded (the name, never the value) in the audit log of
// the store the default config names. Without a config there is no store to record them in.
void auditSecret(const QString &action, const QString &name)
{
    CoreSession session;
    QString error;
    if (!session.loadConfig(CoreSession::resolveConfigPath(QString())) || !session.openHistory(&error)) {
        Cli::err() << "note: not recorded in the audit log (no usable config/store: set $OPSDECK_CONFIG)\n";
        return;
    }
    session.audit(action, {{QStringLiteral("name"), name}});
}

// The end of a rotate-secret action's rotation: the new key stays (confirm) or the previous one,
// kept as NAME.previous, goes back into NAME (rollback). Either way NAME.previous is removed.
int finishRotation(SecretStore &store, const QString &name, bool confirm)
{
    const QString previous = RotateSecretTask::previousName(name);
    const SecretStore::Result kept = store.readBlocking(previous);
    if (kept.status == SecretStore::Status::NotSet) {
        Cli::err() << "no rotation of `" << name << "` is waiting for confirmation (" << previous << " is not set)\n";
        return 1;
    }
    if (!kept.ok()) {
        Cli::err() << kept.message << "\n";
        return 1;
    }
    if (!confirm) {
        const SecretStore::Result restored = store.writeBlocking(name, kept.value);
        if (!restored.ok()) {
            Cli::err() << "the previous key was not put back: " << restored.message << "\n";
            return 1;
        }
    }
    const SecretStore::Result removed = store.removeBlocking(previous);
    if (!removed.ok()) {
        Cli::err() << (confirm ? "" : "the previous key is back in place, but ") << previous << " could not be removed: " << removed.message << "\n";
        return 1;
    }
    if (confirm)
        Cli::out() << "confirmed the new key of `" << name << "`; the previous one is forgotten\n";
    else
        Cli::out() << "rolled `" << name << "` back to its previous key\n";
    auditSecret(confirm ? QStringLiteral("secret.rotation_confirmed") : QStringLiteral("secret.rotation_rolled_back"), name);
    return 0;
}

} // namespace

int runSecret(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Manage the secrets a config references as ${secret:NAME}. Values live only in the OS keychain.\n"
        "  secret set NAME     read the value from stdin (never from the command line) and store it\n"
        "  secret delete NAME  remove it\n"
        "  secret list         list the names set through OpsDeck (never values)\n"
        "  secret confirm NAME after a rotate-secret action: keep the new key, forget the previous one (NAME.previous)\n"
        "  secret rollback NAME after a rotate-secret action: put the previous key back into NAME"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("set, delete, list, confirm or rollback."));
    parser.addPositionalArgument(QStringLiteral("name"), QStringLiteral("The secret's name: letters, digits, . _ -"), QStringLiteral("[name]"));
    int code = 0;
    if (!Cli::parse(parser, args, 2, &code))
        return code;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    SecretStore store;
    if (action == u"list" && pos.size() == 1) {
        for (const QString &name : store.names())
            Cli::out() << name << "\n";
        return 0;
    }
    if ((action != u"set" && action != u"delete" && action != u"confirm" && action != u"rollback") || pos.size() != 2) {
        Cli::err() << "usage: opsdeckctl secret set NAME | secret delete NAME | secret list | secret confirm NAME | secret rollback NAME\n";
        return 2;
    }
    const QString name = pos.at(1);
    if (const auto problem = SecretStore::validateName(name)) {
        Cli::err() << *problem << "\n";
        return 2;
    }
    if (action == u"confirm" || action == u"rollback")
        return finishRotation(store, name, action == u"confirm");
    if (action == u"set") {
        const std::optional<QString> value = readValue(name);
        if (!value) {
            Cli::err() << "no value on stdin; nothing stored (e.g. `printf %s \"$KEY\" | opsdeckctl secret set " << name << "`)\n";
            return 1;
        }
        const SecretStore::Result r = store.writeBlocking(name, *value);
        if (!r.ok()) {
            Cli::err() << r.message << "\n";
            return 1;
        }
        Cli::out() << "stored secret `" << name << "` in the keychain\n";
        auditSecret(QStringLiteral("secret.set"), name);
        return 0;
    }
    const SecretStore::Result r = store.removeBlocking(name);
    if (!r.ok()) {
        Cli::err() << r.message << "\n";
        return 1;
    }
    Cli::out() << "deleted secret `" << name << "`\n";
    auditSecret(QStringLiteral("secret.delete"), name);
    return 0;
}
