#include "healthstyle.h"

#include <QCoreApplication>
#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace HealthStyle {

QColor color(Health h)
{
    switch (h) {
    case Health::Ok: return QColor(0x2e, 0x9e, 0x4f);
    case Health::Degraded: return QColor(0xd9, 0x8c, 0x00);
    case Health::Down: return QColor(0xd0, 0x31, 0x2d);
    case Health::Stale: return QColor(0x7a, 0x6f, 0xb0);
    case Health::Unknown: return QColor(0x80, 0x80, 0x80);
    }
    return Qt::gray;
}

static QPixmap paint(Health h, int size)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor c = color(h);
    const qreal s = size;
    QPen white(Qt::white, s / 9.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    switch (h) {
    case Health::Ok:
        p.setBrush(c);
        p.setPen(Qt::NoPen);
        p.drawEllipse(QRectF(0.5, 0.5, s - 1, s - 1));
        p.setPen(white);
        p.drawPolyline(QPolygonF({QPointF(s * 0.28, s * 0.52), QPointF(s * 0.44, s * 0.68), QPointF(s * 0.72, s * 0.34)}));
        break;
    case Health::Degraded: {
        QPainterPath tri;
        tri.moveTo(s / 2, s * 0.04);
        tri.lineTo(s * 0.97, s * 0.92);
        tri.lineTo(s * 0.03, s * 0.92);
        tri.closeSubpath();
        p.fillPath(tri, c);
        p.setPen(white);
        p.drawLine(QPointF(s / 2, s * 0.36), QPointF(s / 2, s * 0.62));
        p.drawPoint(QPointF(s / 2, s * 0.78));
        break;
    }
    case Health::Down:
        p.setBrush(c);
        p.setPen(Qt::NoPen);
        p.drawRoundedRect(QRectF(0.5, 0.5, s - 1, s - 1), s * 0.18, s * 0.18);
        p.setPen(white);
        p.drawLine(QPointF(s * 0.3, s * 0.3), QPointF(s * 0.7, s * 0.7));
        p.drawLine(QPointF(s * 0.7, s * 0.3), QPointF(s * 0.3, s * 0.7));
        break;
    case Health::Stale:
        p.setBrush(c);
        p.setPen(Qt::NoPen);
        p.drawEllipse(QRectF(0.5, 0.5, s - 1, s - 1));
        p.setPen(white);
        p.drawLine(QPointF(s / 2, s / 2), QPointF(s / 2, s * 0.22));
        p.drawLine(QPointF(s / 2, s / 2), QPointF(s * 0.7, s * 0.62));
        break;
    case Health::Unknown: {
        p.setBrush(c);
        p.setPen(Qt::NoPen);
        p.drawEllipse(QRectF(0.5, 0.5, s - 1, s - 1));
        QFont f;
        f.setPixelSize(int(s * 0.72));
        f.setBold(true);
        p.setFont(f);
        p.setPen(Qt::white);
        p.drawText(QRectF(0, 0, s, s), Qt::AlignCenter, QStringLiteral("?"));
        break;
    }
    }
    return pm;
}

QIcon icon(Health h)
{
    static QHash<int, QIcon> cache;
    auto it = cache.find(int(h));
    if (it == cache.end()) {
        QIcon icon;
        for (int size : {16, 24, 32, 48, 64})
            icon.addPixmap(paint(h, size));
        it = cache.insert(int(h), icon);
    }
    return *it;
}

QString label(Health h)
{
    switch (h) {
    case Health::Ok: return QCoreApplication::translate("HealthStyle", "OK");
    case Health::Degraded: return QCoreApplication::translate("HealthStyle", "Degraded");
    case Health::Down: return QCoreApplication::translate("HealthStyle", "Down");
    case Health::Stale: return QCoreApplication::translate("HealthStyle", "Stale");
    case Health::Unknown: return QCoreApplication::translate("HealthStyle", "Unknown");
    }
    return {};
}

} // namespace HealthStyle
