#pragma once

#include "retentionpolicy.h"
#include "rolluppacker.h"
#include "sqldialect.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <array>
#include <optional>

// One retention pass, as a series of small transactions so that the writer can commit batches of
// new results in between: step() until it says Done.
//
// Cut-offs are aligned to the next coarser tier (raw at a minute, minutes at an hour, hours and
// days at a UTC day), so every coarse row that remains still equals the sum of the finer rows it
// covers, as far as those are kept. The first step records the new horizons in retention_horizon
// before anything is deleted: a reader that sees the new horizon reads hour rows where minute rows
// are going, and never a half-pruned range. Rows are deleted check by check along the primary key
// (check_id first), never by a scan of the whole table.
//
// On PostgreSQL the last steps pack the minute and hour rows of closed periods (RollupPacker);
// the packed tables are pruned like the others, a packed row as a whole.
//
// On SQLite with auto_vacuum=INCREMENTAL (set when OpsDeck creates the file) the last steps give
// pages back to the file system, but only when more than a tenth of the file is free: in a steady
// state a pass frees about what the next ten minutes of results fill again, and a file that shrinks
// and regrows at every pass gains nothing. What is given back is what a one-off large delete (a
// shortened window, the first pass over an upgraded database) freed.
class RetentionPass
{
public:
    enum class Step { More, Done, Failed };

    static constexpr int kChunkRows = 5000;          // rows deleted per transaction, about
    static constexpr int kVacuumPagesPerStep = 2000; // 8 MB of 4 KiB pages per step

    // connectionName: a QtSql connection of the calling thread, looked up at every step (the
    // writer may open it afresh in between).
    RetentionPass(const QString &connectionName, SqlDialect dialect, const RetentionPolicy &policy,
                  qint64 nowMs);
    Q_DISABLE_COPY_MOVE(RetentionPass)

    Step step(QString *error);
    qint64 deleted() const { return m_deleted; }
    qint64 cutoff(RetentionTier tier) const { return m_cutoffs[std::size_t(tier)]; }

    static qint64 cutoffFor(RetentionTier tier, const RetentionPolicy &policy, qint64 nowMs);

    // A table pruned below a cutoff, check by check.
    struct Prune
    {
        QString table;
        QString column;
        qint64 cutoff;
        bool packed; // rows of PackedRollups
    };

private:
    bool start(const QSqlDatabase &db, QString *error);
    Step deleteChunk(const QSqlDatabase &db, QString *error);
    Step vacuumStep(const QSqlDatabase &db, QString *error);
    Step packStep(const QSqlDatabase &db, QString *error);

    QString m_connection;
    SqlDialect m_dialect;
    std::array<qint64, 4> m_cutoffs = {};
    bool m_started = false;
    QList<qint64> m_checkIds;
    QList<Prune> m_tables;     // in the order they are pruned
    qsizetype m_tier = 0;      // the table being pruned, in m_tables
    qsizetype m_nextCheck = 0; // how far that table is
    bool m_vacuuming = false;
    qint64 m_nowMs = 0;
    std::optional<RollupPacker> m_packer; // PostgreSQL, once pruned
    qint64 m_keepFreePages = -1;
    qint64 m_deleted = 0;
};
