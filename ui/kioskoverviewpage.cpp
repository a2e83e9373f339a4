#include "kioskoverviewpage.h"

#include "healthstyle.h"
#include "kioskfreshness.h"
#include "servicetilemodel.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>

KioskOverviewPage::KioskOverviewPage(ServiceTileModel *model, KioskFreshness *freshness, QWidget *parent)
    : KioskPage(parent)
    , m_model(model)
    , m_freshness(freshness)
{
    setObjectName(QStringLiteral("kioskOverview"));
    setAccessibleName(tr("Services overview"));
    auto changed = [this] {
        update();
        emit contentChanged();
    };
    connect(model, &QAbstractItemModel::dataChanged, this, changed);
    connect(model, &QAbstractItemModel::modelReset, this, changed);
    connect(model, &QAbstractItemModel::rowsInserted, this, changed);
    connect(model, &QAbstractItemModel::rowsRemoved, this, changed);
    connect(freshness, &KioskFreshness::changed, this, changed);
}

QString KioskOverviewPage::title() const
{
    return tr("Services");
}

QSize KioskOverviewPage::grid() const
{
    const QSize room = area();
    const int cols = qMax(1, (room.width() + m_type.px(0.4)) / (m_type.px(10) + m_type.px(0.4)));
    const int rows = qMax(1, (room.height() + m_type.px(0.4)) / (m_type.px(3.2) + m_type.px(0.4)));
    return {cols, rows};
}

int KioskOverviewPage::tilesPerSubPage() const
{
    const QSize g = grid();
    return g.width() * g.height();
}

int KioskOverviewPage::subPageCount() const
{
    const int n = m_model->rowCount();
    return qMax(1, (n + tilesPerSubPage() - 1) / tilesPerSubPage());
}

QList<KioskOverviewPage::Tile> KioskOverviewPage::tiles() const
{
    const bool stale = m_freshness->isStale();
    QList<Tile> out;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex i = m_model->index(row);
        Tile t;
        t.name = i.data(ServiceTileModel::ServiceRole).toString();
        t.seen = Health(i.data(ServiceTileModel::HealthRole).toInt());
        t.health = stale ? Health::Unknown : t.seen;
        t.reason = i.data(ServiceTileModel::ReasonRole).toString();
        out << t;
    }
    // Worst first, so the first screen carries the news even when there are several.
    std::stable_sort(out.begin(), out.end(), [](const Tile &a, const Tile &b) {
        if (a.seen != b.seen)
            return a.seen > b.seen;
        return a.name.localeAwareCompare(b.name) < 0;
    });
    return out;
}

QList<KioskOverviewPage::Tile> KioskOverviewPage::visibleTiles() const
{
    const int per = tilesPerSubPage();
    const int sub = qMin(m_subPage, subPageCount() - 1);
    return tiles().mid(qsizetype(sub) * per, per);
}

void KioskOverviewPage::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QList<Tile> shown = visibleTiles();
    if (shown.isEmpty()) {
        p.setFont(m_type.font(1.4, true));
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("No services are configured"));
        return;
    }
    const QSize g = grid();
    const int gap = m_type.px(0.4);
    const int w = (width() - gap * (g.width() - 1)) / g.width();
    const int h = qMin(m_type.px(4.5), (height() - gap * (g.height() - 1)) / g.height());
    const bool stale = m_freshness->isStale();
    for (int n = 0; n < shown.size(); ++n) {
        const Tile &t = shown.at(n);
        const QRect r((n % g.width()) * (w + gap), (n / g.width()) * (h + gap), w, h);
        const QColor fill = HealthStyle::color(t.health);
        const QColor ink = textOn(fill);
        QPainterPath path;
        path.addRoundedRect(r, m_type.px(0.3), m_type.px(0.3));
        p.fillPath(path, fill);
        const int pad = m_type.px(0.35);
        const int iconSize = m_type.px(1.6);
        // The shape carries the state as much as the colour: drawn on a contrasting disc.
        const QRect iconRect(r.left() + pad, r.top() + (r.height() - iconSize) / 2, iconSize, iconSize);
        p.setPen(Qt::NoPen);
        p.setBrush(ink);
        p.drawEllipse(iconRect.adjusted(-2, -2, 2, 2));
        HealthStyle::icon(t.health).paint(&p, iconRect);
        const QRect text = r.adjusted(pad * 2 + iconSize, pad, -pad, -pad);
        p.setPen(ink);
        const QFont nameFont = m_type.font(1.2, true);
        p.setFont(nameFont);
        const int nameHeight = QFontMetrics(nameFont).height();
        p.drawText(QRect(text.left(), text.top(), text.width(), nameHeight), Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetrics(nameFont).elidedText(t.name, Qt::ElideRight, text.width()));
        QString word = HealthStyle::label(t.health);
        if (stale)
            word = tr("%1 · was %2").arg(word, HealthStyle::label(t.seen));
        else if (!t.reason.isEmpty())
            word += QStringLiteral(" · ") + t.reason;
        const QFont wordFont = m_type.font(0.9, false);
        p.setFont(wordFont);
        p.drawText(QRect(text.left(), text.top() + nameHeight, text.width(), text.height() - nameHeight),
                   Qt::AlignLeft | Qt::AlignTop, QFontMetrics(wordFont).elidedText(word, Qt::ElideRight, text.width()));
    }
}
