#include "builtinconfig.h"

#include "backupinventory.h"
#include "conditionparser.h"
#include "duration.h"

#include <QDir>

namespace {

ConfigIssue issue(const ActionConfig &a, const QString &service, const QString &key, const QString &message)
{
    ConfigIssue i;
    i.severity = ConfigIssue::Severity::Error;
    i.where = a.where;
    i.field = QStringLiteral("services[%1].actions[%2].%3").arg(service, a.name, key);
    i.message = message;
    return i;
}

ConditionSpec condition(const QString &text, const SourceLocation &where)
{
    ConditionSpec spec;
    spec.where = where;
    const auto parsed = ConditionParser::parse(text);
    // The texts are built here from a valid duration; a parse failure is a programming error.
    Q_ASSERT(std::holds_alternative<Condition>(parsed));
    if (const Condition *c = std::get_if<Condition>(&parsed))
        spec.condition = *c;
    return spec;
}

QString compact(qint64 ms)
{
    return Duration::format(ms).remove(u' ');
}

bool inside(const QString &path, const QString &folder)
{
    const QString p = QDir::cleanPath(QDir(path).absolutePath());
    const QString f = QDir::cleanPath(QDir(folder).absolutePath());
    return p == f || p.startsWith(f + u'/');
}

} // namespace

QString backupCheckName(const QString &action)
{
    return QStringLiteral("backup-") + action;
}

CheckConfig backupAgeCheck(const ActionConfig &a)
{
    CheckConfig c;
    c.name = backupCheckName(a.name);
    c.kind = CheckKind::FileAge;
    c.path = QDir(a.to).filePath(BackupInventory::nameFilter(a));
    // A file's age changes slowly: looking every 1/20 of the limit (1 to 15 minutes) is plenty.
    c.intervalMs = qBound(qint64(60'000), a.maxAgeMs / 20, qint64(15 * 60'000));
    c.timeoutMs = 10'000;
    c.failureThreshold = 1;
    c.successThreshold = 1;
    c.where = a.where;
    const qint64 down = a.maxAgeDownMs > 0 ? a.maxAgeDownMs : 2 * a.maxAgeMs;
    c.conditions << condition(QStringLiteral("warning: [AGE] < ") + compact(a.maxAgeMs), a.where)
                 << condition(QStringLiteral("[AGE] < ") + compact(down), a.where);
    return c;
}

QList<ConfigIssue> completeBuiltinActions(ServiceConfig &service)
{
    QList<ConfigIssue> issues;
    for (ActionConfig &a : service.actions) {
        if (a.kind != ActionKind::Builtin)
            continue;
        switch (a.builtin) {
        case BuiltinKind::Restore:
        case BuiltinKind::PgRestore:
            a.confirm = true; // a restore replaces live data: never without the operator saying so
            break;
        case BuiltinKind::RotateSecret:
            if (a.verifyCheck.isEmpty()) {
                issues << issue(a, service.name, QStringLiteral("verify_check"),
                                QStringLiteral("missing: rotate-secret needs the check (of this service) that proves the new key works"));
            } else if (const CheckConfig *check = service.check(a.verifyCheck)) {
                a.verifyCheckConfig = *check;
                if (!a.secret.isEmpty() && !check->secretCarriers().join(QString()).contains(QStringLiteral("${secret:%1}").arg(a.secret)))
                    issues << issue(a, service.name, QStringLiteral("verify_check"),
                                    QStringLiteral("check `%1` does not use ${secret:%2}, so it cannot tell whether the new key works")
                                        .arg(a.verifyCheck, a.secret));
            } else {
                QStringList names;
                for (const CheckConfig &c : service.checks)
                    names << c.name;
                issues << issue(a, service.name, QStringLiteral("verify_check"),
                                QStringLiteral("no check `%1` in service `%2`; its checks: %3").arg(a.verifyCheck, service.name, names.join(QStringLiteral(", "))));
            }
            break;
        case BuiltinKind::TarArchive:
            for (const QString &source : a.sources)
                if (!a.to.isEmpty() && inside(a.to, source))
                    issues << issue(a, service.name, QStringLiteral("to"),
                                    QStringLiteral("`%1` lies inside the source `%2`: the archive would contain itself").arg(a.to, source));
            break;
        case BuiltinKind::SqliteBackup:
        case BuiltinKind::PgDump:
        case BuiltinKind::Prune:
            break;
        }
        if (a.isBackup() && a.maxAgeMs > 0) {
            if (a.maxAgeDownMs > 0 && a.maxAgeDownMs <= a.maxAgeMs) {
                issues << issue(a, service.name, QStringLiteral("max_age_down"),
                                QStringLiteral("must be longer than max_age (%1)").arg(Duration::format(a.maxAgeMs)));
                continue;
            }
            const QString name = backupCheckName(a.name);
            if (service.check(name)) {
                issues << issue(a, service.name, QStringLiteral("max_age"),
                                QStringLiteral("the backup's age check would be named `%1`, but the service already has a check of that name").arg(name));
                continue;
            }
            service.checks << backupAgeCheck(a);
        }
    }
    return issues;
}
