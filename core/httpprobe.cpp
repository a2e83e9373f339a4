#include "httpprobe.h"

#include "duration.h"
#include "httpconnectionpool.h"
#include "logging.h"
#include "quantity.h"
#include "truststore.h"

#include <QDateTime>
#include <QNetworkProxy>
#include <QSslCertificate>
#include <QSslSocket>
#include <QTcpSocket>

namespace {

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

bool isRedirect(int status)
{
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

int defaultPort(const QUrl &url)
{
    return url.scheme() == u"https" ? 443 : 80;
}

} // namespace

HttpProbe::HttpProbe(HttpConnectionPool *pool, TrustStore *trust, QObject *parent)
    : Probe(parent)
    , m_pool(pool)
    , m_trust(trust)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpProbe::onTimeout);
}

HttpProbe::~HttpProbe()
{
    m_done = true;
    releaseSocket(false);
}

void HttpProbe::start(const CheckConfig &check)
{
    m_check = &check;
    m_method = check.http.method;
    m_body = check.http.body.toUtf8();
    m_elapsed.start();
    m_timer.start(int(check.timeoutMs));
    const QUrl &url = m_pool->url(check.http.url);
    if (url.scheme() == u"https") {
        const TrustStore::Entry &trust = m_trust->configuration(check.http.caFile, check.http.insecure);
        if (!trust.error.isEmpty()) {
            // Not a verdict on the server: OpsDeck's own set-up is wrong.
            m_reading.unknown = true;
            fail(trust.error, false);
            return;
        }
    }
    request(url);
}

QString HttpProbe::poolKey() const
{
    QString key = m_url.scheme() + u'|' + m_url.host() + u'|' + QString::number(m_url.port(defaultPort(m_url)));
    if (m_url.scheme() == u"https")
        key += u'|' + m_check->http.caFile + (m_check->http.insecure ? QStringLiteral("|insecure") : QString());
    return key;
}

void HttpProbe::request(const QUrl &url)
{
    m_url = url;
    m_key = poolKey();
    m_parser.emplace(m_check->http.maxBodyBytes, m_method == "HEAD");
    m_gotBytes = false;
    m_socket = m_pool->take(m_key);
    m_reused = m_socket != nullptr;
    if (m_reused) {
        m_socket->setParent(this);
        connect(m_socket, &QAbstractSocket::readyRead, this, &HttpProbe::onReadyRead);
        connect(m_socket, &QAbstractSocket::errorOccurred, this, &HttpProbe::onSocketError);
        connect(m_socket, &QAbstractSocket::disconnected, this, &HttpProbe::onSocketError);
        send();
        return;
    }
    openSocket();
}

void HttpProbe::openSocket()
{
    const quint16 port = quint16(m_url.port(defaultPort(m_url)));
    if (m_url.scheme() == u"https") {
        auto *ssl = new QSslSocket(this);
        ssl->setSslConfiguration(m_trust->configuration(m_check->http.caFile, m_check->http.insecure).configuration);
        connect(ssl, &QSslSocket::sslErrors, this, [this, ssl](const QList<QSslError> &errors) {
            if (m_check->http.insecure) {
                ssl->ignoreSslErrors();
                return;
            }
            for (const QSslError &e : errors)
                m_sslErrors << e.errorString();
        });
        connect(ssl, &QSslSocket::encrypted, this, &HttpProbe::send);
        m_socket = ssl;
    } else {
        m_socket = new QTcpSocket(this);
        connect(m_socket, &QAbstractSocket::connected, this, &HttpProbe::send);
    }
    // A health check sees the server itself, never a desktop proxy's view of it.
    m_socket->setProxy(QNetworkProxy::NoProxy);
    connect(m_socket, &QAbstractSocket::readyRead, this, &HttpProbe::onReadyRead);
    connect(m_socket, &QAbstractSocket::errorOccurred, this, &HttpProbe::onSocketError);
    connect(m_socket, &QAbstractSocket::disconnected, this, &HttpProbe::onSocketError);
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        ssl->connectToHostEncrypted(m_url.host(), port);
    else
        m_socket->connectToHost(m_url.host(), port);
}

void HttpProbe::send()
{
    QByteArray target = m_url.path(QUrl::FullyEncoded).toLatin1();
    if (target.isEmpty())
        target = "/";
    if (m_url.hasQuery())
        target += '?' + m_url.query(QUrl::FullyEncoded).toLatin1();
    QByteArray host = m_url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    if (m_url.port() > 0 && m_url.port() != defaultPort(m_url))
        host += ':' + QByteArray::number(m_url.port());

    QByteArray out;
    out.reserve(256 + m_body.size());
    out += m_method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    bool userAgent = false, accept = false, contentType = false;
    for (const auto &[name, value] : m_check->http.headers) {
        const QByteArray n = name.toLatin1();
        userAgent = userAgent || n.compare("User-Agent", Qt::CaseInsensitive) == 0;
        accept = accept || n.compare("Accept", Qt::CaseInsensitive) == 0;
        contentType = contentType || n.compare("Content-Type", Qt::CaseInsensitive) == 0;
        out += n + ": " + value.toUtf8() + "\r\n";
    }
    if (!userAgent)
        out += "User-Agent: OpsDeck/" OPSDECK_VERSION "\r\n";
    if (!accept)
        out += "Accept: */*\r\n";
    if (!m_body.isEmpty() || m_method == "POST" || m_method == "PUT" || m_method == "PATCH") {
        if (!m_body.isEmpty() && !contentType)
            out += "Content-Type: application/json\r\n";
        out += "Content-Length: " + QByteArray::number(m_body.size()) + "\r\n";
    }
    out += "\r\n" + m_body;
    m_socket->write(out);
}

void HttpProbe::onReadyRead()
{
    if (m_done || !m_socket || !m_parser)
        return;
    const QByteArray data = m_socket->readAll();
    if (data.isEmpty())
        return;
    m_gotBytes = true;
    m_parser->feed(data.constData(), data.size());
    if (m_parser->isDone() || m_parser->state() == HttpResponseParser::State::Error)
        onResponse();
}

void HttpProbe::onSocketError()
{
    if (m_done || !m_socket)
        return;
    const QAbstractSocket::SocketError error = m_socket->error();
    if (m_socket->state() != QAbstractSocket::ConnectedState && m_socket->bytesAvailable() > 0)
        onReadyRead(); // whatever arrived before the close
    if (m_done)
        return;
    // A body framed by the end of the connection is complete now.
    if (m_parser && m_parser->state() == HttpResponseParser::State::Body) {
        m_parser->finishOnClose();
        if (m_parser->isDone()) {
            onResponse();
            return;
        }
    }
    // A pooled connection the server had already closed: try once more on a fresh one, unless the
    // request may not be repeated.
    const bool idempotent = m_method == "GET" || m_method == "HEAD" || m_method == "OPTIONS";
    if (m_reused && !m_gotBytes && !m_retried && idempotent) {
        m_retried = true;
        releaseSocket(false);
        m_parser.emplace(m_check->http.maxBodyBytes, m_method == "HEAD");
        m_reused = false;
        openSocket();
        return;
    }
    if (error == QAbstractSocket::SslHandshakeFailedError || !m_sslErrors.isEmpty()) {
        fail(QStringLiteral("TLS: ") + (m_sslErrors.isEmpty() ? m_socket->errorString() : m_sslErrors.join(QStringLiteral("; "))),
             false);
        return;
    }
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError: fail(QStringLiteral("connection refused"), true); break;
    case QAbstractSocket::HostNotFoundError: fail(QStringLiteral("host not found (DNS)"), true); break;
    case QAbstractSocket::RemoteHostClosedError:
        fail(QStringLiteral("connection closed by the server before a complete response"), true);
        break;
    default: fail(m_socket->errorString(), true); break;
    }
}

void HttpProbe::onResponse()
{
    HttpResponseParser &p = *m_parser;
    if (p.state() == HttpResponseParser::State::Error) {
        if (p.failure() == HttpResponseParser::Failure::BodyTooLarge) {
            m_reading.httpStatus = p.status();
            m_reading.set(QStringLiteral("STATUS"), p.status());
            m_reading.headers = p.headers();
            m_reading.body = p.body();
            fail(QStringLiteral("response body larger than the %1 cap; stopped reading (raise max_body if this is expected)")
                     .arg(Quantity::formatBytes(m_check->http.maxBodyBytes)),
                 false);
        } else {
            fail(QStringLiteral("malformed HTTP response: %1").arg(QString::fromLatin1(p.errorText())), false);
        }
        return;
    }
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket)) {
        const QSslCertificate cert = ssl->peerCertificate();
        if (!cert.isNull())
            m_reading.set(QStringLiteral("CERTIFICATE_EXPIRATION"),
                          double(cert.expiryDate().toMSecsSinceEpoch() - QDateTime::currentMSecsSinceEpoch()));
    }
    const int status = p.status();
    const QByteArray location = p.header("Location");
    if (isRedirect(status) && !location.isEmpty() && m_check->http.maxRedirects > 0) {
        const QUrl next = m_url.resolved(QUrl::fromEncoded(location));
        releaseSocket(p.keepAlive());
        if (++m_redirects > m_check->http.maxRedirects) {
            m_reading.httpStatus = status;
            fail(QStringLiteral("more than %1 redirects (a redirect loop?)").arg(m_check->http.maxRedirects), false);
            return;
        }
        if (m_url.scheme() == u"https" && next.scheme() != u"https") {
            fail(QStringLiteral("redirected from https to %1; refused").arg(next.toString()), false);
            return;
        }
        if (next.scheme() != u"http" && next.scheme() != u"https") {
            fail(QStringLiteral("redirected to %1, which is not http(s)").arg(next.toString()), false);
            return;
        }
        // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
        if (status == 303 || ((status == 301 || status == 302) && m_method == "POST")) {
            m_method = "GET";
            m_body.clear();
        }
        request(next);
        return;
    }
    m_reading.httpStatus = status;
    m_reading.set(QStringLiteral("STATUS"), status);
    m_reading.set(QStringLiteral("CONNECTED"), true);
    m_reading.headers = p.headers();
    m_reading.body = p.body();
    if (status == 429 || status == 503) {
        const qint64 after = retryAfterMs(p.header("Retry-After"), QDateTime::currentMSecsSinceEpoch());
        if (after >= 0) {
            m_reading.retryAfterMs = after;
            m_reading.error = QStringLiteral("%1 %2, Retry-After %3")
                                  .arg(status)
                                  .arg(status == 429 ? QStringLiteral("Too Many Requests (rate limited)")
                                                     : QStringLiteral("Service Unavailable"),
                                       Duration::format(after));
        } else if (status == 429) {
            m_reading.error = QStringLiteral("429 Too Many Requests (rate limited)");
        }
    }
    releaseSocket(p.keepAlive());
    finish();
}

void HttpProbe::onTimeout()
{
    if (m_done)
        return;
    const QString whole = Duration::format(m_check->timeoutMs);
    if (m_parser && m_parser->headersComplete()) {
        m_reading.httpStatus = m_parser->status();
        m_reading.set(QStringLiteral("STATUS"), m_parser->status());
        fail(QStringLiteral("timed out after %1 while reading the body (%2 received)")
                 .arg(whole, Quantity::formatBytes(m_parser->body().size())),
             true);
    } else {
        fail(QStringLiteral("timed out after %1 without a response").arg(whole), true);
    }
}

void HttpProbe::releaseSocket(bool reusable)
{
    if (!m_socket)
        return;
    QAbstractSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    if (reusable) {
        m_pool->giveBack(m_key, socket);
        return;
    }
    socket->abort();
    socket->deleteLater();
}

void HttpProbe::fail(const QString &error, bool networkError)
{
    m_reading.error = error;
    m_reading.networkError = networkError;
    m_reading.failed = true;
    if (!m_reading.values.contains(QStringLiteral("CONNECTED")))
        m_reading.set(QStringLiteral("CONNECTED"), m_reading.httpStatus > 0);
    qCDebug(lcProbe) << "http probe failed:" << error;
    releaseSocket(false);
    finish();
}

void HttpProbe::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_timer.stop();
    m_reading.responseTimeMs = double(m_elapsed.nsecsElapsed()) / 1e6;
    // Always from the event loop: start() must never emit before the caller has connected.
    QMetaObject::invokeMethod(this, [this] { emit finished(m_reading); }, Qt::QueuedConnection);
}
