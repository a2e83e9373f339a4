#pragma once

#include "fault.h"

#include <QByteArray>
#include <QList>
#include <QString>

// The fault file, parsed and checked:
//
//   faults:
//     - system: echopilot   # echopilot | fallback | gateway | aifsm          (required)
//       path: /health       # exact request path or "*"                     (default "*")
//       kind: status        # see FaultKind                                 (required)
//       from: 30s           # start, after the file was loaded              (default 0)
//       for: 60s            # duration                                      (default forever)
//       every: 5m           # repeat period; needs `for`, longer than it    (optional)
//       status: 503         # kind status: a 4xx/5xx code                   (default 503)
//       retry_after: 60s    # kind status: Retry-After header               (default 60s for 429)
//       delay: 2s           # kind slow                                     (default 2s)
//       dependency: database # kind degraded: one the system reports        (required)
//
// `path` selects requests for the transport kinds and for degraded (which health body shows the
// failing dependency). stuck_jobs, log_errors and stale_tick change EchoPilot's state rather than
// single responses, so they ignore `path`, and only apply to system echopilot.
//
// Anything else is an error rather than ignored, so that a typo in a demo script shows up at once.
// Errors are one line, carry the 1-based line and column and name the field, e.g.
//   line 4, column 11: "from": "3x" is not a duration; expected a number followed by ms, s, ...
class FaultScript final
{
public:
    static FaultScript parse(const QByteArray &yaml);

    bool isValid() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    const QList<Fault> &faults() const { return m_faults; }

private:
    QList<Fault> m_faults;
    QString m_error;
};
