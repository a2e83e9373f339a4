#include "clioutput.h"
#include "commands.h"

#include "coresession.h"
#include "duration.h"
#include "historystore.h"
#include "notifier.h"

#include <QEventLoop>
#include <QHash>
#include <QTimer>

namespace {

struct Outcome
{
    bool delivered = false;
    QString error;
};

} // namespace

int runNotify(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Send a test notification (\"OpsDeck test from <host>\") through one channel of the config's `notify:` list,\n"
        "bypassing routing, quiet hours and mute. It is recorded in the outbox like any notification and attempted\n"
        "once. Exit status: 0 delivered, 1 not delivered (the reason is printed), 2 usage or config error."));
    Cli::addCommonOptions(parser, false);
    parser.addPositionalArgument(QStringLiteral("test"), QStringLiteral("The action: test."), QStringLiteral("test"));
    parser.addPositionalArgument(QStringLiteral("channel"), QStringLiteral("The channel's name (its `name:`, else its kind)."),
                                 QStringLiteral("CHANNEL"));
    int code = 0;
    if (!Cli::parse(parser, args, 2, &code))
        return code;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2 || positional.first() != u"test") {
        Cli::err() << "usage: opsdeckctl notify test CHANNEL [--config FILE]\n";
        return 2;
    }
    const QString channel = positional.at(1);

    CoreSession session;
    const QString path = CoreSession::resolveConfigPath(parser.value(QStringLiteral("config")));
    if (!session.loadConfig(path)) {
        Cli::printIssues(session.issues(), Cli::err());
        return 2;
    }
    QStringList names;
    for (const NotifyChannel &c : session.config().notify) {
        names << c.name;
        if (c.name == channel && c.kind == NotifyChannel::Kind::Desktop) {
            Cli::err() << "`" << channel << "` is the desktop channel: it shows notifications through the OpsDeck window's tray, "
                          "and opsdeckctl has no desktop; test it from the console\n";
            return 2;
        }
    }
    if (!names.contains(channel)) {
        if (names.isEmpty())
            Cli::err() << "no channel `" << channel << "`: " << path << " has no notification channels (`notify:`)\n";
        else
            Cli::err() << "no channel `" << channel << "` in " << path << "; configured: " << names.join(QStringLiteral(", ")) << "\n";
        return 2;
    }

    // The outbox is in the history store; opening it through the session also expands a
    // PostgreSQL password from the keychain.
    QString error;
    if (!session.openHistory(&error)) {
        Cli::err() << "cannot open the history store (it holds the notification outbox): " << error << "\n";
        return 1;
    }
    Notifier notifier(session.history()->location(), session.resolver(), session.clock());
    notifier.setConfig(session.config());
    if (!notifier.open(&error)) {
        Cli::err() << error << "\n";
        return 1;
    }

    QHash<qint64, Outcome> outcomes;
    QEventLoop loop;
    QObject::connect(&notifier, &Notifier::delivered, &loop, [&](const QString &, qint64 id) {
        outcomes.insert(id, Outcome{true, {}});
        loop.quit();
    });
    QObject::connect(&notifier, &Notifier::deliveryFailed, &loop, [&](const QString &, qint64 id, const QString &why, bool) {
        outcomes.insert(id, Outcome{false, why});
        loop.quit();
    });
    const qint64 id = notifier.sendTest(channel, &error);
    if (id == 0) {
        Cli::err() << error << "\n";
        return 1;
    }
    // One request, plus the keychain for the channel's secrets: both have their own timeouts.
    const qint64 boundMs = notifier.timing().requestTimeoutMs + 30'000;
    QTimer bound;
    bound.setSingleShot(true);
    QObject::connect(&bound, &QTimer::timeout, &loop, &QEventLoop::quit);
    bound.start(int(boundMs));
    while (!outcomes.contains(id) && bound.isActive())
        loop.exec();

    const QString where = QStringLiteral("`%1` (outbox #%2)").arg(channel).arg(id);
    if (!outcomes.contains(id)) {
        Cli::err() << "no outcome from " << where << " within " << Duration::format(boundMs) << "\n";
        return 1;
    }
    const Outcome outcome = outcomes.value(id);
    if (!outcome.delivered) {
        Cli::err() << "not delivered through " << where << ": " << outcome.error << "\n";
        return 1;
    }
    Cli::out() << "delivered the test message through " << where << "\n";
    Cli::out().flush();
    return 0;
}
