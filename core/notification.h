#pragma once

#include <QMetaType>
#include <QString>

// Something the operator should be told, as the incident engine hands it to the notifier. The
// notifier routes it to channels (by service, severity and event), writes it to the outbox before
// sending, and delivers it (ntfy, Telegram, Slack, webhook, desktop).
struct Notification
{
    // opened, acknowledged, resolved, escalated, recurred, note, severity, state, test
    QString event;
    QString service;
    QString severity;         // a level of the service's scheme, e.g. "P0"; empty for non-incident events
    int severityRank = -1;    // 0 = the scheme's most severe level (breaks through quiet hours); -1 = none
    QString scheme;           // the service's severity scheme, for routing by min_severity
    QString title;            // one line: "🚨 INCIDENT: echopilot is down"
    QString text;             // the full message (the runbook's template, rendered)
    qint64 incidentId = 0;    // 0 when not about an incident
    QString dedupKey;         // the same key within the dedup window is sent once
    qint64 atMs = 0;
};
Q_DECLARE_METATYPE(Notification)
