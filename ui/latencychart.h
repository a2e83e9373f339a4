#pragma once

#include "config.h"

#include <QWidget>

class Clock;
class HistoryStore;
class QChart;
class QChartView;
class QComboBox;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

// A service's response times over a chosen range (1 h, 24 h, 7 d, 30 d): P50, P95 and P99 of each
// step, from the store's rollups (HistoryStore::series, merged latency histograms), and the SLO's
// latency threshold as a dashed line when the service has one.
class LatencyChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LatencyChart)

public:
    enum Range { LastHour, LastDay, LastWeek, LastMonth };
    Q_ENUM(Range)

    LatencyChart(const HistoryStore *history, const Clock *clock, QWidget *parent = nullptr);

    void setService(const ServiceConfig &service);
    void setRange(Range range);
    Range range() const { return m_range; }
    // Rereads the store (the view calls it when new results or reports arrive).
    void refresh();

    QChart *chart() const { return m_chart; }
    QLineSeries *p50() const { return m_p50; }
    QLineSeries *p95() const { return m_p95; }
    QLineSeries *p99() const { return m_p99; }
    QLineSeries *threshold() const { return m_threshold; }

protected:
    void changeEvent(QEvent *event) override;

private:
    const HistoryStore *m_history;
    const Clock *m_clock;
    ServiceConfig m_service;
    Range m_range = LastDay;
    QComboBox *m_rangeBox;
    QChartView *m_view;
    QChart *m_chart;
    QLineSeries *m_p50;
    QLineSeries *m_p95;
    QLineSeries *m_p99;
    QLineSeries *m_threshold;
    QDateTimeAxis *m_time;
    QValueAxis *m_ms;
};
