#include "httpreply.h"

#include <QHttpServerResponder>
#include <QJsonDocument>

HttpReply HttpReply::json(const QJsonObject &body, int status)
{
    HttpReply reply;
    reply.status = status;
    reply.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return reply;
}

QByteArray HttpReply::reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "HTTP " + QByteArray::number(status);
    }
}

void HttpReply::writeHead(QHttpServerResponder &responder, qint64 contentLength) const
{
    responder.writeStatusLine(QHttpServerResponder::StatusCode(status));
    responder.writeHeader(QByteArrayLiteral("Content-Type"), contentType);
    responder.writeHeader(QByteArrayLiteral("Content-Length"), QByteArray::number(contentLength));
    for (const auto &header : headers)
        responder.writeHeader(header.first, header.second);
}

void HttpReply::writeTo(QHttpServerResponder &responder) const
{
    writeHead(responder, body.size());
    responder.writeBody(body); // also for an empty body: it writes the blank line ending the headers
}
