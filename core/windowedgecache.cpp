#include "windowedgecache.h"

#include <algorithm>

WindowEdgeCache::Rows::Rows(const std::vector<std::pair<qint64, Counters>> &rows)
{
    m_rows.reserve(rows.size());
    Counters through;
    for (const auto &[bucket, counters] : rows) {
        through.add(counters);
        m_rows.push_back({bucket, through});
    }
}

qsizetype WindowEdgeCache::Rows::before(qint64 ms) const
{
    return std::lower_bound(m_rows.cbegin(), m_rows.cend(), ms, [](const Row &r, qint64 at) { return r.bucket < at; })
        - m_rows.cbegin();
}

WindowEdgeCache::Counters WindowEdgeCache::Rows::through(qsizetype rows) const
{
    return rows == 0 ? Counters{} : m_rows[std::size_t(rows - 1)].through;
}

WindowEdgeCache::Counters WindowEdgeCache::Rows::sum(qint64 fromMs, qint64 toMs, qsizetype *rows) const
{
    const qsizetype a = before(fromMs);
    const qsizetype b = std::max(a, before(toMs));
    *rows = b - a;
    const Counters upper = through(b), lower = through(a);
    return {upper.total - lower.total, upper.good - lower.good, upper.latencyGood - lower.latencyGood,
            upper.unknown - lower.unknown};
}

WindowEdgeCache::Counters WindowEdgeCache::Rows::all() const
{
    return through(qsizetype(m_rows.size()));
}

bool WindowEdgeCache::Rows::at(qint64 bucketMs, Counters *row) const
{
    const qsizetype i = before(bucketMs);
    if (i == qsizetype(m_rows.size()) || m_rows[std::size_t(i)].bucket != bucketMs)
        return false;
    qsizetype n = 0;
    *row = sum(bucketMs, bucketMs + 1, &n);
    return true;
}

void WindowEdgeCache::beginPass()
{
    ++m_pass;
    for (auto it = m_kept.begin(); it != m_kept.end();) {
        if (m_pass - it->pass > kPassesKept)
            it = m_kept.erase(it);
        else
            ++it;
    }
}

const WindowEdgeCache::Rows *WindowEdgeCache::find(RollupResolution tier, qint64 checkId, qint64 bucketMs,
                                                   const Counters &row)
{
    const auto it = m_kept.find({int(tier), checkId, bucketMs});
    if (it == m_kept.end())
        return nullptr;
    if (!(it->row == row)) {
        m_kept.erase(it);
        return nullptr;
    }
    it->pass = m_pass;
    ++m_found;
    return &it->rows;
}

void WindowEdgeCache::keep(RollupResolution tier, qint64 checkId, qint64 bucketMs, const Counters &row, Rows rows)
{
    const Key key{int(tier), checkId, bucketMs};
    if (rows.all() == row)
        m_kept.insert(key, Kept{row, std::move(rows), m_pass});
    else
        m_kept.remove(key);
}

void WindowEdgeCache::clear()
{
    m_kept.clear();
}
