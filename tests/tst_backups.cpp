// The backup built-ins on real parts: SQLite online backups taken while another process writes,
// verification that catches corruption, restores that snapshot first, retention, tar archives,
// PostgreSQL dump/verify/restore on a real server, and the backup age check through the Watcher.
#include "backupinventory.h"
#include "backupmanifest.h"
#include "backupverifier.h"
#include "builtinconfig.h"
#include "builtintasks.h"
#include "ctlprocess.h"
#include "fakeclock.h"
#include "opsdatabase.h"
#include "probefactory.h"
#include "secretresolver.h"
#include "secretstore.h"
#include "sqlitebackup.h"
#include "testdatabase.h"
#include "watcher.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QtTest>

#include <sqlite3.h>

namespace {

// The writer child: inserts rows into `events` of the database until it is killed, one small
// transaction at a time, and prints a line after the first commits so the test knows it writes.
int runWriter(const QString &path)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open(QFile::encodeName(path).constData(), &db) != SQLITE_OK)
        return 3;
    sqlite3_busy_timeout(db, 10'000);
    for (qint64 i = 0;; ++i) {
        const QByteArray sql = "INSERT INTO events (payload) VALUES ('written while the backup runs " + QByteArray::number(i)
            + " xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')";
        if (sqlite3_exec(db, sql.constData(), nullptr, nullptr, nullptr) != SQLITE_OK)
            continue; // busy for longer than the timeout: try again
        if (i == 20) {
            std::fputs("writing\n", stdout);
            std::fflush(stdout);
        }
    }
}

qint64 countRows(const QString &path, const QString &table)
{
    QString error;
    const auto counts = SqliteBackup::tableCounts(path, &error);
    return counts ? counts->value(table, -1) : -1;
}

// Creates a WAL database with `rows` rows in `events` and a small `users` table.
void makeDatabase(const QString &path, int rows, bool wal = true)
{
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &db), SQLITE_OK);
    auto exec = [db](const char *sql) { QCOMPARE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK); };
    if (wal)
        exec("PRAGMA journal_mode=WAL");
    exec("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
    exec("CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY)");
    exec("INSERT OR IGNORE INTO users VALUES ('ada'), ('grace'), ('linus')");
    exec("BEGIN");
    for (int i = 0; i < rows; ++i) {
        const QByteArray sql = "INSERT INTO events (payload) VALUES ('seed " + QByteArray::number(i)
            + " yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy')";
        exec(sql.constData());
    }
    exec("COMMIT");
    sqlite3_close(db);
}

void execOn(const QString &path, const char *sql)
{
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(QFile::encodeName(path).constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
}

ActionConfig builtin(BuiltinKind kind, const QString &name)
{
    ActionConfig a;
    a.name = name;
    a.kind = ActionKind::Builtin;
    a.builtin = kind;
    a.timeoutMs = 120'000;
    return a;
}

struct Run
{
    ActionOutcome outcome;
    QString output;
    bool finished = false;
    int finishedCount = 0;
};

// Runs a built-in through createBuiltinTask and its signals, to its one finished().
Run runTask(const ActionConfig &action, bool dryRun = false, const Clock *clock = nullptr, QStringList *preview = nullptr)
{
    ActionTask::Context context;
    context.service = QStringLiteral("gateway");
    context.action = action;
    context.dryRun = dryRun;
    context.clock = clock;
    Run run;
    std::unique_ptr<ActionTask> task(createBuiltinTask(context, nullptr));
    if (!task)
        return run;
    if (preview)
        *preview = task->preview();
    QObject::connect(task.get(), &ActionTask::output, [&](const QByteArray &chunk) { run.output += QString::fromUtf8(chunk); });
    QObject::connect(task.get(), &ActionTask::finished, [&](const ActionOutcome &o) {
        run.outcome = o;
        run.finished = true;
        ++run.finishedCount;
    });
    task->start();
    QDeadlineTimer deadline(120'000);
    while (!run.finished && !deadline.hasExpired())
        QTest::qWait(5);
    QCoreApplication::processEvents(); // a second finished() would show up here
    return run;
}

QString fileNamed(const QString &dir, const QString &filter)
{
    const QStringList names = QDir(dir).entryList({filter}, QDir::Files, QDir::Name);
    return names.size() == 1 ? QDir(dir).filePath(names.first()) : QString();
}

void corrupt(const QString &path, qint64 offset, int length)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QVERIFY(f.seek(offset));
    f.write(QByteArray(length, '\xA5'));
}

} // namespace

class TestBackups final : public QObject
{
    Q_OBJECT

private slots:
    void sqliteBackupWhileAnotherProcessWrites();
    void verificationCatchesCorruption();
    void verificationIsRecordedAndListed();
    void restoreTakesSnapshotFirst();
    void restoreRefusesCorruptBackup();
    void restoreAlwaysNeedsConfirmation();
    void prune_data();
    void prune();
    void pruneDryRunChangesNothing();
    void backupPrunesItsOwnFilesOnly();
    void tarArchiveVerified();
    void cancelLeavesNoPartialBackup();
    void postgresDumpVerifyRestore();
    void backupAgeCheckThroughWatcher();
    void configChecksBuiltins();
    void endToEndThroughOpsdeckctl();
};

void TestBackups::sqliteBackupWhileAnotherProcessWrites()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("db.sqlite"));
    makeDatabase(db, 30'000); // several MB: many backup steps
    QProcess writer;
    writer.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--writer"), db});
    QVERIFY(writer.waitForStarted());
    QVERIFY(writer.waitForReadyRead(30'000)); // it has committed rows
    const qint64 before = countRows(db, QStringLiteral("events"));
    QVERIFY(before > 30'000);

    ActionConfig a = builtin(BuiltinKind::SqliteBackup, QStringLiteral("backup-db"));
    a.source = db;
    a.to = dir.filePath(QStringLiteral("backups"));
    const Run run = runTask(a);
    const qint64 after = countRows(db, QStringLiteral("events"));
    QCOMPARE(writer.state(), QProcess::Running); // it wrote all along
    writer.kill();
    writer.waitForFinished();

    QCOMPARE(run.finishedCount, 1);
    QVERIFY2(run.outcome.status == ActionOutcome::Status::Succeeded, qPrintable(run.outcome.summary + run.output));
    const QString file = fileNamed(a.to, QStringLiteral("backup-db-*.sqlite"));
    QVERIFY2(!file.isEmpty(), qPrintable(QDir(a.to).entryList().join(u',')));
    QVERIFY(QRegularExpression(QStringLiteral("backup-db-\\d{8}T\\d{6}Z\\.sqlite$")).match(file).hasMatch());
    QVERIFY(QFile::exists(BackupManifest::pathFor(file)));
    QVERIFY(QDir(a.to).entryList({QStringLiteral(".*")}, QDir::Files | QDir::Hidden).isEmpty()); // no temp left

    // The backup is one consistent point in time between the two counts, and the manifest's
    // counts are the backup's own.
    QString error;
    const auto manifest = BackupManifest::read(file, &error);
    QVERIFY2(manifest, qPrintable(error));
    const qint64 inBackup = countRows(file, QStringLiteral("events"));
    QVERIFY(inBackup >= before);
    QVERIFY(inBackup <= after);
    QVERIFY(after > before); // the writer really wrote meanwhile
    QCOMPARE(manifest->tables->value(QStringLiteral("events")), inBackup);
    QCOMPARE(manifest->tables->value(QStringLiteral("users")), 3);
    QCOMPARE(manifest->source, QFileInfo(db).absoluteFilePath());
    QCOMPARE(manifest->sha256, *BackupFiles::sha256(file, &error));

    const BackupVerification v = BackupVerifier::verify(QStringLiteral("gateway"), a, QString());
    QVERIFY2(v.ok, qPrintable(v.summary));
    QCOMPARE(v.file, file);
    QVERIFY(v.summary.contains(QStringLiteral("integrity_check ok")));
    QVERIFY(v.summary.contains(QStringLiteral("2 tables with %1 rows, as in the manifest").arg(inBackup + 3)));
}

void TestBackups::verificationCatchesCorruption()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("db.sqlite"));
    makeDatabase(db, 2'000);
    ActionConfig a = builtin(BuiltinKind::SqliteBackup, QStringLiteral("backup-db"));
    a.source = db;
    a.to = dir.filePath(QStringLiteral("backups"));
    QCOMPARE(runTask(a).outcome.status, ActionOutcome::Status::Succeeded);
    const QString file = fileNamed(a.to, QStringLiteral("backup-db-*.sqlite"));
    QVERIFY(BackupVerifier::verify(QStringLiteral("gateway"), a, file).ok);

    // Bytes overwritten in the middle of the table's pages.
    corrupt(file, QFileInfo(file).size() / 2, 8192);
    BackupVerification v = BackupVerifier::verify(QStringLiteral("gateway"), a, file);
    QVERIFY(!v.ok);
    QVERIFY2(v.summary.startsWith(QStringLiteral("NOT verified: the file differs from its manifest")), qPrintable(v.summary));

    // Even with a manifest rewritten to match the damaged bytes, the restore check finds it.
    QString error;
    auto manifest = *BackupManifest::read(file, &error);
    manifest.sha256 = *BackupFiles::sha256(file, &error);
    QVERIFY(manifest.write(file, &error));
    v = BackupVerifier::verify(QStringLiteral("gateway"), a, file);
    QVERIFY(!v.ok);
    QVERIFY2(v.summary.contains(QStringLiteral("integrity_check")) || v.summary.contains(QStringLiteral("row counts")),
             qPrintable(v.summary));
    QVERIFY(!v.summary.contains(QStringLiteral("differs from its manifest")));

    // A destroyed header: not a database at all.
    corrupt(file, 0, 100);
    manifest.sha256 = *BackupFiles::sha256(file, &error);
    QVERIFY(manifest.write(file, &error));
    v = BackupVerifier::verify(QStringLiteral("gateway"), a, file);
    QVERIFY(!v.ok);
    QVERIFY2(v.summary.contains(QStringLiteral("cannot be restored")), qPrintable(v.summary));

    // No manifest: nothing to compare with, so not verified.
    QFile::remove(BackupManifest::pathFor(file));
    v = BackupVerifier::verify(QStringLiteral("gateway"), a, file);
    QVERIFY(!v.ok);
    QVERIFY2(v.summary.contains(QStringLiteral("no manifest")), qPrintable(v.summary));
}

void TestBackups::verificationIsRecordedAndListed()
{
    TestDatabase store(QStringLiteral("sqlite"));
    {
        // The schema is the history store's: migrate it the way the store does.
        QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("migrate")).setDatabaseName(store.path());
        QSqlDatabase m = QSqlDatabase::database(QStringLiteral("migrate"));
        QString error;
        QVERIFY2(migrateSchema(m, SqlDialect::Sqlite, &error), qPrintable(error));
        m.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("migrate"));
    OpsDatabase ops;
    QString error;
    QVERIFY2(ops.open(store.location(), &error), qPrintable(error));

    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("db.sqlite"));
    makeDatabase(db, 100);
    ActionConfig a = builtin(BuiltinKind::SqliteBackup, QStringLiteral("backup-db"));
    a.source = db;
    a.to = dir.filePath(QStringLiteral("backups"));
    QCOMPARE(runTask(a).outcome.status, ActionOutcome::Status::Succeeded);
    BackupVerification v = BackupVerifier::verify(QStringLiteral("gateway"), a, QString());
    QVERIFY(v.ok);
    QVERIFY2(BackupVerifier::record(ops, v, &error), qPrintable(error));

    Config config;
    ServiceConfig service;
    service.name = QStringLiteral("gateway");
    service.actions << a;
    config.services << service;
    const QList<BackupInventory::Entry> entries = BackupInventory::collect(config, &ops);
    QCOMPARE(entries.size(), 1);
    QCOMPARE(entries.first().files.size(), 1);
    QCOMPARE(entries.first().totalBytes(), QFileInfo(v.file).size());
    QVERIFY(entries.first().lastVerification);
    QVERIFY(entries.first().lastVerification->ok);
    QCOMPARE(entries.first().lastVerification->file, v.file);
    QCOMPARE(entries.first().lastVerification->steps.size(), v.steps.size());
    QCOMPARE(store.count(QStringLiteral("SELECT COUNT(*) FROM backup_verifications WHERE ok = 1")), 1);
}

void TestBackups::restoreTakesSnapshotFirst()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("db.sqlite"));
    makeDatabase(db, 500);
    ActionConfig backup = builtin(BuiltinKind::SqliteBackup, QStringLiteral("backup-db"));
    backup.source = db;
    backup.to = dir.filePath(QStringLiteral("backups"));
    QCOMPARE(runTask(backup).outcome.status, ActionOutcome::Status::Succeeded);

    // What the operator recorded after the backup: it must survive in the snapshot.
    execOn(db, "DELETE FROM events WHERE id <= 200");
    execOn(db, "INSERT INTO users VALUES ('margaret')");
    QCOMPARE(countRows(db, QStringLiteral("events")), 300);

    ActionConfig restore = builtin(BuiltinKind::Restore, QStringLiteral("restore-db"));
    restore.source = db;
    restore.to = backup.to;
    QStringList preview;
    const Run run = runTask(restore, false, nullptr, &preview);
    QVERIFY2(run.outcome.status == ActionOutcome::Status::Succeeded, qPrintable(run.outcome.summary));
    QVERIFY(preview.join(u'\n').contains(QStringLiteral("snapshot the current %1").arg(db)));
    QCOMPARE(countRows(db, QStringLiteral("events")), 500);
    QCOMPARE(countRows(db, QStringLiteral("users")), 3);
    QVERIFY(run.outcome.summary.contains(QStringLiteral("row counts of 2 tables match the backup")));

    const QString snapshot = fileNamed(backup.to, QStringLiteral("pre-restore-restore-db-*.sqlite"));
    QVERIFY2(!snapshot.isEmpty(), qPrintable(QDir(backup.to).entryList().join(u',')));
    QCOMPARE(countRows(snapshot, QStringLiteral("events")), 300);
    QCOMPARE(countRows(snapshot, QStringLiteral("users")), 4);
    QString error;
    const auto manifest = BackupManifest::read(snapshot, &error);
    QVERIFY(manifest && manifest->snapshot);
    // The snapshot came before the restore, in the output too.
    QVERIFY(run.output.indexOf(QStringLiteral("snapshot of the current database")) < run.output.indexOf(QStringLiteral("restoring ")));
    // The database is still WAL, as it was.
    sqlite3 *h = nullptr;
    sqlite3_open(QFile::encodeName(db).constData(), &h);
    sqlite3_stmt *s = nullptr;
    sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &s, nullptr);
    QCOMPARE(sqlite3_step(s), SQLITE_ROW);
    QCOMPARE(QByteArray(reinterpret_cast<const char *>(sqlite3_column_text(s, 0))), QByteArray("wal"));
    sqlite3_finalize(s);
    sqlite3_close(h);

    // The inventory keeps snapshots apart from backups; a later restore ignores them.
    QCOMPARE(BackupInventory::backupsOf(backup).size(), 1);
    QCOMPARE(BackupInventory::snapshotsIn(backup.to).size(), 1);
    QVERIFY(BackupInventory::newestRestorable(backup.to, QStringLiteral("sqlite-backup"), &error)->name.startsWith(u"backup-db-"));
}

void TestBackups::restoreRefusesCorruptBackup()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("db.sqlite"));
    makeDatabase(db, 500);
    ActionConfig backup = builtin(BuiltinKind::SqliteBackup, QStringLiteral("backup-db"));
    backup.source = db;
    backup.to = dir.filePath(QStringLiteral("backups"));
    QCOMPARE(runTask(backup).outcome.status, ActionOutcome::Status::Succeeded);
    const QString file = fileNamed(backup.to, QStringLiteral("backup-db-*.sqlite"));
    corrupt(file, 4096, 4096);
    execOn(db, "DELETE FROM events");

    ActionConfig restore = builtin(BuiltinKind::Restore, QStringLiteral("restore-db"));
    restore.source = db;
    restore.from = file;
    const Run run = runTask(restore);
    QCOMPARE(run.outcome.status, ActionOutcome::Status::Failed);
    QVERIFY2(run.outcome.summary.startsWith(QStringLiteral("nothing restored: ")), qPrintable(run.outcome.summary));
    QVERIFY(run.outcome.summary.contains(QStringLiteral("sha256")));
    QCOMPARE(countRows(db, QStringLiteral("events")), 0); // untouched
    QVERIFY(fileNamed(dir.path(), QStringLiteral("pre-restore-*")).isEmpty());

    restore.from = dir.filePath(QStringLiteral("missing.sqlite"));
    QVERIFY(runTask(restore).outcome.summary.contains(QStringLiteral("does not exist")));
}

void TestBackups::restoreAlwaysNeedsConfirmation()
{
    ServiceConfig service;
    service.name = QStringLiteral("gateway");
    ActionConfig restore = builtin(BuiltinKind::Restore, QStringLiteral("restore-db"));
    restore.source = QStringLiteral("/srv/db.sqlite");
    restore.to = QStringLiteral("/srv/backups");
    ActionConfig pgRestore = builtin(BuiltinKind::PgRestore, QStringLiteral("restore-pg"));
    pgRestore.source = QStringLiteral("postgresql://postgres@127.0.0.1:5432/app");
    ActionConfig backup = builtin(BuiltinKind::SqliteBackup, QStringLiteral("backup-db"));
    service.actions << restore << pgRestore << backup;
    QVERIFY(completeBuiltinActions(service).isEmpty());
    QVERIFY(service.actions.at(0).confirm);
    QVERIFY(service.actions.at(1).confirm);
    QVERIFY(!service.actions.at(2).confirm);
}

void TestBackups::prune_data()
{
    QTest::addColumn<int>("keepLast");
    QTest::addColumn<qint64>("keepForMs");
    QTest::addColumn<QStringList>("kept"); // days ago of the files kept
    const qint64 day = 86'400'000;
    // Backups 0, 1, 2, 3, 5, 8 and 13 days old.
    QTest::newRow("keep_last 3") << 3 << qint64(0) << QStringList{"0", "1", "2"};
    QTest::newRow("keep_for 4d") << 0 << 4 * day << QStringList{"0", "1", "2", "3"};
    QTest::newRow("both: either keeps") << 2 << 6 * day << QStringList{"0", "1", "2", "3", "5"};
    QTest::newRow("keep_last beyond count") << 10 << qint64(0) << QStringList{"0", "1", "2", "3", "5", "8", "13"};
    QTest::newRow("all too old: the newest stays") << 0 << qint64(3'600'000) << QStringList{"0"};
}

void TestBackups::prune()
{
    QFETCH(int, keepLast);
    QFETCH(qint64, keepForMs);
    QFETCH(QStringList, kept);
    QTemporaryDir dir;
    FakeClock clock(1'795'000'000'000);
    const qint64 day = 86'400'000;
    QStringList all;
    for (int age : {0, 1, 2, 3, 5, 8, 13}) {
        // The newest is an hour old, so that "younger than 1h" keeps none by age.
        const QString name = QStringLiteral("backup-db-%1.sqlite").arg(BackupFiles::stamp(clock.nowMs() - age * day - 3'600'000));
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("x");
        f.close();
        QFile m(BackupManifest::pathFor(f.fileName()));
        QVERIFY(m.open(QIODevice::WriteOnly));
        m.write("{}");
        all << QString::number(age);
    }
    // Never pruned: a snapshot, a file being written, an unrelated manifest-less notes file is.
    const QString snapshot = dir.filePath(QStringLiteral("pre-restore-restore-db-20200101T000000Z.sqlite"));
    const QString partial = dir.filePath(QStringLiteral(".backup-db-20200101T000000Z.sqlite.partial"));
    QFile(snapshot).open(QIODevice::WriteOnly);
    QFile(partial).open(QIODevice::WriteOnly);

    ActionConfig a = builtin(BuiltinKind::Prune, QStringLiteral("prune-backups"));
    a.to = dir.path();
    a.keepLast = keepLast;
    a.keepForMs = keepForMs;
    QStringList preview;
    const Run run = runTask(a, false, &clock, &preview);
    QVERIFY2(run.outcome.status == ActionOutcome::Status::Succeeded, qPrintable(run.outcome.summary));

    QStringList remaining;
    for (const QString &age : all) {
        const QString name = QStringLiteral("backup-db-%1.sqlite").arg(BackupFiles::stamp(clock.nowMs() - age.toInt() * day - 3'600'000));
        const bool exists = QFile::exists(dir.filePath(name));
        QCOMPARE(QFile::exists(BackupManifest::pathFor(dir.filePath(name))), exists);
        if (exists)
            remaining << age;
        // The preview named exactly what was then removed.
        QCOMPARE(preview.join(u'\n').contains(QStringLiteral("remove %1").arg(dir.filePath(name))), !exists);
    }
    QCOMPARE(remaining, kept);
    QVERIFY(QFile::exists(snapshot));
    QVERIFY(QFile::exists(partial));
    QVERIFY(run.outcome.summary.startsWith(QStringLiteral("removed %1 backup(s)").arg(all.size() - kept.size())));
}

void TestBackups::pruneDryRunChangesNothing()
{
    QTemporaryDir dir;
    FakeClock clock(1'795'000'000'000);
    for (int age = 0; age < 5; ++age) {
        QFile f(dir.filePath(QStringLiteral("db-%1.dump").arg(BackupFiles::stamp(clock.nowMs() - age * 86'400'000LL))));
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    ActionConfig a = builtin(BuiltinKind::Prune, QStringLiteral("prune-backups"));
    a.to = dir.path();
    a.keepLast = 2;
    const Run run = runTask(a, true, &clock);
    QCOMPARE(run.outcome.status, ActionOutcome::Status::Succeeded);
    QCOMPARE(run.output.count(QStringLiteral("would: remove ")), 3);
    QCOMPARE(run.output.count(QStringLiteral("would: keep ")), 2);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 5);
}

void TestBackups::backupPrunesItsOwnFilesOnly()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("db.sqlite"));
    makeDatabase(db, 10);
    const QString to = dir.filePath(QStringLiteral("backups"));
    QDir().mkpath(to);
    for (const char *name : {"backup-db-20250101T000000Z.sqlite", "backup-db-20250102T000000Z.sqlite", "other-20250101T000000Z.sqlite"}) {
        QFile f(QDir(to).filePath(QLatin1String(name)));
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    ActionConfig a = builtin(BuiltinKind::SqliteBackup, QStringLiteral("backup-db"));
    a.source = db;
    a.to = to;
    a.keepLast = 2;
    const Run run = runTask(a);
    QVERIFY2(run.outcome.status == ActionOutcome::Status::Succeeded, qPrintable(run.outcome.summary));
    QVERIFY(run.outcome.summary.contains(QStringLiteral("pruned 1 old backup(s), 2 kept")));
    QVERIFY(!QFile::exists(QDir(to).filePath(QStringLiteral("backup-db-20250101T000000Z.sqlite"))));
    QVERIFY(QFile::exists(QDir(to).filePath(QStringLiteral("backup-db-20250102T000000Z.sqlite"))));
    QVERIFY(QFile::exists(QDir(to).filePath(QStringLiteral("other-20250101T000000Z.sqlite"))));
}

void TestBackups::tarArchiveVerified()
{
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("srv/.data"));
    QDir().mkpath(data + QStringLiteral("/certs"));
    QDir().mkpath(data + QStringLiteral("/artifacts/run-1"));
    for (const char *name : {"db.sqlite", "certs/server.crt", "certs/server.key", "artifacts/run-1/a_out.txt"}) {
        QFile f(data + u'/' + QLatin1String(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(1000, 'z'));
    }
    QFile env(dir.filePath(QStringLiteral("srv/.env")));
    QVERIFY(env.open(QIODevice::WriteOnly));
    env.write("HMAC_SECRET=x\n");
    env.close();

    ActionConfig a = builtin(BuiltinKind::TarArchive, QStringLiteral("full-backup"));
    a.sources = {data, env.fileName()};
    a.to = dir.filePath(QStringLiteral("backups"));
    QStringList preview;
    const Run run = runTask(a, false, nullptr, &preview);
    QVERIFY2(run.outcome.status == ActionOutcome::Status::Succeeded, qPrintable(run.outcome.summary + run.output));
    QVERIFY(preview.first().startsWith(QStringLiteral("tar -czf ")));
    QVERIFY(preview.first().contains(QStringLiteral("-C %1 .data").arg(dir.filePath(QStringLiteral("srv")))));
    const QString file = fileNamed(a.to, QStringLiteral("full-backup-*.tar.gz"));
    QVERIFY(!file.isEmpty());
    QString error;
    const auto manifest = BackupManifest::read(file, &error);
    QVERIFY2(manifest, qPrintable(error));
    QCOMPARE(*manifest->fileCount, 5);
    BackupVerification v = BackupVerifier::verify(QStringLiteral("gateway"), a, QString());
    QVERIFY2(v.ok, qPrintable(v.summary));
    QVERIFY(v.summary.contains(QStringLiteral("tar -tzf lists 5 files, as in the manifest")));

    // A truncated archive is caught by both the checksum and tar.
    QFile f(file);
    QVERIFY(f.resize(f.size() / 2));
    v = BackupVerifier::verify(QStringLiteral("gateway"), a, file);
    QVERIFY(!v.ok);
    QVERIFY2(v.summary.contains(QStringLiteral("differs from its manifest")) && v.summary.contains(QStringLiteral("tar -tzf exited")),
             qPrintable(v.summary));

    a.sources = {dir.filePath(QStringLiteral("nope"))};
    QVERIFY(runTask(a).outcome.summary.contains(QStringLiteral("nope does not exist")));
}

void TestBackups::cancelLeavesNoPartialBackup()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("db.sqlite"));
    makeDatabase(db, 10);
    ActionConfig a = builtin(BuiltinKind::TarArchive, QStringLiteral("full-backup"));
    a.sources = {dir.path() + QStringLiteral("/db.sqlite")};
    a.to = dir.filePath(QStringLiteral("backups"));
    ActionTask::Context context;
    context.service = QStringLiteral("gateway");
    context.action = a;
    std::unique_ptr<ActionTask> task(createBuiltinTask(context, nullptr));
    QSignalSpy finished(task.get(), &ActionTask::finished);
    task->cancel(); // before start: nothing happens
    task->start();
    task->cancel();
    QVERIFY(finished.wait(60'000));
    QCoreApplication::processEvents();
    QCOMPARE(finished.size(), 1);
    const auto outcome = finished.first().first().value<ActionOutcome>();
    // Either it was stopped, or it had already finished: never half a backup.
    if (outcome.status == ActionOutcome::Status::Cancelled)
        QVERIFY(QDir(a.to).entryList(QDir::Files | QDir::Hidden).isEmpty());
    else
        QCOMPARE(outcome.status, ActionOutcome::Status::Succeeded);
}

void TestBackups::postgresDumpVerifyRestore()
{
    TestDatabase pg(QStringLiteral("postgresql"));
    if (pg.unavailable())
        QSKIP("OPSDECK_TEST_PG_URL is not set (scripts/test.sh starts a PostgreSQL and sets it)");
    QVERIFY2(pg.error().isEmpty(), qPrintable(pg.error()));
    QCOMPARE(pg.exec(QStringLiteral("CREATE TABLE jobs (id SERIAL PRIMARY KEY, title TEXT NOT NULL)")), QString());
    QCOMPARE(pg.exec(QStringLiteral("CREATE SCHEMA billing")), QString());
    QCOMPARE(pg.exec(QStringLiteral("CREATE TABLE billing.invoices (id INT PRIMARY KEY, total NUMERIC)")), QString());
    QCOMPARE(pg.exec(QStringLiteral("INSERT INTO jobs (title) SELECT 'job ' || g FROM generate_series(1, 250) g")), QString());
    QCOMPARE(pg.exec(QStringLiteral("INSERT INTO billing.invoices SELECT g, g * 1.5 FROM generate_series(1, 40) g")), QString());
    const StoreLocation l = pg.location();
    const QString url = QStringLiteral("postgresql://%1@%2:%3/%4").arg(l.user, l.host).arg(l.port).arg(l.database);

    QTemporaryDir dir;
    ActionConfig dump = builtin(BuiltinKind::PgDump, QStringLiteral("dump-db"));
    dump.source = url;
    dump.to = dir.filePath(QStringLiteral("pg"));
    Run run = runTask(dump);
    QVERIFY2(run.outcome.status == ActionOutcome::Status::Succeeded, qPrintable(run.outcome.summary + run.output));
    const QString file = fileNamed(dump.to, QStringLiteral("dump-db-*.dump"));
    QVERIFY(!file.isEmpty());
    QString error;
    const auto manifest = BackupManifest::read(file, &error);
    QVERIFY2(manifest, qPrintable(error));
    QCOMPARE(manifest->tables->value(QStringLiteral("public.jobs")), 250);
    QCOMPARE(manifest->tables->value(QStringLiteral("billing.invoices")), 40);
    QCOMPARE(manifest->source, url.section(u'@', 0, 0) + u'@' + url.section(u'@', 1)); // no password in it

    // Verified by a restore into a scratch database, which is dropped again. (By its name: other
    // suites create and drop databases on the same server meanwhile, so a count would race.)
    BackupVerification v = BackupVerifier::verify(QStringLiteral("ai-fsm"), dump, QString());
    QVERIFY2(v.ok, qPrintable(v.summary));
    const QRegularExpression scratchName(QStringLiteral("opsdeck_verify_[0-9a-f]{16}"));
    const QString scratch = scratchName.match(v.summary).captured(0);
    QVERIFY2(!scratch.isEmpty(), qPrintable(v.summary));
    QVERIFY(v.summary.contains(QStringLiteral("restored into the scratch database ") + scratch));
    QVERIFY(v.summary.contains(QStringLiteral("2 tables with 290 rows, as in the manifest")));
    QCOMPARE(pg.count(QStringLiteral("SELECT COUNT(*) FROM pg_database WHERE datname = '%1'").arg(scratch)), 0);

    // The data-corruption runbook: the damage, then the restore — which dumps what is there first.
    QCOMPARE(pg.exec(QStringLiteral("DELETE FROM jobs WHERE id > 100")), QString());
    QCOMPARE(pg.exec(QStringLiteral("INSERT INTO billing.invoices VALUES (1000, 0)")), QString());
    ActionConfig restore = builtin(BuiltinKind::PgRestore, QStringLiteral("restore-db"));
    restore.source = url;
    restore.to = dump.to;
    run = runTask(restore);
    QVERIFY2(run.outcome.status == ActionOutcome::Status::Succeeded, qPrintable(run.outcome.summary + run.output));
    QCOMPARE(pg.count(QStringLiteral("SELECT COUNT(*) FROM jobs")), 250);
    QCOMPARE(pg.count(QStringLiteral("SELECT COUNT(*) FROM billing.invoices")), 40);
    const QString snapshot = fileNamed(dump.to, QStringLiteral("pre-restore-restore-db-*.dump"));
    QVERIFY(!snapshot.isEmpty());
    const auto snap = BackupManifest::read(snapshot, &error);
    QVERIFY(snap && snap->snapshot);
    QCOMPARE(snap->tables->value(QStringLiteral("public.jobs")), 100);
    QCOMPARE(snap->tables->value(QStringLiteral("billing.invoices")), 41);

    // `restore` with a postgresql:// source is the same task.
    ActionConfig generic = builtin(BuiltinKind::Restore, QStringLiteral("restore-any"));
    generic.source = url;
    generic.from = file;
    QStringList preview;
    run = runTask(generic, true, nullptr, &preview);
    QVERIFY(preview.join(u'\n').contains(QStringLiteral("pg_restore --clean --if-exists --single-transaction")));

    // A damaged dump is caught by verification.
    corrupt(file, QFileInfo(file).size() / 3, 64);
    v = BackupVerifier::verify(QStringLiteral("ai-fsm"), dump, file);
    QVERIFY(!v.ok);
    // Its scratch database is dropped all the same (only verification makes opsdeck_verify_*).
    QCOMPARE(pg.count(QStringLiteral("SELECT COUNT(*) FROM pg_database WHERE datname LIKE 'opsdeck\\_verify\\_%'")), 0);
}

void TestBackups::backupAgeCheckThroughWatcher()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("db.sqlite"));
    makeDatabase(db, 10);
    ServiceConfig service;
    service.name = QStringLiteral("gateway");
    CheckConfig health;
    health.name = QStringLiteral("disk");
    health.kind = CheckKind::Disk;
    health.path = dir.path();
    service.checks << health;
    ActionConfig a = builtin(BuiltinKind::SqliteBackup, QStringLiteral("backup-db"));
    a.source = db;
    a.to = dir.filePath(QStringLiteral("backups"));
    a.maxAgeMs = 3'600'000;       // degraded after 1h
    a.maxAgeDownMs = 3 * 3'600'000; // down after 3h
    service.actions << a;
    QVERIFY(completeBuiltinActions(service).isEmpty());
    const CheckConfig *check = service.check(QStringLiteral("backup-backup-db"));
    QVERIFY(check);
    QCOMPARE(check->kind, CheckKind::FileAge);
    QCOMPARE(check->path, QDir(a.to).filePath(QStringLiteral("backup-db-*.sqlite")));
    Config config;
    config.services << service;

    SecretStore store(QStringLiteral("opsdeck-test-backups"));
    SecretResolver resolver(&store);
    ProbeFactory factory;
    FakeClock clock(QDateTime::currentMSecsSinceEpoch());
    Watcher watcher(&factory, &resolver, nullptr, &clock);
    watcher.setConfig(config);
    QHash<QString, CheckResult> last;
    connect(&watcher, &Watcher::resultRecorded, this, [&](const CheckResult &r) { last.insert(r.check, r); });
    auto pass = [&] {
        last.clear();
        QSignalSpy done(&watcher, &Watcher::passFinished);
        watcher.runOnce();
        QVERIFY(done.wait(20'000));
    };

    pass(); // no backup yet: down, saying why
    QCOMPARE(last.value(check->name).outcome, Health::Down);
    QVERIFY2(last.value(check->name).reason().contains(QStringLiteral("backup")), qPrintable(last.value(check->name).reason()));

    QCOMPARE(runTask(a).outcome.status, ActionOutcome::Status::Succeeded);
    pass();
    QCOMPARE(last.value(check->name).outcome, Health::Ok);

    const QString file = fileNamed(a.to, QStringLiteral("backup-db-*.sqlite"));
    auto age = [&](qint64 ms) {
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(QDateTime::currentDateTimeUtc().addMSecs(-ms), QFileDevice::FileModificationTime));
    };
    age(2 * 3'600'000);
    pass();
    QCOMPARE(last.value(check->name).outcome, Health::Degraded);
    QCOMPARE(last.value(check->name).failedCondition, QStringLiteral("warning: [AGE] < 1h"));
    age(4 * 3'600'000);
    pass();
    QCOMPARE(last.value(check->name).outcome, Health::Down);
    QCOMPARE(last.value(check->name).failedCondition, QStringLiteral("[AGE] < 3h"));
    // It is a check of the service like any other: its state is the service's.
    QVERIFY(watcher.state().status(QStringLiteral("gateway"), check->name));
}

void TestBackups::configChecksBuiltins()
{
    ServiceConfig service;
    service.name = QStringLiteral("gateway");
    CheckConfig health;
    health.name = QStringLiteral("health");
    health.http.url = QStringLiteral("https://gw/api/health");
    health.http.headers = {{QStringLiteral("X-Key"), QStringLiteral("${secret:gw-key}")}};
    service.checks << health;
    CheckConfig clash;
    clash.name = QStringLiteral("backup-backup-db");
    service.checks << clash;

    ActionConfig rotate = builtin(BuiltinKind::RotateSecret, QStringLiteral("rotate-key"));
    rotate.secret = QStringLiteral("gw-key");
    rotate.verifyCheck = QStringLiteral("health");
    ActionConfig rotateOther = builtin(BuiltinKind::RotateSecret, QStringLiteral("rotate-other"));
    rotateOther.secret = QStringLiteral("other-key");
    rotateOther.verifyCheck = QStringLiteral("health");
    ActionConfig rotateMissing = builtin(BuiltinKind::RotateSecret, QStringLiteral("rotate-missing"));
    rotateMissing.secret = QStringLiteral("gw-key");
    rotateMissing.verifyCheck = QStringLiteral("nope");
    ActionConfig tar = builtin(BuiltinKind::TarArchive, QStringLiteral("full"));
    tar.sources = {QStringLiteral("/srv/gateway")};
    tar.to = QStringLiteral("/srv/gateway/backups");
    ActionConfig aged = builtin(BuiltinKind::SqliteBackup, QStringLiteral("backup-db"));
    aged.to = QStringLiteral("/srv/backups");
    aged.maxAgeMs = 3'600'000;
    service.actions << rotate << rotateOther << rotateMissing << tar << aged;

    const QList<ConfigIssue> issues = completeBuiltinActions(service);
    QStringList texts;
    for (const ConfigIssue &i : issues)
        texts << i.field + QStringLiteral(": ") + i.message;
    QCOMPARE(texts, (QStringList{
        QStringLiteral("services[gateway].actions[rotate-other].verify_check: check `health` does not use ${secret:other-key}, so it cannot tell whether the new key works"),
        QStringLiteral("services[gateway].actions[rotate-missing].verify_check: no check `nope` in service `gateway`; its checks: health, backup-backup-db"),
        QStringLiteral("services[gateway].actions[full].to: `/srv/gateway/backups` lies inside the source `/srv/gateway`: the archive would contain itself"),
        QStringLiteral("services[gateway].actions[backup-db].max_age: the backup's age check would be named `backup-backup-db`, but the service already has a check of that name"),
    }));
    QVERIFY(service.actions.first().verifyCheckConfig);
    QCOMPARE(service.actions.first().verifyCheckConfig->name, QStringLiteral("health"));
}

void TestBackups::endToEndThroughOpsdeckctl()
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("db.sqlite"));
    makeDatabase(db, 1'000);
    const QString backups = dir.filePath(QStringLiteral("backups"));
    const QString config = dir.filePath(QStringLiteral("opsdeck.yaml"));
    QFile f(config);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QStringLiteral(R"(store: sqlite:%1/history.sqlite
services:
  - name: gateway
    checks:
      - name: disk
        type: disk
        path: %1
        conditions: ["[FREE_PERCENT] >= 0"]   # not the host's actual free space
    actions:
      - name: backup-db
        builtin: sqlite-backup
        source: db.sqlite
        to: backups
        keep_last: 3
        max_age: 26h
      - name: restore-db
        builtin: restore
        source: db.sqlite
        to: backups
)").arg(dir.path()).toUtf8());
    f.close();
    const QStringList cfg{QStringLiteral("--config"), config};

    CtlRun run = runCtl(QStringList{QStringLiteral("action"), QStringLiteral("run"), QStringLiteral("backup-db"), QStringLiteral("--yes")} + cfg);
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    const QString file = fileNamed(backups, QStringLiteral("backup-db-*.sqlite"));
    QVERIFY(!file.isEmpty());

    run = runCtl(QStringList{QStringLiteral("backup"), QStringLiteral("list"), QStringLiteral("--format"), QStringLiteral("json")} + cfg);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QJsonArray list = QJsonDocument::fromJson(run.out.toUtf8()).array();
    QCOMPARE(list.size(), 1);
    QJsonObject entry = list.first().toObject();
    QCOMPARE(entry.value(QStringLiteral("service")).toString(), QStringLiteral("gateway"));
    QCOMPARE(entry.value(QStringLiteral("action")).toString(), QStringLiteral("backup-db"));
    QCOMPARE(entry.value(QStringLiteral("destination")).toString(), backups);
    QCOMPARE(entry.value(QStringLiteral("count")).toInt(), 1);
    QCOMPARE(entry.value(QStringLiteral("total_bytes")).toInteger(), QFileInfo(file).size());
    QCOMPARE(entry.value(QStringLiteral("newest_file")).toString(), QFileInfo(file).fileName());
    QVERIFY(entry.value(QStringLiteral("newest_age_s")).toInteger() >= 0);
    QVERIFY(entry.value(QStringLiteral("last_verification")).isNull());

    run = runCtl(QStringList{QStringLiteral("backup"), QStringLiteral("verify"), QStringLiteral("backup-db")} + cfg);
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY(run.out.contains(QStringLiteral("verified: sha256 matches the manifest")));
    run = runCtl(QStringList{QStringLiteral("backup"), QStringLiteral("list"), QStringLiteral("--format"), QStringLiteral("json")} + cfg);
    entry = QJsonDocument::fromJson(run.out.toUtf8()).array().first().toObject();
    QVERIFY(entry.value(QStringLiteral("last_verification")).toObject().value(QStringLiteral("ok")).toBool());

    // The age check is a check of the service, run by `check` like any other.
    run = runCtl(QStringList{QStringLiteral("check"), QStringLiteral("--no-history")} + cfg);
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QVERIFY2(run.out.contains(QStringLiteral("gateway/backup-backup-db")), qPrintable(run.out));

    corrupt(file, QFileInfo(file).size() / 2, 4096);
    run = runCtl(QStringList{QStringLiteral("backup"), QStringLiteral("verify"), QStringLiteral("backup-db"), QFileInfo(file).fileName()} + cfg);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("NOT verified: the file differs from its manifest")), qPrintable(run.err));
    run = runCtl(QStringList{QStringLiteral("backup"), QStringLiteral("verify"), QStringLiteral("nope")} + cfg);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.err.contains(QStringLiteral("backup actions: gateway/backup-db")));

    // A second backup to restore from; the damaged one stays as it is.
    QFile::remove(file);
    QFile::remove(BackupManifest::pathFor(file));
    run = runCtl(QStringList{QStringLiteral("action"), QStringLiteral("run"), QStringLiteral("backup-db"), QStringLiteral("--yes")} + cfg);
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    execOn(db, "DELETE FROM events");

    // A restore is refused without confirmation, and then runs with it, snapshot first.
    run = runCtl(QStringList{QStringLiteral("action"), QStringLiteral("run"), QStringLiteral("restore-db")} + cfg);
    QVERIFY(run.exitCode != 0);
    QCOMPARE(countRows(db, QStringLiteral("events")), 0);
    QVERIFY(fileNamed(backups, QStringLiteral("pre-restore-*.sqlite")).isEmpty());
    run = runCtl(QStringList{QStringLiteral("action"), QStringLiteral("run"), QStringLiteral("restore-db"), QStringLiteral("--yes")} + cfg);
    QVERIFY2(run.exitCode == 0, qPrintable(run.out + run.err));
    QCOMPARE(countRows(db, QStringLiteral("events")), 1'000);
    const QString snapshot = fileNamed(backups, QStringLiteral("pre-restore-restore-db-*.sqlite"));
    QVERIFY(!snapshot.isEmpty());
    QCOMPARE(countRows(snapshot, QStringLiteral("events")), 0);
    run = runCtl(QStringList{QStringLiteral("backup"), QStringLiteral("list")} + cfg);
    QVERIFY2(run.out.contains(QStringLiteral("1 pre-restore snapshot(s) in the folder")), qPrintable(run.out));
}

int main(int argc, char *argv[])
{
    if (argc == 3 && qstrcmp(argv[1], "--writer") == 0)
        return runWriter(QString::fromLocal8Bit(argv[2]));
    QCoreApplication app(argc, argv);
    TestBackups test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_backups.moc"
