#include "incidenttemplates.h"

#include "duration.h"
#include "resultjson.h"

namespace {

QString orTbd(const QString &s)
{
    return s.trimmed().isEmpty() ? QStringLiteral("to be determined") : s.trimmed();
}

QString status(const Incident &i)
{
    switch (i.state) {
    case IncidentState::Open: return QStringLiteral("Investigating");
    case IncidentState::Acknowledged: return QStringLiteral("Investigating (acknowledged)");
    case IncidentState::Mitigated: return QStringLiteral("Mitigated, monitoring");
    case IncidentState::Resolved: return QStringLiteral("Resolved");
    }
    return {};
}

QString at(qint64 ms)
{
    return ms > 0 ? ResultJson::isoTime(ms).left(19).replace(u'T', u' ') + QStringLiteral(" UTC") : QStringLiteral("—");
}

QString after(qint64 from, qint64 to)
{
    return to > 0 ? Duration::format(to - from) : QStringLiteral("—");
}

QString checkbox(bool done, const QString &text)
{
    return (done ? QStringLiteral("- [x] ") : QStringLiteral("- [ ] ")) + text + u'\n';
}

bool hasEvent(const Incident &i, const QString &kind)
{
    for (const IncidentEvent &e : i.timeline)
        if (e.kind == kind)
            return true;
    return false;
}

} // namespace

namespace IncidentTemplates {

QString detected(const Incident &i, const QString &eta)
{
    return QStringLiteral("🚨 INCIDENT: %1\nSeverity: %2\nImpact: %3\nStatus: %4\nETA: %5")
        .arg(i.title, i.severity, i.impact.isEmpty() ? i.service : i.impact, status(i),
             eta.isEmpty() ? QStringLiteral("Unknown") : eta);
}

QString resolved(const Incident &i)
{
    const qint64 end = i.resolvedAtMs > 0 ? i.resolvedAtMs : 0;
    return QStringLiteral("✅ RESOLVED: %1\nRoot Cause: %2\nResolution: %3\nPrevention: %4\nDuration: %5")
        .arg(i.title, orTbd(i.rootCause), orTbd(i.resolution), orTbd(i.prevention),
             end ? Duration::format(end - i.openedAtMs) : QStringLiteral("ongoing"));
}

QString postmortem(const Incident &i, const SeverityScheme *scheme, qint64 nowMs)
{
    const SeverityLevel *level = scheme ? scheme->level(i.severity) : nullptr;
    QString md;
    md += QStringLiteral("# Postmortem: %1\n\n").arg(i.title);
    md += QStringLiteral("| | |\n|---|---|\n");
    md += QStringLiteral("| Incident | #%1 |\n| Service | %2 |\n| Severity | %3%4 |\n| Cause | %5 |\n| State | %6 |\n")
              .arg(i.id)
              .arg(i.service, i.severity,
                   scheme ? QStringLiteral(" (%1%2)").arg(scheme->name, level && !level->description.isEmpty() ? QStringLiteral(": ") + level->description : QString())
                          : QString(),
                   i.cause, incidentStateName(i.state));
    md += QStringLiteral("| Opened | %1 |\n| Acknowledged | %2 |\n| Mitigated | %3 |\n| Resolved | %4 |\n\n")
              .arg(at(i.openedAtMs), at(i.acknowledgedAtMs), at(i.mitigatedAtMs), at(i.resolvedAtMs));

    md += QStringLiteral("## Summary\n\n%1.%2\n\n")
              .arg(i.title, i.resolvedAtMs > 0 ? QStringLiteral(" Resolved after %1.").arg(Duration::format(i.resolvedAtMs - i.openedAtMs))
                                               : QStringLiteral(" Still open (%1 so far).").arg(Duration::format(nowMs - i.openedAtMs)));
    md += QStringLiteral("## Impact\n\n%1\n\n").arg(orTbd(i.impact));

    md += QStringLiteral("## Response times\n\n| | Target | Actual | Met |\n|---|---|---|---|\n");
    auto row = [&](const QString &what, qint64 targetMs, bool businessDay, qint64 done) {
        QString target = QStringLiteral("—");
        QString met = QStringLiteral("");
        qint64 deadline = -1;
        if (businessDay && level) {
            target = QStringLiteral("next business day");
            deadline = level->acknowledgeDeadline(i.openedAtMs);
        } else if (targetMs >= 0) {
            target = targetMs == 0 ? QStringLiteral("immediate") : QStringLiteral("< ") + Duration::format(targetMs);
            deadline = i.openedAtMs + (targetMs == 0 ? SeveritySchemes::kImmediateMs : targetMs);
        }
        if (deadline > 0)
            met = done > 0 ? (done <= deadline ? QStringLiteral("yes") : QStringLiteral("**no**"))
                           : (nowMs > deadline ? QStringLiteral("**no** (overdue)") : QStringLiteral("not yet"));
        md += QStringLiteral("| %1 | %2 | %3 | %4 |\n").arg(what, target, after(i.openedAtMs, done), met);
    };
    row(QStringLiteral("Time to acknowledge"), level ? level->acknowledgeMs : -1, level && level->nextBusinessDay, i.acknowledgedAtMs);
    row(QStringLiteral("Time to mitigate"), level ? level->mitigateMs : -1, false, i.mitigatedAtMs > 0 ? i.mitigatedAtMs : i.resolvedAtMs);
    row(QStringLiteral("Time to resolve"), -1, false, i.resolvedAtMs);
    md += u'\n';

    md += QStringLiteral("## Timeline\n\n| Time (UTC) | Event | Who | Details |\n|---|---|---|---|\n");
    for (const IncidentEvent &e : i.timeline) {
        QString text = e.text;
        text.replace(u'|', QStringLiteral("\\|")).replace(u'\n', u' ');
        md += QStringLiteral("| %1 | %2 | %3 | %4 |\n").arg(at(e.atMs), e.kind, e.actor, text);
    }
    md += u'\n';

    md += QStringLiteral("## Root cause\n\n%1\n\n").arg(orTbd(i.rootCause));
    md += QStringLiteral("## Resolution\n\n%1\n\n").arg(orTbd(i.resolution));
    md += QStringLiteral("## Action items\n\n");
    md += i.prevention.trimmed().isEmpty() ? QStringLiteral("- [ ] (to be determined)\n") : QStringLiteral("- [ ] ") + i.prevention.trimmed() + u'\n';
    md += u'\n';

    // The runbooks' checklists; what the record already shows is ticked.
    const bool resolvedNow = i.state == IncidentState::Resolved;
    md += QStringLiteral("## Post-incident checklists\n\n### Incident response (disaster-recovery runbook)\n\n");
    md += checkbox(true, QStringLiteral("Incident detected and logged"));
    md += checkbox(!i.severity.isEmpty(), QStringLiteral("Severity level determined"));
    md += checkbox(false, QStringLiteral("Appropriate team members notified"));
    md += checkbox(hasEvent(i, QStringLiteral("action")) || i.mitigatedAtMs > 0, QStringLiteral("Mitigation actions initiated"));
    md += checkbox(false, QStringLiteral("Users informed of status"));
    md += checkbox(!i.rootCause.trimmed().isEmpty(), QStringLiteral("Root cause identified"));
    md += checkbox(resolvedNow && !i.resolution.trimmed().isEmpty(), QStringLiteral("Permanent fix implemented"));
    md += checkbox(false, QStringLiteral("Incident report completed"));
    md += checkbox(false, QStringLiteral("Runbook updated"));
    md += QStringLiteral("\n### Within 24 hours\n\n");
    md += checkbox(!i.timeline.isEmpty(), QStringLiteral("Timeline: document the incident timeline with timestamps"));
    md += checkbox(!i.rootCause.trimmed().isEmpty(), QStringLiteral("Root cause: identify what went wrong and why"));
    md += checkbox(!i.impact.trimmed().isEmpty(), QStringLiteral("Impact: affected users, downtime duration"));
    md += checkbox(false, QStringLiteral("Response: evaluate how well the procedures worked"));
    md += QStringLiteral("\n### Within 1 week\n\n");
    md += checkbox(false, QStringLiteral("Report: complete the incident report with findings"));
    md += checkbox(!i.prevention.trimmed().isEmpty(), QStringLiteral("Action items: list concrete improvements"));
    md += checkbox(false, QStringLiteral("Runbook updates: update the runbook with learnings"));
    md += checkbox(false, QStringLiteral("Team review: present the findings to the team"));
    md += QStringLiteral("\n### Post-incident (Pi deployment runbook)\n\n");
    md += checkbox(!i.rootCause.trimmed().isEmpty(), QStringLiteral("Root cause identified"));
    md += checkbox(false, QStringLiteral("Recovery steps documented in the decision log"));
    md += checkbox(false, QStringLiteral("Monitoring gap addressed (add an alert if detection was slow)"));
    md += checkbox(false, QStringLiteral("Backup integrity verified after recovery"));
    md += checkbox(false, QStringLiteral("Any temporary bypass restored"));
    md += checkbox(false, QStringLiteral("Stakeholders notified if data was lost or service was down > 1 hour"));
    return md;
}

} // namespace IncidentTemplates
