#include "health.h"

QString healthName(Health h)
{
    switch (h) {
    case Health::Ok: return QStringLiteral("ok");
    case Health::Unknown: return QStringLiteral("unknown");
    case Health::Stale: return QStringLiteral("stale");
    case Health::Degraded: return QStringLiteral("degraded");
    case Health::Down: return QStringLiteral("down");
    }
    return QStringLiteral("unknown");
}

std::optional<Health> healthFromName(QStringView name)
{
    for (Health h : {Health::Ok, Health::Unknown, Health::Stale, Health::Degraded, Health::Down}) {
        if (name.compare(healthName(h), Qt::CaseInsensitive) == 0)
            return h;
    }
    return std::nullopt;
}

int pluginExitCode(Health h)
{
    switch (h) {
    case Health::Ok: return 0;
    case Health::Degraded: return 1;
    case Health::Down: return 2;
    case Health::Unknown:
    case Health::Stale: return 3;
    }
    return 3;
}
