#pragma once

#include <QStyledItemDelegate>

// Paints an incident's timeline as a vertical line through one marker per event — its own shape
// and colour per kind (detected, acknowledged, note, action, escalated, resolved, …) — with the
// kind in words, the time and the actor on the first line and the event's text wrapped below.
class TimelineDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineDelegate)

public:
    explicit TimelineDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The marker's glyph and colour for an event kind (glyph and word together: never colour alone).
    static QString glyph(const QString &kind);
    static QColor color(const QString &kind, const QPalette &palette);

private:
    QRect textRect(const QRect &row) const;
};
