#include "failoverstate.h"

#include "storelocation.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QSaveFile>

namespace {

const QList<QPair<FailoverState::Phase, QString>> kPhases = {
    {FailoverState::Phase::Normal, QStringLiteral("normal")},
    {FailoverState::Phase::WaitingForFallback, QStringLiteral("waiting_for_fallback")},
    {FailoverState::Phase::FailingOver, QStringLiteral("failing_over")},
    {FailoverState::Phase::Active, QStringLiteral("active")},
    {FailoverState::Phase::FailingBack, QStringLiteral("failing_back")},
    {FailoverState::Phase::Watching, QStringLiteral("watching")},
    {FailoverState::Phase::FailoverFailed, QStringLiteral("failover_failed")},
    {FailoverState::Phase::FailbackFailed, QStringLiteral("failback_failed")},
};

QJsonValue timeValue(qint64 ms)
{
    return ms > 0 ? QJsonValue(FailoverStateFile::isoTime(ms)) : QJsonValue();
}

// Times are written as ISO 8601; epoch milliseconds are accepted too.
bool readTime(const QJsonObject &o, const char *key, qint64 *out, QString *error)
{
    const QJsonValue v = o.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        *out = 0;
        return true;
    }
    if (v.isDouble()) {
        *out = qint64(v.toDouble());
        return true;
    }
    const QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    if (!t.isValid()) {
        *error = QStringLiteral("`%1` is not an ISO 8601 time: %2").arg(QLatin1String(key), v.toVariant().toString());
        return false;
    }
    *out = t.toMSecsSinceEpoch();
    return true;
}

constexpr int kShortLockWaitMs = 5'000;

} // namespace

QString failoverPhaseName(FailoverState::Phase phase)
{
    for (const auto &p : kPhases)
        if (p.first == phase)
            return p.second;
    return QStringLiteral("normal");
}

std::optional<FailoverState::Phase> failoverPhaseFromName(QStringView name)
{
    for (const auto &p : kPhases)
        if (p.second == name)
            return p.first;
    return std::nullopt;
}

FailoverStateFile::FailoverStateFile(const QString &path, const QString &logPath)
    : m_path(path)
    , m_logPath(logPath.isEmpty() ? defaultLogPath(path) : logPath)
{
}

FailoverStateFile::~FailoverStateFile()
{
    unlockTransition();
}

QString FailoverStateFile::defaultPath(const QString &service)
{
    const QString dir = QFileInfo(StoreLocation::defaultSqlitePath()).absolutePath();
    return QDir::cleanPath(dir + QStringLiteral("/failover/") + service + QStringLiteral(".json"));
}

QString FailoverStateFile::defaultLogPath(const QString &statePath)
{
    QString base = statePath;
    if (base.endsWith(u".json"))
        base.chop(5);
    return base + QStringLiteral(".ndjson");
}

QString FailoverStateFile::isoTime(qint64 ms)
{
    if (ms <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString FailoverStateFile::ownerId()
{
    return QStringLiteral("%1@%2").arg(QCoreApplication::applicationPid()).arg(QHostInfo::localHostName());
}

QJsonObject FailoverStateFile::toJson(const FailoverState &s)
{
    QJsonArray failures;
    for (qint64 t : s.failureTimes)
        failures.append(isoTime(t));
    // The seed's two fields first; QJsonObject sorts keys, so they are written by hand in write().
    return QJsonObject{{QStringLiteral("consecutive_failures"), s.consecutiveFailures},
                       {QStringLiteral("failover_active"), s.failoverActive},
                       {QStringLiteral("since"), timeValue(s.sinceMs)},
                       {QStringLiteral("last_change"), timeValue(s.lastChangeMs)},
                       {QStringLiteral("phase"), failoverPhaseName(s.phase)},
                       {QStringLiteral("step"), s.step},
                       {QStringLiteral("run_id"), s.runId},
                       {QStringLiteral("owner"), s.owner},
                       {QStringLiteral("actor"), s.actor},
                       {QStringLiteral("failure_times"), failures},
                       {QStringLiteral("last_result_at"), timeValue(s.lastResultMs)},
                       {QStringLiteral("primary_healthy_since"), timeValue(s.primaryHealthySinceMs)},
                       {QStringLiteral("watch_until"), timeValue(s.watchUntilMs)},
                       {QStringLiteral("refused_at"), timeValue(s.refusedAtMs)},
                       {QStringLiteral("alerted_at"), timeValue(s.alertedAtMs)},
                       {QStringLiteral("failback_ready_noted_at"), timeValue(s.failbackReadyNotedMs)},
                       {QStringLiteral("incident_id"), s.incidentId},
                       {QStringLiteral("failovers"), s.failovers},
                       {QStringLiteral("relapses"), s.relapses},
                       {QStringLiteral("last_error"), s.lastError}};
}

std::optional<FailoverState> FailoverStateFile::fromJson(const QJsonObject &o, QString *error)
{
    FailoverState s;
    const QJsonValue count = o.value(QStringLiteral("consecutive_failures"));
    const QJsonValue active = o.value(QStringLiteral("failover_active"));
    if (!count.isDouble() || count.toDouble() < 0 || count.toDouble() != double(count.toInt())) {
        *error = QStringLiteral("`consecutive_failures` must be a whole number ≥ 0");
        return std::nullopt;
    }
    if (!active.isBool()) {
        *error = QStringLiteral("`failover_active` must be true or false");
        return std::nullopt;
    }
    s.consecutiveFailures = count.toInt();
    s.failoverActive = active.toBool();
    const QString phase = o.value(QStringLiteral("phase")).toString();
    if (!phase.isEmpty()) {
        const auto p = failoverPhaseFromName(phase);
        if (!p) {
            *error = QStringLiteral("unknown `phase` `%1`").arg(phase);
            return std::nullopt;
        }
        s.phase = *p;
    }
    // The seed's field wins over OpsDeck's own: the runbook's failback step rewrites the file as
    // {"consecutive_failures": 0, "failover_active": false} by hand.
    if (s.failoverActive && (s.phase == FailoverState::Phase::Normal || s.phase == FailoverState::Phase::Watching
                             || s.phase == FailoverState::Phase::WaitingForFallback))
        s.phase = FailoverState::Phase::Active;
    if (!s.failoverActive && s.phase == FailoverState::Phase::Active)
        s.phase = FailoverState::Phase::Normal;
    s.step = o.value(QStringLiteral("step")).toInt();
    s.runId = o.value(QStringLiteral("run_id")).toInteger();
    s.owner = o.value(QStringLiteral("owner")).toString();
    s.actor = o.value(QStringLiteral("actor")).toString();
    s.incidentId = o.value(QStringLiteral("incident_id")).toInteger();
    s.failovers = o.value(QStringLiteral("failovers")).toInt();
    s.relapses = o.value(QStringLiteral("relapses")).toInt();
    s.lastError = o.value(QStringLiteral("last_error")).toString();
    const struct { const char *key; qint64 *out; } times[] = {
        {"since", &s.sinceMs},
        {"last_change", &s.lastChangeMs},
        {"last_result_at", &s.lastResultMs},
        {"primary_healthy_since", &s.primaryHealthySinceMs},
        {"watch_until", &s.watchUntilMs},
        {"refused_at", &s.refusedAtMs},
        {"alerted_at", &s.alertedAtMs},
        {"failback_ready_noted_at", &s.failbackReadyNotedMs},
    };
    for (const auto &t : times)
        if (!readTime(o, t.key, t.out, error))
            return std::nullopt;
    for (const QJsonValue &v : o.value(QStringLiteral("failure_times")).toArray()) {
        const QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
        if (!t.isValid()) {
            *error = QStringLiteral("`failure_times` holds `%1`, not an ISO 8601 time").arg(v.toString());
            return std::nullopt;
        }
        s.failureTimes << t.toMSecsSinceEpoch();
    }
    // A file written by hand with a count but no times: nothing to measure a window against.
    if (s.phase == FailoverState::Phase::Normal && s.consecutiveFailures == 0)
        s.failureTimes.clear();
    return s;
}

std::optional<FailoverState> FailoverStateFile::read(QString *error) const
{
    QFile file(m_path);
    if (!file.exists())
        return FailoverState();
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the failover state file %1: %2").arg(m_path, file.errorString());
        return std::nullopt;
    }
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parse);
    if (parse.error != QJsonParseError::NoError || !doc.isObject()) {
        *error = QStringLiteral("the failover state file %1 is not a JSON object%2; expected {\"consecutive_failures\":N,\"failover_active\":bool,…}")
                     .arg(m_path, parse.error != QJsonParseError::NoError ? QStringLiteral(" (%1 at offset %2)").arg(parse.errorString()).arg(parse.offset) : QString());
        return std::nullopt;
    }
    QString problem;
    auto state = fromJson(doc.object(), &problem);
    if (!state)
        *error = QStringLiteral("the failover state file %1: %2").arg(m_path, problem);
    return state;
}

bool FailoverStateFile::write(FailoverState state, qint64 nowMs, QString *error)
{
    state.lastChangeMs = nowMs;
    QJsonObject o = toJson(state);
    // The seed's two fields lead the file, as the runbook prints them.
    QByteArray text = "{\"consecutive_failures\":" + QByteArray::number(state.consecutiveFailures)
        + ",\"failover_active\":" + (state.failoverActive ? "true" : "false");
    o.remove(QStringLiteral("consecutive_failures"));
    o.remove(QStringLiteral("failover_active"));
    QByteArray rest = QJsonDocument(o).toJson(QJsonDocument::Compact);
    rest.remove(0, 1); // the '{'
    text += rest.size() > 1 ? "," + rest : QByteArray("}");
    text += '\n';
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath())) {
        *error = QStringLiteral("cannot create the folder of the failover state file %1").arg(m_path);
        return false;
    }
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        *error = QStringLiteral("cannot write the failover state file %1: %2").arg(m_path, file.errorString());
        return false;
    }
    return true;
}

bool FailoverStateFile::update(qint64 nowMs, const std::function<bool(FailoverState &)> &edit, FailoverState *out, QString *error)
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QLockFile lock(m_path + QStringLiteral(".lock"));
    lock.setStaleLockTime(0); // only a dead holder makes it stale
    if (!lock.tryLock(kShortLockWaitMs)) {
        qint64 pid = 0;
        QString host, app;
        lock.getLockInfo(&pid, &host, &app);
        *error = QStringLiteral("the failover state file %1 stays locked by pid %2 on %3 (%4)")
                     .arg(m_path).arg(pid).arg(host, app);
        return false;
    }
    auto state = read(error);
    if (!state)
        return false;
    FailoverState changed = *state;
    if (!edit(changed)) {
        if (out)
            *out = *state;
        return true;
    }
    if (!write(changed, nowMs, error))
        return false;
    changed.lastChangeMs = nowMs;
    if (out)
        *out = changed;
    return true;
}

bool FailoverStateFile::appendLog(QJsonObject line, qint64 nowMs, QString *error)
{
    if (!line.contains(QStringLiteral("ts")))
        line.insert(QStringLiteral("ts"), isoTime(nowMs));
    QDir().mkpath(QFileInfo(m_logPath).absolutePath());
    QFile file(m_logPath);
    // One write of one whole line in append mode: lines of two programs never interleave.
    const QByteArray text = QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append) || file.write(text) != text.size()) {
        *error = QStringLiteral("cannot append to the failover log %1: %2").arg(m_logPath, file.errorString());
        return false;
    }
    return true;
}

bool FailoverStateFile::lockTransition(QString *holder)
{
    if (holdsTransition())
        return true;
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    auto lock = std::make_unique<QLockFile>(m_path + QStringLiteral(".transition.lock"));
    lock->setStaleLockTime(0); // held for as long as actions run; only a dead holder frees it
    if (lock->tryLock(0)) {
        m_transition = std::move(lock);
        return true;
    }
    if (holder) {
        qint64 pid = 0;
        QString host, app;
        if (lock->getLockInfo(&pid, &host, &app))
            *holder = QStringLiteral("pid %1 (%2) on %3").arg(pid).arg(app, host);
        else
            *holder = QStringLiteral("another program (%1)").arg(lock->fileName());
    }
    return false;
}

void FailoverStateFile::unlockTransition()
{
    if (m_transition)
        m_transition->unlock();
    m_transition.reset();
}

bool FailoverStateFile::holdsTransition() const
{
    return m_transition && m_transition->isLocked();
}
