#pragma once

#include <QString>
#include <optional>

// Byte sizes as written in configs and conditions: "512KB", "5GB" (powers of 1000) or "1MiB",
// "2GiB" (powers of 1024), or a plain number of bytes.
namespace Quantity {
std::optional<qint64> parseBytes(QStringView text);
QString formatBytes(qint64 bytes);
}
