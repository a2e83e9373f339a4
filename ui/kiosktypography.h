#pragma once

#include <QFont>

// Type sizes for the wall display, derived from the height of the screen it fills.
class KioskTypography final
{
public:
    explicit KioskTypography(int screenHeightPx = 1080);

    int base() const { return m_base; } // body text, in pixels
    // The application font at `scale` times the body size.
    QFont font(double scale = 1.0, bool bold = false) const;
    int px(double scale) const; // a length in body sizes, for margins and tiles

private:
    int m_base;
};
