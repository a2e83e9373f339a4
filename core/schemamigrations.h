#pragma once

#include "sqldialect.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <functional>
#include <optional>

// The history schema only ever moves forward, one numbered step at a time, and each step runs in
// one transaction together with the row that records it in `schema_version`. A later change
// appends a step; it never edits a shipped one, because databases in the field already ran it.
//
// Table definitions are written once for every backend: timestamps are integer milliseconds since
// the epoch (UTC), health values are the Health enum's integers, booleans are 0/1 integers. The few
// spots where SQLite and PostgreSQL must differ are placeholders that the dialect fills in (see
// sqldialect.h).
//
// On PostgreSQL several OpsDecks may share one database and open it at the same moment; every
// migration transaction first takes a transaction-level advisory lock, so one of them migrates
// and the others find the work done.
struct MigrationStep
{
    int version = 0;      // the schema version once this step has run
    QString description;  // recorded in schema_version, shown when a step fails
    QStringList statements;
    // Runs after the statements, in the same transaction, for what SQL alone cannot do.
    std::function<bool(const QSqlDatabase &db, SqlDialect dialect, QString *error)> finish;
};

// The steps in order, with the dialect's placeholders filled in.
QList<MigrationStep> schemaMigrations(SqlDialect dialect);
int latestSchemaVersion();

// The version recorded in the database: 0 for an empty database, nullopt (and *error) when it
// cannot be read or the database holds tables but no schema_version, i.e. is not ours.
std::optional<int> readSchemaVersion(const QSqlDatabase &db, QString *error);

// readSchemaVersion(), and refuses (with a message naming both versions) a database newer than
// this code. Writes nothing, so it can vet a file before anything else touches it.
std::optional<int> checkSchemaVersion(const QSqlDatabase &db, QString *error);

// Brings the database to latestSchemaVersion(). Refuses a database newer than this code (never
// downgrades) and one that is not an OpsDeck history database. *fromVersion gets the version found.
bool migrateSchema(const QSqlDatabase &db, SqlDialect dialect, QString *error, int *fromVersion = nullptr);
