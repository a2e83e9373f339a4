#include "httpresponseparser.h"

namespace {
constexpr qsizetype kMaxLine = 16 * 1024;   // a status or header line longer than this is hostile
constexpr int kMaxHeaders = 200;
} // namespace

HttpResponseParser::HttpResponseParser(qint64 maxBody, bool headRequest)
    : m_maxBody(maxBody)
    , m_head(headRequest)
{
}

QByteArray HttpResponseParser::header(const QByteArray &name) const
{
    QByteArray value;
    for (const auto &[n, v] : m_headers)
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            value = v;
    return value;
}

bool HttpResponseParser::keepAlive() const
{
    if (m_state != State::Done || m_framing == Framing::UntilClose)
        return false;
    const QByteArray connection = header("Connection").toLower();
    if (m_minorVersion == 0)
        return connection.contains("keep-alive");
    return !connection.contains("close");
}

void HttpResponseParser::fail(Failure failure, const QByteArray &text)
{
    m_state = State::Error;
    m_failure = failure;
    m_error = text;
}

bool HttpResponseParser::takeLine(const char *data, qsizetype size, qsizetype &pos, QByteArray &line)
{
    const char *start = data + pos;
    const char *nl = static_cast<const char *>(memchr(start, '\n', size_t(size - pos)));
    if (!nl) {
        m_partial.append(start, size - pos);
        pos = size;
        if (m_partial.size() > kMaxLine)
            fail(Failure::Malformed, "a header line longer than 16 KiB");
        return false;
    }
    const qsizetype len = nl - start;
    if (m_partial.isEmpty()) {
        line = QByteArray(start, len);
    } else {
        line = m_partial + QByteArray(start, len);
        m_partial.clear();
    }
    if (line.endsWith('\r'))
        line.chop(1);
    pos += len + 1;
    return true;
}

bool HttpResponseParser::appendBody(const char *data, qsizetype size)
{
    if (m_body.size() + size > m_maxBody) {
        m_body.append(data, m_maxBody - m_body.size());
        fail(Failure::BodyTooLarge, "the body is larger than the cap");
        return false;
    }
    m_body.append(data, size);
    return true;
}

void HttpResponseParser::headersDone()
{
    // Interim responses (100 Continue, 103 Early Hints) come before the real one.
    if (m_status >= 100 && m_status < 200) {
        m_state = State::StatusLine;
        m_headers.clear();
        return;
    }
    const QByteArray transfer = header("Transfer-Encoding").toLower();
    const QByteArray length = header("Content-Length").trimmed();
    if (m_head || m_status == 204 || m_status == 304) {
        m_framing = Framing::None;
    } else if (transfer.contains("chunked")) {
        m_framing = Framing::Chunked;
        m_chunk = ChunkState::Size;
    } else if (!length.isEmpty()) {
        bool ok = false;
        m_remaining = length.toLongLong(&ok);
        if (!ok || m_remaining < 0) {
            fail(Failure::Malformed, "a bad Content-Length: " + length);
            return;
        }
        m_framing = Framing::Length;
    } else {
        m_framing = Framing::UntilClose;
    }
    if (m_framing == Framing::None || (m_framing == Framing::Length && m_remaining == 0)) {
        m_state = State::Done;
        return;
    }
    m_state = State::Body;
}

qsizetype HttpResponseParser::feed(const char *data, qsizetype size)
{
    qsizetype pos = 0;
    QByteArray line;
    while (pos < size && m_state != State::Done && m_state != State::Error) {
        switch (m_state) {
        case State::StatusLine: {
            if (!takeLine(data, size, pos, line))
                break;
            if (line.isEmpty())
                break; // tolerate a stray CRLF between responses
            // HTTP/1.1 200 OK
            if (!line.startsWith("HTTP/1.") || line.size() < 12 || line[8] != ' ') {
                fail(Failure::Malformed, "not an HTTP/1.x status line: " + line.left(80));
                break;
            }
            m_minorVersion = line[7] == '0' ? 0 : 1;
            bool ok = false;
            m_status = line.mid(9, 3).toInt(&ok);
            if (!ok || m_status < 100 || m_status > 999) {
                fail(Failure::Malformed, "a bad status code in: " + line.left(80));
                break;
            }
            m_state = State::Headers;
            break;
        }
        case State::Headers: {
            if (!takeLine(data, size, pos, line))
                break;
            if (line.isEmpty()) {
                headersDone();
                break;
            }
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0) {
                fail(Failure::Malformed, "a header line without a name: " + line.left(80));
                break;
            }
            if (m_headers.size() >= kMaxHeaders) {
                fail(Failure::Malformed, "more than 200 headers");
                break;
            }
            m_headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            break;
        }
        case State::Body:
            if (m_framing == Framing::UntilClose) {
                if (appendBody(data + pos, size - pos))
                    pos = size;
                break;
            }
            if (m_framing == Framing::Length) {
                const qsizetype n = qsizetype(qMin<qint64>(m_remaining, size - pos));
                if (!appendBody(data + pos, n))
                    break;
                pos += n;
                m_remaining -= n;
                if (m_remaining == 0)
                    m_state = State::Done;
                break;
            }
            // Chunked.
            switch (m_chunk) {
            case ChunkState::Size: {
                if (!takeLine(data, size, pos, line))
                    break;
                const qsizetype semicolon = line.indexOf(';');
                bool ok = false;
                m_remaining = (semicolon >= 0 ? line.left(semicolon) : line).trimmed().toLongLong(&ok, 16);
                if (!ok || m_remaining < 0) {
                    fail(Failure::Malformed, "a bad chunk size: " + line.left(40));
                    break;
                }
                m_chunk = m_remaining == 0 ? ChunkState::Trailers : ChunkState::Data;
                break;
            }
            case ChunkState::Data: {
                const qsizetype n = qsizetype(qMin<qint64>(m_remaining, size - pos));
                if (!appendBody(data + pos, n))
                    break;
                pos += n;
                m_remaining -= n;
                if (m_remaining == 0)
                    m_chunk = ChunkState::DataEnd;
                break;
            }
            case ChunkState::DataEnd:
                if (!takeLine(data, size, pos, line))
                    break;
                if (!line.isEmpty())
                    fail(Failure::Malformed, "a chunk not followed by CRLF");
                else
                    m_chunk = ChunkState::Size;
                break;
            case ChunkState::Trailers:
                if (!takeLine(data, size, pos, line))
                    break;
                if (line.isEmpty())
                    m_state = State::Done;
                break;
            }
            break;
        case State::Done:
        case State::Error: break;
        }
    }
    return pos;
}

void HttpResponseParser::finishOnClose()
{
    if (m_state == State::Body && m_framing == Framing::UntilClose) {
        m_state = State::Done;
        return;
    }
    if (m_state != State::Done && m_state != State::Error)
        fail(Failure::Malformed, "the connection closed before the response was complete");
}
