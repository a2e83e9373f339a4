#include "budgetchart.h"

#include "chartstyle.h"
#include "clock.h"
#include "duration.h"
#include "healthstyle.h"
#include "historystore.h"
#include "slocalculator.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>

namespace {

// The finest step that keeps the burn-down at about 200 points or fewer.
qint64 stepFor(qint64 windowMs)
{
    static const qint64 steps[] = {60'000LL, 5 * 60'000LL, 15 * 60'000LL, 3'600'000LL, 6 * 3'600'000LL, 86'400'000LL};
    for (qint64 s : steps)
        if (windowMs / s <= 200)
            return s;
    return 86'400'000LL;
}

Health lookOf(BudgetState s)
{
    switch (s) {
    case BudgetState::Ok: return Health::Ok;
    case BudgetState::Warning: return Health::Degraded;
    case BudgetState::Critical: return Health::Down;
    }
    return Health::Unknown;
}

Health lookOf(BurnAlert a)
{
    switch (a) {
    case BurnAlert::None: return Health::Ok;
    case BurnAlert::Ticket: return Health::Degraded;
    case BurnAlert::Page: return Health::Down;
    }
    return Health::Unknown;
}

QString percent(double fraction)
{
    return BudgetChart::tr("%1 %").arg(fraction * 100.0, 0, 'f', 1);
}

QLabel *iconLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setFixedSize(16, 16);
    return l;
}

} // namespace

BudgetChart::BudgetChart(const HistoryStore *history, const Clock *clock, QWidget *parent)
    : QWidget(parent)
    , m_history(history)
    , m_clock(clock ? clock : SystemClock::instance())
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_chart = new QChart;
    m_remaining = new QLineSeries(m_chart);
    m_remaining->setName(tr("Budget left"));
    m_warning = new QLineSeries(m_chart);
    m_critical = new QLineSeries(m_chart);
    for (QLineSeries *s : {m_remaining, m_warning, m_critical})
        m_chart->addSeries(s);
    m_time = new QDateTimeAxis(m_chart);
    m_time->setTickCount(6);
    m_percent = new QValueAxis(m_chart);
    m_percent->setTitleText(tr("% of budget left"));
    m_percent->setLabelFormat(QStringLiteral("%.0f"));
    m_percent->setTickType(QValueAxis::TicksDynamic);
    m_chart->addAxis(m_time, Qt::AlignBottom);
    m_chart->addAxis(m_percent, Qt::AlignLeft);
    for (QLineSeries *s : {m_remaining, m_warning, m_critical}) {
        s->attachAxis(m_time);
        s->attachAxis(m_percent);
    }
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_view = new QChartView(m_chart, this);
    m_view->setObjectName(QStringLiteral("budgetChart"));
    m_view->setAccessibleName(tr("Error budget burn-down chart"));
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(240);
    restyle();

    auto *chartColumn = new QVBoxLayout;
    chartColumn->addWidget(new QLabel(tr("<b>Error budget</b>"), this));
    chartColumn->addWidget(m_view, 1);
    layout->addLayout(chartColumn, 1);

    auto *side = new QGridLayout;
    side->setVerticalSpacing(4);
    int row = 0;
    m_stateIcon = iconLabel(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("budgetSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    side->addWidget(m_stateIcon, row, 0, Qt::AlignTop);
    side->addWidget(m_summary, row++, 1, 1, 2);
    m_alertIcon = iconLabel(this);
    m_alert = new QLabel(this);
    m_alert->setObjectName(QStringLiteral("burnAlert"));
    m_alert->setWordWrap(true);
    m_alert->setTextFormat(Qt::PlainText);
    side->addWidget(m_alertIcon, row, 0, Qt::AlignTop);
    side->addWidget(m_alert, row++, 1, 1, 2);
    m_forecast = new QLabel(this);
    m_forecast->setObjectName(QStringLiteral("budgetForecast"));
    m_forecast->setWordWrap(true);
    m_forecast->setTextFormat(Qt::PlainText);
    side->addWidget(m_forecast, row++, 1, 1, 2);
    auto *burnTitle = new QLabel(tr("Burn rate (1× spends exactly the budget):"), this);
    burnTitle->setWordWrap(true);
    side->addWidget(burnTitle, row++, 1, 1, 2);
    for (const SloCalculator::BurnWindow &w : SloCalculator::burnWindows()) {
        side->addWidget(new QLabel(tr("last %1").arg(w.label), this), row, 1);
        auto *value = new QLabel(this);
        value->setObjectName(QStringLiteral("burn_") + w.label);
        value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        side->addWidget(value, row++, 2);
        m_burns.insert(w.label, value);
    }
    side->setRowStretch(row, 1);
    side->setColumnStretch(1, 1);
    auto *sideBox = new QWidget(this);
    sideBox->setLayout(side);
    sideBox->setFixedWidth(250);
    layout->addWidget(sideBox);
    showReport();
}

void BudgetChart::setService(const ServiceConfig &service)
{
    m_service = service;
    m_report.reset();
    refresh();
}

void BudgetChart::setReport(const std::optional<SloReport> &report)
{
    m_report = report;
    showReport();
}

void BudgetChart::refresh()
{
    const SloSettings &slo = m_service.slo;
    QList<QPointF> points;
    double bottom = 0;
    const auto [from, to] = SloCalculator::window(slo, m_clock->nowMs());
    if (slo.enabled && m_history && m_history->isOpen() && !m_service.name.isEmpty()) {
        const qint64 step = stepFor(to - from);
        const auto series = m_history->series(m_service.name, slo.checks, from, to, step);
        for (const auto &[atMs, remaining] : SloCalculator::budgetBurnDown(slo, series)) {
            // The value holds once the step is over (or now, for the step still going on).
            points << QPointF(double(qMin(atMs + step, to)), remaining * 100.0);
            bottom = qMin(bottom, remaining * 100.0);
        }
    }
    m_remaining->replace(points);
    m_warning->setName(tr("warning %1 %").arg(slo.budgetWarning));
    m_warning->replace({QPointF(double(from), slo.budgetWarning), QPointF(double(to), slo.budgetWarning)});
    m_critical->setName(tr("critical %1 %").arg(slo.budgetCritical));
    m_critical->replace({QPointF(double(from), slo.budgetCritical), QPointF(double(to), slo.budgetCritical)});
    m_time->setFormat(to - from > 2 * 86'400'000LL ? QStringLiteral("d MMM") : QStringLiteral("HH:mm"));
    m_time->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(to));
    // Overspent budgets go below 0 (far below with few events); the axis shows down to -200 %.
    const double low = bottom >= 0 ? 0.0 : std::floor(qMax(-200.0, bottom) / 50.0) * 50.0;
    m_percent->setRange(low, 100);
    m_percent->setTickAnchor(0);
    m_percent->setTickInterval(100 - low <= 100 ? 20 : 50);
    m_chart->setTitle(!slo.enabled ? tr("No SLO for this service (slo: off)")
                                   : tr("Over the SLO window (%1)").arg(SloCalculator::windowLabel(slo)));
    m_view->setEnabled(slo.enabled);
}

void BudgetChart::showReport()
{
    if (!m_service.slo.enabled || !m_report) {
        m_stateIcon->clear();
        m_alertIcon->clear();
        m_summary->setText(m_service.slo.enabled ? tr("No SLO report yet.") : tr("No SLO (slo: off)."));
        m_alert->clear();
        m_forecast->clear();
        for (QLabel *l : std::as_const(m_burns))
            l->clear();
        return;
    }
    const SloReport &r = *m_report;
    const Health state = lookOf(r.budgetState);
    m_stateIcon->setPixmap(HealthStyle::icon(state).pixmap(16, 16));
    const QString stateWord = r.budgetState == BudgetState::Ok ? tr("ok")
        : r.budgetState == BudgetState::Warning                ? tr("warning")
                                                               : tr("critical");
    QString summary = tr("%1 of the budget left (%2) — availability %3 of %4 target")
                          .arg(percent(r.budgetRemaining), stateWord,
                               r.availability ? percent(*r.availability) : tr("—"), percent(r.availabilityTarget));
    if (r.p95 >= 0)
        summary += u'\n' + tr("P50 %1 · P95 %2 · P99 %3 over the window")
                               .arg(Duration::formatLatency(r.p50), Duration::formatLatency(r.p95), Duration::formatLatency(r.p99));
    m_summary->setText(summary);

    m_alertIcon->setPixmap(HealthStyle::icon(lookOf(r.alert)).pixmap(16, 16));
    switch (r.alert) {
    case BurnAlert::None: m_alert->setText(tr("Alert: none")); break;
    case BurnAlert::Ticket: m_alert->setText(tr("Alert: ticket — %1").arg(r.alertReason)); break;
    case BurnAlert::Page: m_alert->setText(tr("Alert: page — %1").arg(r.alertReason)); break;
    }

    const qint64 now = m_clock->nowMs();
    if (!r.exhaustionMs)
        m_forecast->setText(tr("Forecast: the budget does not run out at the last hour's burn rate."));
    else if (*r.exhaustionMs <= now)
        m_forecast->setText(tr("Forecast: the budget is spent."));
    else
        m_forecast->setText(tr("Forecast: the budget runs out in %1 at the last hour's burn rate.")
                                .arg(Duration::format(*r.exhaustionMs - now)));

    for (auto it = m_burns.constBegin(); it != m_burns.constEnd(); ++it) {
        const double rate = r.burnRates.value(it.key());
        it.value()->setText(tr("%1× (%2 bad)").arg(rate, 0, 'f', rate < 10 ? 2 : 1).arg(r.burnBadEvents.value(it.key())));
    }
}

void BudgetChart::restyle()
{
    ChartStyle::apply(m_chart, palette());
    m_warning->setPen(QPen(HealthStyle::color(Health::Degraded), 1.5, Qt::DashLine));
    m_critical->setPen(QPen(HealthStyle::color(Health::Down), 1.5, Qt::DotLine));
}

void BudgetChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        restyle();
    QWidget::changeEvent(event);
}
