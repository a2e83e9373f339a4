#pragma once

#include <QString>

// Light or dark: OpsDeck follows the system unless the operator chose one in Settings. Qt 6.4 has no
// API for the system's preference, so it is read where desktops put it: the palette the platform
// theme hands Qt, GTK_THEME (":dark"), and the XDG settings portal's color-scheme (GNOME, KDE).
namespace ColorScheme {
enum class Mode { System, Light, Dark };

Mode modeFromName(const QString &name); // "system" (also anything unknown), "light", "dark"
QString modeName(Mode mode);
bool systemPrefersDark();
// Applies the Fusion style with a light or dark palette (System: whichever the system prefers).
// Returns whether the result is dark.
bool apply(Mode mode);
bool isDark();
}
