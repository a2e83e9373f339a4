#include "blockingprobe.h"

#include "conditionevaluator.h"
#include "duration.h"
#include "logfilter.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

const QStringList kTimeFields = {QStringLiteral("ts"), QStringLiteral("timestamp"), QStringLiteral("time"),
                                 QStringLiteral("@timestamp")};

struct Scan
{
    LogFilter filter;
    QString timeField;
    qint64 windowMs;
    qint64 maxScanBytes;
};

ProbeReading scan(const QString &path, const Scan &s)
{
    ProbeReading reading;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        reading.failed = true;
        reading.error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return reading;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 cutoff = now - s.windowMs;
    const QStringList fields = s.timeField.isEmpty() ? kTimeFields : QStringList{s.timeField};

    // Read backwards in chunks: logs are appended in time order, so the window is at the end and
    // the scan stops at the first line older than it.
    constexpr qint64 chunkSize = 64 * 1024;
    qint64 pos = file.size();
    qint64 scanned = 0;
    QByteArray carry; // a partial line at the start of the previous chunk
    int count = 0, untimed = 0, lines = 0;
    bool reachedOld = false;
    auto handle = [&](QByteArrayView raw) {
        const QByteArray line = raw.trimmed().toByteArray();
        if (line.isEmpty())
            return;
        ++lines;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject()) {
            ++untimed;
            return;
        }
        const QJsonObject object = doc.object();
        std::optional<qint64> at;
        for (const QString &f : fields) {
            if (object.contains(f)) {
                at = ConditionEvaluator::toEpochMs(object.value(f));
                break;
            }
        }
        if (!at) {
            ++untimed;
            return;
        }
        if (*at < cutoff) {
            reachedOld = true;
            return;
        }
        if (s.filter.matches(object, now))
            ++count;
    };
    while (pos > 0 && !reachedOld && scanned < s.maxScanBytes) {
        const qint64 len = qMin(chunkSize, pos);
        pos -= len;
        file.seek(pos);
        QByteArray chunk = file.read(len) + carry;
        scanned += len;
        qsizetype end = chunk.size();
        for (qsizetype i = chunk.size() - 1; i >= 0 && !reachedOld; --i) {
            if (chunk[i] == '\n') {
                handle(QByteArrayView(chunk).sliced(i + 1, end - i - 1));
                end = i;
            }
        }
        carry = chunk.left(end);
    }
    if (pos == 0 && !reachedOld)
        handle(carry);
    reading.set(QStringLiteral("COUNT"), count);
    if (lines > 0 && untimed == lines) {
        // Nothing could be placed in the window: a set-up problem, not a clean log.
        reading.unknown = true;
        reading.error = QStringLiteral("no line has a timestamp field (%1); set `time_field`").arg(fields.join(QStringLiteral(", ")));
    } else if (scanned >= s.maxScanBytes && !reachedOld)
        reading.error = QStringLiteral("scanned the last %1 bytes without reaching the start of the window").arg(scanned);
    return reading;
}

} // namespace

std::function<ProbeReading()> LogProbe::job(const CheckConfig &check) const
{
    return [path = check.path, s = Scan{LogFilter(check.log.filter), check.log.timeField, check.log.windowMs, check.log.maxScanBytes}] {
        return scan(path, s);
    };
}
