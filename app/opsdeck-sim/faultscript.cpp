#include "faultscript.h"

#include "duration.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>

namespace {

// Qt 6.4's responder writes status lines from http_parser's table and throws on codes missing from
// it, so a fault may only ask for error codes that table has.
constexpr int kWritableErrorCodes[] = { 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412,
                                        413, 414, 415, 416, 417, 421, 422, 423, 424, 426, 428, 429, 431,
                                        451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511 };

const QStringList kFields { QStringLiteral("system"), QStringLiteral("path"),   QStringLiteral("kind"),
                            QStringLiteral("from"),   QStringLiteral("for"),    QStringLiteral("every"),
                            QStringLiteral("status"), QStringLiteral("retry_after"),
                            QStringLiteral("delay"),  QStringLiteral("dependency") };

// Thrown inside the parser only; parse() turns it into the error string.
struct ScriptError
{
    YAML::Mark mark;
    QString message;
};

QString position(const YAML::Mark &mark)
{
    if (mark.is_null())
        return QString();
    return u"line " % QString::number(mark.line + 1) % u", column " % QString::number(mark.column + 1)
        % u": ";
}

QString scalar(const YAML::Node &node, const QString &field, const QString &expected)
{
    if (!node.IsScalar()) {
        const QString found = node.IsSequence() ? QStringLiteral("a list")
            : node.IsMap()                      ? QStringLiteral("a mapping")
                                                : QStringLiteral("nothing");
        throw ScriptError { node.Mark(), u'"' % field % u"\": expected " % expected % u", found " % found };
    }
    return QString::fromStdString(node.Scalar()).trimmed();
}

qint64 duration(const YAML::Node &node, const QString &field)
{
    const QString text = scalar(node, field, QStringLiteral("a duration"));
    const std::optional<qint64> ms = Duration::parse(text);
    if (!ms)
        throw ScriptError { node.Mark(),
                            u'"' % field % u"\": \"" % text % u"\" is not a duration; expected "
                                % Duration::expectedForm() };
    return *ms;
}

qint64 positiveDuration(const YAML::Node &node, const QString &field)
{
    const qint64 ms = duration(node, field);
    if (ms <= 0)
        throw ScriptError { node.Mark(), u'"' % field % u"\" must be longer than 0" };
    return ms;
}

Fault parseEntry(const YAML::Node &entry, int index)
{
    const QString where = u"entry " % QString::number(index + 1) % u": ";
    if (!entry.IsMap())
        throw ScriptError { entry.Mark(),
                            where % u"expected a mapping with system, path, kind, ... fields" };

    // Collect first: the meaning of most fields depends on `system` and `kind`.
    std::map<QString, std::pair<YAML::Node, YAML::Node>> fields; // name -> (key, value)
    for (auto it = entry.begin(); it != entry.end(); ++it) {
        const QString name = QString::fromStdString(it->first.as<std::string>(std::string()));
        if (!kFields.contains(name))
            throw ScriptError { it->first.Mark(),
                                where % u"unknown field \"" % name % u"\" (known fields: "
                                    % kFields.join(u", ") % u')' };
        if (fields.count(name))
            throw ScriptError { it->first.Mark(), where % u"field \"" % name % u"\" appears twice" };
        fields.emplace(name, std::make_pair(it->first, it->second));
    }
    const auto value = [&](const QString &name) -> const YAML::Node * {
        const auto found = fields.find(name);
        return found == fields.end() ? nullptr : &found->second.second;
    };
    const auto notFor = [&](const QString &name, const QString &kinds) {
        const auto found = fields.find(name);
        if (found != fields.end())
            throw ScriptError { found->second.first.Mark(),
                                u'"' % name % u"\" only applies to kind " % kinds };
    };

    Fault fault;
    fault.line = entry.Mark().line + 1;

    const YAML::Node *system = value(QStringLiteral("system"));
    if (!system)
        throw ScriptError { entry.Mark(),
                            where % u"missing \"system\" (one of " % systemNames().join(u", ") % u')' };
    const QString systemText = scalar(*system, QStringLiteral("system"), QStringLiteral("a system name"));
    const std::optional<SystemId> systemId = systemFromName(systemText);
    if (!systemId)
        throw ScriptError { system->Mark(),
                            u"\"system\": unknown system \"" % systemText % u"\" (one of "
                                % systemNames().join(u", ") % u')' };
    fault.system = *systemId;

    const YAML::Node *kind = value(QStringLiteral("kind"));
    if (!kind)
        throw ScriptError { entry.Mark(),
                            where % u"missing \"kind\" (one of " % faultKindNames().join(u", ") % u')' };
    const QString kindText = scalar(*kind, QStringLiteral("kind"), QStringLiteral("a fault kind"));
    const std::optional<FaultKind> faultKind = faultKindFromName(kindText);
    if (!faultKind)
        throw ScriptError { kind->Mark(),
                            u"\"kind\": unknown kind \"" % kindText % u"\" (one of "
                                % faultKindNames().join(u", ") % u')' };
    fault.kind = *faultKind;
    if ((fault.kind == FaultKind::StuckJobs || fault.kind == FaultKind::LogErrors
         || fault.kind == FaultKind::StaleTick)
        && fault.system != SystemId::EchoPilot)
        throw ScriptError { kind->Mark(), u"\"kind\": " % kindText % u" only applies to system echopilot" };

    if (const YAML::Node *path = value(QStringLiteral("path"))) {
        fault.path = scalar(*path, QStringLiteral("path"), QStringLiteral("a path such as /health, or \"*\""));
        if (fault.path != u"*" && !fault.path.startsWith(u'/'))
            throw ScriptError { path->Mark(),
                                u"\"path\": \"" % fault.path % u"\" must start with / or be \"*\"" };
        if (fault.path.contains(u'?'))
            throw ScriptError { path->Mark(), QStringLiteral("\"path\": matches the path only; leave out the query") };
    }

    if (const YAML::Node *from = value(QStringLiteral("from")))
        fault.fromMs = duration(*from, QStringLiteral("from"));
    if (const YAML::Node *forNode = value(QStringLiteral("for")))
        fault.forMs = positiveDuration(*forNode, QStringLiteral("for"));
    if (const YAML::Node *every = value(QStringLiteral("every"))) {
        fault.everyMs = positiveDuration(*every, QStringLiteral("every"));
        if (!fault.forMs)
            throw ScriptError { every->Mark(),
                                QStringLiteral("\"every\": needs \"for\" too (how long each repetition lasts)") };
        if (*fault.forMs >= *fault.everyMs)
            throw ScriptError { every->Mark(),
                                QStringLiteral("\"every\": must be longer than \"for\", or the fault never stops") };
    }

    if (fault.kind == FaultKind::Status) {
        if (const YAML::Node *status = value(QStringLiteral("status"))) {
            const QString text = scalar(*status, QStringLiteral("status"), QStringLiteral("an HTTP status code"));
            bool ok = false;
            const int code = text.toInt(&ok);
            if (!ok || std::find(std::begin(kWritableErrorCodes), std::end(kWritableErrorCodes), code)
                    == std::end(kWritableErrorCodes))
                throw ScriptError { status->Mark(),
                                    u"\"status\": \"" % text
                                        % u"\" is not a supported 4xx/5xx status code (e.g. 429, 500, 502, 503, 504)" };
            fault.status = code;
        }
        if (const YAML::Node *retryAfter = value(QStringLiteral("retry_after")))
            fault.retryAfterMs = duration(*retryAfter, QStringLiteral("retry_after"));
    } else {
        notFor(QStringLiteral("status"), QStringLiteral("status"));
        notFor(QStringLiteral("retry_after"), QStringLiteral("status"));
    }

    if (fault.kind == FaultKind::Slow) {
        if (const YAML::Node *delay = value(QStringLiteral("delay")))
            fault.delayMs = duration(*delay, QStringLiteral("delay"));
    } else {
        notFor(QStringLiteral("delay"), QStringLiteral("slow"));
    }

    if (fault.kind == FaultKind::Degraded) {
        const QStringList known = systemDependencies(fault.system);
        if (known.isEmpty())
            throw ScriptError { kind->Mark(),
                                u"\"kind\": " % systemText
                                    % u" reports no dependencies, so it cannot be degraded" };
        const YAML::Node *dependency = value(QStringLiteral("dependency"));
        if (!dependency)
            throw ScriptError { entry.Mark(),
                                where % u"kind degraded needs \"dependency\" (one of " % known.join(u", ")
                                    % u')' };
        fault.dependency = scalar(*dependency, QStringLiteral("dependency"), QStringLiteral("a dependency name"));
        if (!known.contains(fault.dependency))
            throw ScriptError { dependency->Mark(),
                                u"\"dependency\": " % systemText % u" has no dependency \"" % fault.dependency
                                    % u"\" (one of " % known.join(u", ") % u')' };
    } else {
        notFor(QStringLiteral("dependency"), QStringLiteral("degraded"));
    }
    return fault;
}

} // namespace

FaultScript FaultScript::parse(const QByteArray &yaml)
{
    FaultScript script;
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        if (root.IsNull())
            return script; // an empty file: no faults
        if (!root.IsMap())
            throw ScriptError { root.Mark(), QStringLiteral("expected a mapping with a \"faults\" list") };
        for (auto it = root.begin(); it != root.end(); ++it) {
            const QString key = QString::fromStdString(it->first.as<std::string>(std::string()));
            if (key != u"faults")
                throw ScriptError { it->first.Mark(),
                                    u"unknown top-level field \"" % key % u"\" (expected \"faults\")" };
        }
        const YAML::Node list = root["faults"];
        if (!list || list.IsNull())
            return script;
        if (!list.IsSequence())
            throw ScriptError { list.Mark(), QStringLiteral("\"faults\": expected a list of faults") };
        for (std::size_t i = 0; i < list.size(); ++i)
            script.m_faults << parseEntry(list[i], int(i));
    } catch (const ScriptError &error) {
        script.m_faults.clear();
        script.m_error = position(error.mark) + error.message;
    } catch (const YAML::Exception &error) {
        script.m_faults.clear();
        script.m_error = position(error.mark) % u"YAML syntax error: " % QString::fromStdString(error.msg);
    }
    return script;
}
