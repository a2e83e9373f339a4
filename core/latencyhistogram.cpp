#include "latencyhistogram.h"

#include <cmath>
#include <limits>

namespace {
const double kLogRatio = std::log(LatencyHistogram::kRatio);
}

int LatencyHistogram::bucketFor(double ms)
{
    if (!(ms >= kFirstMs)) // also catches NaN
        return 0;
    const int i = 1 + int(std::floor(std::log(ms / kFirstMs) / kLogRatio));
    return i >= kBuckets ? kBuckets - 1 : i;
}

double LatencyHistogram::lowerBound(int bucket)
{
    return bucket <= 0 ? 0.0 : kFirstMs * std::pow(kRatio, bucket - 1);
}

double LatencyHistogram::upperBound(int bucket)
{
    if (bucket >= kBuckets - 1)
        return std::numeric_limits<double>::infinity();
    return kFirstMs * std::pow(kRatio, bucket);
}

void LatencyHistogram::add(double ms, quint32 count)
{
    m_counts[std::size_t(bucketFor(ms))] += count;
    m_total += count;
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    for (int i = 0; i < kBuckets; ++i)
        m_counts[std::size_t(i)] += other.m_counts[std::size_t(i)];
    m_total += other.m_total;
}

bool LatencyHistogram::subtract(const LatencyHistogram &other)
{
    bool consistent = true;
    m_total = 0;
    for (std::size_t i = 0; i < std::size_t(kBuckets); ++i) {
        if (other.m_counts[i] > m_counts[i]) {
            consistent = false;
            m_counts[i] = 0;
        } else {
            m_counts[i] -= other.m_counts[i];
        }
        m_total += m_counts[i];
    }
    return consistent;
}

double LatencyHistogram::percentile(double p) const
{
    if (m_total == 0)
        return -1;
    // Nearest rank: the smallest sample with at least p of all samples at or below it.
    const quint64 rank = std::max<quint64>(1, quint64(std::ceil(p * double(m_total))));
    quint64 seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
        seen += m_counts[std::size_t(i)];
        if (seen >= rank) {
            if (i == 0)
                return kFirstMs / 2;
            if (i == kBuckets - 1)
                return lowerBound(i);
            return std::sqrt(lowerBound(i) * upperBound(i));
        }
    }
    return lowerBound(kBuckets - 1);
}

quint64 LatencyHistogram::countAtOrBelow(double ms) const
{
    quint64 n = 0;
    for (int i = 0; i < kBuckets; ++i) {
        const double middle = i == 0 ? kFirstMs / 2 : std::sqrt(lowerBound(i) * std::min(upperBound(i), lowerBound(i) * kRatio));
        if (middle > ms)
            break;
        n += m_counts[std::size_t(i)];
    }
    return n;
}

QByteArray LatencyHistogram::encode() const
{
    QByteArray out;
    for (int i = 0; i < kBuckets; ++i) {
        quint32 c = m_counts[std::size_t(i)];
        if (c == 0)
            continue;
        out.append(char(quint8(i)));
        do {
            quint8 byte = c & 0x7f;
            c >>= 7;
            if (c)
                byte |= 0x80;
            out.append(char(byte));
        } while (c);
    }
    return out;
}

bool LatencyHistogram::decode(QByteArrayView data, LatencyHistogram *out)
{
    *out = {};
    qsizetype pos = 0;
    while (pos < data.size()) {
        const int bucket = quint8(data[pos++]);
        if (bucket >= kBuckets) {
            *out = {};
            return false;
        }
        quint64 c = 0;
        int shift = 0;
        for (;;) {
            if (pos >= data.size() || shift > 28) {
                *out = {};
                return false;
            }
            const quint8 byte = quint8(data[pos++]);
            c |= quint64(byte & 0x7f) << shift;
            shift += 7;
            if (!(byte & 0x80))
                break;
        }
        out->m_counts[std::size_t(bucket)] += quint32(c);
        out->m_total += c;
    }
    return true;
}
