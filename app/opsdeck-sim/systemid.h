#pragma once

#include <QString>
#include <QStringList>
#include <array>
#include <optional>

// The four systems the fleet plays, named as in the runbooks' fault files and the ready line.
enum class SystemId { EchoPilot, Fallback, Gateway, AiFsm };

inline constexpr std::array<SystemId, 4> allSystems { SystemId::EchoPilot, SystemId::Fallback,
                                                       SystemId::Gateway, SystemId::AiFsm };

QString systemName(SystemId id); // "echopilot", "fallback", "gateway", "aifsm"
std::optional<SystemId> systemFromName(QStringView name);
QStringList systemNames();

// The dependencies a system's health endpoint reports, i.e. what a `degraded` fault may name. They
// live here rather than in the system classes because the fault script is validated against them
// before any server exists.
QStringList systemDependencies(SystemId id);
