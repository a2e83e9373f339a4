#pragma once

#include "health.h"

#include <QColor>
#include <QIcon>
#include <QString>

// How a health state looks: colour, a distinct shape (never colour alone: ✓ ok, ▲ degraded,
// ✕ down, ? unknown, ◷ stale) and a translated word.
namespace HealthStyle {
QColor color(Health h);
QIcon icon(Health h);
QString label(Health h);
}
