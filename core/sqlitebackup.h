#pragma once

#include <QMap>
#include <QString>

#include <atomic>
#include <functional>
#include <optional>

// SQLite files through the C API, usable from any thread (each call opens its own handles; nothing
// here touches QtSql): the online backup, the tables' row counts and the integrity check that the
// backup built-ins and their verification are made of.
namespace SqliteBackup {

// Copies the database `from` into the file `to` (created or overwritten) with the online backup
// API, a few hundred pages per step. In WAL mode a read transaction is held on the source for the
// whole copy, so the copy is one consistent snapshot while other processes keep writing (WAL
// readers never block writers). In rollback-journal mode the source is only locked during each
// step, so writers get in between; a copy that keeps being restarted by their changes is finished
// in one step at the end. The copy is left in rollback-journal mode: one self-contained file.
// `progress` (optional) gets (pages copied, pages total) now and then. Returns an error text, or
// an empty string on success; `cancel` stops it between steps ("cancelled").
QString copy(const QString &from, const QString &to, const std::atomic_bool *cancel = nullptr,
             const std::function<void(int, int)> &progress = {});

// Replaces the content of the live database `into` (which must exist) with the database `from`,
// through the backup API under the destination's write lock (writers of other processes wait,
// then see the restored content). The journal mode of `into` is kept. Returns an error text or "".
QString restoreInto(const QString &from, const QString &into);

// Row counts of every table (not SQLite's own), by name; nullopt and *error when the file cannot
// be read as a database.
std::optional<QMap<QString, qint64>> tableCounts(const QString &path, QString *error);

// What PRAGMA integrity_check says: "ok", or its findings joined with "; " (at most 20), or
// nullopt and *error when it cannot run at all.
std::optional<QString> integrityCheck(const QString &path, QString *error);

} // namespace SqliteBackup
