#include "clioutput.h"
#include "commands.h"

#include "configloader.h"

int runConfig(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "config check FILE: validate a config file. Prints every problem as file:line:column: field: message\n"
        "and exits 1 when there are errors (warnings alone exit 0)."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("check"), QStringLiteral("The action: check."));
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The config file to validate."));
    int code = 0;
    if (!Cli::parse(parser, args, 2, &code))
        return code;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 2 || pos.first() != u"check") {
        Cli::err() << "usage: opsdeckctl config check FILE\n";
        return 2;
    }
    const ConfigLoader::Result result = ConfigLoader::loadFile(pos.at(1));
    Cli::printIssues(result.issues, result.ok() ? Cli::out() : Cli::err());
    if (!result.ok()) {
        Cli::err() << pos.at(1) << ": " << result.errorCount() << (result.errorCount() == 1 ? " error" : " errors") << "\n";
        return 1;
    }
    Cli::out() << pos.at(1) << ": OK — " << result.config->services.size() << " services, " << result.config->checkCount()
               << " checks\n";
    return 0;
}
