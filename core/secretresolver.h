#pragma once

#include "secretstore.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class Clock;

// Expands `${secret:NAME}` references (in URLs, headers, bodies, connection strings) with values
// from a SecretStore, asynchronously.
//
// Values are cached in memory only, for cacheTtl() (60 s by default), so that a check running
// every second does not call the keychain every second; failures are cached for the shorter
// failureTtl() (10 s) so that a missing or stuck keychain is not hammered either. Concurrent
// requests for the same name share one keychain call. A write or remove through the store
// invalidates that name at once; changes made by another process are seen after the TTL.
//
// Grammar: a reference starts with `${secret:` and ends at the next `}`; the name between them
// must be [A-Za-z0-9._-]+. Text without `${secret:` is left alone.
class SecretResolver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretResolver)

public:
    struct Failure
    {
        QString name; // empty for a malformed reference
        SecretStore::Status status = SecretStore::Status::Failed;
        QString message; // names the secret and says what to do; never holds a value
    };

    class Resolution
    {
    public:
        bool ok() const noexcept { return failures.isEmpty(); }
        // All failure messages, one per secret, joined with "; ".
        QString errorString() const;
        // `text` with every value resolved here replaced by "••••••" (for error texts and logs
        // that might echo a resolved URL or header). Values shorter than 4 characters are left,
        // they would match everywhere.
        QString redact(QStringView text) const;

        QStringList texts;      // the input, expanded, same order; empty unless ok()
        QList<Failure> failures; // sorted by name, malformed references first

    private:
        friend class SecretResolver;
        QStringList m_values;
    };
    using Callback = std::function<void(const Resolution &)>;

    static constexpr std::chrono::milliseconds kDefaultCacheTtl{60'000};
    static constexpr std::chrono::milliseconds kDefaultFailureTtl{10'000};
    static QString maskFor(const QString &name); // "«secret:NAME»"

    explicit SecretResolver(SecretStore *store, QObject *parent = nullptr);
    ~SecretResolver() override;

    SecretStore *store() const { return m_store; }

    std::chrono::milliseconds cacheTtl() const { return m_ttl; }
    void setCacheTtl(std::chrono::milliseconds ttl);
    std::chrono::milliseconds failureTtl() const { return m_failureTtl; }
    void setFailureTtl(std::chrono::milliseconds ttl);
    // Time source for the TTLs; SystemClock by default. Not owned; must outlive the resolver.
    void setClock(const Clock *clock);

    // Expands all references in `texts`; `done` runs from the event loop (also when everything
    // was cached), unless `context` (when given) or the resolver is destroyed first.
    void resolve(const QStringList &texts, QObject *context, Callback done);
    void resolve(const QStringList &texts, Callback done) { resolve(texts, nullptr, std::move(done)); }

    // Forget the cached value (or failure) of `name`, or of every name.
    void invalidate(const QString &name);
    void invalidateAll();

    // Names referenced by well-formed references, in order of first appearance, without repeats.
    static QStringList references(QStringView text);
    // True when `text` contains `${secret:` at all (well-formed or not).
    static bool hasReferences(QStringView text);
    // nullopt when every reference is well-formed; else an error for the first malformed one
    // (`${secret:}`, `${secret:bad name}`, an unclosed `${secret:`) quoting the offending text.
    static std::optional<QString> validateReferences(QStringView text);
    // For previews: each well-formed reference replaced by «secret:NAME»; no value is involved.
    static QString masked(QStringView text);

private:
    struct Request;
    struct CacheEntry
    {
        SecretStore::Status status = SecretStore::Status::Ok;
        QString value;
        QString message;
        qint64 fetchedAtMs = 0;
    };
    bool isFresh(const CacheEntry &entry, qint64 now) const;
    void fetch(const QString &name);
    void onRead(const QString &name, quint64 generation, const SecretStore::Result &result);
    void apply(Request &request, const QString &name, const CacheEntry &entry) const;
    void finish(const std::shared_ptr<Request> &request);
    void failAllInFlight(const QString &message);
    qint64 nowMs() const;

    QPointer<SecretStore> m_store;
    const Clock *m_clock = nullptr;
    std::chrono::milliseconds m_ttl = kDefaultCacheTtl;
    std::chrono::milliseconds m_failureTtl = kDefaultFailureTtl;
    QHash<QString, CacheEntry> m_cache;
    QHash<QString, QList<std::shared_ptr<Request>>> m_inFlight;
    QHash<QString, quint64> m_generation;
};
