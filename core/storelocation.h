#pragma once

#include <QString>
#include <optional>

// Where history lives, as given by the `store:` config value:
//   sqlite                               the per-user default file (defaultSqlitePath())
//   sqlite:/path/file.sqlite             an explicit SQLite file (also sqlite:///path)
//   /path/file.sqlite, ./h.sqlite, ~/h.db  a bare file path
//   postgresql://user@host:port/db       a shared PostgreSQL database (postgres:// too), also
//   postgresql://user:${secret:NAME}@host:port/db   with the password from the keychain
struct StoreLocation
{
    enum class Kind { Sqlite, PostgreSql };

    Kind kind = Kind::Sqlite;
    QString path; // Sqlite: absolute, cleaned file path

    // PostgreSql. The password is only here when the config spelled it in the URL, normally as a
    // `${secret:NAME}` reference, which parse() keeps verbatim: the caller expands it from the
    // keychain before HistoryStore::open(). It never appears in displayString().
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString database;
    QString connectOptions; // URL query items as QPSQL connect options, "k=v;k=v"

    // Relative paths are resolved against baseDir (the config file's folder), or the current
    // directory when baseDir is empty. On failure returns nullopt and says what was expected.
    static std::optional<StoreLocation> parse(const QString &value, QString *error,
                                              const QString &baseDir = {});
    static StoreLocation sqliteFile(const QString &path);
    static QString defaultSqlitePath();

    bool isSqlite() const { return kind == Kind::Sqlite; }
    QString displayString() const; // for logs and error messages

    friend bool operator==(const StoreLocation &, const StoreLocation &) = default;
};
