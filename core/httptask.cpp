#include "httptask.h"

#include "duration.h"
#include "truststore.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

HttpTask::HttpTask(const Context &context, QObject *parent)
    : ActionTask(context, parent)
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        m_timedOut = true;
        if (m_reply)
            m_reply->abort();
    });
}

HttpTask::~HttpTask()
{
    if (m_reply) {
        m_done = true;
        m_reply->abort();
    }
}

QStringList HttpTask::preview() const
{
    const HttpSettings &h = context().action.http;
    QStringList lines;
    lines << masked(QString::fromLatin1(h.method) + u' ' + h.url);
    for (const auto &[name, value] : h.headers)
        lines << QStringLiteral("header: %1: %2").arg(name, masked(value));
    if (!h.body.isEmpty())
        lines << QStringLiteral("body: ") + masked(h.body);
    if (h.insecure)
        lines << QStringLiteral("tls: certificate verification is OFF (insecure: true)");
    else if (!h.caFile.isEmpty())
        lines << QStringLiteral("tls: also trusting %1").arg(h.caFile);
    QStringList ok;
    for (int s : context().action.okStatus)
        ok << QString::number(s);
    lines << QStringLiteral("success: %1; timeout: %2")
                 .arg(ok.isEmpty() ? QStringLiteral("any 2xx status") : QStringLiteral("status ") + ok.join(QStringLiteral(", ")),
                      Duration::format(context().action.timeoutMs));
    return lines;
}

void HttpTask::fail(ActionOutcome::Status status, const QString &summary)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    ActionOutcome out;
    out.status = status;
    out.summary = masked(summary);
    out.outputBytes = m_total;
    // Always from the event loop: the runner is told after start() has returned.
    QMetaObject::invokeMethod(this, [this, out] { emit finished(out); }, Qt::QueuedConnection);
}

void HttpTask::start()
{
    const HttpSettings &h = context().action.http;
    const QUrl url(h.url, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()) {
        fail(ActionOutcome::Status::Failed, QStringLiteral("bad URL `%1`: %2").arg(h.url, url.errorString()));
        return;
    }
    QNetworkRequest request(url);
    if (url.scheme().compare(u"https", Qt::CaseInsensitive) == 0) {
        static TrustStore trust;
        const TrustStore::Entry &entry = trust.configuration(h.caFile, h.insecure);
        if (!entry.error.isEmpty()) {
            fail(ActionOutcome::Status::Failed, entry.error);
            return;
        }
        request.setSslConfiguration(entry.configuration);
    }
    for (const auto &[name, value] : h.headers) {
        if (value.contains(u'\r') || value.contains(u'\n') || value.contains(QChar(0))) {
            fail(ActionOutcome::Status::Refused, QStringLiteral("the header `%1` would contain a line break").arg(name));
            return;
        }
        request.setRawHeader(name.toUtf8(), value.toUtf8());
    }
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    m_reply = m_nam.sendCustomRequest(request, h.method, h.body.toUtf8());
    connect(m_reply, &QNetworkReply::readyRead, this, &HttpTask::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &HttpTask::onFinished);
    m_timeout.start(int(qMin<qint64>(context().action.timeoutMs, std::numeric_limits<int>::max())));
}

void HttpTask::cancel()
{
    m_cancelled = true;
    if (m_reply)
        m_reply->abort();
    else
        fail(ActionOutcome::Status::Cancelled, QStringLiteral("cancelled before the request was sent"));
}

void HttpTask::emitChunk(const QByteArray &chunk)
{
    m_total += chunk.size();
    const qint64 room = context().action.maxOutputBytes - m_kept;
    if (room <= 0)
        return;
    const QByteArray kept = chunk.left(room);
    m_kept += kept.size();
    emit output(kept);
}

void HttpTask::onReadyRead()
{
    if (!m_reply)
        return;
    if (!m_statusSent) {
        m_statusSent = true;
        const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray reason = m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
        emitChunk("HTTP " + QByteArray::number(status) + (reason.isEmpty() ? QByteArray() : " " + reason) + "\n");
    }
    emitChunk(m_reply->readAll());
}

void HttpTask::onFinished()
{
    if (m_done || !m_reply)
        return;
    QNetworkReply *reply = m_reply;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status > 0)
        onReadyRead();
    reply->deleteLater();
    m_reply = nullptr;
    m_timeout.stop();
    if (m_timedOut) {
        fail(ActionOutcome::Status::TimedOut, QStringLiteral("timed out after %1: no complete answer").arg(Duration::format(context().action.timeoutMs)));
        return;
    }
    if (m_cancelled) {
        fail(ActionOutcome::Status::Cancelled, QStringLiteral("cancelled: the request was aborted"));
        return;
    }
    if (status == 0) {
        fail(ActionOutcome::Status::Failed, reply->errorString());
        return;
    }
    const QString reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    const QList<int> &okStatus = context().action.okStatus;
    const bool ok = okStatus.isEmpty() ? status >= 200 && status < 300 : okStatus.contains(status);
    m_done = true;
    ActionOutcome out;
    out.status = ok ? ActionOutcome::Status::Succeeded : ActionOutcome::Status::Failed;
    out.exitCode = status;
    out.outputBytes = m_total;
    out.summary = QStringLiteral("HTTP %1%2").arg(status).arg(reason.isEmpty() ? QString() : u' ' + reason);
    if (!ok)
        out.summary += okStatus.isEmpty() ? QStringLiteral(" (expected a 2xx status)") : QStringLiteral(" (not in ok_status)");
    emit finished(out);
}
