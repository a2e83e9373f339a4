#include "quantity.h"

#include <QLocale>
#include <cmath>

namespace Quantity {

std::optional<qint64> parseBytes(QStringView text)
{
    text = text.trimmed();
    qsizetype i = 0;
    while (i < text.size() && (text[i].isDigit() || text[i] == u'.'))
        ++i;
    if (i == 0)
        return std::nullopt;
    bool ok = false;
    const double number = text.left(i).toDouble(&ok);
    if (!ok)
        return std::nullopt;
    const QStringView unit = text.mid(i).trimmed();
    struct Unit
    {
        const char16_t *name;
        double factor;
    };
    static const Unit units[] = {{u"B", 1},
                                 {u"KB", 1e3},
                                 {u"MB", 1e6},
                                 {u"GB", 1e9},
                                 {u"TB", 1e12},
                                 {u"KiB", 1024.0},
                                 {u"MiB", 1024.0 * 1024},
                                 {u"GiB", 1024.0 * 1024 * 1024},
                                 {u"TiB", 1024.0 * 1024 * 1024 * 1024}};
    double factor = unit.isEmpty() ? 1 : 0;
    for (const Unit &u : units) {
        if (unit.compare(QStringView(u.name), Qt::CaseInsensitive) == 0)
            factor = u.factor;
    }
    if (factor == 0)
        return std::nullopt;
    const double bytes = number * factor;
    if (!std::isfinite(bytes) || bytes > 9.0e18)
        return std::nullopt;
    return qint64(bytes);
}

QString formatBytes(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeIecFormat);
}

} // namespace Quantity
