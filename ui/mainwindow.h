#pragma once

#include <QMainWindow>

class BackupsView;
class CoreSession;
class DashboardView;
class FleetSummary;
class IncidentsView;
class LogsView;
class QLabel;
class QListWidget;
class QStackedWidget;
class QTreeView;
class RunbooksView;
class ServiceTreeModel;
class ServiceView;
class SettingsView;
class TrayIcon;

// The operator's window: a sidebar of views (dashboard, every check, one service, incidents,
// backups, runbooks, logs, settings — Ctrl+1 … Ctrl+8), banners when OpsDeck cannot see or the
// config has warnings (such as TLS verification turned off), and a status bar with the store, the
// poller, the last result and the unacknowledged incidents.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum Page { DashboardPage, ChecksPage, ServicePage, IncidentsPage, BackupsPage, RunbooksPage, LogsPage, SettingsPage, PageCount };
    Q_ENUM(Page)

    // `summary` may be null: the window makes its own.
    explicit MainWindow(CoreSession *session, FleetSummary *summary = nullptr, QWidget *parent = nullptr);

    ServiceTreeModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }
    QLabel *blindBanner() const { return m_blindBanner; }
    QLabel *warningBanner() const { return m_warningBanner; }
    QLabel *statusText() const { return m_status; }
    QListWidget *sidebar() const { return m_sidebar; }
    DashboardView *dashboard() const { return m_dashboard; }
    ServiceView *serviceView() const { return m_service; }
    IncidentsView *incidentsView() const { return m_incidents; }
    BackupsView *backupsView() const { return m_backups; }
    RunbooksView *runbooksView() const { return m_runbooks; }
    LogsView *logsView() const { return m_logs; }
    SettingsView *settingsView() const { return m_settings; }
    FleetSummary *summary() const { return m_summary; }

    Page currentPage() const;
    QWidget *page(Page page) const;
    // With a tray, closing the window hides it to the tray instead of quitting.
    void setTray(TrayIcon *tray);

public slots:
    void showPage(Page page);
    void showService(const QString &service);
    void showIncident(qint64 id);
    void showRunbooks(const QString &service);
    // Reloads the config file; on errors keeps the running config and shows them.
    bool reloadConfig();
    void bringToFront();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void addPage(Page page, const QString &title, const QIcon &icon, QWidget *widget);
    void showReload(bool ok);
    void showConfigState();
    void updateStatusBar();

    CoreSession *m_session;
    FleetSummary *m_summary;
    ServiceTreeModel *m_model;
    QTreeView *m_tree;
    QLabel *m_blindBanner;
    QLabel *m_warningBanner;
    QLabel *m_status;
    QLabel *m_incidentStatus;
    QListWidget *m_sidebar;
    QStackedWidget *m_stack;
    DashboardView *m_dashboard = nullptr;
    ServiceView *m_service = nullptr;
    IncidentsView *m_incidents = nullptr;
    BackupsView *m_backups = nullptr;
    RunbooksView *m_runbooks = nullptr;
    LogsView *m_logs = nullptr;
    SettingsView *m_settings = nullptr;
    TrayIcon *m_tray = nullptr;
};
