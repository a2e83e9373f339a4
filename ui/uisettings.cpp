#include "uisettings.h"

#include <QSettings>

namespace UiSettings {

namespace {
QSettings settings()
{
    const QString file = qEnvironmentVariable("OPSDECK_UI_SETTINGS");
    if (!file.isEmpty())
        return QSettings(file, QSettings::IniFormat);
    return QSettings(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("opsdeck"), QStringLiteral("opsdeck"));
}
} // namespace

QString language()
{
    return settings().value(QStringLiteral("ui/language")).toString();
}

void setLanguage(const QString &code)
{
    settings().setValue(QStringLiteral("ui/language"), code);
}

QString colorScheme()
{
    return settings().value(QStringLiteral("ui/color_scheme"), QStringLiteral("system")).toString();
}

void setColorScheme(const QString &name)
{
    settings().setValue(QStringLiteral("ui/color_scheme"), name);
}

} // namespace UiSettings
