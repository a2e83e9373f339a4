#pragma once

#include <QMainWindow>

class CoreSession;
class QLabel;
class QTreeView;
class ServiceTreeModel;

// The operator's window: every service and check, live, with why anything is not ok; banners
// when OpsDeck cannot see or the config has warnings (such as TLS verification turned off).
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(CoreSession *session, QWidget *parent = nullptr);

    ServiceTreeModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    QLabel *blindBanner() const { return m_blindBanner; }
    QLabel *warningBanner() const { return m_warningBanner; }

    // Reloads the config file; on errors keeps the running config and shows them.
    bool reloadConfig();

private:
    void showReload(bool ok);
    void showConfigState();
    void updateStatusBar();

    CoreSession *m_session;
    ServiceTreeModel *m_model;
    QTreeView *m_tree;
    QLabel *m_blindBanner;
    QLabel *m_warningBanner;
    QLabel *m_status;
};
