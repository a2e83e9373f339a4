#include "jobbook.h"

JobBook::JobBook()
{
    add(QStringLiteral("notion_sync"), QStringLiteral("completed"), 3'600);
    add(QStringLiteral("invoice_followup"), QStringLiteral("completed"), 2'400);
    add(QStringLiteral("daily_report"), QStringLiteral("completed"), 900);
}

QJsonObject Job::toJson(const QDateTime &now) const
{
    QJsonObject o {
        { QStringLiteral("id"), id },
        { QStringLiteral("type"), type },
        { QStringLiteral("state"), state },
        { QStringLiteral("created_at"), createdAt.toString(Qt::ISODateWithMs) },
        { QStringLiteral("updated_at"), updatedAt.toString(Qt::ISODateWithMs) },
        { QStringLiteral("age_s"), createdAt.secsTo(now) },
        { QStringLiteral("attempts"), attempts },
    };
    if (!lastError.isEmpty())
        o.insert(QStringLiteral("last_error"), lastError);
    return o;
}

void JobBook::sync(const QStringList &activeActivations)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (Job &job : m_jobs) {
        if (job.state == u"stuck" && !activeActivations.contains(job.activation)) {
            job.state = QStringLiteral("completed");
            job.updatedAt = now;
        }
    }
    for (const QString &activation : activeActivations) {
        if (m_seededActivations.contains(activation))
            continue;
        m_seededActivations << activation;
        // Ages well past any sensible "stuck after" threshold, as a job is when someone notices.
        Job &notion = add(QStringLiteral("notion_sync"), QStringLiteral("stuck"), 1'500);
        notion.attempts = 3;
        notion.lastError = QStringLiteral("worker timeout after 300s");
        notion.activation = activation;
        Job &webhook = add(QStringLiteral("stripe_webhook_replay"), QStringLiteral("stuck"), 1'020);
        webhook.attempts = 2;
        webhook.lastError = QStringLiteral("lock held by another worker");
        webhook.activation = activation;
    }
}

QList<Job> JobBook::stuck() const
{
    QList<Job> result;
    for (const Job &job : m_jobs) {
        if (job.state == u"stuck")
            result << job;
    }
    return result;
}

std::optional<Job> JobBook::find(const QString &id) const
{
    for (const Job &job : m_jobs) {
        if (job.id == id)
            return job;
    }
    return std::nullopt;
}

std::optional<Job> JobBook::retry(const QString &id)
{
    for (Job &job : m_jobs) {
        if (job.id == id) {
            job.state = QStringLiteral("queued");
            job.updatedAt = QDateTime::currentDateTimeUtc();
            ++job.attempts;
            return job;
        }
    }
    return std::nullopt;
}

Job &JobBook::add(const QString &type, const QString &state, qint64 ageSeconds)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Job job;
    job.id = u"job-" % QString::number(m_nextNumber++, 16);
    job.type = type;
    job.state = state;
    job.createdAt = now.addSecs(-ageSeconds);
    job.updatedAt = state == u"completed" ? job.createdAt.addSecs(42) : now;
    m_jobs << job;
    return m_jobs.last();
}
