#include "schemamigrations.h"

#include "logging.h"
#include "packedrollups.h"
#include "rollupwriter.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>

namespace {

const QString kVersionTable = QStringLiteral("schema_version");

// Version 1: the first shape. One wide table keyed by the names as text; outcome was the health
// name ("ok", "down", …) and an unmeasured latency was sometimes written as -1.
const QStringList kVersion1 = {
    QStringLiteral("CREATE TABLE results ("
                   "service TEXT NOT NULL, "
                   "check_name TEXT NOT NULL, "
                   "ts {int64} NOT NULL, "
                   "outcome TEXT NOT NULL, "
                   "latency_ms {real}, "
                   "error TEXT NOT NULL DEFAULT '')"),
    QStringLiteral("CREATE INDEX results_v1_key_ts ON results (service, check_name, ts)"),
};

// Version 2: names move to `checks` so a result row carries an integer instead of two strings
// (most of a row's size at 1000 checks/s), the result gains the fields the operator is shown, and
// debounced transitions get their own table.
//
// transitions.service is always set; check_id is NULL for a transition of the service as a whole.
// Keeping the service name on the row (rather than a pseudo-check with an empty name) means the
// checks table only ever lists real checks, and "everything that happened to service X" is one
// index range without a join.
const QStringList kVersion2 = {
    QStringLiteral("ALTER TABLE results RENAME TO results_v1"),
    QStringLiteral("CREATE TABLE checks ("
                   "id {id}, "
                   "service TEXT NOT NULL, "
                   "name TEXT NOT NULL, "
                   "UNIQUE (service, name))"),
    QStringLiteral("INSERT INTO checks (service, name) "
                   "SELECT DISTINCT service, check_name FROM results_v1 ORDER BY service, check_name"),
    QStringLiteral("CREATE TABLE results ("
                   "id {id}, "
                   "check_id {int64} NOT NULL REFERENCES checks (id), "
                   "ts {int64} NOT NULL, "
                   "outcome INTEGER NOT NULL, "
                   "latency_ms {real}, "
                   "http_status INTEGER, "
                   "error TEXT NOT NULL DEFAULT '', "
                   "failed_condition TEXT NOT NULL DEFAULT '', "
                   "actual_value TEXT NOT NULL DEFAULT '', "
                   "network_error INTEGER NOT NULL DEFAULT 0)"),
    QStringLiteral("INSERT INTO results (check_id, ts, outcome, latency_ms, error) "
                   "SELECT c.id, r.ts, "
                   "CASE LOWER(r.outcome) WHEN 'ok' THEN 0 WHEN 'unknown' THEN 1 WHEN 'stale' THEN 2 "
                   "WHEN 'degraded' THEN 3 WHEN 'down' THEN 4 ELSE 1 END, "
                   "CASE WHEN r.latency_ms < 0 THEN NULL ELSE r.latency_ms END, "
                   "COALESCE(r.error, '') "
                   "FROM results_v1 r JOIN checks c ON c.service = r.service AND c.name = r.check_name "
                   "ORDER BY r.ts"),
    QStringLiteral("DROP TABLE results_v1"),
    QStringLiteral("CREATE INDEX results_check_ts ON results (check_id, ts)"),
    QStringLiteral("CREATE TABLE transitions ("
                   "id {id}, "
                   "service TEXT NOT NULL, "
                   "check_id {int64} REFERENCES checks (id), "
                   "ts {int64} NOT NULL, "
                   "from_health INTEGER NOT NULL, "
                   "to_health INTEGER NOT NULL, "
                   "reason TEXT NOT NULL DEFAULT '')"),
    QStringLiteral("CREATE INDEX transitions_service_ts ON transitions (service, ts)"),
};

// Version 3: a history that stays small. Raw results are kept for a short window only; SLOs, error
// budgets and charts read per-minute, per-hour and per-day rollups that the writer maintains as
// results arrive (see RollupWriter), and retention prunes each tier (see RetentionPass).
//
// Every byte of a row is paid for some 50,000 times per check, so:
// - results is keyed by (check_id, ts, seq) and on SQLite is WITHOUT ROWID: the rows live in the
//   key's b-tree, where version 2 kept a rowid table plus an index repeating check_id and ts. seq
//   tells apart results of one check in the same millisecond (normally 0, which SQLite stores in
//   no bytes at all).
// - latency is whole microseconds as an integer (3 bytes for most latencies, not an 8-byte REAL).
// - the rollup tables are keyed by (check_id, bucket) with no other index; bucket is the bucket's
//   start in ms (UTC). The histogram is LatencyHistogram::encode(), NULL when empty.
// - retention_horizon records, per tier, below which time retention has deleted rows, so readers
//   know where minute rows are gone and hour rows must stand in for them.
//
// The constraints are named because on PostgreSQL the version-2 table keeps its index name
// "results_pkey" after the rename, which an unnamed new primary key would collide with.
const QStringList kVersion3 = {
    QStringLiteral("ALTER TABLE results RENAME TO results_v2"),
    QStringLiteral("CREATE TABLE results ("
                   "check_id {int64} NOT NULL REFERENCES checks (id), "
                   "ts {int64} NOT NULL, "
                   "seq INTEGER NOT NULL DEFAULT 0, "
                   "outcome INTEGER NOT NULL, "
                   "latency_us {int64}, "
                   "http_status INTEGER, "
                   "network_error INTEGER NOT NULL DEFAULT 0, "
                   "error TEXT NOT NULL DEFAULT '', "
                   "failed_condition TEXT NOT NULL DEFAULT '', "
                   "actual_value TEXT NOT NULL DEFAULT '', "
                   "CONSTRAINT results_key PRIMARY KEY (check_id, ts, seq))"
                   "{without_rowid}"),
    QStringLiteral("INSERT INTO results (check_id, ts, seq, outcome, latency_us, http_status, network_error, "
                   "error, failed_condition, actual_value) "
                   "SELECT check_id, ts, ROW_NUMBER() OVER (PARTITION BY check_id, ts ORDER BY id) - 1, outcome, "
                   "CASE WHEN latency_ms IS NULL OR latency_ms < 0 THEN NULL "
                   "ELSE CAST(ROUND(latency_ms * 1000) AS {int64}) END, "
                   "http_status, network_error, error, failed_condition, actual_value "
                   "FROM results_v2"),
    QStringLiteral("DROP TABLE results_v2"),
    QStringLiteral("CREATE TABLE rollup_minute ("
                   "check_id {int64} NOT NULL REFERENCES checks (id), "
                   "bucket {int64} NOT NULL, "
                   "total INTEGER NOT NULL, "
                   "good INTEGER NOT NULL, "
                   "latency_good INTEGER NOT NULL, "
                   "unknown INTEGER NOT NULL, "
                   "histogram {blob}, "
                   "CONSTRAINT rollup_minute_key PRIMARY KEY (check_id, bucket))"
                   "{without_rowid}"),
    QStringLiteral("CREATE TABLE rollup_hour ("
                   "check_id {int64} NOT NULL REFERENCES checks (id), "
                   "bucket {int64} NOT NULL, "
                   "total INTEGER NOT NULL, "
                   "good INTEGER NOT NULL, "
                   "latency_good INTEGER NOT NULL, "
                   "unknown INTEGER NOT NULL, "
                   "histogram {blob}, "
                   "CONSTRAINT rollup_hour_key PRIMARY KEY (check_id, bucket))"
                   "{without_rowid}"),
    QStringLiteral("CREATE TABLE rollup_day ("
                   "check_id {int64} NOT NULL REFERENCES checks (id), "
                   "bucket {int64} NOT NULL, "
                   "total INTEGER NOT NULL, "
                   "good INTEGER NOT NULL, "
                   "latency_good INTEGER NOT NULL, "
                   "unknown INTEGER NOT NULL, "
                   "histogram {blob}, "
                   "CONSTRAINT rollup_day_key PRIMARY KEY (check_id, bucket))"
                   "{without_rowid}"),
    QStringLiteral("CREATE TABLE retention_horizon ("
                   "tier INTEGER PRIMARY KEY, "
                   "pruned_before {int64} NOT NULL)"),
};

// Version 4: what the operator does and is told, kept beside the history it is about — incidents
// and their timelines, ad hoc maintenance windows, the hash-chained audit log, and the outbox that
// holds every notification until it is delivered.
const QStringList kVersion4 = {
    QStringLiteral("CREATE TABLE incidents ("
                   "id {id}, "
                   "service TEXT NOT NULL, "
                   "cause TEXT NOT NULL, "
                   "severity TEXT NOT NULL, "
                   "state TEXT NOT NULL, "
                   "title TEXT NOT NULL, "
                   "impact TEXT NOT NULL DEFAULT '', "
                   "opened_at {int64} NOT NULL, "
                   "acknowledged_at {int64}, "
                   "mitigated_at {int64}, "
                   "resolved_at {int64}, "
                   "auto_resolve INTEGER NOT NULL DEFAULT 1, "
                   "root_cause TEXT NOT NULL DEFAULT '', "
                   "resolution TEXT NOT NULL DEFAULT '', "
                   "prevention TEXT NOT NULL DEFAULT '')"),
    QStringLiteral("CREATE INDEX incidents_service_state ON incidents (service, state)"),
    // One open incident per service and cause, even with two OpsDecks watching the same store.
    QStringLiteral("CREATE UNIQUE INDEX incidents_one_open ON incidents (service, cause) WHERE state <> 'resolved'"),
    QStringLiteral("CREATE TABLE incident_events ("
                   "id {id}, "
                   "incident_id {int64} NOT NULL REFERENCES incidents (id), "
                   "at {int64} NOT NULL, "
                   "kind TEXT NOT NULL, "
                   "actor TEXT NOT NULL, "
                   "text TEXT NOT NULL DEFAULT '')"),
    QStringLiteral("CREATE INDEX incident_events_incident ON incident_events (incident_id, id)"),
    QStringLiteral("CREATE TABLE maintenance_windows ("
                   "id {id}, "
                   "service TEXT NOT NULL DEFAULT '', "
                   "starts_at {int64} NOT NULL, "
                   "ends_at {int64} NOT NULL, "
                   "reason TEXT NOT NULL DEFAULT '', "
                   "actor TEXT NOT NULL, "
                   "created_at {int64} NOT NULL, "
                   "count_in_slo INTEGER NOT NULL DEFAULT 0)"),
    QStringLiteral("CREATE TABLE audit_log ("
                   "seq {id}, "
                   "at {int64} NOT NULL, "
                   "actor TEXT NOT NULL, "
                   "action TEXT NOT NULL, "
                   "details TEXT NOT NULL DEFAULT '', "
                   "prev_hash TEXT NOT NULL, "
                   "hash TEXT NOT NULL)"),
    QStringLiteral("CREATE TABLE outbox ("
                   "id {id}, "
                   "channel TEXT NOT NULL, "
                   "created_at {int64} NOT NULL, "
                   "dedup_key TEXT NOT NULL DEFAULT '', "
                   "incident_id {int64}, "
                   "payload TEXT NOT NULL, "
                   "state TEXT NOT NULL, "
                   "attempts INTEGER NOT NULL DEFAULT 0, "
                   "next_attempt_at {int64} NOT NULL, "
                   "last_error TEXT NOT NULL DEFAULT '', "
                   "sent_at {int64})"),
    QStringLiteral("CREATE INDEX outbox_due ON outbox (state, next_attempt_at)"),
};

// Version 5: what OpsDeck does on the operator's behalf — every action run with its outcome and
// captured output, the lock that keeps one run per action across programs sharing the store, and
// the verifications of backups.
const QStringList kVersion5 = {
    QStringLiteral("CREATE TABLE action_runs ("
                   "id {id}, "
                   "service TEXT NOT NULL, "
                   "action TEXT NOT NULL, "
                   "kind TEXT NOT NULL, "
                   "params TEXT NOT NULL DEFAULT '{}', "
                   "preview TEXT NOT NULL DEFAULT '', "
                   "actor TEXT NOT NULL, "
                   "host TEXT NOT NULL DEFAULT '', "
                   "pid {int64}, "
                   "dry_run INTEGER NOT NULL DEFAULT 0, "
                   "incident_id {int64}, "
                   "started_at {int64} NOT NULL, "
                   "finished_at {int64}, "
                   "status TEXT NOT NULL, "
                   "exit_code INTEGER, "
                   "output TEXT NOT NULL DEFAULT '', "
                   "output_bytes {int64} NOT NULL DEFAULT 0, "
                   "summary TEXT NOT NULL DEFAULT '')"),
    QStringLiteral("CREATE INDEX action_runs_action ON action_runs (service, action, id)"),
    // One row per action being run; the primary key is the lock. A holder that died is recognised
    // by its lease running out (it renews while it runs) or, on its own host, by its pid.
    QStringLiteral("CREATE TABLE action_locks ("
                   "action_key TEXT PRIMARY KEY, "
                   "run_id {int64} NOT NULL, "
                   "host TEXT NOT NULL, "
                   "pid {int64} NOT NULL, "
                   "acquired_at {int64} NOT NULL, "
                   "expires_at {int64} NOT NULL)"),
    QStringLiteral("CREATE TABLE backup_verifications ("
                   "id {id}, "
                   "service TEXT NOT NULL, "
                   "action TEXT NOT NULL, "
                   "file TEXT NOT NULL, "
                   "size_bytes {int64} NOT NULL DEFAULT 0, "
                   "at {int64} NOT NULL, "
                   "duration_ms {int64} NOT NULL DEFAULT 0, "
                   "ok INTEGER NOT NULL, "
                   "summary TEXT NOT NULL DEFAULT '', "
                   "details TEXT NOT NULL DEFAULT '{}')"),
    QStringLiteral("CREATE INDEX backup_verifications_action ON backup_verifications (service, action, id)"),
};

// Version 6 (PostgreSQL only; SQLite records the version and changes nothing): the packed rows of
// closed hours' minutes and closed days' hours (see PackedRollups, and its counterType() for the
// counters' width). Rows over 2 KB (an hour of minutes) are compressed in line: toast_tuple_target
// makes PostgreSQL go on compressing down to 128 bytes, and STORAGE MAIN keeps the arrays in the
// row rather than in the TOAST table, where every read would cost another index lookup.
QStringList version6(SqlDialect dialect)
{
    if (dialect != SqlDialect::PostgreSql)
        return {};
    QStringList out;
    for (const RollupResolution r : {RollupResolution::Minute, RollupResolution::Hour}) {
        const QString table = PackedRollups::table(r);
        out << QStringLiteral("CREATE TABLE %1 ("
                              "check_id BIGINT NOT NULL REFERENCES checks (id), "
                              "period BIGINT NOT NULL, "
                              "total %2[] NOT NULL, "
                              "good %2[] NOT NULL, "
                              "latency_good %2[] NOT NULL, "
                              "unknown %2[] NOT NULL, "
                              "histogram BYTEA[] NOT NULL, "
                              "CONSTRAINT %1_key PRIMARY KEY (check_id, period)) "
                              "WITH (toast_tuple_target = 128)")
                   .arg(table, PackedRollups::counterType(r))
            << QStringLiteral("ALTER TABLE %1 ALTER COLUMN total SET STORAGE MAIN, "
                              "ALTER COLUMN good SET STORAGE MAIN, ALTER COLUMN latency_good SET STORAGE MAIN, "
                              "ALTER COLUMN unknown SET STORAGE MAIN, ALTER COLUMN histogram SET STORAGE MAIN")
                   .arg(table);
    }
    return out;
}

// Version 7 (PostgreSQL only): results in fewer bytes. A PostgreSQL row pays 28 bytes of header
// and line pointer and is padded to 8; the columns here are ordered and sized to fill 56 bytes
// with nothing to pad (check ids and outcomes are small; HTTP statuses are three digits, see
// storedHttpStatus()). The primary key (check_id, ts, seq) is replaced by a plain index on (check_id,
// ts): B-tree pages split in the middle by default, and with every check appending to its own
// stretch of the index its pages stayed half empty. An entry of at most two 8-byte keys is what
// lets PostgreSQL see that pattern and split at the new entry instead (nbtsplitloc.c), and a
// non-unique index (no seq in it) is what fits. Uniqueness was only ever a way to find the next seq;
// the writer now asks the server for it.
QStringList version7(SqlDialect dialect)
{
    if (dialect != SqlDialect::PostgreSql)
        return {};
    return {
        QStringLiteral("ALTER TABLE results RENAME TO results_v6"),
        QStringLiteral("CREATE TABLE results ("
                       "ts BIGINT NOT NULL, "
                       "latency_us BIGINT, "
                       "check_id INTEGER NOT NULL REFERENCES checks (id), "
                       "seq SMALLINT NOT NULL DEFAULT 0, "
                       "outcome SMALLINT NOT NULL, "
                       "http_status SMALLINT, "
                       "network_error SMALLINT NOT NULL DEFAULT 0, "
                       "error TEXT NOT NULL DEFAULT '', "
                       "failed_condition TEXT NOT NULL DEFAULT '', "
                       "actual_value TEXT NOT NULL DEFAULT '')"),
        QStringLiteral("INSERT INTO results (ts, latency_us, check_id, seq, outcome, http_status, network_error, "
                       "error, failed_condition, actual_value) "
                       "SELECT ts, latency_us, check_id, seq, outcome, "
                       "CASE WHEN http_status BETWEEN 100 AND 999 THEN http_status END, network_error, "
                       "error, failed_condition, actual_value FROM results_v6 ORDER BY check_id, ts, seq"),
        QStringLiteral("DROP TABLE results_v6"),
        QStringLiteral("CREATE INDEX results_by_check ON results (check_id, ts) WITH (deduplicate_items = off)"),
        // Retention deletes a sliver of results every ten minutes; by default autovacuum waits
        // until a fifth of the table is dead, and the file grows by that much before the space is
        // used again. A hundredth keeps it within a few passes' worth.
        QStringLiteral("ALTER TABLE results SET (autovacuum_vacuum_scale_factor = 0.01)"),
    };
}

std::optional<int> versionIn(const QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT MAX(version) FROM schema_version")) || !q.next()) {
        if (error)
            *error = QStringLiteral("cannot read the schema version: ") + sqlError(q);
        return std::nullopt;
    }
    return q.value(0).isNull() ? 0 : q.value(0).toInt();
}

// Any fixed number will do, as long as every OpsDeck uses the same one.
constexpr qint64 kMigrationLockKey = 0x4f707344656b; // "OpsDek"

// A write transaction that, on PostgreSQL, also holds the migration lock until it ends: two
// processes opening one fresh database at once would otherwise both find version 0 and race to
// create the same tables (even CREATE TABLE IF NOT EXISTS fails then, on pg_type's unique index).
bool beginMigration(const QSqlDatabase &db, SqlDialect dialect, QString *error)
{
    if (!execSql(db, beginWriteSql(dialect), error))
        return false;
    if (dialect == SqlDialect::PostgreSql
        && !execSql(db, QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kMigrationLockKey), error)) {
        execSql(db, QStringLiteral("ROLLBACK"), nullptr);
        return false;
    }
    return true;
}

QString tooNew(int found)
{
    return QStringLiteral("the history database has schema version %1, but this OpsDeck only knows versions "
                          "up to %2; refusing to open it rather than downgrade it (use a newer OpsDeck, "
                          "or point `store:` at another file)")
        .arg(found)
        .arg(latestSchemaVersion());
}

} // namespace

QList<MigrationStep> schemaMigrations(SqlDialect dialect)
{
    const auto fill = [dialect](const QStringList &statements) {
        QStringList out;
        for (const QString &s : statements)
            out << dialectSql(dialect, s);
        return out;
    };
    return {
        {1, QStringLiteral("results keyed by service and check name"), fill(kVersion1)},
        {2, QStringLiteral("checks table, full results, transitions"), fill(kVersion2)},
        {3, QStringLiteral("compact results, minute/hour/day rollups, retention"), fill(kVersion3),
         &RollupWriter::rebuildFromResults},
        {4, QStringLiteral("incidents, maintenance windows, audit log, notification outbox"), fill(kVersion4)},
        {5, QStringLiteral("action runs and locks, backup verifications"), fill(kVersion5)},
        {6, QStringLiteral("packed minute and hour rollups (PostgreSQL)"), version6(dialect)},
        {7, QStringLiteral("narrower results with a plain index (PostgreSQL)"), version7(dialect)},
    };
}

int latestSchemaVersion()
{
    return 7;
}

std::optional<int> readSchemaVersion(const QSqlDatabase &db, QString *error)
{
    const QStringList tables = db.tables(QSql::Tables);
    if (!tables.contains(kVersionTable, Qt::CaseInsensitive)) {
        if (tables.isEmpty())
            return 0;
        if (error)
            *error = QStringLiteral("not an OpsDeck history database: it has tables (%1) but no schema_version")
                         .arg(tables.mid(0, 5).join(QLatin1String(", ")));
        return std::nullopt;
    }
    return versionIn(db, error);
}

std::optional<int> checkSchemaVersion(const QSqlDatabase &db, QString *error)
{
    const auto found = readSchemaVersion(db, error);
    if (found && *found > latestSchemaVersion()) {
        if (error)
            *error = tooNew(*found);
        return std::nullopt;
    }
    return found;
}

bool migrateSchema(const QSqlDatabase &db, SqlDialect dialect, QString *error, int *fromVersion)
{
    const auto found = checkSchemaVersion(db, error);
    if (!found)
        return false;
    if (fromVersion)
        *fromVersion = *found;
    if (*found == latestSchemaVersion())
        return true;

    QString why;
    if (*found == 0) {
        bool ok = beginMigration(db, dialect, &why)
                  && execSql(db, dialectSql(dialect, QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version ("
                                                                 "version INTEGER PRIMARY KEY, "
                                                                 "applied_ms {int64} NOT NULL, "
                                                                 "description TEXT NOT NULL)")),
                          &why);
        if (ok)
            ok = execSql(db, QStringLiteral("COMMIT"), &why);
        if (!ok) {
            execSql(db, QStringLiteral("ROLLBACK"), nullptr);
            if (error)
                *error = QStringLiteral("cannot create the schema_version table: ") + why;
            return false;
        }
    }

    const QList<MigrationStep> steps = schemaMigrations(dialect);
    for (const MigrationStep &step : steps) {
        if (step.version <= *found)
            continue;
        if (!beginMigration(db, dialect, &why)) {
            if (error)
                *error = QStringLiteral("cannot start the migration to schema version %1: %2").arg(step.version).arg(why);
            return false;
        }
        // Another console may have migrated between our first look and the write lock.
        const auto now = versionIn(db, &why);
        if (!now) {
            execSql(db, QStringLiteral("ROLLBACK"), nullptr);
            if (error)
                *error = why;
            return false;
        }
        if (*now > latestSchemaVersion()) {
            execSql(db, QStringLiteral("ROLLBACK"), nullptr);
            if (error)
                *error = tooNew(*now);
            return false;
        }
        if (*now >= step.version) {
            execSql(db, QStringLiteral("ROLLBACK"), nullptr);
            continue;
        }
        bool ok = true;
        for (const QString &sql : step.statements) {
            if (!execSql(db, sql, &why)) {
                why = QStringLiteral("%1 — in: %2").arg(why, sql);
                ok = false;
                break;
            }
        }
        if (ok && step.finish)
            ok = step.finish(db, dialect, &why);
        if (ok) {
            QSqlQuery q(db);
            q.prepare(QStringLiteral("INSERT INTO schema_version (version, applied_ms, description) VALUES (?, ?, ?)"));
            q.addBindValue(step.version);
            q.addBindValue(QDateTime::currentMSecsSinceEpoch());
            q.addBindValue(step.description);
            ok = q.exec();
            if (!ok)
                why = sqlError(q);
        }
        if (ok)
            ok = execSql(db, QStringLiteral("COMMIT"), &why);
        if (!ok) {
            execSql(db, QStringLiteral("ROLLBACK"), nullptr);
            if (error)
                *error = QStringLiteral("migrating the history database to schema version %1 (%2) failed: %3")
                             .arg(step.version)
                             .arg(step.description, why);
            return false;
        }
        qCInfo(lcStore) << "history schema migrated to version" << step.version << '-' << step.description;
    }
    return true;
}
