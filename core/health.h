#pragma once

#include <QString>
#include <optional>

// What the operator needs to know about a check or service. Ordered from best to worst so that a
// service's health is simply the maximum of its checks. Unknown and stale rank below degraded: they
// say "OpsDeck cannot see", which must never be shown as green, but is not a confirmed failure either.
enum class Health : quint8 { Ok = 0, Unknown = 1, Stale = 2, Degraded = 3, Down = 4 };

QString healthName(Health h); // "ok", "unknown", "stale", "degraded", "down"
std::optional<Health> healthFromName(QStringView name);
inline Health worse(Health a, Health b) { return a > b ? a : b; }
inline bool isFailure(Health h) { return h == Health::Degraded || h == Health::Down; }

// Monitoring-plugins exit status for a health: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
int pluginExitCode(Health h);
