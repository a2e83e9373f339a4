#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

struct Job
{
    QString id; // "job-3e8a01"
    QString type; // "notion_sync"
    QString state; // "completed", "stuck", "queued"
    QDateTime createdAt;
    QDateTime updatedAt;
    int attempts = 1;
    QString lastError;
    QString activation; // the stuck_jobs activation that created it; empty for history

    QJsonObject toJson(const QDateTime &now) const;
};

// EchoPilot's job queue, as far as the runbook's "Process Stuck Job" procedure can see it. It starts
// with a little finished history and no stuck jobs; each activation of a stuck_jobs fault adds two
// stuck jobs, which stay stuck until retried or until the fault ends (the worker caught up).
class JobBook final
{
public:
    JobBook();

    // Brings the book in line with the stuck_jobs activations that are active now.
    void sync(const QStringList &activeActivations);
    QList<Job> stuck() const;
    std::optional<Job> find(const QString &id) const;
    // Re-queues a job; nullopt for unknown ids.
    std::optional<Job> retry(const QString &id);

private:
    Job &add(const QString &type, const QString &state, qint64 ageSeconds);

    QList<Job> m_jobs;
    QStringList m_seededActivations;
    quint32 m_nextNumber = 0x3e8a01;
};
