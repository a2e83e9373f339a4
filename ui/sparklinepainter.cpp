#include "sparklinepainter.h"

#include <QPainter>
#include <QPainterPath>
#include <algorithm>

void SparklinePainter::paint(QPainter *painter, const QRectF &rect, const QList<double> &values, const QColor &line)
{
    if (values.isEmpty() || rect.width() < 4 || rect.height() < 4)
        return;
    const double top = std::max(*std::max_element(values.cbegin(), values.cend()), 1e-9);
    const QRectF r = rect.adjusted(1, 1, -1, -1);
    // Drawn against a fixed number of slots would leave a young service's line squeezed at the
    // left; stretching what there is reads better.
    const qsizetype n = values.size();
    auto point = [&](qsizetype i) {
        const double x = n == 1 ? r.center().x() : r.left() + r.width() * double(i) / double(n - 1);
        const double y = r.bottom() - r.height() * std::clamp(values[i] / top, 0.0, 1.0);
        return QPointF(x, y);
    };
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (n == 1) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(line);
        painter->drawEllipse(point(0), 2.0, 2.0);
        painter->restore();
        return;
    }
    QPainterPath path(point(0));
    for (qsizetype i = 1; i < n; ++i)
        path.lineTo(point(i));
    QPainterPath area = path;
    area.lineTo(r.right(), r.bottom());
    area.lineTo(r.left(), r.bottom());
    area.closeSubpath();
    QColor fill = line;
    fill.setAlpha(48);
    painter->fillPath(area, fill);
    painter->setPen(QPen(line, 1.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path);
    // The latest value, where the eye goes first.
    painter->setPen(Qt::NoPen);
    painter->setBrush(line);
    painter->drawEllipse(point(n - 1), 2.2, 2.2);
    painter->restore();
}
