#include "coresession.h"
#include "dashboardview.h"
#include "healthstyle.h"
#include "servicetilemodel.h"
#include "servicetileview.h"
#include "simprocess.h"
#include "slomonitor.h"
#include "historystore.h"
#include "watcher.h"

#include <QAbstractItemModelTester>
#include <QDateTime>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QtTest>

// The dashboard offscreen over a real CoreSession watching the demo fleet, with ai-fsm's database
// failing: tiles, order, filter, activation, budget and badges as core reports them.
class TestUiDashboard : public QObject
{
    Q_OBJECT

private:
    QString write(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(content);
        return path;
    }

    // Two groups: EchoPilot (healthy, failed over by its state file) and Raspberry Pi, whose
    // ai-fsm fails and must come first although both its name and its group sort later.
    QByteArray fleetConfig(const QString &tag)
    {
        const QByteArray ep = m_sim.baseUrl(QStringLiteral("echopilot")).toString().toUtf8();
        const QByteArray fb = m_sim.baseUrl(QStringLiteral("fallback")).toString().toUtf8();
        const QByteArray ai = m_sim.baseUrl(QStringLiteral("aifsm")).toString().toUtf8();
        const QByteArray aiPort = QByteArray::number(m_sim.port(QStringLiteral("aifsm")));
        const QByteArray now = QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toUtf8();
        const QByteArray from = QDateTime::currentDateTimeUtc().addSecs(-3600).toString(Qt::ISODate).toUtf8();
        const QByteArray to = QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODate).toUtf8();
        Q_UNUSED(now);
        return "store: sqlite:" + m_dir.filePath(tag + QStringLiteral(".sqlite")).toUtf8() + "\n"
               "defaults: { interval: 300ms, timeout: 1s, failure_threshold: 1 }\n"
               "maintenance:\n"
               "  - { service: fallback, start: " + from + ", end: " + to + ", reason: \"DB upgrade\" }\n"
               "services:\n"
               "  - name: echopilot\n    group: EchoPilot\n    description: Bot and dashboard\n    checks:\n"
               "      - name: health\n        url: " + ep + "/health\n"
               "        conditions: [\"[STATUS] == 200\"]\n"
               "      - name: fallback-health\n        url: " + fb + "/health\n"
               "        conditions: [\"[STATUS] == 200\"]\n"
               "    failover: { primary: health, fallback: fallback-health, mode: manual, state_file: "
               + m_dir.filePath(tag + QStringLiteral("-failover.json")).toUtf8() + " }\n"
               "  - name: fallback\n    group: EchoPilot\n    checks:\n"
               "      - name: health\n        url: " + fb + "/health\n"
               "  - name: ai-backend\n    group: Raspberry Pi\n    checks:\n"
               "      - name: port\n        type: tcp\n        host: 127.0.0.1\n        port: " + aiPort + "\n"
               "  - name: ai-fsm\n    group: Raspberry Pi\n    checks:\n"
               "      - name: api-health\n        url: " + ai + "/api/health\n"
               "        conditions: [\"[BODY].checks.db == ok\"]\n";
    }

    // What a real double-click delivers to a widget: press, release, double-click, release.
    static void doubleClick(QWidget *widget, const QPoint &pos)
    {
        const QPointF global = widget->mapToGlobal(QPointF(pos));
        for (QEvent::Type type : {QEvent::MouseButtonPress, QEvent::MouseButtonRelease, QEvent::MouseButtonDblClick,
                                  QEvent::MouseButtonRelease}) {
            const bool down = type != QEvent::MouseButtonRelease;
            QMouseEvent e(type, QPointF(pos), global, Qt::LeftButton, down ? Qt::LeftButton : Qt::NoButton, Qt::NoModifier);
            QApplication::sendEvent(widget, &e);
        }
    }

    QStringList order(const QAbstractItemModel *model)
    {
        QStringList out;
        for (int i = 0; i < model->rowCount(); ++i)
            out << model->index(i, 0).data(ServiceTileModel::ServiceRole).toString();
        return out;
    }

    QModelIndex tile(const QAbstractItemModel *model, const QString &service)
    {
        for (int i = 0; i < model->rowCount(); ++i)
            if (model->index(i, 0).data(ServiceTileModel::ServiceRole).toString() == service)
                return model->index(i, 0);
        return {};
    }

    // A session over the fleet with the store open and everything running.
    std::unique_ptr<CoreSession> startSession(const QString &tag, bool failedOver)
    {
        write(tag + QStringLiteral("-failover.json"),
              failedOver ? "{\"consecutive_failures\":0,\"failover_active\":true}\n"
                         : "{\"consecutive_failures\":0,\"failover_active\":false}\n");
        auto session = std::make_unique<CoreSession>();
        if (!session->loadConfig(write(tag + QStringLiteral(".yaml"), fleetConfig(tag)))) {
            for (const ConfigIssue &i : session->issues())
                qWarning() << i.toString();
            return nullptr;
        }
        QString error;
        if (!session->openHistory(&error)) {
            qWarning() << error;
            return nullptr;
        }
        return session;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_sim.start(), qPrintable(m_sim.errorString()));
        QVERIFY(m_sim.setFaults("faults:\n  - {system: aifsm, path: /api/health, kind: degraded, dependency: db}\n"));
    }

    void tilesGroupedWorstFirst()
    {
        auto session = startSession(QStringLiteral("order"), false);
        QVERIFY(session);
        DashboardView view(session.get());
        QAbstractItemModelTester modelTester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(view.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(1280, 800);
        view.show();
        QCOMPARE(view.model()->rowCount(), 4);
        session->start();

        const QModelIndex failing = view.model()->index(view.model()->rowOf(QStringLiteral("ai-fsm")), 0);
        QTRY_COMPARE_WITH_TIMEOUT(failing.data(ServiceTileModel::HealthRole).toInt(), int(Health::Down), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(order(view.proxy()), (QStringList{QStringLiteral("ai-fsm"), QStringLiteral("ai-backend"),
                                                                     QStringLiteral("echopilot"), QStringLiteral("fallback")}),
                                  5000);
        QCOMPARE(view.view()->headings(), (QStringList{QStringLiteral("Raspberry Pi"), QStringLiteral("EchoPilot")}));
        QCOMPARE(failing.data(ServiceTileModel::GroupHealthRole).toInt(), int(Health::Down));
        QVERIFY2(failing.data(ServiceTileModel::ReasonRole).toString().startsWith(u"api-health: [BODY].checks.db == ok"),
                 qPrintable(failing.data(ServiceTileModel::ReasonRole).toString()));
        QVERIFY(failing.data(Qt::AccessibleTextRole).toString().contains(HealthStyle::label(Health::Down)));

        // Live latencies and the time of the last check, for every service.
        const QModelIndex ep = tile(view.model(), QStringLiteral("echopilot"));
        QTRY_VERIFY_WITH_TIMEOUT(ep.data(ServiceTileModel::LatencySamplesRole).value<QList<double>>().size() >= 2, 5000);
        QVERIFY(ep.data(ServiceTileModel::LatencyRole).toDouble() >= 0);
        QVERIFY(ep.data(ServiceTileModel::LastCheckRole).toLongLong() > 0);
        QVERIFY(ep.data(ServiceTileModel::LastCheckTextRole).toString() != ServiceTileModel::agoText(0, 1));

        // The ring stays bounded.
        QTRY_VERIFY_WITH_TIMEOUT(failing.data(ServiceTileModel::LatencySamplesRole).value<QList<double>>().size() >= 3, 5000);
        for (int i = 0; i < 40; ++i)
            view.model()->addResult(CheckResult{QStringLiteral("ai-fsm"), QStringLiteral("api-health"),
                                                QDateTime::currentMSecsSinceEpoch(), Health::Down, double(i)});
        const auto samples = failing.data(ServiceTileModel::LatencySamplesRole).value<QList<double>>();
        QCOMPARE(samples.size(), ServiceTileModel::kLatencySamples);
        QCOMPARE(samples.last(), 39.0);

        // Recovery moves the group back behind EchoPilot (alphabetical once both are ok).
        QVERIFY(m_sim.setFaults(""));
        QTRY_COMPARE_WITH_TIMEOUT(view.view()->headings(), (QStringList{QStringLiteral("EchoPilot"), QStringLiteral("Raspberry Pi")}),
                                  5000);
        QCOMPARE(order(view.proxy()).mid(2), (QStringList{QStringLiteral("ai-backend"), QStringLiteral("ai-fsm")}));
        QVERIFY(m_sim.setFaults("faults:\n  - {system: aifsm, path: /api/health, kind: degraded, dependency: db}\n"));
        session->stop();
    }

    void filterNarrows()
    {
        auto session = startSession(QStringLiteral("filter"), false);
        QVERIFY(session);
        DashboardView view(session.get());
        view.resize(1280, 800);
        view.show();
        QLineEdit *filter = view.filterEdit();
        QVERIFY(!filter->accessibleName().isEmpty());
        view.focusFilter();
        QTRY_VERIFY(filter->hasFocus());

        QTest::keyClicks(filter, QStringLiteral("RASPB"));
        QCOMPARE(order(view.proxy()).size(), 2); // by group, case-insensitive
        QVERIFY(order(view.proxy()).contains(QStringLiteral("ai-fsm")));
        QCOMPARE(view.view()->headings(), QStringList{QStringLiteral("Raspberry Pi")});

        filter->setText(QStringLiteral("fall"));
        QCOMPARE(order(view.proxy()), QStringList{QStringLiteral("fallback")}); // by name

        filter->setText(QStringLiteral("nothing-like-this"));
        QCOMPARE(view.proxy()->rowCount(), 0);
        auto *message = view.findChild<QLabel *>();
        QVERIFY(message);
        bool shown = false;
        for (QLabel *l : view.findChildren<QLabel *>())
            shown = shown || (l->isVisible() && l->text().contains(u"nothing-like-this"));
        QVERIFY(shown);

        // Escape clears the filter and everything is back.
        QTest::keyClick(filter, Qt::Key_Escape);
        QCOMPARE(filter->text(), QString());
        QCOMPARE(view.proxy()->rowCount(), 4);
    }

    void doubleClickAndEnterOpenTheService()
    {
        auto session = startSession(QStringLiteral("activate"), false);
        QVERIFY(session);
        DashboardView view(session.get());
        view.resize(1280, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy activated(&view, &DashboardView::serviceActivated);

        const QModelIndex target = tile(view.proxy(), QStringLiteral("fallback"));
        const QRect rect = view.view()->visualRect(target);
        QVERIFY(!rect.isEmpty());
        QCOMPARE(view.view()->indexAt(rect.center()), target);
        doubleClick(view.view()->viewport(), rect.center());
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.takeFirst().at(0).toString(), QStringLiteral("fallback"));

        // Keyboard: from the filter into the tiles, across with the arrows, Enter opens.
        view.focusFilter();
        QTest::keyClicks(view.filterEdit(), QStringLiteral("echo"));
        QCOMPARE(view.proxy()->rowCount(), 2);
        QTest::keyClick(view.filterEdit(), Qt::Key_Down);
        QTRY_VERIFY(view.view()->hasFocus());
        const QString first = view.view()->currentIndex().data(ServiceTileModel::ServiceRole).toString();
        QCOMPARE(view.view()->currentIndex(), view.proxy()->index(0, 0));
        QTest::keyClick(view.view(), Qt::Key_Right);
        const QString second = view.view()->currentIndex().data(ServiceTileModel::ServiceRole).toString();
        QCOMPARE(QSet<QString>({first, second}), QSet<QString>({QStringLiteral("echopilot"), QStringLiteral("fallback")}));
        QTest::keyClick(view.view(), Qt::Key_Return);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.takeFirst().at(0).toString(), second);
        QTest::keyClick(view.view(), Qt::Key_Left);
        QTest::keyClick(view.view(), Qt::Key_Enter);
        QCOMPARE(activated.takeFirst().at(0).toString(), first);
    }

    void budgetAndBadgesFollowCore()
    {
        auto session = startSession(QStringLiteral("badges"), true);
        QVERIFY(session);
        DashboardView view(session.get());
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(1280, 800);
        view.show();
        ServiceTileModel *model = view.model();
        const QModelIndex ep = model->index(model->rowOf(QStringLiteral("echopilot")), 0);
        const QModelIndex fb = model->index(model->rowOf(QStringLiteral("fallback")), 0);
        const QModelIndex ai = model->index(model->rowOf(QStringLiteral("ai-fsm")), 0);

        // Maintenance from the config's window; failover from the state file, as core reads them.
        QVERIFY(fb.data(ServiceTileModel::MaintenanceRole).toBool());
        QVERIFY(fb.data(ServiceTileModel::MaintenanceTextRole).toString().contains(u"DB upgrade"));
        QVERIFY(!ep.data(ServiceTileModel::MaintenanceRole).toBool());
        QCOMPARE(ep.data(ServiceTileModel::FailoverRole).toInt(), int(ServiceTileModel::FailoverBadge::Active));
        QCOMPARE(ep.data(ServiceTileModel::FailoverTextRole).toString(), QStringLiteral("Failed over"));
        QCOMPARE(ai.data(ServiceTileModel::FailoverTextRole).toString(), QString());

        session->start();
        // The budget is the SLO monitor's: ai-fsm fails every check, so it is spent.
        QTRY_VERIFY_WITH_TIMEOUT(session->history()->results(QStringLiteral("ai-fsm"), QString(), 0).size() >= 3, 8000);
        QVERIFY(session->history()->flush());
        session->slo()->evaluate(); // not waiting for the next periodic pass
        QVERIFY(session->slo()->report(QStringLiteral("ai-fsm")));
        QVERIFY(session->slo()->report(QStringLiteral("ai-fsm"))->counts.total > 0);
        QTRY_COMPARE_WITH_TIMEOUT(ai.data(ServiceTileModel::BudgetStateRole).toInt(), int(BudgetState::Critical), 8000);
        QTRY_COMPARE_WITH_TIMEOUT(ai.data(ServiceTileModel::BudgetRemainingRole).toDouble(),
                                  session->slo()->report(QStringLiteral("ai-fsm"))->budgetRemaining, 3000);
        QVERIFY(ai.data(ServiceTileModel::BudgetRemainingRole).toDouble() < 0.1);
        QTRY_VERIFY_WITH_TIMEOUT(ep.data(ServiceTileModel::BudgetRemainingRole).isValid(), 5000);
        QCOMPARE(ep.data(ServiceTileModel::BudgetStateRole).toInt(), int(BudgetState::Ok));

        // Failing back by hand elsewhere (the runbook's tool rewrites the file): the badge goes.
        write(QStringLiteral("badges-failover.json"), "{\"consecutive_failures\":0,\"failover_active\":false}\n");
        QTRY_COMPARE_WITH_TIMEOUT(ep.data(ServiceTileModel::FailoverTextRole).toString(), QString(), 5000);
        session->stop();
    }

    void renders()
    {
        auto session = startSession(QStringLiteral("render"), true);
        QVERIFY(session);
        DashboardView view(session.get());
        view.resize(1280, 800);
        view.show();
        session->start();
        const QModelIndex ai = tile(view.model(), QStringLiteral("ai-fsm"));
        QTRY_VERIFY_WITH_TIMEOUT(tile(view.model(), QStringLiteral("echopilot")).data(ServiceTileModel::LatencySamplesRole)
                                         .value<QList<double>>().size() >= 5, 8000);
        QVERIFY(session->history()->flush());
        session->slo()->evaluate();
        QTRY_COMPARE_WITH_TIMEOUT(ai.data(ServiceTileModel::BudgetStateRole).toInt(), int(BudgetState::Critical), 3000);
        QVERIFY(view.grab().save(QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("dashboard-1280x800.png"))));
        view.resize(1920, 1080);
        QVERIFY(view.grab().save(QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("dashboard-1920x1080.png"))));
        QVERIFY(view.view()->columns() > 4);
        session->stop();
    }

private:
    QTemporaryDir m_dir;
    SimProcess m_sim;
};

QTEST_MAIN(TestUiDashboard)
#include "tst_ui_dashboard.moc"
