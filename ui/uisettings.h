#pragma once

#include <QString>

// The console's own preferences (not the monitoring config): language and colour scheme, kept in
// ~/.config/opsdeck/opsdeck.conf next to the config file. Tests point OPSDECK_UI_SETTINGS at a
// scratch file.
namespace UiSettings {
// "" follows the system locale; otherwise a language code such as "de" or "en".
QString language();
void setLanguage(const QString &code);
// "system", "light" or "dark".
QString colorScheme();
void setColorScheme(const QString &name);
}
