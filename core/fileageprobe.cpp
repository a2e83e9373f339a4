#include "blockingprobe.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

std::function<ProbeReading()> FileAgeProbe::job(const CheckConfig &check) const
{
    return [pattern = check.path] {
        ProbeReading reading;
        const QFileInfo info(pattern);
        const QDir dir = info.absoluteDir();
        if (!dir.exists()) {
            reading.failed = true;
            reading.error = QStringLiteral("folder %1 does not exist").arg(dir.path());
            return reading;
        }
        // Newest first; only the last path component may hold wildcards.
        const QFileInfoList files = dir.entryInfoList({info.fileName()}, QDir::Files | QDir::NoDotAndDotDot, QDir::Time);
        reading.set(QStringLiteral("COUNT"), double(files.size()));
        if (files.isEmpty()) {
            reading.error = QStringLiteral("no file matches %1").arg(pattern);
            return reading;
        }
        const QFileInfo &newest = files.first();
        reading.set(QStringLiteral("AGE"), double(newest.lastModified().msecsTo(QDateTime::currentDateTimeUtc())));
        reading.set(QStringLiteral("SIZE"), double(newest.size()));
        return reading;
    };
}
