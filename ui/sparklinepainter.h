#pragma once

#include <QColor>
#include <QList>
#include <QRectF>

class QPainter;

// Draws a small line chart of recent values (latencies) into a rectangle: scaled from zero to the
// largest value, with the area under the line tinted, so that both the trend and spikes read at a
// glance. Fewer than two values draw a single dot (or nothing).
class SparklinePainter
{
public:
    static void paint(QPainter *painter, const QRectF &rect, const QList<double> &values, const QColor &line);
};
