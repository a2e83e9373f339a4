#include "chartstyle.h"

#include <QAbstractAxis>
#include <QChart>
#include <QPalette>

namespace ChartStyle {

void apply(QChart *chart, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    // The theme picks series colours that read on this background; the palette does the rest.
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(palette.brush(QPalette::Base));
    chart->setBackgroundRoundness(0);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(palette.brush(QPalette::Text));
    chart->legend()->setLabelColor(palette.color(QPalette::Text));
    chart->setMargins(QMargins(4, 4, 4, 4));
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsColor(palette.color(QPalette::Text));
        axis->setTitleBrush(palette.brush(QPalette::Text));
        QColor grid = palette.color(QPalette::Text);
        grid.setAlpha(40);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(palette.color(QPalette::Mid));
    }
}

} // namespace ChartStyle
