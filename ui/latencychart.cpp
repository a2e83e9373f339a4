#include "latencychart.h"

#include "chartstyle.h"
#include "clock.h"
#include "historystore.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>
#include <QVBoxLayout>

namespace {

struct RangeSpec
{
    qint64 spanMs;
    qint64 stepMs;
    const char *timeFormat;
};

RangeSpec spec(LatencyChart::Range r)
{
    switch (r) {
    case LatencyChart::LastHour: return {3'600'000LL, 60'000LL, "HH:mm"};
    case LatencyChart::LastDay: return {86'400'000LL, 15 * 60'000LL, "HH:mm"};
    case LatencyChart::LastWeek: return {7 * 86'400'000LL, 3'600'000LL, "ddd HH:mm"};
    case LatencyChart::LastMonth: return {30 * 86'400'000LL, 6 * 3'600'000LL, "d MMM"};
    }
    return {86'400'000LL, 15 * 60'000LL, "HH:mm"};
}

} // namespace

LatencyChart::LatencyChart(const HistoryStore *history, const Clock *clock, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_clock(clock ? clock : SystemClock::instance())
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>Latency</b>"), this);
    top->addWidget(title);
    top->addStretch(1);
    auto *rangeLabel = new QLabel(tr("R&ange:"), this);
    m_rangeBox = new QComboBox(this);
    m_rangeBox->setObjectName(QStringLiteral("latencyRange"));
    m_rangeBox->setAccessibleName(tr("Latency chart range"));
    m_rangeBox->addItem(tr("Last hour"), int(LastHour));
    m_rangeBox->addItem(tr("Last 24 hours"), int(LastDay));
    m_rangeBox->addItem(tr("Last 7 days"), int(LastWeek));
    m_rangeBox->addItem(tr("Last 30 days"), int(LastMonth));
    m_rangeBox->setCurrentIndex(m_rangeBox->findData(int(m_range)));
    rangeLabel->setBuddy(m_rangeBox);
    top->addWidget(rangeLabel);
    top->addWidget(m_rangeBox);
    layout->addLayout(top);
    connect(m_rangeBox, &QComboBox::currentIndexChanged, this,
            [this] { setRange(Range(m_rangeBox->currentData().toInt())); });

    m_chart = new QChart;
    m_p50 = new QLineSeries(m_chart);
    m_p50->setName(tr("P50"));
    m_p95 = new QLineSeries(m_chart);
    m_p95->setName(tr("P95"));
    m_p99 = new QLineSeries(m_chart);
    m_p99->setName(tr("P99"));
    m_threshold = new QLineSeries(m_chart);
    for (QLineSeries *s : {m_p50, m_p95, m_p99, m_threshold})
        m_chart->addSeries(s);
    m_time = new QDateTimeAxis(m_chart);
    m_time->setTickCount(7);
    m_ms = new QValueAxis(m_chart);
    m_ms->setTitleText(tr("ms"));
    m_ms->setLabelFormat(QStringLiteral("%.0f"));
    m_chart->addAxis(m_time, Qt::AlignBottom);
    m_chart->addAxis(m_ms, Qt::AlignLeft);
    for (QLineSeries *s : {m_p50, m_p95, m_p99, m_threshold}) {
        s->attachAxis(m_time);
        s->attachAxis(m_ms);
    }
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    ChartStyle::apply(m_chart, palette());
    m_threshold->setPen(QPen(palette().color(QPalette::Text), 1.5, Qt::DashLine));

    m_view = new QChartView(m_chart, this);
    m_view->setObjectName(QStringLiteral("latencyChart"));
    m_view->setAccessibleName(tr("Latency chart"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(240);
    layout->addWidget(m_view, 1);
}

void LatencyChart::setService(const ServiceConfig &service)
{
    m_service = service;
    refresh();
}

void LatencyChart::setRange(Range range)
{
    m_range = range;
    const int i = m_rangeBox->findData(int(range));
    if (m_rangeBox->currentIndex() != i)
        m_rangeBox->setCurrentIndex(i); // comes back here through the signal
    refresh();
}

void LatencyChart::refresh()
{
    const RangeSpec r = spec(m_range);
    const qint64 now = m_clock->nowMs();
    const qint64 from = now - r.spanMs;
    QList<QPointF> p50, p95, p99;
    double top = 0;
    if (m_history && m_history->isOpen() && !m_service.name.isEmpty()) {
        const auto series = m_history->series(m_service.name, m_service.slo.checks, from, now, r.stepMs);
        for (const auto &[atMs, counts] : series) {
            if (counts.latency.isEmpty())
                continue; // a gap: nothing measured in that step
            // Each point sits in the middle of its step.
            const double x = double(atMs + r.stepMs / 2);
            p50 << QPointF(x, counts.latency.percentile(0.50));
            p95 << QPointF(x, counts.latency.percentile(0.95));
            const double v99 = counts.latency.percentile(0.99);
            p99 << QPointF(x, v99);
            top = qMax(top, v99);
        }
    }
    m_p50->replace(p50);
    m_p95->replace(p95);
    m_p99->replace(p99);
    // A lone measured step would be an invisible line of one point: sparse data shows its points.
    for (QLineSeries *s : {m_p50, m_p95, m_p99})
        s->setPointsVisible(p99.size() < 40);

    const double slo = m_service.slo.enabled ? m_service.slo.latencyMs : 0;
    if (slo > 0) {
        m_threshold->setName(tr("SLO %1 ms").arg(slo));
        m_threshold->replace({QPointF(double(from), slo), QPointF(double(now), slo)});
        top = qMax(top, slo);
    } else {
        m_threshold->clear();
    }
    m_threshold->setVisible(slo > 0);
    // The legend entry of a hidden series would name a threshold that does not exist.
    const auto markers = m_chart->legend()->markers(m_threshold);
    for (auto *marker : markers)
        marker->setVisible(slo > 0);

    m_time->setFormat(QString::fromLatin1(r.timeFormat));
    m_time->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(now));
    m_ms->setRange(0, top > 0 ? top * 1.15 : 100);
    m_ms->applyNiceNumbers();
    m_chart->setTitle(p99.isEmpty() ? tr("No latency measured in this range") : QString());
}

void LatencyChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        ChartStyle::apply(m_chart, palette());
        m_threshold->setPen(QPen(palette().color(QPalette::Text), 1.5, Qt::DashLine));
    }
    QWidget::changeEvent(event);
}
