#include "actiondialog.h"
#include "budgetchart.h"
#include "clock.h"
#include "checkhistorymodel.h"
#include "checktablemodel.h"
#include "coresession.h"
#include "failovercontroller.h"
#include "failovermanager.h"
#include "failoverpanel.h"
#include "healthstyle.h"
#include "historystore.h"
#include "incidentmanager.h"
#include "latencychart.h"
#include "recoverycriteriamodel.h"
#include "serviceview.h"
#include "simprocess.h"
#include "slocalculator.h"
#include "slomonitor.h"
#include "watcher.h"

#include <QAbstractItemModelTester>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

// The service view offscreen over a real CoreSession: the demo fleet's EchoPilot and its fallback,
// a SQLite store in a temp dir, failover and actions that are harmless `sh -c` commands.
class TestUiServiceView : public QObject
{
    Q_OBJECT

private:
    SimProcess m_sim;
    QTemporaryDir m_dir;
    std::unique_ptr<CoreSession> m_session;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    QByteArray config() const
    {
        const QByteArray dir = m_dir.path().toUtf8();
        const QByteArray ep = m_sim.baseUrl(QStringLiteral("echopilot")).toString().toUtf8();
        const QByteArray fb = m_sim.baseUrl(QStringLiteral("fallback")).toString().toUtf8();
        return "store: sqlite:" + dir + "/store.sqlite\n"
               "defaults: { interval: 1h, timeout: 2s, failure_threshold: 1 }\n"
               "services:\n"
               "  - name: echopilot\n"
               "    group: EchoPilot\n"
               "    description: Bot and dashboard with the fallback\n"
               "    slo: { availability: 99.9, latency_ms: 400, latency_target: 95, window: 7d }\n"
               "    runbooks: [" + dir + "/echopilot.md]\n"
               "    checks:\n"
               "      - name: health\n"
               "        url: " + ep + "/health\n"
               "        conditions: [\"[STATUS] == 200\", \"[BODY].dependencies.* == ok\"]\n"
               "      - name: fallback-health\n"
               "        url: " + fb + "/health\n"
               "        conditions: [\"[STATUS] == 200\", \"[BODY].status == ok\"]\n"
               "    actions:\n"
               "      - { name: enable-fallback, command: [sh, -c, 'echo on > " + dir + "/fallback-on'] }\n"
               "      - { name: disable-fallback, command: [sh, -c, 'rm -f " + dir + "/fallback-on'] }\n"
               "      - name: retry-job\n"
               "        description: Retries a stuck job\n"
               "        command: [sh, -c, 'echo \"retry $1\"', retry, \"{job_id}\"]\n"
               "        params: { job_id: { pattern: '^[a-z0-9-]+$' } }\n"
               "    failover:\n"
               "      primary: health\n"
               "      fallback: fallback-health\n"
               "      mode: manual\n"
               "      state_file: " + dir + "/echopilot-failover.json\n"
               "      actions: [enable-fallback]\n"
               "      failback_actions: [disable-fallback]\n"
               "  - name: plain\n"
               "    checks:\n"
               "      - { name: disk, type: disk, path: /, conditions: [\"[FREE_PERCENT] >= 0\"] }\n";
    }

    void ingest(const QString &check, qint64 atMs, Health outcome, double latencyMs, int httpStatus = 200)
    {
        CheckResult r;
        r.service = QStringLiteral("echopilot");
        r.check = check;
        r.atMs = atMs;
        r.outcome = outcome;
        r.latencyMs = latencyMs;
        r.httpStatus = httpStatus;
        if (outcome == Health::Down) {
            r.failedCondition = QStringLiteral("[STATUS] == 200");
            r.actualValue = QStringLiteral("got %1").arg(httpStatus);
        }
        m_session->watcher()->ingest(r);
    }

    static QMessageBox *confirmBox(QWidget *within)
    {
        QMessageBox *box = nullptr;
        for (QMessageBox *b : within->findChildren<QMessageBox *>(QStringLiteral("failoverConfirm")))
            if (b->isVisible())
                box = b;
        return box;
    }

    static QString labelText(QWidget *within, const char *name)
    {
        auto *l = within->findChild<QLabel *>(QLatin1String(name));
        return l ? l->text() : QStringLiteral("<no %1>").arg(QLatin1String(name));
    }

    QJsonObject stateFile() const
    {
        QFile f(path(QStringLiteral("echopilot-failover.json")));
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(f.readAll()).object();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_sim.start(), qPrintable(m_sim.errorString()));
        QFile runbook(path(QStringLiteral("echopilot.md")));
        QVERIFY(runbook.open(QIODevice::WriteOnly));
        runbook.write("# EchoPilot\n\n1. Check the health endpoint.\n");
        runbook.close();
        QFile f(path(QStringLiteral("opsdeck.yaml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(config());
        f.close();
        m_session = std::make_unique<CoreSession>();
        QVERIFY(m_session->loadConfig(f.fileName()));
        QString error;
        QVERIFY2(m_session->openHistory(&error), qPrintable(error));
        QVERIFY(m_session->failover() && m_session->failover()->controller(QStringLiteral("echopilot")));
    }

    void cleanupTestCase()
    {
        m_session.reset();
    }

    void burnDownIsTheBudgetLeftAfterEachStep()
    {
        SloSettings slo;
        slo.availability = 99.0; // 1 bad event in 100 is the whole budget
        auto counts = [](quint64 total, quint64 good) {
            EventCounts c;
            c.total = total;
            c.good = good;
            return c;
        };
        const QList<QPair<qint64, EventCounts>> series = {
            {1000, counts(0, 0)}, {2000, counts(100, 100)}, {3000, counts(100, 99)}, {4000, counts(200, 196)}};
        const auto points = SloCalculator::budgetBurnDown(slo, series);
        QCOMPARE(points.size(), 4);
        QCOMPARE(points.at(0), qMakePair(qint64(1000), 1.0)); // nothing spent before the first event
        QCOMPARE(points.at(1).second, 1.0);
        QVERIFY(qAbs(points.at(2).second - 0.5) < 1e-9);   // 1 bad of 200: half of the 2 allowed
        QVERIFY(qAbs(points.at(3).second - (-0.25)) < 1e-9); // 5 bad of 400: 4 allowed, overspent
    }

    void checksShowTheFailedConditionWithItsValueAndHistory()
    {
        ServiceView view(m_session.get());
        QAbstractItemModelTester checksTester(view.checkModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester historyTester(view.historyModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.setService(QStringLiteral("echopilot"));
        view.resize(1280, 800);
        view.show();
        CheckTableModel *model = view.checkModel();
        QCOMPARE(model->rowCount(), 2);
        QVERIFY(labelText(&view, "serviceTitle").contains(u"echopilot"));

        // The demo fleet's database dependency fails; one probing pass sees it.
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, path: /health, kind: degraded, dependency: database}\n"));
        m_session->watcher()->runOnce();
        const QModelIndex health = model->index(model->rowOf(QStringLiteral("health")), 0);
        QTRY_COMPARE_WITH_TIMEOUT(health.data(CheckTableModel::HealthRole).toInt(), int(Health::Down), 10'000);
        QCOMPARE(health.siblingAtColumn(CheckTableModel::ReasonColumn).data().toString(),
                 QStringLiteral("[BODY].dependencies.* == ok — `[BODY].dependencies.database` got `fail`"));
        QCOMPARE(health.siblingAtColumn(CheckTableModel::StateColumn).data().toString(), HealthStyle::label(Health::Down));
        QVERIFY(!health.data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(!health.siblingAtColumn(CheckTableModel::LatencyColumn).data().toString().isEmpty());
        QVERIFY(!health.siblingAtColumn(CheckTableModel::LastCheckColumn).data().toString().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(labelText(&view, "serviceTitle").contains(HealthStyle::label(Health::Down)), 5000);

        // The history of the selected check (the failing one) has that result, newest first.
        auto *checks = view.findChild<QTableView *>(QStringLiteral("checks"));
        checks->setCurrentIndex(health);
        QCOMPARE(view.historyModel()->check(), QStringLiteral("health"));
        QTRY_VERIFY_WITH_TIMEOUT(view.historyModel()->rowCount() >= 1, 5000);
        QCOMPARE(view.historyModel()->index(0, CheckHistoryModel::StateColumn).data().toString(), HealthStyle::label(Health::Down));
        QVERIFY(view.historyModel()->index(0, CheckHistoryModel::ReasonColumn).data().toString().contains(u"got `fail`"));

        // Recovered: the row says so and the history grows at the top.
        QVERIFY(m_sim.setFaults(""));
        m_session->watcher()->runOnce();
        QTRY_COMPARE_WITH_TIMEOUT(health.data(CheckTableModel::HealthRole).toInt(), int(Health::Ok), 10'000);
        QVERIFY(health.siblingAtColumn(CheckTableModel::ReasonColumn).data().toString().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(view.historyModel()->index(0, CheckHistoryModel::StateColumn).data().toString(),
                                  HealthStyle::label(Health::Ok), 5000);

        // Choosing the other check shows its history instead.
        checks->setCurrentIndex(model->index(model->rowOf(QStringLiteral("fallback-health")), 0));
        QCOMPARE(view.historyModel()->check(), QStringLiteral("fallback-health"));
        QTRY_VERIFY_WITH_TIMEOUT(view.historyModel()->rowCount() >= 1, 5000);
    }

    void chartsBudgetAndRecoveryCriteriaFromHistory()
    {
        ServiceView view(m_session.get());
        QAbstractItemModelTester recoveryTester(view.recoveryModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.setService(QStringLiteral("echopilot"));
        view.resize(1280, 800);
        view.show();

        // Forty minutes of results: latencies of 100–290 ms, one 503 five minutes ago.
        const qint64 now = m_session->clock()->nowMs();
        for (int i = 40; i >= 1; --i)
            ingest(QStringLiteral("health"), now - i * 60'000, i == 5 ? Health::Down : Health::Ok, 100 + (i % 20) * 10, i == 5 ? 503 : 200);
        QVERIFY(m_session->history()->flush());

        LatencyChart *latency = view.latencyChart();
        latency->setRange(LatencyChart::LastHour);
        QTRY_VERIFY_WITH_TIMEOUT(latency->p95()->count() >= 30, 5000);
        QCOMPARE(latency->p50()->count(), latency->p95()->count());
        QCOMPARE(latency->p99()->count(), latency->p95()->count());
        double slowest = 0;
        for (int i = 0; i < latency->p99()->count(); ++i) {
            QVERIFY(latency->p99()->at(i).y() >= latency->p95()->at(i).y());
            QVERIFY(latency->p95()->at(i).y() >= latency->p50()->at(i).y());
            QVERIFY(latency->p99()->at(i).y() > 0 && latency->p99()->at(i).y() < 600);
            slowest = qMax(slowest, latency->p99()->at(i).y());
        }
        QVERIFY(slowest > 250); // the 290 ms results (the demo fleet's own answers are faster)
        // The SLO threshold: a dashed line at 400 ms across the range.
        QCOMPARE(latency->threshold()->count(), 2);
        QCOMPARE(latency->threshold()->at(0).y(), 400.0);
        QCOMPARE(latency->threshold()->pen().style(), Qt::DashLine);
        QVERIFY(latency->threshold()->isVisible());
        QVERIFY(latency->chart()->title().isEmpty()); // no "nothing measured"
        latency->setRange(LatencyChart::LastMonth);
        QVERIFY(latency->p95()->count() >= 1);
        QVERIFY(latency->p95()->count() <= 121);

        // The burn-down ends at what the monitor reports; burn rates, alert and forecast are shown.
        m_session->slo()->evaluate();
        const SloReport *report = m_session->slo()->report(QStringLiteral("echopilot"));
        QVERIFY(report);
        QVERIFY(report->budgetRemaining < 1.0);
        BudgetChart *budget = view.budgetChart();
        QTRY_VERIFY_WITH_TIMEOUT(budget->remaining()->count() > 0, 5000);
        QVERIFY(qAbs(budget->remaining()->at(budget->remaining()->count() - 1).y() - report->budgetRemaining * 100.0) < 1e-6);
        QVERIFY(budget->remaining()->at(0).y() == 100.0 || budget->remaining()->count() == 1);
        QVERIFY(labelText(&view, "burn_1h").contains(u"×"));
        QVERIFY(report->burnBadEvents.value(QStringLiteral("1h")) >= 1);
        QVERIFY(labelText(&view, "burn_1h").contains(QStringLiteral("(%1 bad)").arg(report->burnBadEvents.value(QStringLiteral("1h")))));
        QVERIFY(labelText(&view, "burnAlert").startsWith(u"Alert: none")); // one bad event is not enough to page
        QVERIFY(labelText(&view, "budgetForecast").startsWith(u"Forecast:"));
        QVERIFY(labelText(&view, "budgetSummary").contains(u"of the budget left"));

        // Recovery criteria: the runbook's four lines, each passed or not with what was measured.
        RecoveryCriteriaModel *recovery = view.recoveryModel();
        QCOMPARE(recovery->rowCount(), 4);
        // Measured again once the new results are in the store (the view rereads it after a burst).
        QTRY_COMPARE_WITH_TIMEOUT(recovery->index(2, RecoveryCriteriaModel::MeasuredColumn).data().toString(),
                                  QStringLiteral("1 responses ≥ 500"), 5000);
        QStringList criteria;
        for (int i = 0; i < recovery->rowCount(); ++i)
            criteria << recovery->index(i, RecoveryCriteriaModel::CriterionColumn).data().toString();
        QCOMPARE(criteria.size(), 4);
        QVERIFY(criteria.at(0).startsWith(u"healthy for"));
        QVERIFY(criteria.at(2).startsWith(u"no 5xx"));
        // The 503 five minutes ago fails "no 5xx in 15m" and "healthy for 30m+"; P99 passes.
        QCOMPARE(recovery->index(2, 0).data(RecoveryCriteriaModel::PassedRole).toBool(), false);
        QCOMPARE(recovery->index(2, RecoveryCriteriaModel::ResultColumn).data().toString(), QStringLiteral("fail"));
        QVERIFY(recovery->index(2, RecoveryCriteriaModel::MeasuredColumn).data().toString().contains(u"≥ 500"));
        QCOMPARE(recovery->index(0, 0).data(RecoveryCriteriaModel::PassedRole).toBool(), false);
        QCOMPARE(recovery->index(3, 0).data(RecoveryCriteriaModel::PassedRole).toBool(), true);
        QCOMPARE(recovery->index(3, RecoveryCriteriaModel::ResultColumn).data().toString(), QStringLiteral("pass"));
        QVERIFY(recovery->index(3, RecoveryCriteriaModel::MeasuredColumn).data().toString().startsWith(u"P99"));
        QVERIFY(!recovery->allPassed());
        QVERIFY(labelText(&view, "recoverySummary").contains(u"criteria pass"));

        // What the operator sees, at both sizes: the charts are on screen with room to read them.
        latency->setRange(LatencyChart::LastDay);
        QVERIFY(latency->p95()->count() >= 3);
        for (const QSize size : {QSize(1920, 1080), QSize(1280, 800)}) {
            view.resize(size);
            QCoreApplication::processEvents();
            auto *latencyView = view.findChild<QChartView *>(QStringLiteral("latencyChart"));
            auto *budgetView = view.findChild<QChartView *>(QStringLiteral("budgetChart"));
            QVERIFY(latencyView->isVisible() && budgetView->isVisible());
            QVERIFY(latencyView->height() >= 240 && latencyView->width() >= 400);
            QVERIFY(budgetView->height() >= 240 && budgetView->width() >= 300);
            const QString dir = qEnvironmentVariable("OPSDECK_SCREENSHOT_DIR");
            if (!dir.isEmpty())
                view.grab().save(QStringLiteral("%1/serviceview-%2x%3.png").arg(dir).arg(size.width()).arg(size.height()));
        }
    }

    void failoverNowFailbackAndDrillThroughTheirConfirmations()
    {
        ServiceView view(m_session.get());
        view.setService(QStringLiteral("echopilot"));
        view.resize(1280, 800);
        view.show();
        FailoverPanel *panel = view.failoverPanel();
        QVERIFY(panel->isVisible());
        FailoverController *controller = panel->controller();
        QVERIFY(controller);
        QVERIFY(labelText(panel, "failoverState").startsWith(u"On the primary `health`"));
        QVERIFY(labelText(panel, "failoverState").contains(u"Mode: manual"));
        QVERIFY(!QFile::exists(path(QStringLiteral("fallback-on"))));

        // Cancel changes nothing.
        panel->findChild<QPushButton *>(QStringLiteral("failoverButton"))->click();
        QMessageBox *box = confirmBox(panel);
        QVERIFY(box);
        QVERIFY(box->text().contains(u"from `health` to `fallback-health`"));
        QVERIFY(box->text().contains(u"enable-fallback"));
        box->button(QMessageBox::Cancel)->click();
        QCoreApplication::processEvents();
        QVERIFY(!controller->state().failoverActive);
        QVERIFY(!QFile::exists(path(QStringLiteral("fallback-on"))));

        // Confirmed: the fallback is verified, the action runs, the state file says so.
        QSignalSpy finished(panel, &FailoverPanel::finished);
        panel->findChild<QPushButton *>(QStringLiteral("failoverButton"))->click();
        box = confirmBox(panel);
        QVERIFY(box);
        box->button(QMessageBox::Yes)->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15'000);
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        QVERIFY(QFile::exists(path(QStringLiteral("fallback-on"))));
        QCOMPARE(stateFile().value(u"failover_active").toBool(), true);
        QVERIFY(controller->state().failoverActive);
        QTRY_VERIFY_WITH_TIMEOUT(labelText(panel, "failoverState").startsWith(u"Failed over to the fallback `fallback-health`"), 5000);
        QVERIFY(labelText(panel, "failoverResult").startsWith(u"Done:"));
        QVERIFY(panel->findChild<QListWidget *>(QStringLiteral("failoverLog"))->count() > 0);

        // Fail back, the same way.
        panel->findChild<QPushButton *>(QStringLiteral("failbackButton"))->click();
        box = confirmBox(panel);
        QVERIFY(box);
        QVERIFY(box->text().contains(u"disable-fallback"));
        box->button(QMessageBox::Yes)->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 15'000);
        QVERIFY2(finished.at(1).at(0).toBool(), qPrintable(finished.at(1).at(1).toString()));
        QVERIFY(!QFile::exists(path(QStringLiteral("fallback-on"))));
        QCOMPARE(stateFile().value(u"failover_active").toBool(), false);
        QTRY_VERIFY_WITH_TIMEOUT(labelText(panel, "failoverState").startsWith(u"On the primary"), 5000);

        // The drill: nothing switched, a report.
        panel->findChild<QPushButton *>(QStringLiteral("drillButton"))->click();
        box = confirmBox(panel);
        QVERIFY(box);
        QVERIFY(box->text().contains(u"dry runs"));
        box->button(QMessageBox::Yes)->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 20'000);
        QVERIFY2(finished.at(2).at(0).toBool(), qPrintable(finished.at(2).at(1).toString()));
        QVERIFY(labelText(panel, "failoverResult").contains(u"Drill report:"));
        QVERIFY(!QFile::exists(path(QStringLiteral("fallback-on"))));
        QCOMPARE(stateFile().value(u"failover_active").toBool(), false);

        // A service without failover has no panel.
        view.setService(QStringLiteral("plain"));
        QVERIFY(!panel->isVisible());
    }

    void actionButtonsOpenTheDialog()
    {
        QWidget window;
        auto *view = new ServiceView(m_session.get(), &window);
        view->setService(QStringLiteral("echopilot"));
        window.resize(1280, 800);
        window.show();
        QWidget *actions = view->findChild<QWidget *>(QStringLiteral("actions"));
        QVERIFY(actions && actions->isVisible());
        for (const char *name : {"action_enable-fallback", "action_disable-fallback", "action_retry-job"})
            QVERIFY2(actions->findChild<QPushButton *>(QLatin1String(name)), name);

        actions->findChild<QPushButton *>(QStringLiteral("action_retry-job"))->click();
        QPointer<ActionDialog> dialog = view->findChild<ActionDialog *>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->windowModality(), Qt::WindowModal);
        QVERIFY(dialog->findChild<QWidget *>(QStringLiteral("params"))->isVisible());
        QVERIFY(!dialog->findChild<QPushButton *>(QStringLiteral("runButton"))->isEnabled()); // job_id is required
        QCOMPARE(dialog->runId(), 0);
        dialog->findChild<QPushButton *>(QStringLiteral("closeButton"))->click();
        QTRY_VERIFY(dialog.isNull());

        // A service without actions shows no action row.
        view->setService(QStringLiteral("plain"));
        QVERIFY(!actions->isVisible());
        QVERIFY(!actions->findChild<QPushButton *>(QStringLiteral("action_retry-job")));
    }

    void runbooksAndIncidentNavigate()
    {
        ServiceView view(m_session.get());
        view.setService(QStringLiteral("echopilot"));
        view.show();
        auto *runbooks = view.findChild<QPushButton *>(QStringLiteral("runbooksButton"));
        QVERIFY(runbooks->isVisible());
        QSignalSpy runbooksSpy(&view, &ServiceView::runbooksRequested);
        runbooks->click();
        QCOMPARE(runbooksSpy.size(), 1);
        QCOMPARE(runbooksSpy.first().first().toString(), QStringLiteral("echopilot"));

        // An incident opened by hand on a service shows up in its view; the button goes there.
        view.setService(QStringLiteral("plain"));
        QVERIFY(!runbooks->isVisible());
        auto *incident = view.findChild<QPushButton *>(QStringLiteral("incidentButton"));
        QVERIFY(!incident->isVisible());
        QString error;
        const auto opened = m_session->incidents()->openByHand(QStringLiteral("plain"), QStringLiteral("Disk fills up"),
                                                               QStringLiteral("P2"), QStringLiteral("tester"), &error);
        QVERIFY2(opened, qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(incident->isVisible(), 5000);
        QVERIFY(incident->text().contains(QStringLiteral("#%1").arg(opened->id)));
        QVERIFY(incident->text().contains(u"Disk fills up"));
        QSignalSpy incidentSpy(&view, &ServiceView::incidentRequested);
        incident->click();
        QCOMPARE(incidentSpy.size(), 1);
        QCOMPARE(incidentSpy.first().first().toLongLong(), opened->id);
    }
};

QTEST_MAIN(TestUiServiceView)
#include "tst_ui_serviceview.moc"
