#pragma once

#include "rollupresolution.h"

#include <QHash>
#include <QHashFunctions>
#include <QtGlobal>

#include <utility>
#include <vector>

// The finer rows of the hours and days that SLO windows start inside, kept between passes.
//
// The burn windows end now, so each of them starts inside an hour, and the longer ones inside a
// day, at the same minute; a monitor passing once a minute meets the same few of them per check
// for an hour (a day) on end: the first hours of the 1 h, 6 h, 1 d and 3 d windows, and the first
// days of the 1 d and 3 d windows. Each pass read their minutes (hours) again, which was most of
// what a pass read beyond the SLO window itself. Here a bucket's finer rows are kept together
// with the bucket's own row, and used only while that row still reads the same: the writer adds
// every result to its minute, its hour and its day in one transaction and never takes one away,
// so a row that has not changed means finer rows that have not changed. Retention deletes whole
// buckets below its horizons, the finer tiers first; a window reaching below the hour horizon
// (history.hours shorter than 3 days) may meet a day whose hours are gone and be answered from
// the hours kept before, where a fresh read finds none. A bucket whose row is not the sum of its
// finer rows (writeRollup() in tests, or retention's leftovers) is never kept, and neither is one
// without a row: those are read again on every pass.
class WindowEdgeCache
{
public:
    // A rollup row's counters (see EventCounts), without the histogram.
    struct Counters
    {
        quint64 total = 0;
        quint64 good = 0;
        quint64 latencyGood = 0;
        quint64 unknown = 0;

        void add(const Counters &other)
        {
            total += other.total;
            good += other.good;
            latencyGood += other.latencyGood;
            unknown += other.unknown;
        }
        friend bool operator==(const Counters &, const Counters &) = default;
    };

    // The finer rows of one bucket: an hour's minute rows, or a day's hour rows.
    class Rows
    {
    public:
        // rows: (bucket, counters) in bucket order.
        explicit Rows(const std::vector<std::pair<qint64, Counters>> &rows);
        // The rows with buckets in [fromMs, toMs) added up; *rows says how many there were.
        Counters sum(qint64 fromMs, qint64 toMs, qsizetype *rows) const;
        Counters all() const;
        // The row of exactly this bucket, if there is one.
        bool at(qint64 bucketMs, Counters *row) const;

    private:
        struct Row
        {
            qint64 bucket;
            Counters through; // this row and the rows before it, added up
        };
        qsizetype before(qint64 ms) const; // how many rows have buckets before ms
        Counters through(qsizetype rows) const;

        std::vector<Row> m_rows;
    };

    // Starts a pass: buckets no pass has used for a while are forgotten.
    void beginPass();
    // The finer rows of a check's bucket (an hour or a day), when they were kept with a bucket row
    // reading `row`. A bucket whose row reads otherwise now is forgotten.
    const Rows *find(RollupResolution tier, qint64 checkId, qint64 bucketMs, const Counters &row);
    // Keeps the finer rows of a bucket as just read with its row, when they add up to that row.
    void keep(RollupResolution tier, qint64 checkId, qint64 bucketMs, const Counters &row, Rows rows);
    void clear();
    qsizetype size() const { return m_kept.size(); }
    qint64 found() const { return m_found; } // find()s answered from what was kept, ever

private:
    // The edges move on every hour (day); what the last few passes have not used goes, rather
    // than pile up.
    static constexpr quint64 kPassesKept = 4;

    struct Key
    {
        int tier;
        qint64 check;
        qint64 bucket;
        friend bool operator==(const Key &, const Key &) = default;
        friend size_t qHash(const Key &key, size_t seed = 0) { return qHashMulti(seed, key.tier, key.check, key.bucket); }
    };
    struct Kept
    {
        Counters row;
        Rows rows;
        quint64 pass;
    };
    QHash<Key, Kept> m_kept;
    quint64 m_pass = 0;
    qint64 m_found = 0;
};
