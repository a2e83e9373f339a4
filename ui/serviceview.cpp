#include "serviceview.h"

#include "actiondialog.h"
#include "budgetchart.h"
#include "checkhistorymodel.h"
#include "checktablemodel.h"
#include "clock.h"
#include "coresession.h"
#include "failoverpanel.h"
#include "healthstyle.h"
#include "historystore.h"
#include "incidentmanager.h"
#include "latencychart.h"
#include "recoverycriteriamodel.h"
#include "slomonitor.h"
#include "watcher.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace {

QTableView *table(QAbstractItemModel *model, const QString &name, const QString &accessible, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setAccessibleName(accessible);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setSectionResizeMode(view->horizontalHeader()->count() - 1, QHeaderView::Stretch);
    return view;
}

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(QStringLiteral("<b>%1</b>").arg(text.toHtmlEscaped()), parent);
    return label;
}

} // namespace

ServiceView::ServiceView(CoreSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_checks(new CheckTableModel(session->watcher(), this))
    , m_history(new CheckHistoryModel(session->watcher(), session->history(), this))
    , m_recovery(new RecoveryCriteriaModel(this))
    , m_measureSoon(new QTimer(this))
{
    setAccessibleName(tr("Service"));
    auto *outer = new QVBoxLayout(this);

    // Header: state, name, what it is; the open incident and runbooks; the actions.
    auto *header = new QHBoxLayout;
    m_icon = new QLabel(this);
    m_icon->setFixedSize(24, 24);
    header->addWidget(m_icon);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("serviceTitle"));
    m_title->setTextFormat(Qt::RichText);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    m_title->setFont(big);
    header->addWidget(m_title);
    m_description = new QLabel(this);
    m_description->setTextFormat(Qt::PlainText);
    m_description->setForegroundRole(QPalette::PlaceholderText);
    header->addWidget(m_description, 1);
    m_incident = new QPushButton(this);
    m_incident->setObjectName(QStringLiteral("incidentButton"));
    m_incident->setAccessibleName(tr("Open incident"));
    m_incident->hide();
    connect(m_incident, &QPushButton::clicked, this, [this] {
        if (m_incidentId > 0)
            emit incidentRequested(m_incidentId);
    });
    header->addWidget(m_incident);
    m_runbooks = new QPushButton(tr("R&unbooks"), this);
    m_runbooks->setObjectName(QStringLiteral("runbooksButton"));
    m_runbooks->setAccessibleName(tr("Runbooks of this service"));
    m_runbooks->hide();
    connect(m_runbooks, &QPushButton::clicked, this, [this] { emit runbooksRequested(m_service); });
    header->addWidget(m_runbooks);
    outer->addLayout(header);

    m_actionsBox = new QWidget(this);
    m_actionsBox->setObjectName(QStringLiteral("actions"));
    m_actionsBox->setAccessibleName(tr("Actions"));
    m_actionsRow = new QGridLayout(m_actionsBox);
    m_actionsRow->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_actionsBox);

    // The body scrolls when the window is small; nothing is squeezed below readable.
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *body = new QWidget(scroll);
    auto *column = new QVBoxLayout(body);
    column->setContentsMargins(0, 0, 0, 0);

    auto *checksSplit = new QSplitter(Qt::Horizontal, body);
    auto *checksBox = new QWidget(checksSplit);
    auto *checksLayout = new QVBoxLayout(checksBox);
    checksLayout->setContentsMargins(0, 0, 0, 0);
    checksLayout->addWidget(sectionTitle(tr("Checks"), checksBox));
    m_checkView = table(m_checks, QStringLiteral("checks"), tr("Checks"), checksBox);
    checksLayout->addWidget(m_checkView);
    auto *historyBox = new QWidget(checksSplit);
    auto *historyLayout = new QVBoxLayout(historyBox);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    m_historyTitle = sectionTitle(tr("History"), historyBox);
    historyLayout->addWidget(m_historyTitle);
    m_historyView = table(m_history, QStringLiteral("history"), tr("History of the selected check"), historyBox);
    historyLayout->addWidget(m_historyView);
    checksSplit->addWidget(checksBox);
    checksSplit->addWidget(historyBox);
    checksSplit->setStretchFactor(0, 3);
    checksSplit->setStretchFactor(1, 2);
    checksSplit->setMinimumHeight(180);
    column->addWidget(checksSplit, 1);
    connect(m_checkView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { selectCheck(m_checks->checkAt(current.row())); });

    auto *charts = new QHBoxLayout;
    m_latency = new LatencyChart(session->history(), session->clock(), body);
    m_budget = new BudgetChart(session->history(), session->clock(), body);
    charts->addWidget(m_latency, 1);
    charts->addWidget(m_budget, 1);
    column->addLayout(charts, 3);

    auto *bottom = new QHBoxLayout;
    auto *recoveryBox = new QWidget(body);
    auto *recoveryLayout = new QVBoxLayout(recoveryBox);
    recoveryLayout->setContentsMargins(0, 0, 0, 0);
    recoveryLayout->addWidget(sectionTitle(tr("Recovery success criteria"), recoveryBox));
    m_recoveryView = table(m_recovery, QStringLiteral("recovery"), tr("Recovery success criteria"), recoveryBox);
    // Room for the runbook's four criteria and the header, no more.
    m_recoveryView->setFixedHeight(m_recoveryView->verticalHeader()->defaultSectionSize() * 4
                                   + m_recoveryView->horizontalHeader()->sizeHint().height() + 4);
    recoveryLayout->addWidget(m_recoveryView);
    m_recoverySummary = new QLabel(recoveryBox);
    m_recoverySummary->setObjectName(QStringLiteral("recoverySummary"));
    m_recoverySummary->setWordWrap(true);
    recoveryLayout->addWidget(m_recoverySummary);
    recoveryLayout->addStretch(1);
    bottom->addWidget(recoveryBox, 1);
    m_failover = new FailoverPanel(session, body);
    bottom->addWidget(m_failover, 1);
    column->addLayout(bottom, 0);

    scroll->setWidget(body);
    outer->addWidget(scroll, 1);

    Watcher *watcher = session->watcher();
    connect(watcher, &Watcher::serviceStateChanged, this, [this](const StateTransition &t) {
        if (t.service == m_service)
            showHeader();
    });
    connect(watcher, &Watcher::resultRecorded, this, [this](const CheckResult &r) {
        if (r.service == m_service && !m_measureSoon->isActive())
            m_measureSoon->start();
    });
    // Results reach the store in batches (HistoryWriter::kBatchDelayMs); a second later they are
    // all there, and a burst of them costs one reread.
    m_measureSoon->setSingleShot(true);
    m_measureSoon->setInterval(1000);
    connect(m_measureSoon, &QTimer::timeout, this, &ServiceView::refreshMeasurements);
    if (SloMonitor *slo = session->slo())
        connect(slo, &SloMonitor::reportsUpdated, this, &ServiceView::showReport);
    if (IncidentManager *incidents = session->incidents()) {
        connect(incidents, &IncidentManager::incidentOpened, this, &ServiceView::showIncident);
        connect(incidents, &IncidentManager::incidentChanged, this, &ServiceView::showIncident);
    }
    connect(session, &CoreSession::configLoaded, this, &ServiceView::rebuild);
}

void ServiceView::setService(const QString &name)
{
    if (name == m_service)
        return;
    m_service = name;
    rebuild();
}

void ServiceView::rebuild()
{
    const ServiceConfig *svc = m_session->config().service(m_service);
    const ServiceConfig config = svc ? *svc : ServiceConfig{};
    const QString selected = m_history->check();
    m_checks->setService(svc ? m_service : QString());
    m_latency->setService(config);
    m_budget->setService(config);
    m_failover->setService(svc ? m_service : QString());
    rebuildActions();
    showHeader();
    showIncident();
    m_runbooks->setVisible(svc && !svc->runbooks.isEmpty());
    // Keep the chosen check across a reload; otherwise the first one that is not ok, else the first.
    int row = m_checks->rowOf(selected);
    for (int i = 0; row < 0 && i < m_checks->rowCount(); ++i)
        if (m_checks->index(i, 0).data(CheckTableModel::HealthRole).toInt() != int(Health::Ok))
            row = i;
    if (row < 0 && m_checks->rowCount() > 0)
        row = 0;
    if (row >= 0)
        m_checkView->setCurrentIndex(m_checks->index(row, 0));
    else
        selectCheck({});
    refreshMeasurements();
    showReport();
}

void ServiceView::rebuildActions()
{
    for (const QPointer<QPushButton> &b : std::as_const(m_actionButtons))
        delete b.data();
    m_actionButtons.clear();
    while (QLayoutItem *item = m_actionsRow->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const ServiceConfig *svc = m_session->config().service(m_service);
    if (!svc || svc->actions.isEmpty()) {
        m_actionsBox->hide();
        return;
    }
    m_actionsRow->addWidget(new QLabel(tr("Actions:"), m_actionsBox), 0, 0);
    // Rows of a few buttons: a service with many actions must not make the window wider than a
    // 1280-pixel screen.
    constexpr int kPerRow = 6;
    int index = 0;
    for (const ActionConfig &a : svc->actions) {
        auto *b = new QPushButton(a.name + QStringLiteral("…"), m_actionsBox);
        b->setObjectName(QStringLiteral("action_") + a.name);
        b->setAccessibleName(tr("Run %1").arg(a.name));
        b->setToolTip(a.description.isEmpty() ? tr("Shows what will run, then runs it when you press Run")
                                              : tr("%1 — shows what will run, then runs it when you press Run").arg(a.description));
        const QString action = a.name;
        connect(b, &QPushButton::clicked, this, [this, action] {
            ActionDialog *d = ActionDialog::launch(m_session, m_service, action, this);
            d->setReason(tr("service view"));
        });
        m_actionsRow->addWidget(b, index / kPerRow, 1 + index % kPerRow);
        ++index;
        m_actionButtons << b;
    }
    m_actionsRow->setColumnStretch(kPerRow + 1, 1);
    m_actionsBox->show();
}

void ServiceView::showHeader()
{
    const ServiceConfig *svc = m_session->config().service(m_service);
    if (!svc) {
        m_icon->clear();
        m_title->setText(m_service.isEmpty() ? tr("No service chosen") : tr("No service `%1` in the config").arg(m_service.toHtmlEscaped()));
        m_description->clear();
        return;
    }
    const Health h = m_session->watcher()->state().serviceHealth(m_service);
    m_icon->setPixmap(HealthStyle::icon(h).pixmap(24, 24));
    m_title->setText(tr("<b>%1</b> — %2").arg(m_service.toHtmlEscaped(), HealthStyle::label(h).toHtmlEscaped()));
    QString about = svc->group.isEmpty() ? svc->description : tr("%1 · %2").arg(svc->group, svc->description);
    m_description->setText(about);
}

void ServiceView::showIncident()
{
    IncidentManager *incidents = m_session->incidents();
    const auto open = incidents && !m_service.isEmpty() ? incidents->openIncidentFor(m_service) : std::nullopt;
    m_incidentId = open ? open->id : 0;
    if (open) {
        m_incident->setText(tr("Incident #%1 (%2): %3").arg(open->id).arg(open->severity, open->title));
        m_incident->setIcon(HealthStyle::icon(Health::Down));
    }
    m_incident->setVisible(open.has_value());
}

void ServiceView::refreshMeasurements()
{
    const ServiceConfig *svc = m_session->config().service(m_service);
    m_latency->refresh();
    m_budget->refresh();
    m_recovery->refresh(m_session->history(), svc ? *svc : ServiceConfig{}, m_session->clock()->nowMs());
    const int passed = int(std::count_if(m_recovery->lines().cbegin(), m_recovery->lines().cend(), [](const auto &l) { return l.passed; }));
    m_recoverySummary->setText(m_recovery->lines().isEmpty() ? tr("No history to measure yet.")
                               : m_recovery->allPassed()     ? tr("All %1 criteria pass: the service counts as restored.").arg(passed)
                                                             : tr("%1 of %2 criteria pass.").arg(passed).arg(m_recovery->lines().size()));
}

void ServiceView::showReport()
{
    const SloReport *r = m_session->slo() ? m_session->slo()->report(m_service) : nullptr;
    m_budget->setReport(r ? std::optional<SloReport>(*r) : std::nullopt);
    m_budget->refresh();
}

void ServiceView::selectCheck(const QString &check)
{
    m_history->setCheck(m_service, check);
    m_historyTitle->setText(check.isEmpty() ? tr("<b>History</b>") : tr("<b>History of %1</b>").arg(check.toHtmlEscaped()));
}
