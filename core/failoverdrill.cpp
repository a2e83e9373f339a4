#include "failoverdrill.h"

#include "duration.h"
#include "failoverstate.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace {

QString took(qint64 ms)
{
    return ms < 1000 ? QStringLiteral("%1 ms").arg(ms) : Duration::format(ms);
}

bool writeFile(const QString &path, const QByteArray &data, QString *error)
{
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size() || !f.commit()) {
        *error = QStringLiteral("cannot write the drill report %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

} // namespace

bool FailoverDrill::passed() const
{
    if (steps.isEmpty())
        return false;
    for (const Step &s : steps)
        if (!s.informational && (!s.ok || !s.metTarget()))
            return false;
    return true;
}

QString FailoverDrill::markdown() const
{
    QString md;
    md += QStringLiteral("# Failover drill: %1 — %2\n\n").arg(service, passed() ? QStringLiteral("PASSED") : QStringLiteral("FAILED"));
    md += QStringLiteral("- When: %1 to %2 (UTC)\n").arg(FailoverStateFile::isoTime(startedMs), FailoverStateFile::isoTime(finishedMs));
    md += QStringLiteral("- By: %1 (%2)\n")
              .arg(actor, triggered ? QStringLiteral("started by the primary's consecutive failures, mode `test`") : QStringLiteral("by hand"));
    md += QStringLiteral("- Primary check `%1`, fallback check `%2`\n").arg(primary, fallback);
    md += QStringLiteral("- Failover and failback actions ran as **dry runs**: nothing was switched.\n\n");
    md += QStringLiteral("| # | step | started | took | target | result |\n|---|---|---|---|---|---|\n");
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const Step &s = steps.at(i);
        QString target = s.targetMs < 0 ? QStringLiteral("— (none in the runbook)")
                                        : QStringLiteral("≤ %1 (%2)").arg(Duration::format(s.targetMs), s.target);
        QString result = s.informational ? (s.ok ? QStringLiteral("ok") : QStringLiteral("not ok (informational)"))
                                         : (s.ok ? QStringLiteral("ok") : QStringLiteral("**FAILED**"));
        if (s.targetMs >= 0)
            result += s.metTarget() ? QStringLiteral(", target met") : QStringLiteral(", **target missed**");
        if (!s.detail.isEmpty())
            result += QStringLiteral(": ") + QString(s.detail).replace(u'|', QStringLiteral("\\|")).replace(u'\n', u' ');
        md += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |\n")
                  .arg(i + 1)
                  .arg(s.name, FailoverStateFile::isoTime(s.startedMs).mid(11), took(s.tookMs()), target, result);
    }
    auto ran = [&](const QString &prefix) {
        for (const Step &s : steps)
            if (s.name.startsWith(prefix))
                return s.ok;
        return false;
    };
    const QString tick = QStringLiteral("- [x] "), open = QStringLiteral("- [ ] ");
    md += QStringLiteral("\n## Runbook: Test Failover (monthly)\n\n");
    md += (ran(QStringLiteral("Verify the fallback")) ? tick : open) + QStringLiteral("Verify the fallback\n");
    md += (ran(QStringLiteral("Fail over")) ? tick : open) + QStringLiteral("Trigger the test failover (dry run)\n");
    md += open + QStringLiteral("Monitor for 30 minutes: check logs and alerts (by the operator)\n");
    md += (ran(QStringLiteral("Fail back")) ? tick : open) + QStringLiteral("Perform the failback (dry run)\n");
    md += tick + QStringLiteral("Document results: this report\n");
    md += QStringLiteral("\nFor the quarterly DR drill, also restore a backup to a test database, send test alerts to every "
                         "channel (`opsdeckctl notify test`) and compare the times above with the targets.\n");
    return md;
}

QJsonObject FailoverDrill::toJson() const
{
    QJsonArray list;
    for (const Step &s : steps)
        list.append(QJsonObject{{QStringLiteral("name"), s.name},
                                {QStringLiteral("started_at"), FailoverStateFile::isoTime(s.startedMs)},
                                {QStringLiteral("took_ms"), s.tookMs()},
                                {QStringLiteral("ok"), s.ok},
                                {QStringLiteral("target_ms"), s.targetMs < 0 ? QJsonValue() : QJsonValue(s.targetMs)},
                                {QStringLiteral("target"), s.target},
                                {QStringLiteral("met_target"), s.metTarget()},
                                {QStringLiteral("informational"), s.informational},
                                {QStringLiteral("detail"), s.detail}});
    return QJsonObject{{QStringLiteral("service"), service},
                       {QStringLiteral("actor"), actor},
                       {QStringLiteral("primary"), primary},
                       {QStringLiteral("fallback"), fallback},
                       {QStringLiteral("triggered"), triggered},
                       {QStringLiteral("dry_run"), true},
                       {QStringLiteral("started_at"), FailoverStateFile::isoTime(startedMs)},
                       {QStringLiteral("finished_at"), FailoverStateFile::isoTime(finishedMs)},
                       {QStringLiteral("passed"), passed()},
                       {QStringLiteral("steps"), list}};
}

bool FailoverDrill::save(const QString &dir, QString *markdownPath, QString *error) const
{
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("cannot create the drill report folder %1").arg(dir);
        return false;
    }
    const QString stamp = QDateTime::fromMSecsSinceEpoch(startedMs, Qt::UTC).toString(QStringLiteral("yyyyMMdd-HHmmsszzz"));
    const QString base = QDir(dir).filePath(QStringLiteral("%1-%2").arg(service, stamp));
    if (!writeFile(base + QStringLiteral(".md"), markdown().toUtf8(), error)
        || !writeFile(base + QStringLiteral(".json"), QJsonDocument(toJson()).toJson(QJsonDocument::Indented), error))
        return false;
    *markdownPath = base + QStringLiteral(".md");
    return true;
}
