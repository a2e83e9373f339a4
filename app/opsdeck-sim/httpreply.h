#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>

class QHttpServerResponder;

// A complete response as a value, so that a fault can delay, drip, truncate or pad it before it
// goes out, and so that handlers stay plain functions.
struct HttpReply
{
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers; // besides Content-Type and Content-Length

    static HttpReply json(const QJsonObject &body, int status = 200);
    static QByteArray reasonPhrase(int status); // "Service Unavailable"

    // Status line and headers, with Content-Length set to `contentLength`; the body is up to the
    // caller (see QHttpServerResponder::writeBody, which also ends the header block).
    void writeHead(QHttpServerResponder &responder, qint64 contentLength) const;
    void writeTo(QHttpServerResponder &responder) const;
};
