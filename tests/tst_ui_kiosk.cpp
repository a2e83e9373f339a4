// The kiosk offscreen over real CoreSessions (command checks that read a file the test writes, a
// SQLite store in a temporary dir): page rotation through every sub-page, the stale banner when the
// checks stop or the store refuses writes (and gone when the truth is back), blind never green,
// read-only without a PIN, the burn-in shift and the type sizes. The PIN itself needs a keychain:
// tst_keyring_ui_kiosk. With OPSDECK_KIOSK_SHOTS=DIR every page is saved there at 800x480 and
// 1920x1080.
#include "coresession.h"
#include "fleetsummary.h"
#include "healthstyle.h"
#include "incidentmanager.h"
#include "kioskbudgetspage.h"
#include "kioskfailingpage.h"
#include "kioskfreshness.h"
#include "kioskincidentspage.h"
#include "kioskoverviewpage.h"
#include "kioskpinlock.h"
#include "kioskpinpad.h"
#include "kioskwindow.h"
#include "watcher.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QMenuBar>
#include <QPushButton>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>
#include <QtTest/qtestspontaneevent.h>
#include <memory>

namespace {

struct Rig
{
    QTemporaryDir dir;
    std::unique_ptr<CoreSession> session;
    std::unique_ptr<FleetSummary> summary;

    QString path(const QString &name) const { return dir.filePath(name); }
    void setState(const QString &service, const QByteArray &state) const
    {
        QFile f(path(service + QStringLiteral(".state")));
        if (f.open(QIODevice::WriteOnly))
            f.write(state);
    }

    // `services` command checks that print their state file; `intervalMs` apart.
    bool start(int services, int intervalMs, const QByteArray &extra = {}, bool run = true)
    {
        QByteArray yaml = "store: sqlite:" + path(QStringLiteral("history.sqlite")).toUtf8() + "\nservices:\n";
        for (int i = 0; i < services; ++i) {
            const QString name = QStringLiteral("svc%1").arg(i, 2, 10, QLatin1Char('0'));
            setState(name, "ok");
            yaml += "  - name: " + name.toUtf8() + "\n    slo: { availability: 99 }\n"
                    "    actions:\n      - { name: restart, command: [sh, -c, \"echo restarted\"] }\n"
                    "    checks:\n      - name: state\n        type: command\n"
                    "        command: [cat, \"" + path(name + QStringLiteral(".state")).toUtf8() + "\"]\n"
                    "        interval: " + QByteArray::number(intervalMs) + "ms\n"
                    "        failure_threshold: 1\n"
                    "        conditions: [\"[OUTPUT] == ok\"]\n";
        }
        yaml += extra;
        QFile f(path(QStringLiteral("opsdeck.yaml")));
        if (!f.open(QIODevice::WriteOnly))
            return false;
        f.write(yaml);
        f.close();
        session = std::make_unique<CoreSession>();
        QString error;
        if (!session->loadConfig(f.fileName()) || !session->openHistory(&error)) {
            qWarning() << error;
            return false;
        }
        summary = std::make_unique<FleetSummary>(session.get());
        if (run)
            session->start();
        return true;
    }
    ~Rig()
    {
        if (session)
            session->stop();
    }
};

KioskOptions fastOptions(qint64 dwellMs = 60'000)
{
    KioskOptions o;
    o.dwellMs = dwellMs;
    o.burnInShift = false;
    return o;
}

QLabel *label(QWidget *w, const char *name)
{
    return w->findChild<QLabel *>(QLatin1String(name));
}

} // namespace

class TestUiKiosk : public QObject
{
    Q_OBJECT

private slots:
    void wantedByFlagOrConfig()
    {
        Config config;
        QVERIFY(!KioskWindow::wanted(config, false));
        QVERIFY(KioskWindow::wanted(config, true));
        config.kiosk.enabled = true;
        QVERIFY(KioskWindow::wanted(config, false));
        config.kiosk.dwellMs = 20'000;
        config.kiosk.unlockForMs = 60'000;
        config.kiosk.pages = {KioskSettings::Page::Incidents};
        config.kiosk.screenName = QStringLiteral("HDMI-1");
        const KioskOptions o = KioskOptions::fromConfig(config);
        QCOMPARE(o.dwellMs, 20'000);
        QCOMPARE(o.unlockForMs, 60'000);
        QCOMPARE(o.pages, QList<KioskSettings::Page>{KioskSettings::Page::Incidents});
        QCOMPARE(o.screenName, u"HDMI-1"_qs);
        // No screen of that name offscreen: the primary one.
        QCOMPARE(KioskWindow::screenFor(o), QGuiApplication::primaryScreen());
    }

    void typeSizedFromTheScreen()
    {
        QCOMPARE(KioskTypography(480).base(), 22);
        QCOMPARE(KioskTypography(1080).base(), 49);
        QCOMPARE(KioskTypography(200).base(), 14);
    }

    void frameslessWithoutCursor()
    {
        Rig rig;
        QVERIFY(rig.start(1, 60'000, {}, false));
        KioskWindow w(rig.session.get(), rig.summary.get(), fastOptions());
        QVERIFY(w.windowFlags() & Qt::FramelessWindowHint);
        QCOMPARE(w.cursor().shape(), Qt::BlankCursor);
        QVERIFY(w.findChildren<QMenuBar *>().isEmpty());
    }

    void rotatesThroughEveryPageAndSubPage()
    {
        Rig rig;
        QVERIFY(rig.start(20, 3'600'000));
        KioskOptions o = fastOptions(250);
        o.pages = {KioskSettings::Page::Overview, KioskSettings::Page::Budgets, KioskSettings::Page::Incidents,
                   KioskSettings::Page::Failing};
        KioskWindow w(rig.session.get(), rig.summary.get(), o);
        w.resize(800, 480);
        w.show();
        auto *overview = w.findChild<KioskOverviewPage *>();
        QVERIFY(overview);
        QTRY_VERIFY(overview->subPageCount() > 1); // 20 big tiles do not fit 800x480 at once
        const int overviewScreens = overview->subPageCount();
        // Every screen once per round; nothing is failing, so the failing page has no screen.
        QSet<QString> seen;
        QElapsedTimer timer;
        timer.start();
        const int expected = overviewScreens + w.findChild<KioskBudgetsPage *>()->subPageCount() + 1;
        while (seen.size() < expected && timer.elapsed() < 15'000) {
            QTest::qWait(20);
            seen.insert(w.currentPage()->objectName() + u'/' + QString::number(w.currentSubPage()));
        }
        QCOMPARE(seen.size(), expected);
        QVERIFY(!seen.contains(u"kioskFailing/0"_qs));
        QVERIFY(seen.contains(u"kioskOverview/%1"_qs.arg(overviewScreens - 1)));
        // A dwell is a dwell: not shorter than configured.
        QTRY_COMPARE(w.currentPage()->objectName(), u"kioskIncidents"_qs);
        timer.restart();
        QTRY_VERIFY(w.currentPage()->objectName() != u"kioskIncidents"_qs);
        QVERIFY2(timer.elapsed() >= 200, qPrintable(QString::number(timer.elapsed())));

        // A failing service gets its own screen, with the failed condition and its value.
        rig.setState(QStringLiteral("svc07"), "fail");
        rig.session->watcher()->runOnce();
        auto *failing = w.findChild<KioskFailingPage *>();
        QTRY_COMPARE(failing->subPageCount(), 1);
        QTRY_COMPARE(w.currentPage(), failing);
        QCOMPARE(failing->service(), u"svc07"_qs);
        bool found = false;
        for (QLabel *l : failing->findChildren<QLabel *>(u"failingCheck"_qs))
            found = found || (l->isVisible() && l->text().contains(u"[OUTPUT] == ok"_qs) && l->text().contains(u"fail"_qs));
        QVERIFY(found);
        // Worst first on the overview.
        QTRY_COMPARE(overview->visibleTiles().value(0).name, u"svc07"_qs);
    }

    void navigationKeys()
    {
        Rig rig;
        QVERIFY(rig.start(1, 3'600'000));
        KioskWindow w(rig.session.get(), rig.summary.get(), fastOptions());
        w.resize(1280, 720);
        w.show();
        QCOMPARE(w.currentPage()->objectName(), u"kioskOverview"_qs);
        QTest::keyClick(&w, Qt::Key_Right);
        QCOMPARE(w.currentPage()->objectName(), u"kioskBudgets"_qs);
        QTest::keyClick(&w, Qt::Key_Left);
        QCOMPARE(w.currentPage()->objectName(), u"kioskOverview"_qs);
        QTest::keyClick(&w, Qt::Key_Left); // wraps around (failing has no screen)
        QCOMPARE(w.currentPage()->objectName(), u"kioskIncidents"_qs);
        // The page buttons are for an unlocked kiosk only.
        QVERIFY(!w.findChild<QPushButton *>(u"nextButton"_qs)->isVisible());
    }

    void staleBannerWhenChecksStopAndGoneWhenResultsCome()
    {
        const int interval = 400;
        Rig rig;
        QVERIFY(rig.start(2, interval));
        KioskWindow w(rig.session.get(), rig.summary.get(), fastOptions());
        w.resize(800, 480);
        w.show();
        QLabel *banner = label(&w, "staleBanner");
        QVERIFY(banner);
        QTRY_VERIFY(w.freshness()->lastResultMs() > 0);
        QVERIFY(!banner->isVisible());
        QCOMPARE(w.freshness()->stallAfterMs(), 2 * interval);
        QVERIFY(w.freshness()->tickMs() <= interval);
        QTRY_VERIFY(label(&w, "updated")->text().contains(u"updated"_qs));

        rig.session->watcher()->stop();
        const qint64 last = rig.session->watcher()->lastResultMs();
        QElapsedTimer timer;
        timer.start();
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 5'000);
        // Two intervals without a result, noticed by a timer of at most one interval (and a little
        // slack for a busy machine).
        const qint64 late = QDateTime::currentMSecsSinceEpoch() - last;
        QVERIFY2(late <= 3 * interval + 250, qPrintable(QString::number(late)));
        QVERIFY2(late > 2 * interval, qPrintable(QString::number(late)));
        QVERIFY(banner->text().contains(u"not running"_qs));
        // Grey, not green, while stale.
        auto *overview = w.findChild<KioskOverviewPage *>();
        for (const KioskOverviewPage::Tile &t : overview->visibleTiles()) {
            QCOMPARE(t.health, Health::Unknown);
            QVERIFY(t.seen == Health::Ok || t.seen == Health::Stale); // core marks overdue checks stale too
        }
        const QString dir = qEnvironmentVariable("OPSDECK_KIOSK_SHOTS");
        if (!dir.isEmpty())
            QVERIFY(w.grab().save(dir + QStringLiteral("/kiosk-800x480-stale.png")));
        QCOMPARE(w.findChild<KioskBudgetsPage *>()->visibleRows().size(), 2);

        rig.session->watcher()->start();
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 5'000);
        QTRY_COMPARE(overview->visibleTiles().value(0).health, Health::Ok);
    }

    void staleBannerWhileTheStoreRefusesWrites()
    {
        Rig rig;
        QVERIFY(rig.start(2, 200));
        KioskWindow w(rig.session.get(), rig.summary.get(), fastOptions());
        w.resize(800, 480);
        w.show();
        QLabel *banner = label(&w, "staleBanner");
        QTRY_VERIFY(w.freshness()->lastResultMs() > 0);
        QVERIFY(!banner->isVisible());
        // Another connection holds the database's write lock: the writer's batches fail (after
        // SQLite's busy timeout) while results keep coming.
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
            db.setDatabaseName(rig.path(QStringLiteral("history.sqlite")));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("BEGIN EXCLUSIVE")));
            QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 15'000);
            QVERIFY2(banner->text().contains(u"history store"_qs), qPrintable(banner->text()));
            QVERIFY(q.exec(QStringLiteral("ROLLBACK")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), 15'000);
    }

    void blindIsNeverGreen()
    {
        Rig rig;
        // Nothing listens on port 9: the connectivity probe fails, so OpsDeck cannot see.
        QVERIFY(rig.start(3, 200, "connectivity: { url: \"http://127.0.0.1:9/\", interval: 200ms, timeout: 1s }\n"));
        KioskWindow w(rig.session.get(), rig.summary.get(), fastOptions());
        w.resize(800, 480);
        w.show();
        QTRY_VERIFY_WITH_TIMEOUT(rig.session->watcher()->isBlind(), 10'000);
        QTRY_VERIFY(label(&w, "staleBanner")->isVisible());
        QVERIFY(label(&w, "staleBanner")->text().contains(u"cannot see"_qs));
        QCOMPARE(rig.summary->worst(), Health::Unknown);
        auto *overview = w.findChild<KioskOverviewPage *>();
        QCOMPARE(overview->visibleTiles().size(), 3);
        for (const KioskOverviewPage::Tile &t : overview->visibleTiles())
            QVERIFY(t.health != Health::Ok);
        QVERIFY(label(&w, "summary")->text().startsWith(HealthStyle::label(Health::Unknown)));
    }

    void readOnlyWithoutAPin()
    {
        // No keychain here: the PIN cannot be read, so nothing unlocks and the kiosk says why.
        Rig rig;
        QVERIFY(rig.start(1, 3'600'000));
        rig.setState(QStringLiteral("svc00"), "fail");
        rig.session->watcher()->runOnce();
        QString error;
        const auto incident = rig.session->incidents()->openByHand(QStringLiteral("svc00"), QStringLiteral("Broken"),
                                                                   QStringLiteral("P1"), QStringLiteral("tester"), &error);
        QVERIFY2(incident, qPrintable(error));
        KioskWindow w(rig.session.get(), rig.summary.get(), fastOptions());
        w.resize(800, 480);
        w.show();
        QTRY_VERIFY(w.pinLock()->pinState() != KioskPinLock::PinState::Checking);
        QVERIFY(label(&w, "lockNote")->text().contains(u"Read-only"_qs));
        QVERIFY(!w.findChild<QPushButton *>(u"unlockButton"_qs)->isVisible());
        QVERIFY(!w.findChild<QPushButton *>(u"exitButton"_qs)->isVisible());
        QTest::keyClick(&w, Qt::Key_4);
        QTest::keyClick(&w, Qt::Key_Escape);
        QVERIFY(!w.findChild<KioskPinPad *>()->isVisible());
        QVERIFY(label(&w, "lockNote")->text().contains(u"opsdeckctl kiosk set-pin"_qs));
        // A window manager's close needs the PIN.
        QCloseEvent byWindowManager; // as the window system delivers it
        QSpontaneKeyEvent::setSpontaneous(&byWindowManager);
        qApp->notify(&w, &byWindowManager); // not sendEvent(), which makes every event non-spontaneous
        QVERIFY(!byWindowManager.isAccepted());
        QVERIFY(w.isVisible());

        auto *incidents = w.findChild<KioskIncidentsPage *>();
        QTRY_VERIFY(incidents->visibleIds().contains(incident->id));
        for (QPushButton *b : incidents->findChildren<QPushButton *>(u"acknowledgeButton"_qs))
            QVERIFY(!b->isVisible());
        QVERIFY(!incidents->acknowledge(incident->id, &error));
        QVERIFY(error.contains(u"Locked"_qs));
        QCOMPARE(rig.session->incidents()->openIncidentFor(QStringLiteral("svc00"))->state, IncidentState::Open);
        auto *failing = w.findChild<KioskFailingPage *>();
        QTRY_COMPARE(failing->subPageCount(), 1);
        failing->setSubPage(0);
        QVERIFY(!failing->runAction(QStringLiteral("restart"), &error));
        QVERIFY(error.contains(u"Locked"_qs));
        QVERIFY(QApplication::activeModalWidget() == nullptr);
        // The program's own close (SIGTERM, the service stopped) is never refused.
        QVERIFY(w.close());
        QVERIFY(!w.isVisible());
    }

    void burnInShiftStaysWithinFourPixels()
    {
        Rig rig;
        QVERIFY(rig.start(1, 3'600'000, {}, false));
        KioskOptions o = fastOptions();
        o.burnInShift = true;
        o.burnInIntervalMs = 30;
        KioskWindow w(rig.session.get(), rig.summary.get(), o);
        w.resize(800, 480);
        w.show();
        QSet<QPair<int, int>> offsets;
        QElapsedTimer t;
        t.start();
        while (offsets.size() < 5 && t.elapsed() < 5'000) {
            QTest::qWait(10);
            const QPoint p = w.burnInOffset();
            QVERIFY(qAbs(p.x()) <= 4 && qAbs(p.y()) <= 4);
            offsets.insert(qMakePair(p.x(), p.y()));
        }
        QVERIFY(offsets.size() >= 5);
        // Whatever the offset, the content stays on the screen.
        auto *content = w.findChild<QLabel *>(u"clock"_qs)->parentWidget();
        QVERIFY(w.rect().contains(content->geometry()));
    }

    void screenshots_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("800x480") << QSize(800, 480);
        QTest::newRow("1920x1080") << QSize(1920, 1080);
    }

    void screenshots()
    {
        QFETCH(QSize, size);
        Rig rig;
        QVERIFY(rig.start(12, 3'600'000, {}, true));
        rig.setState(QStringLiteral("svc03"), "fail");
        rig.setState(QStringLiteral("svc08"), "slow");
        rig.session->watcher()->runOnce();
        QString error;
        QVERIFY(rig.session->incidents()->openByHand(QStringLiteral("svc03"), QStringLiteral("Payments API returns 503 for every request"),
                                                     QStringLiteral("P1"), QStringLiteral("tester"), &error));
        KioskWindow w(rig.session.get(), rig.summary.get(), fastOptions());
        w.resize(size);
        w.show();
        auto *failing = w.findChild<KioskFailingPage *>();
        QTRY_COMPARE(failing->subPageCount(), 2);
        const QString dir = qEnvironmentVariable("OPSDECK_KIOSK_SHOTS");
        int shots = 0;
        for (int i = 0; i < 6; ++i) {
            const QString name = w.currentPage()->objectName() + u'-' + QString::number(w.currentSubPage());
            QTest::qWait(50); // the layouts settle on posted events
            const QImage image = w.grab().toImage();
            QCOMPARE(image.size(), size);
            if (!dir.isEmpty()) {
                QDir().mkpath(dir);
                QVERIFY(image.save(dir + QStringLiteral("/kiosk-%1x%2-%3.png").arg(size.width()).arg(size.height()).arg(name)));
            }
            ++shots;
            w.next();
        }
        QCOMPARE(shots, 6);
        // The header's parts fit: nothing pushed out of the window.
        for (const char *name : {"clock", "updated", "summary"}) {
            QLabel *l = label(&w, name);
            const QRect r(l->mapTo(&w, QPoint(0, 0)), l->size());
            QVERIFY2(w.rect().contains(r), name);
        }
    }
};

QTEST_MAIN(TestUiKiosk)
#include "tst_ui_kiosk.moc"
