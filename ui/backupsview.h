#pragma once

#include "backupverifier.h"

#include <QWidget>
#include <memory>

class BackupListModel;
class CoreSession;
class OpsDatabase;
class QFileSystemWatcher;
class QLabel;
class QPushButton;
class QThread;
class QTimer;
class QTreeView;

// The backups of the configured backup actions, per destination: every file with its size, age,
// checksum and verification; Backup now (the backup action, through the action dialog), Verify
// (restores the selected backup into a temporary place, off the GUI thread) and Restore (the
// service's restore action, through the action dialog and its explicit confirmation).
class BackupsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackupsView)

public:
    explicit BackupsView(CoreSession *session, QWidget *parent = nullptr);
    ~BackupsView() override;

    BackupListModel *model() const { return m_model; }
    // Reads the folders and the store again, keeping the selection.
    void refresh();
    bool isVerifying() const { return m_verifying; }

signals:
    // A verification ended (and was recorded when the store is open).
    void verified(const BackupVerification &verification);

private:
    void updateButtons();
    void updateDetails();
    void backupNow();
    void verify();
    void startVerify(const QString &service, const ActionConfig &action, const QString &file);
    void finishVerify(const BackupVerification &verification);
    void restore();
    const ActionConfig *selectedAction(QString *service) const;
    void watchFolders();

    CoreSession *m_session;
    std::unique_ptr<OpsDatabase> m_db; // verification history; a connection of this view's own
    BackupListModel *m_model;
    QTreeView *m_tree;
    QLabel *m_details;
    QLabel *m_status;
    QPushButton *m_backup;
    QPushButton *m_verify;
    QPushButton *m_restore;
    QPushButton *m_refresh;
    QFileSystemWatcher *m_folders;
    QTimer *m_refreshSoon; // folders change in bursts (temp file, rename, manifest, prune)
    QThread *m_worker = nullptr; // the verification in progress
    bool m_verifying = false;
};
