#include "clioutput.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace Cli {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

void addCommonOptions(QCommandLineParser &parser, bool withFormat)
{
    parser.addHelpOption();
    parser.addOption({{QStringLiteral("c"), QStringLiteral("config")},
                      QStringLiteral("The config file (default: $OPSDECK_CONFIG, else ~/.config/opsdeck/opsdeck.yaml)."),
                      QStringLiteral("file")});
    if (withFormat)
        parser.addOption({QStringLiteral("format"), QStringLiteral("Output format: text or json."),
                          QStringLiteral("text|json"), QStringLiteral("text")});
}

bool parse(QCommandLineParser &parser, const QStringList &args, int usageExit, int *exitCode)
{
    if (!parser.parse(args)) {
        err() << parser.errorText() << "\n" << "Try `" << args.value(0) << " --help`.\n";
        err().flush();
        *exitCode = usageExit;
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out() << parser.helpText();
        out().flush();
        *exitCode = 0;
        return false;
    }
    return true;
}

bool format(const QCommandLineParser &parser, Format *format, int usageExit, int *exitCode)
{
    const QString f = parser.value(QStringLiteral("format"));
    if (f == u"text")
        *format = Format::Text;
    else if (f == u"json")
        *format = Format::Json;
    else {
        err() << "unknown --format `" << f << "`: expected text or json\n";
        err().flush();
        *exitCode = usageExit;
        return false;
    }
    return true;
}

void printIssues(const QList<ConfigIssue> &issues, QTextStream &stream)
{
    for (const ConfigIssue &issue : issues)
        stream << issue.toString() << "\n";
    stream.flush();
}

void printJson(const QJsonValue &value)
{
    const QByteArray json = value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)
                                            : QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented);
    out() << QString::fromUtf8(json);
    out().flush();
}

} // namespace Cli
