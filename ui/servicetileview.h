#pragma once

#include <QListView>

// Service tiles in a grid that reflows with the width, under a heading per group (the model's
// GroupRole; rows of one group must be adjacent, as the dashboard's sorted proxy makes them). One
// view for all groups keeps 500 tiles cheap: layout is a single pass over the rows, painting touches
// only what is visible, and the keyboard moves across groups (arrows by geometry, Enter activates).
// A QListView underneath, so that selection, activation and accessibility (each tile a list item
// with the model's AccessibleTextRole) work as for any list.
class ServiceTileView final : public QListView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceTileView)

public:
    explicit ServiceTileView(QWidget *parent = nullptr);

    QRect visualRect(const QModelIndex &index) const override;
    QModelIndex indexAt(const QPoint &point) const override;
    void scrollTo(const QModelIndex &index, ScrollHint hint = EnsureVisible) override;
    void doItemsLayout() override;

    // The group headings laid out now, top to bottom, in content coordinates (for tests).
    QStringList headings() const;
    int columns() const { return m_columns; }

protected:
    QSize viewportSizeHint() const override;
    QModelIndex moveCursor(CursorAction action, Qt::KeyboardModifiers modifiers) override;
    int horizontalOffset() const override;
    int verticalOffset() const override;
    void setSelection(const QRect &rect, QItemSelectionModel::SelectionFlags flags) override;
    QRegion visualRegionForSelection(const QItemSelection &selection) const override;
    void updateGeometries() override;
    void scrollContentsBy(int dx, int dy) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void dataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight, const QList<int> &roles = {}) override;

private:
    struct Heading
    {
        QRect rect;
        int firstRow = 0;
        int count = 0;
    };
    QModelIndex rowIndex(int row) const;
    void paintHeading(QPainter *painter, const Heading &heading, const QRect &rect) const;
    int nearestInRow(int top, int centerX) const;

    QList<QRect> m_rects; // per row, content coordinates; empty for hidden rows
    QList<Heading> m_headings;
    int m_contentHeight = 0;
    int m_tileHeight = 0;
    int m_columns = 1;
    int m_hoverRow = -1;
};
