#include "systemid.h"

QString systemName(SystemId id)
{
    switch (id) {
    case SystemId::EchoPilot:
        return QStringLiteral("echopilot");
    case SystemId::Fallback:
        return QStringLiteral("fallback");
    case SystemId::Gateway:
        return QStringLiteral("gateway");
    case SystemId::AiFsm:
        return QStringLiteral("aifsm");
    }
    return {};
}

std::optional<SystemId> systemFromName(QStringView name)
{
    for (SystemId id : allSystems) {
        if (name == systemName(id))
            return id;
    }
    return std::nullopt;
}

QStringList systemNames()
{
    QStringList names;
    for (SystemId id : allSystems)
        names << systemName(id);
    return names;
}

QStringList systemDependencies(SystemId id)
{
    switch (id) {
    case SystemId::EchoPilot:
        return { QStringLiteral("database"), QStringLiteral("notion"), QStringLiteral("openai") };
    case SystemId::Fallback:
        return { QStringLiteral("database") };
    case SystemId::Gateway:
        return {}; // its health route reports connection counts, not dependencies
    case SystemId::AiFsm:
        return { QStringLiteral("db") };
    }
    return {};
}
