#pragma once

#include "condition.h"
#include "severity.h"
#include "storelocation.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <limits>
#include <optional>

// The validated configuration, as ConfigLoader produces it from one YAML file. Plain values: core
// objects are built from it, the UI shows it, nothing here talks to the outside world.

struct SourceLocation
{
    QString file;
    int line = 0;   // 1-based; 0 when unknown
    int column = 0; // 1-based
};

enum class CheckKind { Http, Tcp, Command, Sql, Disk, FileAge, Log };
QString checkKindName(CheckKind kind); // as written in `type:`
std::optional<CheckKind> checkKindFromName(QStringView name);
// Placeholders a check kind measures; a condition naming another one is a config error.
QStringList placeholdersFor(CheckKind kind);

struct ConditionSpec
{
    Condition condition;
    SourceLocation where;
};

struct HttpSettings
{
    QString url;     // may hold ${secret:NAME}
    QByteArray method = "GET";
    QList<QPair<QString, QString>> headers; // values may hold ${secret:NAME}
    QString body;
    QString caFile;  // absolute path of extra CA certificates (PEM) to trust, for self-signed servers
    bool insecure = false;
    int maxRedirects = 5;
    qint64 maxBodyBytes = 1 << 20;
};

struct TcpSettings
{
    QString host;
    int port = 0;
};

struct CommandSettings
{
    QStringList argv;
    QString workingDir;
    QList<QPair<QString, QString>> environment;
    qint64 maxOutputBytes = 64 * 1024;
};

struct SqlSettings
{
    QString driver;     // Qt driver name: QSQLITE or QPSQL
    QString connection; // a file path for SQLite, postgresql://user@host:port/db for PostgreSQL; may hold ${secret:NAME}
    QString query;
};

struct LogSettings
{
    QList<Condition> filter; // a line matches when every filter condition holds
    QStringList filterText;
    qint64 windowMs = 15 * 60'000;
    QString timeField;       // empty: the first of ts, timestamp, time, @timestamp
    qint64 maxScanBytes = 64LL << 20;
};

struct CheckConfig
{
    QString name;
    CheckKind kind = CheckKind::Http;
    qint64 intervalMs = 60'000;
    qint64 timeoutMs = 10'000;
    int failureThreshold = 2;
    int successThreshold = 1;
    QList<ConditionSpec> conditions;
    HttpSettings http;
    TcpSettings tcp;
    CommandSettings command;
    SqlSettings sql;
    QString path; // disk: a directory; file_age: a glob; log: an NDJSON file
    LogSettings log;
    SourceLocation where;

    // The host a check talks to, for the per-host concurrency limit; "localhost" for local kinds.
    QString target() const;
    // Everything that may hold a ${secret:NAME} reference, in a fixed order, and the same check with
    // those texts replaced (by their expanded form, in that order).
    QStringList secretCarriers() const;
    CheckConfig withCarriers(const QStringList &texts) const;
};

// A service's objective. Every service has one unless its config says `slo: off`; the defaults are
// the runbooks' (99.9 % over a rolling 30 days; budget warning below 25 %, critical below 10 %).
struct SloSettings
{
    bool enabled = true;
    double availability = 99.9;  // percent of events that must be good
    double latencyMs = 0;        // 0: no latency objective
    double latencyTarget = 95;   // percent of events that must be within latencyMs
    qint64 windowMs = 30LL * 86'400'000; // rolling window
    bool calendarMonth = false;  // the current calendar month (UTC) instead of a rolling window
    QStringList checks;          // which checks' results are the SLO's events; empty: all
    double budgetWarning = 25;   // percent of budget remaining below which the budget is a warning
    double budgetCritical = 10;
    int minBadEvents = 5;        // a burn-rate alert also needs this many bad events in its long window
    SourceLocation where;
};

// When an incident opens by itself. One open incident per service and cause.
enum class IncidentCause { Down, Degraded, BudgetCritical, BurnPage, Failover };
QString incidentCauseName(IncidentCause cause); // "down", "degraded", "budget_critical", "burn_page", "failover"
std::optional<IncidentCause> incidentCauseFromName(QStringView name);

struct IncidentRule
{
    IncidentCause cause = IncidentCause::Down;
    int afterResults = 0;  // down: this many consecutive down results of a check; 0 = when the service turns down
    qint64 forMs = 0;      // degraded: how long the service must have been degraded
    QString severity;      // a level of the service's scheme
    bool autoResolve = true; // resolved by itself when the cause clears; else by hand
    SourceLocation where;
};

// A typed parameter of an action (`params: { job_id: { pattern: '^[0-9a-f-]{1,64}$' } }`),
// validated before anything runs. Values are inserted as data only: URL-encoded in URLs, whole
// argv elements in commands, never through a shell.
struct ActionParam
{
    enum class Type { String, Integer, Choice };
    QString name;
    Type type = Type::String;
    QString pattern;          // string: the whole value must match (anchored by the loader)
    QString patternText;      // the pattern as written, for messages
    qint64 min = std::numeric_limits<qint64>::min(); // integer bounds, inclusive
    qint64 max = std::numeric_limits<qint64>::max();
    QStringList choices;      // choice: one of these
    std::optional<QString> defaultValue; // absent: the parameter is required
    QString description;
    SourceLocation where;
};

enum class ActionKind { Command, Http, Builtin };
enum class BuiltinKind { SqliteBackup, PgDump, PgRestore, TarArchive, Prune, RotateSecret, Restore };
QString builtinKindName(BuiltinKind kind); // as written in `builtin:` — sqlite-backup, pg-dump, pg-restore, tar, prune, rotate-secret, restore
std::optional<BuiltinKind> builtinKindFromName(QStringView name);

// A recovery step the operator runs in one click or one command. Texts may hold {param}
// placeholders and ${secret:NAME} references.
struct ActionConfig
{
    QString name;
    QString description;
    ActionKind kind = ActionKind::Command;
    // command
    QStringList argv;          // argv[0] is looked up in PATH; with shell: true, argv is [script]
    bool shell = false;        // run argv[0] through /bin/sh -c: only when written explicitly
    QString workingDir;
    QList<QPair<QString, QString>> environment;
    // http
    HttpSettings http;
    QList<int> okStatus;       // statuses that mean success; empty: 2xx
    // builtin
    BuiltinKind builtin = BuiltinKind::SqliteBackup;
    QString source;            // sqlite-backup/restore: the live database file; pg-dump/pg-restore: a
                               // postgresql:// URL (may hold ${secret:NAME}); rotate-secret: unused
    QStringList sources;       // tar: folders (and files) to archive
    QString to;                // backups: the destination folder (also what prune and verify look at)
    QString from;              // restore/pg-restore: the backup file; empty: the newest in `to`
    int keepLast = 0;          // prune (and after each backup): keep this many newest; 0: no count limit
    qint64 keepForMs = 0;      // prune: keep those younger than this; 0: no age limit
    QString secret;            // rotate-secret: the keychain name it rotates
    int secretBytes = 32;      // rotate-secret: random bytes, written as hex
    QString verifyCheck;       // rotate-secret: the check (of this service) to run with the new value
    std::optional<CheckConfig> verifyCheckConfig; // (backups) that check, copied in by completeBuiltinActions()
                               // (builtinconfig.h) when the service is loaded; its ${secret:…} unexpanded
    qint64 maxAgeMs = 0;       // backups: the newest older than this makes the backup check degraded; 0: no check
    qint64 maxAgeDownMs = 0;   // … and older than this, down (0: twice maxAgeMs)
    bool confirm = false;      // asks for explicit confirmation (restore always does)
    qint64 timeoutMs = 5 * 60'000;
    qint64 maxOutputBytes = 1 << 20; // output kept and streamed; beyond it counted, not kept
    QList<ActionParam> params;
    SourceLocation where;

    const ActionParam *param(QStringView name) const;
    // The backup built-ins: their `to` folder is a backup destination with an inventory.
    bool isBackup() const;
};

// Edge failover of one service: from its primary check to its fallback check and back, running
// actions each way. State is kept in the seed's file shape so the old tools still read it.
struct FailoverConfig
{
    enum class Mode { Off, Manual, Automatic, Test };
    QString primary;           // a check of this service
    QString fallback;          // another check of this service
    Mode mode = Mode::Manual;
    int triggerFailures = 3;   // consecutive primary failures …
    qint64 triggerWindowMs = 15 * 60'000; // … within this window
    qint64 failbackAfterMs = 30 * 60'000; // the primary healthy this long before failing back
    bool autoFailback = true;  // automatic mode fails back by itself; else by hand
    qint64 watchMs = 60 * 60'000; // after failback, a relapse within this reopens the failover
    QString stateFile;         // default: <data dir>/failover/<service>.json
    QString logFile;           // NDJSON transitions; default: the state file's name with .ndjson
    QStringList actions;       // run in order on failover, stopping at the first failure
    QStringList failbackActions;
    SourceLocation where;
};
QString failoverModeName(FailoverConfig::Mode mode); // off, manual, automatic, test
std::optional<FailoverConfig::Mode> failoverModeFromName(QStringView name);

struct ServiceConfig
{
    QString name;
    QString group;
    QString description;
    QList<CheckConfig> checks;
    SloSettings slo;
    QString severityScheme = QStringLiteral("P0-P3");
    QList<IncidentRule> incidentRules; // the defaults for the scheme unless the config gives them
    QStringList dependsOn;             // parents: while one is down, this service's failures open nothing
    QList<ActionConfig> actions;
    std::optional<FailoverConfig> failover;
    QStringList runbooks;              // absolute paths of Markdown runbooks, shown in the console
    SourceLocation where;

    const CheckConfig *check(QStringView name) const;
    const ActionConfig *action(QStringView name) const;
};

struct SchedulerSettings
{
    int maxConcurrent = 64; // probes in flight at once, over all checks
    int perHost = 6;        // probes in flight against one host
    double jitter = 0.1;    // each run is moved by up to this fraction of its interval
};

// How long each resolution of history is kept.
struct HistorySettings
{
    qint64 rawMs = 48LL * 3'600'000;
    qint64 minuteMs = 14LL * 86'400'000;
    qint64 hourMs = 400LL * 86'400'000;
};

// A planned maintenance window: once (start … end) or recurring (a cron expression and a length).
// Failures inside one are recorded but open no incidents and send no notifications.
struct MaintenanceWindow
{
    QStringList services;   // empty: every service
    qint64 startMs = 0;     // once
    qint64 endMs = 0;
    QString cron;           // recurring: "minute hour day-of-month month day-of-week", UTC
    qint64 lengthMs = 0;
    QString reason;
    bool countInSlo = false; // whether failures inside still count against the SLO
    SourceLocation where;
};

// Where notifications go. Every channel's address is configurable (self-hosted ntfy, a Telegram
// API mirror, local receivers in tests). Values may hold ${secret:NAME}.
struct NotifyChannel
{
    enum class Kind { Ntfy, Telegram, Slack, Webhook, Desktop };
    Kind kind = Kind::Ntfy;
    QString name;           // for `opsdeckctl notify test NAME`; defaults to the kind
    QString url;            // ntfy topic URL, Slack incoming webhook, webhook URL, Telegram API base
    QString token;          // Telegram bot token
    QString chat;           // Telegram chat id
    QString secret;         // webhook HMAC-SHA256 key
    QStringList services;   // routing: only these services (empty: all)
    QString minSeverity;    // routing: this level or worse of each service's scheme (empty: all)
    QStringList events;     // routing: opened, acknowledged, resolved, escalated, recurred, note, test (empty: all)
    QString quietFrom;      // "22:00" local time; empty: no quiet hours. The most severe level breaks through.
    QString quietTo;        // "07:00"
    qint64 repeatMs = 0;    // repeat while unacknowledged; 0: never
    SourceLocation where;
};
QString notifyKindName(NotifyChannel::Kind kind);

// The wall display (`kiosk:`): which screen, which pages in which order, how long each stays, how
// long a PIN unlocks acknowledgement and actions.
struct KioskSettings
{
    enum class Page { Overview, Budgets, Incidents, Failing };
    bool enabled = false;       // start in kiosk mode without --kiosk
    QString screenName;         // a screen by its name (e.g. HDMI-1); empty: by index
    int screenIndex = -1;       // a screen by its index; -1 (and no name): the primary screen
    qint64 dwellMs = 15'000;    // how long each page stays before the next
    QList<Page> pages = {Page::Overview, Page::Budgets, Page::Incidents, Page::Failing};
    qint64 unlockForMs = 5 * 60'000; // a correct PIN unlocks for this long
    bool burnInShift = true;    // move the content a few pixels now and then
    SourceLocation where;
};
QString kioskPageName(KioskSettings::Page page); // overview, budgets, incidents, failing
std::optional<KioskSettings::Page> kioskPageFromName(QStringView name);

struct Config
{
    QString path; // the file it came from
    StoreLocation store;
    SchedulerSettings scheduler;
    HistorySettings history;
    std::optional<CheckConfig> connectivity; // a probe of OpsDeck's own reachability of the world
    QList<ServiceConfig> services;
    QList<SeverityScheme> severitySchemes; // custom ones; the built-in ones always exist
    QList<MaintenanceWindow> maintenance;
    QList<NotifyChannel> notify;
    KioskSettings kiosk;

    const ServiceConfig *service(QStringView name) const;
    const SeverityScheme *scheme(const ServiceConfig &service) const;
    int checkCount() const;
};

// A problem found while loading, shown as "file:line:col: error: field: message". Core reports
// values; the CLI prints them, the GUI lists them and jumps to the place.
struct ConfigIssue
{
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    SourceLocation where;
    QString field;   // e.g. services[echopilot].checks[health].interval
    QString message;

    QString toString() const;
};
