#include "faultwatcher.h"

#include "faultboard.h"
#include "faultscript.h"

#include <QFile>
#include <QFileInfo>

namespace {
// Long enough to cover a save's create/write/rename events, short enough for tests to not notice.
constexpr int kSettleMs = 50;
} // namespace

FaultWatcher::FaultWatcher(const QString &path, FaultBoard *board, QObject *parent)
    : QObject(parent)
    , m_path(QFileInfo(path).absoluteFilePath())
    , m_board(board)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(kSettleMs);
    connect(&m_settle, &QTimer::timeout, this, &FaultWatcher::reload);
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this, &FaultWatcher::scheduleReload);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this, &FaultWatcher::scheduleReload);
}

void FaultWatcher::start()
{
    m_watcher.addPath(QFileInfo(m_path).absolutePath());
    reload();
}

void FaultWatcher::scheduleReload()
{
    m_settle.start();
}

void FaultWatcher::reload()
{
    // A replaced file is a new inode: the watch on the old one is gone, so watch again.
    if (!m_watcher.files().contains(m_path) && QFileInfo::exists(m_path))
        m_watcher.addPath(m_path);

    QFile file(m_path);
    if (!file.exists())
        return; // mid-replace, or deleted: keep the faults we have and wait for it to come back
    const QDateTime modified = QFileInfo(m_path).lastModified();
    if (!file.open(QIODevice::ReadOnly)) {
        emit rejected(u"cannot read " % m_path % u": " % file.errorString());
        return;
    }
    const QByteArray content = file.readAll();
    if (m_seen && content == m_lastContent && modified == m_lastModified)
        return; // an event about something else in the directory, or a second event for the same save
    m_seen = true;
    m_lastContent = content;
    m_lastModified = modified;

    const FaultScript script = FaultScript::parse(content);
    if (!script.isValid()) {
        emit rejected(script.errorString());
        return;
    }
    m_board->replace(script.faults());
    emit reloaded(int(script.faults().size()));
}
