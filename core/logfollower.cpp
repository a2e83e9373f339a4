#include "logfollower.h"

#include <QFileInfo>
#include <QFileSystemWatcher>

#include <sys/stat.h>

namespace {

constexpr qint64 kFromStart = -1; // a file that appears after following started is read whole

bool identify(const QString &path, quint64 *inode, quint64 *device, qint64 *size)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return false;
    *inode = quint64(st.st_ino);
    *device = quint64(st.st_dev);
    *size = qint64(st.st_size);
    return true;
}

} // namespace

LogFollower::LogFollower(QObject *parent)
    : QObject(parent)
    , m_watcher(new QFileSystemWatcher(this))
{
    // The folder is watched too: rotation replaces the file, and a file may not exist yet.
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &LogFollower::readNew);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &LogFollower::readNew);
}

LogFollower::~LogFollower() = default;

void LogFollower::follow(const QString &path, qint64 backlogBytes)
{
    stop();
    m_path = QFileInfo(path).absoluteFilePath();
    m_lastProblem.clear();
    open(backlogBytes);
    rewatch();
}

void LogFollower::stop()
{
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    if (!m_watcher->directories().isEmpty())
        m_watcher->removePaths(m_watcher->directories());
    m_file.close();
    m_path.clear();
    m_partial.clear();
    m_offset = 0;
}

bool LogFollower::open(qint64 backlogBytes)
{
    m_file.close();
    m_partial.clear();
    m_offset = 0;
    qint64 size = 0;
    m_file.setFileName(m_path);
    if (!identify(m_path, &m_inode, &m_device, &size) || !m_file.open(QIODevice::ReadOnly)) {
        const QString message = QFileInfo::exists(m_path)
            ? tr("cannot read %1: %2").arg(m_path, m_file.errorString())
            : tr("%1 does not exist (yet); waiting for it").arg(m_path);
        if (message != m_lastProblem) {
            m_lastProblem = message;
            emit problem(message);
        }
        return false;
    }
    m_lastProblem.clear();
    if (backlogBytes >= 0 && size > backlogBytes) {
        // Start inside the file: skip to the first whole line.
        m_file.seek(size - backlogBytes);
        m_file.readLine();
        m_offset = m_file.pos();
    }
    readNew();
    return true;
}

void LogFollower::readNew()
{
    if (m_path.isEmpty())
        return;
    rewatch();
    if (!m_file.isOpen()) {
        if (open(kFromStart))
            rewatch();
        return;
    }
    quint64 inode = 0, device = 0;
    qint64 size = 0;
    const bool exists = identify(m_path, &inode, &device, &size);
    if (exists && (inode != m_inode || device != m_device)) {
        // Rotated: finish the old file first, then start the new one from its beginning.
        emitLines(m_file.readAll());
        emit restarted(tr("%1 was replaced (rotated); reading the new file from its start").arg(m_path));
        open(kFromStart);
        rewatch();
        return;
    }
    if (!exists)
        return; // moved away; the folder's notification brings the new one
    if (size < m_offset) {
        emit restarted(tr("%1 was truncated; reading it again from its start").arg(m_path));
        m_partial.clear();
        m_offset = 0;
    }
    if (size == m_offset)
        return;
    m_file.seek(m_offset);
    const QByteArray data = m_file.read(size - m_offset);
    m_offset += data.size();
    emitLines(data);
}

void LogFollower::emitLines(QByteArray data)
{
    if (data.isEmpty())
        return;
    data.prepend(m_partial);
    const qsizetype end = data.lastIndexOf('\n');
    if (end < 0) {
        m_partial = data;
        return;
    }
    m_partial = data.mid(end + 1);
    QList<QByteArray> lines = data.left(end).split('\n');
    for (QByteArray &l : lines) {
        if (l.endsWith('\r'))
            l.chop(1);
    }
    emit linesRead(lines);
}

void LogFollower::rewatch()
{
    // QFileSystemWatcher drops a file once it is removed or renamed; add it back when it is there.
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!m_watcher->directories().contains(dir) && QFileInfo(dir).isDir())
        m_watcher->addPath(dir);
    if (!m_watcher->files().contains(m_path) && QFileInfo::exists(m_path))
        m_watcher->addPath(m_path);
}
