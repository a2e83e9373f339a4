#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

class FaultBoard;

// Writes EchoPilot's audit log (the runbook's logs/ndjson/audit.ndjson) so that log-reading checks
// have something to tail: one NDJSON line at start and every 2 s after, e.g.
//   {"ts":"2025-11-13T02:13:20.123Z","level":"info","action":"api.call","ok":true,"route":"/api/status/summary","status":200,"ms":38}
// While a log_errors fault is active the lines are failures:
//   {"ts":"...","level":"error","action":"api.call","ok":false,"route":"...","status":401,"error":"auth failed"}
// The file is opened for each line, so rotating it away (mv) is safe.
class AuditLog final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuditLog)

public:
    static constexpr int kIntervalMs = 2000;

    AuditLog(const QString &directory, const FaultBoard *faults, QObject *parent = nullptr);

    // Creates the directory; false with a message if that fails.
    bool start(QString *error);
    QString filePath() const;

private:
    void writeLine();

    const QString m_directory;
    const FaultBoard *const m_faults;
    QTimer m_timer;
    quint64 m_sequence = 0;
    bool m_warned = false;
};
