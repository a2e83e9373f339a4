// The tray icon over real core objects: its picture and tooltip follow the worst state and the
// unacknowledged incidents, its menu acknowledges every open incident in the store and mutes the
// notifier for an hour, core's desktop notifications reach it and a click on one asks for that
// incident, and with a tray the main window hides instead of quitting.
#include "coresession.h"
#include "fleetsummary.h"
#include "healthstyle.h"
#include "incidentmanager.h"
#include "localization.h"
#include "mainwindow.h"
#include "notification.h"
#include "notifier.h"
#include "trayicon.h"
#include "watcher.h"

#include <QAction>
#include <QFile>
#include <QImage>
#include <QMenu>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTemporaryDir>
#include <QtTest>

class TestUiTray : public QObject
{
    Q_OBJECT

private:
    QString write(const QString &name, const QByteArray &yaml)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(yaml);
        return path;
    }

    // A session with two services whose results the test feeds in, and an open store.
    bool open(CoreSession &session, const QString &name)
    {
        const QByteArray yaml = "store: sqlite:" + m_dir.filePath(name + QStringLiteral(".sqlite")).toUtf8() + "\n"
                                "defaults: { failure_threshold: 1 }\n"
                                "services:\n"
                                "  - name: api\n    checks:\n      - name: health\n        url: http://127.0.0.1:9/\n"
                                "  - name: db\n    checks:\n      - name: ping\n        url: http://127.0.0.1:9/db\n";
        QString error;
        return session.loadConfig(write(name + QStringLiteral(".yaml"), yaml)) && session.openHistory(&error);
    }

    void feed(CoreSession &session, const QString &service, const QString &check, Health health)
    {
        CheckResult r;
        r.service = service;
        r.check = check;
        r.outcome = health;
        r.atMs = QDateTime::currentMSecsSinceEpoch();
        r.latencyMs = 12;
        if (health != Health::Ok) {
            r.httpStatus = 503;
            r.failedCondition = QStringLiteral("[STATUS] == 200");
            r.actualValue = QStringLiteral("503");
        }
        session.watcher()->ingest(r);
    }

    static QRgb centre(const QIcon &icon)
    {
        const QImage image = icon.pixmap(32, 32).toImage();
        return image.pixel(4, 28); // away from the badge in the top right corner
    }

private slots:
    // English plurals, as the program reads them ("2 unacknowledged incidents").
    void initTestCase() { Localization::install(QStringLiteral("en")); }

    void iconAndTooltipFollowTheFleet()
    {
        CoreSession session;
        QVERIFY(open(session, QStringLiteral("icon")));
        FleetSummary summary(&session);
        TrayIcon tray(&session, &summary);
        // Nothing known yet: never a reassuring green.
        QCOMPARE(summary.worst(), Health::Unknown);
        feed(session, QStringLiteral("api"), QStringLiteral("health"), Health::Ok);
        feed(session, QStringLiteral("db"), QStringLiteral("ping"), Health::Ok);
        QTRY_COMPARE(summary.worst(), Health::Ok);
        QCOMPARE(centre(tray.icon()), centre(TrayIcon::paintIcon(Health::Ok, 0)));
        QVERIFY(tray.toolTip().contains(u"2 ok"));

        feed(session, QStringLiteral("db"), QStringLiteral("ping"), Health::Down);
        QTRY_COMPARE(summary.worst(), Health::Down);
        QCOMPARE(centre(tray.icon()), centre(TrayIcon::paintIcon(Health::Down, 0)));
        QVERIFY2(tray.toolTip().contains(u"1 down, 1 ok"), qPrintable(tray.toolTip()));
        QVERIFY(tray.toolTip().startsWith(QStringLiteral("OpsDeck — ") + HealthStyle::label(Health::Down)));
        // The badge changes the picture.
        QVERIFY(TrayIcon::paintIcon(Health::Down, 2).pixmap(32, 32).toImage() != TrayIcon::paintIcon(Health::Down, 0).pixmap(32, 32).toImage());
    }

    void acknowledgeAllFromTheMenu()
    {
        CoreSession session;
        QVERIFY(open(session, QStringLiteral("ack")));
        FleetSummary summary(&session);
        TrayIcon tray(&session, &summary);
        QString error;
        const auto a = session.incidents()->openByHand(QStringLiteral("api"), QStringLiteral("API slow"), QStringLiteral("P2"), QStringLiteral("tester"), &error);
        QVERIFY2(a, qPrintable(error));
        const auto b = session.incidents()->openByHand(QStringLiteral("db"), QStringLiteral("DB down"), QStringLiteral("P1"), QStringLiteral("tester"), &error);
        QVERIFY2(b, qPrintable(error));
        QTRY_COMPARE(summary.unacknowledgedIncidents(), 2);
        QVERIFY(tray.acknowledgeAllAction()->isEnabled());
        QVERIFY(tray.toolTip().contains(u"2 unacknowledged incidents"));
        QVERIFY(tray.menu()->actions().contains(tray.acknowledgeAllAction()));

        tray.acknowledgeAllAction()->trigger();
        for (const Incident &incident : session.incidents()->openIncidents())
            QCOMPARE(incident.state, IncidentState::Acknowledged);
        QTRY_COMPARE(summary.unacknowledgedIncidents(), 0);
        QCOMPARE(summary.openIncidents(), 2);
        QVERIFY(!tray.acknowledgeAllAction()->isEnabled());
    }

    void muteForAnHour()
    {
        CoreSession session;
        QVERIFY(open(session, QStringLiteral("mute")));
        FleetSummary summary(&session);
        TrayIcon tray(&session, &summary);
        Notifier *notifier = session.notifier();
        QVERIFY(notifier);
        QVERIFY(!notifier->isMuted());
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        tray.muteAction()->trigger();
        QVERIFY(notifier->isMuted());
        QVERIFY(notifier->mutedUntil() >= before + 3'600'000);
        QVERIFY(notifier->mutedUntil() <= QDateTime::currentMSecsSinceEpoch() + 3'600'000);
        QCOMPARE(tray.muteAction()->text(), QStringLiteral("Un&mute notifications"));
        QVERIFY(tray.toolTip().contains(u"Notifications muted until"));
        tray.muteAction()->trigger();
        QVERIFY(!notifier->isMuted());
        QCOMPARE(tray.muteAction()->text(), QStringLiteral("&Mute for 1 hour"));
    }

    void desktopNotificationOpensItsIncident()
    {
        CoreSession session;
        QVERIFY(open(session, QStringLiteral("desktop")));
        FleetSummary summary(&session);
        TrayIcon tray(&session, &summary);
        QSignalSpy incident(&tray, &TrayIcon::incidentRequested);
        QSignalSpy openWindow(&tray, &TrayIcon::openRequested);
        Notification n;
        n.event = QStringLiteral("opened");
        n.service = QStringLiteral("db");
        n.title = QStringLiteral("INCIDENT: db is down");
        n.incidentId = 42;
        // Through core's signal, as routing hands it to the desktop channel.
        emit session.notifier()->desktopNotification(n);
        QCOMPARE(tray.lastNotifiedIncident(), 42);
        emit tray.findChild<QSystemTrayIcon *>()->messageClicked(); // the desktop says it was clicked
        QCOMPARE(incident.size(), 1);
        QCOMPARE(incident.first().first().toLongLong(), 42);
        n.incidentId = 0;
        tray.showNotification(n);
        emit tray.findChild<QSystemTrayIcon *>()->messageClicked(); // the desktop says it was clicked
        QCOMPARE(openWindow.size(), 1);
        QSignalSpy quit(&tray, &TrayIcon::quitRequested);
        tray.quitAction()->trigger();
        QCOMPARE(quit.size(), 1);
    }

    void closingHidesToTheTray()
    {
        CoreSession session;
        QVERIFY(open(session, QStringLiteral("close")));
        FleetSummary summary(&session);
        TrayIcon tray(&session, &summary);
        MainWindow window(&session, &summary);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Without a tray, closing closes.
        QVERIFY(window.close());
        window.show();
        window.setTray(&tray);
        tray.show();
        if (!tray.isVisible())
            QSKIP("this platform keeps QSystemTrayIcon hidden without a tray");
        QVERIFY(!window.close());
        QVERIFY(!window.isVisible());
        emit tray.openRequested();
        window.bringToFront();
        QVERIFY(window.isVisible());
    }

private:
    QTemporaryDir m_dir;
};

QTEST_MAIN(TestUiTray)
#include "tst_ui_tray.moc"
