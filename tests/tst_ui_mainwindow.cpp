#include "coresession.h"
#include "dashboardview.h"
#include "healthstyle.h"
#include "incidentsview.h"
#include "mainwindow.h"
#include "servicetreemodel.h"
#include "serviceview.h"
#include "simprocess.h"
#include "watcher.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>

// The main window offscreen, over real core objects watching the demo fleet.
class TestUiMainWindow : public QObject
{
    Q_OBJECT

private:
    QString write(const QString &name, const QByteArray &yaml)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(yaml);
        return path;
    }

    QModelIndex find(const ServiceTreeModel &model, const QString &service, const QString &check = {})
    {
        for (int i = 0; i < model.rowCount(); ++i) {
            const QModelIndex s = model.index(i, 0);
            if (s.data(ServiceTreeModel::ServiceRole).toString() != service)
                continue;
            if (check.isEmpty())
                return s;
            for (int j = 0; j < model.rowCount(s); ++j)
                if (model.index(j, 0, s).data(ServiceTreeModel::CheckRole).toString() == check)
                    return model.index(j, 0, s);
        }
        return {};
    }

    QByteArray fleetConfig()
    {
        const QByteArray ep = m_sim.baseUrl(QStringLiteral("echopilot")).toString().toUtf8();
        const QByteArray ai = m_sim.baseUrl(QStringLiteral("aifsm")).toString().toUtf8();
        return "defaults: { interval: 300ms, timeout: 1s, failure_threshold: 1 }\n"
               "services:\n"
               "  - name: echopilot\n    group: EchoPilot\n    checks:\n"
               "      - name: health\n        url: " + ep + "/health\n"
               "        conditions: [\"[STATUS] == 200\", \"[BODY].dependencies.* == ok\"]\n"
               "  - name: ai-fsm\n    checks:\n"
               "      - name: api-health\n        url: " + ai + "/api/health\n"
               "        conditions: [\"[BODY].checks.db == ok\"]\n";
    }

private slots:
    void initTestCase() { QVERIFY2(m_sim.start(), qPrintable(m_sim.errorString())); }

    void liveStateAndReason()
    {
        QVERIFY(m_sim.setFaults(""));
        CoreSession session;
        QVERIFY(session.loadConfig(write(QStringLiteral("fleet.yaml"), fleetConfig())));
        MainWindow window(&session);
        ServiceTreeModel *model = window.model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        window.show();
        session.watcher()->start();

        QCOMPARE(model->rowCount(), 2);
        const QModelIndex health = find(*model, QStringLiteral("echopilot"), QStringLiteral("health"));
        QVERIFY(health.isValid());
        QTRY_COMPARE_WITH_TIMEOUT(health.data(ServiceTreeModel::HealthRole).toInt(), int(Health::Ok), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(find(*model, QStringLiteral("echopilot")).data(ServiceTreeModel::HealthRole).toInt(), int(Health::Ok), 5000);
        QCOMPARE(health.siblingAtColumn(ServiceTreeModel::StateColumn).data().toString(), HealthStyle::label(Health::Ok));
        QVERIFY(!health.siblingAtColumn(ServiceTreeModel::LatencyColumn).data().toString().isEmpty());
        QVERIFY(!health.siblingAtColumn(ServiceTreeModel::LastCheckColumn).data().toString().isEmpty());

        // The dependency fails: the row turns down and says which condition and what it got.
        QVERIFY(m_sim.setFaults("faults:\n  - {system: echopilot, path: /health, kind: degraded, dependency: database}\n"));
        QTRY_COMPARE_WITH_TIMEOUT(health.data(ServiceTreeModel::HealthRole).toInt(), int(Health::Down), 5000);
        QCOMPARE(health.siblingAtColumn(ServiceTreeModel::ReasonColumn).data().toString(),
                 QStringLiteral("[BODY].dependencies.* == ok — `[BODY].dependencies.database` got `fail`"));
        const QModelIndex service = find(*model, QStringLiteral("echopilot"));
        QTRY_COMPARE_WITH_TIMEOUT(service.data(ServiceTreeModel::HealthRole).toInt(), int(Health::Down), 3000);
        QVERIFY(service.siblingAtColumn(ServiceTreeModel::ReasonColumn).data().toString().startsWith(u"health: [BODY].dependencies.*"));
        QVERIFY(!service.data(Qt::DecorationRole).value<QIcon>().isNull());

        // And recovers.
        QVERIFY(m_sim.setFaults(""));
        QTRY_COMPARE_WITH_TIMEOUT(health.data(ServiceTreeModel::HealthRole).toInt(), int(Health::Ok), 5000);
        session.watcher()->stop();
    }

    void reloadWithErrorsKeepsRunning()
    {
        const QString path = write(QStringLiteral("reload.yaml"), fleetConfig());
        CoreSession session;
        QVERIFY(session.loadConfig(path));
        MainWindow window(&session);
        window.show();
        write(QStringLiteral("reload.yaml"), "services:\n  - name: broken\n    checks:\n      - name: x\n        url: ftp://nope/\n");
        QVERIFY(!window.reloadConfig());
        auto *box = window.findChild<QMessageBox *>();
        QVERIFY(box);
        QVERIFY(box->detailedText().contains(path + QStringLiteral(":5:14: error: services[broken].checks[x].url: bad URL")));
        box->close();
        QCOMPARE(window.model()->rowCount(), 2); // the previous config still runs
        QCOMPARE(session.config().services.first().name, QStringLiteral("echopilot"));

        // A good file replaces it.
        write(QStringLiteral("reload.yaml"), fleetConfig().replace("name: ai-fsm", "name: pi"));
        QVERIFY(window.reloadConfig());
        QVERIFY(find(*window.model(), QStringLiteral("pi")).isValid());
        session.watcher()->stop();
    }

    void insecureIsVisible()
    {
        const QByteArray yaml = "services:\n  - name: gw\n    checks:\n      - name: h\n        url: https://localhost:"
            + QByteArray::number(m_sim.port(QStringLiteral("gateway"))) + "/api/health\n        insecure: true\n";
        CoreSession session;
        QVERIFY(session.loadConfig(write(QStringLiteral("insecure.yaml"), yaml)));
        MainWindow window(&session);
        window.show();
        QVERIFY(window.warningBanner()->isVisible());
        QVERIFY(window.warningBanner()->text().contains(u"TLS certificate verification is OFF"));
        QVERIFY(!window.blindBanner()->isVisible());
    }

    void blindBanner()
    {
        QTcpServer a, b;
        QVERIFY(a.listen(QHostAddress::LocalHost, 0));
        QVERIFY(b.listen(QHostAddress::LocalHost, 0));
        const QByteArray pa = QByteArray::number(a.serverPort()), pb = QByteArray::number(b.serverPort());
        a.close();
        b.close();
        const QByteArray yaml = "defaults: { interval: 200ms, timeout: 500ms }\nservices:\n  - name: fleet\n    checks:\n"
                                "      - name: a\n        url: http://127.0.0.1:" + pa + "/\n"
                                "      - name: b\n        url: http://localhost:" + pb + "/\n";
        CoreSession session;
        QVERIFY(session.loadConfig(write(QStringLiteral("blind.yaml"), yaml)));
        MainWindow window(&session);
        window.show();
        session.watcher()->start();
        QTRY_VERIFY_WITH_TIMEOUT(window.blindBanner()->isVisible(), 5000);
        QVERIFY(window.blindBanner()->text().startsWith(u"OpsDeck cannot see: all 2 monitored hosts are unreachable"));
        QTRY_COMPARE_WITH_TIMEOUT(find(*window.model(), QStringLiteral("fleet")).data(ServiceTreeModel::HealthRole).toInt(),
                                  int(Health::Unknown), 3000);
        session.watcher()->stop();
    }

    void everyViewHasItsKey()
    {
        CoreSession session;
        QVERIFY(session.loadConfig(write(QStringLiteral("keys.yaml"), "store: sqlite:" + m_dir.filePath(QStringLiteral("keys.sqlite")).toUtf8() + "\n" + fleetConfig())));
        QString error;
        QVERIFY2(session.openHistory(&error), qPrintable(error));
        MainWindow window(&session);
        window.show();
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        for (int page = MainWindow::PageCount - 1; page >= 0; --page) {
            QTest::keyClick(&window, Qt::Key(Qt::Key_1 + page), Qt::ControlModifier);
            QCOMPARE(int(window.currentPage()), page);
            QCOMPARE(window.sidebar()->currentRow(), page);
            QVERIFY(!window.page(MainWindow::Page(page))->accessibleName().isEmpty());
        }
        // Find: the incidents' search on that page, the dashboard's filter anywhere else.
        window.showPage(MainWindow::IncidentsPage);
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(window.currentPage(), MainWindow::IncidentsPage);
        QVERIFY(window.incidentsView()->isAncestorOf(QApplication::focusWidget()));
        QVERIFY(qobject_cast<QLineEdit *>(QApplication::focusWidget()));
        window.showPage(MainWindow::LogsPage);
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(window.currentPage(), MainWindow::DashboardPage);
        QCOMPARE(QApplication::focusWidget(), window.dashboard()->filterEdit());
        // A check in the Checks tree opens its service.
        window.showPage(MainWindow::ChecksPage);
        const QModelIndex service = find(*window.model(), QStringLiteral("ai-fsm"));
        QVERIFY(service.isValid());
        emit window.tree()->activated(service);
        QCOMPARE(window.currentPage(), MainWindow::ServicePage);
        QCOMPARE(window.serviceView()->service(), QStringLiteral("ai-fsm"));
    }

private:
    QTemporaryDir m_dir;
    SimProcess m_sim;
};

QTEST_MAIN(TestUiMainWindow)
#include "tst_ui_mainwindow.moc"
