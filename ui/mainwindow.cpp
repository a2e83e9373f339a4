#include "mainwindow.h"

#include "coresession.h"
#include "historystore.h"
#include "servicetreemodel.h"
#include "watcher.h"

#include <QApplication>
#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
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
} // namespace

MainWindow::MainWindow(CoreSession *session, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
    , m_model(new ServiceTreeModel(session->watcher(), this))
    , m_tree(new QTreeView)
    , m_blindBanner(banner(QStringLiteral("background:#5a5a5a; color:white; font-weight:bold;")))
    , m_warningBanner(banner(QStringLiteral("background:#fff3cd; color:#5c4400;")))
    , m_status(new QLabel)
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

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_blindBanner);
    layout->addWidget(m_warningBanner);
    layout->addWidget(m_tree);
    setCentralWidget(central);
    statusBar()->addWidget(m_status, 1);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *reload = file->addAction(tr("&Reload configuration"), this, &MainWindow::reloadConfig);
    reload->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    Watcher *watcher = session->watcher();
    connect(watcher, &Watcher::blindChanged, this, [this](bool blind, const QString &reason) {
        m_blindBanner->setText(tr("OpsDeck cannot see: %1. Results count as unknown, not down, until it can.").arg(reason));
        m_blindBanner->setVisible(blind);
    });
    connect(watcher, &Watcher::resultRecorded, this, &MainWindow::updateStatusBar);
    connect(session, &CoreSession::reloaded, this, &MainWindow::showReload);
    showConfigState();
    resize(1100, 640);
}

bool MainWindow::reloadConfig()
{
    const bool ok = m_session->loadConfig(m_session->configPath());
    showReload(ok);
    return ok;
}

void MainWindow::showReload(bool ok)
{
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
                                tr("The configuration has errors; OpsDeck keeps running the previous one."),
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
    const QString store = history && history->isOpen() ? config.store.displayString() : tr("not recorded");
    const qint64 last = m_session->watcher()->lastResultMs();
    m_status->setText(tr("%n service(s), %1 checks  ·  History: %2  ·  Last result: %3", nullptr, int(config.services.size()))
                          .arg(config.checkCount())
                          .arg(store,
                               last ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(last).time(), QLocale::LongFormat)
                                    : tr("none yet")));
}
