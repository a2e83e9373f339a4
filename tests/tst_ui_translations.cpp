// The German translation is complete and is what `--lang de` loads: lupdate over the console's
// sources finds no string without a German text (a new tr() string fails this suite until it is
// translated), plural forms are both there, and Localization::install() puts it in force.
#include "healthstyle.h"
#include "localization.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTranslator>
#include <QtTest>

class TestUiTranslations : public QObject
{
    Q_OBJECT

private slots:
    void lupdateLeavesNothingUnfinished_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("atLeast");
        QTest::newRow("German") << QStringLiteral("opsdeck_de.ts") << QStringList() << 100;
        // English: only the plural forms (translations/update-english-plurals.sh).
        QTest::newRow("English plurals") << QStringLiteral("opsdeck_en.ts")
                                         << QStringList{QStringLiteral("-pluralonly"), QStringLiteral("-source-language"), QStringLiteral("en"),
                                                        QStringLiteral("-target-language"), QStringLiteral("en")}
                                         << 5;
    }

    void lupdateLeavesNothingUnfinished()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, options);
        QFETCH(int, atLeast);
        QTemporaryDir dir;
        const QString ts = dir.filePath(file);
        QVERIFY(QFile::copy(QStringLiteral(OPSDECK_SOURCE_DIR "/translations/") + file, ts));
        QFile::setPermissions(ts, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QProcess lupdate;
        lupdate.setWorkingDirectory(QStringLiteral(OPSDECK_SOURCE_DIR));
        lupdate.start(QStringLiteral(OPSDECK_LUPDATE), QStringList{QStringLiteral("ui"), QStringLiteral("app/opsdeck/main.cpp"), QStringLiteral("-ts"), ts,
                                                                   QStringLiteral("-no-obsolete"), QStringLiteral("-locations"), QStringLiteral("none")}
                                                           + options);
        QVERIFY(lupdate.waitForFinished(120'000));
        QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());
        QFile in(ts);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QString xml = QString::fromUtf8(in.readAll());
        const int messages = int(xml.count(QStringLiteral("<message")));
        QVERIFY2(messages >= atLeast, qPrintable(QStringLiteral("only %1 strings found").arg(messages)));
        // Name every untranslated source text, so the fix is obvious.
        QStringList missing;
        static const QRegularExpression unfinished(QStringLiteral("<source>(.*?)</source>\\s*(?:<comment>.*?</comment>\\s*)?<translation type=\"unfinished\""),
                                                   QRegularExpression::DotMatchesEverythingOption);
        for (auto it = unfinished.globalMatch(xml); it.hasNext();)
            missing << it.next().captured(1);
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("%1 of %2 strings of %3 are not translated (German: run the update_translations "
                                                               "target and translate them; English: translations/update-english-plurals.sh):\n%4")
                                                   .arg(missing.size()).arg(messages).arg(file, missing.join(u'\n'))));
        // Plurals: both languages have two forms.
        static const QRegularExpression numerus(QStringLiteral("<message numerus=\"yes\">.*?</message>"), QRegularExpression::DotMatchesEverythingOption);
        for (auto it = numerus.globalMatch(xml); it.hasNext();) {
            const QString message = it.next().captured(0);
            QVERIFY2(message.count(QStringLiteral("<numerusform>")) == 2, qPrintable(message));
        }
    }

    void englishPlurals()
    {
        QVERIFY(!Localization::install(QStringLiteral("en")));
        QCOMPARE(QCoreApplication::translate("FleetSummary", "%n unacknowledged incident(s)", nullptr, 1), QStringLiteral("1 unacknowledged incident"));
        QCOMPARE(QCoreApplication::translate("FleetSummary", "%n unacknowledged incident(s)", nullptr, 3), QStringLiteral("3 unacknowledged incidents"));
    }

    void languageIsInstalled()
    {
        QVERIFY(Localization::available().contains(QStringLiteral("de")));
        QVERIFY(Localization::install(QStringLiteral("de")));
        QCOMPARE(QLocale().language(), QLocale::German);
        // A string every view uses: the word for a state.
        QVERIFY(HealthStyle::label(Health::Down) != QStringLiteral("Down"));
        QVERIFY(!HealthStyle::label(Health::Down).isEmpty());
        QCOMPARE(QCoreApplication::translate("FleetSummary", "%n down", nullptr, 3).contains(u'3'), true);
    }
};

QTEST_MAIN(TestUiTranslations)
#include "tst_ui_translations.moc"
