#pragma once

#include <QStyledItemDelegate>

// Paints one service tile from ServiceTileModel's roles: a state stripe, icon, name and state word;
// why it is not ok; a latency sparkline with the latest value; the error-budget gauge with its
// percentage (and the word when it is low); badges for maintenance and failover; and the time since
// the last check. Colours come from HealthStyle and the palette, so light and dark themes both work,
// and no state is told by colour alone.
class ServiceTileDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceTileDelegate)

public:
    explicit ServiceTileDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    // The smallest good tile: views stretch tiles wider, never narrower, and keep the height.
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    struct Metrics;
    static Metrics metrics(const QStyleOptionViewItem &option);
};
