#pragma once

#include "httpreply.h"
#include "systemid.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QObject>
#include <QSslConfiguration>
#include <functional>
#include <optional>

class FaultBoard;
class QTcpServer;

// One simulated system: an HTTP(S) server on 127.0.0.1 whose routes go through the fault board
// before they reach the system's handlers. Subclasses add routes and say what their errors look
// like; unknown paths get the system's 404, and GET /_sim/faults (never faulted, so it stays usable
// while "*" faults are active) shows the system's faults.
class SystemServer : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SystemServer)

public:
    ~SystemServer() override;

    SystemId id() const { return m_id; }
    QString name() const { return systemName(m_id); }

    // Listens on 127.0.0.1:port (0 picks a free port); with `tls` the system speaks HTTPS only.
    bool listen(quint16 port, const std::optional<QSslConfiguration> &tls, QString *error);
    quint16 port() const;

protected:
    SystemServer(SystemId id, const FaultBoard *faults, QObject *parent);

    using Handler = std::function<HttpReply(const QHttpServerRequest &request)>;
    using ArgHandler = std::function<HttpReply(const QString &arg, const QHttpServerRequest &request)>;

    // Other methods on the path get 405.
    void addRoute(const QString &path, QHttpServerRequest::Methods methods, const Handler &handler);
    // `pattern` holds one "<arg>" standing for a path segment, e.g. "/api/job/<arg>/retry".
    void addArgRoute(const QString &pattern, QHttpServerRequest::Methods methods, const ArgHandler &handler);

    // The error body the real system sends for `status`; an empty message means the system's usual
    // wording for that status.
    virtual HttpReply errorReply(int status, const QString &message) const = 0;

    const FaultBoard &faults() const { return *m_faults; }

private:
    void serve(const QHttpServerRequest &request, QHttpServerResponder &&responder,
               QHttpServerRequest::Methods methods, const std::function<HttpReply()> &produce);

    const SystemId m_id;
    const FaultBoard *const m_faults;
    QHttpServer m_http;
    QTcpServer *m_server = nullptr; // owned by m_http once bound
};
