#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <functional>
#include <memory>
#include <optional>

class QLockFile;

// Where one service's edge failover stands. Persisted in the seed's shape
// (`{"consecutive_failures":N,"failover_active":bool}`, which the runbook's tools read and its
// failback step writes by hand) plus what OpsDeck needs to resume after a crash.
struct FailoverState
{
    enum class Phase {
        Normal,             // on the primary; counting its failures
        WaitingForFallback, // the trigger was reached but the fallback is unhealthy: fails over once it is healthy
        FailingOver,        // the failover actions are running (or were, when the program died): `step` is the next
        Active,             // on the fallback
        FailingBack,        // the failback actions are running (or were): `step` is the next
        Watching,           // failed back; a relapse before `watchUntilMs` fails over again
        FailoverFailed,     // a failover action failed: `step` is the one that failed
        FailbackFailed,     // a failback action failed: `step` is the one that failed
    };

    int consecutiveFailures = 0;
    bool failoverActive = false;
    qint64 sinceMs = 0;      // when the current phase began
    qint64 lastChangeMs = 0; // when anything in the file last changed
    Phase phase = Phase::Normal;
    int step = 0;            // FailingOver/FailingBack: the next action; *Failed: the action that failed
    qint64 runId = 0;        // the action run of `step` in flight, 0: none
    QString owner;           // "pid@host" of the program running the actions
    QString actor;           // who started the current transition (an OS user, or "opsdeck")
    QList<qint64> failureTimes; // the latest consecutive primary failures (at most trigger_failures)
    qint64 lastResultMs = 0;    // the newest primary result counted (results of one period count once)
    qint64 primaryHealthySinceMs = 0; // 0: the primary is not (known to be) healthy
    qint64 watchUntilMs = 0;
    qint64 refusedAtMs = 0;     // the fallback was found unhealthy then (WaitingForFallback)
    qint64 alertedAtMs = 0;     // manual mode: the trigger was announced for the current streak
    qint64 failbackReadyNotedMs = 0; // the primary's healthy period was announced (failback by hand)
    qint64 incidentId = 0;      // the incident the current episode's events go to
    int failovers = 0;
    int relapses = 0;
    QString lastError;

    bool inTransition() const { return phase == Phase::FailingOver || phase == Phase::FailingBack; }
};
QString failoverPhaseName(FailoverState::Phase phase); // normal, waiting_for_fallback, failing_over, active, …
std::optional<FailoverState::Phase> failoverPhaseFromName(QStringView name);

// The state file of one service and its NDJSON transition log. Writes are atomic (QSaveFile: a
// reader sees the old file or the new one, never half of one). Read-modify-write goes through
// update(), under a lock file next to the state file, so two programs (a watcher and
// `opsdeckctl failover now`) never lose each other's changes. A second lock, held for as long as
// failover or failback actions run, keeps two programs from running them at once; the operating
// system frees it when its holder dies, which is how an interrupted transition is recognised.
class FailoverStateFile
{
public:
    FailoverStateFile(const QString &path, const QString &logPath);
    ~FailoverStateFile();

    // <data dir>/failover/<service>.json, next to the default history store.
    static QString defaultPath(const QString &service);
    // The state file's name with .ndjson instead of .json.
    static QString defaultLogPath(const QString &statePath);

    QString path() const { return m_path; }
    QString logPath() const { return m_logPath; }

    // A missing file is the initial state. A file that cannot be read or parsed is an error that
    // names the file and what is wrong — never silently a fresh state.
    std::optional<FailoverState> read(QString *error) const;
    bool write(FailoverState state, qint64 nowMs, QString *error);
    // Reads, lets `edit` change the state (returning false leaves the file alone), writes; all under
    // the short lock. `*out` is the state after (or as read, when nothing changed).
    bool update(qint64 nowMs, const std::function<bool(FailoverState &)> &edit, FailoverState *out, QString *error);
    // One line of the transition log; `line` gets `ts` when it has none.
    bool appendLog(QJsonObject line, qint64 nowMs, QString *error);

    // The transition lock: true when this object holds it now (taken here, or already held).
    // False when another live program holds it; *holder then says which ("pid 123 on host").
    bool lockTransition(QString *holder);
    void unlockTransition();
    bool holdsTransition() const;

    static QJsonObject toJson(const FailoverState &state);
    static std::optional<FailoverState> fromJson(const QJsonObject &object, QString *error);
    static QString isoTime(qint64 ms); // ISO 8601 UTC with milliseconds; empty for 0
    static QString ownerId();          // "pid@host" of this program

private:
    QString m_path;
    QString m_logPath;
    std::unique_ptr<QLockFile> m_transition;
};
