#include "actionrunner.h"

#include "actionparams.h"
#include "actiontaskfactory.h"
#include "auditlog.h"
#include "clock.h"
#include "duration.h"
#include "incidentmanager.h"
#include "opsdatabase.h"
#include "sqldialect.h"
#include "secretresolver.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTimer>
#include <QVariant>

#include <cerrno>
#include <csignal>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcActions, "opsdeck.actions", QtWarningMsg)

namespace {

const QString kRunColumns = QStringLiteral(
    "r.id, r.service, r.action, r.kind, r.params, r.preview, r.actor, r.dry_run, r.incident_id, r.started_at, "
    "r.finished_at, r.status, r.exit_code, r.output, r.output_bytes, r.summary, l.run_id, l.host, l.pid, l.expires_at, l.acquired_at");

QString keyOf(const QString &service, const QString &action)
{
    return service + u'/' + action;
}

// When the first runner of this program was made: a lock of this pid taken before then was taken by
// an earlier program that had the same pid.
qint64 processStartMs()
{
    static const qint64 start = QDateTime::currentMSecsSinceEpoch();
    return start;
}

bool pidAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

QString localTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString paramsJson(const QHash<QString, QString> &params)
{
    QJsonObject o;
    for (auto it = params.constBegin(); it != params.constEnd(); ++it)
        o.insert(it.key(), it.value());
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonObject paramsObject(const QHash<QString, QString> &params)
{
    QJsonObject o;
    for (auto it = params.constBegin(); it != params.constEnd(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QVariant nullInt()
{
    return QVariant(QMetaType::fromType<qint64>());
}

// Every text of an action that may carry parameters and secrets, expanded. Parameters go in as
// data: percent-encoded in the URL, whole inside one argv element; a shell script gets them
// through its environment only (CommandTask), never pasted into it.
ActionConfig expanded(const ActionConfig &a, const QHash<QString, QString> &params, const QHash<QString, QString> *secrets)
{
    using ActionParams::expand;
    ActionConfig e = a;
    if (!a.shell)
        for (QString &arg : e.argv)
            arg = expand(arg, params, secrets);
    e.workingDir = expand(a.workingDir, params, secrets);
    for (auto &[name, value] : e.environment)
        value = expand(value, params, secrets);
    e.http.url = expand(a.http.url, params, secrets, ActionParams::Insert::UrlEncoded);
    for (auto &[name, value] : e.http.headers)
        value = expand(value, params, secrets);
    e.http.body = expand(a.http.body, params, secrets);
    const bool pgUrl = a.source.startsWith(u"postgres");
    e.source = expand(a.source, params, secrets, pgUrl ? ActionParams::Insert::UrlEncoded : ActionParams::Insert::Literal);
    for (QString &s : e.sources)
        s = expand(s, params, secrets);
    e.to = expand(a.to, params, secrets);
    e.from = expand(a.from, params, secrets);
    return e;
}

// The secrets an action's texts reference, in order, without repeats.
QStringList secretNames(const ActionConfig &a)
{
    QStringList texts = a.argv;
    texts << a.workingDir << a.http.url << a.http.body << a.source << a.sources << a.to << a.from;
    for (const auto &[name, value] : a.environment)
        texts << value;
    for (const auto &[name, value] : a.http.headers)
        texts << value;
    QStringList names;
    for (const QString &t : std::as_const(texts))
        for (const QString &n : SecretResolver::references(t))
            if (!names.contains(n))
                names << n;
    return names;
}

QByteArray maskBytes(QByteArray bytes, const QStringList &secrets)
{
    for (const QString &s : secrets)
        if (s.size() >= 4)
            bytes.replace(s.toUtf8(), QByteArrayLiteral("••••••"));
    return bytes;
}

QString lastLine(const QByteArray &output)
{
    const QList<QByteArray> lines = output.split('\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        const QString line = QString::fromUtf8(*it).trimmed();
        if (!line.isEmpty())
            return line;
    }
    return {};
}

QString durationText(qint64 ms)
{
    return ms < 1000 ? QStringLiteral("%1 ms").arg(ms) : QStringLiteral("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
}

bool needsConfirmation(const ActionConfig &a)
{
    return a.confirm
        || (a.kind == ActionKind::Builtin && (a.builtin == BuiltinKind::Restore || a.builtin == BuiltinKind::PgRestore));
}

} // namespace

struct ActionRunner::Active
{
    ActionRun run;
    ActionConfig action; // as configured, before expansion
    QString reason;
    QPointer<ActionTask> task;
    QStringList secretValues;
    std::unique_ptr<QTemporaryDir> scratch;
    QTimer renew;
    QTimer backstop;
    qint64 emitted = 0;      // bytes the task streamed
    bool cancelRequested = false;
    bool timedOutByRunner = false;
};

ActionRunner::ActionRunner(OpsDatabase *db, SecretResolver *resolver, SecretStore *secrets, AuditLog *audit,
                           IncidentManager *incidents, const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_resolver(resolver)
    , m_secrets(secrets)
    , m_audit(audit)
    , m_incidents(incidents)
    , m_clock(clock ? clock : SystemClock::instance())
    , m_host(QSysInfo::machineHostName())
    , m_pid(QCoreApplication::applicationPid())
{
    processStartMs();
    qRegisterMetaType<ActionOutcome>();
    qRegisterMetaType<ActionRun>();
    if (m_db && m_db->isOpen())
        sweepInterrupted();
}

ActionRunner::~ActionRunner()
{
    const QList<qint64> ids = m_active.keys();
    for (qint64 id : ids) {
        const std::shared_ptr<Active> a = m_active.value(id);
        if (a && a->task) {
            a->task->disconnect(this);
            delete a->task.data(); // a process group is ended with it
        }
        finish(id, {ActionOutcome::Status::Cancelled, -1, QStringLiteral("cancelled: OpsDeck stopped while it ran")});
    }
}

qint64 ActionRunner::nowMs() const
{
    return m_clock->nowMs();
}

void ActionRunner::setConfig(const Config &config)
{
    m_config = config;
}

std::optional<ActionRunner::Prepared> ActionRunner::prepare(const Request &request, QString *error) const
{
    return prepare(request, error, nullptr);
}

std::optional<ActionRunner::Prepared> ActionRunner::prepare(const Request &request, QString *error, Refusal *why) const
{
    const ActionConfig *action = nullptr;
    return prepareFor(request, &action, error, why);
}

std::optional<ActionRunner::Prepared> ActionRunner::prepareFor(const Request &r, const ActionConfig **out, QString *error,
                                                               Refusal *why) const
{
    QString ignored;
    if (!error)
        error = &ignored;
    auto refuse = [&](Refusal kind, const QString &text) -> std::optional<Prepared> {
        if (why)
            *why = kind;
        *error = text;
        return std::nullopt;
    };
    const ServiceConfig *service = m_config.service(r.service);
    if (!service) {
        QStringList names;
        for (const ServiceConfig &s : m_config.services)
            names << s.name;
        return refuse(Refusal::UnknownAction, QStringLiteral("no service `%1` (services: %2)").arg(r.service, names.join(QStringLiteral(", "))));
    }
    const ActionConfig *action = service->action(r.action);
    if (!action) {
        QStringList names;
        for (const ActionConfig &a : service->actions)
            names << a.name;
        return refuse(Refusal::UnknownAction, names.isEmpty()
                          ? QStringLiteral("service `%1` has no actions").arg(r.service)
                          : QStringLiteral("no action `%1` in service `%2` (its actions: %3)").arg(r.action, r.service, names.join(QStringLiteral(", "))));
    }
    QString problem;
    const auto params = ActionParams::validate(*action, r.params, &problem);
    if (!params)
        return refuse(Refusal::InvalidParams, problem);
    // A value of only dots would be a path segment that climbs (QUrl sends `%2E%2E` as `..`).
    for (const QString &p : ActionParams::placeholders(action->http.url)) {
        const QString v = params->value(p);
        if (!v.isEmpty() && v.count(u'.') == v.size())
            return refuse(Refusal::InvalidParams, QStringLiteral("parameter `%1`: `%2` cannot go into the URL: a path segment of dots climbs").arg(p, v));
    }
    // A line break inside a header would start another header: never data.
    for (const auto &[name, value] : action->http.headers) {
        for (const QString &p : ActionParams::placeholders(value)) {
            const QString v = params->value(p);
            if (v.contains(u'\r') || v.contains(u'\n'))
                return refuse(Refusal::InvalidParams, QStringLiteral("parameter `%1`: a line break cannot go into the header `%2`").arg(p, name));
        }
    }
    ActionTask::Context context;
    context.service = r.service;
    context.action = expanded(*action, *params, nullptr);
    context.params = *params;
    context.dryRun = r.dryRun;
    context.secrets = m_secrets;
    context.clock = m_clock;
    QString notAvailable;
    const std::unique_ptr<ActionTask> task(createActionTask(context, nullptr, &notAvailable));
    if (!task)
        return refuse(Refusal::NotAvailable, QStringLiteral("`%1/%2`: %3").arg(r.service, r.action, notAvailable));
    Prepared prepared;
    prepared.preview = task->preview();
    prepared.needsConfirmation = needsConfirmation(*action);
    prepared.params = *params;
    *out = action;
    if (why)
        *why = Refusal::None;
    return prepared;
}

qint64 ActionRunner::run(const Request &request, QString *error)
{
    return run(request, error, nullptr);
}

qint64 ActionRunner::run(const Request &r, QString *error, Refusal *why)
{
    QString ignored;
    if (!error)
        error = &ignored;
    Refusal whyIgnored = Refusal::None;
    if (!why)
        why = &whyIgnored;
    *why = Refusal::None;
    auto refused = [&](Refusal kind, const QString &text) -> qint64 {
        *why = kind;
        *error = text;
        // An attempt that was turned down is an operator action too (an injection attempt is worth
        // knowing about).
        if (m_audit && m_db && m_db->isOpen() && kind != Refusal::StoreError) {
            QString auditError;
            m_audit->append(r.actor.isEmpty() ? currentActor() : r.actor, QStringLiteral("action.refused"),
                            {{QStringLiteral("service"), r.service}, {QStringLiteral("action"), r.action},
                             {QStringLiteral("params"), paramsObject(r.params)}, {QStringLiteral("why"), text}},
                            nowMs(), &auditError);
        }
        return 0;
    };
    if (!m_db || !m_db->isOpen())
        return refused(Refusal::StoreError, QStringLiteral("the store is not open: every run is recorded there"));
    const ActionConfig *action = nullptr;
    const auto prepared = prepareFor(r, &action, error, why);
    if (!prepared)
        return refused(*why, *error);
    if (prepared->needsConfirmation && !r.confirmed && !r.dryRun)
        return refused(Refusal::NeedsConfirmation,
                       QStringLiteral("`%1/%2` needs explicit confirmation: look at what it will do, then confirm").arg(r.service, r.action));
    const QString key = keyOf(r.service, r.action);
    for (const std::shared_ptr<Active> &a : std::as_const(m_active)) {
        if (keyOf(a->run.service, a->run.action) == key)
            return refused(Refusal::AlreadyRunning, QStringLiteral("`%1` is already running in this program: run #%2 by %3, started %4")
                                                        .arg(key)
                                                        .arg(a->run.id)
                                                        .arg(a->run.actor, localTime(a->run.startedAtMs)));
    }

    ActionRun run;
    run.service = r.service;
    run.action = r.action;
    run.kind = actionKindName(*action);
    run.params = prepared->params;
    run.preview = prepared->preview;
    run.actor = r.actor.isEmpty() ? currentActor() : r.actor;
    run.dryRun = r.dryRun;
    run.startedAtMs = nowMs();
    run.status = QStringLiteral("running");

    if (r.dryRun) {
        // Only the preview: nothing runs, no lock is needed, no secret is read.
        run.finishedAtMs = run.startedAtMs;
        run.status = QStringLiteral("succeeded");
        run.output = (QStringLiteral("dry run — would run:\n") + run.preview.join(u'\n') + u'\n').toUtf8();
        run.outputBytes = run.output.size();
        run.summary = QStringLiteral("dry run: nothing was run");
        QString storeError;
        if (!insertRun(run, &storeError))
            return refused(Refusal::StoreError, QStringLiteral("cannot record the run: %1").arg(storeError));
        record(run, r.reason, true);
        emit runStarted(run);
        QTimer::singleShot(0, this, [this, run] { emit runFinished(run); });
        return run.id;
    }

    if (!acquire(run, error, why))
        return refused(*why, *error);

    auto active = std::make_shared<Active>();
    active->run = run;
    active->action = *action;
    active->reason = r.reason;
    const qint64 id = run.id;
    m_active.insert(id, active);
    // The lease: renewed while the run goes on, so another program sees a live holder.
    active->renew.setInterval(int(kLeaseMs / 3));
    connect(&active->renew, &QTimer::timeout, this, [this, id, key] {
        QSqlQuery q(m_db->db());
        q.prepare(QStringLiteral("UPDATE action_locks SET expires_at = ? WHERE action_key = ? AND run_id = ?"));
        q.addBindValue(nowMs() + kLeaseMs);
        q.addBindValue(key);
        q.addBindValue(id);
        if (!q.exec())
            qCWarning(lcActions) << "could not renew the lock of" << key << q.lastError().text();
    });
    active->renew.start();
    emit runStarted(run);

    // Secrets are read now, asynchronously; the task starts once they are there.
    const QStringList names = secretNames(expanded(*action, prepared->params, nullptr));
    if (names.isEmpty()) {
        QTimer::singleShot(0, this, [this, id] { startTask(id, {}, {}); });
    } else if (!m_resolver) {
        QTimer::singleShot(0, this, [this, id, names] {
            startTask(id, {}, QStringLiteral("the secrets %1 cannot be read: no keychain in this program").arg(names.join(QStringLiteral(", "))));
        });
    } else {
        QStringList texts;
        for (const QString &n : names)
            texts << QStringLiteral("${secret:%1}").arg(n);
        m_resolver->resolve(texts, this, [this, id, names](const SecretResolver::Resolution &resolution) {
            if (!resolution.ok()) {
                startTask(id, {}, resolution.errorString());
                return;
            }
            QHash<QString, QString> values;
            for (qsizetype i = 0; i < names.size(); ++i)
                values.insert(names.at(i), resolution.texts.value(i));
            startTask(id, values, {});
        });
    }
    return id;
}

void ActionRunner::startTask(qint64 id, const QHash<QString, QString> &secrets, const QString &secretError)
{
    const std::shared_ptr<Active> a = m_active.value(id);
    if (!a)
        return;
    if (a->cancelRequested) {
        finish(id, {ActionOutcome::Status::Cancelled, -1, QStringLiteral("cancelled before it started")});
        return;
    }
    if (!secretError.isEmpty()) {
        finish(id, {ActionOutcome::Status::Failed, -1, secretError});
        return;
    }
    a->secretValues = secrets.values();
    a->scratch = std::make_unique<QTemporaryDir>();
    ActionTask::Context context;
    context.service = a->run.service;
    context.action = expanded(a->action, a->run.params, &secrets);
    context.params = a->run.params;
    context.secretValues = a->secretValues;
    context.dryRun = false;
    context.scratchDir = a->scratch->isValid() ? a->scratch->path() : QString();
    context.secrets = m_secrets;
    context.clock = m_clock;
    QString error;
    ActionTask *task = createActionTask(context, this, &error);
    if (!task) {
        finish(id, {ActionOutcome::Status::Failed, -1, error});
        return;
    }
    a->task = task;
    connect(task, &ActionTask::output, this, [this, id](const QByteArray &chunk) { onOutput(id, chunk); });
    // Queued: whatever output came before it has been taken in first.
    connect(task, &ActionTask::finished, this, [this, id](const ActionOutcome &o) { finish(id, o); }, Qt::QueuedConnection);
    // The task ends itself at its timeout; should one not, the runner does.
    a->backstop.setSingleShot(true);
    connect(&a->backstop, &QTimer::timeout, this, [this, id] {
        const std::shared_ptr<Active> active = m_active.value(id);
        if (!active)
            return;
        if (!active->timedOutByRunner) {
            active->timedOutByRunner = true;
            qCWarning(lcActions) << "run" << id << "did not end at its timeout; cancelling it";
            if (active->task)
                active->task->cancel();
            active->backstop.start(int(kBackstopMs));
            return;
        }
        if (active->task) {
            active->task->disconnect(this);
            active->task->deleteLater();
            active->task = nullptr;
        }
        finish(id, {ActionOutcome::Status::TimedOut, -1, QStringLiteral("timed out and did not end when cancelled")});
    });
    a->backstop.start(int(qMin<qint64>(a->action.timeoutMs + kBackstopMs, std::numeric_limits<int>::max())));
    task->start();
}

void ActionRunner::onOutput(qint64 id, const QByteArray &chunk)
{
    const std::shared_ptr<Active> a = m_active.value(id);
    if (!a)
        return;
    a->emitted += chunk.size();
    const qint64 room = a->action.maxOutputBytes - a->run.output.size();
    if (room <= 0)
        return;
    const QByteArray kept = maskBytes(chunk.left(room), a->secretValues);
    a->run.output += kept;
    emit runOutput(id, kept);
}

void ActionRunner::cancel(qint64 runId)
{
    const std::shared_ptr<Active> a = m_active.value(runId);
    if (!a)
        return;
    a->cancelRequested = true;
    if (a->task)
        a->task->cancel();
}

bool ActionRunner::isRunning(const QString &service, const QString &action) const
{
    const QString key = keyOf(service, action);
    for (const std::shared_ptr<Active> &a : m_active)
        if (keyOf(a->run.service, a->run.action) == key)
            return true;
    if (!m_db || !m_db->isOpen())
        return false;
    const auto lock = lockOf(key);
    return lock && !isStale(*lock);
}

void ActionRunner::finish(qint64 id, const ActionOutcome &o)
{
    const std::shared_ptr<Active> a = m_active.take(id);
    if (!a)
        return;
    a->renew.stop();
    a->backstop.stop();
    ActionRun &run = a->run;
    run.finishedAtMs = nowMs();
    run.status = a->timedOutByRunner ? QStringLiteral("timeout") : actionStatusName(o.status);
    run.exitCode = o.exitCode;
    run.outputBytes = qMax(a->emitted, o.outputBytes);
    // Once more over the whole output: a secret split between two chunks is masked here.
    run.output = maskBytes(run.output, a->secretValues);
    QString summary = QString::fromUtf8(maskBytes(o.summary.toUtf8(), a->secretValues));
    // The output's last line says most about what happened, unless the summary says it already.
    const QString last = lastLine(run.output);
    if (!last.isEmpty() && !summary.contains(last))
        summary += QStringLiteral(" — ") + (last.size() > 160 ? last.left(160) + QStringLiteral("…") : last);
    if (run.outputBytes > run.output.size())
        summary += QStringLiteral(" (output capped: %1 of %2 bytes kept)").arg(run.output.size()).arg(run.outputBytes);
    run.summary = summary;

    if (m_db && m_db->isOpen()) {
        QSqlQuery q(m_db->db());
        q.prepare(QStringLiteral("UPDATE action_runs SET finished_at = ?, status = ?, exit_code = ?, output = ?, output_bytes = ?, summary = ? "
                                 "WHERE id = ?"));
        q.addBindValue(run.finishedAtMs);
        q.addBindValue(run.status);
        q.addBindValue(run.exitCode >= 0 ? QVariant(run.exitCode) : QVariant(QMetaType::fromType<int>()));
        q.addBindValue(storedText(QString::fromUtf8(run.output)));
        q.addBindValue(run.outputBytes);
        q.addBindValue(storedText(run.summary));
        q.addBindValue(run.id);
        if (!q.exec())
            qCWarning(lcActions) << "could not record the end of run" << run.id << q.lastError().text();
        QSqlQuery unlock(m_db->db());
        unlock.prepare(QStringLiteral("DELETE FROM action_locks WHERE action_key = ? AND run_id = ?"));
        unlock.addBindValue(keyOf(run.service, run.action));
        unlock.addBindValue(run.id);
        if (!unlock.exec())
            qCWarning(lcActions) << "could not release the lock of run" << run.id << unlock.lastError().text();
    }
    record(run, a->reason, true);
    if (a->task) {
        a->task->disconnect(this);
        a->task->deleteLater();
    }
    emit runFinished(run);
}

// The audit record and the open incident's timeline.
void ActionRunner::record(ActionRun &run, const QString &reason, bool withIncident)
{
    if (!m_db || !m_db->isOpen())
        return;
    if (m_audit) {
        QJsonObject details{{QStringLiteral("service"), run.service},
                            {QStringLiteral("action"), run.action},
                            {QStringLiteral("kind"), run.kind},
                            {QStringLiteral("params"), paramsObject(run.params)},
                            {QStringLiteral("status"), run.status},
                            {QStringLiteral("run_id"), run.id},
                            {QStringLiteral("dry_run"), run.dryRun},
                            {QStringLiteral("exit_code"), run.exitCode},
                            {QStringLiteral("duration_ms"), run.durationMs()},
                            {QStringLiteral("summary"), run.summary}};
        if (!reason.isEmpty())
            details.insert(QStringLiteral("reason"), reason);
        QString error;
        if (!m_audit->append(run.actor, QStringLiteral("action.run"), details, nowMs(), &error))
            qCWarning(lcActions) << "could not write the audit log:" << error;
    }
    if (!withIncident || !m_incidents)
        return;
    const auto incident = m_incidents->openIncidentFor(run.service);
    if (!incident)
        return;
    const QString text = run.dryRun
        ? QStringLiteral("dry run of `%1` (nothing was run): %2").arg(run.action, run.preview.value(0))
        : QStringLiteral("`%1` %2 in %3: %4 (run #%5)")
              .arg(run.action, run.status, durationText(run.durationMs()), run.summary)
              .arg(run.id);
    QString error;
    if (!m_incidents->recordAction(incident->id, run.actor, text, &error)) {
        qCWarning(lcActions) << "could not write to incident" << incident->id << error;
        return;
    }
    run.incidentId = incident->id;
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("UPDATE action_runs SET incident_id = ? WHERE id = ?"));
    q.addBindValue(run.incidentId);
    q.addBindValue(run.id);
    q.exec();
}

bool ActionRunner::insertRun(ActionRun &run, QString *error)
{
    const bool postgres = m_db->dialect() == SqlDialect::PostgreSql;
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("INSERT INTO action_runs (service, action, kind, params, preview, actor, host, pid, dry_run, "
                             "started_at, finished_at, status, exit_code, output, output_bytes, summary) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
              + (postgres ? QStringLiteral(" RETURNING id") : QString()));
    q.addBindValue(run.service);
    q.addBindValue(run.action);
    q.addBindValue(run.kind);
    q.addBindValue(paramsJson(run.params));
    q.addBindValue(storedText(run.preview.join(u'\n')));
    q.addBindValue(run.actor);
    q.addBindValue(m_host);
    q.addBindValue(m_pid);
    q.addBindValue(run.dryRun ? 1 : 0);
    q.addBindValue(run.startedAtMs);
    q.addBindValue(run.finishedAtMs > 0 ? QVariant(run.finishedAtMs) : nullInt());
    q.addBindValue(run.status);
    q.addBindValue(run.exitCode >= 0 ? QVariant(run.exitCode) : QVariant(QMetaType::fromType<int>()));
    q.addBindValue(storedText(QString::fromUtf8(run.output)));
    q.addBindValue(run.outputBytes);
    q.addBindValue(storedText(run.summary));
    if (!q.exec()) {
        *error = q.lastError().text();
        return false;
    }
    run.id = postgres ? (q.next() ? q.value(0).toLongLong() : 0) : q.lastInsertId().toLongLong();
    if (run.id <= 0) {
        *error = QStringLiteral("the store did not say which id the run got");
        return false;
    }
    return true;
}

std::optional<ActionRunner::Lock> ActionRunner::lockOf(const QString &key) const
{
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("SELECT run_id, host, pid, acquired_at, expires_at FROM action_locks WHERE action_key = ?"));
    q.addBindValue(key);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return Lock{q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toLongLong(), q.value(3).toLongLong(), q.value(4).toLongLong()};
}

// A lock whose holder is gone: its lease ran out, or it was held on this host by a process that
// no longer exists (or by an earlier program with this program's pid).
bool ActionRunner::isStale(const Lock &lock) const
{
    if (lock.expiresAtMs < nowMs())
        return true;
    if (lock.host != m_host)
        return false;
    if (lock.pid == m_pid)
        return lock.acquiredAtMs < processStartMs();
    return !pidAlive(lock.pid);
}

QString ActionRunner::describeHolder(const QString &key, const Lock &lock) const
{
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("SELECT actor, started_at FROM action_runs WHERE id = ?"));
    q.addBindValue(lock.runId);
    const bool found = q.exec() && q.next();
    const QString actor = found ? q.value(0).toString() : QStringLiteral("?");
    const qint64 started = found ? q.value(1).toLongLong() : lock.acquiredAtMs;
    const QString where = lock.host == m_host && lock.pid == m_pid
        ? QStringLiteral("in this program")
        : QStringLiteral("in another program (pid %1 on %2)").arg(lock.pid).arg(lock.host);
    return QStringLiteral("`%1` is already running %2: run #%3 by %4, started %5")
        .arg(key, where)
        .arg(lock.runId)
        .arg(actor, localTime(started));
}

bool ActionRunner::acquire(ActionRun &run, QString *error, Refusal *why)
{
    const QString key = keyOf(run.service, run.action);
    QString storeError;
    if (!m_db->begin(&storeError)) {
        *why = Refusal::StoreError;
        *error = QStringLiteral("cannot lock `%1` in the store: %2").arg(key, storeError);
        return false;
    }
    qint64 tookOver = 0;
    QString tookOverWhy;
    if (const auto lock = lockOf(key)) {
        if (!isStale(*lock)) {
            *error = describeHolder(key, *lock);
            m_db->rollback();
            *why = Refusal::AlreadyRunning;
            return false;
        }
        // Its holder is gone: the run it was doing was interrupted; the lock is ours now.
        tookOver = lock->runId;
        tookOverWhy = lock->expiresAtMs < nowMs()
            ? QStringLiteral("interrupted: its program (pid %1 on %2) stopped renewing its lock at %3").arg(lock->pid).arg(lock->host, localTime(lock->expiresAtMs))
            : QStringLiteral("interrupted: its program (pid %1 on %2) ended before the run finished").arg(lock->pid).arg(lock->host);
        QSqlQuery q(m_db->db());
        q.prepare(QStringLiteral("UPDATE action_runs SET status = 'interrupted', finished_at = ?, summary = ? WHERE id = ? AND status = 'running'"));
        q.addBindValue(nowMs());
        q.addBindValue(tookOverWhy);
        q.addBindValue(lock->runId);
        q.exec();
        QSqlQuery d(m_db->db());
        d.prepare(QStringLiteral("DELETE FROM action_locks WHERE action_key = ? AND run_id = ?"));
        d.addBindValue(key);
        d.addBindValue(lock->runId);
        d.exec();
    }
    if (!insertRun(run, &storeError)) {
        m_db->rollback();
        *why = Refusal::StoreError;
        *error = QStringLiteral("cannot record the run: %1").arg(storeError);
        return false;
    }
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("INSERT INTO action_locks (action_key, run_id, host, pid, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)"));
    q.addBindValue(key);
    q.addBindValue(run.id);
    q.addBindValue(m_host);
    q.addBindValue(m_pid);
    q.addBindValue(run.startedAtMs);
    q.addBindValue(run.startedAtMs + kLeaseMs);
    if (!q.exec()) {
        // PostgreSQL: another program inserted the lock after we looked.
        storeError = q.lastError().text();
        m_db->rollback();
        if (const auto lock = lockOf(key)) {
            *why = Refusal::AlreadyRunning;
            *error = describeHolder(key, *lock);
        } else {
            *why = Refusal::StoreError;
            *error = QStringLiteral("cannot lock `%1` in the store: %2").arg(key, storeError);
        }
        return false;
    }
    if (!m_db->commit(&storeError)) {
        *why = Refusal::StoreError;
        *error = QStringLiteral("cannot lock `%1` in the store: %2").arg(key, storeError);
        return false;
    }
    if (tookOver > 0) {
        qCInfo(lcActions) << "took over the lock of" << key << "from run" << tookOver;
        if (const auto old = get(tookOver)) {
            ActionRun interrupted = *old;
            record(interrupted, QString(), false);
        }
    }
    return true;
}

int ActionRunner::sweepInterrupted()
{
    if (!m_db || !m_db->isOpen())
        return 0;
    QSqlQuery q(m_db->db());
    if (!q.exec(QStringLiteral("SELECT r.id, r.service, r.action, l.run_id, l.host, l.pid, l.acquired_at, l.expires_at "
                               "FROM action_runs r LEFT JOIN action_locks l ON l.run_id = r.id WHERE r.status = 'running'")))
        return 0;
    struct Gone
    {
        qint64 id;
        QString key;
        QString why;
    };
    QList<Gone> gone;
    while (q.next()) {
        const qint64 id = q.value(0).toLongLong();
        if (m_active.contains(id))
            continue;
        const QString key = keyOf(q.value(1).toString(), q.value(2).toString());
        if (q.value(3).isNull()) {
            gone.append({id, key, QStringLiteral("interrupted: its program ended before the run finished")});
            continue;
        }
        const Lock lock{q.value(3).toLongLong(), q.value(4).toString(), q.value(5).toLongLong(), q.value(6).toLongLong(), q.value(7).toLongLong()};
        if (isStale(lock))
            gone.append({id, key, QStringLiteral("interrupted: its program (pid %1 on %2) ended before the run finished").arg(lock.pid).arg(lock.host)});
    }
    int count = 0;
    for (const Gone &g : std::as_const(gone)) {
        QSqlQuery u(m_db->db());
        u.prepare(QStringLiteral("UPDATE action_runs SET status = 'interrupted', finished_at = ?, summary = ? WHERE id = ? AND status = 'running'"));
        u.addBindValue(nowMs());
        u.addBindValue(g.why);
        u.addBindValue(g.id);
        if (!u.exec() || u.numRowsAffected() != 1)
            continue;
        QSqlQuery d(m_db->db());
        d.prepare(QStringLiteral("DELETE FROM action_locks WHERE action_key = ? AND run_id = ?"));
        d.addBindValue(g.key);
        d.addBindValue(g.id);
        d.exec();
        ++count;
        if (const auto run = get(g.id)) {
            ActionRun interrupted = *run;
            record(interrupted, QString(), false);
        }
    }
    return count;
}

ActionRun ActionRunner::fromRow(const QSqlQuery &q) const
{
    ActionRun r;
    r.id = q.value(0).toLongLong();
    r.service = q.value(1).toString();
    r.action = q.value(2).toString();
    r.kind = q.value(3).toString();
    const QJsonObject params = QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object();
    for (auto it = params.begin(); it != params.end(); ++it)
        r.params.insert(it.key(), it.value().toString());
    const QString preview = q.value(5).toString();
    r.preview = preview.isEmpty() ? QStringList() : preview.split(u'\n');
    r.actor = q.value(6).toString();
    r.dryRun = q.value(7).toInt() != 0;
    r.incidentId = q.value(8).toLongLong();
    r.startedAtMs = q.value(9).toLongLong();
    r.finishedAtMs = q.value(10).toLongLong();
    r.status = q.value(11).toString();
    r.exitCode = q.value(12).isNull() ? -1 : q.value(12).toInt();
    r.output = q.value(13).toString().toUtf8();
    r.outputBytes = q.value(14).toLongLong();
    r.summary = q.value(15).toString();
    if (r.status == u"running") {
        if (const std::shared_ptr<Active> a = m_active.value(r.id))
            return a->run; // with its output so far
        // Shown as interrupted as soon as its holder is known to be gone, even before a sweep.
        const bool held = !q.value(16).isNull()
            && !isStale(Lock{q.value(16).toLongLong(), q.value(17).toString(), q.value(18).toLongLong(), q.value(20).toLongLong(),
                             q.value(19).toLongLong()});
        if (!held)
            r.status = QStringLiteral("interrupted");
    }
    return r;
}

std::optional<ActionRun> ActionRunner::get(qint64 runId) const
{
    if (!m_db || !m_db->isOpen())
        return std::nullopt;
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("SELECT %1 FROM action_runs r LEFT JOIN action_locks l ON l.run_id = r.id WHERE r.id = ?").arg(kRunColumns));
    q.addBindValue(runId);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return fromRow(q);
}

QList<ActionRun> ActionRunner::history(const QString &service, const QString &action, int limit) const
{
    QList<ActionRun> runs;
    if (!m_db || !m_db->isOpen())
        return runs;
    QString where;
    if (!service.isEmpty())
        where += QStringLiteral(" AND r.service = ?");
    if (!action.isEmpty())
        where += QStringLiteral(" AND r.action = ?");
    QSqlQuery q(m_db->db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM action_runs r LEFT JOIN action_locks l ON l.run_id = r.id WHERE 1 = 1%2 ORDER BY r.id DESC LIMIT ?")
                  .arg(kRunColumns, where));
    if (!service.isEmpty())
        q.addBindValue(service);
    if (!action.isEmpty())
        q.addBindValue(action);
    q.addBindValue(limit > 0 ? limit : 50);
    if (!q.exec()) {
        qCWarning(lcActions) << "cannot read the runs:" << q.lastError().text();
        return runs;
    }
    while (q.next())
        runs << fromRow(q);
    return runs;
}
