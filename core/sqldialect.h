#pragma once

#include <QString>

class QSqlDatabase;
class QSqlQuery;

// The history store speaks one SQL to SQLite and PostgreSQL. Statements are written once; the few
// spots where the two must differ are placeholders that dialectSql() fills in:
//   {id}            a surrogate key  SQLite "INTEGER PRIMARY KEY" (the rowid)  PostgreSQL identity BIGINT
//   {int64}         a 64-bit integer SQLite "INTEGER"                          PostgreSQL "BIGINT"
//   {real}          a double         SQLite "REAL"                             PostgreSQL "DOUBLE PRECISION"
//   {blob}          bytes            SQLite "BLOB"                             PostgreSQL "BYTEA"
//   {without_rowid} after a table whose primary key is its only index: SQLite " WITHOUT ROWID" (the
//                   rows live in the key's b-tree instead of a rowid table plus a copy of the key),
//                   PostgreSQL nothing (its tables are heaps either way)
enum class SqlDialect { Sqlite, PostgreSql };

QString dialectSql(SqlDialect dialect, QString sql);

// BEGIN for a transaction that will write. SQLite takes the write lock up front so that a second
// writer waits out the busy timeout at BEGIN instead of failing halfway through with SQLITE_BUSY.
QString beginWriteSql(SqlDialect dialect);

// An aggregate that concatenates the BLOB/BYTEA values of `column` (NULLs skipped, any order).
// A LatencyHistogram encoding is a list of (bucket, count) pairs that decode() adds up, so the
// concatenation of several encodings decodes to their merge: the database adds histograms without
// knowing what they are, and returns one value per group instead of one per row.
QString concatBlobsSql(SqlDialect dialect, const QString &column);

// What a NOT NULL text column stores for `text`, the same on both databases. QtSql binds a null
// QString as SQL NULL, so that becomes ''. PostgreSQL's text cannot hold NUL, and QPSQL would even
// cut its statement there, so a probe's text carrying one (a binary body, say) would fail its
// write on every retry and hold up everything queued behind it: NUL becomes U+FFFD, which shows
// the operator where it was.
QString storedText(const QString &text);

// A failed query's error as one line, for messages that say what failed.
QString sqlError(const QSqlQuery &q);
// Runs one statement on `db`; on failure returns false and sets *error (when given) to sqlError().
bool execSql(const QSqlDatabase &db, const QString &sql, QString *error);
