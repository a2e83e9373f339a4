// Light and dark: the console follows the system's preference unless Settings fixes one, and the
// choice is kept in the console's own settings file.
#include "colorscheme.h"
#include "uisettings.h"

#include <QApplication>
#include <QComboBox>
#include <QPalette>
#include <QTemporaryDir>
#include <QtTest>

class TestUiColorScheme : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        qputenv("OPSDECK_UI_SETTINGS", m_dir.filePath(QStringLiteral("ui.conf")).toUtf8());
        qunsetenv("GTK_THEME");
        qunsetenv("DBUS_SESSION_BUS_ADDRESS"); // no portal to ask here
    }

    void names()
    {
        QCOMPARE(ColorScheme::modeFromName(QStringLiteral("dark")), ColorScheme::Mode::Dark);
        QCOMPARE(ColorScheme::modeFromName(QStringLiteral("Light")), ColorScheme::Mode::Light);
        QCOMPARE(ColorScheme::modeFromName(QStringLiteral("system")), ColorScheme::Mode::System);
        QCOMPARE(ColorScheme::modeFromName(QStringLiteral("purple")), ColorScheme::Mode::System);
        for (auto mode : {ColorScheme::Mode::System, ColorScheme::Mode::Light, ColorScheme::Mode::Dark})
            QCOMPARE(ColorScheme::modeFromName(ColorScheme::modeName(mode)), mode);
    }

    void darkAndLight()
    {
        // The offscreen platform's palette is light: "system" is light.
        QVERIFY(!ColorScheme::systemPrefersDark());
        QVERIFY(!ColorScheme::apply(ColorScheme::Mode::System));
        QVERIFY(!ColorScheme::isDark());
        QVERIFY(ColorScheme::apply(ColorScheme::Mode::Dark));
        QVERIFY(ColorScheme::isDark());
        const QPalette dark = QApplication::palette();
        // Readable: text far lighter than its background.
        QVERIFY(dark.color(QPalette::Text).lightness() - dark.color(QPalette::Base).lightness() > 150);
        QVERIFY(dark.color(QPalette::WindowText).lightness() - dark.color(QPalette::Window).lightness() > 150);
        QVERIFY(!ColorScheme::apply(ColorScheme::Mode::Light));
        QVERIFY(!ColorScheme::isDark());
        QVERIFY(QApplication::palette().color(QPalette::Base).lightness() > 200);
    }

    void systemDarkThroughGtkTheme()
    {
        qputenv("GTK_THEME", "Adwaita:dark");
        QVERIFY(ColorScheme::systemPrefersDark());
        QVERIFY(ColorScheme::apply(ColorScheme::Mode::System));
        qunsetenv("GTK_THEME");
        QVERIFY(!ColorScheme::apply(ColorScheme::Mode::System));
    }

    void choiceIsKept()
    {
        QCOMPARE(UiSettings::colorScheme(), QStringLiteral("system"));
        UiSettings::setColorScheme(QStringLiteral("dark"));
        UiSettings::setLanguage(QStringLiteral("de"));
        QCOMPARE(UiSettings::colorScheme(), QStringLiteral("dark"));
        QCOMPARE(UiSettings::language(), QStringLiteral("de"));
        QFile file(m_dir.filePath(QStringLiteral("ui.conf")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.contains("color_scheme=dark"));
        QVERIFY(text.contains("language=de"));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestUiColorScheme)
#include "tst_ui_colorscheme.moc"
