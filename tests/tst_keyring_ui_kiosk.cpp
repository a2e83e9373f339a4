// The kiosk's PIN against a real keychain (CTest runs this suite through tests/run-with-keyring.sh):
// `opsdeckctl kiosk set-pin` from stdin (only a salted hash is stored; mismatches and bad PINs
// store nothing), then a kiosk over a real CoreSession: acknowledgement and actions refused while
// locked, a wrong PIN refused, the right one (keyboard or keypad) unlocks, Acknowledge and the
// service's action work end to end, it relocks by itself after unlock_for, wrong PINs in a row back
// off, and leaving needs the PIN.
#include "actiondialog.h"
#include "coresession.h"
#include "ctlprocess.h"
#include "fleetsummary.h"
#include "incidentmanager.h"
#include "kioskfailingpage.h"
#include "kioskincidentspage.h"
#include "kioskpin.h"
#include "kioskpinlock.h"
#include "kioskpinpad.h"
#include "kioskwindow.h"
#include "secretstore.h"
#include "watcher.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <QtTest/qtestspontaneevent.h>
#include <memory>

class TestKeyringUiKiosk : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString storedPin()
    {
        SecretStore store;
        const SecretStore::Result r = store.readBlocking(KioskPin::secretName());
        return r.ok() ? r.value : QString();
    }

    void typePin(QWidget *target, const QString &pin)
    {
        for (QChar c : pin)
            QTest::keyClicks(target, QString(c));
        QTest::keyClick(target, Qt::Key_Return);
    }

private slots:
    void setPinFromStdin()
    {
        CtlRun r = runCtl({QStringLiteral("kiosk"), QStringLiteral("set-pin")}, "4711\n");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(u"kiosk-pin"_qs));
        const QString stored = storedPin();
        QVERIFY(KioskPin::isWellFormed(stored));
        QVERIFY(!stored.contains(u"4711"_qs));
        QVERIFY(KioskPin::verify(QStringLiteral("4711"), stored));
        QVERIFY(!KioskPin::verify(QStringLiteral("4712"), stored));

        // The same PIN twice, as a script answering the terminal's two questions would.
        r = runCtl({QStringLiteral("kiosk"), QStringLiteral("set-pin")}, "123456\n123456\n");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(KioskPin::verify(QStringLiteral("123456"), storedPin()));
    }

    void setPinRefusesMismatchesAndBadPins_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("message");
        QTest::newRow("mismatch") << QByteArray("2468\n1357\n") << u"the two PINs differ; nothing stored"_qs;
        QTest::newRow("letters") << QByteArray("12a4\n") << u"a PIN is digits only (0-9); nothing stored"_qs;
        QTest::newRow("too short") << QByteArray("123\n") << u"a PIN has 4 to 12 digits, not 3; nothing stored"_qs;
        QTest::newRow("too long") << QByteArray("1234567890123\n") << u"a PIN has 4 to 12 digits, not 13; nothing stored"_qs;
        QTest::newRow("empty") << QByteArray("\n") << u"no PIN given"_qs;
        QTest::newRow("three lines") << QByteArray("1111\n1111\n1111\n") << u"expected the PIN on one line"_qs;
    }

    void setPinRefusesMismatchesAndBadPins()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, message);
        QVERIFY(runCtl({QStringLiteral("kiosk"), QStringLiteral("set-pin")}, "9999\n").exitCode == 0);
        const QString before = storedPin();
        const CtlRun r = runCtl({QStringLiteral("kiosk"), QStringLiteral("set-pin")}, input);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QCOMPARE(storedPin(), before); // nothing changed
        QCOMPARE(runCtl({QStringLiteral("kiosk"), QStringLiteral("bogus")}).exitCode, 2);
    }

    void lockUnlockActAndRelock()
    {
        QVERIFY(runCtl({QStringLiteral("kiosk"), QStringLiteral("set-pin")}, "4711\n").exitCode == 0);
        const QString state = m_dir.filePath(QStringLiteral("api.state"));
        QFile s(state);
        QVERIFY(s.open(QIODevice::WriteOnly));
        s.write("fail");
        s.close();
        const QString marker = m_dir.filePath(QStringLiteral("restarted"));
        QFile f(m_dir.filePath(QStringLiteral("opsdeck.yaml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("store: sqlite:" + m_dir.filePath(QStringLiteral("h.sqlite")).toUtf8() + "\nservices:\n  - name: api\n"
                "    actions:\n      - { name: restart, command: [touch, \"" + marker.toUtf8() + "\"] }\n"
                "    checks:\n      - name: state\n        type: command\n        command: [cat, \"" + state.toUtf8() + "\"]\n"
                "        interval: 1h\n        failure_threshold: 1\n        conditions: [\"[OUTPUT] == ok\"]\n");
        f.close();
        CoreSession session;
        QVERIFY(session.loadConfig(f.fileName()));
        QString error;
        QVERIFY2(session.openHistory(&error), qPrintable(error));
        FleetSummary summary(&session);
        session.start();
        QTRY_VERIFY_WITH_TIMEOUT(session.incidents()->openIncidentFor(QStringLiteral("api")).has_value(), 10'000);
        const qint64 id = session.incidents()->openIncidentFor(QStringLiteral("api"))->id;

        KioskOptions options;
        // Long enough for the acknowledgement and the action below on a loaded machine (a sanitizer
        // build, parallel suites); the relock is waited for at the end.
        options.unlockForMs = 8'000;
        options.burnInShift = false;
        KioskWindow w(&session, &summary, options);
        w.resize(800, 480);
        w.show();
        KioskPinLock *lock = w.pinLock();
        QTRY_COMPARE(lock->pinState(), KioskPinLock::PinState::Set);
        QVERIFY(w.findChild<QPushButton *>(u"unlockButton"_qs)->isVisible());
        auto *incidents = w.findChild<KioskIncidentsPage *>();
        auto *failing = w.findChild<KioskFailingPage *>();
        QTRY_COMPARE(failing->subPageCount(), 1);

        // Locked: nothing to press, and the gates refuse.
        QVERIFY(!incidents->acknowledge(id, &error));
        QVERIFY(!failing->runAction(QStringLiteral("restart"), &error));
        QCOMPARE(session.incidents()->openIncidentFor(QStringLiteral("api"))->state, IncidentState::Open);

        // A wrong PIN from the keyboard: the keypad says so and nothing unlocks.
        auto *pad = w.findChild<KioskPinPad *>();
        QTest::keyClick(&w, Qt::Key_1); // a digit opens the keypad with it
        QTRY_VERIFY(pad->isVisible());
        typePin(pad, QStringLiteral("234"));
        QTRY_COMPARE(pad->findChild<QLabel *>(u"pinMessage"_qs)->text(), u"Wrong PIN"_qs);
        QVERIFY(!lock->isUnlocked());
        const QString shots = qEnvironmentVariable("OPSDECK_KIOSK_SHOTS");
        if (!shots.isEmpty())
            QVERIFY(w.grab().save(shots + QStringLiteral("/kiosk-800x480-keypad.png")));
        // The keypad fits the smallest screen whole.
        for (QPushButton *b : pad->findChildren<QPushButton *>())
            QVERIFY2(w.rect().contains(QRect(b->mapTo(&w, QPoint(0, 0)), b->size())), qPrintable(b->objectName()));

        // The right one, on the touch keypad.
        for (const char *digit : {"pinDigit4", "pinDigit7", "pinDigit1", "pinDigit1"})
            QTest::mouseClick(pad->findChild<QPushButton *>(QLatin1String(digit)), Qt::LeftButton);
        QSignalSpy lockChanged(lock, &KioskPinLock::lockChanged);
        QTest::mouseClick(pad->findChild<QPushButton *>(u"pinOk"_qs), Qt::LeftButton);
        QTRY_VERIFY(lock->isUnlocked());
        QVERIFY(!pad->isVisible());
        QCOMPARE(lockChanged.count(), 1);

        // Unlocked: Acknowledge is offered and works, as the OS user.
        while (w.currentPage() != incidents)
            w.next();
        QPushButton *ack = nullptr;
        for (QPushButton *b : incidents->findChildren<QPushButton *>(u"acknowledgeButton"_qs))
            if (b->isVisible())
                ack = b;
        QVERIFY(ack);
        if (!shots.isEmpty())
            QVERIFY(w.grab().save(shots + QStringLiteral("/kiosk-800x480-unlocked-incidents.png")));
        QTest::mouseClick(ack, Qt::LeftButton);
        // api may have more than one open incident (down, and budget critical once the SLO monitor
        // has run): the button acknowledges the one it stands beside.
        const auto acknowledged = [&session] {
            for (const Incident &i : session.incidents()->openIncidents())
                if (i.service == QStringLiteral("api") && i.state == IncidentState::Acknowledged)
                    return true;
            return false;
        };
        QTRY_VERIFY(acknowledged());
        QVERIFY(!ack->isVisible());

        // … and the failing service's action, through the action dialog (its Run is the confirmation).
        while (w.currentPage() != failing)
            w.next();
        QPushButton *restart = failing->findChild<QPushButton *>(u"actionButton"_qs);
        QVERIFY(restart && restart->isVisible());
        QTest::mouseClick(restart, Qt::LeftButton);
        ActionDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = w.findChild<ActionDialog *>()) != nullptr);
        QVERIFY(dialog->findChild<QPlainTextEdit *>(u"preview"_qs)->toPlainText().contains(u"touch"_qs));
        QTest::mouseClick(dialog->findChild<QPushButton *>(u"runButton"_qs), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(marker), 10'000);
        dialog->close();

        // It locks itself again after unlock_for.
        QTRY_VERIFY_WITH_TIMEOUT(!lock->isUnlocked(), 12'000);
        QVERIFY(!restart->isVisible());
        QVERIFY(!failing->runAction(QStringLiteral("restart"), &error));
        QVERIFY(error.contains(u"Locked"_qs));
    }

    void wrongPinsBackOff()
    {
        QVERIFY(runCtl({QStringLiteral("kiosk"), QStringLiteral("set-pin")}, "8080\n").exitCode == 0);
        SecretStore secrets;
        KioskPinLock lock(&secrets, 60'000);
        // Long enough that a stalled machine cannot let it pass between two steps below.
        lock.setFirstBackoffMs(3'000);
        QTRY_COMPARE(lock.pinState(), KioskPinLock::PinState::Set);
        QSignalSpy refused(&lock, &KioskPinLock::refused);
        QSignalSpy accepted(&lock, &KioskPinLock::accepted);
        const auto attempt = [&](const QString &pin) {
            const int before = refused.count() + accepted.count();
            lock.submit(pin, KioskPinLock::Purpose::Unlock);
            return QTest::qWaitFor([&] { return refused.count() + accepted.count() > before; }, 10'000);
        };
        const auto lastWhy = [&] { return refused.last().at(1).toString(); };

        // Four wrong PINs are only wrong.
        for (int i = 1; i < KioskPinLock::kFreeAttempts; ++i) {
            QVERIFY(attempt(QStringLiteral("1111")));
            QCOMPARE(lastWhy(), u"Wrong PIN"_qs);
            QCOMPARE(lock.backoffRemainingMs(), qint64(0));
        }
        // The fifth starts the back-off, and during it even the right PIN is refused unchecked.
        QVERIFY(attempt(QStringLiteral("1111")));
        QVERIFY2(lastWhy().startsWith(u"Wrong PIN. Too many wrong PINs: try again in 3 second"_qs), qPrintable(lastWhy()));
        QVERIFY(lock.backoffRemainingMs() > 0 && lock.backoffRemainingMs() <= 3'000);
        QVERIFY(attempt(QStringLiteral("8080")));
        QVERIFY2(lastWhy().startsWith(u"Too many wrong PINs: try again in"_qs), qPrintable(lastWhy()));
        QVERIFY(!lock.isUnlocked());
        QCOMPARE(accepted.count(), 0);

        // Once it has passed one more wrong PIN doubles it.
        QTRY_COMPARE_WITH_TIMEOUT(lock.backoffRemainingMs(), qint64(0), 8'000);
        QVERIFY(attempt(QStringLiteral("2222")));
        QVERIFY2(lastWhy().contains(u"try again in 6 second"_qs), qPrintable(lastWhy()));
        QVERIFY(lock.backoffRemainingMs() > 3'000);

        // After it the right PIN unlocks, and the count starts again.
        QTRY_COMPARE_WITH_TIMEOUT(lock.backoffRemainingMs(), qint64(0), 12'000);
        QVERIFY(attempt(QStringLiteral("8080")));
        QCOMPARE(accepted.count(), 1);
        QVERIFY(lock.isUnlocked());
        QVERIFY(attempt(QStringLiteral("1111")));
        QCOMPARE(lastWhy(), u"Wrong PIN"_qs);
        QCOMPARE(lock.backoffRemainingMs(), qint64(0));
    }

    void leavingNeedsThePin()
    {
        QVERIFY(runCtl({QStringLiteral("kiosk"), QStringLiteral("set-pin")}, "8080\n").exitCode == 0);
        QFile f(m_dir.filePath(QStringLiteral("exit.yaml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("store: sqlite:" + m_dir.filePath(QStringLiteral("e.sqlite")).toUtf8()
                + "\nservices:\n  - name: api\n    checks:\n      - { name: up, type: command, command: [\"true\"], interval: 1h }\n");
        f.close();
        CoreSession session;
        QVERIFY(session.loadConfig(f.fileName()));
        QString error;
        QVERIFY2(session.openHistory(&error), qPrintable(error));
        FleetSummary summary(&session);
        KioskOptions options;
        options.burnInShift = false;
        KioskWindow w(&session, &summary, options);
        w.resize(800, 480);
        w.show();
        QSignalSpy exits(&w, &KioskWindow::exitRequested);
        QTRY_COMPARE(w.pinLock()->pinState(), KioskPinLock::PinState::Set);
        // A window manager's close is not a way out.
        QCloseEvent byWindowManager; // as the window system delivers it
        QSpontaneKeyEvent::setSpontaneous(&byWindowManager);
        qApp->notify(&w, &byWindowManager); // not sendEvent(), which makes every event non-spontaneous
        QVERIFY(!byWindowManager.isAccepted());
        QVERIFY(w.isVisible());

        auto *pad = w.findChild<KioskPinPad *>();
        QTest::keyClick(&w, Qt::Key_Escape);
        QVERIFY(pad->isVisible());
        QCOMPARE(pad->purpose(), KioskPinLock::Purpose::Exit);
        QTest::keyClick(pad, Qt::Key_Escape); // cancel
        QVERIFY(!pad->isVisible());

        QTest::mouseClick(w.findChild<QPushButton *>(u"exitButton"_qs), Qt::LeftButton);
        QVERIFY(pad->isVisible());
        typePin(pad, QStringLiteral("0808"));
        QTRY_COMPARE(pad->findChild<QLabel *>(u"pinMessage"_qs)->text(), u"Wrong PIN"_qs);
        QVERIFY(w.isVisible());
        QCOMPARE(exits.count(), 0);
        QVERIFY(!w.pinLock()->isUnlocked());

        typePin(pad, QStringLiteral("8080"));
        QTRY_COMPARE(exits.count(), 1);
        QTRY_VERIFY(!w.isVisible());
        QVERIFY(!w.pinLock()->isUnlocked()); // leaving is not unlocking
    }
};

QTEST_MAIN(TestKeyringUiKiosk)
#include "tst_keyring_ui_kiosk.moc"
