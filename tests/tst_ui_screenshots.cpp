// Screenshots of every main view, under Xvfb (CTest runs this suite through xvfb-run on the xcb
// platform): the console over the bundled demo config (resources/configs/demo.yaml, pointed at a
// demo fleet on ephemeral ports) with a day of history, a failover pair, a backup, an incident and
// a followed log, at 1920×1080 and 1280×800. PNGs go to <build>/screenshots/ (or
// $OPSDECK_SCREENSHOT_DIR) for a person to look at; the suite fails when a view cannot fit the
// smaller size, when a picture is (nearly) empty, or when a label's text is cut off.
#include "actionrunner.h"
#include "backupsview.h"
#include "coresession.h"
#include "dashboardview.h"
#include "historystore.h"
#include "incidentmanager.h"
#include "fleetsummary.h"
#include "incidentsview.h"
#include "kioskpage.h"
#include "kioskwindow.h"
#include "localization.h"
#include "logsview.h"
#include "mainwindow.h"
#include "simprocess.h"
#include "watcher.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QScreen>
#include <QSet>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

class TestUiScreenshots : public QObject
{
    Q_OBJECT

private:
    // The demo config, pointed at this test's fleet and temp dir, plus what the demo leaves out: a
    // failover pair and a backup of a SQLite file.
    QString sceneConfig(QString *error)
    {
        QFile demo(QStringLiteral(OPSDECK_SOURCE_DIR "/resources/configs/demo.yaml"));
        if (!demo.open(QIODevice::ReadOnly)) {
            *error = demo.errorString();
            return {};
        }
        QString yaml = QString::fromUtf8(demo.readAll());
        const QString certDir = QFileInfo(m_sim.certificatePath()).absolutePath();
        const QString logDir = QFileInfo(m_sim.auditLogPath()).absolutePath();
        const struct { QString from, to; } edits[] = {
            {QStringLiteral("store: sqlite "), QStringLiteral("store: sqlite:%1 ").arg(m_dir.filePath(QStringLiteral("history.sqlite")))},
            {QStringLiteral("127.0.0.1:18080"), QStringLiteral("127.0.0.1:%1").arg(m_sim.port(QStringLiteral("echopilot")))},
            {QStringLiteral("127.0.0.1:18081"), QStringLiteral("127.0.0.1:%1").arg(m_sim.port(QStringLiteral("fallback")))},
            {QStringLiteral("localhost:13100"), QStringLiteral("localhost:%1").arg(m_sim.port(QStringLiteral("gateway")))},
            {QStringLiteral("127.0.0.1:13000"), QStringLiteral("127.0.0.1:%1").arg(m_sim.port(QStringLiteral("aifsm")))},
            {QStringLiteral("~/.local/share/opsdeck/demo/logs"), logDir},
            {QStringLiteral("~/.local/share/opsdeck/demo"), certDir},
            // No keychain here: the sim's key in place of the secret.
            {QStringLiteral("${secret:echopilot-dash-key}"), m_sim.dashKey()},
            {QStringLiteral("../runbooks/"), QStringLiteral(OPSDECK_SOURCE_DIR "/resources/runbooks/")},
        };
        for (const auto &edit : edits) {
            if (!yaml.contains(edit.from)) {
                *error = QStringLiteral("demo.yaml no longer contains `%1`").arg(edit.from);
                return {};
            }
            yaml.replace(edit.from, edit.to);
        }
        const QString marker = QStringLiteral("    runbooks: [" OPSDECK_SOURCE_DIR "/resources/runbooks/demo/echopilot.md]\n");
        if (!yaml.contains(marker)) {
            *error = QStringLiteral("demo.yaml: echopilot's runbooks line moved");
            return {};
        }
        const QString dataDir = m_dir.filePath(QStringLiteral("app"));
        QDir().mkpath(dataDir);
        QFile app(dataDir + QStringLiteral("/app.sqlite"));
        if (!app.open(QIODevice::WriteOnly)) {
            *error = app.errorString();
            return {};
        }
        app.close();
        yaml.replace(marker, QStringLiteral(
            "      - name: backup-db\n"
            "        description: Online backup of the app database\n"
            "        builtin: sqlite-backup\n"
            "        source: %1/app.sqlite\n"
            "        to: %1/backups\n"
            "      - name: enable-failover\n"
            "        description: Point the webhook at the fallback\n"
            "        command: [sh, -c, 'echo webhook now points at the fallback']\n"
            "      - name: disable-failover\n"
            "        description: Point the webhook back at the primary\n"
            "        command: [sh, -c, 'echo webhook back on the primary']\n"
            "    failover: { primary: health, fallback: fallback-health, mode: manual, actions: [enable-failover],\n"
            "                failback_actions: [disable-failover], state_file: %1/failover.json }\n").arg(dataDir) + marker);
        const QString path = m_dir.filePath(QStringLiteral("console.yaml"));
        QFile out(path);
        if (!out.open(QIODevice::WriteOnly)) {
            *error = out.errorString();
            return {};
        }
        out.write(yaml.toUtf8());
        return path;
    }

    // A day of history before now, so that charts and budgets have something to show: every
    // check every 5 minutes, with a slow hour and a few failures.
    void writeHistory(CoreSession &session)
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        quint32 seed = 7;
        auto next = [&seed] { seed = seed * 1664525u + 1013904223u; return seed >> 8; };
        for (const ServiceConfig &service : session.config().services) {
            for (const CheckConfig &check : service.checks) {
                for (qint64 t = now - 24 * 3'600'000LL; t < now - 60'000; t += 60'000) {
                    CheckResult r;
                    r.service = service.name;
                    r.check = check.name;
                    r.atMs = t;
                    const qint64 age = now - t;
                    const bool slowHour = age > 5 * 3'600'000LL && age < 6 * 3'600'000LL;
                    r.latencyMs = 40 + (next() % 120) + (slowHour ? 380 : 0);
                    // One failure per check in the slow hour: some of a 99.9 % budget, not all of it.
                    const bool bad = age > 5 * 3'600'000LL + 1'800'000 && age <= 5 * 3'600'000LL + 1'860'000;
                    r.outcome = bad ? Health::Down : Health::Ok;
                    if (bad) {
                        r.httpStatus = 503;
                        r.failedCondition = QStringLiteral("[STATUS] == 200");
                        r.actualValue = QStringLiteral("503");
                    }
                    session.history()->record(r);
                }
            }
        }
        session.history()->flush();
    }

    // Nearly empty pictures are bugs: a view that shows nothing shows few colours.
    static int distinctColours(const QImage &image)
    {
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                colours.insert(image.pixel(x, y));
        return int(colours.size());
    }

    // A label whose text does not fit is cut off.
    void checkLabels(QWidget *root, const QString &name)
    {
        for (QLabel *label : root->findChildren<QLabel *>()) {
            if (!label->isVisible() || label->wordWrap() || label->text().isEmpty() || label->pixmap().isNull() == false)
                continue;
            if (label->textFormat() == Qt::RichText || Qt::mightBeRichText(label->text()))
                continue;
            if (label->text().endsWith(QChar(0x2026))) // elided on purpose; the whole text is its tooltip
                continue;
            // What is drawn: the first line, without the mnemonic's & (&& draws one &).
            QString shown = label->text().section(u'\n', 0, 0);
            shown.replace(QStringLiteral("&&"), QStringLiteral("\x01")).remove(u'&').replace(QStringLiteral("\x01"), QStringLiteral("&"));
            const int need = label->fontMetrics().horizontalAdvance(shown) + 2 * label->margin() + qMax(0, label->indent());
            if (label->width() + 2 < need)
                m_clipped << QStringLiteral("%1: label `%2` is %3 px wide, needs %4").arg(name, label->text()).arg(label->width()).arg(need);
        }
    }

    QString savePage(MainWindow &window, MainWindow::Page page, const QSize &size)
    {
        window.resize(size);
        window.showPage(page);
        QTest::qWait(400); // let layouts settle and charts draw
        const QImage image = window.grab().toImage();
        const QString name = QStringLiteral("%1-%2x%3.png")
                                 .arg(QString::fromLatin1(QMetaEnum::fromType<MainWindow::Page>().valueToKey(page)).toLower().remove(QStringLiteral("page")))
                                 .arg(size.width())
                                 .arg(size.height());
        const QString path = QDir(m_outDir).filePath(name);
        if (!image.save(path))
            return {};
        const int colours = distinctColours(image);
        if (colours < 40)
            qWarning("%s: only %d colours", qPrintable(name), colours);
        m_colours.insert(name, colours);
        checkLabels(window.page(page), name);
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QGuiApplication::platformName() == u"xcb",
                 "run under Xvfb: CTest does (xvfb-run); by hand: xvfb-run -a -s '-screen 0 1920x1080x24' tests/tst_ui_screenshots");
        m_outDir = qEnvironmentVariable("OPSDECK_SCREENSHOT_DIR", QStringLiteral(OPSDECK_BINARY_DIR "/screenshots"));
        QVERIFY(QDir().mkpath(m_outDir));
        QVERIFY2(m_sim.start(), qPrintable(m_sim.errorString()));
    }

    void everyMainView()
    {
        Localization::install(QStringLiteral("en")); // as the program does: "3 services"
        QString error;
        const QString config = sceneConfig(&error);
        QVERIFY2(!config.isEmpty(), qPrintable(error));
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("xdg")).toUtf8());
        CoreSession session;
        if (!session.loadConfig(config)) {
            QStringList lines;
            for (const ConfigIssue &issue : session.issues())
                lines << issue.toString();
            QFAIL(qPrintable(lines.join(u'\n')));
        }
        QVERIFY2(session.openHistory(&error), qPrintable(error));
        writeHistory(session);
        // A fault the views show: EchoPilot's database dependency fails, the gateway is slow.
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, path: /health, kind: degraded, dependency: database}\n"
                                "  - {system: gateway, path: /api/health, kind: slow, delay: 600ms}\n"));
        MainWindow window(&session);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        session.start();
        session.watcher()->runOnce();
        // The incident engine opens EchoPilot's incident once the failures are confirmed.
        QTRY_VERIFY_WITH_TIMEOUT(session.incidents()->openIncidentFor(QStringLiteral("echopilot")).has_value(), 20000);
        const qint64 incident = session.incidents()->openIncidentFor(QStringLiteral("echopilot"))->id;
        QVERIFY(session.incidents()->addNote(incident, QStringLiteral("operator"), QStringLiteral("Database connections exhausted; restarting the pool."), &error));
        // A backup, so the Backups view has one.
        ActionRunner::Request backup;
        backup.service = QStringLiteral("echopilot");
        backup.action = QStringLiteral("backup-db");
        backup.actor = QStringLiteral("operator");
        const qint64 run = session.actions()->run(backup, &error);
        QVERIFY2(run > 0, qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(session.actions()->get(run)->finishedAtMs > 0, 15000);
        QCOMPARE(session.actions()->get(run)->status, QStringLiteral("succeeded"));

        window.showIncident(incident);
        window.showService(QStringLiteral("echopilot"));
        window.showRunbooks(QStringLiteral("echopilot"));
        window.logsView()->followFile(m_sim.auditLogPath());
        QTest::qWait(2500); // a few more live results, and the log's next lines

        // Nothing may force the window beyond the smaller screen.
        const QSize minimum = window.minimumSizeHint();
        QStringList wide;
        for (int page = 0; page < MainWindow::PageCount; ++page) {
            const QSize need = window.page(MainWindow::Page(page))->minimumSizeHint();
            wide << QStringLiteral("%1: %2×%3").arg(QString::fromLatin1(QMetaEnum::fromType<MainWindow::Page>().valueToKey(page)))
                        .arg(need.width()).arg(need.height());
        }
        wide << QStringLiteral("status bar: %1").arg(window.statusBar()->minimumSizeHint().width());
        QVERIFY2(minimum.width() <= 1280 && minimum.height() <= 800,
                 qPrintable(QStringLiteral("the window needs at least %1×%2 (%3)").arg(minimum.width()).arg(minimum.height()).arg(wide.join(u", "))));
        for (const QSize size : {QSize(1920, 1080), QSize(1280, 800)}) {
            for (int page = 0; page < MainWindow::PageCount; ++page) {
                const QString path = savePage(window, MainWindow::Page(page), size);
                QVERIFY2(!path.isEmpty(), "could not save a screenshot");
            }
        }
        window.hide();

        // The wall display, every page of its rotation, at the Pi's 7" panel and at full HD.
        FleetSummary summary(&session);
        KioskWindow kiosk(&session, &summary, KioskOptions::fromConfig(session.config()));
        for (const QSize size : {QSize(800, 480), QSize(1920, 1080)}) {
            kiosk.resize(size);
            kiosk.show();
            QVERIFY(QTest::qWaitForWindowExposed(&kiosk));
            QSet<QString> seen;
            for (int step = 0; step < 24; ++step) {
                QTest::qWait(300);
                const QString screen = kiosk.currentPage()->objectName() + QStringLiteral("-") + QString::number(kiosk.currentSubPage());
                if (seen.contains(screen))
                    break;
                seen.insert(screen);
                const QString name = QStringLiteral("kiosk-%1-%2x%3.png").arg(screen).arg(size.width()).arg(size.height());
                const QImage image = kiosk.grab().toImage();
                QVERIFY(image.save(QDir(m_outDir).filePath(name)));
                m_colours.insert(name, distinctColours(image));
                checkLabels(&kiosk, name);
                kiosk.next();
            }
            QVERIFY2(seen.size() >= 3, qPrintable(QStringList(seen.cbegin(), seen.cend()).join(u", ")));
        }
        kiosk.hide();
        session.stop();
        qInfo("screenshots in %s", qPrintable(m_outDir));
        for (auto it = m_colours.cbegin(); it != m_colours.cend(); ++it)
            QVERIFY2(it.value() >= 40, qPrintable(QStringLiteral("%1 looks empty (%2 colours)").arg(it.key()).arg(it.value())));
        QVERIFY2(m_clipped.isEmpty(), qPrintable(m_clipped.join(u'\n')));
    }

private:
    QTemporaryDir m_dir;
    SimProcess m_sim;
    QString m_outDir;
    QHash<QString, int> m_colours;
    QStringList m_clipped;
};

QTEST_MAIN(TestUiScreenshots)
#include "tst_ui_screenshots.moc"
