#include "kioskbudgetspage.h"

#include "healthstyle.h"
#include "kioskfreshness.h"
#include "servicetilemodel.h"
#include "slomonitor.h"

#include <QPainter>
#include <algorithm>

KioskBudgetsPage::KioskBudgetsPage(ServiceTileModel *model, SloMonitor *slo, KioskFreshness *freshness, QWidget *parent)
    : KioskPage(parent)
    , m_model(model)
    , m_slo(slo)
    , m_freshness(freshness)
{
    setObjectName(QStringLiteral("kioskBudgets"));
    setAccessibleName(tr("Error budgets"));
    auto changed = [this] {
        update();
        emit contentChanged();
    };
    connect(model, &QAbstractItemModel::dataChanged, this, changed);
    connect(model, &QAbstractItemModel::modelReset, this, changed);
    if (slo)
        connect(slo, &SloMonitor::reportsUpdated, this, changed);
    connect(freshness, &KioskFreshness::changed, this, changed);
}

QString KioskBudgetsPage::title() const
{
    return tr("Error budgets");
}

QString KioskBudgetsPage::alertText(BurnAlert alert)
{
    switch (alert) {
    case BurnAlert::Page: return tr("Burning fast");
    case BurnAlert::Ticket: return tr("Burning");
    case BurnAlert::None: break;
    }
    return {};
}

QString KioskBudgetsPage::budgetWord(BudgetState state)
{
    switch (state) {
    case BudgetState::Critical: return tr("critical");
    case BudgetState::Warning: return tr("warning");
    case BudgetState::Ok: break;
    }
    return tr("ok");
}

QList<KioskBudgetsPage::Row> KioskBudgetsPage::rows() const
{
    QList<Row> out;
    for (int i = 0; i < m_model->rowCount(); ++i) {
        const QModelIndex index = m_model->index(i);
        if (!index.data(ServiceTileModel::HasSloRole).toBool())
            continue;
        Row r;
        r.name = index.data(ServiceTileModel::ServiceRole).toString();
        const QVariant remaining = index.data(ServiceTileModel::BudgetRemainingRole);
        r.hasReport = remaining.isValid();
        r.remaining = remaining.toDouble();
        r.state = BudgetState(index.data(ServiceTileModel::BudgetStateRole).toInt());
        if (const SloReport *report = m_slo ? m_slo->report(r.name) : nullptr)
            r.alert = report->alert;
        out << r;
    }
    std::stable_sort(out.begin(), out.end(), [](const Row &a, const Row &b) {
        if (a.hasReport != b.hasReport)
            return a.hasReport;
        return a.remaining < b.remaining;
    });
    return out;
}

int KioskBudgetsPage::rowsPerSubPage() const
{
    return qMax(1, area().height() / m_type.px(1.9));
}

int KioskBudgetsPage::subPageCount() const
{
    const qsizetype n = rows().size();
    return qMax(1, int((n + rowsPerSubPage() - 1) / rowsPerSubPage()));
}

QList<KioskBudgetsPage::Row> KioskBudgetsPage::visibleRows() const
{
    const int per = rowsPerSubPage();
    return rows().mid(qsizetype(qMin(m_subPage, subPageCount() - 1)) * per, per);
}

void KioskBudgetsPage::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor text = palette().color(QPalette::WindowText);
    const QList<Row> shown = visibleRows();
    if (shown.isEmpty()) {
        p.setFont(m_type.font(1.4, true));
        p.setPen(text);
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("No service has an SLO"));
        return;
    }
    const bool stale = m_freshness->isStale();
    const int rowHeight = m_type.px(1.9);
    const int nameWidth = width() * 30 / 100;
    const int barWidth = width() * 34 / 100;
    const int gap = m_type.px(0.5);
    const QFont nameFont = m_type.font(1.1, true);
    const QFont valueFont = m_type.font(1.0, true);
    for (int n = 0; n < shown.size(); ++n) {
        const Row &r = shown.at(n);
        const int y = n * rowHeight;
        const QRect line(0, y, width(), rowHeight - m_type.px(0.3));
        p.setPen(text);
        p.setFont(nameFont);
        p.drawText(QRect(0, y, nameWidth - gap, line.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetrics(nameFont).elidedText(r.name, Qt::ElideRight, nameWidth - gap));
        const Health look = stale || !r.hasReport ? Health::Unknown
            : r.state == BudgetState::Critical   ? Health::Down
            : r.state == BudgetState::Warning    ? Health::Degraded
                                                 : Health::Ok;
        const QRect bar(nameWidth, y + line.height() / 4, barWidth, line.height() / 2);
        QColor track = text;
        track.setAlpha(60);
        p.fillRect(bar, track);
        const double fraction = r.hasReport ? qBound(0.0, r.remaining, 1.0) : 0.0;
        p.fillRect(QRect(bar.left(), bar.top(), int(bar.width() * fraction), bar.height()), HealthStyle::color(look));
        QString value;
        if (!r.hasReport)
            value = tr("no data yet");
        else if (r.remaining < 0)
            value = tr("overspent");
        else
            value = tr("%1 % left").arg(QString::number(r.remaining * 100, 'f', r.remaining < 0.1 ? 1 : 0));
        if (stale)
            value = HealthStyle::label(Health::Unknown) + QStringLiteral(" · ") + value;
        else if (r.hasReport)
            value += QStringLiteral(" · ") + budgetWord(r.state);
        const QString alert = stale ? QString() : alertText(r.alert);
        if (!alert.isEmpty())
            value += QStringLiteral(" · ") + alert;
        const int iconSize = m_type.px(1.0);
        const QRect icon(nameWidth + barWidth + gap, y + (line.height() - iconSize) / 2, iconSize, iconSize);
        HealthStyle::icon(look).paint(&p, icon);
        const QRect valueRect(icon.right() + gap / 2, y, width() - icon.right() - gap / 2, line.height());
        p.setFont(valueFont);
        p.setPen(text);
        p.drawText(valueRect, Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetrics(valueFont).elidedText(value, Qt::ElideRight, valueRect.width()));
    }
}
