#include "configloader.h"

#include <QtTest>

// The top-level `kiosk:` key: every value, the defaults, and each mistake reported at its place
// with what was expected (table-driven).
namespace {
const QString kFile = QStringLiteral("/etc/opsdeck/kiosk.yaml");
const QByteArray kServices = "services:\n  - name: api\n    checks:\n      - name: health\n        url: http://127.0.0.1:9/\n";

QString allErrors(const ConfigLoader::Result &r)
{
    QStringList out;
    for (const ConfigIssue &i : r.issues)
        if (i.severity == ConfigIssue::Severity::Error)
            out << i.toString();
    return out.isEmpty() ? QStringLiteral("(no error)") : out.join(u'\n');
}
} // namespace

class TestConfigLoaderKiosk : public QObject
{
    Q_OBJECT

private slots:
    void defaults()
    {
        const ConfigLoader::Result r = ConfigLoader::loadText(kServices, kFile);
        QVERIFY2(r.ok(), qPrintable(allErrors(r)));
        const KioskSettings &k = r.config->kiosk;
        QVERIFY(!k.enabled);
        QVERIFY(k.screenName.isEmpty());
        QCOMPARE(k.screenIndex, -1);
        QCOMPARE(k.dwellMs, 15'000);
        QCOMPARE(k.pages, (QList<KioskSettings::Page>{KioskSettings::Page::Overview, KioskSettings::Page::Budgets,
                                                      KioskSettings::Page::Incidents, KioskSettings::Page::Failing}));
        QCOMPARE(k.unlockForMs, 5 * 60'000);
        QVERIFY(k.burnInShift);
    }

    void values()
    {
        const QByteArray yaml = kServices
            + "kiosk:\n  enabled: true\n  screen: HDMI-1\n  dwell: 20s\n  pages: [incidents, overview]\n"
              "  unlock_for: 2m\n  burn_in_shift: false\n";
        const ConfigLoader::Result r = ConfigLoader::loadText(yaml, kFile);
        QVERIFY2(r.ok(), qPrintable(allErrors(r)));
        const KioskSettings &k = r.config->kiosk;
        QVERIFY(k.enabled);
        QCOMPARE(k.screenName, u"HDMI-1"_qs);
        QCOMPARE(k.screenIndex, -1);
        QCOMPARE(k.dwellMs, 20'000);
        QCOMPARE(k.pages, (QList<KioskSettings::Page>{KioskSettings::Page::Incidents, KioskSettings::Page::Overview}));
        QCOMPARE(k.unlockForMs, 120'000);
        QVERIFY(!k.burnInShift);
        QCOMPARE(k.where.line, 7); // the line after `kiosk:`, where its mapping starts
    }

    void screenByIndex()
    {
        const ConfigLoader::Result r = ConfigLoader::loadText(kServices + "kiosk: { screen: 1 }\n", kFile);
        QVERIFY2(r.ok(), qPrintable(allErrors(r)));
        QCOMPARE(r.config->kiosk.screenIndex, 1);
        QVERIFY(r.config->kiosk.screenName.isEmpty());
    }

    void pageNames()
    {
        for (auto p : {KioskSettings::Page::Overview, KioskSettings::Page::Budgets, KioskSettings::Page::Incidents,
                       KioskSettings::Page::Failing})
            QCOMPARE(kioskPageFromName(kioskPageName(p)), p);
        QVERIFY(!kioskPageFromName(u"Overview"));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("kiosk");
        QTest::addColumn<QString>("expected"); // the whole first error

        QTest::newRow("not a mapping") << QByteArray("kiosk: yes\n")
            << "/etc/opsdeck/kiosk.yaml:6:8: error: kiosk: expected a mapping such as `{enabled: true, screen: HDMI-1, dwell: 15s}`, got `yes`";
        QTest::newRow("unknown key") << QByteArray("kiosk:\n  dwel: 15s\n")
            << "/etc/opsdeck/kiosk.yaml:7:3: error: kiosk.dwel: unknown key `dwel`; did you mean `dwell`?";
        QTest::newRow("enabled not a boolean") << QByteArray("kiosk: { enabled: maybe }\n")
            << "/etc/opsdeck/kiosk.yaml:6:19: error: kiosk.enabled: expected true or false, got `maybe`";
        QTest::newRow("negative screen") << QByteArray("kiosk: { screen: -1 }\n")
            << "/etc/opsdeck/kiosk.yaml:6:18: error: kiosk.screen: -1 is out of range: expected 0 to 63";
        QTest::newRow("empty screen name") << QByteArray("kiosk: { screen: \"\" }\n")
            << "/etc/opsdeck/kiosk.yaml:6:18: error: kiosk.screen: must not be empty";
        QTest::newRow("bad dwell") << QByteArray("kiosk: { dwell: soon }\n")
            << "/etc/opsdeck/kiosk.yaml:6:17: error: kiosk.dwell: bad duration `soon`: expected a number followed by ms, s, m, h or d (e.g. 500ms, 10s, 5m, 1h, 2d)";
        QTest::newRow("dwell too short") << QByteArray("kiosk: { dwell: 1s }\n")
            << "/etc/opsdeck/kiosk.yaml:6:17: error: kiosk.dwell: `1s` is too short: at least 3s";
        QTest::newRow("dwell too long") << QByteArray("kiosk: { dwell: 2h }\n")
            << "/etc/opsdeck/kiosk.yaml:6:17: error: kiosk.dwell: `2h` is too long: at most 1h";
        QTest::newRow("pages not a list") << QByteArray("kiosk: { pages: overview }\n")
            << "/etc/opsdeck/kiosk.yaml:6:17: error: kiosk.pages: expected a list such as [overview, budgets, incidents, failing], got `overview`";
        QTest::newRow("unknown page") << QByteArray("kiosk: { pages: [overview, logs] }\n")
            << "/etc/opsdeck/kiosk.yaml:6:28: error: kiosk.pages[1]: unknown page `logs`: expected overview, budgets, incidents or failing";
        QTest::newRow("page twice") << QByteArray("kiosk: { pages: [failing, failing] }\n")
            << "/etc/opsdeck/kiosk.yaml:6:27: error: kiosk.pages[1]: page `failing` is listed twice";
        QTest::newRow("no pages") << QByteArray("kiosk: { pages: [] }\n")
            << "/etc/opsdeck/kiosk.yaml:6:17: error: kiosk.pages: must name at least one page: overview, budgets, incidents, failing";
        QTest::newRow("unlock too short") << QByteArray("kiosk: { unlock_for: 5s }\n")
            << "/etc/opsdeck/kiosk.yaml:6:22: error: kiosk.unlock_for: `5s` is too short: at least 10s";
        QTest::newRow("unlock too long") << QByteArray("kiosk: { unlock_for: 1d }\n")
            << "/etc/opsdeck/kiosk.yaml:6:22: error: kiosk.unlock_for: `1d` is too long: at most 1h";
        QTest::newRow("burn-in not a boolean") << QByteArray("kiosk: { burn_in_shift: [] }\n")
            << "/etc/opsdeck/kiosk.yaml:6:25: error: kiosk.burn_in_shift: expected true or false, got a list";
    }

    void errors()
    {
        QFETCH(QByteArray, kiosk);
        QFETCH(QString, expected);
        const ConfigLoader::Result r = ConfigLoader::loadText(kServices + kiosk, kFile);
        QVERIFY(!r.ok());
        QCOMPARE(allErrors(r).section(u'\n', 0, 0), expected);
    }
};

QTEST_GUILESS_MAIN(TestConfigLoaderKiosk)
#include "tst_configloader_kiosk.moc"
