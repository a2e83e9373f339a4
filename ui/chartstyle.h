#pragma once

class QChart;
class QPalette;

// Charts follow the application palette (light or dark) instead of Qt Charts' fixed themes'
// white background.
namespace ChartStyle {
void apply(QChart *chart, const QPalette &palette);
}
