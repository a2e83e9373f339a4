#include "httpprobe.h"

#include "duration.h"
#include "logging.h"
#include "quantity.h"
#include "truststore.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>

namespace {

bool isNetworkError(QNetworkReply::NetworkError e)
{
    switch (e) {
    case QNetworkReply::ConnectionRefusedError:
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
        return true;
    default:
        return false;
    }
}

QString describe(QNetworkReply::NetworkError e, const QString &fallback)
{
    switch (e) {
    case QNetworkReply::ConnectionRefusedError: return QStringLiteral("connection refused");
    case QNetworkReply::RemoteHostClosedError: return QStringLiteral("connection closed by the server before a complete response");
    case QNetworkReply::HostNotFoundError: return QStringLiteral("host not found (DNS)");
    case QNetworkReply::InsecureRedirectError: return QStringLiteral("redirected from https to plain http; refused");
    default: return fallback;
    }
}

// Retry-After is either seconds or an HTTP date.
qint64 retryAfterMs(const QByteArray &value, qint64 nowMs)
{
    bool ok = false;
    const qint64 seconds = value.trimmed().toLongLong(&ok);
    if (ok)
        return seconds * 1000;
    const QDateTime at = QDateTime::fromString(QString::fromLatin1(value.trimmed()), Qt::RFC2822Date);
    return at.isValid() ? qMax<qint64>(0, at.toMSecsSinceEpoch() - nowMs) : -1;
}

} // namespace

HttpProbe::HttpProbe(QNetworkAccessManager *network, TrustStore *trust, QObject *parent)
    : Probe(parent)
    , m_network(network)
    , m_trust(trust)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpProbe::onTimeout);
}

HttpProbe::~HttpProbe()
{
    m_done = true;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void HttpProbe::start(const CheckConfig &check)
{
    m_maxBody = check.http.maxBodyBytes;
    m_timeoutMs = check.timeoutMs;
    m_maxRedirects = check.http.maxRedirects;
    m_elapsed.start();
    m_timer.start(int(check.timeoutMs));

    QNetworkRequest request{QUrl(check.http.url)};
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, check.http.maxRedirects > 0
                             ? QNetworkRequest::NoLessSafeRedirectPolicy
                             : QNetworkRequest::ManualRedirectPolicy);
    request.setMaximumRedirectsAllowed(check.http.maxRedirects);
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("OpsDeck/" OPSDECK_VERSION));
    for (const auto &[name, value] : check.http.headers)
        request.setRawHeader(name.toLatin1(), value.toUtf8());
    if (!check.http.body.isEmpty() && !request.hasRawHeader("Content-Type"))
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));

    if (request.url().scheme() == u"https") {
        const TrustStore::Entry &trust = m_trust->configuration(check.http.caFile, check.http.insecure);
        if (!trust.error.isEmpty()) {
            // Not a verdict on the server: OpsDeck's own set-up is wrong.
            m_reading.unknown = true;
            fail(trust.error, false);
            return;
        }
        request.setSslConfiguration(trust.configuration);
    }

    m_reply = m_network->sendCustomRequest(request, check.http.method, check.http.body.toUtf8());
    connect(m_reply, &QNetworkReply::readyRead, this, &HttpProbe::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &HttpProbe::onFinished);
    connect(m_reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            m_sslErrors << e.errorString();
    });
}

void HttpProbe::onReadyRead()
{
    if (!m_reply || m_capped)
        return;
    const qint64 room = m_maxBody - m_reading.body.size();
    const QByteArray chunk = m_reply->read(qMax<qint64>(0, room) + 1);
    if (chunk.size() > room) {
        // Stop reading: the body is larger than anything a health endpoint should send.
        m_reading.body += chunk.left(room);
        m_capped = true;
        m_reply->abort();
        return;
    }
    m_reading.body += chunk;
}

void HttpProbe::onTimeout()
{
    m_timedOut = true;
    if (m_reply)
        m_reply->abort(); // finished() follows synchronously or soon
    if (!m_done)
        onFinished();
}

void HttpProbe::onFinished()
{
    if (m_done)
        return;
    m_timer.stop();
    m_reading.responseTimeMs = double(m_elapsed.nsecsElapsed()) / 1e6;
    QNetworkReply *reply = m_reply;
    if (!reply) {
        done();
        return;
    }
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (status.isValid() && status.toInt() > 0) {
        m_reading.httpStatus = status.toInt();
        m_reading.set(QStringLiteral("STATUS"), m_reading.httpStatus);
        m_reading.headers = reply->rawHeaderPairs();
    }
    m_reading.set(QStringLiteral("CONNECTED"), m_reading.httpStatus > 0);
    if (!m_capped && !m_timedOut)
        m_reading.body += reply->readAll();

    const QSslCertificate cert = reply->sslConfiguration().peerCertificate();
    if (!cert.isNull())
        m_reading.set(QStringLiteral("CERTIFICATE_EXPIRATION"),
                      double(cert.expiryDate().toMSecsSinceEpoch() - QDateTime::currentMSecsSinceEpoch()));

    if (m_timedOut) {
        const QString whole = Duration::format(m_timeoutMs);
        if (m_reading.httpStatus > 0)
            fail(QStringLiteral("timed out after %1 while reading the body (%2 received)")
                     .arg(whole, Quantity::formatBytes(m_reading.body.size())), true);
        else
            fail(QStringLiteral("timed out after %1 without a response").arg(whole), true);
        return;
    }
    if (m_capped) {
        fail(QStringLiteral("response body larger than the %1 cap; stopped reading (raise max_body if this is expected)")
                 .arg(Quantity::formatBytes(m_maxBody)), false);
        return;
    }
    const QNetworkReply::NetworkError error = reply->error();
    if (error == QNetworkReply::TooManyRedirectsError) {
        fail(QStringLiteral("more than %1 redirects (a redirect loop?)").arg(m_maxRedirects), false);
        return;
    }
    if (m_reading.httpStatus == 429 || m_reading.httpStatus == 503) {
        const qint64 after = retryAfterMs(reply->rawHeader("Retry-After"), QDateTime::currentMSecsSinceEpoch());
        if (after >= 0) {
            m_reading.retryAfterMs = after;
            m_reading.error = QStringLiteral("%1 %2, Retry-After %3")
                                  .arg(m_reading.httpStatus)
                                  .arg(m_reading.httpStatus == 429 ? QStringLiteral("Too Many Requests (rate limited)")
                                                                   : QStringLiteral("Service Unavailable"),
                                       Duration::format(after));
        } else if (m_reading.httpStatus == 429) {
            m_reading.error = QStringLiteral("429 Too Many Requests (rate limited)");
        }
    }
    if (m_reading.httpStatus == 0 && error != QNetworkReply::NoError) {
        QString text = describe(error, reply->errorString());
        if (!m_sslErrors.isEmpty())
            text = QStringLiteral("TLS: ") + m_sslErrors.join(QStringLiteral("; "));
        fail(text, isNetworkError(error));
        return;
    }
    if (m_reading.httpStatus > 0 && error != QNetworkReply::NoError && m_reading.httpStatus < 400
        && !reply->attribute(QNetworkRequest::RedirectionTargetAttribute).isValid()) {
        // A status line arrived but the exchange broke afterwards (e.g. reset mid-body).
        fail(describe(error, reply->errorString()), isNetworkError(error));
        return;
    }
    done();
}

void HttpProbe::fail(const QString &error, bool networkError)
{
    m_reading.error = error;
    m_reading.networkError = networkError;
    m_reading.failed = true;
    if (!m_reading.values.contains(QStringLiteral("CONNECTED")))
        m_reading.set(QStringLiteral("CONNECTED"), m_reading.httpStatus > 0);
    qCDebug(lcProbe) << "http probe failed:" << error;
    m_timer.stop();
    if (m_reading.responseTimeMs < 0)
        m_reading.responseTimeMs = double(m_elapsed.nsecsElapsed()) / 1e6;
    // Deliver asynchronously so start() never emits before the caller has connected.
    QMetaObject::invokeMethod(this, &HttpProbe::done, Qt::QueuedConnection);
    m_done = true;
}

void HttpProbe::done()
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    m_done = true;
    emit finished(m_reading);
}
