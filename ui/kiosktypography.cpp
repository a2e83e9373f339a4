#include "kiosktypography.h"

#include <QApplication>
#include <QtMath>

// Why the height and not QScreen::physicalSize(): over HDMI, and on eglfs/linuxfb, the reported
// physical size is often missing or invented, while the pixel height is always right. Reading at
// 3 m needs letters of about 1/250 of the distance, i.e. 12 mm or more. We assume a screen is sized
// for its resolution class — a 7" 800x480 panel (about 90 mm tall, 0.19 mm/px) watched from closer,
// a 24–32" 1920x1080 monitor (300–400 mm tall, 0.28–0.37 mm/px) across a room — and put about 22
// body lines on the screen height:
//
//     base = max(14, round(height / 22))   →   800x480: 22 px, 1280x720: 33 px, 1920x1080: 49 px
//
// On a 24" 1080p monitor that is 49 px × 0.28 mm ≈ 14 mm per line (a cap height near 10 mm), and
// the state words and service names the kiosk is read for are drawn at 1.2–2 × base. 14 px is the
// floor below which Qt's default fonts stop being crisp.
KioskTypography::KioskTypography(int screenHeightPx)
    : m_base(qMax(14, qRound(screenHeightPx / 22.0)))
{
}

QFont KioskTypography::font(double scale, bool bold) const
{
    QFont f = QApplication::font();
    f.setPixelSize(px(scale));
    f.setBold(bold);
    return f;
}

int KioskTypography::px(double scale) const
{
    return qMax(1, qRound(m_base * scale));
}
