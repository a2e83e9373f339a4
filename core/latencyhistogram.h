#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <array>

// Response times in fixed logarithmic buckets, so percentiles over any window come from adding
// bucket counts — never from raw rows. Bucket 0 holds [0, 0.1 ms); bucket i ≥ 1 holds
// [0.1·r^(i-1), 0.1·r^i) ms with r = 1.08, up to about 2 minutes; the last bucket takes anything
// slower. A percentile is reported as the geometric middle of its bucket, which is within 4 % of
// the exact (nearest-rank) value.
class LatencyHistogram
{
public:
    static constexpr int kBuckets = 185;
    static constexpr double kRatio = 1.08;
    static constexpr double kFirstMs = 0.1;

    static int bucketFor(double ms);
    static double lowerBound(int bucket); // ms
    static double upperBound(int bucket); // ms; +inf for the last

    void add(double ms, quint32 count = 1);
    void merge(const LatencyHistogram &other);
    // Takes away samples merged in before (a whole bucket minus the part of it outside a window).
    // False when `other` holds samples this one does not — then those buckets are left at zero.
    bool subtract(const LatencyHistogram &other);
    quint64 count() const { return m_total; }
    bool isEmpty() const { return m_total == 0; }
    quint32 bucketCount(int bucket) const { return m_counts[std::size_t(bucket)]; }
    // p in (0, 1]: the latency below or at which a fraction p of the samples lie; -1 when empty.
    double percentile(double p) const;
    // How many samples lie at or below `ms` — exact for bucket edges, else counting the bucket
    // that holds `ms` in full when its middle is at or below `ms`.
    quint64 countAtOrBelow(double ms) const;

    // Compact form for storage: (bucket index as one byte, count as a varint) per non-empty bucket.
    QByteArray encode() const;
    // False (and an empty histogram) on malformed input.
    static bool decode(QByteArrayView data, LatencyHistogram *out);

    friend bool operator==(const LatencyHistogram &, const LatencyHistogram &) = default;

private:
    std::array<quint32, kBuckets> m_counts{};
    quint64 m_total = 0;
};
