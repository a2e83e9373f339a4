#include "faultinjector.h"

#include <QHttpServerResponder>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <memory>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

void FaultInjector::answer(const Fault &fault, const QUrl &url, QHttpServerResponder &&responder,
                           const std::function<HttpReply()> &normal,
                           const std::function<HttpReply(int status)> &error)
{
    switch (fault.kind) {
    case FaultKind::Status: {
        HttpReply reply = error(fault.status);
        std::optional<qint64> retryAfterMs = fault.retryAfterMs;
        if (!retryAfterMs && fault.status == 429)
            retryAfterMs = 60'000; // the runbook's rate-limit window
        if (retryAfterMs)
            reply.headers.append({ QByteArrayLiteral("Retry-After"), QByteArray::number((*retryAfterMs + 999) / 1000) });
        reply.writeTo(responder);
        return;
    }
    case FaultKind::Slow:
        sendLater(std::move(responder), normal(), fault.delayMs);
        return;
    case FaultKind::Hang:
        hold(std::move(responder));
        return;
    case FaultKind::Malformed:
        truncated(normal()).writeTo(responder);
        return;
    case FaultKind::Reset:
        reset(std::move(responder));
        return;
    case FaultKind::Drip:
        drip(std::move(responder), normal());
        return;
    case FaultKind::Huge:
        padded(normal()).writeTo(responder);
        return;
    case FaultKind::RedirectLoop: {
        // Relative to the request, so the loop works whatever host name the client used.
        QByteArray target = url.path(QUrl::FullyEncoded).toUtf8();
        if (url.hasQuery())
            target += '?' + url.query(QUrl::FullyEncoded).toUtf8();
        HttpReply reply;
        reply.status = 302;
        reply.body = R"({"redirect":")" + target + R"("})";
        reply.headers.append({ QByteArrayLiteral("Location"), target });
        reply.writeTo(responder);
        return;
    }
    case FaultKind::Degraded:
    case FaultKind::StuckJobs:
    case FaultKind::LogErrors:
    case FaultKind::StaleTick:
        break; // content faults never reach here; answer normally rather than crash
    }
    normal().writeTo(responder);
}

void FaultInjector::sendLater(QHttpServerResponder &&responder, const HttpReply &reply, qint64 delayMs)
{
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    QTcpSocket *socket = held->socket();
    // The socket as context: if it is deleted first, the timer never fires and the lambda (with the
    // responder) is destroyed. A socket that is closing but not yet deleted is skipped by the check.
    QTimer::singleShot(std::chrono::milliseconds(delayMs), socket, [held, reply]() {
        if (held->socket()->state() == QAbstractSocket::ConnectedState)
            reply.writeTo(*held);
    });
}

void FaultInjector::hold(QHttpServerResponder &&responder)
{
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    QTcpSocket *socket = held->socket();
    // Never answers. The connection below owns the responder and is dropped when the socket is
    // destroyed, i.e. once the client gives up; until then the socket simply stays open.
    QObject::connect(socket, &QObject::destroyed, [held]() {});
}

void FaultInjector::reset(QHttpServerResponder &&responder)
{
    QTcpSocket *socket = responder.socket();
#ifdef Q_OS_UNIX
    // Linger 0 makes close() send RST instead of FIN: the client sees "connection reset by peer",
    // which is what a crashing upstream or a dropping firewall produces.
    const qintptr descriptor = socket->socketDescriptor();
    if (descriptor >= 0) {
        const linger abortive { 1, 0 };
        ::setsockopt(int(descriptor), SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    }
#endif
    socket->abort(); // QAbstractHttpServer deletes the socket once the handler returns
}

void FaultInjector::drip(QHttpServerResponder &&responder, const HttpReply &reply)
{
    auto held = std::make_shared<QHttpServerResponder>(std::move(responder));
    reply.writeHead(*held, reply.body.size());
    // The first byte goes out at once: writeBody also ends the header block, so the client sees a
    // normal, prompt head and only the body crawls.
    held->writeBody(reply.body.left(1));
    if (reply.body.size() <= 1)
        return;
    auto *timer = new QTimer(held->socket()); // dies with the connection, and the responder with it
    timer->setInterval(std::chrono::milliseconds(kDripIntervalMs));
    QObject::connect(timer, &QTimer::timeout, timer, [timer, held, body = reply.body, sent = qsizetype(1)]() mutable {
        if (held->socket()->state() != QAbstractSocket::ConnectedState) {
            timer->stop();
            return;
        }
        held->writeBody(body.mid(sent, 1));
        if (++sent >= body.size())
            timer->deleteLater();
    });
    timer->start();
}

HttpReply FaultInjector::truncated(const HttpReply &reply)
{
    HttpReply broken = reply;
    broken.status = 200;
    // Half a JSON document never parses, and looks like what a proxy cut off mid-stream delivers.
    broken.body = reply.body.left(qMax<qsizetype>(1, reply.body.size() / 2));
    if (broken.body.isEmpty() || broken.body == "{")
        broken.body = QByteArrayLiteral("{\"status\":");
    return broken;
}

HttpReply FaultInjector::padded(const HttpReply &reply)
{
    // Still valid JSON with the normal fields, plus a padding string up to 10 MiB: tests the
    // client's size limit rather than its parser.
    HttpReply big = reply;
    QByteArray body = reply.body.trimmed();
    const bool object = body.startsWith('{') && body.endsWith('}');
    QByteArray head = QByteArrayLiteral("{");
    if (object && body.size() > 2)
        head = body.chopped(1) + ',';
    head += R"("padding":")";
    const QByteArray tail = QByteArrayLiteral("\"}");
    const qsizetype fill = qMax<qsizetype>(0, kHugeBodyBytes - head.size() - tail.size());
    big.body = head + QByteArray(fill, 'x') + tail;
    return big;
}
