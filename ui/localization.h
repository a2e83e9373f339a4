#pragma once

#include <QString>

// The console's language: OpsDeck's own strings (compiled into the ui library from translations/)
// and Qt's (its dialogs' buttons), for the given code ("de"), or the system's when it is empty.
namespace Localization {
// Returns whether OpsDeck's own translation was found (English needs none and returns false).
bool install(const QString &language);
// The languages OpsDeck ships besides English.
QStringList available();
}
