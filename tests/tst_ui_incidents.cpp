#include "auditlog.h"
#include "coresession.h"
#include "fakeclock.h"
#include "incidentfilterproxy.h"
#include "incidentlistmodel.h"
#include "incidentmanager.h"
#include "incidentstore.h"
#include "incidenttemplates.h"
#include "incidenttimelinemodel.h"
#include "incidentsview.h"
#include "messagetemplatedialog.h"
#include "resolvedialog.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

// The incidents view offscreen over a real session and store (SQLite in a temporary folder);
// incidents are opened through the session's incident engine, as the rules and the CLI do.
class TestUiIncidents : public QObject
{
    Q_OBJECT

    struct Rig
    {
        QTemporaryDir dir;
        FakeClock clock{1'763'000'000'000};
        std::unique_ptr<CoreSession> session;

        bool open()
        {
            const QString path = dir.filePath(QStringLiteral("opsdeck.yaml"));
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly))
                return false;
            f.write("store: sqlite:" + dir.filePath(QStringLiteral("ops.sqlite")).toUtf8() + "\n"
                    "services:\n"
                    "  - name: api\n    checks:\n      - { name: up, type: tcp, host: 127.0.0.1, port: 9, interval: 1h }\n"
                    "  - name: db\n    checks:\n      - { name: up, type: tcp, host: 127.0.0.1, port: 9, interval: 1h }\n");
            f.close();
            session = std::make_unique<CoreSession>(&clock);
            QString error;
            return session->loadConfig(path) && session->openHistory(&error);
        }
        qint64 openIncident(const QString &service, const QString &title, const QString &severity)
        {
            clock.advance(1000); // hand-opened incidents are told apart by their time
            QString error;
            const auto i = session->incidents()->openByHand(service, title, severity, QStringLiteral("tester"), &error);
            if (!i)
                qWarning() << error;
            return i ? i->id : 0;
        }
        Incident get(qint64 id) const { return session->incidentStore()->get(id, true).value_or(Incident()); }
    };

    // What most tests start from: the rig open, one incident opened by hand, and the view shown
    // (resized first when a size is given) with that incident selected.
    struct ShownIncident : Rig
    {
        qint64 id = 0;
        std::unique_ptr<IncidentsView> view; // goes before the rig's session, as a view declared after it would

        bool show(const QString &service, const QString &title, const QString &severity, QSize size = {})
        {
            if (!open())
                return false;
            id = openIncident(service, title, severity);
            view = std::make_unique<IncidentsView>(session.get());
            if (size.isValid())
                view->resize(size);
            view->show();
            view->showIncident(id);
            return true;
        }
    };

    template<typename T>
    static T *waitForDialog(QWidget *parent, const QString &name)
    {
        T *d = nullptr;
        [&] { QTRY_VERIFY_WITH_TIMEOUT((d = parent->findChild<T *>(name)) && d->isVisible(), 3000); }();
        return d;
    }

    static QStringList kinds(const IncidentTimelineModel *m)
    {
        QStringList out;
        for (int i = 0; i < m->rowCount(); ++i)
            out << m->index(i).data(IncidentTimelineModel::KindRole).toString();
        return out;
    }

    static QStringList listedIds(const IncidentFilterProxy *p)
    {
        QStringList out;
        for (int i = 0; i < p->rowCount(); ++i)
            out << p->index(i, IncidentListModel::IdColumn).data().toString();
        return out;
    }

    static QPushButton *button(QWidget *view, const char *name) { return view->findChild<QPushButton *>(QLatin1String(name)); }

private slots:
    void filtersNarrowTheList()
    {
        Rig rig;
        QVERIFY(rig.open());
        const qint64 a = rig.openIncident(QStringLiteral("api"), QStringLiteral("API down"), QStringLiteral("P0"));
        const qint64 d = rig.openIncident(QStringLiteral("db"), QStringLiteral("Disk filling up"), QStringLiteral("P2"));
        const qint64 r = rig.openIncident(QStringLiteral("api"), QStringLiteral("Slow API"), QStringLiteral("P1"));
        QString error;
        QVERIFY(rig.session->incidents()->resolve(r, QStringLiteral("tester"), {QStringLiteral("fixed"), {}, {}, {}}, &error));

        IncidentsView view(rig.session.get());
        QAbstractItemModelTester listTester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(view.filter(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester timelineTester(view.timeline(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(1280, 800);
        view.show();
        const QString A = QStringLiteral("#%1").arg(a), D = QStringLiteral("#%1").arg(d), R = QStringLiteral("#%1").arg(r);

        // Default: what is not resolved, newest first.
        QCOMPARE(listedIds(view.filter()), (QStringList{D, A}));
        auto *state = view.findChild<QComboBox *>(QStringLiteral("stateFilter"));
        auto *severity = view.findChild<QComboBox *>(QStringLiteral("severityFilter"));
        auto *service = view.findChild<QComboBox *>(QStringLiteral("serviceFilter"));
        auto *text = view.findChild<QLineEdit *>(QStringLiteral("textFilter"));
        state->setCurrentIndex(state->findText(tr("All")));
        QCOMPARE(listedIds(view.filter()), (QStringList{R, D, A}));
        state->setCurrentIndex(state->findText(tr("Resolved")));
        QCOMPARE(listedIds(view.filter()), (QStringList{R}));
        state->setCurrentIndex(state->findText(tr("All")));
        severity->setCurrentIndex(severity->findData(QStringLiteral("P2")));
        QCOMPARE(listedIds(view.filter()), (QStringList{D}));
        severity->setCurrentIndex(0);
        service->setCurrentIndex(service->findData(QStringLiteral("api")));
        QCOMPARE(listedIds(view.filter()), (QStringList{R, A}));
        text->setText(QStringLiteral("slow"));
        QCOMPARE(listedIds(view.filter()), (QStringList{R}));
        QCOMPARE(view.currentIncidentId(), r);
        service->setCurrentIndex(0);
        text->setText(QStringLiteral("nothing matches this"));
        QCOMPARE(view.filter()->rowCount(), 0);
        QCOMPARE(view.currentIncidentId(), qint64(0));
        QVERIFY(!button(&view, "acknowledgeButton")->isEnabled());

        // showIncident widens the filters when they hide the incident.
        view.showIncident(a);
        QCOMPARE(view.currentIncidentId(), a);
        QCOMPARE(text->text(), QString());
        QCOMPARE(view.filter()->rowCount(), 3);
    }

    void timelineAndAcknowledge()
    {
        ShownIncident rig;
        QVERIFY(rig.show(QStringLiteral("api"), QStringLiteral("API down"), QStringLiteral("P0"), QSize(1280, 800)));
        const qint64 id = rig.id;
        IncidentsView &view = *rig.view;
        QCOMPARE(view.timeline()->incidentId(), id);
        QCOMPARE(kinds(view.timeline()), QStringList{QStringLiteral("detected")});
        QCOMPARE(view.timeline()->index(0).data(IncidentTimelineModel::ActorRole).toString(), QStringLiteral("tester"));
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("incidentHeader"))->text().contains(QStringLiteral("API down")));

        QPushButton *ack = button(&view, "acknowledgeButton");
        QVERIFY(ack->isEnabled());
        QTest::mouseClick(ack, Qt::LeftButton);
        QCOMPARE(rig.get(id).state, IncidentState::Acknowledged);
        QCOMPARE(kinds(view.timeline()), (QStringList{QStringLiteral("detected"), QStringLiteral("acknowledged")}));
        QCOMPARE(view.timeline()->index(1).data(IncidentTimelineModel::ActorRole).toString(), currentActor());
        const int row = view.model()->rowOf(id);
        QCOMPARE(view.model()->index(row, IncidentListModel::StateColumn).data().toString(), IncidentListModel::stateLabel(IncidentState::Acknowledged));
        QVERIFY(!ack->isEnabled()); // once
        // The audit log has it, as the CLI writes it: the OS user and the incident.
        const AuditLog::Record last = rig.session->audit()->records().constLast();
        QCOMPARE(last.action, QStringLiteral("incident.acknowledge"));
        QCOMPARE(last.actor, currentActor());
        QCOMPARE(last.details.value(QStringLiteral("incident")).toInteger(), id);
    }

    void noteSeverityAndResolveThroughTheirDialogs()
    {
        ShownIncident rig;
        QVERIFY(rig.show(QStringLiteral("db"), QStringLiteral("Replication lag"), QStringLiteral("P2")));
        const qint64 id = rig.id;
        IncidentsView &view = *rig.view;

        // Add note: a cancelled dialog changes nothing, an accepted one adds the note.
        QTest::mouseClick(button(&view, "noteButton"), Qt::LeftButton);
        auto *note = waitForDialog<QInputDialog>(&view, QStringLiteral("noteDialog"));
        QVERIFY(note);
        note->setTextValue(QStringLiteral("ignored"));
        note->reject();
        QCOMPARE(rig.get(id).timeline.size(), 1);
        QTRY_VERIFY(!view.findChild<QInputDialog *>(QStringLiteral("noteDialog")));
        QTest::mouseClick(button(&view, "noteButton"), Qt::LeftButton);
        note = waitForDialog<QInputDialog>(&view, QStringLiteral("noteDialog"));
        QVERIFY(note);
        note->setTextValue(QStringLiteral("replica is 40 s behind; vacuum running"));
        note->accept();
        QCOMPARE(rig.get(id).timeline.constLast().kind, QStringLiteral("note"));
        QCOMPARE(rig.get(id).timeline.constLast().text, QStringLiteral("replica is 40 s behind; vacuum running"));
        QCOMPARE(kinds(view.timeline()).constLast(), QStringLiteral("note"));
        QTRY_VERIFY(!view.findChild<QInputDialog *>(QStringLiteral("noteDialog")));

        // Change severity: the dialog offers the scheme's levels.
        QTest::mouseClick(button(&view, "severityButton"), Qt::LeftButton);
        auto *sev = waitForDialog<QInputDialog>(&view, QStringLiteral("severityDialog"));
        QVERIFY(sev);
        QCOMPARE(sev->comboBoxItems(), (QStringList{QStringLiteral("P0"), QStringLiteral("P1"), QStringLiteral("P2"), QStringLiteral("P3")}));
        QCOMPARE(sev->textValue(), QStringLiteral("P2"));
        sev->setTextValue(QStringLiteral("P1"));
        sev->accept();
        QCOMPARE(rig.get(id).severity, QStringLiteral("P1"));
        QCOMPARE(kinds(view.timeline()).constLast(), QStringLiteral("severity_changed"));
        QCOMPARE(view.model()->index(view.model()->rowOf(id), IncidentListModel::SeverityColumn).data().toString(), QStringLiteral("P1"));

        // Resolve: needs the note before its button works; Cancel leaves the incident open.
        QTest::mouseClick(button(&view, "resolveButton"), Qt::LeftButton);
        auto *resolve = waitForDialog<ResolveDialog>(&view, QStringLiteral("resolveDialog"));
        QVERIFY(resolve);
        auto *confirm = resolve->findChild<QPushButton *>(QStringLiteral("resolveButton"));
        QVERIFY(!confirm->isEnabled());
        resolve->findChild<QPlainTextEdit *>(QStringLiteral("note"))->setPlainText(QStringLiteral("failed over to the replica"));
        QVERIFY(confirm->isEnabled());
        resolve->reject();
        QVERIFY(rig.get(id).isOpen());
        QTRY_VERIFY(!view.findChild<ResolveDialog *>(QStringLiteral("resolveDialog")));

        QTest::mouseClick(button(&view, "resolveButton"), Qt::LeftButton);
        resolve = waitForDialog<ResolveDialog>(&view, QStringLiteral("resolveDialog"));
        QVERIFY(resolve);
        resolve->findChild<QPlainTextEdit *>(QStringLiteral("note"))->setPlainText(QStringLiteral("failed over to the replica"));
        resolve->findChild<QLineEdit *>(QStringLiteral("rootCause"))->setText(QStringLiteral("a long vacuum"));
        resolve->findChild<QLineEdit *>(QStringLiteral("prevention"))->setText(QStringLiteral("schedule vacuums at night"));
        QTest::mouseClick(resolve->findChild<QPushButton *>(QStringLiteral("resolveButton")), Qt::LeftButton);
        const Incident done = rig.get(id);
        QCOMPARE(done.state, IncidentState::Resolved);
        QCOMPARE(done.rootCause, QStringLiteral("a long vacuum"));
        QCOMPARE(done.prevention, QStringLiteral("schedule vacuums at night"));
        QCOMPARE(done.timeline.constLast().kind, QStringLiteral("resolved"));
        QCOMPARE(done.timeline.constLast().actor, currentActor());
        // Resolved, it leaves the default "not resolved" list; shown again, it offers only what a
        // resolved incident still allows.
        QVERIFY(!view.filter()->mapFromSource(view.model()->index(view.model()->rowOf(id), 0)).isValid());
        view.showIncident(id);
        QVERIFY(!button(&view, "resolveButton")->isEnabled());
        QVERIFY(!button(&view, "noteButton")->isEnabled());
        QVERIFY(button(&view, "exportButton")->isEnabled());
    }

    void overdueTargetsAreHighlighted()
    {
        ShownIncident rig;
        QVERIFY(rig.show(QStringLiteral("api"), QStringLiteral("API down"), QStringLiteral("P0")));
        const qint64 id = rig.id;
        IncidentsView &view = *rig.view;
        const QModelIndex targets = view.model()->index(view.model()->rowOf(id), IncidentListModel::TargetsColumn);
        QVERIFY(!targets.data(IncidentListModel::OverdueRole).toBool());
        QVERIFY(targets.data().toString().contains(QStringLiteral("acknowledge due in")));
        QVERIFY(targets.data(Qt::DecorationRole).isNull());

        // P0: acknowledge within 5 minutes. Six minutes later it is overdue: colour, icon and word.
        rig.clock.advance(6 * 60'000);
        QTRY_VERIFY_WITH_TIMEOUT(targets.data(IncidentListModel::OverdueRole).toBool(), 3000);
        QVERIFY(targets.data().toString().startsWith(QStringLiteral("OVERDUE: acknowledge")));
        QVERIFY(!targets.data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(targets.data(Qt::BackgroundRole).value<QColor>().isValid());
        QTRY_VERIFY_WITH_TIMEOUT(view.findChild<QLabel *>(QStringLiteral("targets"))->text().contains(QStringLiteral("OVERDUE")), 3000);

        // Acknowledging meets that target; diagnose (15 min) is still ahead.
        QTest::mouseClick(button(&view, "acknowledgeButton"), Qt::LeftButton);
        QVERIFY(!targets.data(IncidentListModel::OverdueRole).toBool());
        QVERIFY(targets.data().toString().contains(QStringLiteral("diagnose due in")));
        // And mitigate (30 min) passes too.
        rig.clock.advance(30 * 60'000);
        QTRY_VERIFY_WITH_TIMEOUT(targets.data(IncidentListModel::OverdueRole).toBool(), 3000);
        QVERIFY(targets.data().toString().contains(QStringLiteral("diagnose")));
        QVERIFY(targets.data().toString().contains(QStringLiteral("mitigate")));
    }

    void copyMessageAndExportPostmortem()
    {
        ShownIncident rig;
        QVERIFY(rig.show(QStringLiteral("api"), QStringLiteral("API down"), QStringLiteral("P0")));
        const qint64 id = rig.id;
        IncidentsView &view = *rig.view;

        QApplication::clipboard()->clear();
        QTest::mouseClick(button(&view, "copyButton"), Qt::LeftButton);
        auto *message = waitForDialog<MessageTemplateDialog>(&view, QStringLiteral("messageDialog"));
        QVERIFY(message);
        message->findChild<QLineEdit *>(QStringLiteral("eta"))->setText(QStringLiteral("30 minutes"));
        const QString expected = IncidentTemplates::detected(rig.get(id), QStringLiteral("30 minutes"));
        QCOMPARE(message->findChild<QPlainTextEdit *>(QStringLiteral("preview"))->toPlainText(), expected);
        QTest::mouseClick(message->findChild<QPushButton *>(QStringLiteral("copyButton")), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), expected);
        QTRY_VERIFY(!view.findChild<MessageTemplateDialog *>(QStringLiteral("messageDialog")));

        // The resolved template too.
        QTest::mouseClick(button(&view, "copyButton"), Qt::LeftButton);
        message = waitForDialog<MessageTemplateDialog>(&view, QStringLiteral("messageDialog"));
        QVERIFY(message);
        auto *which = message->findChild<QComboBox *>(QStringLiteral("template"));
        which->setCurrentIndex(which->findData(QStringLiteral("resolved")));
        QVERIFY(message->text().startsWith(QStringLiteral("✅ RESOLVED: API down")));
        QTest::mouseClick(message->findChild<QPushButton *>(QStringLiteral("copyButton")), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), IncidentTemplates::resolved(rig.get(id)));
        QTRY_VERIFY(!view.findChild<MessageTemplateDialog *>(QStringLiteral("messageDialog")));

        // Export: the postmortem as core writes it, into the chosen file.
        const QString path = rig.dir.filePath(QStringLiteral("pm.md"));
        QTest::mouseClick(button(&view, "exportButton"), Qt::LeftButton);
        auto *save = waitForDialog<QFileDialog>(&view, QStringLiteral("exportDialog"));
        QVERIFY(save);
        save->selectFile(path);
        static_cast<QDialog *>(save)->accept(); // QFileDialog makes accept() protected
        QTRY_VERIFY(QFile::exists(path));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString markdown = QString::fromUtf8(f.readAll());
        QVERIFY(markdown.startsWith(QStringLiteral("# Postmortem: API down")));
        QVERIFY(markdown.contains(QStringLiteral("| Incident | #%1 |").arg(id)));
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("message"))->text().contains(QStringLiteral("pm.md")));
    }

    void changesFromAnotherProgramShowUp()
    {
        ShownIncident rig;
        QVERIFY(rig.show(QStringLiteral("api"), QStringLiteral("API down"), QStringLiteral("P0")));
        const qint64 id = rig.id;
        IncidentsView &view = *rig.view;
        rig.session->incidents()->start(); // notices changes other programs make to the store

        // Another program on the same store (as opsdeckctl incident ack would be).
        CoreSession other(&rig.clock);
        QVERIFY(other.loadConfig(rig.session->configPath()));
        QString error;
        QVERIFY(other.openHistory(&error));
        QVERIFY(other.incidents()->acknowledge(id, QStringLiteral("someone-else"), QStringLiteral("on it"), &error));
        rig.clock.advance(1000);
        const auto opened = other.incidents()->openByHand(QStringLiteral("db"), QStringLiteral("DB slow"), QStringLiteral("P3"),
                                                          QStringLiteral("someone-else"), &error);
        QVERIFY(opened);

        QTRY_COMPARE_WITH_TIMEOUT(view.model()->index(view.model()->rowOf(id), IncidentListModel::StateColumn).data().toString(),
                                  IncidentListModel::stateLabel(IncidentState::Acknowledged), 10'000);
        QCOMPARE(kinds(view.timeline()).constLast(), QStringLiteral("acknowledged"));
        QCOMPARE(view.timeline()->index(1).data(IncidentTimelineModel::ActorRole).toString(), QStringLiteral("someone-else"));
        QTRY_VERIFY_WITH_TIMEOUT(view.model()->rowOf(opened->id) >= 0, 10'000);
        rig.session->incidents()->stop();
    }
};

QTEST_MAIN(TestUiIncidents)
#include "tst_ui_incidents.moc"
