#pragma once

#include "incident.h"
#include "severity.h"

#include <QString>

// The runbooks' words, filled in from an incident: the "Incident Detected" and "Incident Resolved"
// messages for chat and status pages, and a postmortem in Markdown with the timeline, the response
// times against the severity's targets, and the runbooks' post-incident checklists.
namespace IncidentTemplates {
QString detected(const Incident &incident, const QString &eta = QString());
QString resolved(const Incident &incident);
QString postmortem(const Incident &incident, const SeverityScheme *scheme, qint64 nowMs);
}
