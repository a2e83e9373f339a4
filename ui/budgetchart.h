#pragma once

#include "config.h"
#include "sloreport.h"

#include <QHash>
#include <QWidget>
#include <optional>

class Clock;
class HistoryStore;
class QChart;
class QChartView;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QValueAxis;

// A service's error budget: the burn-down over its SLO window (budget remaining after each step,
// SloCalculator::budgetBurnDown over the store's rollups) with the warning and critical
// thresholds, and beside it what the SLO monitor's report says now — budget left, the burn rates
// of 5m … 3d, the alert (none, ticket, page) and when the budget runs out.
class BudgetChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BudgetChart)

public:
    BudgetChart(const HistoryStore *history, const Clock *clock, QWidget *parent = nullptr);

    void setService(const ServiceConfig &service);
    // The monitor's latest report for the service; nullopt: none yet.
    void setReport(const std::optional<SloReport> &report);
    // Rereads the burn-down from the store.
    void refresh();

    QChart *chart() const { return m_chart; }
    QLineSeries *remaining() const { return m_remaining; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void showReport();
    void restyle();

    const HistoryStore *m_history;
    const Clock *m_clock;
    ServiceConfig m_service;
    std::optional<SloReport> m_report;
    QChartView *m_view;
    QChart *m_chart;
    QLineSeries *m_remaining;
    QLineSeries *m_warning;
    QLineSeries *m_critical;
    QDateTimeAxis *m_time;
    QValueAxis *m_percent;
    QLabel *m_summary;
    QLabel *m_stateIcon;
    QLabel *m_alertIcon;
    QLabel *m_alert;
    QLabel *m_forecast;
    QHash<QString, QLabel *> m_burns;
};
