#include "config.h"

#include <QUrl>

QString checkKindName(CheckKind kind)
{
    switch (kind) {
    case CheckKind::Http: return QStringLiteral("http");
    case CheckKind::Tcp: return QStringLiteral("tcp");
    case CheckKind::Command: return QStringLiteral("command");
    case CheckKind::Sql: return QStringLiteral("sql");
    case CheckKind::Disk: return QStringLiteral("disk");
    case CheckKind::FileAge: return QStringLiteral("file_age");
    case CheckKind::Log: return QStringLiteral("log");
    }
    return {};
}

std::optional<CheckKind> checkKindFromName(QStringView name)
{
    for (CheckKind k : {CheckKind::Http, CheckKind::Tcp, CheckKind::Command, CheckKind::Sql, CheckKind::Disk,
                        CheckKind::FileAge, CheckKind::Log}) {
        if (name == checkKindName(k))
            return k;
    }
    return std::nullopt;
}

QStringList placeholdersFor(CheckKind kind)
{
    switch (kind) {
    case CheckKind::Http:
        return {QStringLiteral("STATUS"), QStringLiteral("RESPONSE_TIME"), QStringLiteral("BODY"),
                QStringLiteral("HEADER"), QStringLiteral("CERTIFICATE_EXPIRATION"), QStringLiteral("CONNECTED")};
    case CheckKind::Tcp:
        return {QStringLiteral("CONNECTED"), QStringLiteral("RESPONSE_TIME")};
    case CheckKind::Command:
        return {QStringLiteral("EXIT_CODE"), QStringLiteral("OUTPUT"), QStringLiteral("RESPONSE_TIME")};
    case CheckKind::Sql:
        return {QStringLiteral("CONNECTED"), QStringLiteral("VALUE"), QStringLiteral("ROWS"),
                QStringLiteral("RESPONSE_TIME")};
    case CheckKind::Disk:
        return {QStringLiteral("FREE"), QStringLiteral("FREE_PERCENT"), QStringLiteral("USED_PERCENT"),
                QStringLiteral("SIZE")};
    case CheckKind::FileAge:
        return {QStringLiteral("AGE"), QStringLiteral("COUNT"), QStringLiteral("SIZE")};
    case CheckKind::Log:
        return {QStringLiteral("COUNT")};
    }
    return {};
}

QString CheckConfig::target() const
{
    switch (kind) {
    case CheckKind::Http: {
        const QString host = QUrl(http.url).host();
        return host.isEmpty() ? http.url : host;
    }
    case CheckKind::Tcp: return tcp.host;
    case CheckKind::Sql: {
        if (sql.driver == u"QPSQL")
            return QUrl(sql.connection).host();
        return QStringLiteral("localhost");
    }
    default: return QStringLiteral("localhost");
    }
}

QStringList CheckConfig::secretCarriers() const
{
    QStringList out;
    switch (kind) {
    case CheckKind::Http:
        out << http.url << http.body;
        for (const auto &h : http.headers)
            out << h.second;
        break;
    case CheckKind::Sql: out << sql.connection; break;
    case CheckKind::Command:
        // Not argv: arguments are visible to every user in /proc; secrets go through the environment.
        for (const auto &e : command.environment)
            out << e.second;
        break;
    default: break;
    }
    return out;
}

CheckConfig CheckConfig::withCarriers(const QStringList &texts) const
{
    CheckConfig out = *this;
    qsizetype i = 0;
    auto next = [&](QString &field) {
        if (i < texts.size())
            field = texts[i++];
    };
    switch (kind) {
    case CheckKind::Http:
        next(out.http.url);
        next(out.http.body);
        for (auto &h : out.http.headers)
            next(h.second);
        break;
    case CheckKind::Sql: next(out.sql.connection); break;
    case CheckKind::Command:
        for (auto &e : out.command.environment)
            next(e.second);
        break;
    default: break;
    }
    return out;
}

const CheckConfig *ServiceConfig::check(QStringView checkName) const
{
    for (const CheckConfig &c : checks) {
        if (c.name == checkName)
            return &c;
    }
    return nullptr;
}

const ServiceConfig *Config::service(QStringView serviceName) const
{
    for (const ServiceConfig &s : services) {
        if (s.name == serviceName)
            return &s;
    }
    return nullptr;
}

const SeverityScheme *Config::scheme(const ServiceConfig &s) const
{
    return SeveritySchemes::find(severitySchemes, s.severityScheme);
}

QString incidentCauseName(IncidentCause cause)
{
    switch (cause) {
    case IncidentCause::Down: return QStringLiteral("down");
    case IncidentCause::Degraded: return QStringLiteral("degraded");
    case IncidentCause::BudgetCritical: return QStringLiteral("budget_critical");
    case IncidentCause::BurnPage: return QStringLiteral("burn_page");
    case IncidentCause::Failover: return QStringLiteral("failover");
    }
    return {};
}

std::optional<IncidentCause> incidentCauseFromName(QStringView name)
{
    for (IncidentCause c : {IncidentCause::Down, IncidentCause::Degraded, IncidentCause::BudgetCritical,
                            IncidentCause::BurnPage, IncidentCause::Failover})
        if (name == incidentCauseName(c))
            return c;
    return std::nullopt;
}

QString notifyKindName(NotifyChannel::Kind kind)
{
    switch (kind) {
    case NotifyChannel::Kind::Ntfy: return QStringLiteral("ntfy");
    case NotifyChannel::Kind::Telegram: return QStringLiteral("telegram");
    case NotifyChannel::Kind::Slack: return QStringLiteral("slack");
    case NotifyChannel::Kind::Webhook: return QStringLiteral("webhook");
    case NotifyChannel::Kind::Desktop: return QStringLiteral("desktop");
    }
    return {};
}

int Config::checkCount() const
{
    int n = 0;
    for (const ServiceConfig &s : services)
        n += int(s.checks.size());
    return n;
}

QString ConfigIssue::toString() const
{
    QString out = where.file;
    if (where.line > 0)
        out += u':' + QString::number(where.line) + u':' + QString::number(where.column);
    out += severity == Severity::Error ? QStringLiteral(": error: ") : QStringLiteral(": warning: ");
    if (!field.isEmpty())
        out += field + QStringLiteral(": ");
    return out + message;
}

QString builtinKindName(BuiltinKind kind)
{
    switch (kind) {
    case BuiltinKind::SqliteBackup: return QStringLiteral("sqlite-backup");
    case BuiltinKind::PgDump: return QStringLiteral("pg-dump");
    case BuiltinKind::PgRestore: return QStringLiteral("pg-restore");
    case BuiltinKind::TarArchive: return QStringLiteral("tar");
    case BuiltinKind::Prune: return QStringLiteral("prune");
    case BuiltinKind::RotateSecret: return QStringLiteral("rotate-secret");
    case BuiltinKind::Restore: return QStringLiteral("restore");
    }
    return {};
}

std::optional<BuiltinKind> builtinKindFromName(QStringView name)
{
    for (BuiltinKind k : {BuiltinKind::SqliteBackup, BuiltinKind::PgDump, BuiltinKind::PgRestore, BuiltinKind::TarArchive,
                          BuiltinKind::Prune, BuiltinKind::RotateSecret, BuiltinKind::Restore}) {
        if (name == builtinKindName(k))
            return k;
    }
    return std::nullopt;
}

const ActionParam *ActionConfig::param(QStringView paramName) const
{
    for (const ActionParam &p : params) {
        if (p.name == paramName)
            return &p;
    }
    return nullptr;
}

bool ActionConfig::isBackup() const
{
    return kind == ActionKind::Builtin
        && (builtin == BuiltinKind::SqliteBackup || builtin == BuiltinKind::PgDump || builtin == BuiltinKind::TarArchive);
}

const ActionConfig *ServiceConfig::action(QStringView actionName) const
{
    for (const ActionConfig &a : actions) {
        if (a.name == actionName)
            return &a;
    }
    return nullptr;
}

QString failoverModeName(FailoverConfig::Mode mode)
{
    switch (mode) {
    case FailoverConfig::Mode::Off: return QStringLiteral("off");
    case FailoverConfig::Mode::Manual: return QStringLiteral("manual");
    case FailoverConfig::Mode::Automatic: return QStringLiteral("automatic");
    case FailoverConfig::Mode::Test: return QStringLiteral("test");
    }
    return {};
}

std::optional<FailoverConfig::Mode> failoverModeFromName(QStringView name)
{
    for (auto m : {FailoverConfig::Mode::Off, FailoverConfig::Mode::Manual, FailoverConfig::Mode::Automatic,
                   FailoverConfig::Mode::Test}) {
        if (name == failoverModeName(m))
            return m;
    }
    return std::nullopt;
}

QString kioskPageName(KioskSettings::Page page)
{
    switch (page) {
    case KioskSettings::Page::Overview: return QStringLiteral("overview");
    case KioskSettings::Page::Budgets: return QStringLiteral("budgets");
    case KioskSettings::Page::Incidents: return QStringLiteral("incidents");
    case KioskSettings::Page::Failing: return QStringLiteral("failing");
    }
    return {};
}

std::optional<KioskSettings::Page> kioskPageFromName(QStringView name)
{
    for (auto p : {KioskSettings::Page::Overview, KioskSettings::Page::Budgets, KioskSettings::Page::Incidents,
                   KioskSettings::Page::Failing}) {
        if (name == kioskPageName(p))
            return p;
    }
    return std::nullopt;
}
