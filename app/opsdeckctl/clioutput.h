#pragma once

#include "configloader.h"

#include <QCommandLineParser>
#include <QJsonValue>
#include <QString>
#include <QTextStream>

// Small helpers every subcommand shares: streams, the common options, printing config issues.
namespace Cli {

QTextStream &out();
QTextStream &err();

enum class Format { Text, Json };

// Adds --config and --help; --format when `withFormat`.
void addCommonOptions(QCommandLineParser &parser, bool withFormat);
// Parses; on --help prints the help and returns 0 in `exitCode`; on a usage error prints it and
// returns `usageExit`. Returns true when the command should go on.
bool parse(QCommandLineParser &parser, const QStringList &args, int usageExit, int *exitCode);
bool format(const QCommandLineParser &parser, Format *format, int usageExit, int *exitCode);

void printIssues(const QList<ConfigIssue> &issues, QTextStream &stream);
void printJson(const QJsonValue &value);

} // namespace Cli
