#include "clioutput.h"
#include "commands.h"

#include "coresession.h"
#include "kioskpin.h"
#include "secretstore.h"

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace {

// One line from the terminal with echo off: the PIN must not show on a screen someone may see.
QString readHidden(const char *prompt)
{
    Cli::err() << prompt;
    Cli::err().flush();
    termios saved = {};
    ::tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    char buffer[256];
    QByteArray line;
    if (std::fgets(buffer, sizeof buffer, stdin))
        line = buffer;
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    Cli::err() << "\n";
    return QString::fromUtf8(line).trimmed();
}

// Twice on a terminal; from a pipe the first line, and when a second line is given (as a script
// feeding the terminal dialogue would) it has to match.
std::optional<QString> readPin(QString *problem)
{
    QString first;
    QString second;
    if (::isatty(STDIN_FILENO)) {
        first = readHidden("New kiosk PIN (4-12 digits, not shown): ");
        second = readHidden("The same PIN again: ");
    } else {
        QByteArray data;
        char buffer[4096];
        std::size_t n;
        while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0 && data.size() < 4096)
            data.append(buffer, qsizetype(n));
        QStringList lines = QString::fromUtf8(data).split(u'\n');
        for (QString &l : lines)
            l = l.trimmed();
        while (!lines.isEmpty() && lines.last().isEmpty())
            lines.removeLast();
        if (lines.size() > 2) {
            *problem = QStringLiteral("expected the PIN on one line (or twice, on two lines); nothing stored");
            return std::nullopt;
        }
        first = lines.value(0);
        second = lines.size() == 2 ? lines.at(1) : first;
    }
    if (first.isEmpty()) {
        *problem = QStringLiteral("no PIN given; nothing stored (e.g. `printf '%s\\n' 4711 | opsdeckctl kiosk set-pin`)");
        return std::nullopt;
    }
    if (const std::optional<QString> bad = KioskPin::problem(first)) {
        *problem = *bad + QStringLiteral("; nothing stored");
        return std::nullopt;
    }
    if (first != second) {
        *problem = QStringLiteral("the two PINs differ; nothing stored");
        return std::nullopt;
    }
    return first;
}

// Like secret changes, a new PIN is an operator action: recorded (never the PIN) in the audit log
// of the store the config names, when there is one.
void auditPin(const QString &configPath, const QString &action)
{
    CoreSession session;
    QString error;
    if (!session.loadConfig(CoreSession::resolveConfigPath(configPath)) || !session.openHistory(&error)) {
        Cli::err() << "note: not recorded in the audit log (no usable config/store: use --config or set $OPSDECK_CONFIG)\n";
        return;
    }
    session.audit(action, {{QStringLiteral("name"), KioskPin::secretName()}});
}

} // namespace

int runKiosk(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The wall display's PIN. It unlocks acknowledgement and actions on the kiosk for a while\n"
        "(kiosk: unlock_for) and is asked before leaving kiosk mode. Only a salted PBKDF2 hash is\n"
        "kept, in the OS keychain as `kiosk-pin`; without one the kiosk stays read-only.\n"
        "  kiosk set-pin    read the PIN (4-12 digits) twice from the terminal without echo, or once from stdin\n"
        "  kiosk clear-pin  remove it: the kiosk becomes read-only and cannot be left by keyboard"));
    Cli::addCommonOptions(parser, false);
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("set-pin or clear-pin."));
    int code = 0;
    if (!Cli::parse(parser, args, 2, &code))
        return code;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);
    if (pos.size() != 1 || (action != u"set-pin" && action != u"clear-pin")) {
        Cli::err() << "usage: opsdeckctl kiosk set-pin | kiosk clear-pin\n";
        return 2;
    }
    const QString configPath = parser.value(QStringLiteral("config"));
    SecretStore store;
    if (action == u"clear-pin") {
        const SecretStore::Result r = store.removeBlocking(KioskPin::secretName());
        if (!r.ok() && r.status != SecretStore::Status::NotSet) {
            Cli::err() << r.message << "\n";
            return 1;
        }
        Cli::out() << (r.ok() ? "removed the kiosk PIN; the kiosk is read-only now\n" : "no kiosk PIN was set\n");
        if (r.ok())
            auditPin(configPath, QStringLiteral("kiosk.pin_cleared"));
        return 0;
    }
    QString problem;
    const std::optional<QString> pin = readPin(&problem);
    if (!pin) {
        Cli::err() << problem << "\n";
        return 1;
    }
    const SecretStore::Result r = store.writeBlocking(KioskPin::secretName(), KioskPin::hash(*pin));
    if (!r.ok()) {
        Cli::err() << r.message << "\n";
        return 1;
    }
    Cli::out() << "stored the kiosk PIN's hash in the keychain as `" << KioskPin::secretName()
               << "`; a running kiosk uses it from the next unlock\n";
    auditPin(configPath, QStringLiteral("kiosk.pin_set"));
    return 0;
}
