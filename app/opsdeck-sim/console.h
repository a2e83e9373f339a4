#pragma once

#include <QString>

// The sim's two output streams. stdout carries only the machine-readable lines that launchers wait
// for ("opsdeck-sim ready {...}", "opsdeck-sim faults N", "opsdeck-sim faults-error ..."), each
// flushed at once because stdout is a pipe when a test or script starts the sim; everything for
// humans goes to stderr.
namespace Console {
void line(const QString &text);
void error(const QString &text);
}
