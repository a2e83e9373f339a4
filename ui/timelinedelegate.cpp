#include "timelinedelegate.h"

#include "healthstyle.h"
#include "incidenttimelinemodel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QPainter>
#include <QTextLayout>

namespace {
constexpr int kGutter = 40;  // room for the line and the markers
constexpr int kMarker = 22;
constexpr int kPad = 6;

int wrappedHeight(const QString &text, const QFont &font, int width)
{
    if (text.isEmpty() || width <= 0)
        return 0;
    const QFontMetrics fm(font);
    return fm.boundingRect(QRect(0, 0, width, 100000), Qt::TextWordWrap, text).height();
}
} // namespace

TimelineDelegate::TimelineDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QString TimelineDelegate::glyph(const QString &kind)
{
    if (kind == u"detected")
        return QStringLiteral("!");
    if (kind == u"recurred")
        return QStringLiteral("↻");
    if (kind == u"acknowledged")
        return QStringLiteral("✓");
    if (kind == u"note")
        return QStringLiteral("✎");
    if (kind == u"severity_changed")
        return QStringLiteral("⇅");
    if (kind == u"action")
        return QStringLiteral("▶");
    if (kind == u"checklist")
        return QStringLiteral("☑");
    if (kind == u"failover")
        return QStringLiteral("⇄");
    if (kind == u"mitigated")
        return QStringLiteral("◐");
    if (kind == u"resolved")
        return QStringLiteral("✔");
    if (kind == u"escalated")
        return QStringLiteral("⚠");
    return QStringLiteral("•");
}

QColor TimelineDelegate::color(const QString &kind, const QPalette &palette)
{
    if (kind == u"detected" || kind == u"recurred")
        return HealthStyle::color(Health::Down);
    if (kind == u"escalated" || kind == u"severity_changed")
        return HealthStyle::color(Health::Degraded);
    if (kind == u"resolved" || kind == u"mitigated")
        return HealthStyle::color(Health::Ok);
    if (kind == u"failover")
        return HealthStyle::color(Health::Stale);
    if (kind == u"acknowledged" || kind == u"action" || kind == u"checklist")
        return palette.color(QPalette::Highlight);
    return HealthStyle::color(Health::Unknown);
}

QRect TimelineDelegate::textRect(const QRect &row) const
{
    return row.adjusted(kGutter, kPad, -kPad, -kPad);
}

QSize TimelineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    // The view's width decides where the text wraps; QListView in Adjust mode asks again on resize.
    int width = option.rect.width();
    if (const auto *view = qobject_cast<const QAbstractItemView *>(option.widget))
        width = view->viewport()->width();
    const int textWidth = qMax(80, width - kGutter - kPad);
    QFont bold = option.font;
    bold.setBold(true);
    const int head = QFontMetrics(bold).height();
    const int body = wrappedHeight(index.data(IncidentTimelineModel::TextRole).toString(), option.font, textWidth);
    return QSize(width, qMax(kMarker + 2 * kPad, head + (body ? body + 2 : 0) + 2 * kPad + 4));
}

void TimelineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    painter->save();
    // Selection and hover backgrounds from the style, without its text.
    opt.text.clear();
    opt.icon = QIcon();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QRect r = option.rect;
    const QPalette &pal = option.palette;
    const QString kind = index.data(IncidentTimelineModel::KindRole).toString();
    const int cx = r.left() + kGutter / 2;
    const int rows = index.model()->rowCount(index.parent());
    const QRect marker(cx - kMarker / 2, r.top() + kPad, kMarker, kMarker);

    painter->setRenderHint(QPainter::Antialiasing);
    QPen line(pal.color(QPalette::Mid), 2);
    painter->setPen(line);
    if (index.row() > 0)
        painter->drawLine(QPoint(cx, r.top()), QPoint(cx, marker.top()));
    if (index.row() < rows - 1)
        painter->drawLine(QPoint(cx, marker.bottom()), QPoint(cx, r.bottom() + 1));

    const QColor c = color(kind, pal);
    painter->setPen(Qt::NoPen);
    painter->setBrush(c);
    painter->drawEllipse(marker);
    QFont glyphFont = option.font;
    glyphFont.setBold(true);
    glyphFont.setPixelSize(kMarker * 3 / 5);
    painter->setFont(glyphFont);
    // White on the saturated marker colours reads in light and dark themes alike.
    painter->setPen(Qt::white);
    painter->drawText(marker, Qt::AlignCenter, glyph(kind));

    const bool selected = opt.state & QStyle::State_Selected;
    const QColor text = pal.color(selected ? QPalette::HighlightedText : QPalette::Text);
    const QRect tr = textRect(r);
    QFont bold = option.font;
    bold.setBold(true);
    const QFontMetrics bfm(bold);
    const QString kindText = index.data(IncidentTimelineModel::KindLabelRole).toString();
    painter->setFont(bold);
    painter->setPen(selected ? text : c.darker(pal.color(QPalette::Base).lightness() > 128 ? 115 : 70));
    painter->drawText(QRect(tr.left(), tr.top(), tr.width(), bfm.height()), Qt::AlignLeft | Qt::AlignVCenter, kindText);
    const int after = tr.left() + bfm.horizontalAdvance(kindText) + 10;
    painter->setFont(option.font);
    painter->setPen(selected ? text : pal.color(QPalette::PlaceholderText));
    const QString meta = QStringLiteral("%1 · %2").arg(index.data(IncidentTimelineModel::TimeTextRole).toString(),
                                                       index.data(IncidentTimelineModel::ActorRole).toString());
    painter->drawText(QRect(after, tr.top(), qMax(0, tr.right() - after), bfm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetrics(option.font).elidedText(meta, Qt::ElideRight, qMax(0, tr.right() - after)));
    painter->setPen(text);
    painter->drawText(QRect(tr.left(), tr.top() + bfm.height() + 2, tr.width(), tr.height() - bfm.height() - 2),
                      Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, index.data(IncidentTimelineModel::TextRole).toString());
    painter->restore();
}
