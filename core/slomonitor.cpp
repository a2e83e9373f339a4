#include "slomonitor.h"

#include "clock.h"
#include "historystore.h"
#include "logging.h"
#include "slocalculator.h"

SloMonitor::SloMonitor(HistoryStore *store, const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_clock(clock)
{
    m_period.setInterval(60'000);
    connect(&m_period, &QTimer::timeout, this, &SloMonitor::evaluate);
    m_soon.setSingleShot(true);
    m_soon.setInterval(2'000);
    connect(&m_soon, &QTimer::timeout, this, &SloMonitor::evaluate);
}

void SloMonitor::setConfig(const Config &config)
{
    m_config = config;
    QHash<QString, SloReport> kept;
    for (const ServiceConfig &s : config.services)
        if (s.slo.enabled && m_reports.contains(s.name))
            kept.insert(s.name, m_reports.value(s.name));
    m_reports = kept;
    if (m_period.isActive())
        evaluateSoon();
}

void SloMonitor::start()
{
    m_period.start();
    evaluateSoon();
}

void SloMonitor::stop()
{
    m_period.stop();
    m_soon.stop();
}

void SloMonitor::evaluateSoon()
{
    if (!m_soon.isActive())
        m_soon.start();
}

SloReport SloMonitor::compute(const HistoryStore &store, const QString &service, const SloSettings &slo, qint64 nowMs)
{
    const auto [from, to] = SloCalculator::window(slo, nowMs);
    const EventCounts window = store.counts(service, slo.checks, from, to);
    QMap<QString, EventCounts> burns;
    for (const SloCalculator::BurnWindow &w : SloCalculator::burnWindows())
        burns.insert(w.label, store.counts(service, slo.checks, nowMs - w.ms, nowMs));
    return SloCalculator::compute(service, slo, nowMs, window, burns);
}

QList<SloReport> SloMonitor::computeAll(const HistoryStore &store, const Config &config, qint64 nowMs)
{
    QHash<QString, QStringList> checks;
    // Services sharing a window share its query.
    QHash<QPair<qint64, qint64>, QStringList> byWindow;
    for (const ServiceConfig &s : config.services) {
        if (!s.slo.enabled)
            continue;
        if (!s.slo.checks.isEmpty())
            checks.insert(s.name, s.slo.checks);
        byWindow[SloCalculator::window(s.slo, nowMs)] << s.name;
    }
    // One pass over the rollups for every window: the SLO windows with their histograms, the burn
    // windows counters only. They all end now, so the rows of the last hours are read once.
    QList<RollupReader::Window> windows;
    QList<QStringList> windowServices;
    for (auto it = byWindow.cbegin(); it != byWindow.cend(); ++it) {
        windows << RollupReader::Window{it.key().first, it.key().second, RollupReader::Detail::WithLatency};
        windowServices << it.value();
    }
    const QList<SloCalculator::BurnWindow> &burnWindows = SloCalculator::burnWindows();
    for (const SloCalculator::BurnWindow &w : burnWindows)
        windows << RollupReader::Window{nowMs - w.ms, nowMs, RollupReader::Detail::CountsOnly};
    const QList<QHash<QString, EventCounts>> counts = store.countsByServiceMulti(windows, checks);
    QHash<QString, EventCounts> windowCounts;
    for (qsizetype i = 0; i < windowServices.size(); ++i) {
        for (const QString &service : std::as_const(windowServices[i]))
            windowCounts.insert(service, counts[i].value(service));
    }
    QHash<QString, QMap<QString, EventCounts>> burns;
    for (qsizetype b = 0; b < burnWindows.size(); ++b) {
        const QHash<QString, EventCounts> &burn = counts[windowServices.size() + b];
        for (auto it = burn.cbegin(); it != burn.cend(); ++it)
            burns[it.key()].insert(burnWindows[b].label, it.value());
    }
    QList<SloReport> out;
    for (const ServiceConfig &s : config.services) {
        if (s.slo.enabled)
            out << SloCalculator::compute(s.name, s.slo, nowMs, windowCounts.value(s.name), burns.value(s.name));
    }
    return out;
}

void SloMonitor::evaluate()
{
    if (!m_store || !m_store->isOpen())
        return;
    const QList<SloReport> reports = computeAll(*m_store, m_config, m_clock->nowMs());
    for (const SloReport &r : reports) {
        const auto before = m_reports.constFind(r.service);
        const BudgetState oldBudget = before == m_reports.constEnd() ? BudgetState::Ok : before->budgetState;
        const BurnAlert oldAlert = before == m_reports.constEnd() ? BurnAlert::None : before->alert;
        m_reports.insert(r.service, r);
        if (r.budgetState != oldBudget) {
            qCInfo(lcState) << r.service << "error budget" << budgetStateName(oldBudget) << "->" << budgetStateName(r.budgetState);
            emit budgetStateChanged(r.service, oldBudget, r.budgetState, r);
        }
        if (r.alert != oldAlert) {
            qCInfo(lcState) << r.service << "burn-rate alert" << burnAlertName(oldAlert) << "->" << burnAlertName(r.alert);
            emit alertChanged(r.service, oldAlert, r.alert, r);
        }
    }
    emit reportsUpdated();
}

const SloReport *SloMonitor::report(const QString &service) const
{
    const auto it = m_reports.constFind(service);
    return it == m_reports.constEnd() ? nullptr : &*it;
}

QList<SloReport> SloMonitor::reports() const
{
    QList<SloReport> out;
    for (const ServiceConfig &s : m_config.services)
        if (const SloReport *r = report(s.name))
            out << *r;
    return out;
}
