#include "mainwindow.h"

#include "backupsview.h"
#include "clock.h"
#include "coresession.h"
#include "dashboardview.h"
#include "fleetsummary.h"
#include "healthstyle.h"
#include "historystore.h"
#include "incidentsview.h"
#include "logsview.h"
#include "runbooksview.h"
#include "servicetreemodel.h"
#include "serviceview.h"
#include "settingsview.h"
#include "trayicon.h"
#include "watcher.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

namespace {
QLabel *banner(const QString &style)
{
    auto *label = new QLabel;
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setMargin(8);
    label->setStyleSheet(style);
    label->hide();
    return label;
}

QString ago(qint64 ms)
{
    // (Arithmetic inside a translate() call's arguments sends Qt 6.4's lupdate into a loop.)
    const int seconds = int(ms / 1000);
    const int minutes = seconds / 60;
    const int hours = minutes / 60;
    if (seconds < 60)
        return QCoreApplication::translate("MainWindow", "%n s ago", nullptr, seconds);
    if (minutes < 60)
        return QCoreApplication::translate("MainWindow", "%n min ago", nullptr, minutes);
    return QCoreApplication::translate("MainWindow", "%n h ago", nullptr, hours);
}
} // namespace

MainWindow::MainWindow(CoreSession *session, FleetSummary *summary, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_summary(summary ? summary : new FleetSummary(session, this))
    , m_model(new ServiceTreeModel(session->watcher(), this))
    , m_tree(new QTreeView)
    , m_blindBanner(banner(QStringLiteral("background:#5a5a5a; color:white; font-weight:bold;")))
    , m_warningBanner(banner(QStringLiteral("background:#fff3cd; color:#5c4400;")))
    , m_status(new QLabel)
    , m_incidentStatus(new QLabel)
    , m_sidebar(new QListWidget)
    , m_stack(new QStackedWidget)
{
    m_blindBanner->setAccessibleName(tr("OpsDeck cannot see"));
    m_warningBanner->setAccessibleName(tr("Configuration warnings"));
    m_tree->setModel(m_model);
    m_tree->setAccessibleName(tr("Services and checks"));
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setIconSize(QSize(18, 18));
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(ServiceTreeModel::NameColumn, 300);
    m_tree->setColumnWidth(ServiceTreeModel::StateColumn, 130);
    m_tree->setColumnWidth(ServiceTreeModel::LatencyColumn, 80);
    m_tree->setColumnWidth(ServiceTreeModel::LastCheckColumn, 110);
    m_tree->expandAll();
    connect(m_model, &QAbstractItemModel::modelReset, m_tree, &QTreeView::expandAll);
    connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex &index) {
        showService(index.data(ServiceTreeModel::ServiceRole).toString());
    });

    m_dashboard = new DashboardView(session);
    m_service = new ServiceView(session);
    m_incidents = new IncidentsView(session);
    m_backups = new BackupsView(session);
    m_runbooks = new RunbooksView(session);
    m_logs = new LogsView(session);
    m_settings = new SettingsView(session);

    m_sidebar->setAccessibleName(tr("Views"));
    m_sidebar->setIconSize(QSize(20, 20));
    m_sidebar->setSpacing(2);
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    m_sidebar->setFixedWidth(170);
    QStyle *st = style();
    addPage(DashboardPage, tr("Dashboard"), HealthStyle::icon(Health::Ok), m_dashboard);
    addPage(ChecksPage, tr("Checks"), st->standardIcon(QStyle::SP_FileDialogDetailedView), m_tree);
    addPage(ServicePage, tr("Service"), st->standardIcon(QStyle::SP_ComputerIcon), m_service);
    addPage(IncidentsPage, tr("Incidents"), HealthStyle::icon(Health::Down), m_incidents);
    addPage(BackupsPage, tr("Backups"), st->standardIcon(QStyle::SP_DriveHDIcon), m_backups);
    addPage(RunbooksPage, tr("Runbooks"), st->standardIcon(QStyle::SP_FileDialogContentsView), m_runbooks);
    addPage(LogsPage, tr("Logs"), st->standardIcon(QStyle::SP_FileIcon), m_logs);
    addPage(SettingsPage, tr("Settings"), st->standardIcon(QStyle::SP_FileDialogInfoView), m_settings);
    connect(m_sidebar, &QListWidget::currentRowChanged, m_stack, &QStackedWidget::setCurrentIndex);
    m_sidebar->setCurrentRow(DashboardPage);

    connect(m_dashboard, &DashboardView::serviceActivated, this, &MainWindow::showService);
    connect(m_service, &ServiceView::runbooksRequested, this, &MainWindow::showRunbooks);
    connect(m_service, &ServiceView::incidentRequested, this, &MainWindow::showIncident);
    connect(m_incidents, &IncidentsView::serviceActivated, this, &MainWindow::showService);
    connect(m_settings, &SettingsView::reloaded, this, &MainWindow::showReload);

    auto *pages = new QWidget;
    auto *column = new QVBoxLayout(pages);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    column->addWidget(m_blindBanner);
    column->addWidget(m_warningBanner);
    column->addWidget(m_stack, 1);
    auto *central = new QWidget;
    auto *row = new QHBoxLayout(central);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(0);
    row->addWidget(m_sidebar);
    row->addWidget(pages, 1);
    setCentralWidget(central);

    m_status->setAccessibleName(tr("Status"));
    m_incidentStatus->setAccessibleName(tr("Unacknowledged incidents"));
    m_incidentStatus->setTextFormat(Qt::RichText);
    connect(m_incidentStatus, &QLabel::linkActivated, this, [this] { showPage(IncidentsPage); });
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_incidentStatus);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *reload = file->addAction(tr("&Reload configuration"), this, &MainWindow::reloadConfig);
    reload->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < PageCount; ++i) {
        QAction *go = view->addAction(m_sidebar->item(i)->icon(), m_sidebar->item(i)->text(), this, [this, i] { showPage(Page(i)); });
        go->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
    }
    view->addSeparator();
    // One Find for the window: the incidents' search on that page, else the dashboard's filter.
    QAction *find = view->addAction(tr("&Filter"), this, [this] {
        if (currentPage() == IncidentsPage) {
            m_incidents->focusSearch();
            return;
        }
        showPage(DashboardPage);
        m_dashboard->filterEdit()->setFocus(Qt::ShortcutFocusReason);
        m_dashboard->filterEdit()->selectAll();
    });
    find->setShortcut(QKeySequence::Find);

    Watcher *watcher = session->watcher();
    connect(watcher, &Watcher::blindChanged, this, [this](bool blind, const QString &reason) {
        m_blindBanner->setText(tr("OpsDeck cannot see: %1. Results count as unknown, not down, until it can.").arg(reason));
        m_blindBanner->setVisible(blind);
    });
    connect(m_summary, &FleetSummary::changed, this, &MainWindow::updateStatusBar);
    connect(session, &CoreSession::reloaded, this, &MainWindow::showReload);
    // "12 s ago" must keep counting when nothing arrives: that is when it matters most.
    auto *tick = new QTimer(this);
    connect(tick, &QTimer::timeout, this, &MainWindow::updateStatusBar);
    tick->start(1000);
    showConfigState();
    resize(1280, 800);
}

void MainWindow::addPage(Page page, const QString &title, const QIcon &icon, QWidget *widget)
{
    Q_ASSERT(m_stack->count() == page);
    auto *item = new QListWidgetItem(icon, title);
    item->setToolTip(tr("%1 (Ctrl+%2)").arg(title).arg(int(page) + 1));
    m_sidebar->addItem(item);
    widget->setAccessibleName(title);
    m_stack->addWidget(widget);
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(m_stack->currentIndex());
}

QWidget *MainWindow::page(Page page) const
{
    return m_stack->widget(page);
}

void MainWindow::setTray(TrayIcon *tray)
{
    m_tray = tray;
}

void MainWindow::showPage(Page page)
{
    m_sidebar->setCurrentRow(page);
    if (QWidget *w = m_stack->currentWidget())
        w->setFocus(Qt::OtherFocusReason);
}

void MainWindow::showService(const QString &service)
{
    if (service.isEmpty())
        return;
    m_service->setService(service);
    showPage(ServicePage);
}

void MainWindow::showIncident(qint64 id)
{
    m_incidents->showIncident(id);
    showPage(IncidentsPage);
    bringToFront();
}

void MainWindow::showRunbooks(const QString &service)
{
    m_runbooks->showService(service);
    showPage(RunbooksPage);
}

void MainWindow::bringToFront()
{
    show();
    if (isMinimized())
        showNormal();
    raise();
    activateWindow();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // With a tray the window is only one way in: monitoring and notifications go on.
    if (m_tray && m_tray->isVisible()) {
        hide();
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

bool MainWindow::reloadConfig()
{
    const bool ok = m_session->loadConfig(m_session->configPath());
    showReload(ok);
    return ok;
}

void MainWindow::showReload(bool ok)
{
    m_settings->showIssues();
    if (ok) {
        m_model->reload();
        showConfigState();
        statusBar()->showMessage(tr("Configuration reloaded"), 5000);
        return;
    }
    QStringList lines;
    for (const ConfigIssue &issue : m_session->issues())
        lines << issue.toString();
    // Window-modal and non-blocking: monitoring goes on while the operator reads.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Configuration not reloaded"),
                                tr("The configuration has errors; OpsDeck keeps running the previous one. "
                                   "Settings (Ctrl+8) lists them."),
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDetailedText(lines.join(u'\n'));
    box->open();
}

void MainWindow::showConfigState()
{
    setWindowTitle(tr("OpsDeck — %1").arg(m_session->configPath()));
    QStringList warnings;
    for (const ConfigIssue &issue : m_session->issues())
        if (issue.severity == ConfigIssue::Severity::Warning)
            warnings << issue.toString();
    m_warningBanner->setText(tr("Configuration warnings:\n%1").arg(warnings.join(u'\n')));
    m_warningBanner->setVisible(!warnings.isEmpty());
    updateStatusBar();
}

void MainWindow::updateStatusBar()
{
    const Config &config = m_session->config();
    const HistoryStore *history = m_session->history();
    const Watcher *watcher = m_session->watcher();
    const QString store = history && history->isOpen() ? config.store.displayString() : tr("not recorded");
    QString poller;
    if (!watcher->isRunning())
        poller = tr("stopped");
    else if (watcher->isBlind())
        poller = tr("cannot see");
    else
        poller = tr("running");
    const qint64 last = watcher->lastResultMs();
    const QString lastText = last ? tr("%1 (%2)").arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(last).time(), QLocale::ShortFormat),
                                                      ago(qMax<qint64>(0, m_session->clock()->nowMs() - last)))
                                  : tr("none yet");
    m_status->setText(tr("%n service(s), %1 checks  ·  Store: %2  ·  Poller: %3  ·  Last result: %4", nullptr, int(config.services.size()))
                          .arg(config.checkCount())
                          .arg(store, poller, lastText));
    const int unacked = m_summary->unacknowledgedIncidents();
    m_incidentStatus->setText(unacked > 0 ? QStringLiteral("<a href=\"incidents\">%1</a>").arg(tr("%n unacknowledged incident(s)", nullptr, unacked).toHtmlEscaped())
                                          : tr("No unacknowledged incidents"));
}
