#pragma once

#include <QList>
#include <QPointer>
#include <QWidget>

class BudgetChart;
class CheckHistoryModel;
class CheckTableModel;
class CoreSession;
class FailoverPanel;
class LatencyChart;
class QGridLayout;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QTableView;
class QTimer;
class RecoveryCriteriaModel;

// One service in detail: its checks with their last result and why they fail (the failed
// condition with its actual value) and the history of the chosen check; the latency chart (P50,
// P95, P99 and the SLO threshold); the error budget's burn-down with burn rates, alert and
// forecast; the disaster-recovery runbook's success criteria; the failover panel; and a button per
// action of the service, each opening the ActionDialog. Everything follows core's signals.
//
// Object names for tests: "serviceTitle", "checks", "history", "recovery", "actions" (the row of
// action buttons, each "action_<name>"), "runbooksButton", "incidentButton".
class ServiceView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceView)

public:
    explicit ServiceView(CoreSession *session, QWidget *parent = nullptr);

    void setService(const QString &name);
    QString service() const { return m_service; }

    CheckTableModel *checkModel() const { return m_checks; }
    CheckHistoryModel *historyModel() const { return m_history; }
    RecoveryCriteriaModel *recoveryModel() const { return m_recovery; }
    LatencyChart *latencyChart() const { return m_latency; }
    BudgetChart *budgetChart() const { return m_budget; }
    FailoverPanel *failoverPanel() const { return m_failover; }

signals:
    void runbooksRequested(const QString &service);
    void incidentRequested(qint64 id);

private:
    void rebuild();
    void rebuildActions();
    void showHeader();
    void showIncident();
    void refreshMeasurements();
    void showReport();
    void selectCheck(const QString &check);

    CoreSession *m_session;
    QString m_service;
    qint64 m_incidentId = 0;

    QLabel *m_icon;
    QLabel *m_title;
    QLabel *m_description;
    QPushButton *m_incident;
    QPushButton *m_runbooks;
    QWidget *m_actionsBox;
    QGridLayout *m_actionsRow;
    QList<QPointer<QPushButton>> m_actionButtons;
    CheckTableModel *m_checks;
    QTableView *m_checkView;
    CheckHistoryModel *m_history;
    QTableView *m_historyView;
    QLabel *m_historyTitle;
    LatencyChart *m_latency;
    BudgetChart *m_budget;
    RecoveryCriteriaModel *m_recovery;
    QTableView *m_recoveryView;
    QLabel *m_recoverySummary;
    FailoverPanel *m_failover;
    QTimer *m_measureSoon; // coalesces bursts of results into one reread of the store
};
