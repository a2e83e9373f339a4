#include "secretstore.h"

#include "logging.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>

#include <utility>

using namespace std::chrono_literals;

namespace {

constexpr qsizetype kMaxNameLength = 128;

bool isNameChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
        || u == u'.' || u == u'_' || u == u'-';
}

QString verb(SecretStore::Operation operation)
{
    switch (operation) {
    case SecretStore::Operation::Read:
        return QStringLiteral("reading");
    case SecretStore::Operation::Write:
        return QStringLiteral("storing");
    case SecretStore::Operation::Remove:
        return QStringLiteral("removing");
    }
    return QStringLiteral("using");
}

// QtKeychain's libsecret backend reports D-Bus trouble as OtherError with GLib's message, e.g.
// "The name org.freedesktop.secrets was not provided by any .service files" or "Cannot autolaunch
// D-Bus without X11 $DISPLAY". Those mean: there is no Secret Service to talk to.
bool looksLikeNoBackend(const QString &errorString)
{
    static const char *const markers[] = {
        "org.freedesktop.secrets", "not provided by any", "serviceunknown", "autolaunch",
        "could not connect", "d-bus is not running", "no keychain service", "no such file or directory",
        "connection refused", "dbus_session_bus_address",
    };
    const QString lower = errorString.toLower();
    for (const char *marker : markers) {
        if (lower.contains(QLatin1String(marker)))
            return true;
    }
    return false;
}

QString sanitizedService(const QString &service)
{
    if (SecretStore::isValidName(service))
        return service;
    QString clean;
    for (QChar c : service)
        clean += isNameChar(c) ? c : QChar(u'_');
    if (clean.isEmpty())
        clean = SecretStore::defaultServiceName();
    qCWarning(lcSecrets).nospace() << "keychain service name " << service << " is not valid; using "
                                   << clean;
    return clean;
}

QString indexDirectory()
{
    if (QCoreApplication::applicationName().isEmpty())
        return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
            + QStringLiteral("/opsdeck");
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

} // namespace

struct SecretStore::Call
{
    Operation operation = Operation::Read;
    QString name;
    QPointer<QObject> context;
    bool hasContext = false;
    Callback done;
    QPointer<QTimer> timer;
    bool completed = false; // a result (answer or timeout) has been handed out
};

// One QtKeychain job and the calls waiting for its answer (several only for reads).
struct SecretStore::JobState
{
    Operation operation = Operation::Read;
    QString name;
    QList<std::shared_ptr<Call>> calls;
};

QString SecretStore::defaultServiceName()
{
    return QStringLiteral("opsdeck");
}

SecretStore::SecretStore(QObject *parent)
    : SecretStore(defaultServiceName(), parent)
{
}

SecretStore::SecretStore(const QString &serviceName, QObject *parent)
    : QObject(parent)
    , m_service(sanitizedService(serviceName))
    , m_indexPath(indexDirectory() + QStringLiteral("/secret-names-") + m_service
                  + QStringLiteral(".json"))
{
}

// Pending callbacks are dropped. Jobs still running are not deleted (see the header); their
// finished() connections to this object go away with it.
SecretStore::~SecretStore() = default;

void SecretStore::setTimeout(std::chrono::milliseconds timeout)
{
    m_timeout = std::max(timeout, 1ms);
}

bool SecretStore::isValidName(QStringView name)
{
    return !validateName(name).has_value();
}

std::optional<QString> SecretStore::validateName(QStringView name)
{
    static const QString rule =
        QStringLiteral("names may contain only ASCII letters, digits, `.`, `_` and `-`");
    if (name.isEmpty())
        return QStringLiteral("secret name is empty — %1").arg(rule);
    if (name.size() > kMaxNameLength)
        return QStringLiteral("secret name `%1…` is too long (%2 characters, at most %3)")
            .arg(name.left(32).toString())
            .arg(name.size())
            .arg(kMaxNameLength);
    for (qsizetype i = 0; i < name.size(); ++i) {
        if (!isNameChar(name[i]))
            return QStringLiteral("invalid secret name `%1`: `%2` at position %3 is not allowed — %4")
                .arg(name.toString(), QString(name[i]))
                .arg(i + 1)
                .arg(rule);
    }
    return std::nullopt;
}

QString SecretStore::notSetMessage(const QString &name)
{
    return QStringLiteral("secret `%1` is not set — set it with `opsdeckctl secret set %1`").arg(name);
}

QString SecretStore::timeoutMessage(std::chrono::milliseconds timeout)
{
    QString amount;
    if (timeout.count() % 1000 == 0)
        amount = QString::number(timeout.count() / 1000) + QStringLiteral(" s");
    else if (timeout < 1s)
        amount = QString::number(timeout.count()) + QStringLiteral(" ms");
    else
        amount = QString::number(double(timeout.count()) / 1000.0, 'f', 1) + QStringLiteral(" s");
    return QStringLiteral("keychain not answering after %1 — is a Secret Service (e.g. gnome-keyring) "
                          "running and unlocked?")
        .arg(amount);
}

void SecretStore::read(const QString &name, QObject *context, Callback done)
{
    start(Operation::Read, name, QString(), context, std::move(done));
}

void SecretStore::write(const QString &name, const QString &value, QObject *context, Callback done)
{
    start(Operation::Write, name, value, context, std::move(done));
}

void SecretStore::remove(const QString &name, QObject *context, Callback done)
{
    start(Operation::Remove, name, QString(), context, std::move(done));
}

void SecretStore::start(Operation operation, const QString &name, const QString &value,
                        QObject *context, Callback done)
{
    auto call = std::make_shared<Call>();
    call->operation = operation;
    call->name = name;
    call->context = context;
    call->hasContext = context != nullptr;
    call->done = std::move(done);

    if (const auto error = validateName(name)) {
        complete(call, failure(Status::InvalidName, name, *error));
        return;
    }

    if (operation == Operation::Read) {
        if (const auto open = m_openReads.value(name)) {
            qCDebug(lcSecrets).nospace().noquote() << "reading secret " << name << " (joins a pending read)";
            open->calls << call;
            armTimeout(call);
            return;
        }
    } else {
        m_openReads.remove(name); // later reads must see this change: they start a new job
    }

    auto state = std::make_shared<JobState>();
    state->operation = operation;
    state->name = name;
    state->calls << call;
    if (operation == Operation::Read)
        m_openReads.insert(name, state);

    QKeychain::Job *job = nullptr;
    switch (operation) {
    case Operation::Read:
        job = new QKeychain::ReadPasswordJob(m_service);
        break;
    case Operation::Write: {
        auto *writeJob = new QKeychain::WritePasswordJob(m_service);
        writeJob->setTextData(value);
        job = writeJob;
        break;
    }
    case Operation::Remove:
        job = new QKeychain::DeletePasswordJob(m_service);
        break;
    }
    // No parent and auto-delete: the job deletes itself after it has answered, never before.
    // QtKeychain's libsecret callbacks keep a raw pointer to it, so deleting a job that has not
    // answered (on timeout, or with this store) would be a use-after-free.
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never store secrets in plain-text QSettings
    job->setKey(name);

    ++m_callCount;
    ++m_pendingJobs;
    connect(job, &QKeychain::Job::finished, this, [this, state](QKeychain::Job *finished) {
        --m_pendingJobs;
        QString secret;
        if (finished->error() == QKeychain::NoError) {
            if (auto *readJob = qobject_cast<QKeychain::ReadPasswordJob *>(finished))
                secret = readJob->textData();
        }
        jobAnswered(state, finished->error(), finished->errorString(), secret);
    });

    qCDebug(lcSecrets).nospace().noquote() << verb(operation) << " secret " << name;
    emit keychainCallStarted(operation, name);
    armTimeout(call);
    job->start();
}

void SecretStore::armTimeout(const std::shared_ptr<Call> &call)
{
    auto *timer = new QTimer(this);
    timer->setSingleShot(true);
    timer->setTimerType(Qt::PreciseTimer);
    call->timer = timer;
    const auto timeout = m_timeout;
    connect(timer, &QTimer::timeout, this, [this, call, timeout] {
        qCWarning(lcSecrets).nospace().noquote()
            << "keychain did not answer " << verb(call->operation) << " secret " << call->name
            << " within " << timeout.count() << " ms";
        complete(call, failure(Status::Timeout, call->name, timeoutMessage(timeout)));
    });
    timer->start(timeout);
}

void SecretStore::jobAnswered(const std::shared_ptr<JobState> &state, int error,
                              const QString &errorString, const QString &value)
{
    if (m_openReads.value(state->name) == state)
        m_openReads.remove(state->name);

    const auto keychainError = QKeychain::Error(error);
    const bool removedMissing = state->operation == Operation::Remove
        && keychainError == QKeychain::EntryNotFound; // removing is idempotent
    const bool success = keychainError == QKeychain::NoError || removedMissing;

    // Keep the names index in step with the keychain, also for late answers: a write that
    // completed after its timeout did store the secret.
    if (success) {
        switch (state->operation) {
        case Operation::Read:
            updateIndex(state->name, true); // e.g. set before the index existed
            break;
        case Operation::Write:
            updateIndex(state->name, true);
            emit secretChanged(state->name);
            break;
        case Operation::Remove:
            updateIndex(state->name, false);
            emit secretChanged(state->name);
            break;
        }
    } else if (keychainError == QKeychain::EntryNotFound) {
        updateIndex(state->name, false);
    }

    Result result;
    if (success) {
        result.status = Status::Ok;
        result.name = state->name;
        if (state->operation == Operation::Read)
            result.value = value;
    } else {
        result = fromKeychainError(state->operation, state->name, error, errorString);
    }

    bool logged = false;
    for (const auto &call : std::as_const(state->calls)) {
        if (call->completed) {
            qCWarning(lcSecrets).nospace().noquote()
                << "keychain answered " << verb(call->operation) << " secret " << call->name
                << " after the timeout (" << (success ? QStringLiteral("ok") : errorString)
                << "); answer ignored";
            emit lateAnswerIgnored(call->operation, call->name);
            continue;
        }
        if (!success && !logged) {
            qCInfo(lcSecrets).nospace().noquote() << result.message;
            logged = true;
        }
        complete(call, result);
    }
}

void SecretStore::complete(const std::shared_ptr<Call> &call, Result result)
{
    if (call->completed)
        return;
    call->completed = true;
    if (call->timer) {
        call->timer->stop();
        call->timer->deleteLater();
    }
    deliverLater(call, std::move(result));
}

// Callbacks always run from the event loop, so that a callback may start new calls, delete the
// context or even this store without pulling the floor from under the code that completed it.
void SecretStore::deliverLater(const std::shared_ptr<Call> &call, Result result)
{
    QMetaObject::invokeMethod(
        this,
        [call, result = std::move(result)] {
            if (call->hasContext && !call->context)
                return;
            Callback done = std::exchange(call->done, Callback());
            if (done)
                done(result);
        },
        Qt::QueuedConnection);
}

SecretStore::Result SecretStore::failure(Status status, const QString &name, const QString &message) const
{
    Result result;
    result.status = status;
    result.name = name;
    result.message = message;
    return result;
}

SecretStore::Result SecretStore::fromKeychainError(Operation operation, const QString &name, int error,
                                                   const QString &errorString) const
{
    const QString what = QStringLiteral("%1 secret `%2` failed").arg(verb(operation), name);
    const QString said = errorString.isEmpty() ? QStringLiteral("no details") : errorString;
    switch (QKeychain::Error(error)) {
    case QKeychain::NoError:
        break;
    case QKeychain::EntryNotFound:
        return failure(Status::NotSet, name, notSetMessage(name));
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return failure(Status::AccessDenied, name,
                       QStringLiteral("%1: access to the keychain was denied (%2) — unlock the keyring "
                                      "(e.g. gnome-keyring) and allow OpsDeck to use it")
                           .arg(what, said));
    case QKeychain::NoBackendAvailable:
    case QKeychain::OtherError:
        if (QKeychain::Error(error) == QKeychain::NoBackendAvailable || looksLikeNoBackend(errorString))
            return failure(Status::NoBackend, name,
                           QStringLiteral("%1: no Secret Service is reachable (%2) — start and unlock "
                                          "one, e.g. gnome-keyring, in this session; on a headless "
                                          "box run under a D-Bus session (`dbus-run-session`)")
                               .arg(what, said));
        break;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::NotImplemented:
        break;
    }
    return failure(Status::Failed, name, QStringLiteral("%1: %2").arg(what, said));
}

SecretStore::Result SecretStore::runBlocking(const std::function<void(QObject *, Callback)> &startCall)
{
    Q_ASSERT_X(QCoreApplication::instance(), "SecretStore", "blocking calls need a QCoreApplication");
    QEventLoop loop;
    std::optional<Result> result;
    startCall(&loop, [&result, &loop](const Result &r) {
        result = r;
        loop.quit();
    });
    // The callback always comes from the event loop, at the latest when the timeout passes.
    while (!result)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    return *result;
}

SecretStore::Result SecretStore::readBlocking(const QString &name)
{
    return runBlocking([&](QObject *context, Callback done) { read(name, context, std::move(done)); });
}

SecretStore::Result SecretStore::writeBlocking(const QString &name, const QString &value)
{
    return runBlocking(
        [&](QObject *context, Callback done) { write(name, value, context, std::move(done)); });
}

SecretStore::Result SecretStore::removeBlocking(const QString &name)
{
    return runBlocking([&](QObject *context, Callback done) { remove(name, context, std::move(done)); });
}

QStringList SecretStore::names() const
{
    return loadIndex();
}

QStringList SecretStore::loadIndex() const
{
    QFile file(m_indexPath);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcSecrets).noquote() << "cannot read the secret names index" << m_indexPath << ":"
                                       << file.errorString();
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        qCWarning(lcSecrets).noquote() << "the secret names index" << m_indexPath
                                       << "is damaged; ignoring it";
        return {};
    }
    QStringList names;
    const QJsonArray array = doc.object().value(QStringLiteral("names")).toArray();
    for (const QJsonValue &entry : array) {
        const QString name = entry.toString();
        if (isValidName(name))
            names << name;
    }
    names.sort(Qt::CaseSensitive);
    names.removeDuplicates();
    return names;
}

void SecretStore::updateIndex(const QString &name, bool present)
{
    QStringList names = loadIndex();
    if (names.contains(name) == present)
        return;
    if (present)
        names << name;
    else
        names.removeAll(name);
    names.sort(Qt::CaseSensitive);

    if (!QDir().mkpath(QFileInfo(m_indexPath).absolutePath())) {
        qCWarning(lcSecrets).noquote() << "cannot create the directory for" << m_indexPath;
        return;
    }
    QJsonObject root;
    root.insert(QStringLiteral("service"), m_service);
    root.insert(QStringLiteral("names"), QJsonArray::fromStringList(names));
    QSaveFile file(m_indexPath);
    if (!file.open(QIODevice::WriteOnly)
        || file.write(QJsonDocument(root).toJson(QJsonDocument::Indented)) < 0 || !file.commit()) {
        qCWarning(lcSecrets).noquote() << "cannot write the secret names index" << m_indexPath << ":"
                                       << file.errorString();
        return;
    }
    qCDebug(lcSecrets).noquote() << "names index:" << (present ? "added" : "removed") << name;
    emit namesChanged();
}
