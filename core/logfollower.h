#pragma once

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QObject>
#include <QString>

class QFileSystemWatcher;

// Follows a log file as it grows, like `tail -F`: starts with the end of the file, then reads only
// what is appended, whole lines at a time. A file that shrinks (truncated) or is replaced by
// another one under the same name (rotated) is read again from its start, and a file that does not
// exist yet is waited for. Driven by file-system change notifications, not by polling.
class LogFollower final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogFollower)

public:
    explicit LogFollower(QObject *parent = nullptr);
    ~LogFollower() override;

    // Starts following `path` with at most its last `backlogBytes` (whole lines only). Replaces
    // what was followed before.
    void follow(const QString &path, qint64 backlogBytes = 2 << 20);
    void stop();
    QString path() const { return m_path; }
    bool isOpen() const { return m_file.isOpen(); }

    // Reads what is new now. Runs by itself on change notifications; public for callers that know
    // the file changed (and for tests that must not wait for the notification).
    void readNew();

signals:
    // Complete lines (without the line break), oldest first.
    void linesRead(const QList<QByteArray> &lines);
    // The file was truncated or replaced: what was read before is no longer the file's content.
    // `why` is for the operator.
    void restarted(const QString &why);
    // The file cannot be read (yet); following goes on and picks it up when it appears.
    void problem(const QString &message);

private:
    bool open(qint64 backlogBytes); // negative: from the start
    void rewatch();
    void emitLines(QByteArray data);

    QString m_path;
    QFile m_file;
    QFileSystemWatcher *m_watcher;
    qint64 m_offset = 0;
    quint64 m_inode = 0; // of the open file, to notice a rotation
    quint64 m_device = 0;
    QByteArray m_partial; // an incomplete last line, completed by the next write
    QString m_lastProblem;
};
