#include "auditlog.h"

#include "console.h"
#include "faultboard.h"
#include "orderedjson.h"

#include <QDateTime>
#include <QDir>
#include <QFile>

namespace {
struct Call
{
    const char16_t *route;
    int ms;
};
// A plausible mix of what the dashboard and the scheduler call.
constexpr Call kCalls[] = { { u"/api/status/summary", 38 }, { u"/api/slo/status", 21 },
                            { u"/api/scheduler/status", 12 }, { u"/api/jobs/stuck", 64 },
                            { u"/api/payments/reconcile", 187 }, { u"/health", 9 } };

struct Failure
{
    const char16_t *error;
    int status;
};
// The runbook greps for repeated auth failures and "rate_limit_exceeded".
constexpr Failure kFailures[] = { { u"auth failed", 401 }, { u"auth failed", 401 },
                                  { u"rate_limit_exceeded", 429 }, { u"notion timeout", 504 } };
} // namespace

AuditLog::AuditLog(const QString &directory, const FaultBoard *faults, QObject *parent)
    : QObject(parent)
    , m_directory(directory)
    , m_faults(faults)
{
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &AuditLog::writeLine);
}

bool AuditLog::start(QString *error)
{
    if (!QDir().mkpath(m_directory)) {
        *error = u"--log-dir: cannot create " % m_directory;
        return false;
    }
    writeLine(); // at once, so that a fresh log directory is not empty for the first interval
    m_timer.start();
    return true;
}

QString AuditLog::filePath() const
{
    return QDir(m_directory).filePath(QStringLiteral("audit.ndjson"));
}

void AuditLog::writeLine()
{
    const quint64 n = m_sequence++;
    const Call &call = kCalls[n % std::size(kCalls)];
    const bool failing = !m_faults->active(SystemId::EchoPilot, FaultKind::LogErrors).isEmpty();
    QList<QPair<QString, QJsonValue>> line {
        { QStringLiteral("ts"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) },
        { QStringLiteral("level"), failing ? QStringLiteral("error") : QStringLiteral("info") },
        { QStringLiteral("action"), QStringLiteral("api.call") },
        { QStringLiteral("ok"), !failing },
        { QStringLiteral("route"), QString::fromUtf16(call.route) },
    };
    if (failing) {
        const Failure &failure = kFailures[n % std::size(kFailures)];
        line.append({ QStringLiteral("status"), failure.status });
        line.append({ QStringLiteral("error"), QString::fromUtf16(failure.error) });
    } else {
        line.append({ QStringLiteral("status"), 200 });
        line.append({ QStringLiteral("ms"), call.ms + int(n % 7) * 3 });
    }

    QFile file(filePath());
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text)) {
        if (!m_warned)
            Console::error(u"audit log: cannot write " % filePath() % u": " % file.errorString());
        m_warned = true;
        return;
    }
    m_warned = false;
    file.write(orderedJson(line) + '\n');
}
