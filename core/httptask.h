#pragma once

#include "actiontask.h"

#include <QNetworkAccessManager>
#include <QPointer>
#include <QTimer>

class QNetworkReply;

// An HTTP action: one request (method, URL, headers, body) with the action's timeout and the same
// TLS options as checks (`ca_file`, `insecure`). Success is a status in `ok_status`, or any 2xx
// without it. Output is the status line and the body, read as it comes and capped: the rest of a
// large body is counted and dropped.
class HttpTask final : public ActionTask
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpTask)

public:
    explicit HttpTask(const Context &context, QObject *parent = nullptr);
    ~HttpTask() override;

    QStringList preview() const override;
    void start() override;
    void cancel() override;

private:
    void onReadyRead();
    void onFinished();
    void fail(ActionOutcome::Status status, const QString &summary);
    void emitChunk(const QByteArray &chunk);

    QNetworkAccessManager m_nam;
    QPointer<QNetworkReply> m_reply;
    QTimer m_timeout;
    qint64 m_kept = 0;
    qint64 m_total = 0;
    bool m_statusSent = false;
    bool m_timedOut = false;
    bool m_cancelled = false;
    bool m_done = false;
};
