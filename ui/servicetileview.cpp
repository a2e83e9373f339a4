#include "servicetileview.h"

#include "healthstyle.h"
#include "servicetilemodel.h"

#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <limits>

namespace {
constexpr int kMargin = 16;
constexpr int kSpacing = 12;
constexpr int kGroupGap = 14;
} // namespace

ServiceTileView::ServiceTileView(QWidget *parent)
    : QListView(parent)
{
    setSelectionMode(SingleSelection);
    setSelectionBehavior(SelectRows);
    setVerticalScrollMode(ScrollPerPixel);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setUniformItemSizes(true);
    setMouseTracking(true);
    setFrameShape(QFrame::NoFrame);
    // Tiles sit on the window colour, as cards; each tile paints its own base.
    viewport()->setBackgroundRole(QPalette::Window);
    setBackgroundRole(QPalette::Window);
}

QModelIndex ServiceTileView::rowIndex(int row) const
{
    return model() ? model()->index(row, modelColumn(), rootIndex()) : QModelIndex();
}

void ServiceTileView::doItemsLayout()
{
    m_rects.clear();
    m_headings.clear();
    m_contentHeight = 0;
    const int rows = model() ? model()->rowCount(rootIndex()) : 0;
    if (rows > 0 && itemDelegate()) {
        QStyleOptionViewItem option;
        initViewItemOption(&option);
        const QSize hint = itemDelegate()->sizeHint(option, rowIndex(0));
        m_tileHeight = hint.height();
        const int available = qMax(hint.width(), viewport()->width() - 2 * kMargin);
        m_columns = qMax(1, (available + kSpacing) / (hint.width() + kSpacing));
        const int tileWidth = (available - (m_columns - 1) * kSpacing) / m_columns;
        const int headingHeight = fontMetrics().height() * 2;
        m_rects.resize(rows);
        int y = kMargin;
        int column = 0;
        QString group;
        bool first = true;
        for (int row = 0; row < rows; ++row) {
            if (isRowHidden(row))
                continue;
            const QString g = rowIndex(row).data(ServiceTileModel::GroupRole).toString();
            if (first || g != group) {
                if (column != 0)
                    y += m_tileHeight + kSpacing;
                if (!first)
                    y += kGroupGap;
                column = 0;
                m_headings << Heading{QRect(kMargin, y, available, headingHeight), row, 0};
                y += headingHeight + 4;
                group = g;
                first = false;
            }
            ++m_headings.last().count;
            m_rects[row] = QRect(kMargin + column * (tileWidth + kSpacing), y, tileWidth, m_tileHeight);
            if (++column == m_columns) {
                column = 0;
                y += m_tileHeight + kSpacing;
            }
        }
        if (column != 0)
            y += m_tileHeight + kSpacing;
        m_contentHeight = y - kSpacing + kMargin;
    }
    QAbstractItemView::doItemsLayout(); // geometries and a repaint
}

QStringList ServiceTileView::headings() const
{
    // A layout asked for and not yet run would answer for the rows before the change.
    const_cast<ServiceTileView *>(this)->executeDelayedItemsLayout();
    QStringList out;
    for (const Heading &h : m_headings)
        out << rowIndex(h.firstRow).data(ServiceTileModel::GroupRole).toString();
    return out;
}

QRect ServiceTileView::visualRect(const QModelIndex &index) const
{
    if (!index.isValid() || index.parent() != rootIndex() || index.row() >= m_rects.size())
        return {};
    const QRect r = m_rects.at(index.row());
    return r.isNull() ? QRect() : r.translated(-horizontalOffset(), -verticalOffset());
}

QModelIndex ServiceTileView::indexAt(const QPoint &point) const
{
    const QPoint p = point + QPoint(horizontalOffset(), verticalOffset());
    for (int row = 0; row < m_rects.size(); ++row)
        if (m_rects[row].contains(p))
            return rowIndex(row);
    return {};
}

void ServiceTileView::scrollTo(const QModelIndex &index, ScrollHint hint)
{
    if (!index.isValid() || index.row() >= m_rects.size() || m_rects[index.row()].isNull())
        return;
    QRect r = m_rects[index.row()];
    // The first tile of a group brings its heading along.
    for (const Heading &h : std::as_const(m_headings))
        if (h.firstRow == index.row() || (m_rects[h.firstRow].top() == r.top() && h.rect.bottom() < r.top()))
            r.setTop(h.rect.top());
    QScrollBar *bar = verticalScrollBar();
    const int height = viewport()->height();
    const int top = bar->value();
    switch (hint) {
    case PositionAtTop: bar->setValue(r.top() - kMargin); break;
    case PositionAtBottom: bar->setValue(r.bottom() + kMargin - height); break;
    case PositionAtCenter: bar->setValue(r.center().y() - height / 2); break;
    case EnsureVisible:
        if (r.top() < top + kMargin)
            bar->setValue(r.top() - kMargin);
        else if (r.bottom() > top + height - kMargin)
            bar->setValue(r.bottom() + kMargin - height);
        break;
    }
}

int ServiceTileView::nearestInRow(int top, int centerX) const
{
    int best = -1;
    int bestDistance = std::numeric_limits<int>::max();
    for (int row = 0; row < m_rects.size(); ++row) {
        const QRect &r = m_rects[row];
        if (r.isNull() || r.top() != top)
            continue;
        const int d = qAbs(r.center().x() - centerX);
        if (d < bestDistance) {
            bestDistance = d;
            best = row;
        }
    }
    return best;
}

QModelIndex ServiceTileView::moveCursor(CursorAction action, Qt::KeyboardModifiers)
{
    QList<int> visible;
    for (int row = 0; row < m_rects.size(); ++row)
        if (!m_rects[row].isNull())
            visible << row;
    if (visible.isEmpty())
        return {};
    const QModelIndex current = currentIndex();
    const int at = current.isValid() ? int(visible.indexOf(current.row())) : -1;
    if (at < 0)
        return rowIndex(visible.first());
    const QRect cur = m_rects[current.row()];
    auto rowTop = [&](bool down, int from) {
        // The nearest line of tiles above or below `from` (lines are shared tops).
        int best = down ? std::numeric_limits<int>::max() : std::numeric_limits<int>::min();
        for (int row : std::as_const(visible)) {
            const int t = m_rects[row].top();
            if (down ? (t > from && t < best) : (t < from && t > best))
                best = t;
        }
        return best;
    };
    switch (action) {
    case MoveLeft:
    case MovePrevious: return rowIndex(visible.at(qMax(0, at - 1)));
    case MoveRight:
    case MoveNext: return rowIndex(visible.at(qMin(int(visible.size()) - 1, at + 1)));
    case MoveHome: return rowIndex(visible.first());
    case MoveEnd: return rowIndex(visible.last());
    case MoveUp:
    case MoveDown: {
        const bool down = action == MoveDown;
        const int top = rowTop(down, cur.top());
        if (top == std::numeric_limits<int>::max() || top == std::numeric_limits<int>::min())
            return current;
        return rowIndex(nearestInRow(top, cur.center().x()));
    }
    case MovePageUp:
    case MovePageDown: {
        const bool down = action == MovePageDown;
        const int target = cur.top() + (down ? 1 : -1) * viewport()->height();
        // The line of tiles nearest to one page away, never past the first or last line.
        int best = cur.top();
        for (int row : std::as_const(visible)) {
            const int t = m_rects[row].top();
            if ((down ? t > cur.top() : t < cur.top()) && qAbs(t - target) < qAbs(best - target))
                best = t;
        }
        return rowIndex(nearestInRow(best, cur.center().x()));
    }
    }
    return current;
}

int ServiceTileView::horizontalOffset() const
{
    return 0; // tiles wrap; nothing scrolls sideways
}

int ServiceTileView::verticalOffset() const
{
    return verticalScrollBar()->value();
}

void ServiceTileView::setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags flags)
{
    const QRect content = rect.normalized().translated(horizontalOffset(), verticalOffset());
    QItemSelection selection;
    for (int row = 0; row < m_rects.size(); ++row) {
        if (m_rects[row].intersects(content)) {
            const QModelIndex i = rowIndex(row);
            selection.select(i, i);
            if (selectionMode() == SingleSelection)
                break;
        }
    }
    selectionModel()->select(selection, flags);
}

QRegion ServiceTileView::visualRegionForSelection(const QItemSelection &selection) const
{
    QRegion region;
    for (const QItemSelectionRange &range : selection)
        for (int row = range.top(); row <= range.bottom(); ++row)
            region += visualRect(rowIndex(row));
    return region;
}

QSize ServiceTileView::viewportSizeHint() const
{
    return QSize(2 * kMargin + (itemDelegate() ? itemDelegate()->sizeHint(QStyleOptionViewItem(), {}).width() : 0),
                 m_contentHeight);
}

void ServiceTileView::updateGeometries()
{
    QScrollBar *bar = verticalScrollBar();
    bar->setSingleStep(qMax(20, m_tileHeight / 3));
    bar->setPageStep(viewport()->height());
    bar->setRange(0, qMax(0, m_contentHeight - viewport()->height()));
    horizontalScrollBar()->setRange(0, 0);
    QAbstractItemView::updateGeometries();
}

void ServiceTileView::scrollContentsBy(int dx, int dy)
{
    QAbstractItemView::scrollContentsBy(dx, dy);
}

void ServiceTileView::resizeEvent(QResizeEvent *event)
{
    QAbstractItemView::resizeEvent(event);
    // Reflowing is one cheap pass; doing it now avoids a frame of stale columns.
    doItemsLayout();
}

void ServiceTileView::mouseMoveEvent(QMouseEvent *event)
{
    const int row = indexAt(event->position().toPoint()).row();
    if (row != m_hoverRow) {
        if (m_hoverRow >= 0)
            viewport()->update(visualRect(rowIndex(m_hoverRow)));
        m_hoverRow = row;
        if (row >= 0)
            viewport()->update(visualRect(rowIndex(row)));
    }
    QListView::mouseMoveEvent(event);
}

void ServiceTileView::leaveEvent(QEvent *event)
{
    if (m_hoverRow >= 0)
        viewport()->update(visualRect(rowIndex(m_hoverRow)));
    m_hoverRow = -1;
    QListView::leaveEvent(event);
}

void ServiceTileView::dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles)
{
    // A change that may move the group's state repaints its heading too; a range repaints the
    // viewport once, which costs no more than per-tile rectangles.
    if (roles.isEmpty() || roles.contains(ServiceTileModel::GroupHealthRole))
        viewport()->update();
    QAbstractItemView::dataChanged(topLeft, bottomRight, roles);
}

void ServiceTileView::paintHeading(QPainter *painter, const Heading &heading, const QRect &rect) const
{
    const QModelIndex first = rowIndex(heading.firstRow);
    const Health health = Health(first.data(ServiceTileModel::GroupHealthRole).toInt());
    const QPalette &pal = palette();
    painter->save();
    QFont bold = font();
    bold.setBold(true);
    bold.setPointSizeF(font().pointSizeF() > 0 ? font().pointSizeF() * 1.15 : 12);
    const int icon = 16;
    HealthStyle::icon(health).paint(painter, QRect(rect.left(), rect.center().y() - icon / 2, icon, icon));
    const QString name = first.data(ServiceTileModel::GroupRole).toString();
    painter->setFont(bold);
    painter->setPen(pal.color(QPalette::WindowText));
    const QFontMetrics boldFm(bold);
    // A pixel of slack: the advance is rounded, and elidedText() would cut a name that just fits.
    const int nameWidth = qMin(boldFm.horizontalAdvance(name) + 2, rect.width() / 2);
    QRect textRect(rect.left() + icon + 8, rect.top(), nameWidth, rect.height());
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, boldFm.elidedText(name, Qt::ElideRight, nameWidth));
    painter->setFont(font());
    const QString count = heading.count == 1 ? tr("1 service") : tr("%1 services").arg(heading.count);
    const QString detail = tr("%1 · %2").arg(HealthStyle::label(health), count);
    QColor muted = pal.color(QPalette::WindowText);
    muted.setAlphaF(0.7f);
    painter->setPen(muted);
    const int detailLeft = textRect.right() + 12;
    painter->drawText(QRect(detailLeft, rect.top(), rect.right() - detailLeft, rect.height()),
                      Qt::AlignVCenter | Qt::AlignLeft, detail);
    QColor rule = pal.color(QPalette::WindowText);
    rule.setAlphaF(0.18f);
    painter->setPen(QPen(rule, 1));
    painter->drawLine(rect.left(), rect.bottom(), rect.right(), rect.bottom());
    painter->restore();
}

void ServiceTileView::paintEvent(QPaintEvent *event)
{
    QPainter painter(viewport());
    const QRect exposed = event->rect();
    const QPoint offset(horizontalOffset(), verticalOffset());
    for (const Heading &h : std::as_const(m_headings)) {
        const QRect r = h.rect.translated(-offset);
        if (r.intersects(exposed))
            paintHeading(&painter, h, r);
    }
    if (!model() || !itemDelegate())
        return;
    QStyleOptionViewItem base;
    initViewItemOption(&base);
    const QModelIndex current = currentIndex();
    const bool focus = hasFocus() || viewport()->hasFocus();
    const QItemSelectionModel *selection = selectionModel();
    // Rows are laid out top to bottom: start at the first that reaches the exposed area.
    const QRect content = exposed.translated(offset);
    for (int row = 0; row < m_rects.size(); ++row) {
        const QRect &r = m_rects[row];
        if (r.isNull() || !r.intersects(content)) {
            if (!r.isNull() && r.top() > content.bottom())
                break;
            continue;
        }
        const QModelIndex index = rowIndex(row);
        QStyleOptionViewItem option = base;
        option.rect = r.translated(-offset);
        option.state |= QStyle::State_Enabled;
        if (selection && selection->isSelected(index))
            option.state |= QStyle::State_Selected;
        if (focus && index == current)
            option.state |= QStyle::State_HasFocus;
        if (row == m_hoverRow)
            option.state |= QStyle::State_MouseOver;
        itemDelegate()->paint(&painter, option, index);
    }
}
