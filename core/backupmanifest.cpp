#include "backupmanifest.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTimeZone>

namespace {

QString isoUtc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODateWithMs);
}

} // namespace

QJsonObject BackupManifest::toJson() const
{
    QJsonObject o{{QStringLiteral("kind"), kind},
                  {QStringLiteral("service"), service},
                  {QStringLiteral("action"), action},
                  {QStringLiteral("file"), file},
                  {QStringLiteral("taken_at"), isoUtc(takenAtMs)},
                  {QStringLiteral("size_bytes"), sizeBytes},
                  {QStringLiteral("sha256"), sha256}};
    if (!source.isEmpty())
        o.insert(QStringLiteral("source"), source);
    if (!sources.isEmpty())
        o.insert(QStringLiteral("sources"), QJsonArray::fromStringList(sources));
    if (tables) {
        QJsonObject t;
        for (auto it = tables->cbegin(); it != tables->cend(); ++it)
            t.insert(it.key(), it.value());
        o.insert(QStringLiteral("tables"), t);
    }
    if (fileCount)
        o.insert(QStringLiteral("files"), *fileCount);
    if (snapshot) {
        o.insert(QStringLiteral("snapshot"), true);
        o.insert(QStringLiteral("reason"), reason);
    }
    return o;
}

std::optional<BackupManifest> BackupManifest::fromJson(const QJsonObject &o, QString *error)
{
    BackupManifest m;
    m.kind = o.value(QStringLiteral("kind")).toString();
    m.service = o.value(QStringLiteral("service")).toString();
    m.action = o.value(QStringLiteral("action")).toString();
    m.source = o.value(QStringLiteral("source")).toString();
    for (const QJsonValue &v : o.value(QStringLiteral("sources")).toArray())
        m.sources << v.toString();
    m.file = o.value(QStringLiteral("file")).toString();
    const QDateTime at = QDateTime::fromString(o.value(QStringLiteral("taken_at")).toString(), Qt::ISODateWithMs);
    m.sizeBytes = o.value(QStringLiteral("size_bytes")).toInteger(-1);
    m.sha256 = o.value(QStringLiteral("sha256")).toString();
    if (m.kind.isEmpty() || m.file.isEmpty() || !at.isValid() || m.sha256.size() != 64 || m.sizeBytes < 0) {
        *error = QStringLiteral("not an OpsDeck backup manifest (needs kind, file, taken_at, size_bytes and sha256)");
        return std::nullopt;
    }
    m.takenAtMs = at.toMSecsSinceEpoch();
    if (o.value(QStringLiteral("tables")).isObject()) {
        QMap<QString, qint64> t;
        const QJsonObject tables = o.value(QStringLiteral("tables")).toObject();
        for (auto it = tables.begin(); it != tables.end(); ++it)
            t.insert(it.key(), it.value().toInteger(-1));
        m.tables = t;
    }
    if (o.contains(QStringLiteral("files")))
        m.fileCount = o.value(QStringLiteral("files")).toInteger(-1);
    m.snapshot = o.value(QStringLiteral("snapshot")).toBool();
    m.reason = o.value(QStringLiteral("reason")).toString();
    return m;
}

QString BackupManifest::pathFor(const QString &backupFile)
{
    return backupFile + QStringLiteral(".manifest.json");
}

bool BackupManifest::write(const QString &backupFile, QString *error) const
{
    QSaveFile f(pathFor(backupFile));
    if (!f.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString());
        return false;
    }
    f.write(QJsonDocument(toJson()).toJson(QJsonDocument::Indented));
    if (!f.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(f.fileName(), f.errorString());
        return false;
    }
    return true;
}

std::optional<BackupManifest> BackupManifest::read(const QString &backupFile, QString *error)
{
    QFile f(pathFor(backupFile));
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("no manifest %1: %2").arg(f.fileName(), f.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &parseError);
    if (!doc.isObject()) {
        *error = QStringLiteral("%1 is not JSON: %2").arg(f.fileName(), parseError.errorString());
        return std::nullopt;
    }
    QString why;
    auto m = fromJson(doc.object(), &why);
    if (!m)
        *error = QStringLiteral("%1: %2").arg(f.fileName(), why);
    return m;
}

QString BackupFiles::stamp(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
}

std::optional<qint64> BackupFiles::stampIn(const QString &fileName)
{
    static const QRegularExpression re(QStringLiteral("-(\\d{8}T\\d{6}Z)(?:-\\d+)?\\."));
    QRegularExpressionMatch last;
    auto it = re.globalMatch(fileName);
    while (it.hasNext())
        last = it.next();
    if (!last.hasMatch())
        return std::nullopt;
    QDateTime t = QDateTime::fromString(last.captured(1), QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    if (!t.isValid())
        return std::nullopt;
    t.setTimeZone(QTimeZone::utc());
    return t.toMSecsSinceEpoch();
}

QString BackupFiles::extensionFor(BuiltinKind kind)
{
    switch (kind) {
    case BuiltinKind::SqliteBackup:
    case BuiltinKind::Restore: return QStringLiteral(".sqlite");
    case BuiltinKind::PgDump:
    case BuiltinKind::PgRestore: return QStringLiteral(".dump");
    case BuiltinKind::TarArchive: return QStringLiteral(".tar.gz");
    case BuiltinKind::Prune:
    case BuiltinKind::RotateSecret: break;
    }
    return {};
}

QString BackupFiles::freeName(const QString &dir, const QString &prefix, qint64 ms, const QString &ext)
{
    const QString base = prefix + u'-' + stamp(ms);
    QString name = base + ext;
    for (int n = 2; QFileInfo::exists(QDir(dir).filePath(name)); ++n)
        name = base + u'-' + QString::number(n) + ext;
    return name;
}

bool BackupFiles::isManifest(const QString &fileName)
{
    return fileName.endsWith(QStringLiteral(".manifest.json"));
}

bool BackupFiles::isSnapshot(const QString &fileName)
{
    return fileName.startsWith(QLatin1String(kSnapshotPrefix));
}

std::optional<QString> BackupFiles::sha256(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&f)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    return QString::fromLatin1(hash.result().toHex());
}

bool BackupFiles::publish(const QString &tempPath, const QString &finalPath, BackupManifest manifest, QString *error)
{
    const auto digest = sha256(tempPath, error);
    if (!digest) {
        QFile::remove(tempPath);
        return false;
    }
    manifest.sha256 = *digest;
    manifest.sizeBytes = QFileInfo(tempPath).size();
    manifest.file = QFileInfo(finalPath).fileName();
    if (!manifest.write(finalPath, error)) {
        QFile::remove(tempPath);
        return false;
    }
    if (!QFile::rename(tempPath, finalPath)) {
        *error = QStringLiteral("cannot rename %1 to %2").arg(tempPath, finalPath);
        QFile::remove(BackupManifest::pathFor(finalPath));
        QFile::remove(tempPath);
        return false;
    }
    return true;
}

QStringList BackupFiles::countDifferences(const QMap<QString, qint64> &expected, const QMap<QString, qint64> &actual)
{
    QStringList out;
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        if (!actual.contains(it.key()))
            out << QStringLiteral("%1: missing").arg(it.key());
        else if (actual.value(it.key()) != it.value())
            out << QStringLiteral("%1: %2 rows, expected %3").arg(it.key()).arg(actual.value(it.key())).arg(it.value());
    }
    for (auto it = actual.cbegin(); it != actual.cend(); ++it)
        if (!expected.contains(it.key()))
            out << QStringLiteral("%1: not in the manifest").arg(it.key());
    return out;
}
