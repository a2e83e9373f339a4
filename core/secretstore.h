#pragma once

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

// Secrets in the OS keychain (Secret Service on Linux, through QtKeychain).
//
// Values live only in the keychain: this class never logs a value, never writes one to disk and
// never puts one into a message. Because QtKeychain cannot list entries, the store keeps a small
// index of the *names* it has written (JSON, written atomically with QSaveFile) under the
// application's data directory, so that the GUI and `opsdeckctl secret list` can show them.
//
// Every keychain call has a timeout (5 s by default): a Secret Service that is missing, locked
// behind an invisible prompt or otherwise stuck would otherwise leave a QtKeychain job waiting
// forever. When the timeout passes the call completes with Status::Timeout; the job is left to
// finish on its own (QtKeychain's libsecret callbacks hold a raw pointer to the job, so deleting
// it early would be a use-after-free) and its late answer is ignored, apart from keeping the
// names index in step with what the keychain really did.
//
// Note: QtKeychain runs one job at a time, process-wide. While a stuck job is pending, later
// calls queue behind it and time out as well until the stuck one is answered. To keep that queue
// bounded, a read of a name joins a read job for the same name that is still pending (even one
// that has timed out for its first caller) unless a write or remove of that name was started
// since; each caller keeps its own timeout.
//
// All asynchronous callbacks run on this object's thread, from the event loop, never inside the
// call that started them, and exactly once, unless the store or the given context object has
// been destroyed first.
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    enum class Status {
        Ok,
        NotSet,       // the keychain has no entry for this name (QKeychain::EntryNotFound)
        InvalidName,  // the name is not [A-Za-z0-9._-]+
        Timeout,      // the keychain did not answer within timeout()
        NoBackend,    // no Secret Service is reachable (no session bus, nothing provides it)
        AccessDenied, // the keyring is locked or access was refused
        Failed,       // anything else the keychain reported
    };
    Q_ENUM(Status)

    enum class Operation { Read, Write, Remove };
    Q_ENUM(Operation)

    struct Result
    {
        Status status = Status::Ok;
        QString name;
        QString message; // for people: says what went wrong and what to do; never holds a value
        QString value;   // the secret, for a successful read only
        bool ok() const noexcept { return status == Status::Ok; }
    };
    using Callback = std::function<void(const Result &)>;

    static constexpr std::chrono::milliseconds kDefaultTimeout{5000};
    static QString defaultServiceName(); // "opsdeck"

    explicit SecretStore(QObject *parent = nullptr);
    // `serviceName` is the keychain service (the Secret Service "server" attribute); tests use
    // their own so that they never touch an operator's secrets. It must be a valid name too.
    explicit SecretStore(const QString &serviceName, QObject *parent = nullptr);
    ~SecretStore() override;

    QString serviceName() const { return m_service; }

    std::chrono::milliseconds timeout() const { return m_timeout; }
    void setTimeout(std::chrono::milliseconds timeout);

    // Asynchronous API, for the GUI. `context` (optional) guards the callback like the context
    // of QObject::connect: if it is destroyed first, the callback is dropped.
    void read(const QString &name, QObject *context, Callback done);
    void write(const QString &name, const QString &value, QObject *context, Callback done);
    void remove(const QString &name, QObject *context, Callback done);
    void read(const QString &name, Callback done) { read(name, nullptr, std::move(done)); }
    void write(const QString &name, const QString &value, Callback done) { write(name, value, nullptr, std::move(done)); }
    void remove(const QString &name, Callback done) { remove(name, nullptr, std::move(done)); }

    // Blocking wrappers for the CLI: run a local QEventLoop until the call completes (at the
    // latest after timeout()). Need a QCoreApplication; do not use them on the GUI thread.
    Result readBlocking(const QString &name);
    Result writeBlocking(const QString &name, const QString &value);
    Result removeBlocking(const QString &name);

    // Names of the secrets known to be set, sorted; read from the index file each time, so that
    // changes made by another process (opsdeckctl) show up.
    QStringList names() const;
    QString indexFilePath() const { return m_indexPath; }

    // Keychain jobs started by this store so far, and those still waiting for an answer
    // (including ones that timed out and have not answered yet).
    quint64 keychainCallCount() const noexcept { return m_callCount; }
    int pendingKeychainCalls() const noexcept { return m_pendingJobs; }

    static bool isValidName(QStringView name);
    // nullopt when valid, else an error message naming the offending text.
    static std::optional<QString> validateName(QStringView name);
    static QString notSetMessage(const QString &name);
    static QString timeoutMessage(std::chrono::milliseconds timeout);

signals:
    void keychainCallStarted(SecretStore::Operation operation, const QString &name);
    // A write or remove through this store changed the keychain (also when the answer came late).
    void secretChanged(const QString &name);
    void namesChanged();
    // The keychain answered a call after it had already timed out; the answer was dropped.
    void lateAnswerIgnored(SecretStore::Operation operation, const QString &name);

private:
    struct Call;
    struct JobState;
    void start(Operation operation, const QString &name, const QString &value, QObject *context,
               Callback done);
    void armTimeout(const std::shared_ptr<Call> &call);
    void complete(const std::shared_ptr<Call> &call, Result result);
    void jobAnswered(const std::shared_ptr<JobState> &state, int error, const QString &errorString,
                     const QString &value);
    void deliverLater(const std::shared_ptr<Call> &call, Result result);
    Result runBlocking(const std::function<void(QObject *, Callback)> &start);
    Result failure(Status status, const QString &name, const QString &message) const;
    Result fromKeychainError(Operation operation, const QString &name, int error,
                             const QString &errorString) const;

    QStringList loadIndex() const;
    void updateIndex(const QString &name, bool present);

    QString m_service;
    QString m_indexPath;
    std::chrono::milliseconds m_timeout = kDefaultTimeout;
    quint64 m_callCount = 0;
    int m_pendingJobs = 0;
    QHash<QString, std::shared_ptr<JobState>> m_openReads; // name → read job callers may join
};
