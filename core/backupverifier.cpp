#include "backupverifier.h"

#include "backupinventory.h"
#include "backupmanifest.h"
#include "opsdatabase.h"
#include "pgtarget.h"
#include "sqldialect.h"
#include "sqlitebackup.h"
#include "tararchivetask.h"

#include <QAtomicInteger>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>

namespace {

class Steps
{
public:
    void add(const QString &step, bool ok, const QString &text)
    {
        m_steps.append(QJsonObject{{QStringLiteral("step"), step}, {QStringLiteral("ok"), ok}, {QStringLiteral("text"), text}});
        (ok ? m_passed : m_failed) << text;
    }
    bool ok() const { return m_failed.isEmpty() && !m_passed.isEmpty(); }
    QString summary() const
    {
        return ok() ? QStringLiteral("verified: ") + m_passed.join(QStringLiteral("; "))
                    : QStringLiteral("NOT verified: ") + m_failed.join(QStringLiteral("; "));
    }
    QJsonArray json() const { return m_steps; }

private:
    QJsonArray m_steps;
    QStringList m_passed;
    QStringList m_failed;
};

struct Ran
{
    bool ok = false;
    QString failure;
    QByteArray output;
};

Ran runProgram(const QStringList &argv, const QList<QPair<QString, QString>> &env, int timeoutMs)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (!env.isEmpty()) {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        for (const auto &[k, v] : env)
            e.insert(k, v);
        p.setProcessEnvironment(e);
    }
    p.start(argv.first(), argv.mid(1));
    Ran r;
    if (!p.waitForStarted()) {
        r.failure = QStringLiteral("%1 could not be started: %2").arg(argv.first(), p.errorString());
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.failure = QStringLiteral("%1 did not finish within %2 s").arg(argv.first()).arg(timeoutMs / 1000);
        return r;
    }
    r.output = p.readAll();
    r.ok = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (!r.ok) {
        const QStringList lines = QString::fromUtf8(r.output).trimmed().split(u'\n', Qt::SkipEmptyParts);
        r.failure = QStringLiteral("%1 exited with %2%3")
                        .arg(argv.first())
                        .arg(p.exitCode())
                        .arg(lines.isEmpty() ? QString() : QStringLiteral(": ") + lines.first().trimmed());
    }
    return r;
}

void compareCounts(Steps &steps, const BackupManifest &m, const std::optional<QMap<QString, qint64>> &counts, const QString &error)
{
    if (!counts) {
        steps.add(QStringLiteral("row_counts"), false, QStringLiteral("row counts could not be read: ") + error);
        return;
    }
    if (!m.tables) {
        steps.add(QStringLiteral("row_counts"), false, QStringLiteral("the manifest has no row counts to compare with"));
        return;
    }
    const QStringList diff = BackupFiles::countDifferences(*m.tables, *counts);
    qint64 rows = 0;
    for (qint64 n : *counts)
        rows += n;
    if (diff.isEmpty())
        steps.add(QStringLiteral("row_counts"), true, QStringLiteral("%1 tables with %2 rows, as in the manifest").arg(counts->size()).arg(rows));
    else
        steps.add(QStringLiteral("row_counts"), false, QStringLiteral("row counts differ from the manifest: ") + diff.join(QStringLiteral(", ")));
}

void verifySqlite(Steps &steps, const QString &file, const BackupManifest &m)
{
    QTemporaryDir scratch;
    const QString restored = scratch.filePath(QStringLiteral("restored.sqlite"));
    const QString error = SqliteBackup::copy(file, restored);
    if (!error.isEmpty()) {
        steps.add(QStringLiteral("restore"), false, QStringLiteral("cannot be restored: ") + error);
        return;
    }
    steps.add(QStringLiteral("restore"), true, QStringLiteral("restored into a temporary file"));
    QString why;
    const auto integrity = SqliteBackup::integrityCheck(restored, &why);
    if (!integrity)
        steps.add(QStringLiteral("integrity_check"), false, why);
    else if (*integrity != u"ok")
        steps.add(QStringLiteral("integrity_check"), false, QStringLiteral("integrity_check: ") + *integrity);
    else
        steps.add(QStringLiteral("integrity_check"), true, QStringLiteral("integrity_check ok"));
    const auto counts = SqliteBackup::tableCounts(restored, &why);
    compareCounts(steps, m, counts, why);
}

void verifyPostgres(Steps &steps, const QString &file, const BackupManifest &m, const ActionConfig &action)
{
    const Ran listed = runProgram({QStringLiteral("pg_restore"), QStringLiteral("--list"), file}, {}, 10 * 60'000);
    if (!listed.ok) {
        steps.add(QStringLiteral("pg_restore_list"), false, QStringLiteral("pg_restore --list: ") + listed.failure);
        return;
    }
    steps.add(QStringLiteral("pg_restore_list"), true, QStringLiteral("pg_restore --list reads it"));
    QString error;
    const auto target = PgTarget::parse(action.source, &error);
    if (!target) {
        steps.add(QStringLiteral("scratch_restore"), false, error);
        return;
    }
    static QAtomicInteger<quint64> serial;
    const QString scratchName = QStringLiteral("opsdeck_verify_%1").arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0'));
    const QString admin = QStringLiteral("opsdeck-verify-admin-%1").arg(serial.fetchAndAddRelaxed(1));
    auto adminExec = [&](const QString &sql, QString *why) {
        bool ok = target->open(admin, why);
        if (ok)
            ok = target->exec(QSqlDatabase::database(admin, false), sql, why);
        QSqlDatabase::database(admin, false).close();
        QSqlDatabase::removeDatabase(admin);
        return ok;
    };
    if (!adminExec(QStringLiteral("CREATE DATABASE ") + scratchName, &error)) {
        steps.add(QStringLiteral("scratch_restore"), false, QStringLiteral("cannot create the scratch database %1: %2").arg(scratchName, error));
        return;
    }
    const PgTarget scratch = target->withDatabase(scratchName);
    const Ran restored = runProgram(QStringList{QStringLiteral("pg_restore"), QStringLiteral("--exit-on-error"), QStringLiteral("--no-owner"),
                                                QStringLiteral("--no-privileges")}
                                        + scratch.connectionArgs() + QStringList{QStringLiteral("--dbname"), scratchName, file},
                                    scratch.environment(), 60 * 60'000);
    if (!restored.ok) {
        steps.add(QStringLiteral("scratch_restore"), false, QStringLiteral("restore into the scratch database failed: ") + restored.failure);
    } else {
        steps.add(QStringLiteral("scratch_restore"), true, QStringLiteral("restored into the scratch database %1").arg(scratchName));
        const QString conn = QStringLiteral("opsdeck-verify-scratch-%1").arg(serial.fetchAndAddRelaxed(1));
        std::optional<QMap<QString, qint64>> counts;
        if (scratch.open(conn, &error))
            counts = PgTarget::tableCounts(QSqlDatabase::database(conn, false), &error);
        QSqlDatabase::database(conn, false).close();
        QSqlDatabase::removeDatabase(conn);
        compareCounts(steps, m, counts, error);
    }
    if (!adminExec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(scratchName), &error))
        steps.add(QStringLiteral("scratch_drop"), false, QStringLiteral("the scratch database %1 could not be dropped: %2").arg(scratchName, error));
}

void verifyTar(Steps &steps, const QString &file, const BackupManifest &m)
{
    QString error;
    const auto files = TarArchiveTask::countFiles(nullptr, file, &error);
    if (!files) {
        steps.add(QStringLiteral("tar_list"), false, error);
        return;
    }
    if (!m.fileCount)
        steps.add(QStringLiteral("file_count"), false, QStringLiteral("the manifest has no file count to compare with"));
    else if (*files != *m.fileCount)
        steps.add(QStringLiteral("file_count"), false, QStringLiteral("%1 files in the archive, the manifest says %2").arg(*files).arg(*m.fileCount));
    else
        steps.add(QStringLiteral("file_count"), true, QStringLiteral("tar -tzf lists %1 files, as in the manifest").arg(*files));
}

} // namespace

BackupVerification BackupVerifier::verify(const QString &service, const ActionConfig &action, const QString &file)
{
    QElapsedTimer timer;
    timer.start();
    BackupVerification v;
    v.service = service;
    v.action = action.name;
    v.atMs = QDateTime::currentMSecsSinceEpoch();
    Steps steps;
    QString path = file;
    if (path.isEmpty()) {
        QString error;
        const QList<BackupFile> files = BackupInventory::backupsOf(action, &error);
        if (files.isEmpty()) {
            v.summary = QStringLiteral("NOT verified: no backup of %1 in %2%3")
                            .arg(action.name, action.to, error.isEmpty() ? QString() : QStringLiteral(" (") + error + u')');
            v.durationMs = timer.elapsed();
            return v;
        }
        path = files.first().path;
    } else if (!QFileInfo(path).isAbsolute() && !QFileInfo::exists(path)) {
        path = QDir(action.to).filePath(path);
    }
    v.file = QFileInfo(path).absoluteFilePath();
    v.sizeBytes = QFileInfo(path).size();
    auto done = [&] {
        v.ok = steps.ok();
        v.summary = steps.summary();
        v.steps = steps.json();
        v.durationMs = timer.elapsed();
        return v;
    };
    if (!QFileInfo(path).isFile()) {
        steps.add(QStringLiteral("file"), false, QStringLiteral("%1 does not exist").arg(v.file));
        return done();
    }
    QString error;
    const auto manifest = BackupManifest::read(path, &error);
    if (!manifest) {
        steps.add(QStringLiteral("manifest"), false, error);
        return done();
    }
    const auto digest = BackupFiles::sha256(path, &error);
    if (!digest)
        steps.add(QStringLiteral("sha256"), false, error);
    else if (*digest != manifest->sha256 || v.sizeBytes != manifest->sizeBytes)
        steps.add(QStringLiteral("sha256"), false,
                  QStringLiteral("the file differs from its manifest (sha256 %1…, expected %2…; %3 bytes, expected %4)")
                      .arg(digest->left(12), manifest->sha256.left(12)).arg(v.sizeBytes).arg(manifest->sizeBytes));
    else
        steps.add(QStringLiteral("sha256"), true, QStringLiteral("sha256 matches the manifest"));
    if (manifest->kind == builtinKindName(BuiltinKind::SqliteBackup))
        verifySqlite(steps, path, *manifest);
    else if (manifest->kind == builtinKindName(BuiltinKind::PgDump))
        verifyPostgres(steps, path, *manifest, action);
    else if (manifest->kind == builtinKindName(BuiltinKind::TarArchive))
        verifyTar(steps, path, *manifest);
    else
        steps.add(QStringLiteral("kind"), false, QStringLiteral("unknown backup kind `%1` in the manifest").arg(manifest->kind));
    return done();
}

bool BackupVerifier::record(OpsDatabase &db, BackupVerification &v, QString *error)
{
    QSqlQuery q(db.db());
    q.prepare(dialectSql(db.dialect(),
                         QStringLiteral("INSERT INTO backup_verifications (service, action, file, size_bytes, at, duration_ms, ok, summary, details) "
                                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")));
    q.addBindValue(v.service);
    q.addBindValue(v.action);
    q.addBindValue(v.file);
    q.addBindValue(v.sizeBytes);
    q.addBindValue(v.atMs);
    q.addBindValue(v.durationMs);
    q.addBindValue(v.ok ? 1 : 0);
    q.addBindValue(storedText(v.summary)); // may quote a tool's output
    q.addBindValue(QString::fromUtf8(QJsonDocument(v.steps).toJson(QJsonDocument::Compact)));
    if (!q.exec()) {
        *error = QStringLiteral("cannot record the verification: ") + q.lastError().text().trimmed();
        return false;
    }
    v.id = q.lastInsertId().toLongLong();
    return true;
}

namespace {

// The verifications of one backup action, oldest first or (newestOnly) only the newest; run, with
// the rows ready for verificationFromRow(). False when the query failed.
bool selectVerifications(OpsDatabase &db, const QString &service, const QString &action, bool newestOnly, QSqlQuery *q)
{
    q->setForwardOnly(true);
    q->prepare(dialectSql(db.dialect(),
                          QStringLiteral("SELECT id, file, size_bytes, at, duration_ms, ok, summary, details "
                                         "FROM backup_verifications WHERE service = ? AND action = ? %1")
                              .arg(newestOnly ? QLatin1String("ORDER BY id DESC LIMIT 1") : QLatin1String("ORDER BY id"))));
    q->addBindValue(service);
    q->addBindValue(action);
    return q->exec();
}

BackupVerification verificationFromRow(const QSqlQuery &q, const QString &service, const QString &action)
{
    BackupVerification v;
    v.id = q.value(0).toLongLong();
    v.service = service;
    v.action = action;
    v.file = q.value(1).toString();
    v.sizeBytes = q.value(2).toLongLong();
    v.atMs = q.value(3).toLongLong();
    v.durationMs = q.value(4).toLongLong();
    v.ok = q.value(5).toInt() != 0;
    v.summary = q.value(6).toString();
    v.steps = QJsonDocument::fromJson(q.value(7).toString().toUtf8()).array();
    return v;
}

} // namespace

std::optional<BackupVerification> BackupVerifier::latest(OpsDatabase &db, const QString &service, const QString &action)
{
    QSqlQuery q(db.db());
    if (!selectVerifications(db, service, action, true, &q) || !q.next())
        return std::nullopt;
    return verificationFromRow(q, service, action);
}

QHash<QString, BackupVerification> BackupVerifier::latestPerFile(OpsDatabase &db, const QString &service, const QString &action)
{
    QSqlQuery q(db.db());
    QHash<QString, BackupVerification> out;
    if (!selectVerifications(db, service, action, false, &q))
        return out;
    while (q.next()) {
        BackupVerification v = verificationFromRow(q, service, action);
        out.insert(v.file, v); // ordered by id: the last one written wins
    }
    return out;
}
