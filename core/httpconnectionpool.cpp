#include "httpconnectionpool.h"

#include <QAbstractSocket>

HttpConnectionPool::HttpConnectionPool(QObject *parent)
    : QObject(parent)
{
    m_clock.start();
    m_sweep.setInterval(int(kIdleMs / 3));
    connect(&m_sweep, &QTimer::timeout, this, &HttpConnectionPool::expire);
}

HttpConnectionPool::~HttpConnectionPool()
{
    for (const QList<Idle> &list : std::as_const(m_idle))
        for (const Idle &i : list)
            delete i.socket;
}

QAbstractSocket *HttpConnectionPool::take(const QString &key)
{
    auto it = m_idle.find(key);
    while (it != m_idle.end() && !it->isEmpty()) {
        const Idle idle = it->takeLast(); // the most recently used is the least likely to be stale
        idle.socket->disconnect(this);
        if (idle.socket->state() == QAbstractSocket::ConnectedState && m_clock.elapsed() - idle.since < kIdleMs)
            return idle.socket;
        idle.socket->abort();
        idle.socket->deleteLater();
    }
    return nullptr;
}

void HttpConnectionPool::giveBack(const QString &key, QAbstractSocket *socket)
{
    QList<Idle> &list = m_idle[key];
    if (list.size() >= kMaxIdlePerKey || socket->state() != QAbstractSocket::ConnectedState
        || socket->bytesAvailable() > 0) { // unread bytes: the server said more than the response
        socket->abort();
        socket->deleteLater();
        return;
    }
    socket->setParent(this);
    list.append({socket, m_clock.elapsed()});
    // A server closing an idle connection (or sending anything on it) ends it.
    connect(socket, &QAbstractSocket::disconnected, this, [this, socket] { drop(socket); });
    connect(socket, &QAbstractSocket::readyRead, this, [this, socket] { drop(socket); });
    if (!m_sweep.isActive())
        m_sweep.start();
}

void HttpConnectionPool::drop(QAbstractSocket *socket)
{
    for (auto it = m_idle.begin(); it != m_idle.end(); ++it) {
        for (qsizetype i = 0; i < it->size(); ++i) {
            if (it->at(i).socket == socket) {
                it->removeAt(i);
                socket->disconnect(this);
                socket->abort();
                socket->deleteLater();
                return;
            }
        }
    }
}

void HttpConnectionPool::expire()
{
    const qint64 now = m_clock.elapsed();
    int left = 0;
    for (auto it = m_idle.begin(); it != m_idle.end();) {
        QList<Idle> &list = *it;
        for (qsizetype i = list.size() - 1; i >= 0; --i) {
            if (now - list[i].since >= kIdleMs) {
                list[i].socket->disconnect(this);
                list[i].socket->abort();
                list[i].socket->deleteLater();
                list.removeAt(i);
            }
        }
        left += int(list.size());
        it = list.isEmpty() ? m_idle.erase(it) : std::next(it);
    }
    if (left == 0)
        m_sweep.stop();
}

int HttpConnectionPool::idleCount() const
{
    int n = 0;
    for (const QList<Idle> &list : m_idle)
        n += int(list.size());
    return n;
}

const QUrl &HttpConnectionPool::url(const QString &text)
{
    auto it = m_urls.find(text);
    if (it == m_urls.end()) {
        if (m_urls.size() > 10'000)
            m_urls.clear(); // URLs with expanded secrets vary; do not let them pile up
        it = m_urls.insert(text, QUrl(text));
    }
    return *it;
}
