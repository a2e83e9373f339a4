#include "runbooksview.h"

#include "coresession.h"
#include "healthstyle.h"
#include "incidentmanager.h"
#include "runbookbrowser.h"

#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QVBoxLayout>

namespace {

// A runbook's title is its first heading; the file name when it has none.
QString titleOf(const QString &path)
{
    QFile f(path);
    if (f.open(QIODevice::ReadOnly)) {
        for (int i = 0; i < 20 && !f.atEnd(); ++i) {
            const QString line = QString::fromUtf8(f.readLine()).trimmed();
            if (line.startsWith(u'#'))
                return line.section(u' ', 1).trimmed();
        }
    }
    return QFileInfo(path).fileName();
}

} // namespace

RunbooksView::RunbooksView(CoreSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_services(new QListWidget(this))
    , m_files(new QComboBox(this))
    , m_browser(new RunbookBrowser(session, this))
    , m_incidentLine(new QLabel(this))
    , m_notice(new QLabel(this))
    , m_watcher(new QFileSystemWatcher(this))
{
    m_services->setObjectName(QStringLiteral("services"));
    m_services->setAccessibleName(tr("Services with runbooks"));
    m_files->setObjectName(QStringLiteral("files"));
    m_files->setAccessibleName(tr("Runbook"));
    m_files->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_incidentLine->setObjectName(QStringLiteral("incidentLine"));
    m_incidentLine->setWordWrap(true);
    m_notice->setObjectName(QStringLiteral("notice"));
    m_notice->setWordWrap(true);
    m_notice->setTextFormat(Qt::PlainText);
    m_browser->setToolTip(tr("Tab moves between the runbook's buttons and links; Enter runs the focused one. "
                             "Ctrl+Space ticks the checklist item at the cursor."));

    auto *fileLabel = new QLabel(tr("R&unbook:"), this);
    fileLabel->setBuddy(m_files);
    auto *top = new QHBoxLayout;
    top->addWidget(fileLabel);
    top->addWidget(m_files);
    top->addStretch(1);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(top);
    rightLayout->addWidget(m_incidentLine);
    rightLayout->addWidget(m_browser, 1);
    rightLayout->addWidget(m_notice);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_services);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({220, 1000});
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_services, &QListWidget::currentRowChanged, this, &RunbooksView::serviceChosen);
    connect(m_files, &QComboBox::currentIndexChanged, this, &RunbooksView::fileChosen);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &RunbooksView::reloadFile);
    connect(m_browser, &RunbookBrowser::notice, m_notice, &QLabel::setText);
    connect(m_session, &CoreSession::configLoaded, this, &RunbooksView::populate);
    if (IncidentManager *incidents = m_session->incidents()) {
        connect(incidents, &IncidentManager::incidentOpened, this, &RunbooksView::incidentChanged);
        connect(incidents, &IncidentManager::incidentChanged, this, &RunbooksView::incidentChanged);
    }
    populate();
}

void RunbooksView::populate()
{
    const QString current = currentService();
    const QSignalBlocker block(m_services);
    m_services->clear();
    for (const ServiceConfig &service : m_session->config().services) {
        if (service.runbooks.isEmpty())
            continue;
        auto *item = new QListWidgetItem(service.name, m_services);
        item->setData(Qt::UserRole, service.name);
        item->setToolTip(service.description);
    }
    if (m_services->count() == 0) {
        m_files->clear();
        m_browser->clear();
        m_incidentLine->setText(tr("No service has runbooks. Add `runbooks: [runbooks/NAME.md]` to a service in the config."));
        return;
    }
    int row = 0;
    for (int i = 0; i < m_services->count(); ++i) {
        if (m_services->item(i)->data(Qt::UserRole).toString() == current)
            row = i;
    }
    m_services->setCurrentRow(row);
    serviceChosen();
}

void RunbooksView::showService(const QString &service)
{
    for (int i = 0; i < m_services->count(); ++i) {
        if (m_services->item(i)->data(Qt::UserRole).toString() == service) {
            m_services->setCurrentRow(i);
            return;
        }
    }
}

QString RunbooksView::currentService() const
{
    const QListWidgetItem *item = m_services->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

void RunbooksView::serviceChosen()
{
    const ServiceConfig *service = m_session->config().service(currentService());
    if (!m_watcher->files().isEmpty())
        m_watcher->removePaths(m_watcher->files());
    {
        const QSignalBlocker block(m_files);
        m_files->clear();
        if (service) {
            for (const QString &path : service->runbooks) {
                m_files->addItem(titleOf(path), path);
                m_files->setItemData(m_files->count() - 1, path, Qt::ToolTipRole);
            }
            m_watcher->addPaths(service->runbooks);
        }
    }
    m_files->setEnabled(m_files->count() > 1);
    m_notice->clear();
    updateIncidentLine();
    fileChosen(m_files->currentIndex());
}

void RunbooksView::fileChosen(int index)
{
    const QString path = m_files->itemData(index).toString();
    if (path.isEmpty())
        return;
    QString error;
    if (!m_browser->showRunbook(currentService(), path, &error))
        m_notice->setText(error);
}

void RunbooksView::reloadFile(const QString &path)
{
    // Editors replace the file: watch the new one under the same name.
    if (!m_watcher->files().contains(path) && QFileInfo::exists(path))
        m_watcher->addPath(path);
    if (path == m_browser->path()) {
        QString error;
        if (!m_browser->showRunbook(m_browser->service(), path, &error))
            m_notice->setText(error);
    }
}

void RunbooksView::incidentChanged(const Incident &incident)
{
    if (incident.service == currentService())
        updateIncidentLine();
}

void RunbooksView::updateIncidentLine()
{
    const QString service = currentService();
    IncidentManager *incidents = m_session->hasStore() ? m_session->incidents() : nullptr;
    const std::optional<Incident> open = incidents && !service.isEmpty() ? incidents->openIncidentFor(service) : std::nullopt;
    if (open) {
        m_incidentLine->setText(tr("▲ Incident #%1 (%2) is open for %3: %4 — checklist ticks go into its timeline.")
                                    .arg(open->id)
                                    .arg(open->severity, service, open->title));
        m_incidentLine->setStyleSheet(QStringLiteral("color: %1;").arg(HealthStyle::color(Health::Degraded).name()));
    } else {
        m_incidentLine->setText(tr("No open incident for %1: checklist ticks stay in this view.").arg(service));
        m_incidentLine->setStyleSheet(QString());
    }
}
