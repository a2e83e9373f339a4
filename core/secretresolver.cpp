#include "secretresolver.h"

#include "clock.h"
#include "logging.h"

#include <QStringBuilder>

#include <algorithm>

using namespace std::chrono_literals;

namespace {

const QLatin1String kOpen("${secret:");
constexpr qsizetype kQuoteLimit = 48;

struct Reference
{
    qsizetype start = 0; // index of "$"
    qsizetype end = 0;   // one past "}" (or the end of the text when unclosed)
    QStringView name;
    std::optional<QString> error;
};

QString quoted(QStringView text)
{
    if (text.size() <= kQuoteLimit)
        return text.toString();
    return text.left(kQuoteLimit).toString() + QStringLiteral("…");
}

QList<Reference> scan(QStringView text)
{
    QList<Reference> refs;
    qsizetype from = 0;
    while (true) {
        const qsizetype start = text.indexOf(kOpen, from);
        if (start < 0)
            break;
        Reference ref;
        ref.start = start;
        const qsizetype nameStart = start + kOpen.size();
        const qsizetype close = text.indexOf(u'}', nameStart);
        const qsizetype column = start + 1;
        if (close < 0) {
            ref.end = text.size();
            ref.name = text.mid(nameStart);
            ref.error = QStringLiteral("unclosed secret reference `%1` at character %2 — expected "
                                       "`${secret:NAME}`")
                            .arg(quoted(text.mid(start)))
                            .arg(column);
            refs << ref;
            break;
        }
        ref.end = close + 1;
        ref.name = text.mid(nameStart, close - nameStart);
        const QString whole = quoted(text.mid(start, ref.end - start));
        if (ref.name.isEmpty()) {
            ref.error = QStringLiteral("empty secret name in `%1` at character %2 — expected "
                                       "`${secret:NAME}`")
                            .arg(whole)
                            .arg(column);
        } else if (!SecretStore::isValidName(ref.name)) {
            ref.error = QStringLiteral("invalid secret name in `%1` at character %2 — names may "
                                       "contain only ASCII letters, digits, `.`, `_` and `-`")
                            .arg(whole)
                            .arg(column);
        }
        refs << ref;
        from = ref.end;
    }
    return refs;
}

QString expand(QStringView text, const QHash<QString, QString> &values)
{
    const QList<Reference> refs = scan(text);
    if (refs.isEmpty())
        return text.toString();
    QString out;
    qsizetype at = 0;
    for (const Reference &ref : refs) {
        out += text.mid(at, ref.start - at);
        out += values.value(ref.name.toString());
        at = ref.end;
    }
    out += text.mid(at);
    return out;
}

} // namespace

struct SecretResolver::Request
{
    QStringList texts;
    QPointer<QObject> context;
    bool hasContext = false;
    Callback done;
    QHash<QString, QString> values;
    QList<Failure> failures;
    int outstanding = 0;
    bool finished = false;
};

QString SecretResolver::Resolution::errorString() const
{
    QStringList messages;
    for (const Failure &failure : failures)
        messages << failure.message;
    return messages.join(QStringLiteral("; "));
}

QString SecretResolver::Resolution::redact(QStringView text) const
{
    QString out = text.toString();
    QStringList values = m_values;
    // Longest first, so that a value containing another one is replaced whole.
    std::sort(values.begin(), values.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &value : std::as_const(values)) {
        if (value.size() >= 4)
            out.replace(value, QStringLiteral("••••••"));
    }
    return out;
}

QString SecretResolver::maskFor(const QString &name)
{
    return QStringLiteral("«secret:%1»").arg(name);
}

SecretResolver::SecretResolver(SecretStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_clock(SystemClock::instance())
{
    Q_ASSERT(store);
    if (store) {
        connect(store, &SecretStore::secretChanged, this, &SecretResolver::invalidate);
        connect(store, &QObject::destroyed, this, [this] {
            failAllInFlight(QStringLiteral("the secret store was closed"));
        });
    }
}

SecretResolver::~SecretResolver() = default;

void SecretResolver::setCacheTtl(std::chrono::milliseconds ttl)
{
    m_ttl = std::max(ttl, 0ms);
}

void SecretResolver::setFailureTtl(std::chrono::milliseconds ttl)
{
    m_failureTtl = std::max(ttl, 0ms);
}

void SecretResolver::setClock(const Clock *clock)
{
    m_clock = clock ? clock : SystemClock::instance();
}

// TTLs apply to entries already cached too, so that lowering them takes effect at once.
bool SecretResolver::isFresh(const CacheEntry &entry, qint64 now) const
{
    const bool longLived = entry.status == SecretStore::Status::Ok
        || entry.status == SecretStore::Status::NotSet;
    return now - entry.fetchedAtMs < (longLived ? m_ttl : m_failureTtl).count();
}

qint64 SecretResolver::nowMs() const
{
    return m_clock->nowMs();
}

void SecretResolver::invalidate(const QString &name)
{
    m_cache.remove(name);
    ++m_generation[name]; // an answer already on its way is handed out but not cached
}

void SecretResolver::invalidateAll()
{
    m_cache.clear();
    for (auto it = m_inFlight.cbegin(); it != m_inFlight.cend(); ++it)
        ++m_generation[it.key()];
}

void SecretResolver::resolve(const QStringList &texts, QObject *context, Callback done)
{
    auto request = std::make_shared<Request>();
    request->texts = texts;
    request->context = context;
    request->hasContext = context != nullptr;
    request->done = std::move(done);

    QStringList needed;
    QStringList malformed;
    for (const QString &text : texts) {
        for (const Reference &ref : scan(text)) {
            if (ref.error) {
                if (!malformed.contains(*ref.error))
                    malformed << *ref.error;
            } else if (const QString name = ref.name.toString(); !needed.contains(name)) {
                needed << name;
            }
        }
    }
    for (const QString &message : std::as_const(malformed))
        request->failures << Failure{QString(), SecretStore::Status::InvalidName, message};

    const qint64 now = nowMs();
    for (const QString &name : std::as_const(needed)) {
        const auto cached = m_cache.constFind(name);
        if (cached != m_cache.cend() && isFresh(*cached, now)) {
            apply(*request, name, *cached);
            continue;
        }
        ++request->outstanding;
        auto &waiting = m_inFlight[name];
        waiting << request;
        if (waiting.size() == 1)
            fetch(name);
    }

    if (request->outstanding == 0) {
        QMetaObject::invokeMethod(this, [this, request] { finish(request); }, Qt::QueuedConnection);
    }
}

void SecretResolver::fetch(const QString &name)
{
    if (!m_store) {
        failAllInFlight(QStringLiteral("the secret store was closed"));
        return;
    }
    const quint64 generation = m_generation.value(name);
    m_store->read(name, this, [this, name, generation](const SecretStore::Result &result) {
        onRead(name, generation, result);
    });
}

void SecretResolver::onRead(const QString &name, quint64 generation, const SecretStore::Result &result)
{
    CacheEntry entry;
    entry.status = result.status;
    if (result.ok()) {
        entry.value = result.value;
    } else if (result.status == SecretStore::Status::Timeout) {
        entry.message = QStringLiteral("cannot read secret `%1`: %2").arg(name, result.message);
    } else {
        entry.message = result.message; // already names the secret and what to do
    }
    entry.fetchedAtMs = nowMs();
    if (m_generation.value(name) == generation)
        m_cache.insert(name, entry);

    const QList<std::shared_ptr<Request>> waiting = m_inFlight.take(name);
    for (const auto &request : waiting) {
        apply(*request, name, entry);
        if (--request->outstanding == 0)
            finish(request);
    }
}

void SecretResolver::apply(Request &request, const QString &name, const CacheEntry &entry) const
{
    if (entry.status == SecretStore::Status::Ok)
        request.values.insert(name, entry.value);
    else
        request.failures << Failure{name, entry.status, entry.message};
}

void SecretResolver::finish(const std::shared_ptr<Request> &request)
{
    if (request->finished)
        return;
    request->finished = true;
    if (request->hasContext && !request->context)
        return;

    Resolution resolution;
    // Malformed references (no name) first, then by name, so that messages are stable.
    std::stable_sort(request->failures.begin(), request->failures.end(),
                     [](const Failure &a, const Failure &b) { return a.name < b.name; });
    resolution.failures = request->failures;
    if (resolution.failures.isEmpty()) {
        for (const QString &text : std::as_const(request->texts))
            resolution.texts << expand(text, request->values);
        resolution.m_values = request->values.values();
    } else {
        // Debug only: with failures cached, this would repeat at every check; the store has
        // already logged the keychain's answer once.
        qCDebug(lcSecrets).noquote() << "cannot resolve secrets:" << resolution.errorString();
    }
    Callback done = std::exchange(request->done, Callback());
    if (done)
        done(resolution);
}

void SecretResolver::failAllInFlight(const QString &message)
{
    const auto inFlight = std::exchange(m_inFlight, {});
    for (auto it = inFlight.cbegin(); it != inFlight.cend(); ++it) {
        CacheEntry entry;
        entry.status = SecretStore::Status::Failed;
        entry.message = QStringLiteral("cannot read secret `%1`: %2").arg(it.key(), message);
        for (const auto &request : it.value()) {
            apply(*request, it.key(), entry);
            if (--request->outstanding == 0)
                finish(request);
        }
    }
}

QStringList SecretResolver::references(QStringView text)
{
    QStringList names;
    for (const Reference &ref : scan(text)) {
        if (!ref.error) {
            const QString name = ref.name.toString();
            if (!names.contains(name))
                names << name;
        }
    }
    return names;
}

bool SecretResolver::hasReferences(QStringView text)
{
    return text.contains(kOpen);
}

std::optional<QString> SecretResolver::validateReferences(QStringView text)
{
    for (const Reference &ref : scan(text)) {
        if (ref.error)
            return ref.error;
    }
    return std::nullopt;
}

QString SecretResolver::masked(QStringView text)
{
    const QList<Reference> refs = scan(text);
    QString out;
    qsizetype at = 0;
    for (const Reference &ref : refs) {
        if (ref.error)
            continue; // left as written; it holds no value
        out += text.mid(at, ref.start - at);
        out += maskFor(ref.name.toString());
        at = ref.end;
    }
    out += text.mid(at);
    return out;
}
