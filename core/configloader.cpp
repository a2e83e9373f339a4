#include "configloader.h"

#include "actionparams.h"
#include "builtinconfig.h"
#include "conditionparser.h"
#include "cronexpression.h"
#include "duration.h"
#include "failoverstate.h"
#include "logging.h"
#include "quantity.h"
#include "secretresolver.h"
#include "storelocation.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QUrl>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <functional>
#include <tuple>

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

// Levenshtein distance, for "did you mean" on unknown keys.
int distance(const QString &a, const QString &b)
{
    QList<int> prev(b.size() + 1), cur(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        prev[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

const QStringList kCommonCheckKeys = {
    QStringLiteral("name"),       QStringLiteral("type"),       QStringLiteral("interval"),
    QStringLiteral("timeout"),    QStringLiteral("conditions"), QStringLiteral("failure_threshold"),
    QStringLiteral("success_threshold"), QStringLiteral("description"),
};

QStringList kindKeys(CheckKind kind)
{
    switch (kind) {
    case CheckKind::Http:
        return {QStringLiteral("url"),     QStringLiteral("method"),   QStringLiteral("headers"),
                QStringLiteral("body"),    QStringLiteral("ca_file"),  QStringLiteral("insecure"),
                QStringLiteral("max_redirects"), QStringLiteral("max_body")};
    case CheckKind::Tcp: return {QStringLiteral("host"), QStringLiteral("port")};
    case CheckKind::Command:
        return {QStringLiteral("command"), QStringLiteral("working_dir"), QStringLiteral("env"),
                QStringLiteral("max_output")};
    case CheckKind::Sql: return {QStringLiteral("driver"), QStringLiteral("connection"), QStringLiteral("query")};
    case CheckKind::Disk: return {QStringLiteral("path")};
    case CheckKind::FileAge: return {QStringLiteral("path"), QStringLiteral("max_age")};
    case CheckKind::Log:
        return {QStringLiteral("path"), QStringLiteral("filter"), QStringLiteral("window"),
                QStringLiteral("time_field"), QStringLiteral("max_scan"), QStringLiteral("limit")};
    }
    return {};
}

struct Defaults
{
    qint64 intervalMs = 60'000;
    qint64 timeoutMs = 10'000;
    int failureThreshold = 2;
    int successThreshold = 1;
};

class Loader
{
public:
    Loader(const QString &path)
        : m_path(path)
        , m_dir(QFileInfo(path).absolutePath())
    {
    }

    ConfigLoader::Result run(const QByteArray &text)
    {
        ConfigLoader::Result result;
        YAML::Node root;
        try {
            root = YAML::Load(text.toStdString());
        } catch (const YAML::ParserException &e) {
            error(at(e.mark), QString(), QStringLiteral("YAML syntax error: %1").arg(qs(e.msg)));
            result.issues = m_issues;
            return result;
        }
        Config config;
        config.path = m_path;
        if (root.IsNull()) {
            error(SourceLocation{m_path, 1, 1}, QString(), QStringLiteral("the file is empty; expected a mapping with `services:`"));
        } else if (!root.IsMap()) {
            error(at(root), QString(), QStringLiteral("expected a mapping with `services:` at the top level"));
        } else {
            loadRoot(root, config);
        }
        std::stable_sort(m_issues.begin(), m_issues.end(), [](const ConfigIssue &a, const ConfigIssue &b) {
            return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
        });
        result.issues = m_issues;
        if (errorCount() == 0)
            result.config = config;
        return result;
    }

private:
    int errorCount() const
    {
        return int(std::count_if(m_issues.begin(), m_issues.end(),
                                 [](const ConfigIssue &i) { return i.severity == ConfigIssue::Severity::Error; }));
    }

    SourceLocation at(const YAML::Mark &m) const
    {
        return {m_path, m.line + 1, m.column + 1};
    }
    SourceLocation at(const YAML::Node &n) const { return at(n.Mark()); }

    void error(const SourceLocation &where, const QString &field, const QString &message)
    {
        m_issues.append({ConfigIssue::Severity::Error, where, field, message});
    }
    void warning(const SourceLocation &where, const QString &field, const QString &message)
    {
        m_issues.append({ConfigIssue::Severity::Warning, where, field, message});
    }

    static QString nodeKind(const YAML::Node &n)
    {
        switch (n.Type()) {
        case YAML::NodeType::Map: return QStringLiteral("a mapping");
        case YAML::NodeType::Sequence: return QStringLiteral("a list");
        case YAML::NodeType::Null: return QStringLiteral("nothing");
        case YAML::NodeType::Scalar: return QStringLiteral("`%1`").arg(qs(n.Scalar()));
        case YAML::NodeType::Undefined: break;
        }
        return QStringLiteral("nothing");
    }

    bool expectMap(const YAML::Node &n, const QString &field, const QString &example = {})
    {
        if (n.IsMap())
            return true;
        error(at(n), field, QStringLiteral("expected a mapping%1, got %2").arg(example.isEmpty() ? QString() : QStringLiteral(" such as ") + example, nodeKind(n)));
        return false;
    }

    bool expectList(const YAML::Node &n, const QString &field, const QString &example = {})
    {
        if (n.IsSequence())
            return true;
        error(at(n), field, QStringLiteral("expected a list%1, got %2").arg(example.isEmpty() ? QString() : QStringLiteral(" such as ") + example, nodeKind(n)));
        return false;
    }

    // Reports unknown and duplicate keys; `elsewhere` names keys that exist but not here.
    void checkKeys(const YAML::Node &map, const QString &field, const QStringList &allowed,
                   const std::function<QString(const QString &)> &elsewhere = {})
    {
        QSet<QString> seen;
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QString key = qs(it->first.Scalar());
            const QString keyField = field.isEmpty() ? key : field + u'.' + key;
            if (seen.contains(key)) {
                error(at(it->first), keyField, QStringLiteral("duplicate key `%1`").arg(key));
                continue;
            }
            seen.insert(key);
            if (allowed.contains(key))
                continue;
            if (elsewhere) {
                const QString note = elsewhere(key);
                if (!note.isEmpty()) {
                    error(at(it->first), keyField, note);
                    continue;
                }
            }
            QString best;
            int bestDistance = 3;
            for (const QString &a : allowed) {
                const int d = distance(key, a);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = a;
                }
            }
            QString message = QStringLiteral("unknown key `%1`").arg(key);
            if (!best.isEmpty())
                message += QStringLiteral("; did you mean `%1`?").arg(best);
            else
                message += QStringLiteral("; expected one of: %1").arg(allowed.join(QStringLiteral(", ")));
            error(at(it->first), keyField, message);
        }
    }

    std::optional<QString> string(const YAML::Node &n, const QString &field, bool allowEmpty = false)
    {
        if (!n.IsScalar()) {
            error(at(n), field, QStringLiteral("expected a text value, got %1").arg(nodeKind(n)));
            return std::nullopt;
        }
        const QString s = qs(n.Scalar());
        if (s.isEmpty() && !allowEmpty) {
            error(at(n), field, QStringLiteral("must not be empty"));
            return std::nullopt;
        }
        return s;
    }

    std::optional<qint64> duration(const YAML::Node &n, const QString &field, qint64 minimumMs = 1)
    {
        if (!n.IsScalar()) {
            error(at(n), field, QStringLiteral("expected a duration, got %1").arg(nodeKind(n)));
            return std::nullopt;
        }
        const QString s = qs(n.Scalar());
        const std::optional<qint64> ms = Duration::parse(s);
        if (!ms) {
            error(at(n), field, QStringLiteral("bad duration `%1`: expected %2").arg(s, Duration::expectedForm()));
            return std::nullopt;
        }
        if (*ms < minimumMs) {
            error(at(n), field, QStringLiteral("`%1` is too short: at least %2").arg(s, Duration::format(minimumMs)));
            return std::nullopt;
        }
        return ms;
    }

    std::optional<int> integer(const YAML::Node &n, const QString &field, int minimum, int maximum)
    {
        bool ok = false;
        const int v = n.IsScalar() ? qs(n.Scalar()).toInt(&ok) : 0;
        if (!ok) {
            error(at(n), field, QStringLiteral("expected a whole number, got %1").arg(nodeKind(n)));
            return std::nullopt;
        }
        if (v < minimum || v > maximum) {
            error(at(n), field, QStringLiteral("%1 is out of range: expected %2 to %3").arg(v).arg(minimum).arg(maximum));
            return std::nullopt;
        }
        return v;
    }

    std::optional<bool> boolean(const YAML::Node &n, const QString &field)
    {
        const QString s = n.IsScalar() ? qs(n.Scalar()).toLower() : QString();
        if (s == u"true" || s == u"yes" || s == u"on")
            return true;
        if (s == u"false" || s == u"no" || s == u"off")
            return false;
        error(at(n), field, QStringLiteral("expected true or false, got %1").arg(nodeKind(n)));
        return std::nullopt;
    }

    std::optional<qint64> bytes(const YAML::Node &n, const QString &field)
    {
        const QString s = n.IsScalar() ? qs(n.Scalar()) : QString();
        const std::optional<qint64> b = Quantity::parseBytes(s);
        if (!b || *b <= 0) {
            error(at(n), field, QStringLiteral("expected a size such as 1MiB or 512KB, got %1").arg(nodeKind(n)));
            return std::nullopt;
        }
        return b;
    }

    // Paths in the config are relative to the config file; `~/` is the operator's home.
    QString resolvePath(const QString &p) const
    {
        if (p.startsWith(u"~/"))
            return QDir::homePath() + p.mid(1);
        if (QDir::isAbsolutePath(p))
            return QDir::cleanPath(p);
        return QDir::cleanPath(m_dir + u'/' + p);
    }

    bool secretsOk(const YAML::Node &n, const QString &field, const QString &text)
    {
        if (const std::optional<QString> problem = SecretResolver::validateReferences(text)) {
            error(at(n), field, *problem);
            return false;
        }
        return true;
    }

    void loadRoot(const YAML::Node &root, Config &config)
    {
        checkKeys(root, QString(),
                  {QStringLiteral("store"), QStringLiteral("defaults"), QStringLiteral("scheduler"),
                   QStringLiteral("history"), QStringLiteral("connectivity"), QStringLiteral("services"),
                   QStringLiteral("severity_schemes"), QStringLiteral("maintenance"), QStringLiteral("notify"),
                   QStringLiteral("kiosk")});
        QString storeProblem;
        config.store = *StoreLocation::parse(QStringLiteral("sqlite"), &storeProblem);
        if (const YAML::Node n = root["store"]) {
            if (const auto s = string(n, QStringLiteral("store"))) {
                if (const auto location = StoreLocation::parse(*s, &storeProblem, m_dir))
                    config.store = *location;
                else
                    error(at(n), QStringLiteral("store"), storeProblem);
            }
        }
        if (const YAML::Node n = root["defaults"])
            loadDefaults(n);
        if (const YAML::Node n = root["scheduler"])
            loadScheduler(n, config.scheduler);
        if (const YAML::Node n = root["history"])
            loadHistory(n, config.history);
        // Schemes first: services name them.
        if (const YAML::Node n = root["severity_schemes"])
            loadSchemes(n, config.severitySchemes);
        m_schemes = config.severitySchemes;
        if (const YAML::Node n = root["connectivity"]) {
            CheckConfig probe;
            probe.name = QStringLiteral("connectivity");
            if (loadCheck(n, QStringLiteral("connectivity"), probe, false))
                config.connectivity = probe;
        }
        const YAML::Node services = root["services"];
        if (!services) {
            error(at(root), QStringLiteral("services"), QStringLiteral("missing: a config needs a `services:` list"));
            return;
        }
        if (!expectList(services, QStringLiteral("services"), QStringLiteral("`- name: echopilot`")))
            return;
        QHash<QString, int> firstLine;
        for (std::size_t i = 0; i < services.size(); ++i) {
            const YAML::Node s = services[i];
            ServiceConfig service;
            const QString field = QStringLiteral("services[%1]").arg(i);
            if (!loadService(s, field, service))
                continue;
            if (firstLine.contains(service.name)) {
                error(service.where, field + QStringLiteral(".name"),
                      QStringLiteral("duplicate service name `%1` (first defined on line %2)").arg(service.name).arg(firstLine[service.name]));
                continue;
            }
            firstLine.insert(service.name, service.where.line);
            // What its built-in actions imply: backup age checks, restore confirmation,
            // rotate-secret's verify check (builtinconfig.h).
            for (const ConfigIssue &problem : completeBuiltinActions(service))
                error(problem.where, problem.field, problem.message);
            config.services.append(service);
        }
        checkDependencies(config);
        checkFailoverReferences(config);
        if (const YAML::Node n = root["maintenance"])
            loadMaintenance(n, config);
        if (const YAML::Node n = root["notify"])
            loadNotify(n, config);
        if (const YAML::Node n = root["kiosk"])
            loadKiosk(n, config.kiosk);
    }

    void loadKiosk(const YAML::Node &n, KioskSettings &k)
    {
        const QString field = QStringLiteral("kiosk");
        if (!expectMap(n, field, QStringLiteral("`{enabled: true, screen: HDMI-1, dwell: 15s}`")))
            return;
        k.where = at(n);
        checkKeys(n, field, {QStringLiteral("enabled"), QStringLiteral("screen"), QStringLiteral("dwell"),
                             QStringLiteral("pages"), QStringLiteral("unlock_for"), QStringLiteral("burn_in_shift")});
        if (const YAML::Node v = n["enabled"])
            k.enabled = boolean(v, field + QStringLiteral(".enabled")).value_or(k.enabled);
        if (const YAML::Node v = n["screen"]) {
            // A number is an index (0 is the first screen); anything else names a screen (HDMI-1).
            bool isIndex = false;
            if (v.IsScalar())
                qs(v.Scalar()).toInt(&isIndex);
            if (isIndex) {
                if (const auto i = integer(v, field + QStringLiteral(".screen"), 0, 63))
                    k.screenIndex = *i;
            } else if (const auto name = string(v, field + QStringLiteral(".screen"))) {
                k.screenName = *name;
            }
        }
        // Shorter pages cannot be read from across a room; longer ones hide the others for too long.
        if (const YAML::Node v = n["dwell"]) {
            if (const auto ms = duration(v, field + QStringLiteral(".dwell"), 3'000)) {
                if (*ms > 3'600'000)
                    error(at(v), field + QStringLiteral(".dwell"), QStringLiteral("`%1` is too long: at most 1h").arg(qs(v.Scalar())));
                else
                    k.dwellMs = *ms;
            }
        }
        if (const YAML::Node v = n["pages"]) {
            const QString pf = field + QStringLiteral(".pages");
            if (expectList(v, pf, QStringLiteral("[overview, budgets, incidents, failing]"))) {
                QList<KioskSettings::Page> pages;
                for (std::size_t i = 0; i < v.size(); ++i) {
                    const QString f = pf + QStringLiteral("[%1]").arg(i);
                    const auto name = string(v[i], f);
                    if (!name)
                        continue;
                    const auto page = kioskPageFromName(*name);
                    if (!page) {
                        error(at(v[i]), f, QStringLiteral("unknown page `%1`: expected overview, budgets, incidents or failing").arg(*name));
                    } else if (pages.contains(*page)) {
                        error(at(v[i]), f, QStringLiteral("page `%1` is listed twice").arg(*name));
                    } else {
                        pages << *page;
                    }
                }
                if (v.size() == 0)
                    error(at(v), pf, QStringLiteral("must name at least one page: overview, budgets, incidents, failing"));
                else if (!pages.isEmpty())
                    k.pages = pages;
            }
        }
        if (const YAML::Node v = n["unlock_for"]) {
            if (const auto ms = duration(v, field + QStringLiteral(".unlock_for"), 10'000)) {
                if (*ms > 3'600'000)
                    error(at(v), field + QStringLiteral(".unlock_for"), QStringLiteral("`%1` is too long: at most 1h").arg(qs(v.Scalar())));
                else
                    k.unlockForMs = *ms;
            }
        }
        if (const YAML::Node v = n["burn_in_shift"])
            k.burnInShift = boolean(v, field + QStringLiteral(".burn_in_shift")).value_or(k.burnInShift);
    }

    QStringList serviceNames(const Config &config) const
    {
        QStringList names;
        for (const ServiceConfig &s : config.services)
            names << s.name;
        return names;
    }

    void checkDependencies(Config &config)
    {
        const QStringList names = serviceNames(config);
        for (const ServiceConfig &s : config.services) {
            for (const QString &parent : s.dependsOn) {
                if (!names.contains(parent))
                    error(s.where, QStringLiteral("services[%1].depends_on").arg(s.name),
                          QStringLiteral("no service `%1` (services: %2)").arg(parent, names.join(QStringLiteral(", "))));
                else if (parent == s.name)
                    error(s.where, QStringLiteral("services[%1].depends_on").arg(s.name), QStringLiteral("a service cannot depend on itself"));
            }
        }
        // A cycle would block every service in it forever.
        for (const ServiceConfig &s : config.services) {
            QStringList path{s.name};
            std::function<bool(const QString &)> reaches = [&](const QString &name) -> bool {
                const ServiceConfig *node = config.service(name);
                if (!node)
                    return false;
                for (const QString &p : node->dependsOn) {
                    if (p == s.name) {
                        path << p;
                        return true;
                    }
                    if (path.contains(p) || p == name)
                        continue;
                    path << p;
                    if (reaches(p))
                        return true;
                    path.removeLast();
                }
                return false;
            };
            if (reaches(s.name)) {
                error(s.where, QStringLiteral("services[%1].depends_on").arg(s.name),
                      QStringLiteral("a dependency cycle: %1").arg(path.join(QStringLiteral(" → "))));
                return;
            }
        }
    }

    void loadSchemes(const YAML::Node &n, QList<SeverityScheme> &schemes)
    {
        const QString field = QStringLiteral("severity_schemes");
        if (!expectList(n, field, QStringLiteral("`- {name: ours, levels: [{name: SEV1, acknowledge: 5m}]}`")))
            return;
        for (std::size_t i = 0; i < n.size(); ++i) {
            const YAML::Node s = n[i];
            QString f = field + QStringLiteral("[%1]").arg(i);
            if (!expectMap(s, f))
                continue;
            checkKeys(s, f, {QStringLiteral("name"), QStringLiteral("levels")});
            SeverityScheme scheme;
            if (const YAML::Node v = s["name"])
                scheme.name = string(v, f + QStringLiteral(".name")).value_or(QString());
            if (scheme.name.isEmpty()) {
                error(at(s), f, QStringLiteral("missing `name`"));
                continue;
            }
            if (SeveritySchemes::find(schemes, scheme.name)) {
                error(at(s["name"]), f + QStringLiteral(".name"),
                      QStringLiteral("`%1` already exists (built in: P0-P3, Level 1-3, P1-P4)").arg(scheme.name));
                continue;
            }
            f = field + u'[' + scheme.name + u']';
            const YAML::Node levels = s["levels"];
            if (!levels || !expectList(levels, f + QStringLiteral(".levels"), QStringLiteral("[{name: SEV1, acknowledge: 5m}]"))) {
                if (!levels)
                    error(at(s), f + QStringLiteral(".levels"), QStringLiteral("missing: the levels, most severe first"));
                continue;
            }
            for (std::size_t j = 0; j < levels.size(); ++j) {
                const YAML::Node l = levels[j];
                const QString lf = f + QStringLiteral(".levels[%1]").arg(j);
                if (!expectMap(l, lf))
                    continue;
                checkKeys(l, lf, {QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("acknowledge"),
                                  QStringLiteral("diagnose"), QStringLiteral("mitigate")});
                SeverityLevel level;
                level.name = l["name"] ? string(l["name"], lf + QStringLiteral(".name")).value_or(QString()) : QString();
                if (level.name.isEmpty()) {
                    error(at(l), lf, QStringLiteral("missing `name`"));
                    continue;
                }
                if (scheme.level(level.name))
                    error(at(l["name"]), lf + QStringLiteral(".name"), QStringLiteral("duplicate level `%1`").arg(level.name));
                if (const YAML::Node v = l["description"])
                    level.description = string(v, lf + QStringLiteral(".description"), true).value_or(QString());
                auto target = [&](const char *key, qint64 *out) {
                    if (const YAML::Node v = l[key]) {
                        const QString t = v.IsScalar() ? qs(v.Scalar()) : QString();
                        if (t == u"immediate")
                            *out = 0;
                        else if (t == u"next business day")
                            level.nextBusinessDay = true;
                        else if (const auto d = duration(v, lf + u'.' + QLatin1String(key)))
                            *out = *d;
                    }
                };
                target("acknowledge", &level.acknowledgeMs);
                target("diagnose", &level.diagnoseMs);
                target("mitigate", &level.mitigateMs);
                scheme.levels << level;
            }
            if (scheme.levels.isEmpty())
                error(at(levels), f + QStringLiteral(".levels"), QStringLiteral("a scheme needs at least one level"));
            else
                schemes << scheme;
        }
    }

    std::optional<qint64> timestamp(const YAML::Node &n, const QString &field)
    {
        const QString t = n.IsScalar() ? qs(n.Scalar()) : QString();
        QDateTime dt = QDateTime::fromString(t, Qt::ISODate);
        if (!dt.isValid() || !(t.endsWith(u'Z') || t.contains(u'+') || t.lastIndexOf(u'-') > 9)) {
            error(at(n), field, QStringLiteral("expected a date and time with its zone, e.g. 2026-12-01T02:00Z or 2026-12-01T03:00+01:00, got %1").arg(nodeKind(n)));
            return std::nullopt;
        }
        return dt.toMSecsSinceEpoch();
    }

    void loadMaintenance(const YAML::Node &n, Config &config)
    {
        const QString field = QStringLiteral("maintenance");
        if (!expectList(n, field, QStringLiteral("`- {service: api, start: 2026-12-01T02:00Z, end: 2026-12-01T04:00Z}`")))
            return;
        const QStringList names = serviceNames(config);
        for (std::size_t i = 0; i < n.size(); ++i) {
            const YAML::Node m = n[i];
            const QString f = field + QStringLiteral("[%1]").arg(i);
            if (!expectMap(m, f))
                continue;
            checkKeys(m, f, {QStringLiteral("service"), QStringLiteral("services"), QStringLiteral("start"), QStringLiteral("end"),
                             QStringLiteral("every"), QStringLiteral("for"), QStringLiteral("reason"), QStringLiteral("count_in_slo")});
            MaintenanceWindow w;
            w.where = at(m);
            bool ok = true;
            if (const YAML::Node v = m["service"])
                w.services << string(v, f + QStringLiteral(".service")).value_or(QString());
            if (const YAML::Node v = m["services"]) {
                if (expectList(v, f + QStringLiteral(".services")))
                    for (std::size_t j = 0; j < v.size(); ++j)
                        w.services << string(v[j], f + QStringLiteral(".services[%1]").arg(j)).value_or(QString());
            }
            for (const QString &svc : std::as_const(w.services)) {
                if (!names.contains(svc)) {
                    error(at(m), f, QStringLiteral("no service `%1` (services: %2)").arg(svc, names.join(QStringLiteral(", "))));
                    ok = false;
                }
            }
            if (const YAML::Node v = m["reason"])
                w.reason = string(v, f + QStringLiteral(".reason"), true).value_or(QString());
            if (const YAML::Node v = m["count_in_slo"])
                w.countInSlo = boolean(v, f + QStringLiteral(".count_in_slo")).value_or(false);
            if (const YAML::Node every = m["every"]) {
                QString problem;
                const auto cron = CronExpression::parse(every.IsScalar() ? qs(every.Scalar()) : QString(), &problem);
                if (!cron) {
                    error(at(every), f + QStringLiteral(".every"), problem);
                    ok = false;
                } else {
                    w.cron = cron->text();
                }
                if (const YAML::Node len = m["for"])
                    w.lengthMs = duration(len, f + QStringLiteral(".for"), 60'000).value_or(0);
                else
                    error(at(m), f + QStringLiteral(".for"), QStringLiteral("missing: how long each recurring window lasts, e.g. 2h"));
                ok = ok && w.lengthMs > 0;
                if (m["start"] || m["end"])
                    error(at(m), f, QStringLiteral("give either `start`/`end` (once) or `every`/`for` (recurring), not both"));
            } else {
                const YAML::Node start = m["start"];
                if (!start) {
                    error(at(m), f, QStringLiteral("missing `start` (with `end` or `for`) or `every` (with `for`)"));
                    continue;
                }
                const auto from = timestamp(start, f + QStringLiteral(".start"));
                std::optional<qint64> to;
                if (const YAML::Node end = m["end"])
                    to = timestamp(end, f + QStringLiteral(".end"));
                else if (const YAML::Node len = m["for"]; len && from)
                    if (const auto d = duration(len, f + QStringLiteral(".for"), 60'000))
                        to = *from + *d;
                if (!m["end"] && !m["for"])
                    error(at(m), f, QStringLiteral("missing `end` or `for`"));
                if (from && to && *to <= *from)
                    error(at(m["end"] ? m["end"] : m), f + QStringLiteral(".end"), QStringLiteral("ends before it starts"));
                ok = ok && from && to && *to > *from;
                if (ok) {
                    w.startMs = *from;
                    w.endMs = *to;
                }
            }
            if (ok)
                config.maintenance << w;
        }
    }

    void loadNotify(const YAML::Node &n, Config &config)
    {
        const QString field = QStringLiteral("notify");
        if (!expectList(n, field, QStringLiteral("`- ntfy: {url: https://ntfy.sh/my-topic}`")))
            return;
        const QStringList names = serviceNames(config);
        QSet<QString> channelNames;
        for (std::size_t i = 0; i < n.size(); ++i) {
            const YAML::Node item = n[i];
            QString f = field + QStringLiteral("[%1]").arg(i);
            if (!expectMap(item, f, QStringLiteral("`{ntfy: {url: …}}`")))
                continue;
            if (item.size() != 1) {
                error(at(item), f, QStringLiteral("one channel per item: ntfy, telegram, slack, webhook or desktop"));
                continue;
            }
            const QString kind = qs(item.begin()->first.Scalar());
            const YAML::Node c = item.begin()->second;
            NotifyChannel ch;
            ch.where = at(item);
            static const QHash<QString, NotifyChannel::Kind> kinds = {
                {QStringLiteral("ntfy"), NotifyChannel::Kind::Ntfy},       {QStringLiteral("telegram"), NotifyChannel::Kind::Telegram},
                {QStringLiteral("slack"), NotifyChannel::Kind::Slack},     {QStringLiteral("webhook"), NotifyChannel::Kind::Webhook},
                {QStringLiteral("desktop"), NotifyChannel::Kind::Desktop}};
            if (!kinds.contains(kind)) {
                error(at(item.begin()->first), f, QStringLiteral("unknown channel `%1`: expected ntfy, telegram, slack, webhook or desktop").arg(kind));
                continue;
            }
            ch.kind = kinds.value(kind);
            f += u'.' + kind;
            if (!c.IsNull() && !expectMap(c, f))
                continue;
            QStringList keys = {QStringLiteral("name"), QStringLiteral("services"), QStringLiteral("min_severity"),
                                QStringLiteral("events"), QStringLiteral("quiet_hours"), QStringLiteral("repeat")};
            switch (ch.kind) {
            case NotifyChannel::Kind::Ntfy:
            case NotifyChannel::Kind::Slack: keys << QStringLiteral("url"); break;
            case NotifyChannel::Kind::Webhook: keys << QStringLiteral("url") << QStringLiteral("secret"); break;
            case NotifyChannel::Kind::Telegram: keys << QStringLiteral("token") << QStringLiteral("chat") << QStringLiteral("url"); break;
            case NotifyChannel::Kind::Desktop: break;
            }
            if (c.IsMap())
                checkKeys(c, f, keys);
            auto text = [&](const char *key, QString *out, bool required) {
                const YAML::Node v = c.IsMap() ? c[key] : YAML::Node();
                if (!v) {
                    if (required)
                        error(at(c.IsMap() ? c : item), f + u'.' + QLatin1String(key), QStringLiteral("missing"));
                    return;
                }
                const auto value = string(v, f + u'.' + QLatin1String(key));
                if (value && secretsOk(v, f + u'.' + QLatin1String(key), *value))
                    *out = *value;
            };
            text("name", &ch.name, false);
            switch (ch.kind) {
            case NotifyChannel::Kind::Ntfy:
            case NotifyChannel::Kind::Slack:
            case NotifyChannel::Kind::Webhook: text("url", &ch.url, true); break;
            case NotifyChannel::Kind::Telegram:
                text("token", &ch.token, true);
                text("chat", &ch.chat, true);
                text("url", &ch.url, false);
                if (ch.url.isEmpty())
                    ch.url = QStringLiteral("https://api.telegram.org");
                break;
            case NotifyChannel::Kind::Desktop: break;
            }
            if (ch.kind == NotifyChannel::Kind::Webhook)
                text("secret", &ch.secret, false);
            if (!ch.url.isEmpty() && !SecretResolver::hasReferences(ch.url)) {
                const QUrl u(ch.url, QUrl::StrictMode);
                if (!u.isValid() || (u.scheme() != u"http" && u.scheme() != u"https") || u.host().isEmpty())
                    error(at(c["url"] ? c["url"] : c), f + QStringLiteral(".url"), QStringLiteral("bad URL `%1`: expected an http:// or https:// address").arg(ch.url));
            }
            if (ch.name.isEmpty())
                ch.name = kind;
            if (channelNames.contains(ch.name)) {
                error(at(item), f, QStringLiteral("two channels are called `%1`; give them `name:`s").arg(ch.name));
                continue;
            }
            channelNames.insert(ch.name);
            if (c.IsMap()) {
                if (const YAML::Node v = c["services"]; v && expectList(v, f + QStringLiteral(".services"))) {
                    for (std::size_t j = 0; j < v.size(); ++j) {
                        const QString svc = string(v[j], f + QStringLiteral(".services[%1]").arg(j)).value_or(QString());
                        if (!names.contains(svc))
                            error(at(v[j]), f + QStringLiteral(".services[%1]").arg(j), QStringLiteral("no service `%1`").arg(svc));
                        ch.services << svc;
                    }
                }
                if (const YAML::Node v = c["min_severity"]) {
                    ch.minSeverity = string(v, f + QStringLiteral(".min_severity")).value_or(QString());
                    bool known = false;
                    for (const ServiceConfig &svc : config.services)
                        if (const SeverityScheme *scheme = config.scheme(svc))
                            known = known || scheme->level(ch.minSeverity);
                    if (!known)
                        error(at(v), f + QStringLiteral(".min_severity"), QStringLiteral("no service's severity scheme has a level `%1`").arg(ch.minSeverity));
                }
                if (const YAML::Node v = c["events"]; v && expectList(v, f + QStringLiteral(".events"))) {
                    static const QStringList known = {QStringLiteral("opened"), QStringLiteral("acknowledged"), QStringLiteral("resolved"),
                                                      QStringLiteral("escalated"), QStringLiteral("recurred"), QStringLiteral("note"),
                                                      QStringLiteral("severity"), QStringLiteral("state"), QStringLiteral("test")};
                    for (std::size_t j = 0; j < v.size(); ++j) {
                        const QString e = string(v[j], f + QStringLiteral(".events[%1]").arg(j)).value_or(QString());
                        if (!known.contains(e))
                            error(at(v[j]), f + QStringLiteral(".events[%1]").arg(j), QStringLiteral("unknown event `%1`; known: %2").arg(e, known.join(QStringLiteral(", "))));
                        ch.events << e;
                    }
                }
                if (const YAML::Node v = c["quiet_hours"]) {
                    const QString q = v.IsScalar() ? qs(v.Scalar()) : QString();
                    const QStringList parts = q.split(u'-');
                    const QTime a = parts.size() == 2 ? QTime::fromString(parts[0].trimmed(), QStringLiteral("HH:mm")) : QTime();
                    const QTime b = parts.size() == 2 ? QTime::fromString(parts[1].trimmed(), QStringLiteral("HH:mm")) : QTime();
                    if (!a.isValid() || !b.isValid())
                        error(at(v), f + QStringLiteral(".quiet_hours"), QStringLiteral("expected local times like 22:00-07:00, got %1").arg(nodeKind(v)));
                    else {
                        ch.quietFrom = parts[0].trimmed();
                        ch.quietTo = parts[1].trimmed();
                    }
                }
                if (const YAML::Node v = c["repeat"])
                    ch.repeatMs = duration(v, f + QStringLiteral(".repeat"), 60'000).value_or(0);
            }
            config.notify << ch;
        }
    }

    // services[].actions: recovery steps — a command (an argument list), an HTTP request or a
    // built-in — with typed parameters. What each names (parameters, the service's checks) is
    // checked here, so a config that loads can be run.
    void loadActions(const YAML::Node &n, const QString &field, ServiceConfig &service)
    {
        if (!expectList(n, field, QStringLiteral("`- {name: restart-worker, command: [docker, compose, restart, worker]}`")))
            return;
        QHash<QString, int> firstLine;
        for (std::size_t i = 0; i < n.size(); ++i) {
            ActionConfig action;
            const QString actionField = field + QStringLiteral("[%1]").arg(i);
            const bool loaded = loadAction(n[i], actionField, service, action);
            if (action.name.isEmpty())
                continue;
            if (firstLine.contains(action.name)) {
                error(action.where, actionField + QStringLiteral(".name"),
                      QStringLiteral("duplicate action name `%1` in service `%2` (first defined on line %3)")
                          .arg(action.name, service.name)
                          .arg(firstLine[action.name]));
                continue;
            }
            firstLine.insert(action.name, action.where.line);
            if (loaded)
                service.actions.append(action);
        }
    }

    static QStringList actionKeysFor(ActionKind kind, BuiltinKind builtin)
    {
        switch (kind) {
        case ActionKind::Command:
            return {QStringLiteral("command"), QStringLiteral("shell"), QStringLiteral("working_dir"), QStringLiteral("env")};
        case ActionKind::Http: return {QStringLiteral("http"), QStringLiteral("ok_status")};
        case ActionKind::Builtin: break;
        }
        const QStringList retention = {QStringLiteral("keep_last"), QStringLiteral("keep_for")};
        const QStringList age = {QStringLiteral("max_age"), QStringLiteral("max_age_down")};
        QStringList keys{QStringLiteral("builtin")};
        switch (builtin) {
        case BuiltinKind::SqliteBackup:
        case BuiltinKind::PgDump: keys << QStringLiteral("source") << QStringLiteral("to") << retention << age; break;
        case BuiltinKind::TarArchive: keys << QStringLiteral("sources") << QStringLiteral("to") << retention << age; break;
        case BuiltinKind::Prune: keys << QStringLiteral("to") << retention; break;
        case BuiltinKind::PgRestore:
        case BuiltinKind::Restore: keys << QStringLiteral("source") << QStringLiteral("from") << QStringLiteral("to"); break;
        case BuiltinKind::RotateSecret:
            keys << QStringLiteral("secret") << QStringLiteral("secret_bytes") << QStringLiteral("verify_check");
            break;
        }
        return keys;
    }

    // Every `{name}` in `text` must be a parameter of the action.
    bool placeholdersOk(const YAML::Node &node, const QString &field, const QString &text, const ActionConfig &a)
    {
        bool ok = true;
        for (const ActionParams::Segment &s : ActionParams::segments(text)) {
            if (s.kind != ActionParams::Segment::Kind::Param || a.param(s.text))
                continue;
            SourceLocation where = at(node);
            if (!text.contains(u'\n'))
                where.column += (node.Tag() == "!" ? 1 : 0) + int(s.offset);
            QStringList names;
            for (const ActionParam &p : a.params)
                names << p.name;
            error(where, field, names.isEmpty()
                      ? QStringLiteral("`{%1}` names no parameter: this action declares none (add it under `params:`)").arg(s.text)
                      : QStringLiteral("`{%1}` names no parameter of this action (its parameters: %2)").arg(s.text, names.join(QStringLiteral(", "))));
            ok = false;
        }
        return ok;
    }

    bool loadAction(const YAML::Node &n, QString field, const ServiceConfig &service, ActionConfig &a)
    {
        if (!expectMap(n, field, QStringLiteral("`{name: restart-worker, command: [docker, compose, restart, worker]}`")))
            return false;
        a.where = at(n);
        const YAML::Node nameNode = n["name"];
        if (!nameNode) {
            error(at(n), field, QStringLiteral("missing `name`"));
            return false;
        }
        const auto name = string(nameNode, field + QStringLiteral(".name"));
        if (!name)
            return false;
        static const QRegularExpression validName(QStringLiteral("\\A[A-Za-z0-9][A-Za-z0-9._-]*\\z"));
        if (!validName.match(*name).hasMatch()) {
            error(at(nameNode), field + QStringLiteral(".name"),
                  QStringLiteral("`%1` is not a usable action name: letters, digits, `.`, `_` and `-` (it is typed as SERVICE/ACTION)").arg(*name));
            return false;
        }
        a.name = *name;
        a.where = at(nameNode);
        field = field.left(field.lastIndexOf(u'[')) + u'[' + a.name + u']';

        // Exactly one of command, http and builtin says what kind of action it is.
        QStringList kinds;
        for (const char *key : {"command", "http", "builtin"})
            if (n[key])
                kinds << QLatin1String(key);
        if (kinds.isEmpty()) {
            error(a.where, field, QStringLiteral("missing what to run: give one of `command` (an argument list), `http` (a request) "
                                                 "or `builtin` (sqlite-backup, pg-dump, pg-restore, tar, prune, rotate-secret, restore)"));
            return false;
        }
        if (kinds.size() > 1) {
            error(at(n[kinds.at(1).toLatin1().constData()]), field + u'.' + kinds.at(1),
                  QStringLiteral("an action is one of `command`, `http` or `builtin`, not several: this one has `%1`").arg(kinds.join(QStringLiteral("` and `"))));
            return false;
        }
        if (kinds.first() == u"command") {
            a.kind = ActionKind::Command;
        } else if (kinds.first() == u"http") {
            a.kind = ActionKind::Http;
        } else {
            a.kind = ActionKind::Builtin;
            const YAML::Node b = n["builtin"];
            const auto kind = b.IsScalar() ? builtinKindFromName(qs(b.Scalar())) : std::nullopt;
            if (!kind) {
                error(at(b), field + QStringLiteral(".builtin"),
                      QStringLiteral("unknown built-in %1: expected sqlite-backup, pg-dump, pg-restore, tar, prune, rotate-secret or restore").arg(nodeKind(b)));
                return false;
            }
            a.builtin = *kind;
        }

        const QStringList common = {QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("timeout"),
                                    QStringLiteral("max_output"), QStringLiteral("confirm"), QStringLiteral("params")};
        const QString kindName = a.kind == ActionKind::Command ? QStringLiteral("command actions")
            : a.kind == ActionKind::Http                       ? QStringLiteral("http actions")
                                                               : QStringLiteral("the built-in `%1`").arg(builtinKindName(a.builtin));
        checkKeys(n, field, common + actionKeysFor(a.kind, a.builtin), [&](const QString &key) {
            QStringList owners;
            if (actionKeysFor(ActionKind::Command, a.builtin).contains(key))
                owners << QStringLiteral("command actions");
            if (actionKeysFor(ActionKind::Http, a.builtin).contains(key))
                owners << QStringLiteral("http actions");
            QStringList builtins;
            for (BuiltinKind k : {BuiltinKind::SqliteBackup, BuiltinKind::PgDump, BuiltinKind::PgRestore, BuiltinKind::TarArchive,
                                  BuiltinKind::Prune, BuiltinKind::RotateSecret, BuiltinKind::Restore})
                if (key != u"builtin" && actionKeysFor(ActionKind::Builtin, k).contains(key))
                    builtins << builtinKindName(k);
            if (!builtins.isEmpty())
                owners << QStringLiteral("the built-ins %1").arg(builtins.join(QStringLiteral(", ")));
            if (owners.isEmpty())
                return QString();
            return QStringLiteral("`%1` does not apply to %2 (it is for %3)").arg(key, kindName, owners.join(QStringLiteral(", ")));
        });

        bool ok = true;
        if (const YAML::Node v = n["description"])
            a.description = string(v, field + QStringLiteral(".description"), true).value_or(QString());
        if (const YAML::Node v = n["timeout"]) {
            const auto d = duration(v, field + QStringLiteral(".timeout"), 10);
            ok = ok && d;
            a.timeoutMs = d.value_or(a.timeoutMs);
        }
        if (const YAML::Node v = n["max_output"]) {
            const auto b = bytes(v, field + QStringLiteral(".max_output"));
            ok = ok && b;
            a.maxOutputBytes = b.value_or(a.maxOutputBytes);
        }
        if (const YAML::Node v = n["confirm"]) {
            const auto b = boolean(v, field + QStringLiteral(".confirm"));
            ok = ok && b;
            a.confirm = b.value_or(false);
        }
        if (const YAML::Node v = n["params"])
            ok = loadActionParams(v, field + QStringLiteral(".params"), a) && ok;

        switch (a.kind) {
        case ActionKind::Command: ok = loadCommandAction(n, field, a) && ok; break;
        case ActionKind::Http: ok = loadHttpAction(n, field, a) && ok; break;
        case ActionKind::Builtin: ok = loadBuiltinAction(n, field, service, a) && ok; break;
        }
        return ok;
    }

    bool loadActionParams(const YAML::Node &n, const QString &field, ActionConfig &a)
    {
        if (!expectMap(n, field, QStringLiteral("`{job_id: {pattern: '^[A-Za-z0-9-]{1,64}$'}}`")))
            return false;
        bool ok = true;
        for (auto it = n.begin(); it != n.end(); ++it) {
            const QString name = qs(it->first.Scalar());
            const QString f = field + u'.' + name;
            if (!ActionParams::isValidName(name)) {
                error(at(it->first), f, QStringLiteral("`%1` is not a usable parameter name: a letter or `_`, then letters, digits, `_` or `-`").arg(name));
                ok = false;
                continue;
            }
            if (a.param(name)) {
                error(at(it->first), f, QStringLiteral("duplicate parameter `%1`").arg(name));
                ok = false;
                continue;
            }
            const YAML::Node p = it->second;
            ActionParam param;
            param.name = name;
            param.where = at(it->first);
            if (!p.IsNull()) {
                if (!expectMap(p, f, QStringLiteral("`{pattern: '^[0-9]+$'}`, `{type: integer, min: 1, max: 10}` or `{choices: [a, b]}`"))) {
                    ok = false;
                    continue;
                }
                checkKeys(p, f, {QStringLiteral("type"), QStringLiteral("pattern"), QStringLiteral("min"), QStringLiteral("max"),
                                 QStringLiteral("choices"), QStringLiteral("default"), QStringLiteral("description")});
                // Kept even when invalid (the action does not load then): its placeholders are
                // not reported a second time as undeclared.
                ok = loadActionParam(p, f, param) && ok;
            }
            a.params << param;
        }
        return ok;
    }

    bool loadActionParam(const YAML::Node &p, const QString &f, ActionParam &param)
    {
        bool ok = true;
        std::optional<ActionParam::Type> type;
        if (const YAML::Node v = p["type"]) {
            const QString t = v.IsScalar() ? qs(v.Scalar()) : QString();
            if (t == u"string")
                type = ActionParam::Type::String;
            else if (t == u"integer")
                type = ActionParam::Type::Integer;
            else if (t == u"choice")
                type = ActionParam::Type::Choice;
            else {
                error(at(v), f + QStringLiteral(".type"), QStringLiteral("unknown type %1: expected string, integer or choice").arg(nodeKind(v)));
                return false;
            }
        }
        // The keys say the type when `type:` does not.
        const ActionParam::Type implied = p["choices"]           ? ActionParam::Type::Choice
            : (p["min"] || p["max"])                              ? ActionParam::Type::Integer
                                                                  : ActionParam::Type::String;
        param.type = type.value_or(implied);
        auto onlyFor = [&](const char *key, ActionParam::Type t, const QString &what) {
            if (p[key] && param.type != t) {
                error(at(p[key]), f + u'.' + QLatin1String(key), QStringLiteral("`%1` is for %2 parameters").arg(QLatin1String(key), what));
                ok = false;
            }
        };
        onlyFor("pattern", ActionParam::Type::String, QStringLiteral("string"));
        onlyFor("min", ActionParam::Type::Integer, QStringLiteral("integer"));
        onlyFor("max", ActionParam::Type::Integer, QStringLiteral("integer"));
        onlyFor("choices", ActionParam::Type::Choice, QStringLiteral("choice"));
        if (!ok)
            return false;
        if (const YAML::Node v = p["description"])
            param.description = string(v, f + QStringLiteral(".description"), true).value_or(QString());
        if (const YAML::Node v = p["pattern"]) {
            const auto text = string(v, f + QStringLiteral(".pattern"));
            if (!text)
                return false;
            const QRegularExpression re(*text);
            if (!re.isValid()) {
                SourceLocation where = at(v);
                if (!text->contains(u'\n'))
                    where.column += (v.Tag() == "!" ? 1 : 0) + int(re.patternErrorOffset());
                error(where, f + QStringLiteral(".pattern"), QStringLiteral("bad regular expression `%1`: %2 at character %3")
                                                                 .arg(*text, re.errorString())
                                                                 .arg(re.patternErrorOffset() + 1));
                return false;
            }
            param.patternText = *text;
            // The whole value must match, whether or not the pattern says ^…$.
            param.pattern = QRegularExpression::anchoredPattern(*text);
        }
        auto bound = [&](const char *key, qint64 *out) {
            if (const YAML::Node v = p[key]) {
                bool good = false;
                const qint64 value = v.IsScalar() ? qs(v.Scalar()).toLongLong(&good) : 0;
                if (!good) {
                    error(at(v), f + u'.' + QLatin1String(key), QStringLiteral("expected a whole number, got %1").arg(nodeKind(v)));
                    ok = false;
                } else {
                    *out = value;
                }
            }
        };
        bound("min", &param.min);
        bound("max", &param.max);
        if (ok && param.min > param.max) {
            error(at(p["max"]), f + QStringLiteral(".max"), QStringLiteral("max (%1) is below min (%2)").arg(param.max).arg(param.min));
            ok = false;
        }
        if (const YAML::Node v = p["choices"]) {
            if (!expectList(v, f + QStringLiteral(".choices"), QStringLiteral("[staging, production]")))
                return false;
            for (std::size_t i = 0; i < v.size(); ++i)
                if (const auto c = string(v[i], f + QStringLiteral(".choices[%1]").arg(i)))
                    param.choices << *c;
            if (param.choices.isEmpty()) {
                error(at(v), f + QStringLiteral(".choices"), QStringLiteral("the list is empty: give the values that may be chosen"));
                ok = false;
            }
        } else if (param.type == ActionParam::Type::Choice) {
            error(at(p), f + QStringLiteral(".choices"), QStringLiteral("missing: a choice parameter needs `choices: [a, b]`"));
            ok = false;
        }
        if (const YAML::Node v = p["default"]; v && ok) {
            const QString value = v.IsScalar() ? qs(v.Scalar()) : QString();
            const QString problem = v.IsScalar() ? ActionParams::check(param, value)
                                                 : QStringLiteral("expected a value, got %1").arg(nodeKind(v));
            if (!problem.isEmpty()) {
                error(at(v), f + QStringLiteral(".default"), QStringLiteral("the default is not valid: %1").arg(problem));
                ok = false;
            } else {
                param.defaultValue = value;
            }
        }
        return ok;
    }

    bool loadCommandAction(const YAML::Node &n, const QString &field, ActionConfig &a)
    {
        bool ok = true;
        if (const YAML::Node v = n["shell"]) {
            const auto b = boolean(v, field + QStringLiteral(".shell"));
            ok = ok && b;
            a.shell = b.value_or(false);
        }
        const YAML::Node cmd = n["command"];
        const QString cf = field + QStringLiteral(".command");
        if (cmd.IsScalar() && !a.shell) {
            error(at(cmd), cf, QStringLiteral("expected an argument list such as [docker, compose, restart, worker], not one string: "
                                              "no shell is involved unless the action says `shell: true`"));
            return false;
        }
        if (cmd.IsScalar()) {
            a.argv << qs(cmd.Scalar());
        } else {
            if (!expectList(cmd, cf))
                return false;
            for (std::size_t i = 0; i < cmd.size(); ++i) {
                const auto s = string(cmd[i], cf + QStringLiteral("[%1]").arg(i), true);
                if (!s)
                    return false;
                if (SecretResolver::hasReferences(*s)) {
                    error(at(cmd[i]), cf + QStringLiteral("[%1]").arg(i),
                          QStringLiteral("secrets go through `env`, never the argument list (every user of the machine can read it in `ps`)"));
                    ok = false;
                }
                if (!a.shell)
                    ok = placeholdersOk(cmd[i], cf + QStringLiteral("[%1]").arg(i), *s, a) && ok;
                a.argv << *s;
            }
        }
        if (a.argv.isEmpty() || a.argv.first().isEmpty()) {
            error(at(cmd), cf, a.shell ? QStringLiteral("the script is empty") : QStringLiteral("the argument list is empty: the first item is the program to run"));
            return false;
        }
        if (a.shell) {
            if (a.argv.size() != 1) {
                error(at(cmd), cf, QStringLiteral("with `shell: true`, `command` is one script: [\"…\"], not %1 items").arg(a.argv.size()));
                return false;
            }
            // Values are never pasted into shell text: the script reads them from its environment.
            const QStringList used = ActionParams::placeholders(a.argv.first());
            if (!used.isEmpty()) {
                error(at(cmd), cf, QStringLiteral("a shell script gets its parameters as environment variables, never pasted into the script: "
                                                  "write \"$%1\" instead of `{%2}`")
                                       .arg(ActionParams::envName(used.first()), used.first()));
                ok = false;
            }
        }
        if (const YAML::Node v = n["working_dir"]) {
            if (const auto s = string(v, field + QStringLiteral(".working_dir"))) {
                ok = placeholdersOk(v, field + QStringLiteral(".working_dir"), *s, a) && ok;
                a.workingDir = resolvePath(*s);
            } else {
                ok = false;
            }
        }
        if (const YAML::Node v = n["env"]) {
            if (expectMap(v, field + QStringLiteral(".env"), QStringLiteral("`{PGPASSWORD: \"${secret:pg}\"}`"))) {
                static const QRegularExpression envName(QStringLiteral("\\A[A-Za-z_][A-Za-z0-9_]*\\z"));
                for (auto it = v.begin(); it != v.end(); ++it) {
                    const QString key = qs(it->first.Scalar());
                    const QString ef = field + QStringLiteral(".env.") + key;
                    if (!envName.match(key).hasMatch()) {
                        error(at(it->first), ef, QStringLiteral("`%1` is not an environment variable name: letters, digits and `_`").arg(key));
                        ok = false;
                        continue;
                    }
                    const auto value = string(it->second, ef, true);
                    if (value && secretsOk(it->second, ef, *value) && placeholdersOk(it->second, ef, *value, a))
                        a.environment.append({key, *value});
                    else
                        ok = false;
                }
            } else {
                ok = false;
            }
        }
        return ok;
    }

    bool loadHttpAction(const YAML::Node &n, const QString &field, ActionConfig &a)
    {
        const YAML::Node h = n["http"];
        const QString hf = field + QStringLiteral(".http");
        if (!expectMap(h, hf, QStringLiteral("`{method: POST, url: \"https://…/api/job/{job_id}/retry\"}`")))
            return false;
        checkKeys(h, hf, {QStringLiteral("method"), QStringLiteral("url"), QStringLiteral("headers"), QStringLiteral("body"),
                          QStringLiteral("ca_file"), QStringLiteral("insecure")});
        bool ok = true;
        const YAML::Node url = h["url"];
        if (!url) {
            error(at(h), hf + QStringLiteral(".url"), QStringLiteral("missing: the address to send the request to"));
            ok = false;
        } else if (const auto s = string(url, hf + QStringLiteral(".url"))) {
            if (secretsOk(url, hf + QStringLiteral(".url"), *s) && placeholdersOk(url, hf + QStringLiteral(".url"), *s, a)) {
                // Parameters and secrets stand in for text: check the URL's shape with harmless stand-ins.
                QHash<QString, QString> standIns;
                for (const ActionParam &p : a.params)
                    standIns.insert(p.name, QStringLiteral("x"));
                QHash<QString, QString> secretStandIns;
                for (const QString &name : SecretResolver::references(*s))
                    secretStandIns.insert(name, QStringLiteral("secret"));
                const QUrl u(ActionParams::expand(*s, standIns, &secretStandIns), QUrl::StrictMode);
                const QString scheme = u.scheme().toLower();
                if (!u.isValid())
                    error(at(url), hf + QStringLiteral(".url"), QStringLiteral("bad URL `%1`: %2").arg(*s, u.errorString()));
                else if (scheme != u"http" && scheme != u"https")
                    error(at(url), hf + QStringLiteral(".url"), QStringLiteral("bad URL `%1`: expected an http:// or https:// address").arg(*s));
                else if (u.host().isEmpty())
                    error(at(url), hf + QStringLiteral(".url"), QStringLiteral("bad URL `%1`: no host").arg(*s));
                else
                    a.http.url = *s;
            }
            ok = ok && !a.http.url.isEmpty();
        } else {
            ok = false;
        }
        a.http.method = "POST";
        if (const YAML::Node v = h["method"]) {
            static const QStringList methods = {QStringLiteral("GET"), QStringLiteral("HEAD"), QStringLiteral("POST"), QStringLiteral("PUT"),
                                                QStringLiteral("PATCH"), QStringLiteral("DELETE"), QStringLiteral("OPTIONS")};
            const QString m = v.IsScalar() ? qs(v.Scalar()).toUpper() : QString();
            if (methods.contains(m)) {
                a.http.method = m.toLatin1();
            } else {
                error(at(v), hf + QStringLiteral(".method"), QStringLiteral("unknown method %1: expected one of %2").arg(nodeKind(v), methods.join(u", ")));
                ok = false;
            }
        }
        if (const YAML::Node v = h["headers"]) {
            if (expectMap(v, hf + QStringLiteral(".headers"), QStringLiteral("`{X-Dash-Key: \"${secret:dash-key}\"}`"))) {
                for (auto it = v.begin(); it != v.end(); ++it) {
                    const QString name = qs(it->first.Scalar());
                    const QString f = hf + QStringLiteral(".headers.") + name;
                    const auto value = string(it->second, f, true);
                    if (!value || !secretsOk(it->second, f, *value) || !placeholdersOk(it->second, f, *value, a)) {
                        ok = false;
                        continue;
                    }
                    a.http.headers.append({name, *value});
                }
            } else {
                ok = false;
            }
        }
        if (const YAML::Node v = h["body"]) {
            const auto s = string(v, hf + QStringLiteral(".body"), true);
            if (s && secretsOk(v, hf + QStringLiteral(".body"), *s) && placeholdersOk(v, hf + QStringLiteral(".body"), *s, a))
                a.http.body = *s;
            else
                ok = false;
        }
        if (const YAML::Node v = h["ca_file"]) {
            if (const auto s = string(v, hf + QStringLiteral(".ca_file")))
                a.http.caFile = resolvePath(*s);
            else
                ok = false;
        }
        if (const YAML::Node v = h["insecure"]) {
            if (const auto b = boolean(v, hf + QStringLiteral(".insecure"))) {
                a.http.insecure = *b;
                if (*b)
                    warning(at(v), hf + QStringLiteral(".insecure"),
                            QStringLiteral("TLS certificate verification is OFF: anyone on the path can impersonate this server; trust its certificate with `ca_file` instead"));
            } else {
                ok = false;
            }
        }
        if (const YAML::Node v = n["ok_status"]) {
            const QString sf = field + QStringLiteral(".ok_status");
            QList<YAML::Node> items;
            if (v.IsSequence())
                for (std::size_t i = 0; i < v.size(); ++i)
                    items << v[i];
            else
                items << v;
            for (qsizetype i = 0; i < items.size(); ++i) {
                if (const auto status = integer(items[i], v.IsSequence() ? sf + QStringLiteral("[%1]").arg(i) : sf, 100, 599))
                    a.okStatus << *status;
                else
                    ok = false;
            }
        }
        return ok;
    }

    bool loadBuiltinAction(const YAML::Node &n, const QString &field, const ServiceConfig &service, ActionConfig &a)
    {
        bool ok = true;
        const QString builtin = builtinKindName(a.builtin);
        const QStringList keys = actionKeysFor(ActionKind::Builtin, a.builtin);
        auto text = [&](const char *key, QString *out, bool isPath) {
            const YAML::Node v = n[key];
            if (!v || !keys.contains(QLatin1String(key)))
                return;
            const QString f = field + u'.' + QLatin1String(key);
            const auto s = string(v, f);
            if (!s || !secretsOk(v, f, *s) || !placeholdersOk(v, f, *s, a)) {
                ok = false;
                return;
            }
            *out = isPath ? resolvePath(*s) : *s;
        };
        // `source` is a file for SQLite, a postgresql:// URL for PostgreSQL (restore takes either).
        const YAML::Node sourceNode = n["source"];
        const bool pgSource = a.builtin == BuiltinKind::PgDump || a.builtin == BuiltinKind::PgRestore
            || (sourceNode && sourceNode.IsScalar() && qs(sourceNode.Scalar()).startsWith(u"postgres"));
        text("source", &a.source, !pgSource);
        if (pgSource && !a.source.isEmpty()) {
            QString probe = a.source;
            for (const QString &name : SecretResolver::references(a.source))
                probe.replace(QStringLiteral("${secret:%1}").arg(name), QStringLiteral("secret"));
            const QUrl u(probe, QUrl::StrictMode);
            if (!u.isValid() || (u.scheme() != u"postgresql" && u.scheme() != u"postgres") || u.path().size() < 2) {
                error(at(sourceNode), field + QStringLiteral(".source"),
                      QStringLiteral("bad PostgreSQL connection `%1`: expected postgresql://user@host:port/database").arg(SecretResolver::masked(a.source)));
                ok = false;
            }
        }
        text("to", &a.to, true);
        text("from", &a.from, true);
        if (const YAML::Node v = n["sources"]; v && keys.contains(QStringLiteral("sources"))) {
            if (expectList(v, field + QStringLiteral(".sources"), QStringLiteral("[.data, config]"))) {
                for (std::size_t i = 0; i < v.size(); ++i) {
                    const QString f = field + QStringLiteral(".sources[%1]").arg(i);
                    const auto s = string(v[i], f);
                    if (s && placeholdersOk(v[i], f, *s, a))
                        a.sources << resolvePath(*s);
                    else
                        ok = false;
                }
            } else {
                ok = false;
            }
        }
        if (const YAML::Node v = n["keep_last"]; v && keys.contains(QStringLiteral("keep_last"))) {
            const auto k = integer(v, field + QStringLiteral(".keep_last"), 1, 1'000'000);
            ok = ok && k;
            a.keepLast = k.value_or(0);
        }
        if (const YAML::Node v = n["keep_for"]; v && keys.contains(QStringLiteral("keep_for"))) {
            const auto d = duration(v, field + QStringLiteral(".keep_for"), 60'000);
            ok = ok && d;
            a.keepForMs = d.value_or(0);
        }
        if (const YAML::Node v = n["max_age"]; v && keys.contains(QStringLiteral("max_age"))) {
            const auto d = duration(v, field + QStringLiteral(".max_age"), 60'000);
            ok = ok && d;
            a.maxAgeMs = d.value_or(0);
        }
        if (const YAML::Node v = n["max_age_down"]; v && keys.contains(QStringLiteral("max_age_down"))) {
            const auto d = duration(v, field + QStringLiteral(".max_age_down"), 60'000);
            ok = ok && d;
            a.maxAgeDownMs = d.value_or(0);
            if (d && !n["max_age"]) {
                error(at(v), field + QStringLiteral(".max_age_down"), QStringLiteral("needs `max_age`, the age at which the backup check turns degraded"));
                ok = false;
            } else if (d && a.maxAgeMs > 0 && *d <= a.maxAgeMs) {
                error(at(v), field + QStringLiteral(".max_age_down"), QStringLiteral("must be longer than `max_age` (%1): down comes after degraded")
                                                                         .arg(Duration::format(a.maxAgeMs)));
                ok = false;
            }
        }
        if (const YAML::Node v = n["secret"]; v && keys.contains(QStringLiteral("secret"))) {
            if (const auto s = string(v, field + QStringLiteral(".secret"))) {
                if (SecretStore::isValidName(*s))
                    a.secret = *s;
                else {
                    error(at(v), field + QStringLiteral(".secret"),
                          QStringLiteral("`%1` is not a secret name: ASCII letters, digits, `.`, `_` and `-` (the name, not `${secret:…}`)").arg(*s));
                    ok = false;
                }
            } else {
                ok = false;
            }
        }
        if (const YAML::Node v = n["secret_bytes"]; v && keys.contains(QStringLiteral("secret_bytes"))) {
            const auto b = integer(v, field + QStringLiteral(".secret_bytes"), 16, 1024);
            ok = ok && b;
            a.secretBytes = b.value_or(a.secretBytes);
        }
        if (const YAML::Node v = n["verify_check"]; v && keys.contains(QStringLiteral("verify_check"))) {
            if (const auto s = string(v, field + QStringLiteral(".verify_check"))) {
                if (service.check(*s)) {
                    a.verifyCheck = *s;
                } else {
                    QStringList known;
                    for (const CheckConfig &c : service.checks)
                        known << c.name;
                    error(at(v), field + QStringLiteral(".verify_check"), QStringLiteral("no check `%1` in service `%2` (its checks: %3)")
                                                                             .arg(*s, service.name, known.join(QStringLiteral(", "))));
                    ok = false;
                }
            } else {
                ok = false;
            }
        }
        // What each built-in cannot do without.
        auto require = [&](const char *key, bool present, const QString &what) {
            if (!present) {
                error(a.where, field + u'.' + QLatin1String(key), QStringLiteral("missing: the built-in %1 needs %2").arg(builtin, what));
                ok = false;
            }
        };
        switch (a.builtin) {
        case BuiltinKind::SqliteBackup:
            require("source", n["source"].IsDefined(), QStringLiteral("`source`, the live SQLite database file"));
            require("to", n["to"].IsDefined(), QStringLiteral("`to`, the folder the backups go into"));
            break;
        case BuiltinKind::PgDump:
            require("source", n["source"].IsDefined(), QStringLiteral("`source`, the database as postgresql://user@host:port/db"));
            require("to", n["to"].IsDefined(), QStringLiteral("`to`, the folder the dumps go into"));
            break;
        case BuiltinKind::TarArchive:
            require("sources", n["sources"].IsDefined(), QStringLiteral("`sources`, the folders and files to archive"));
            require("to", n["to"].IsDefined(), QStringLiteral("`to`, the folder the archives go into"));
            break;
        case BuiltinKind::Prune:
            require("to", n["to"].IsDefined(), QStringLiteral("`to`, the backup folder to prune"));
            require("keep_last", n["keep_last"].IsDefined() || n["keep_for"].IsDefined(),
                    QStringLiteral("`keep_last` or `keep_for` (or both): what to keep"));
            break;
        case BuiltinKind::PgRestore:
        case BuiltinKind::Restore:
            require("source", n["source"].IsDefined(), QStringLiteral("`source`, the database to restore into"));
            require("from", n["from"].IsDefined() || n["to"].IsDefined(),
                    QStringLiteral("`from` (the backup file) or `to` (the backup folder, whose newest file is restored)"));
            break;
        case BuiltinKind::RotateSecret:
            require("secret", n["secret"].IsDefined(), QStringLiteral("`secret`, the keychain name it rotates"));
            break;
        }
        // A restore always asks first.
        if (a.builtin == BuiltinKind::Restore || a.builtin == BuiltinKind::PgRestore) {
            if (const YAML::Node v = n["confirm"]; v && !a.confirm)
                warning(at(v), field + QStringLiteral(".confirm"), QStringLiteral("a restore always asks for confirmation; `confirm: false` is ignored"));
            a.confirm = true;
        }
        return ok;
    }

    void loadDefaults(const YAML::Node &n)
    {
        const QString field = QStringLiteral("defaults");
        if (!expectMap(n, field, QStringLiteral("`{interval: 30s, timeout: 5s}`")))
            return;
        checkKeys(n, field,
                  {QStringLiteral("interval"), QStringLiteral("timeout"), QStringLiteral("failure_threshold"),
                   QStringLiteral("success_threshold")});
        if (const YAML::Node v = n["interval"])
            if (const auto d = duration(v, field + QStringLiteral(".interval"), 100))
                m_defaults.intervalMs = *d;
        if (const YAML::Node v = n["timeout"])
            if (const auto d = duration(v, field + QStringLiteral(".timeout"), 10))
                m_defaults.timeoutMs = *d;
        if (const YAML::Node v = n["failure_threshold"])
            if (const auto i = integer(v, field + QStringLiteral(".failure_threshold"), 1, 100))
                m_defaults.failureThreshold = *i;
        if (const YAML::Node v = n["success_threshold"])
            if (const auto i = integer(v, field + QStringLiteral(".success_threshold"), 1, 100))
                m_defaults.successThreshold = *i;
    }

    void loadScheduler(const YAML::Node &n, SchedulerSettings &s)
    {
        const QString field = QStringLiteral("scheduler");
        if (!expectMap(n, field, QStringLiteral("`{max_concurrent: 64, per_host: 6}`")))
            return;
        checkKeys(n, field, {QStringLiteral("max_concurrent"), QStringLiteral("per_host"), QStringLiteral("jitter")});
        if (const YAML::Node v = n["max_concurrent"])
            if (const auto i = integer(v, field + QStringLiteral(".max_concurrent"), 1, 10000))
                s.maxConcurrent = *i;
        if (const YAML::Node v = n["per_host"])
            if (const auto i = integer(v, field + QStringLiteral(".per_host"), 1, 10000))
                s.perHost = *i;
        if (const YAML::Node v = n["jitter"]) {
            bool ok = false;
            const double j = v.IsScalar() ? qs(v.Scalar()).toDouble(&ok) : 0;
            if (!ok || j < 0 || j > 0.5)
                error(at(v), field + QStringLiteral(".jitter"), QStringLiteral("expected a fraction of the interval from 0 to 0.5, got %1").arg(nodeKind(v)));
            else
                s.jitter = j;
        }
    }

    void loadHistory(const YAML::Node &n, HistorySettings &h)
    {
        const QString field = QStringLiteral("history");
        if (!expectMap(n, field, QStringLiteral("`{raw: 48h, minutes: 14d, hours: 400d}`")))
            return;
        checkKeys(n, field, {QStringLiteral("raw"), QStringLiteral("minutes"), QStringLiteral("hours")});
        if (const YAML::Node v = n["raw"])
            h.rawMs = duration(v, field + QStringLiteral(".raw"), 3'600'000).value_or(h.rawMs);
        if (const YAML::Node v = n["minutes"])
            h.minuteMs = duration(v, field + QStringLiteral(".minutes"), 3'600'000).value_or(h.minuteMs);
        if (const YAML::Node v = n["hours"])
            h.hourMs = duration(v, field + QStringLiteral(".hours"), 86'400'000).value_or(h.hourMs);
        // Each tier is built from the finer one while that still exists: the finer must not outlive it.
        if (h.minuteMs < h.rawMs)
            error(at(n), field + QStringLiteral(".minutes"), QStringLiteral("per-minute history (%1) must be kept at least as long as raw results (%2)")
                                                               .arg(Duration::format(h.minuteMs), Duration::format(h.rawMs)));
        if (h.hourMs < h.minuteMs)
            error(at(n), field + QStringLiteral(".hours"), QStringLiteral("per-hour history (%1) must be kept at least as long as per-minute history (%2)")
                                                             .arg(Duration::format(h.hourMs), Duration::format(h.minuteMs)));
    }

    std::optional<double> number(const YAML::Node &n, const QString &field, double minimum, double maximum, bool inclusive = true)
    {
        bool ok = false;
        const double v = n.IsScalar() ? qs(n.Scalar()).remove(u'%').toDouble(&ok) : 0;
        if (!ok) {
            error(at(n), field, QStringLiteral("expected a number, got %1").arg(nodeKind(n)));
            return std::nullopt;
        }
        const bool inside = inclusive ? v >= minimum && v <= maximum : v > minimum && v < maximum;
        if (!inside) {
            error(at(n), field, QStringLiteral("%1 is out of range: expected %2 %3 and %4 %5")
                                    .arg(v)
                                    .arg(inclusive ? QStringLiteral("from") : QStringLiteral("more than"))
                                    .arg(minimum)
                                    .arg(inclusive ? QStringLiteral("to") : QStringLiteral("less than"))
                                    .arg(maximum));
            return std::nullopt;
        }
        return v;
    }

    // The rules of a service, or the defaults for its scheme: down opens the most severe level, a
    // critical budget or a page-level burn the next, fifteen minutes degraded the third.
    void loadIncidentRules(const YAML::Node &n, const QString &field, ServiceConfig &service)
    {
        const SeverityScheme *scheme = SeveritySchemes::find(m_schemes, service.severityScheme);
        if (!scheme)
            return;
        auto levelAt = [&](int i) { return scheme->levels.at(qMin<qsizetype>(i, scheme->levels.size() - 1)).name; };
        if (!n) {
            service.incidentRules = {
                {IncidentCause::Down, 0, 0, levelAt(0), true, service.where},
                {IncidentCause::Failover, 0, 0, levelAt(0), false, service.where},
                {IncidentCause::BurnPage, 0, 0, levelAt(1), true, service.where},
                {IncidentCause::BudgetCritical, 0, 0, levelAt(1), true, service.where},
                {IncidentCause::Degraded, 0, 15 * 60'000, levelAt(2), true, service.where},
            };
            return;
        }
        if (!expectList(n, field, QStringLiteral("[{on: down, after: 3, severity: P1}]")))
            return;
        QSet<int> seen;
        for (std::size_t i = 0; i < n.size(); ++i) {
            const YAML::Node r = n[i];
            const QString f = field + QStringLiteral("[%1]").arg(i);
            if (!expectMap(r, f))
                continue;
            checkKeys(r, f, {QStringLiteral("on"), QStringLiteral("after"), QStringLiteral("for"), QStringLiteral("severity"),
                             QStringLiteral("resolve")});
            IncidentRule rule;
            rule.where = at(r);
            const YAML::Node on = r["on"];
            const auto cause = on && on.IsScalar() ? incidentCauseFromName(qs(on.Scalar())) : std::nullopt;
            if (!cause) {
                error(at(on ? on : r), f + QStringLiteral(".on"),
                      QStringLiteral("expected down, degraded, budget_critical, burn_page or failover, got %1").arg(on ? nodeKind(on) : QStringLiteral("nothing")));
                continue;
            }
            rule.cause = *cause;
            if (seen.contains(int(rule.cause)))
                error(at(on), f + QStringLiteral(".on"), QStringLiteral("a second rule for `%1`: one open incident per service and cause").arg(incidentCauseName(rule.cause)));
            seen.insert(int(rule.cause));
            if (const YAML::Node v = r["after"]) {
                if (rule.cause != IncidentCause::Down)
                    error(at(v), f + QStringLiteral(".after"), QStringLiteral("`after` (consecutive down results) is for `on: down`"));
                rule.afterResults = integer(v, f + QStringLiteral(".after"), 1, 1000).value_or(0);
            }
            if (const YAML::Node v = r["for"]) {
                if (rule.cause != IncidentCause::Degraded)
                    error(at(v), f + QStringLiteral(".for"), QStringLiteral("`for` (how long degraded) is for `on: degraded`"));
                rule.forMs = duration(v, f + QStringLiteral(".for"), 0).value_or(0);
            }
            if (const YAML::Node v = r["severity"]) {
                rule.severity = string(v, f + QStringLiteral(".severity")).value_or(QString());
                if (!scheme->level(rule.severity)) {
                    QStringList levels;
                    for (const SeverityLevel &l : scheme->levels)
                        levels << l.name;
                    error(at(v), f + QStringLiteral(".severity"), QStringLiteral("no level `%1` in the scheme %2 (levels: %3)")
                                                                      .arg(rule.severity, scheme->name, levels.join(QStringLiteral(", "))));
                } else {
                    rule.severity = scheme->level(rule.severity)->name;
                }
            } else {
                rule.severity = levelAt(rule.cause == IncidentCause::Degraded ? 2 : rule.cause == IncidentCause::Down || rule.cause == IncidentCause::Failover ? 0 : 1);
            }
            if (const YAML::Node v = r["resolve"]) {
                const QString how = v.IsScalar() ? qs(v.Scalar()) : QString();
                if (how == u"auto")
                    rule.autoResolve = true;
                else if (how == u"manual")
                    rule.autoResolve = false;
                else
                    error(at(v), f + QStringLiteral(".resolve"), QStringLiteral("expected auto or manual, got %1").arg(nodeKind(v)));
            }
            service.incidentRules << rule;
        }
    }

    void loadSlo(const YAML::Node &n, const QString &field, ServiceConfig &service)
    {
        SloSettings &slo = service.slo;
        slo.where = at(n);
        if (n.IsScalar()) {
            const QString s = qs(n.Scalar()).toLower();
            if (s == u"off" || s == u"false" || s == u"no") {
                slo.enabled = false;
                return;
            }
        }
        if (!expectMap(n, field, QStringLiteral("`{availability: 99.9, latency_ms: 400, latency_target: 95, window: 30d}` or `off`")))
            return;
        checkKeys(n, field,
                  {QStringLiteral("availability"), QStringLiteral("latency_ms"), QStringLiteral("latency_target"),
                   QStringLiteral("window"), QStringLiteral("checks"), QStringLiteral("budget_warning"),
                   QStringLiteral("budget_critical"), QStringLiteral("min_bad_events")});
        if (const YAML::Node v = n["availability"])
            slo.availability = number(v, field + QStringLiteral(".availability"), 0, 100, false).value_or(slo.availability);
        if (const YAML::Node v = n["latency_ms"])
            slo.latencyMs = number(v, field + QStringLiteral(".latency_ms"), 0, 3'600'000, false).value_or(0);
        if (const YAML::Node v = n["latency_target"]) {
            slo.latencyTarget = number(v, field + QStringLiteral(".latency_target"), 0, 100, false).value_or(slo.latencyTarget);
            if (!n["latency_ms"])
                error(at(v), field + QStringLiteral(".latency_target"), QStringLiteral("needs `latency_ms`, the threshold it is a target for"));
        }
        if (const YAML::Node v = n["window"]) {
            const QString w = v.IsScalar() ? qs(v.Scalar()) : QString();
            if (w == u"month" || w == u"calendar-month") {
                slo.calendarMonth = true;
            } else if (const auto d = Duration::parse(w); d && *d >= 3'600'000 && *d <= 400LL * 86'400'000) {
                slo.windowMs = *d;
            } else {
                error(at(v), field + QStringLiteral(".window"),
                      QStringLiteral("expected a rolling window from 1h to 400d (e.g. 30d) or `month` for the calendar month, got %1").arg(nodeKind(v)));
            }
        }
        if (const YAML::Node v = n["budget_warning"])
            slo.budgetWarning = number(v, field + QStringLiteral(".budget_warning"), 0, 100).value_or(slo.budgetWarning);
        if (const YAML::Node v = n["budget_critical"])
            slo.budgetCritical = number(v, field + QStringLiteral(".budget_critical"), 0, 100).value_or(slo.budgetCritical);
        if (slo.budgetCritical > slo.budgetWarning)
            error(at(n), field + QStringLiteral(".budget_critical"),
                  QStringLiteral("critical (%1 %) must not be above warning (%2 %): critical is the lower threshold")
                      .arg(slo.budgetCritical)
                      .arg(slo.budgetWarning));
        if (const YAML::Node v = n["min_bad_events"])
            slo.minBadEvents = integer(v, field + QStringLiteral(".min_bad_events"), 1, 1'000'000).value_or(slo.minBadEvents);
        if (const YAML::Node v = n["checks"]) {
            if (expectList(v, field + QStringLiteral(".checks"), QStringLiteral("[health]"))) {
                for (std::size_t i = 0; i < v.size(); ++i) {
                    const QString cf = field + QStringLiteral(".checks[%1]").arg(i);
                    const auto name = string(v[i], cf);
                    if (!name)
                        continue;
                    if (!service.check(*name)) {
                        QStringList known;
                        for (const CheckConfig &c : service.checks)
                            known << c.name;
                        error(at(v[i]), cf, QStringLiteral("no check `%1` in service `%2` (its checks: %3)")
                                                .arg(*name, service.name, known.join(QStringLiteral(", "))));
                        continue;
                    }
                    slo.checks << *name;
                }
            }
        }
    }

    bool loadService(const YAML::Node &n, QString field, ServiceConfig &service)
    {
        if (!expectMap(n, field, QStringLiteral("`{name: echopilot, checks: [...]}`")))
            return false;
        service.where = at(n);
        const YAML::Node name = n["name"];
        if (!name) {
            error(at(n), field, QStringLiteral("missing `name`"));
            return false;
        }
        if (const auto s = string(name, field + QStringLiteral(".name")))
            service.name = *s;
        else
            return false;
        field = QStringLiteral("services[%1]").arg(service.name);
        service.where = at(name);
        checkKeys(n, field,
                  {QStringLiteral("name"), QStringLiteral("group"), QStringLiteral("description"),
                   QStringLiteral("checks"), QStringLiteral("slo"), QStringLiteral("severity_scheme"),
                   QStringLiteral("incidents"), QStringLiteral("depends_on"), QStringLiteral("failover"),
                   QStringLiteral("actions"), QStringLiteral("runbooks")});
        if (const YAML::Node v = n["group"])
            service.group = string(v, field + QStringLiteral(".group")).value_or(QString());
        if (const YAML::Node v = n["description"])
            service.description = string(v, field + QStringLiteral(".description"), true).value_or(QString());
        const YAML::Node checks = n["checks"];
        if (!checks) {
            error(at(n), field + QStringLiteral(".checks"), QStringLiteral("missing: a service needs at least one check"));
            return false;
        }
        if (!expectList(checks, field + QStringLiteral(".checks"), QStringLiteral("`- name: health`")))
            return false;
        QHash<QString, int> firstLine;
        for (std::size_t i = 0; i < checks.size(); ++i) {
            CheckConfig check;
            const QString checkField = field + QStringLiteral(".checks[%1]").arg(i);
            const bool loaded = loadCheck(checks[i], checkField, check, true);
            if (check.name.isEmpty())
                continue;
            if (firstLine.contains(check.name)) {
                error(check.where, checkField + QStringLiteral(".name"),
                      QStringLiteral("duplicate check name `%1` in service `%2` (first defined on line %3)")
                          .arg(check.name, service.name)
                          .arg(firstLine[check.name]));
                continue;
            }
            firstLine.insert(check.name, check.where.line);
            if (loaded)
                service.checks.append(check);
        }
        // After the checks: `slo.checks` names them.
        if (const YAML::Node v = n["slo"])
            loadSlo(v, field + QStringLiteral(".slo"), service);
        if (const YAML::Node v = n["severity_scheme"]) {
            const QString name = string(v, field + QStringLiteral(".severity_scheme")).value_or(QString());
            if (!SeveritySchemes::find(m_schemes, name)) {
                QStringList known;
                for (const SeverityScheme &s : SeveritySchemes::builtIn())
                    known << s.name;
                for (const SeverityScheme &s : m_schemes)
                    known << s.name;
                error(at(v), field + QStringLiteral(".severity_scheme"),
                      QStringLiteral("unknown scheme `%1`; known: %2").arg(name, known.join(QStringLiteral(", "))));
            } else {
                service.severityScheme = SeveritySchemes::find(m_schemes, name)->name;
            }
        }
        if (const YAML::Node v = n["depends_on"]) {
            if (expectList(v, field + QStringLiteral(".depends_on"), QStringLiteral("[router]")))
                for (std::size_t i = 0; i < v.size(); ++i)
                    if (const auto p = string(v[i], field + QStringLiteral(".depends_on[%1]").arg(i)))
                        service.dependsOn << *p;
        }
        loadIncidentRules(n["incidents"], field + QStringLiteral(".incidents"), service);
        // After the checks: a rotate-secret action names one.
        if (const YAML::Node v = n["actions"])
            loadActions(v, field + QStringLiteral(".actions"), service);
        if (const YAML::Node v = n["failover"])
            loadFailover(v, field + QStringLiteral(".failover"), service);
        if (const YAML::Node v = n["runbooks"])
            loadRunbooks(v, field + QStringLiteral(".runbooks"), service);
        return true;
    }

    // Runbooks are read when the console shows them, long after loading: a missing file is caught
    // here, where the operator can still see which line names it.
    void loadRunbooks(const YAML::Node &n, const QString &field, ServiceConfig &service)
    {
        if (!expectList(n, field, QStringLiteral("[runbooks/echopilot.md]")))
            return;
        for (std::size_t i = 0; i < n.size(); ++i) {
            const QString itemField = field + QStringLiteral("[%1]").arg(i);
            const auto text = string(n[i], itemField);
            if (!text)
                continue;
            const QString path = resolvePath(*text);
            const QFileInfo info(path);
            if (!info.exists()) {
                error(at(n[i]), itemField, QStringLiteral("no such file `%1`; runbook paths are relative to the config file").arg(path));
                continue;
            }
            if (!info.isFile()) {
                error(at(n[i]), itemField, QStringLiteral("`%1` is not a file: expected a Markdown runbook").arg(path));
                continue;
            }
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly)) {
                error(at(n[i]), itemField, QStringLiteral("cannot read `%1`: %2").arg(path, file.errorString()));
                continue;
            }
            if (service.runbooks.contains(path)) {
                error(at(n[i]), itemField, QStringLiteral("`%1` is listed twice").arg(*text));
                continue;
            }
            service.runbooks << path;
        }
    }

    // The shape of `failover:`; what it names (checks, actions) is checked once every service is
    // loaded, in checkFailoverReferences().
    void loadFailover(const YAML::Node &n, const QString &field, ServiceConfig &service)
    {
        if (!expectMap(n, field, QStringLiteral("`{primary: health, fallback: fallback-health, mode: manual}`")))
            return;
        checkKeys(n, field,
                  {QStringLiteral("primary"), QStringLiteral("fallback"), QStringLiteral("mode"),
                   QStringLiteral("trigger_failures"), QStringLiteral("trigger_window"), QStringLiteral("failback_after"),
                   QStringLiteral("auto_failback"), QStringLiteral("watch"), QStringLiteral("state_file"),
                   QStringLiteral("log_file"), QStringLiteral("actions"), QStringLiteral("failback_actions")});
        FailoverConfig f;
        f.where = at(n);
        bool ok = true;
        auto required = [&](const char *key, QString *out, const QString &what) {
            const YAML::Node v = n[key];
            if (!v) {
                error(at(n), field + u'.' + QLatin1String(key), QStringLiteral("missing: %1").arg(what));
                ok = false;
                return;
            }
            if (const auto s = string(v, field + u'.' + QLatin1String(key)))
                *out = *s;
            else
                ok = false;
        };
        required("primary", &f.primary, QStringLiteral("the check of this service that says the primary is healthy"));
        required("fallback", &f.fallback, QStringLiteral("the check of this service that says the fallback is healthy"));
        if (const YAML::Node v = n["mode"]) {
            const auto mode = v.IsScalar() ? failoverModeFromName(qs(v.Scalar())) : std::nullopt;
            if (mode)
                f.mode = *mode;
            else {
                error(at(v), field + QStringLiteral(".mode"), QStringLiteral("expected off, manual, automatic or test, got %1").arg(nodeKind(v)));
                ok = false;
            }
        }
        if (const YAML::Node v = n["trigger_failures"]) {
            const auto count = integer(v, field + QStringLiteral(".trigger_failures"), 1, 100);
            ok = ok && count;
            f.triggerFailures = count.value_or(f.triggerFailures);
        }
        auto span = [&](const char *key, qint64 *out, qint64 minimumMs) {
            if (const YAML::Node v = n[key]) {
                const auto d = duration(v, field + u'.' + QLatin1String(key), minimumMs);
                ok = ok && d;
                *out = d.value_or(*out);
            }
        };
        span("trigger_window", &f.triggerWindowMs, 1'000);
        span("failback_after", &f.failbackAfterMs, 0);
        span("watch", &f.watchMs, 0);
        if (const YAML::Node v = n["auto_failback"]) {
            const auto b = boolean(v, field + QStringLiteral(".auto_failback"));
            ok = ok && b;
            f.autoFailback = b.value_or(f.autoFailback);
        }
        auto path = [&](const char *key, QString *out) {
            if (const YAML::Node v = n[key]) {
                if (const auto s = string(v, field + u'.' + QLatin1String(key)))
                    *out = resolvePath(*s);
                else
                    ok = false;
            }
        };
        path("state_file", &f.stateFile);
        path("log_file", &f.logFile);
        if (f.stateFile.isEmpty())
            f.stateFile = FailoverStateFile::defaultPath(service.name);
        if (f.logFile.isEmpty())
            f.logFile = FailoverStateFile::defaultLogPath(f.stateFile);
        if (!f.stateFile.isEmpty() && f.stateFile == f.logFile) {
            error(at(n["log_file"] ? n["log_file"] : n), field + QStringLiteral(".log_file"),
                  QStringLiteral("must not be the state file `%1`").arg(f.stateFile));
            ok = false;
        }
        auto names = [&](const char *key, QStringList *out) {
            const YAML::Node v = n[key];
            const QString lf = field + u'.' + QLatin1String(key);
            if (!v || !expectList(v, lf, QStringLiteral("[enable-fallback]"))) {
                ok = ok && !v;
                return;
            }
            for (std::size_t i = 0; i < v.size(); ++i) {
                if (const auto s = string(v[i], lf + QStringLiteral("[%1]").arg(i)))
                    *out << *s;
                else
                    ok = false;
            }
        };
        names("actions", &f.actions);
        names("failback_actions", &f.failbackActions);
        m_failoverNodes.insert(service.name, n);
        if (ok)
            service.failover = f;
    }

    // After every service is loaded (its checks and its actions): the checks and actions a
    // `failover:` names must be the service's own, and two services must not share a state file.
    void checkFailoverReferences(const Config &config)
    {
        QHash<QString, QString> stateFiles; // path → service
        for (const ServiceConfig &s : config.services) {
            const YAML::Node n = m_failoverNodes.value(s.name);
            if (!n || !s.failover)
                continue;
            const FailoverConfig &f = *s.failover;
            const QString field = QStringLiteral("services[%1].failover").arg(s.name);
            QStringList checks;
            for (const CheckConfig &c : s.checks)
                checks << c.name;
            for (const char *key : {"primary", "fallback"}) {
                const QString name = QLatin1String(key) == QLatin1String("primary") ? f.primary : f.fallback;
                if (!s.check(name))
                    error(at(n[key]), field + u'.' + QLatin1String(key),
                          QStringLiteral("no check `%1` in service `%2` (its checks: %3)").arg(name, s.name, checks.join(QStringLiteral(", "))));
            }
            if (f.primary == f.fallback)
                error(at(n["fallback"]), field + QStringLiteral(".fallback"),
                      QStringLiteral("`%1` is also the primary: the fallback must be another check").arg(f.fallback));
            QStringList actions;
            for (const ActionConfig &a : s.actions)
                actions << a.name;
            for (const char *key : {"actions", "failback_actions"}) {
                const YAML::Node list = n[key];
                const QStringList &names = QLatin1String(key) == QLatin1String("actions") ? f.actions : f.failbackActions;
                for (qsizetype i = 0; i < names.size(); ++i) {
                    if (s.action(names.at(i)))
                        continue;
                    error(at(list[std::size_t(i)]), field + u'.' + QLatin1String(key) + QStringLiteral("[%1]").arg(i),
                          QStringLiteral("no action `%1` in service `%2` (%3)")
                              .arg(names.at(i), s.name,
                                   actions.isEmpty() ? QStringLiteral("it has no `actions:`")
                                                     : QStringLiteral("its actions: ") + actions.join(QStringLiteral(", "))));
                }
            }
            if (stateFiles.contains(f.stateFile))
                error(at(n), field + QStringLiteral(".state_file"),
                      QStringLiteral("`%1` is already the state file of service `%2`").arg(f.stateFile, stateFiles.value(f.stateFile)));
            stateFiles.insert(f.stateFile, s.name);
        }
    }

    bool loadCheck(const YAML::Node &n, QString field, CheckConfig &c, bool needsName)
    {
        if (!expectMap(n, field, QStringLiteral("`{name: health, url: https://…/health}`")))
            return false;
        c.where = at(n);
        c.intervalMs = m_defaults.intervalMs;
        c.timeoutMs = m_defaults.timeoutMs;
        c.failureThreshold = m_defaults.failureThreshold;
        c.successThreshold = m_defaults.successThreshold;
        bool ok = true;
        if (const YAML::Node name = n["name"]) {
            if (const auto s = string(name, field + QStringLiteral(".name"))) {
                c.name = *s;
                c.where = at(name);
                field = field.left(field.lastIndexOf(u'[')) + u'[' + c.name + u']';
            } else {
                ok = false;
            }
        } else if (needsName) {
            error(at(n), field, QStringLiteral("missing `name`"));
            ok = false;
        }
        if (const YAML::Node type = n["type"]) {
            const QString t = type.IsScalar() ? qs(type.Scalar()) : QString();
            if (const auto kind = checkKindFromName(t)) {
                c.kind = *kind;
            } else {
                error(at(type), field + QStringLiteral(".type"),
                      QStringLiteral("unknown check type %1: expected http, tcp, command, sql, disk, file_age or log").arg(nodeKind(type)));
                return false;
            }
        }
        QStringList allowed = kCommonCheckKeys + kindKeys(c.kind);
        checkKeys(n, field, allowed, [&](const QString &key) {
            QStringList owners;
            for (CheckKind k : {CheckKind::Http, CheckKind::Tcp, CheckKind::Command, CheckKind::Sql, CheckKind::Disk,
                                CheckKind::FileAge, CheckKind::Log}) {
                if (kindKeys(k).contains(key))
                    owners << checkKindName(k);
            }
            if (owners.isEmpty())
                return QString();
            return QStringLiteral("`%1` does not apply to %2 checks (it is for %3 checks; set `type:` if this is one)")
                .arg(key, checkKindName(c.kind), owners.join(QStringLiteral(", ")));
        });

        if (const YAML::Node v = n["interval"]) {
            if (const auto d = duration(v, field + QStringLiteral(".interval"), 100))
                c.intervalMs = *d;
            else
                ok = false;
        }
        if (const YAML::Node v = n["timeout"]) {
            if (const auto d = duration(v, field + QStringLiteral(".timeout"), 10))
                c.timeoutMs = *d;
            else
                ok = false;
        }
        if (const YAML::Node v = n["failure_threshold"])
            c.failureThreshold = integer(v, field + QStringLiteral(".failure_threshold"), 1, 100).value_or(c.failureThreshold);
        if (const YAML::Node v = n["success_threshold"])
            c.successThreshold = integer(v, field + QStringLiteral(".success_threshold"), 1, 100).value_or(c.successThreshold);
        if (c.timeoutMs > c.intervalMs)
            warning(c.where, field + QStringLiteral(".timeout"),
                    QStringLiteral("timeout %1 is longer than the interval %2: runs will be skipped while one is still going")
                        .arg(Duration::format(c.timeoutMs), Duration::format(c.intervalMs)));

        switch (c.kind) {
        case CheckKind::Http: ok = loadHttp(n, field, c) && ok; break;
        case CheckKind::Tcp: ok = loadTcp(n, field, c) && ok; break;
        case CheckKind::Command: ok = loadCommand(n, field, c) && ok; break;
        case CheckKind::Sql: ok = loadSql(n, field, c) && ok; break;
        case CheckKind::Disk:
        case CheckKind::FileAge:
        case CheckKind::Log: ok = loadPathCheck(n, field, c) && ok; break;
        }
        ok = loadConditions(n, field, c) && ok;
        return ok;
    }

    bool loadHttp(const YAML::Node &n, const QString &field, CheckConfig &c)
    {
        const YAML::Node url = n["url"];
        if (!url) {
            error(c.where, field + QStringLiteral(".url"), QStringLiteral("missing: an http check needs `url`"));
            return false;
        }
        bool ok = true;
        if (const auto s = string(url, field + QStringLiteral(".url"))) {
            if (secretsOk(url, field + QStringLiteral(".url"), *s)) {
                // Secrets stand in for text, so check the URL's shape with a harmless stand-in.
                QString probe = *s;
                for (const QString &name : SecretResolver::references(*s))
                    probe.replace(QStringLiteral("${secret:%1}").arg(name), QStringLiteral("secret"));
                const QUrl u(probe, QUrl::StrictMode);
                const QString scheme = u.scheme().toLower();
                if (!u.isValid())
                    error(at(url), field + QStringLiteral(".url"), QStringLiteral("bad URL `%1`: %2").arg(*s, u.errorString()));
                else if (scheme != u"http" && scheme != u"https")
                    error(at(url), field + QStringLiteral(".url"),
                          QStringLiteral("bad URL `%1`: expected an http:// or https:// address").arg(*s));
                else if (u.host().isEmpty())
                    error(at(url), field + QStringLiteral(".url"), QStringLiteral("bad URL `%1`: no host").arg(*s));
                else
                    c.http.url = *s;
                ok = !c.http.url.isEmpty();
            } else {
                ok = false;
            }
        } else {
            ok = false;
        }
        if (const YAML::Node v = n["method"]) {
            static const QStringList methods = {QStringLiteral("GET"),   QStringLiteral("HEAD"),  QStringLiteral("POST"),
                                                QStringLiteral("PUT"),   QStringLiteral("PATCH"), QStringLiteral("DELETE"),
                                                QStringLiteral("OPTIONS")};
            const QString m = v.IsScalar() ? qs(v.Scalar()).toUpper() : QString();
            if (methods.contains(m))
                c.http.method = m.toLatin1();
            else {
                error(at(v), field + QStringLiteral(".method"), QStringLiteral("unknown method %1: expected one of %2").arg(nodeKind(v), methods.join(u", ")));
                ok = false;
            }
        }
        if (const YAML::Node v = n["headers"]) {
            if (expectMap(v, field + QStringLiteral(".headers"), QStringLiteral("`{X-Dash-Key: \"${secret:dash-key}\"}`"))) {
                for (auto it = v.begin(); it != v.end(); ++it) {
                    const QString name = qs(it->first.Scalar());
                    const QString hf = field + QStringLiteral(".headers.") + name;
                    const auto value = string(it->second, hf, true);
                    if (!value || !secretsOk(it->second, hf, *value)) {
                        ok = false;
                        continue;
                    }
                    c.http.headers.append({name, *value});
                }
            } else {
                ok = false;
            }
        }
        if (const YAML::Node v = n["body"]) {
            if (const auto s = string(v, field + QStringLiteral(".body"), true); s && secretsOk(v, field + QStringLiteral(".body"), *s))
                c.http.body = *s;
            else
                ok = false;
        }
        if (const YAML::Node v = n["ca_file"]) {
            if (const auto s = string(v, field + QStringLiteral(".ca_file"))) {
                c.http.caFile = resolvePath(*s);
                if (!c.http.url.startsWith(u"https", Qt::CaseInsensitive) && !c.http.url.isEmpty())
                    warning(at(v), field + QStringLiteral(".ca_file"), QStringLiteral("has no effect on a plain http:// URL"));
            }
        }
        if (const YAML::Node v = n["insecure"]) {
            if (const auto b = boolean(v, field + QStringLiteral(".insecure"))) {
                c.http.insecure = *b;
                if (*b)
                    warning(at(v), field + QStringLiteral(".insecure"),
                            QStringLiteral("TLS certificate verification is OFF: anyone on the path can impersonate this server; trust its certificate with `ca_file` instead"));
            }
        }
        if (const YAML::Node v = n["max_redirects"])
            c.http.maxRedirects = integer(v, field + QStringLiteral(".max_redirects"), 0, 50).value_or(c.http.maxRedirects);
        if (const YAML::Node v = n["max_body"])
            c.http.maxBodyBytes = bytes(v, field + QStringLiteral(".max_body")).value_or(c.http.maxBodyBytes);
        return ok;
    }

    bool loadTcp(const YAML::Node &n, const QString &field, CheckConfig &c)
    {
        bool ok = true;
        if (const YAML::Node v = n["host"])
            c.tcp.host = string(v, field + QStringLiteral(".host")).value_or(QString());
        else
            error(c.where, field + QStringLiteral(".host"), QStringLiteral("missing: a tcp check needs `host` and `port`"));
        if (const YAML::Node v = n["port"])
            c.tcp.port = integer(v, field + QStringLiteral(".port"), 1, 65535).value_or(0);
        else
            error(c.where, field + QStringLiteral(".port"), QStringLiteral("missing: a tcp check needs `host` and `port`"));
        ok = !c.tcp.host.isEmpty() && c.tcp.port > 0;
        return ok;
    }

    bool loadCommand(const YAML::Node &n, const QString &field, CheckConfig &c)
    {
        const YAML::Node cmd = n["command"];
        const QString cf = field + QStringLiteral(".command");
        if (!cmd) {
            error(c.where, cf, QStringLiteral("missing: a command check needs `command` as an argument list, e.g. [pg_isready, -h, localhost]"));
            return false;
        }
        if (cmd.IsScalar()) {
            error(at(cmd), cf, QStringLiteral("expected an argument list such as [systemctl, is-active, nginx], not one string: no shell is involved, so quoting and pipes would not work"));
            return false;
        }
        if (!expectList(cmd, cf))
            return false;
        for (std::size_t i = 0; i < cmd.size(); ++i) {
            if (const auto s = string(cmd[i], cf + QStringLiteral("[%1]").arg(i), true))
                c.command.argv << *s;
            else
                return false;
        }
        if (c.command.argv.isEmpty() || c.command.argv.first().isEmpty()) {
            error(at(cmd), cf, QStringLiteral("the argument list is empty: the first item is the program to run"));
            return false;
        }
        if (const YAML::Node v = n["working_dir"])
            c.command.workingDir = resolvePath(string(v, field + QStringLiteral(".working_dir")).value_or(QString()));
        if (const YAML::Node v = n["env"]) {
            if (expectMap(v, field + QStringLiteral(".env"), QStringLiteral("`{PGPASSWORD: \"${secret:pg}\"}`"))) {
                for (auto it = v.begin(); it != v.end(); ++it) {
                    const QString ef = field + QStringLiteral(".env.") + qs(it->first.Scalar());
                    const auto value = string(it->second, ef, true);
                    if (value && secretsOk(it->second, ef, *value))
                        c.command.environment.append({qs(it->first.Scalar()), *value});
                }
            }
        }
        if (const YAML::Node v = n["max_output"])
            c.command.maxOutputBytes = bytes(v, field + QStringLiteral(".max_output")).value_or(c.command.maxOutputBytes);
        return true;
    }

    bool loadSql(const YAML::Node &n, const QString &field, CheckConfig &c)
    {
        bool ok = true;
        const YAML::Node driver = n["driver"];
        if (!driver) {
            error(c.where, field + QStringLiteral(".driver"), QStringLiteral("missing: expected sqlite or postgresql"));
            ok = false;
        } else {
            const QString d = driver.IsScalar() ? qs(driver.Scalar()).toLower() : QString();
            if (d == u"sqlite" || d == u"qsqlite")
                c.sql.driver = QStringLiteral("QSQLITE");
            else if (d == u"postgresql" || d == u"postgres" || d == u"qpsql")
                c.sql.driver = QStringLiteral("QPSQL");
            else {
                error(at(driver), field + QStringLiteral(".driver"), QStringLiteral("unknown driver %1: expected sqlite or postgresql").arg(nodeKind(driver)));
                ok = false;
            }
        }
        const YAML::Node conn = n["connection"];
        if (!conn) {
            error(c.where, field + QStringLiteral(".connection"),
                  QStringLiteral("missing: a database file for sqlite, or postgresql://user@host:port/db"));
            ok = false;
        } else if (const auto s = string(conn, field + QStringLiteral(".connection"))) {
            if (!secretsOk(conn, field + QStringLiteral(".connection"), *s)) {
                ok = false;
            } else if (c.sql.driver == u"QPSQL") {
                QString probe = *s;
                for (const QString &name : SecretResolver::references(*s))
                    probe.replace(QStringLiteral("${secret:%1}").arg(name), QStringLiteral("secret"));
                const QUrl u(probe, QUrl::StrictMode);
                if (!u.isValid() || (u.scheme() != u"postgresql" && u.scheme() != u"postgres") || u.path().size() < 2) {
                    error(at(conn), field + QStringLiteral(".connection"),
                          QStringLiteral("bad PostgreSQL connection `%1`: expected postgresql://user@host:port/database").arg(SecretResolver::masked(*s)));
                    ok = false;
                } else {
                    c.sql.connection = *s;
                }
            } else {
                c.sql.connection = s->startsWith(u"sqlite:") ? resolvePath(s->mid(7)) : resolvePath(*s);
            }
        } else {
            ok = false;
        }
        if (const YAML::Node q = n["query"])
            c.sql.query = string(q, field + QStringLiteral(".query")).value_or(QString());
        else
            c.sql.query = QStringLiteral("SELECT 1");
        return ok && !c.sql.query.isEmpty();
    }

    bool loadPathCheck(const YAML::Node &n, const QString &field, CheckConfig &c)
    {
        const YAML::Node p = n["path"];
        if (!p) {
            const QString what = c.kind == CheckKind::Disk ? QStringLiteral("a directory on the file system to watch")
                : c.kind == CheckKind::FileAge             ? QStringLiteral("a file or glob such as /srv/backups/*.sqlite")
                                                           : QStringLiteral("an NDJSON log file");
            error(c.where, field + QStringLiteral(".path"), QStringLiteral("missing: expected %1").arg(what));
            return false;
        }
        const auto s = string(p, field + QStringLiteral(".path"));
        if (!s)
            return false;
        c.path = resolvePath(*s);
        bool ok = true;
        if (c.kind == CheckKind::FileAge) {
            if (const YAML::Node v = n["max_age"]) {
                if (duration(v, field + QStringLiteral(".max_age")))
                    m_implied << QStringLiteral("[AGE] < %1").arg(qs(v.Scalar()));
                else {
                    ok = false;
                }
            } else if (!n["conditions"]) {
                error(c.where, field, QStringLiteral("a file_age check needs `max_age` (e.g. 26h) or conditions on [AGE]"));
                ok = false;
            }
        }
        if (c.kind == CheckKind::Log) {
            const YAML::Node f = n["filter"];
            if (!f) {
                error(c.where, field + QStringLiteral(".filter"), QStringLiteral("missing: which lines count, e.g. `ok == false` or `level == error`"));
                ok = false;
            } else {
                QList<YAML::Node> items;
                if (f.IsSequence())
                    for (std::size_t i = 0; i < f.size(); ++i)
                        items << f[i];
                else
                    items << f;
                for (qsizetype i = 0; i < items.size(); ++i) {
                    const QString ff = field + QStringLiteral(".filter") + (f.IsSequence() ? QStringLiteral("[%1]").arg(i) : QString());
                    const auto text = string(items[i], ff);
                    if (!text) {
                        ok = false;
                        continue;
                    }
                    const auto parsed = ConditionParser::parse(*text, ConditionParser::Mode::LogFilter);
                    if (const auto *e = std::get_if<ConditionParser::Error>(&parsed)) {
                        conditionError(items[i], ff, *text, *e);
                        ok = false;
                    } else {
                        c.log.filter << std::get<Condition>(parsed);
                        c.log.filterText << *text;
                    }
                }
            }
            if (const YAML::Node v = n["window"])
                c.log.windowMs = duration(v, field + QStringLiteral(".window")).value_or(c.log.windowMs);
            if (const YAML::Node v = n["time_field"])
                c.log.timeField = string(v, field + QStringLiteral(".time_field")).value_or(QString());
            if (const YAML::Node v = n["max_scan"])
                c.log.maxScanBytes = bytes(v, field + QStringLiteral(".max_scan")).value_or(c.log.maxScanBytes);
            int limit = 0;
            if (const YAML::Node v = n["limit"])
                limit = integer(v, field + QStringLiteral(".limit"), 0, 1'000'000'000).value_or(0);
            if (!n["conditions"])
                m_implied << QStringLiteral("[COUNT] <= %1").arg(limit);
            else if (n["limit"])
                error(at(n["limit"]), field + QStringLiteral(".limit"), QStringLiteral("give either `limit` or `conditions`, not both"));
        }
        return ok;
    }

    void conditionError(const YAML::Node &node, const QString &field, const QString &text, const ConditionParser::Error &e)
    {
        SourceLocation where = at(node);
        // Point at the character inside the expression when the scalar sits on one line.
        if (!text.contains(u'\n'))
            where.column += (node.Tag() == "!" ? 1 : 0) + e.column - 1;
        error(where, field, QStringLiteral("bad condition `%1`: column %2: %3").arg(text).arg(e.column).arg(e.message));
    }

    static QStringList defaultConditions(CheckKind kind)
    {
        switch (kind) {
        case CheckKind::Http: return {QStringLiteral("[STATUS] < 300")};
        case CheckKind::Tcp: return {QStringLiteral("[CONNECTED] == true")};
        case CheckKind::Command: return {QStringLiteral("[EXIT_CODE] == 0")};
        case CheckKind::Sql: return {QStringLiteral("[CONNECTED] == true")};
        case CheckKind::Disk: return {QStringLiteral("warning: [FREE_PERCENT] > 20"), QStringLiteral("[FREE_PERCENT] > 10")};
        case CheckKind::FileAge:
        case CheckKind::Log: return {};
        }
        return {};
    }

    bool loadConditions(const YAML::Node &n, const QString &field, CheckConfig &c)
    {
        const QStringList implied = std::exchange(m_implied, {});
        const YAML::Node conds = n["conditions"];
        const QString cf = field + QStringLiteral(".conditions");
        if (!conds) {
            for (const QString &text : implied.isEmpty() ? defaultConditions(c.kind) : implied)
                c.conditions.append({std::get<Condition>(ConditionParser::parse(text)), c.where});
            return true;
        }
        if (!expectList(conds, cf, QStringLiteral("[\"[STATUS] == 200\", \"[BODY].status == ok\"]")))
            return false;
        const QStringList available = placeholdersFor(c.kind);
        for (const QString &text : implied)
            c.conditions.append({std::get<Condition>(ConditionParser::parse(text)), c.where});
        bool ok = true;
        for (std::size_t i = 0; i < conds.size(); ++i) {
            const YAML::Node item = conds[i];
            const QString itemField = cf + QStringLiteral("[%1]").arg(i);
            const auto text = string(item, itemField);
            if (!text) {
                ok = false;
                continue;
            }
            const auto parsed = ConditionParser::parse(*text);
            if (const auto *e = std::get_if<ConditionParser::Error>(&parsed)) {
                conditionError(item, itemField, *text, *e);
                ok = false;
                continue;
            }
            const Condition &condition = std::get<Condition>(parsed);
            bool usable = true;
            for (const QString &p : condition.placeholders()) {
                if (!available.contains(p)) {
                    const qsizetype col = text->indexOf(u'[' + p + u']');
                    conditionError(item, itemField, *text,
                                   {int(col) + 1, QStringLiteral("`[%1]` is not measured by %2 checks; they provide %3")
                                                      .arg(p, checkKindName(c.kind), u'[' + available.join(QStringLiteral("], [")) + u']')});
                    usable = false;
                }
            }
            if (!usable) {
                ok = false;
                continue;
            }
            c.conditions.append({condition, at(item)});
        }
        if (c.conditions.isEmpty() && ok) {
            error(at(conds), cf, QStringLiteral("the list is empty: remove `conditions` to use the defaults, or add at least one"));
            ok = false;
        }
        return ok;
    }

    QString m_path;
    QString m_dir;
    Defaults m_defaults;
    QList<SeverityScheme> m_schemes; // the config's custom schemes, for services to name
    QStringList m_implied; // conditions implied by shorthand keys (max_age, limit) of the check being loaded
    QHash<QString, YAML::Node> m_failoverNodes; // service → its `failover:`, for checkFailoverReferences()
    QList<ConfigIssue> m_issues;
};

} // namespace

int ConfigLoader::Result::errorCount() const
{
    return int(std::count_if(issues.begin(), issues.end(),
                             [](const ConfigIssue &i) { return i.severity == ConfigIssue::Severity::Error; }));
}

ConfigLoader::Result ConfigLoader::loadFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        Result r;
        r.issues.append({ConfigIssue::Severity::Error, {path, 0, 0}, QString(),
                         QStringLiteral("cannot read the config file: %1").arg(file.errorString())});
        return r;
    }
    return loadText(file.readAll(), path);
}

ConfigLoader::Result ConfigLoader::loadText(const QByteArray &text, const QString &path)
{
    Result r = Loader(QFileInfo(path).absoluteFilePath()).run(text);
    for (ConfigIssue &issue : r.issues)
        issue.where.file = path; // as the operator named it
    if (r.config)
        r.config->path = QFileInfo(path).absoluteFilePath();
    qCDebug(lcConfig) << "loaded" << path << r.issues.size() << "issues";
    return r;
}

QString ConfigLoader::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation) + QStringLiteral("/opsdeck/opsdeck.yaml");
}
