// qtfloor — what an HTTP GET costs a Qt program before OpsDeck adds anything: the same Qt event
// loop, the same paced request rate as `opsdeckctl watch`, and nothing else (no scheduler,
// conditions, state, history or output). Two clients:
//
//   --mode qnam    QNetworkAccessManager, used as core/httpprobe.cpp uses it (NoProxy, no
//                  HTTP/2, no cache, one sendCustomRequest per probe, status + body read on
//                  finished()). The floor for any OpsDeck built on QNAM.
//   --mode socket  a minimal HTTP/1.1 keep-alive client on buffered QTcpSockets (one request
//                  in flight per connection, Content-Length bodies). The floor for an HTTP
//                  client written for OpsDeck on Qt's event loop.
//
// Prints one line: `qtfloor: mode=… completed=… failed=… cpu=… s wall=… s peak_rss=… MiB`.
// Used by bench/probe-bench.sh --qt-floor; not part of the product.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTcpSocket>
#include <QTimer>
#include <QRandomGenerator>
#include <QUrl>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <queue>
#include <vector>

namespace {

struct Options
{
    QString mode = QStringLiteral("qnam");
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    int paths = 1000;
    double rate = 1000;  // requests per second, paced like a fleet of 1 s checks
    int seconds = 10;
    int connections = 6; // QNAM's own limit per host:port
    int maxInFlight = 64;
};

class Client : public QObject
{
public:
    virtual void send(int path) = 0;
    std::function<void()> onDone; // a slot is free again
    int inFlight = 0;
    quint64 completed = 0;
    quint64 failed = 0;
};

class QnamClient final : public Client
{
public:
    explicit QnamClient(const Options &o)
        : m_base(QStringLiteral("http://%1:%2/health/").arg(o.host).arg(o.port))
    {
        m_network.setProxy(QNetworkProxy::NoProxy);
        m_network.setAutoDeleteReplies(false);
    }

    void send(int path) override
    {
        QNetworkRequest request{QUrl(m_base + QString::number(path))};
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
        request.setMaximumRedirectsAllowed(5);
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
        request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
        request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("OpsDeck-qtfloor"));
        QNetworkReply *reply = m_network.sendCustomRequest(request, QByteArrayLiteral("GET"), QByteArray());
        ++inFlight;
        connect(reply, &QNetworkReply::finished, this, [this, reply] {
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QByteArray body = reply->readAll();
            --inFlight;
            if (status == 200 && !body.isEmpty() && reply->error() == QNetworkReply::NoError)
                ++completed;
            else
                ++failed;
            reply->deleteLater();
            onDone();
        });
    }

private:
    QNetworkAccessManager m_network;
    QString m_base;
};

class SocketClient final : public Client
{
    struct Conn
    {
        std::unique_ptr<QTcpSocket> socket;
        QByteArray buffer;
        QByteArray pending; // the request in flight, for a resend after a keep-alive close
        bool busy = false;
    };

public:
    explicit SocketClient(const Options &o)
        : m_host(o.host)
        , m_port(o.port)
    {
        for (int i = 0; i < o.connections; ++i) {
            auto c = std::make_unique<Conn>();
            m_conns.push_back(std::move(c));
            open(m_conns.back().get());
        }
    }

    ~SocketClient() override
    {
        for (auto &c : m_conns) {
            c->socket->disconnect(this); // a closing socket must not reopen itself
            c->socket->abort();
        }
    }

    void send(int path) override
    {
        ++inFlight;
        QByteArray request = "GET /health/" + QByteArray::number(path) + " HTTP/1.1\r\nHost: " + m_host.toLatin1()
            + "\r\nUser-Agent: OpsDeck-qtfloor\r\n\r\n";
        for (auto &c : m_conns) {
            if (!c->busy && c->socket->state() == QAbstractSocket::ConnectedState) {
                start(c.get(), std::move(request));
                return;
            }
        }
        m_queue.push_back(std::move(request));
    }

private:
    void open(Conn *c)
    {
        c->socket = std::make_unique<QTcpSocket>();
        c->buffer.clear();
        QTcpSocket *s = c->socket.get();
        connect(s, &QTcpSocket::connected, this, [this, c] {
            if (c->busy)
                c->socket->write(c->pending);
            else
                next(c);
        });
        connect(s, &QTcpSocket::readyRead, this, [this, c] { onRead(c); });
        connect(s, &QTcpSocket::disconnected, this, [this, c] {
            // nginx closes a keep-alive connection after keepalive_requests; reopen, resend.
            QTcpSocket *old = c->socket.release();
            old->disconnect(this);
            old->deleteLater();
            open(c);
        });
        s->connectToHost(m_host, m_port);
    }

    void start(Conn *c, QByteArray &&request)
    {
        c->busy = true;
        c->pending = std::move(request);
        c->socket->write(c->pending);
    }

    void next(Conn *c)
    {
        if (m_queue.empty())
            return;
        QByteArray request = std::move(m_queue.front());
        m_queue.pop_front();
        start(c, std::move(request));
    }

    void onRead(Conn *c)
    {
        c->buffer += c->socket->readAll();
        for (;;) {
            const qsizetype end = c->buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QByteArrayView head(c->buffer.constData(), end);
            qsizetype length = 0;
            const qsizetype at = QByteArrayView(head).indexOf("\r\nContent-Length:");
            if (at >= 0) {
                const char *p = head.data() + at + 17;
                while (*p == ' ')
                    ++p;
                length = std::strtoll(p, nullptr, 10);
            }
            if (c->buffer.size() < end + 4 + length)
                return;
            const bool ok = head.startsWith("HTTP/1.1 200") || head.startsWith("HTTP/1.0 200");
            const QByteArray body = c->buffer.mid(end + 4, length);
            c->buffer.remove(0, end + 4 + length);
            --inFlight;
            if (ok && !body.isEmpty())
                ++completed;
            else
                ++failed;
            c->busy = false;
            c->pending.clear();
            next(c);
            onDone();
        }
    }

    QString m_host;
    quint16 m_port;
    std::vector<std::unique_ptr<Conn>> m_conns;
    std::deque<QByteArray> m_queue;
};

bool parse(const QStringList &args, Options *o)
{
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &a = args[i];
        const QString v = i + 1 < args.size() ? args[i + 1] : QString();
        bool ok = true;
        if (a == u"--mode")
            o->mode = v;
        else if (a == u"--port")
            o->port = quint16(v.toUInt(&ok));
        else if (a == u"--paths")
            o->paths = v.toInt(&ok);
        else if (a == u"--rate")
            o->rate = v.toDouble(&ok);
        else if (a == u"--seconds")
            o->seconds = v.toInt(&ok);
        else if (a == u"--connections")
            o->connections = v.toInt(&ok);
        else
            return false;
        if (!ok)
            return false;
        ++i;
    }
    return o->port > 0 && o->paths > 0 && o->rate > 0 && o->seconds > 0 && o->connections > 0
        && (o->mode == u"qnam" || o->mode == u"socket");
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    Options o;
    if (!parse(app.arguments(), &o)) {
        std::fprintf(stderr, "usage: qtfloor --port P [--mode qnam|socket] [--paths 1000] [--rate 1000] "
                             "[--seconds 10] [--connections 6]\n");
        return 2;
    }
    std::unique_ptr<Client> client;
    if (o.mode == u"qnam")
        client = std::make_unique<QnamClient>(o);
    else
        client = std::make_unique<SocketClient>(o);

    // Paced like core/scheduler.cpp: `paths` virtual checks with a period of paths/rate seconds
    // (1 s when rate == paths), first runs spread at random over the first period (at most 2 s),
    // then every period plus a random jitter of up to 10 %; one timer aimed at the earliest due
    // time starts everything due. The arrival pattern (and so how many requests share a wake-up)
    // matches what `opsdeckctl watch` produces.
    QElapsedTimer clock;
    clock.start();
    QRandomGenerator random(42);
    const qint64 periodMs = std::max<qint64>(1, qint64(double(o.paths) * 1000.0 / o.rate));
    using Due = std::pair<qint64, int>; // due (ms since start, unjittered base), path
    struct Check { qint64 baseMs; };
    std::vector<Check> checks(std::size_t(o.paths));
    std::priority_queue<Due, std::vector<Due>, std::greater<>> queue;
    for (int i = 0; i < o.paths; ++i) {
        checks[std::size_t(i)].baseMs = 0;
        queue.push({qint64(random.bounded(quint32(std::min<qint64>(periodMs, 2000)))), i});
    }
    std::deque<int> ready;
    client->onDone = [&] {
        while (!ready.empty() && client->inFlight < o.maxInFlight) {
            client->send(ready.front());
            ready.pop_front();
        }
    };
    QTimer pace;
    pace.setTimerType(Qt::PreciseTimer);
    pace.setSingleShot(true);
    QObject::connect(&pace, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        while (!queue.empty() && queue.top().first <= now) {
            const int path = queue.top().second;
            queue.pop();
            if (client->inFlight < o.maxInFlight)
                client->send(path);
            else
                ready.push_back(path); // waits for a slot, as in the scheduler's ready queue
            Check &c = checks[std::size_t(path)];
            c.baseMs += periodMs;
            if (c.baseMs < now - periodMs)
                c.baseMs = now;
            queue.push({c.baseMs + qint64(random.bounded(quint32(periodMs / 10 + 1))), path});
        }
        pace.start(int(std::max<qint64>(0, queue.top().first - clock.elapsed())));
    });
    pace.start(0);
    QTimer::singleShot(o.seconds * 1000, Qt::PreciseTimer, &app, &QCoreApplication::quit);
    app.exec();

    rusage usage = {};
    ::getrusage(RUSAGE_SELF, &usage);
    const double cpu = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    std::printf("qtfloor: mode=%s completed=%llu failed=%llu cpu=%.3f s wall=%.2f s peak_rss=%.1f MiB\n",
                qPrintable(o.mode), static_cast<unsigned long long>(client->completed),
                static_cast<unsigned long long>(client->failed), cpu, double(clock.elapsed()) / 1000.0,
                double(usage.ru_maxrss) / 1024.0);
    return 0;
}
