#include "blockingprobe.h"

#include <QFileInfo>
#include <QStorageInfo>

std::function<ProbeReading()> DiskProbe::job(const CheckConfig &check) const
{
    return [path = check.path] {
        ProbeReading reading;
        if (!QFileInfo::exists(path)) {
            reading.failed = true;
            reading.error = QStringLiteral("%1 does not exist").arg(path);
            return reading;
        }
        const QStorageInfo storage(path);
        if (!storage.isValid() || storage.bytesTotal() <= 0) {
            reading.failed = true;
            reading.error = QStringLiteral("cannot read the file system of %1").arg(path);
            return reading;
        }
        // What an unprivileged writer can still use, like `df`'s Avail column.
        const double total = double(storage.bytesTotal());
        const double available = double(storage.bytesAvailable());
        reading.set(QStringLiteral("FREE"), available);
        reading.set(QStringLiteral("SIZE"), total);
        reading.set(QStringLiteral("FREE_PERCENT"), available * 100.0 / total);
        reading.set(QStringLiteral("USED_PERCENT"), 100.0 - available * 100.0 / total);
        return reading;
    };
}
