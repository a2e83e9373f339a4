#include "kioskpage.h"

#include <QColor>

KioskPage::KioskPage(QWidget *parent)
    : QWidget(parent)
{
}

void KioskPage::setSubPage(int index)
{
    m_subPage = qMax(0, index);
    refresh();
}

void KioskPage::setTypography(const KioskTypography &type)
{
    m_type = type;
    refresh();
}

void KioskPage::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    refresh();
    emit contentChanged(); // how many fit, and so how many sub-pages, depends on the size
}

QSize KioskPage::area() const
{
    return parentWidget() ? parentWidget()->contentsRect().size() : size();
}

QColor KioskPage::textOn(const QColor &fill)
{
    // WCAG relative luminance; the contrast with black beats white above about 0.18.
    auto channel = [](double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    const double l = 0.2126 * channel(fill.redF()) + 0.7152 * channel(fill.greenF()) + 0.0722 * channel(fill.blueF());
    return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? QColor(Qt::black) : QColor(Qt::white);
}
