#pragma once

#include <QString>
#include <optional>

// Durations as operators write them in configs and conditions: "500ms", "10s", "5m", "1h", "2d",
// also combined ("1h30m"). Values are milliseconds.
namespace Duration {
std::optional<qint64> parse(QStringView text);
// Compact human form: "450ms", "12s", "5m", "1h 30m", "2d 3h".
QString format(qint64 ms);
// A measured response time: "0.4ms", "12ms", "1.2s".
QString formatLatency(double ms);
// What parse() accepts, for error messages.
QString expectedForm();
}
