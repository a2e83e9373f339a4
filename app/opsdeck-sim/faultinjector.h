#pragma once

#include "fault.h"
#include "httpreply.h"

#include <functional>

class QHttpServerResponder;
class QUrl;

// Answers a request the way an active transport fault says (see FaultKind). Delayed, dripped and
// held responses keep their responder in a shared_ptr owned by a timer or connection that is a
// child of the client's socket: when the client goes away, Qt deletes the socket, which takes the
// timer and the responder with it, so nothing is left pointing at a dead connection.
class FaultInjector final
{
public:
    static constexpr qint64 kDripIntervalMs = 200;
    static constexpr qsizetype kHugeBodyBytes = 10 * 1024 * 1024;

    // `normal` builds the system's normal reply and is only called for kinds that send one (slow,
    // malformed, drip, huge); `error` builds the system's error reply for a status code.
    static void answer(const Fault &fault, const QUrl &url, QHttpServerResponder &&responder,
                       const std::function<HttpReply()> &normal,
                       const std::function<HttpReply(int status)> &error);

private:
    static void sendLater(QHttpServerResponder &&responder, const HttpReply &reply, qint64 delayMs);
    static void hold(QHttpServerResponder &&responder);
    static void reset(QHttpServerResponder &&responder);
    static void drip(QHttpServerResponder &&responder, const HttpReply &reply);
    static HttpReply truncated(const HttpReply &reply);
    static HttpReply padded(const HttpReply &reply);
};
