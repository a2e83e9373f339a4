#include "actiondialog.h"
#include "actionrunner.h"
#include "auditlog.h"
#include "coresession.h"
#include "incidentmanager.h"
#include "incidentstore.h"
#include "runbookbrowser.h"
#include "runbooksview.h"

#include <QAbstractTextDocumentLayout>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QtTest>

// The runbooks view offscreen over a real CoreSession: a SQLite store in a temp dir, a real
// `sh -c` action, an incident opened by hand, and the shipped runbooks with their example configs.
class TestUiRunbooks : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<CoreSession> m_session;
    qint64 m_incident = 0;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    static void write(const QString &file, const QByteArray &text)
    {
        QDir().mkpath(QFileInfo(file).absolutePath());
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    }

    QStringList checklistEvents() const
    {
        QStringList out;
        const std::optional<Incident> incident = m_session->incidentStore()->get(m_incident);
        for (const IncidentEvent &e : incident->timeline) {
            if (e.kind == u"checklist")
                out << e.text;
        }
        return out;
    }

    static QTextBlock blockWithText(RunbookBrowser *b, const QString &text)
    {
        for (QTextBlock block = b->document()->begin(); block.isValid(); block = block.next()) {
            if (block.text() == text)
                return block;
        }
        return {};
    }

    // A point (viewport coordinates) on the checkbox of `block`, found the way a click finds it.
    static QPoint markerPoint(RunbookBrowser *b, const QTextBlock &block)
    {
        const QRectF rect = b->document()->documentLayout()->blockBoundingRect(block);
        const QPointF offset(b->horizontalScrollBar()->value(), b->verticalScrollBar()->value());
        for (qreal x = 0; x < rect.left() + 40; x += 1) {
            const QPointF p(x, rect.center().y());
            if (b->document()->documentLayout()->blockWithMarkerAt(p) == block)
                return (p - offset).toPoint();
        }
        return {-1, -1};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        write(path(QStringLiteral("runbooks/svc.md")),
              "# Service runbook\n\n"
              "When it breaks: [Greet the world](opsdeck:action/greet), then [Vanished step](opsdeck:action/gone).\n"
              "See [the docs](https://example.org/docs).\n\n"
              "## Checklist\n\n"
              "- [ ] First step\n"
              "- [x] Already done\n"
              "- plain item\n");
        write(path(QStringLiteral("runbooks/second.md")), "# Second runbook\n\n- [ ] Only step\n");
        write(path(QStringLiteral("quiet.md")), "# Quiet\n\n- [ ] Quiet step\n");
        const QByteArray yaml = "store: sqlite:" + m_dir.path().toUtf8() + "/store.sqlite\n"
                                "services:\n"
                                "  - name: svc\n"
                                "    checks:\n"
                                "      - { name: disk, type: disk, path: /, conditions: [\"[FREE_PERCENT] >= 0\"] }\n"
                                "    actions:\n"
                                "      - name: greet\n"
                                "        description: Says hello\n"
                                "        command: [sh, -c, 'echo hello from the runbook']\n"
                                "    runbooks: [runbooks/svc.md, runbooks/second.md]\n"
                                "  - name: quiet\n"
                                "    checks:\n"
                                "      - { name: disk, type: disk, path: /, conditions: [\"[FREE_PERCENT] >= 0\"] }\n"
                                "    runbooks: [quiet.md]\n"
                                "  - name: none\n"
                                "    checks:\n"
                                "      - { name: disk, type: disk, path: /, conditions: [\"[FREE_PERCENT] >= 0\"] }\n";
        write(path(QStringLiteral("opsdeck.yaml")), yaml);
        m_session = std::make_unique<CoreSession>();
        QVERIFY(m_session->loadConfig(path(QStringLiteral("opsdeck.yaml"))));
        QString error;
        QVERIFY2(m_session->openHistory(&error), qPrintable(error));
        const auto incident = m_session->incidents()->openByHand(QStringLiteral("svc"), QStringLiteral("Greeting broken"),
                                                                 QStringLiteral("P1"), currentActor(), &error);
        QVERIFY2(incident, qPrintable(error));
        m_incident = incident->id;
    }

    void cleanupTestCase() { m_session.reset(); }

    void listsServicesWithRunbooksAndRendersMarkdown()
    {
        RunbooksView view(m_session.get());
        view.resize(1280, 800);
        view.show();
        auto *services = view.findChild<QListWidget *>(QStringLiteral("services"));
        QCOMPARE(services->count(), 2); // `none` has no runbooks
        QCOMPARE(view.currentService(), QStringLiteral("svc"));
        auto *files = view.findChild<QComboBox *>(QStringLiteral("files"));
        QCOMPARE(files->count(), 2);
        QCOMPARE(files->itemText(0), QStringLiteral("Service runbook"));
        QCOMPARE(files->itemText(1), QStringLiteral("Second runbook"));
        RunbookBrowser *b = view.browser();
        QVERIFY(b->toPlainText().contains(u"When it breaks"));
        QVERIFY(!b->toPlainText().contains(u"opsdeck:action")); // rendered, not shown as source
        // Headings are headings.
        QCOMPARE(blockWithText(b, QStringLiteral("Service runbook")).blockFormat().headingLevel(), 1);
        QCOMPARE(b->checklist(), (QList<QPair<QString, bool>>{{u"First step"_qs, false}, {u"Already done"_qs, true}}));
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("incidentLine"))->text().contains(QStringLiteral("#%1").arg(m_incident)));

        files->setCurrentIndex(1);
        QVERIFY(b->toPlainText().contains(u"Only step"));
        view.showService(QStringLiteral("quiet"));
        QCOMPARE(view.currentService(), QStringLiteral("quiet"));
        QVERIFY(b->toPlainText().contains(u"Quiet step"));
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("incidentLine"))->text().contains(u"No open incident for quiet"));
    }

    void actionLinksAreButtonsAndBrokenOnesSaySo()
    {
        RunbookBrowser b(m_session.get());
        QVERIFY(b.showRunbook(QStringLiteral("svc"), path(QStringLiteral("runbooks/svc.md"))));
        const QList<RunbookBrowser::ActionLink> links = b.actionLinks();
        QCOMPARE(links.size(), 2);
        QCOMPARE(links.at(0).action, QStringLiteral("greet"));
        QCOMPARE(links.at(0).text, QStringLiteral("Greet the world"));
        QVERIFY(links.at(0).known);
        QCOMPARE(links.at(1).action, QStringLiteral("gone"));
        QVERIFY(!links.at(1).known);
        QVERIFY(b.toPlainText().contains(QStringLiteral("\u25B6 Greet the world")));

        // The formats: a button look with a tooltip of what runs; broken: struck through, saying why.
        const QTextCursor greet = b.document()->find(QStringLiteral("Greet the world"));
        QVERIFY(!greet.isNull());
        const QTextCharFormat gf = greet.charFormat();
        QVERIFY(gf.isAnchor());
        QCOMPARE(gf.fontWeight(), int(QFont::Bold));
        QVERIFY(gf.background().style() != Qt::NoBrush);
        QVERIFY(!gf.fontStrikeOut());
        QVERIFY2(gf.toolTip().contains(u"sh -c 'echo hello from the runbook'"), qPrintable(gf.toolTip()));
        const QTextCursor gone = b.document()->find(QStringLiteral("Vanished step"));
        QVERIFY(gone.charFormat().fontStrikeOut());
        QVERIFY(gone.charFormat().toolTip().contains(u"no action `gone`"));

        // A broken link opens nothing and says why.
        QSignalSpy notices(&b, &RunbookBrowser::notice);
        emit b.anchorClicked(QUrl(QStringLiteral("opsdeck:action/gone")));
        QVERIFY(b.findChildren<ActionDialog *>().isEmpty());
        QCOMPARE(notices.size(), 1);
        QVERIFY(notices.at(0).at(0).toString().contains(u"svc has no action `gone`"));
    }

    void clickingAnActionLinkOpensItsDialogAndRuns()
    {
        RunbooksView view(m_session.get());
        view.resize(1280, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        RunbookBrowser *b = view.browser();
        // A real click on the button-looking link.
        const QTextCursor greet = b->document()->find(QStringLiteral("Greet the world"));
        const QPoint at = b->cursorRect(greet).center() - QPoint(20, 0);
        QSignalSpy launched(b, &RunbookBrowser::actionLaunched);
        QTest::mouseClick(b->viewport(), Qt::LeftButton, {}, at);
        QTRY_COMPARE_WITH_TIMEOUT(launched.size(), 1, 5000);
        auto *dialog = launched.at(0).at(0).value<ActionDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY(dialog->findChild<QPlainTextEdit *>(QStringLiteral("preview"))->toPlainText().contains(u"echo hello from the runbook"));
        QCOMPARE(dialog->runId(), 0); // nothing ran yet: the dialog is the confirmation
        QSignalSpy finished(dialog, &ActionDialog::runFinished);
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("runButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        const ActionRun run = finished.at(0).at(0).value<ActionRun>();
        QCOMPARE(run.status, QStringLiteral("succeeded"));
        QCOMPARE(run.incidentId, m_incident);
        QVERIFY(run.output.contains("hello from the runbook"));
        dialog->close();
    }

    void ticksGoIntoTheOpenIncidentsTimeline()
    {
        RunbooksView view(m_session.get());
        view.resize(1280, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        RunbookBrowser *b = view.browser();
        auto *notice = view.findChild<QLabel *>(QStringLiteral("notice"));
        const QStringList before = checklistEvents();

        // A click on the checkbox ticks it …
        QTextBlock first = blockWithText(b, QStringLiteral("First step"));
        const QPoint box = markerPoint(b, first);
        QVERIFY(box.x() >= 0);
        QTest::mouseClick(b->viewport(), Qt::LeftButton, {}, box);
        QCOMPARE(blockWithText(b, QStringLiteral("First step")).blockFormat().marker(), QTextBlockFormat::MarkerType::Checked);
        const QStringList ticked = before + QStringList{u"☑ First step (svc.md)"_qs};
        QCOMPARE(checklistEvents(), ticked);
        QVERIFY2(notice->text().contains(QStringLiteral("incident #%1").arg(m_incident)), qPrintable(notice->text()));

        // … a click on the text does not.
        const QRectF rect = b->document()->documentLayout()->blockBoundingRect(first);
        QTest::mouseClick(b->viewport(), Qt::LeftButton, {}, QPoint(int(rect.right()) - 5, int(rect.center().y()) - b->verticalScrollBar()->value()));
        QCOMPARE(checklistEvents().size(), before.size() + 1);

        // Ctrl+Space unticks the item the cursor is in; outside a checklist item it does nothing.
        QTextCursor c(b->document());
        c.setPosition(blockWithText(b, QStringLiteral("First step")).position() + 2);
        b->setTextCursor(c);
        b->setFocus();
        QTest::keyClick(b, Qt::Key_Space, Qt::ControlModifier);
        const QStringList both = before + QStringList{u"☑ First step (svc.md)"_qs, u"☐ First step (svc.md)"_qs};
        QCOMPARE(checklistEvents(), both);
        c.setPosition(blockWithText(b, QStringLiteral("plain item")).position());
        b->setTextCursor(c);
        QTest::keyClick(b, Qt::Key_Space, Qt::ControlModifier);
        QCOMPARE(checklistEvents().size(), before.size() + 2);

        // The timeline events are attributed to the operator.
        const QList<IncidentEvent> timeline = m_session->incidentStore()->get(m_incident).value().timeline;
        QCOMPARE(timeline.last().actor, currentActor());
    }

    void withoutAnOpenIncidentTicksStayInTheView()
    {
        RunbooksView view(m_session.get());
        view.showService(QStringLiteral("quiet"));
        RunbookBrowser *b = view.browser();
        const int events = m_session->incidentStore()->list(false).size();
        QVERIFY(b->toggleChecklistAt(blockWithText(b, QStringLiteral("Quiet step")).position()));
        QCOMPARE(b->checklist(), (QList<QPair<QString, bool>>{{u"Quiet step"_qs, true}}));
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("notice"))->text().contains(u"No open incident for quiet: the tick is kept in this view only"));
        QCOMPARE(m_session->incidentStore()->list(false).size(), events);
        QVERIFY(!m_session->incidentStore()->openFor(QStringLiteral("quiet"), QStringLiteral("manual")));
    }

    void reloadsWhenTheFileChangesKeepingTicks()
    {
        const QString file = path(QStringLiteral("quiet.md"));
        RunbooksView view(m_session.get());
        view.showService(QStringLiteral("quiet"));
        RunbookBrowser *b = view.browser();
        QVERIFY(b->toggleChecklistAt(blockWithText(b, QStringLiteral("Quiet step")).position()));
        write(file, "# Quiet\n\n- [ ] Quiet step\n- [ ] A step added while it was open\n");
        QTRY_VERIFY_WITH_TIMEOUT(b->toPlainText().contains(u"A step added"), 5000);
        QCOMPARE(b->checklist(), (QList<QPair<QString, bool>>{{u"Quiet step"_qs, true}, {u"A step added while it was open"_qs, false}}));
        // Replaced (as editors save) rather than rewritten: still followed.
        write(file + QStringLiteral(".new"), "# Quiet\n\n- [ ] Replaced\n");
        QVERIFY(QFile::remove(file));
        QVERIFY(QFile::rename(file + QStringLiteral(".new"), file));
        QTRY_VERIFY_WITH_TIMEOUT(b->toPlainText().contains(u"Replaced"), 5000);
        write(file, "# Quiet\n\n- [ ] Quiet step\n");
        QTRY_VERIFY_WITH_TIMEOUT(b->toPlainText().contains(u"Quiet step"), 5000);
    }

    void shippedRunbooksLinkOnlyExistingActions_data()
    {
        QTest::addColumn<QString>("config");
        const QDir dir(QStringLiteral(OPSDECK_SOURCE_DIR "/resources/configs"));
        const QStringList files = dir.entryList({QStringLiteral("*.yaml")});
        QVERIFY(files.size() >= 5);
        for (const QString &f : files)
            QTest::newRow(qPrintable(f)) << dir.filePath(f);
    }

    void shippedRunbooksLinkOnlyExistingActions()
    {
        QFETCH(QString, config);
        CoreSession session;
        QVERIFY(session.loadConfig(config));
        int runbooks = 0;
        for (const ServiceConfig &service : session.config().services) {
            for (const QString &file : service.runbooks) {
                ++runbooks;
                RunbookBrowser b(&session);
                QVERIFY(b.showRunbook(service.name, file));
                QFile f(file);
                QVERIFY(f.open(QIODevice::ReadOnly));
                const QString markdown = QString::fromUtf8(f.readAll());
                const qsizetype written = markdown.count(QRegularExpression(QStringLiteral("\\]\\(opsdeck:action/")));
                const QList<RunbookBrowser::ActionLink> links = b.actionLinks();
                QVERIFY2(!links.isEmpty(), qPrintable(file));
                QCOMPARE(links.size(), written); // every link was rendered as one
                for (const auto &link : links)
                    QVERIFY2(link.known, qPrintable(QStringLiteral("%1 links to `%2`, which %3 does not have").arg(file, link.action, service.name)));
                QVERIFY2(!b.checklist().isEmpty(), qPrintable(file));
            }
        }
        // The four seed systems and the demo fleet: every example config ships runbooks.
        QVERIFY(runbooks > 0);
    }

    void screenshots()
    {
        CoreSession session;
        QVERIFY(session.loadConfig(QStringLiteral(OPSDECK_SOURCE_DIR "/resources/configs/ai-fsm.yaml")));
        RunbooksView view(&session);
        for (const QSize size : {QSize(1920, 1080), QSize(1280, 800)}) {
            view.resize(size);
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            const QString file = QDir::temp().filePath(QStringLiteral("h4-runbooks-%1x%2.png").arg(size.width()).arg(size.height()));
            QVERIFY(view.grab().save(file));
        }
        // The checklists are at the end.
        view.browser()->verticalScrollBar()->setValue(view.browser()->verticalScrollBar()->maximum());
        QVERIFY(view.grab().save(QDir::temp().filePath(QStringLiteral("h4-runbooks-end.png"))));
    }
};

QTEST_MAIN(TestUiRunbooks)
#include "tst_ui_runbooks.moc"
