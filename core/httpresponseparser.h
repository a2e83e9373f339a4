#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

// Reads one HTTP/1.1 response from a byte stream as it arrives: status line, headers, and a body
// framed by Content-Length, chunked encoding, or the end of the connection. Interim 1xx responses
// are skipped. The body is capped: beyond the cap parsing stops with BodyTooLarge, so a huge
// response never sits in memory. Pure; the probe feeds it what its socket reads.
class HttpResponseParser
{
public:
    enum class State { StatusLine, Headers, Body, Done, Error };
    enum class Failure { None, Malformed, BodyTooLarge };

    // `headRequest`: the response to a HEAD has no body whatever its headers say.
    explicit HttpResponseParser(qint64 maxBody = 1 << 20, bool headRequest = false);

    // Consumes as much of `data` as belongs to this response; returns how many bytes it used.
    qsizetype feed(const char *data, qsizetype size);
    // The connection closed: completes a body framed by the close, fails anything else.
    void finishOnClose();

    State state() const { return m_state; }
    bool isDone() const { return m_state == State::Done; }
    bool headersComplete() const { return m_state == State::Body || m_state == State::Done; }
    Failure failure() const { return m_failure; }
    QByteArray errorText() const { return m_error; }

    int status() const { return m_status; }
    const QList<QPair<QByteArray, QByteArray>> &headers() const { return m_headers; }
    QByteArray header(const QByteArray &name) const; // case-insensitive; the last one wins
    const QByteArray &body() const { return m_body; }
    // Whether the connection may carry another request after this response.
    bool keepAlive() const;

private:
    enum class Framing { None, Length, Chunked, UntilClose };
    enum class ChunkState { Size, Data, DataEnd, Trailers };

    bool takeLine(const char *data, qsizetype size, qsizetype &pos, QByteArray &line);
    void headersDone();
    void fail(Failure failure, const QByteArray &text);
    bool appendBody(const char *data, qsizetype size);

    qint64 m_maxBody;
    bool m_head;
    State m_state = State::StatusLine;
    Failure m_failure = Failure::None;
    QByteArray m_error;
    QByteArray m_partial; // an incomplete line carried over between feeds
    int m_status = 0;
    int m_minorVersion = 1;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    QByteArray m_body;
    Framing m_framing = Framing::None;
    qint64 m_remaining = 0; // of a Content-Length body or of the current chunk
    ChunkState m_chunk = ChunkState::Size;
};
