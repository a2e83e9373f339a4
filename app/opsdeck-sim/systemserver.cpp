#include "systemserver.h"

#include "faultboard.h"
#include "faultinjector.h"

#include <QSslServer>
#include <QTcpServer>

SystemServer::SystemServer(SystemId id, const FaultBoard *faults, QObject *parent)
    : QObject(parent)
    , m_id(id)
    , m_faults(faults)
{
    m_http.setMissingHandler([this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        serve(request, std::move(responder), QHttpServerRequest::Method::AnyKnown,
              [this] { return errorReply(404, QString()); });
    });
    addRoute(QStringLiteral("/_sim/faults"), QHttpServerRequest::Method::Get,
             [this](const QHttpServerRequest &) { return HttpReply::json(m_faults->describe(m_id)); });
}

SystemServer::~SystemServer() = default;

bool SystemServer::listen(quint16 port, const std::optional<QSslConfiguration> &tls, QString *error)
{
    // Our own QTcpServer rather than QAbstractHttpServer::listen(): that one only logs why it failed.
    QTcpServer *server = nullptr;
    if (tls) {
        auto *sslServer = new QSslServer;
        sslServer->setSslConfiguration(*tls);
        server = sslServer;
    } else {
        server = new QTcpServer;
    }
    if (!server->listen(QHostAddress::LocalHost, port)) {
        *error = u"cannot listen on 127.0.0.1:" % QString::number(port) % u": " % server->errorString();
        delete server;
        return false;
    }
    m_http.bind(server);
    m_server = server;
    return true;
}

quint16 SystemServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

void SystemServer::addRoute(const QString &path, QHttpServerRequest::Methods methods, const Handler &handler)
{
    m_http.route(path, [this, methods, handler](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        serve(request, std::move(responder), methods, [&] { return handler(request); });
    });
}

void SystemServer::addArgRoute(const QString &pattern, QHttpServerRequest::Methods methods, const ArgHandler &handler)
{
    m_http.route(pattern,
                 [this, methods, handler](const QString &arg, const QHttpServerRequest &request,
                                          QHttpServerResponder &&responder) {
                     serve(request, std::move(responder), methods, [&] { return handler(arg, request); });
                 });
}

void SystemServer::serve(const QHttpServerRequest &request, QHttpServerResponder &&responder,
                         QHttpServerRequest::Methods methods, const std::function<HttpReply()> &produce)
{
    const auto normal = [&]() -> HttpReply {
        if (!methods.testFlag(request.method()))
            return errorReply(405, QString());
        return produce();
    };
    const QString path = request.url().path();
    if (!path.startsWith(u"/_sim/")) {
        if (const std::optional<ActiveFault> fault = m_faults->transportFault(m_id, path)) {
            FaultInjector::answer(fault->fault, request.url(), std::move(responder), normal,
                                  [this](int status) { return errorReply(status, QString()); });
            return;
        }
    }
    normal().writeTo(responder);
}
