#include "storelocation.h"

#include <QCoreApplication>
#include <QDir>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrl>
#include <QUrlQuery>

namespace {

QString expected()
{
    return QStringLiteral("expected `sqlite`, `sqlite:/path/file.sqlite`, a file path, "
                          "or `postgresql://user@host:port/db`");
}

void setError(QString *error, const QString &message)
{
    if (error)
        *error = message;
}

std::optional<StoreLocation> sqlitePath(QString path, const QString &baseDir, const QString &original,
                                        QString *error)
{
    if (path.isEmpty()) {
        setError(error, QStringLiteral("store `%1`: expected a file path after `sqlite:`").arg(original));
        return std::nullopt;
    }
    if (path.endsWith(u'/') || path == u"~" || path == u"." || path == u"..") {
        setError(error, QStringLiteral("store `%1` names a directory; expected a file such as `%2`")
                            .arg(original, QDir(path).filePath(QStringLiteral("history.sqlite"))));
        return std::nullopt;
    }
    // Config files are written by people, who write ~ for home; nothing else would expand it.
    if (path.startsWith(QLatin1String("~/")))
        path = QDir::homePath() + path.mid(1);
    if (QDir::isRelativePath(path))
        path = QDir(baseDir.isEmpty() ? QDir::currentPath() : baseDir).absoluteFilePath(path);
    return StoreLocation::sqliteFile(QDir::cleanPath(path));
}

std::optional<StoreLocation> postgres(const QString &value, QString *error)
{
    const QString shape = QStringLiteral("expected `postgresql://user@host:port/db`");
    // A password written as a secret reference (postgresql://ops:${secret:pg}@db/opsdeck) is kept
    // verbatim for the caller to expand; `{`, `}` and the inner `:` are no URL's business, so the
    // URL is parsed with a stand-in.
    static const QRegularExpression secretRe(QStringLiteral("^([^:/?#]+://[^:@/?#]*:)(\\$\\{secret:[^}]*\\})@"));
    const auto secret = secretRe.match(value);
    const QString parsed = secret.hasMatch()
                               ? secret.captured(1) + QStringLiteral("secret@") + value.mid(secret.capturedEnd(0))
                               : value;
    // The raw value may carry a password, so messages below quote only the parts that are wrong.
    const QUrl url(parsed, QUrl::StrictMode);
    if (!url.isValid()) {
        setError(error, QStringLiteral("store: not a valid PostgreSQL URL; %1").arg(shape));
        return std::nullopt;
    }
    StoreLocation loc;
    loc.kind = StoreLocation::Kind::PostgreSql;
    loc.host = url.host();
    loc.port = url.port(5432);
    loc.user = url.userName();
    loc.password = secret.hasMatch() ? secret.captured(2) : url.password();
    loc.database = url.path().mid(1);
    if (loc.host.isEmpty()) {
        setError(error, QStringLiteral("store: the PostgreSQL URL has no host; %1").arg(shape));
        return std::nullopt;
    }
    if (loc.port <= 0 || loc.port > 65535) {
        setError(error, QStringLiteral("store: PostgreSQL port %1 is out of range; %2").arg(loc.port).arg(shape));
        return std::nullopt;
    }
    if (loc.database.isEmpty() || loc.database.contains(u'/')) {
        setError(error, QStringLiteral("store: expected one database name after the host in the PostgreSQL "
                                       "URL; %1").arg(shape));
        return std::nullopt;
    }
    if (url.hasFragment()) {
        setError(error, QStringLiteral("store: a PostgreSQL URL has no `#` part; %1").arg(shape));
        return std::nullopt;
    }
    QStringList options;
    const auto items = QUrlQuery(url).queryItems(QUrl::FullyDecoded);
    for (const auto &[key, val] : items)
        options << key + u'=' + val;
    loc.connectOptions = options.join(u';');
    return loc;
}

} // namespace

std::optional<StoreLocation> StoreLocation::parse(const QString &value, QString *error, const QString &baseDir)
{
    const QString v = value.trimmed();
    if (v.isEmpty() || v.compare(QLatin1String("sqlite"), Qt::CaseInsensitive) == 0)
        return sqliteFile(defaultSqlitePath());

    // A one-letter "scheme" is a Windows drive (C:/…), which is a path.
    static const QRegularExpression schemeRe(QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]+):(.*)$"),
                                             QRegularExpression::DotMatchesEverythingOption);
    const auto m = schemeRe.match(v);
    if (m.hasMatch()) {
        const QString scheme = m.captured(1).toLower();
        QString rest = m.captured(2);
        if (scheme == u"sqlite") {
            if (rest.startsWith(QLatin1String("//"))) {
                // URL spelling: sqlite:///abs/path has an empty authority; anything else there
                // would be a host, which a local file cannot have.
                if (!rest.startsWith(QLatin1String("///"))) {
                    setError(error, QStringLiteral("store `%1`: expected `sqlite:///absolute/path` (three "
                                                   "slashes) or `sqlite:/path/file.sqlite`").arg(v));
                    return std::nullopt;
                }
                rest = rest.mid(2);
            }
            return sqlitePath(rest, baseDir, v, error);
        }
        if (scheme == u"postgresql" || scheme == u"postgres")
            return postgres(v, error);
        setError(error, QStringLiteral("store: unsupported kind `%1:`; %2").arg(m.captured(1), expected()));
        return std::nullopt;
    }

    // A bare word such as "sqlit" or "postgres" is far more likely a typo than a file name, so a
    // bare path must look like one.
    if (!v.contains(u'/') && !v.contains(u'\\') && !v.contains(u'.') && !v.startsWith(u'~')) {
        setError(error, QStringLiteral("store `%1` is not a known store or a file path; %2").arg(v, expected()));
        return std::nullopt;
    }
    return sqlitePath(v, baseDir, v, error);
}

StoreLocation StoreLocation::sqliteFile(const QString &path)
{
    StoreLocation loc;
    loc.kind = Kind::Sqlite;
    loc.path = path;
    return loc;
}

QString StoreLocation::defaultSqlitePath()
{
    // Without an application name Qt's AppDataLocation collapses to the generic data folder
    // itself (~/.local/share), where a bare history.sqlite would be anyone's file.
    QString dir;
    if (!QCoreApplication::applicationName().isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty()) {
        dir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
        if (dir.isEmpty())
            dir = QDir::homePath() + QLatin1String("/.local/share");
        dir += QLatin1String("/opsdeck");
    }
    return QDir::cleanPath(dir + QLatin1String("/history.sqlite"));
}

QString StoreLocation::displayString() const
{
    if (kind == Kind::Sqlite)
        return QStringLiteral("sqlite:") + path;
    QString out = QStringLiteral("postgresql://");
    if (!user.isEmpty())
        out += user + u'@';
    out += (host.contains(u':') ? u'[' + host + u']' : host) + u':' + QString::number(port) + u'/' + database;
    return out;
}
