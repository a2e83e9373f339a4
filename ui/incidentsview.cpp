#include "incidentsview.h"

#include "auditlog.h"
#include "clock.h"
#include "coresession.h"
#include "duration.h"
#include "healthstyle.h"
#include "incidentfilterproxy.h"
#include "incidentlistmodel.h"
#include "incidentmanager.h"
#include "incidentstore.h"
#include "incidenttemplates.h"
#include "incidenttimelinemodel.h"
#include "messagetemplatedialog.h"
#include "resolvedialog.h"
#include "timelinedelegate.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace {
QString localTime(qint64 ms)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString targetWord(const QString &name)
{
    if (name == u"acknowledge")
        return IncidentsView::tr("Acknowledge");
    if (name == u"diagnose")
        return IncidentsView::tr("Diagnose");
    if (name == u"mitigate")
        return IncidentsView::tr("Mitigate");
    return name;
}
} // namespace

IncidentsView::IncidentsView(CoreSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    if (!session->hasStore() || !session->incidents() || !session->incidentStore()) {
        auto *none = new QLabel(tr("Incidents need the history store, which could not be opened. "
                                   "Check `store:` in the configuration."),
                                this);
        none->setWordWrap(true);
        none->setAccessibleName(tr("Incidents unavailable"));
        layout->addWidget(none);
        layout->addStretch();
        return;
    }

    m_model = new IncidentListModel(session->incidents(), session->incidentStore(), session->clock(), this);
    m_proxy = new IncidentFilterProxy(this);
    m_proxy->setSourceModel(m_model);
    m_timeline = new IncidentTimelineModel(this);
    layout->addLayout(buildFilters());

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setChildrenCollapsible(false);
    layout->addWidget(splitter, 1);

    m_table = new QTableView(splitter);
    m_table->setObjectName(QStringLiteral("incidentList"));
    m_table->setAccessibleName(tr("Incidents"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->setSortingEnabled(false);
    QHeaderView *h = m_table->horizontalHeader();
    h->setSectionResizeMode(QHeaderView::ResizeToContents);
    h->setSectionResizeMode(IncidentListModel::TitleColumn, QHeaderView::Stretch);
    h->setSectionResizeMode(IncidentListModel::TargetsColumn, QHeaderView::Interactive);
    h->resizeSection(IncidentListModel::TargetsColumn, 230);
    h->setHighlightSections(false);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (index.column() == IncidentListModel::ServiceColumn)
            emit serviceActivated(index.data(IncidentListModel::ServiceRole).toString());
    });

    auto *detail = new QWidget(splitter);
    auto *dl = new QVBoxLayout(detail);
    dl->setContentsMargins(6, 0, 0, 0);
    m_header = new QLabel(detail);
    m_header->setObjectName(QStringLiteral("incidentHeader"));
    m_header->setWordWrap(true);
    m_header->setTextFormat(Qt::RichText);
    m_header->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_header->setAccessibleName(tr("Selected incident"));
    connect(m_header, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link.startsWith(u"service:"))
            emit serviceActivated(link.mid(8));
    });
    dl->addWidget(m_header);
    m_targets = new QLabel(detail);
    m_targets->setObjectName(QStringLiteral("targets"));
    m_targets->setTextFormat(Qt::RichText);
    m_targets->setWordWrap(true);
    m_targets->setAccessibleName(tr("Response targets"));
    dl->addWidget(m_targets);

    // Two rows, so the timeline pane stays narrow enough for the list beside it at 1280 px.
    auto *buttons = new QHBoxLayout;
    auto *buttons2 = new QHBoxLayout;
    auto button = [&](QPushButton *&b, const QString &name, const QString &text, const QString &tip, void (IncidentsView::*slot)()) {
        b = new QPushButton(text, detail);
        b->setObjectName(name);
        b->setAccessibleName(QString(text).remove(u'&').remove(QStringLiteral("…")));
        b->setToolTip(tip);
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
    };
    button(m_ack, QStringLiteral("acknowledgeButton"), tr("&Acknowledge"), tr("Acknowledge: stops repeated notifications"),
           &IncidentsView::acknowledge);
    button(m_note, QStringLiteral("noteButton"), tr("Add &note…"), tr("Add a note to the timeline (counts as diagnosed)"),
           &IncidentsView::addNote);
    button(m_severity, QStringLiteral("severityButton"), tr("Se&verity…"), tr("Change the severity within the service's scheme"),
           &IncidentsView::changeSeverity);
    button(m_resolve, QStringLiteral("resolveButton"), tr("&Resolve…"), tr("Resolve with a note, root cause and prevention"),
           &IncidentsView::resolve);
    buttons->addStretch();
    dl->addLayout(buttons);
    buttons = buttons2;
    button(m_copy, QStringLiteral("copyButton"), tr("&Copy message…"), tr("Copy the runbook's Detected/Resolved message"),
           &IncidentsView::copyMessage);
    button(m_export, QStringLiteral("exportButton"), tr("E&xport postmortem…"), tr("Write the postmortem as a Markdown file"),
           &IncidentsView::exportPostmortem);
    buttons->addStretch();
    dl->addLayout(buttons);

    m_message = new QLabel(detail);
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    m_message->setAccessibleName(tr("Last result"));
    m_message->hide();
    dl->addWidget(m_message);

    m_timelineView = new QListView(detail);
    m_timelineView->setObjectName(QStringLiteral("timeline"));
    m_timelineView->setAccessibleName(tr("Timeline"));
    m_timelineView->setModel(m_timeline);
    m_timelineView->setItemDelegate(new TimelineDelegate(m_timelineView));
    m_timelineView->setResizeMode(QListView::Adjust);
    m_timelineView->setUniformItemSizes(false);
    m_timelineView->setWordWrap(true);
    m_timelineView->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_timelineView->setSelectionMode(QAbstractItemView::SingleSelection);
    dl->addWidget(m_timelineView, 1);

    splitter->addWidget(m_table);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({600, 400}); // proportions until the operator moves the handle

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &IncidentsView::onSelectionChanged);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this] { m_count->setText(tr("%n incident(s)", nullptr, m_proxy->rowCount())); });
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, [this] { m_count->setText(tr("%n incident(s)", nullptr, m_proxy->rowCount())); });
    connect(m_proxy, &QAbstractItemModel::modelReset, this, [this] { m_count->setText(tr("%n incident(s)", nullptr, m_proxy->rowCount())); });
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, [this] { m_count->setText(tr("%n incident(s)", nullptr, m_proxy->rowCount())); });
    connect(session->incidents(), &IncidentManager::incidentChanged, this, &IncidentsView::onIncidentChanged);
    connect(session->incidents(), &IncidentManager::incidentOpened, this, &IncidentsView::onIncidentChanged);
    connect(session, &CoreSession::configLoaded, this, &IncidentsView::populateFilterChoices);

    // Due times and "… ago" move on by themselves.
    auto *tick = new QTimer(this);
    tick->setInterval(1000);
    connect(tick, &QTimer::timeout, this, [this] {
        if (m_current.id)
            updateDetails();
    });
    tick->start();

    m_count->setText(tr("%n incident(s)", nullptr, m_proxy->rowCount()));
    if (m_proxy->rowCount() > 0)
        m_table->setCurrentIndex(m_proxy->index(0, 0));
    updateDetails();
}

QLayout *IncidentsView::buildFilters()
{
    auto *bar = new QHBoxLayout;

    auto *stateLabel = new QLabel(tr("&State:"), this);
    m_stateFilter = new QComboBox(this);
    m_stateFilter->setObjectName(QStringLiteral("stateFilter"));
    m_stateFilter->setAccessibleName(tr("State filter"));
    m_stateFilter->addItem(tr("Not resolved"), int(IncidentFilterProxy::StateFilter::Active));
    m_stateFilter->addItem(tr("Open"), int(IncidentFilterProxy::StateFilter::Open));
    m_stateFilter->addItem(tr("Acknowledged"), int(IncidentFilterProxy::StateFilter::Acknowledged));
    m_stateFilter->addItem(tr("Mitigated"), int(IncidentFilterProxy::StateFilter::Mitigated));
    m_stateFilter->addItem(tr("Resolved"), int(IncidentFilterProxy::StateFilter::Resolved));
    m_stateFilter->addItem(tr("All"), int(IncidentFilterProxy::StateFilter::All));
    stateLabel->setBuddy(m_stateFilter);

    auto *severityLabel = new QLabel(tr("S&everity:"), this);
    m_severityFilter = new QComboBox(this);
    m_severityFilter->setObjectName(QStringLiteral("severityFilter"));
    m_severityFilter->setAccessibleName(tr("Severity filter"));
    severityLabel->setBuddy(m_severityFilter);

    auto *serviceLabel = new QLabel(tr("Serv&ice:"), this);
    m_serviceFilter = new QComboBox(this);
    m_serviceFilter->setObjectName(QStringLiteral("serviceFilter"));
    m_serviceFilter->setAccessibleName(tr("Service filter"));
    m_serviceFilter->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    serviceLabel->setBuddy(m_serviceFilter);

    m_textFilter = new QLineEdit(this);
    m_textFilter->setObjectName(QStringLiteral("textFilter"));
    m_textFilter->setAccessibleName(tr("Search incidents"));
    m_textFilter->setPlaceholderText(tr("Search title, service, #id… (Ctrl+F)"));
    m_textFilter->setClearButtonEnabled(true);

    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("count"));

    bar->addWidget(stateLabel);
    bar->addWidget(m_stateFilter);
    bar->addSpacing(8);
    bar->addWidget(severityLabel);
    bar->addWidget(m_severityFilter);
    bar->addSpacing(8);
    bar->addWidget(serviceLabel);
    bar->addWidget(m_serviceFilter);
    bar->addSpacing(8);
    bar->addWidget(m_textFilter, 1);
    bar->addWidget(m_count);

    populateFilterChoices();
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, &IncidentsView::applyFilters);
    connect(m_severityFilter, &QComboBox::currentIndexChanged, this, &IncidentsView::applyFilters);
    connect(m_serviceFilter, &QComboBox::currentIndexChanged, this, &IncidentsView::applyFilters);
    connect(m_textFilter, &QLineEdit::textChanged, this, &IncidentsView::applyFilters);
    applyFilters();
    return bar;
}

void IncidentsView::populateFilterChoices()
{
    const Config &config = m_session->config();
    const QString severity = m_severityFilter->currentData().toString();
    const QString service = m_serviceFilter->currentData().toString();
    const QSignalBlocker b1(m_severityFilter);
    const QSignalBlocker b2(m_serviceFilter);

    m_severityFilter->clear();
    m_severityFilter->addItem(tr("Any"), QString());
    QStringList levels;
    for (const ServiceConfig &s : config.services)
        if (const SeverityScheme *scheme = config.scheme(s))
            for (const SeverityLevel &l : scheme->levels)
                if (!levels.contains(l.name))
                    levels << l.name;
    for (const QString &l : levels)
        m_severityFilter->addItem(l, l);
    m_severityFilter->setCurrentIndex(qMax(0, m_severityFilter->findData(severity)));

    m_serviceFilter->clear();
    m_serviceFilter->addItem(tr("Any"), QString());
    for (const ServiceConfig &s : config.services)
        m_serviceFilter->addItem(s.name, s.name);
    m_serviceFilter->setCurrentIndex(qMax(0, m_serviceFilter->findData(service)));
    if (m_proxy)
        applyFilters();
}

void IncidentsView::applyFilters()
{
    if (!m_proxy)
        return;
    const qint64 keep = m_current.id;
    m_proxy->setStateFilter(IncidentFilterProxy::StateFilter(m_stateFilter->currentData().toInt()));
    m_proxy->setSeverity(m_severityFilter->currentData().toString());
    m_proxy->setService(m_serviceFilter->currentData().toString());
    m_proxy->setText(m_textFilter->text());
    m_count->setText(tr("%n incident(s)", nullptr, m_proxy->rowCount()));
    if (!m_table)
        return;
    // Keep the selected incident when it is still listed, else select the first one listed.
    const int row = m_model->rowOf(keep);
    const QModelIndex still = row >= 0 ? m_proxy->mapFromSource(m_model->index(row, 0)) : QModelIndex();
    if (still.isValid())
        m_table->setCurrentIndex(still);
    else if (m_proxy->rowCount() > 0)
        m_table->setCurrentIndex(m_proxy->index(0, 0));
    else
        onSelectionChanged();
}

qint64 IncidentsView::currentIncidentId() const
{
    return m_current.id;
}

void IncidentsView::focusSearch()
{
    if (!m_textFilter) // no store, nothing to search
        return;
    m_textFilter->setFocus(Qt::ShortcutFocusReason);
    m_textFilter->selectAll();
}

void IncidentsView::showIncident(qint64 id)
{
    if (!m_model)
        return;
    int row = m_model->rowOf(id);
    if (row < 0) {
        // Opened a moment ago by another program: read it now rather than wait for the manager.
        m_model->reload();
        row = m_model->rowOf(id);
        if (row < 0)
            return;
    }
    QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    if (!index.isValid()) {
        const QSignalBlocker b1(m_stateFilter), b2(m_severityFilter), b3(m_serviceFilter), b4(m_textFilter);
        m_stateFilter->setCurrentIndex(m_stateFilter->findData(int(IncidentFilterProxy::StateFilter::All)));
        m_severityFilter->setCurrentIndex(0);
        m_serviceFilter->setCurrentIndex(0);
        m_textFilter->clear();
        applyFilters();
        index = m_proxy->mapFromSource(m_model->index(row, 0));
    }
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
}

void IncidentsView::onSelectionChanged()
{
    const QModelIndex current = m_table->currentIndex();
    const qint64 id = current.isValid() ? current.data(IncidentListModel::IdRole).toLongLong() : 0;
    m_message->hide();
    if (id == 0) {
        m_current = Incident();
    } else if (id != m_current.id) {
        m_current = m_session->incidentStore()->get(id, true).value_or(Incident());
    }
    m_timeline->setIncident(m_current);
    if (m_timeline->rowCount() > 0)
        m_timelineView->scrollToBottom();
    updateDetails();
}

void IncidentsView::onIncidentChanged(const Incident &incident)
{
    if (incident.id == 0 || incident.id != m_current.id)
        return;
    // Some signals (an incident just opened) carry no timeline: read it then.
    m_current = incident.timeline.isEmpty() ? m_session->incidentStore()->get(incident.id, true).value_or(incident) : incident;
    m_timeline->setIncident(m_current);
    m_timelineView->scrollToBottom();
    updateDetails();
}

void IncidentsView::updateDetails()
{
    const bool has = m_current.id != 0;
    const bool open = has && m_current.isOpen();
    m_ack->setEnabled(has && m_current.state == IncidentState::Open);
    m_note->setEnabled(open);
    m_severity->setEnabled(open);
    m_resolve->setEnabled(open);
    m_copy->setEnabled(has);
    m_export->setEnabled(has);
    if (!has) {
        m_header->setText(tr("<i>No incident selected.</i>"));
        m_targets->clear();
        return;
    }
    const Incident &i = m_current;
    const qint64 now = m_session->clock()->nowMs();
    QString html = QStringLiteral("<span style='font-size:large; font-weight:600'>#%1 %2</span><br>")
                       .arg(i.id)
                       .arg(i.title.toHtmlEscaped());
    html += tr("<a href='service:%1'>%2</a> · severity <b>%3</b> · <b>%4</b>")
                .arg(i.service.toHtmlEscaped(), i.service.toHtmlEscaped(), i.severity.toHtmlEscaped(),
                     IncidentListModel::stateLabel(i.state));
    // Rule causes name what opened it; incidents opened by hand carry an internal tag instead.
    html += incidentCauseFromName(i.cause) ? QStringLiteral(" · ") + tr("cause: %1").arg(i.cause.toHtmlEscaped())
                                           : QStringLiteral(" · ") + tr("opened by hand");
    html += QStringLiteral("<br>") + tr("Opened %1 (%2 ago)").arg(localTime(i.openedAtMs), Duration::format(qMax<qint64>(0, now - i.openedAtMs)));
    if (i.acknowledgedAtMs > 0)
        html += QStringLiteral(" · ") + tr("acknowledged after %1").arg(Duration::format(i.acknowledgedAtMs - i.openedAtMs));
    if (i.mitigatedAtMs > 0)
        html += QStringLiteral(" · ") + tr("mitigated after %1").arg(Duration::format(i.mitigatedAtMs - i.openedAtMs));
    if (i.resolvedAtMs > 0)
        html += QStringLiteral(" · ") + tr("resolved after %1").arg(Duration::format(i.resolvedAtMs - i.openedAtMs));
    if (!i.impact.isEmpty())
        html += QStringLiteral("<br>") + tr("Impact: %1").arg(i.impact.toHtmlEscaped());
    m_header->setText(html);

    QStringList parts;
    if (i.isOpen()) {
        for (const IncidentManager::ResponseTarget &t : m_session->incidents()->responseTargets(i)) {
            if (t.met) {
                parts << QStringLiteral("<span style='color:%1'>✓</span> %2")
                             .arg(HealthStyle::color(Health::Ok).name(), tr("%1: met").arg(targetWord(t.name)));
            } else if (now >= t.deadlineMs) {
                parts << QStringLiteral("<span style='color:%1; font-weight:600'>✕ %2</span>")
                             .arg(HealthStyle::color(Health::Down).name(),
                                  tr("%1: OVERDUE by %2").arg(targetWord(t.name), Duration::format(now - t.deadlineMs)));
            } else {
                parts << QStringLiteral("◷ %1").arg(tr("%1: due in %2").arg(targetWord(t.name), Duration::format(t.deadlineMs - now)));
            }
        }
    }
    m_targets->setText(parts.isEmpty() ? QString() : tr("Targets: %1").arg(parts.join(QStringLiteral(" &nbsp; "))));
    m_targets->setVisible(!parts.isEmpty());
}

void IncidentsView::showError(const QString &error)
{
    m_message->setText(QStringLiteral("<span style='color:%1'>✕</span> %2").arg(HealthStyle::color(Health::Down).name(), error.toHtmlEscaped()));
    m_message->show();
}

void IncidentsView::acknowledge()
{
    if (!m_current.id)
        return;
    QString error;
    // An empty note, not a null one: the store keeps event texts NOT NULL.
    if (!m_session->incidents()->acknowledge(m_current.id, currentActor(), QStringLiteral(""), &error))
        showError(error);
}

void IncidentsView::addNote()
{
    if (!m_current.id)
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("noteDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Add a note to #%1").arg(m_current.id));
    dialog->setLabelText(tr("Note (what you found or did; goes into the timeline as %1):").arg(currentActor()));
    dialog->setOption(QInputDialog::UsePlainTextEditForTextInput);
    dialog->setOkButtonText(tr("Add note"));
    const qint64 id = m_current.id;
    connect(dialog, &QInputDialog::textValueSelected, this, [this, id](const QString &text) {
        if (text.trimmed().isEmpty())
            return;
        QString error;
        if (!m_session->incidents()->addNote(id, currentActor(), text.trimmed(), &error))
            showError(error);
    });
    dialog->open();
}

void IncidentsView::changeSeverity()
{
    if (!m_current.id)
        return;
    const ServiceConfig *service = m_session->config().service(m_current.service);
    const SeverityScheme *scheme = service ? m_session->config().scheme(*service) : nullptr;
    if (!scheme) {
        showError(tr("%1 is no longer in the configuration: its severity scheme is unknown").arg(m_current.service));
        return;
    }
    QStringList levels;
    for (const SeverityLevel &l : scheme->levels)
        levels << l.name;
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("severityDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Severity of #%1").arg(m_current.id));
    dialog->setLabelText(tr("Severity (%1, most severe first):").arg(scheme->name));
    dialog->setComboBoxItems(levels);
    dialog->setComboBoxEditable(false);
    dialog->setTextValue(m_current.severity);
    dialog->setOkButtonText(tr("Change"));
    const qint64 id = m_current.id;
    const QString was = m_current.severity;
    connect(dialog, &QInputDialog::textValueSelected, this, [this, id, was](const QString &level) {
        if (level == was)
            return;
        QString error;
        if (!m_session->incidents()->changeSeverity(id, currentActor(), level, &error))
            showError(error);
    });
    dialog->open();
}

void IncidentsView::resolve()
{
    if (!m_current.id)
        return;
    auto *dialog = new ResolveDialog(m_current, this);
    dialog->setObjectName(QStringLiteral("resolveDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        QString error;
        if (!m_session->incidents()->resolve(dialog->incidentId(), currentActor(), dialog->resolution(), &error))
            showError(error);
    });
    dialog->open();
}

void IncidentsView::copyMessage()
{
    if (!m_current.id)
        return;
    auto *dialog = new MessageTemplateDialog(m_current, this);
    dialog->setObjectName(QStringLiteral("messageDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] {
        m_message->setText(tr("The message is on the clipboard."));
        m_message->show();
    });
    dialog->open();
}

void IncidentsView::exportPostmortem()
{
    if (!m_current.id)
        return;
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (dir.isEmpty())
        dir = QDir::homePath();
    auto *dialog = new QFileDialog(this, tr("Export the postmortem of #%1").arg(m_current.id), dir,
                                   tr("Markdown (*.md);;All files (*)"));
    dialog->setObjectName(QStringLiteral("exportDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setFileMode(QFileDialog::AnyFile);
    dialog->setDefaultSuffix(QStringLiteral("md"));
    dialog->selectFile(QStringLiteral("postmortem-%1-%2.md").arg(m_current.id).arg(m_current.service));
    const qint64 id = m_current.id;
    connect(dialog, &QFileDialog::fileSelected, this, [this, id](const QString &path) {
        const auto incident = m_session->incidentStore()->get(id, true);
        if (!incident) {
            showError(tr("Incident #%1 is gone from the store").arg(id));
            return;
        }
        const ServiceConfig *service = m_session->config().service(incident->service);
        const SeverityScheme *scheme = service ? m_session->config().scheme(*service) : nullptr;
        const QString markdown = IncidentTemplates::postmortem(*incident, scheme, m_session->clock()->nowMs());
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(markdown.toUtf8()) < 0 || !file.commit()) {
            showError(tr("Cannot write %1: %2").arg(path, file.errorString()));
            return;
        }
        m_message->setText(tr("Wrote the postmortem to %1").arg(QDir::toNativeSeparators(path)));
        m_message->show();
    });
    dialog->open();
}
