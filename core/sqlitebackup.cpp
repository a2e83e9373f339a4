#include "sqlitebackup.h"

#include <QFile>
#include <QThread>

#include <sqlite3.h>

namespace {

QString errorOf(sqlite3 *db)
{
    return db ? QString::fromUtf8(sqlite3_errmsg(db)) : QStringLiteral("out of memory");
}

// A handle that closes itself.
struct Handle
{
    sqlite3 *db = nullptr;
    ~Handle()
    {
        if (db)
            sqlite3_close_v2(db);
    }
};

bool open(Handle &h, const QString &path, int flags, QString *error)
{
    const QByteArray name = QFile::encodeName(path);
    if (sqlite3_open_v2(name.constData(), &h.db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, errorOf(h.db));
        return false;
    }
    sqlite3_busy_timeout(h.db, 5000);
    sqlite3_extended_result_codes(h.db, 1);
    return true;
}

bool exec(sqlite3 *db, const char *sql, QString *error)
{
    char *message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) == SQLITE_OK)
        return true;
    *error = message ? QString::fromUtf8(message) : errorOf(db);
    sqlite3_free(message);
    return false;
}

// Runs `sql` and hands each row's first column as text to `row`.
bool query(sqlite3 *db, const QString &sql, const std::function<void(sqlite3_stmt *)> &row, QString *error)
{
    sqlite3_stmt *stmt = nullptr;
    const QByteArray text = sql.toUtf8();
    if (sqlite3_prepare_v2(db, text.constData(), int(text.size()), &stmt, nullptr) != SQLITE_OK) {
        *error = errorOf(db);
        return false;
    }
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
        row(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
        *error = errorOf(db);
        return false;
    }
    return true;
}

QString columnText(sqlite3_stmt *stmt, int column)
{
    return QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, column)));
}

QString quoted(const QString &identifier)
{
    return u'"' + QString(identifier).replace(u'"', QStringLiteral("\"\"")) + u'"';
}

} // namespace

QString SqliteBackup::copy(const QString &from, const QString &to, const std::atomic_bool *cancel,
                           const std::function<void(int, int)> &progress)
{
    QString error;
    if (!QFile::exists(from))
        return QStringLiteral("%1 does not exist").arg(from);
    Handle source;
    // Read-write without create: WAL readers need the -shm file, and a missing source must not be
    // created empty.
    if (!open(source, from, SQLITE_OPEN_READWRITE, &error))
        return error;
    bool wal = false;
    if (!query(source.db, QStringLiteral("PRAGMA journal_mode"),
               [&](sqlite3_stmt *s) { wal = columnText(s, 0).compare(u"wal", Qt::CaseInsensitive) == 0; }, &error))
        return QStringLiteral("%1 is not a readable SQLite database: %2").arg(from, error);
    QFile::remove(to);
    Handle dest;
    if (!open(dest, to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &error))
        return error;

    // WAL: one read transaction over the whole copy pins one snapshot; the backup is not restarted
    // by other connections' commits, and they are not held up by it.
    if (wal) {
        if (!exec(source.db, "BEGIN", &error)
            || !query(source.db, QStringLiteral("SELECT COUNT(*) FROM sqlite_schema"), [](sqlite3_stmt *) {}, &error))
            return QStringLiteral("cannot start a read transaction on %1: %2").arg(from, error);
    }
    sqlite3_backup *backup = sqlite3_backup_init(dest.db, "main", source.db, "main");
    if (!backup)
        return QStringLiteral("cannot start the backup: %1").arg(errorOf(dest.db));
    constexpr int kPagesPerStep = 256;
    int restarts = 0;
    int lastRemaining = -1;
    int rc = SQLITE_OK;
    bool oneStep = false;
    for (;;) {
        if (cancel && cancel->load()) {
            sqlite3_backup_finish(backup);
            if (wal)
                exec(source.db, "ROLLBACK", &error);
            sqlite3_close_v2(dest.db);
            dest.db = nullptr;
            QFile::remove(to);
            return QStringLiteral("cancelled");
        }
        rc = sqlite3_backup_step(backup, oneStep ? -1 : kPagesPerStep);
        const int remaining = sqlite3_backup_remaining(backup);
        const int total = sqlite3_backup_pagecount(backup);
        if (progress)
            progress(total - remaining, total);
        if (rc == SQLITE_DONE)
            break;
        if (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            // A writer changed the source between steps (rollback-journal mode): the copy starts
            // over. After a few restarts the rest is copied in one step under one lock.
            if (lastRemaining >= 0 && remaining > lastRemaining && ++restarts >= 5)
                oneStep = true;
            lastRemaining = remaining;
            if (rc != SQLITE_OK || !wal)
                QThread::msleep(rc == SQLITE_OK ? 1 : 20); // let a writer in
            continue;
        }
        break;
    }
    const QString stepError = errorOf(dest.db);
    sqlite3_backup_finish(backup);
    if (wal)
        exec(source.db, "COMMIT", &error);
    if (rc != SQLITE_DONE)
        return QStringLiteral("the backup of %1 failed: %2").arg(from, stepError);
    // The copy carries the source's WAL flag; make it a single self-contained file.
    if (!exec(dest.db, "PRAGMA journal_mode=DELETE", &error))
        return QStringLiteral("cannot finish %1: %2").arg(to, error);
    return {};
}

QString SqliteBackup::restoreInto(const QString &from, const QString &into)
{
    QString error;
    if (!QFile::exists(from))
        return QStringLiteral("%1 does not exist").arg(from);
    if (!QFile::exists(into))
        return QStringLiteral("%1 does not exist").arg(into);
    Handle source;
    if (!open(source, from, SQLITE_OPEN_READONLY, &error))
        return error;
    Handle dest;
    if (!open(dest, into, SQLITE_OPEN_READWRITE, &error))
        return error;
    QString mode;
    if (!query(dest.db, QStringLiteral("PRAGMA journal_mode"), [&](sqlite3_stmt *s) { mode = columnText(s, 0); }, &error))
        return QStringLiteral("%1 is not a readable SQLite database: %2").arg(into, error);
    sqlite3_backup *backup = sqlite3_backup_init(dest.db, "main", source.db, "main");
    if (!backup)
        return QStringLiteral("cannot start the restore into %1: %2").arg(into, errorOf(dest.db));
    int rc;
    int busy = 0;
    // One step: the destination is locked once and never holds a half-restored state for others.
    while ((rc = sqlite3_backup_step(backup, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
        if (++busy > 50)
            break;
        QThread::msleep(100);
    }
    const QString stepError = errorOf(dest.db);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE)
        return QStringLiteral("the restore into %1 failed: %2").arg(into, busy > 50 ? QStringLiteral("the database stayed locked for 5 s; stop its writers and retry") : stepError);
    if (mode.compare(u"wal", Qt::CaseInsensitive) == 0 && !exec(dest.db, "PRAGMA journal_mode=WAL", &error))
        return QStringLiteral("restored, but could not switch %1 back to WAL: %2").arg(into, error);
    return {};
}

std::optional<QMap<QString, qint64>> SqliteBackup::tableCounts(const QString &path, QString *error)
{
    if (!QFile::exists(path)) {
        *error = QStringLiteral("%1 does not exist").arg(path);
        return std::nullopt;
    }
    Handle h;
    if (!open(h, path, SQLITE_OPEN_READONLY, error))
        return std::nullopt;
    QStringList tables;
    if (!query(h.db,
               QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"),
               [&](sqlite3_stmt *s) { tables << columnText(s, 0); }, error)) {
        *error = QStringLiteral("%1 is not a readable SQLite database: %2").arg(path, *error);
        return std::nullopt;
    }
    QMap<QString, qint64> counts;
    for (const QString &table : tables) {
        qint64 n = -1;
        if (!query(h.db, QStringLiteral("SELECT COUNT(*) FROM ") + quoted(table),
                   [&](sqlite3_stmt *s) { n = sqlite3_column_int64(s, 0); }, error)) {
            *error = QStringLiteral("cannot count the rows of %1 in %2: %3").arg(table, path, *error);
            return std::nullopt;
        }
        counts.insert(table, n);
    }
    return counts;
}

std::optional<QString> SqliteBackup::integrityCheck(const QString &path, QString *error)
{
    if (!QFile::exists(path)) {
        *error = QStringLiteral("%1 does not exist").arg(path);
        return std::nullopt;
    }
    Handle h;
    if (!open(h, path, SQLITE_OPEN_READONLY, error))
        return std::nullopt;
    QStringList findings;
    if (!query(h.db, QStringLiteral("PRAGMA integrity_check(20)"), [&](sqlite3_stmt *s) { findings << columnText(s, 0); },
               error)) {
        *error = QStringLiteral("integrity_check could not run on %1: %2").arg(path, *error);
        return std::nullopt;
    }
    return findings.join(QStringLiteral("; "));
}
