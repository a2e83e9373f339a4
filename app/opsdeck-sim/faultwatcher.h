#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

class FaultBoard;

// Keeps the fault board in step with the fault file. Watches the file and its directory: editors
// and tests replace the file (write elsewhere, rename over it), which a watch on the file alone
// loses. Bursts of change events are coalesced, and a file whose content and modification time
// are unchanged is not reloaded, so one save means one reload.
class FaultWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaultWatcher)

public:
    FaultWatcher(const QString &path, FaultBoard *board, QObject *parent = nullptr);

    // Loads the file once and starts watching.
    void start();

signals:
    void reloaded(int faultCount);
    // The file was rejected; the board keeps the faults it had. `message` is one line.
    void rejected(const QString &message);

private:
    void scheduleReload();
    void reload();

    const QString m_path;
    FaultBoard *const m_board;
    QFileSystemWatcher m_watcher;
    QTimer m_settle;
    QByteArray m_lastContent;
    QDateTime m_lastModified;
    bool m_seen = false;
};
