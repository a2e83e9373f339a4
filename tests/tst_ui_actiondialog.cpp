#include "actiondialog.h"
#include "actionparamform.h"
#include "actionrunner.h"
#include "auditlog.h"
#include "coresession.h"

#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

// The action dialog offscreen over a real CoreSession: a SQLite store in a temp dir and real
// `sh -c` processes.
class TestUiActionDialog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<CoreSession> m_session;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    static QString text(ActionDialog &d, const char *name)
    {
        if (auto *edit = d.findChild<QPlainTextEdit *>(QLatin1String(name)))
            return edit->toPlainText();
        if (auto *label = d.findChild<QLabel *>(QLatin1String(name)))
            return label->text();
        return QStringLiteral("<no %1>").arg(QLatin1String(name));
    }
    static QPushButton *button(ActionDialog &d, const char *name) { return d.findChild<QPushButton *>(QLatin1String(name)); }

    QList<ActionRun> runs(const QString &action) const { return m_session->actions()->history(QStringLiteral("svc"), action, 10); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QByteArray dir = m_dir.path().toUtf8();
        const QByteArray yaml =
            "store: sqlite:" + dir + "/store.sqlite\n"
            "services:\n"
            "  - name: svc\n"
            "    checks:\n"
            "      - { name: disk, type: disk, path: /, conditions: [\"[FREE_PERCENT] >= 0\"] }\n"
            "    actions:\n"
            "      - name: greet\n"
            "        description: Says hello\n"
            "        command: [sh, -c, 'echo \"hello $1\"', greet, \"{who}\"]\n"
            "        params:\n"
            "          who: { pattern: '^[a-z]+$', description: whom to greet }\n"
            "          times: { type: integer, min: 1, max: 5, default: 1 }\n"
            "          tone: { choices: [calm, loud], default: calm }\n"
            "      - name: keyed\n"
            "        command: [sh, -c, 'echo \"$TOKEN\" | wc -c']\n"
            "        env: { TOKEN: \"${secret:ui-test-token}\" }\n"
            "      - name: stream\n"
            "        command: [sh, -c, 'echo first; while [ ! -e " + dir + "/go ]; do sleep 0.02; done; echo second']\n"
            "        timeout: 20s\n"
            "      - name: fail\n"
            "        command: [sh, -c, 'echo broken >&2; exit 3']\n"
            "      - name: slow\n"
            "        command: [sh, -c, 'echo waiting; sleep 30']\n"
            "      - name: restore-db\n"
            "        description: Replaces the database with the chosen copy\n"
            "        confirm: true\n"
            "        command: [sh, -c, 'echo \"restored from $1\" > " + dir + "/restored.txt', restore, \"{from}\"]\n"
            "        params: { from: { pattern: '^[a-z0-9.-]+$' } }\n";
        QFile f(path(QStringLiteral("opsdeck.yaml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(yaml);
        f.close();
        m_session = std::make_unique<CoreSession>();
        QVERIFY(m_session->loadConfig(f.fileName()));
        QString error;
        QVERIFY2(m_session->openHistory(&error), qPrintable(error));
        QVERIFY(m_session->actions());
    }

    void cleanupTestCase() { m_session.reset(); }

    void previewFollowsParametersAndNothingRunsBeforeRun()
    {
        ActionDialog d(m_session.get(), QStringLiteral("svc"), QStringLiteral("greet"));
        d.show();
        auto *form = d.findChild<ActionParamForm *>(QStringLiteral("params"));
        QVERIFY(form && form->isVisible());
        QVERIFY(form->editor(QStringLiteral("who")) && form->editor(QStringLiteral("times")) && form->editor(QStringLiteral("tone")));

        // The required parameter is missing: named, no preview, Run disabled.
        QVERIFY(!button(d, "runButton")->isEnabled());
        QVERIFY(text(d, "problem").contains(u"`who` is required"));
        QVERIFY(text(d, "preview").isEmpty());

        auto *who = qobject_cast<QLineEdit *>(form->editor(QStringLiteral("who")));
        QVERIFY(who);
        QTest::keyClicks(who, QStringLiteral("world"));
        QVERIFY(button(d, "runButton")->isEnabled());
        QVERIFY(d.findChild<QLabel *>(QStringLiteral("problem"))->isHidden());
        ActionRunner::Request r;
        r.service = QStringLiteral("svc");
        r.action = QStringLiteral("greet");
        r.params = {{QStringLiteral("who"), QStringLiteral("world")}};
        const auto prepared = m_session->actions()->prepare(r, nullptr);
        QVERIFY(prepared);
        QCOMPARE(text(d, "preview"), prepared->preview.join(u'\n'));
        QVERIFY(text(d, "preview").contains(u"world"));

        // A value that does not fit: named under its field and in the dialog, Run disabled again.
        QTest::keyClicks(who, QStringLiteral("!"));
        QVERIFY(!button(d, "runButton")->isEnabled());
        QVERIFY(form->problem(QStringLiteral("who")).contains(u"does not match"));
        QVERIFY(text(d, "problem").contains(u"parameter `who`"));
        auto *times = qobject_cast<QLineEdit *>(form->editor(QStringLiteral("times")));
        who->setText(QStringLiteral("world"));
        times->setText(QStringLiteral("9"));
        QVERIFY(!button(d, "runButton")->isEnabled());
        QVERIFY(form->problem(QStringLiteral("times")).contains(u"out of range"));
        QVERIFY(text(d, "problem").contains(u"parameter `times`"));
        times->clear(); // the default applies again
        QVERIFY(button(d, "runButton")->isEnabled());
        QVERIFY(form->problem(QStringLiteral("times")).isEmpty());

        // Enter in a field runs nothing; only Run does.
        QTest::keyClick(who, Qt::Key_Return);
        QCoreApplication::processEvents();
        QCOMPARE(d.runId(), 0);
        QVERIFY(runs(QStringLiteral("greet")).isEmpty());
    }

    void secretsAreMaskedInThePreview()
    {
        ActionDialog d(m_session.get(), QStringLiteral("svc"), QStringLiteral("keyed"));
        d.show();
        QVERIFY(d.findChild<ActionParamForm *>(QStringLiteral("params"))->isHidden()); // no parameters
        QVERIFY(text(d, "preview").contains(u"${secret:ui-test-token}"));
        QVERIFY(button(d, "runButton")->isEnabled());
    }

    void liveOutputWhileItRunsThenTheResult()
    {
        QFile::remove(path(QStringLiteral("go")));
        ActionDialog d(m_session.get(), QStringLiteral("svc"), QStringLiteral("stream"));
        d.setReason(QStringLiteral("ui test"));
        d.show();
        QSignalSpy started(&d, &ActionDialog::runStarted);
        QSignalSpy finished(&d, &ActionDialog::runFinished);
        QCOMPARE(d.runId(), 0);
        QTest::mouseClick(button(d, "runButton"), Qt::LeftButton);
        QCOMPARE(started.size(), 1);
        const qint64 id = d.runId();
        QVERIFY(id > 0);
        QCOMPARE(started.first().first().toLongLong(), id);

        // The first line is on screen while the process still waits for the file.
        QTRY_VERIFY_WITH_TIMEOUT(text(d, "output").contains(u"first"), 10'000);
        QCOMPARE(m_session->actions()->get(id)->status, QStringLiteral("running"));
        QVERIFY(!text(d, "output").contains(u"second"));
        QVERIFY(text(d, "result").contains(u"Running"));
        QVERIFY(button(d, "stopButton")->isVisible());
        QVERIFY(!button(d, "runButton")->isVisible());

        QFile go(path(QStringLiteral("go")));
        QVERIFY(go.open(QIODevice::WriteOnly));
        go.close();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10'000);
        QVERIFY(text(d, "output").contains(u"first\nsecond"));
        QVERIFY2(text(d, "result").startsWith(u"Succeeded — exit code 0"), qPrintable(text(d, "result")));
        QCOMPARE(finished.first().first().value<ActionRun>().status, QStringLiteral("succeeded"));
        QCOMPARE(m_session->actions()->get(id)->status, QStringLiteral("succeeded"));
        QVERIFY(!button(d, "runButton")->isEnabled()); // one run per dialog

        // The reason went to the audit log with the run.
        bool audited = false;
        for (const AuditLog::Record &rec : m_session->audit()->records())
            audited = audited || (rec.action == u"action.run" && rec.details.value(u"reason").toString() == u"ui test");
        QVERIFY(audited);
    }

    void aFailureShowsStatusAndExitCode()
    {
        ActionDialog d(m_session.get(), QStringLiteral("svc"), QStringLiteral("fail"));
        d.show();
        QSignalSpy finished(&d, &ActionDialog::runFinished);
        button(d, "runButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10'000);
        QVERIFY2(text(d, "result").startsWith(u"Failed — exit code 3"), qPrintable(text(d, "result")));
        QVERIFY(text(d, "output").contains(u"broken"));
    }

    void confirmationIsTheDialogs()
    {
        const QString restored = path(QStringLiteral("restored.txt"));
        QFile::remove(restored);
        auto *d = new ActionDialog(m_session.get(), QStringLiteral("svc"), QStringLiteral("restore-db"));
        d->setParams({{QStringLiteral("from"), QStringLiteral("copy-1.sqlite")}});
        d->show();
        QVERIFY(text(*d, "preview").contains(u"copy-1.sqlite"));
        auto *confirm = d->findChild<QCheckBox *>(QStringLiteral("confirmBox"));
        QVERIFY(confirm && confirm->isVisible());
        QVERIFY(!button(*d, "runButton")->isEnabled()); // not before the box is ticked
        QVERIFY(!QFile::exists(restored));

        // The core refuses it without the confirmation; the dialog's tick and Run are that confirmation.
        ActionRunner::Request r;
        r.service = QStringLiteral("svc");
        r.action = QStringLiteral("restore-db");
        r.params = {{QStringLiteral("from"), QStringLiteral("copy-1.sqlite")}};
        ActionRunner::Refusal why = ActionRunner::Refusal::None;
        QCOMPARE(m_session->actions()->run(r, nullptr, &why), 0);
        QCOMPARE(why, ActionRunner::Refusal::NeedsConfirmation);

        confirm->setChecked(true);
        QVERIFY(button(*d, "runButton")->isEnabled());
        QSignalSpy finished(d, &ActionDialog::runFinished);
        button(*d, "runButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10'000);
        QVERIFY(text(*d, "result").startsWith(u"Succeeded"));
        QFile f(restored);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("restored from copy-1.sqlite\n"));
        delete d;
    }

    void aSecondDialogIsRefusedWhileItRunsAndStopEndsIt()
    {
        ActionDialog first(m_session.get(), QStringLiteral("svc"), QStringLiteral("slow"));
        first.show();
        QSignalSpy finished(&first, &ActionDialog::runFinished);
        button(first, "runButton")->click();
        QVERIFY(first.runId() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(text(first, "output").contains(u"waiting"), 10'000);

        ActionDialog second(m_session.get(), QStringLiteral("svc"), QStringLiteral("slow"));
        second.show();
        QVERIFY(text(second, "result").contains(u"running now"));
        button(second, "runButton")->click();
        QCOMPARE(second.runId(), 0);
        QVERIFY2(text(second, "result").contains(u"already running"), qPrintable(text(second, "result")));
        QVERIFY(text(second, "result").contains(QStringLiteral("run #%1").arg(first.runId())));

        button(first, "stopButton")->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10'000);
        QVERIFY2(text(first, "result").startsWith(u"Cancelled"), qPrintable(text(first, "result")));
        QCOMPARE(m_session->actions()->get(first.runId())->status, QStringLiteral("cancelled"));
    }

    void launchOpensAWindowModalDialogThatDeletesItself()
    {
        QMainWindow window;
        window.show();
        QPointer<ActionDialog> d = ActionDialog::launch(m_session.get(), QStringLiteral("svc"), QStringLiteral("greet"), &window);
        QVERIFY(d);
        QVERIFY(d->isVisible());
        QCOMPARE(d->windowModality(), Qt::WindowModal);
        QVERIFY(d->testAttribute(Qt::WA_DeleteOnClose));
        QCOMPARE(d->runId(), 0);
        d->findChild<QPushButton *>(QStringLiteral("closeButton"))->click();
        QTRY_VERIFY(d.isNull());
    }
};

QTEST_MAIN(TestUiActionDialog)
#include "tst_ui_actiondialog.moc"
