#include "logsview.h"

#include "coresession.h"
#include "healthstyle.h"
#include "logfilter.h"
#include "logfollower.h"
#include "logmodel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

LogsView::LogsView(CoreSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_follower(new LogFollower(this))
    , m_model(new LogModel(this))
    , m_source(new QComboBox(this))
    , m_open(new QPushButton(tr("&Open…"), this))
    , m_filter(new QLineEdit(this))
    , m_filterError(new QLabel(this))
    , m_follow(new QCheckBox(tr("F&ollow"), this))
    , m_table(new QTableView(this))
    , m_details(new QPlainTextEdit(this))
    , m_status(new QLabel(this))
{
    m_source->setObjectName(QStringLiteral("source"));
    m_source->setAccessibleName(tr("Log file"));
    m_source->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_source->setMinimumContentsLength(40);
    m_open->setObjectName(QStringLiteral("openButton"));
    m_open->setAccessibleName(tr("Open a log file"));
    m_open->setToolTip(tr("Follow any NDJSON file"));
    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setAccessibleName(tr("Filter"));
    m_filter->setPlaceholderText(tr("Filter, e.g. level == error or ok == false"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setToolTip(tr("The log check's language: a field of the line, an operator and a value — "
                            "level == error, ok == false, status >= 500, error == pat(*Rate limit*)"));
    m_filterError->setObjectName(QStringLiteral("filterError"));
    m_filterError->setWordWrap(true);
    m_filterError->setTextFormat(Qt::PlainText);
    m_filterError->hide();
    m_follow->setObjectName(QStringLiteral("followBox"));
    m_follow->setAccessibleName(tr("Follow new lines"));
    m_follow->setToolTip(tr("Scroll to each new line as it is written"));
    m_follow->setChecked(true);

    m_table->setObjectName(QStringLiteral("lines"));
    m_table->setAccessibleName(tr("Log lines"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(LogModel::TimeColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(LogModel::LevelColumn, QHeaderView::ResizeToContents);

    m_details->setObjectName(QStringLiteral("details"));
    m_details->setAccessibleName(tr("Selected line"));
    m_details->setReadOnly(true);
    m_details->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_details->setPlaceholderText(tr("Select a line to see all of it"));
    m_details->setLineWrapMode(QPlainTextEdit::NoWrap);

    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *sourceLabel = new QLabel(tr("&Log:"), this);
    sourceLabel->setBuddy(m_source);
    auto *filterLabel = new QLabel(tr("&Filter:"), this);
    filterLabel->setBuddy(m_filter);

    auto *top = new QHBoxLayout;
    top->addWidget(sourceLabel);
    top->addWidget(m_source, 1);
    top->addWidget(m_open);
    top->addSpacing(12);
    top->addWidget(filterLabel);
    top->addWidget(m_filter, 1);
    top->addWidget(m_follow);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_filterError);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);

    connect(m_source, &QComboBox::activated, this, &LogsView::sourceChosen);
    connect(m_open, &QPushButton::clicked, this, &LogsView::openFile);
    connect(m_filter, &QLineEdit::textChanged, this, &LogsView::applyFilter);
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            m_table->scrollToBottom();
    });
    connect(m_follower, &LogFollower::linesRead, this, [this](const QList<QByteArray> &lines) {
        if (!m_problem.isEmpty()) {
            m_problem.clear();
            updateStatus();
        }
        m_model->appendLines(lines);
    });
    connect(m_follower, &LogFollower::restarted, this, [this](const QString &why) {
        m_model->clear();
        m_notice = why;
        updateStatus();
    });
    connect(m_follower, &LogFollower::problem, this, [this](const QString &message) {
        m_problem = message;
        updateStatus();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &LogsView::linesAdded);
    // The table lays itself out later than rows arrive (and again on resizes): stay at the end
    // whenever its range changes.
    connect(m_table->verticalScrollBar(), &QScrollBar::rangeChanged, this, [this](int, int max) {
        if (m_follow->isChecked())
            m_table->verticalScrollBar()->setValue(max);
    });
    connect(m_model, &LogModel::keptLinesChanged, this, &LogsView::updateStatus);
    connect(m_model, &QAbstractItemModel::modelReset, this, &LogsView::updateStatus);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &LogsView::showSelected);
    connect(m_session, &CoreSession::configLoaded, this, &LogsView::populateSources);

    populateSources();
    if (m_source->count() > 0)
        sourceChosen(0);
    updateStatus();
}

void LogsView::populateSources()
{
    const QString current = currentFile();
    m_source->clear();
    // The files the config already names: each log check's, and each failover's transition log.
    for (const ServiceConfig &service : m_session->config().services) {
        for (const CheckConfig &check : service.checks) {
            if (check.kind == CheckKind::Log && m_source->findData(check.path) < 0)
                m_source->addItem(tr("%1 / %2 — %3").arg(service.name, check.name, QFileInfo(check.path).fileName()), check.path);
        }
        if (service.failover && m_source->findData(service.failover->logFile) < 0)
            m_source->addItem(tr("%1 / failover log — %2").arg(service.name, QFileInfo(service.failover->logFile).fileName()),
                              service.failover->logFile);
    }
    for (int i = 0; i < m_source->count(); ++i)
        m_source->setItemData(i, m_source->itemData(i), Qt::ToolTipRole);
    if (!current.isEmpty()) {
        if (m_source->findData(current) < 0)
            m_source->addItem(QFileInfo(current).fileName(), current);
        m_source->setCurrentIndex(m_source->findData(current));
    }
}

void LogsView::sourceChosen(int index)
{
    const QString path = m_source->itemData(index).toString();
    if (path.isEmpty() || path == m_follower->path())
        return;
    m_model->clear();
    m_details->clear();
    m_notice.clear();
    m_problem.clear();
    m_follower->follow(path);
    updateStatus();
}

void LogsView::followFile(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    int index = m_source->findData(absolute);
    if (index < 0) {
        m_source->addItem(QFileInfo(absolute).fileName(), absolute);
        index = m_source->count() - 1;
        m_source->setItemData(index, absolute, Qt::ToolTipRole);
    }
    m_source->setCurrentIndex(index);
    sourceChosen(index);
}

QString LogsView::currentFile() const
{
    return m_follower->path();
}

void LogsView::openFile()
{
    auto *dialog = new QFileDialog(this, tr("Follow a log file"), QFileInfo(currentFile()).absolutePath(),
                                   tr("NDJSON logs (*.ndjson *.jsonl *.json *.log);;All files (*)"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFile);
    dialog->setObjectName(QStringLiteral("openDialog"));
    connect(dialog, &QFileDialog::fileSelected, this, &LogsView::followFile);
    dialog->open();
}

void LogsView::applyFilter()
{
    const auto parsed = LogFilter::parse(m_filter->text());
    if (const auto *e = std::get_if<ConditionParser::Error>(&parsed)) {
        // Keep showing the last good filter's lines; say what is wrong and where.
        m_filterError->setText(tr("✕ Filter not applied: column %1: %2").arg(e->column).arg(e->message));
        m_filterError->setStyleSheet(QStringLiteral("color: %1;").arg(HealthStyle::color(Health::Down).name()));
        m_filterError->show();
        m_filter->setAccessibleDescription(m_filterError->text());
        return;
    }
    m_filterError->hide();
    m_filterError->clear();
    m_filter->setAccessibleDescription(QString());
    m_model->setFilter(std::get<LogFilter>(parsed));
    m_details->clear();
    if (m_follow->isChecked())
        m_table->scrollToBottom();
}

void LogsView::showSelected()
{
    const QModelIndex index = m_table->currentIndex();
    m_details->setPlainText(index.isValid() ? index.data(LogModel::PrettyRole).toString() : QString());
}

void LogsView::linesAdded()
{
    if (m_follow->isChecked())
        m_table->scrollToBottom();
}

void LogsView::updateStatus()
{
    QStringList parts;
    if (currentFile().isEmpty()) {
        parts << tr("No log chosen: pick one of the config's logs or open a file.");
    } else {
        parts << tr("%1 — lines shown: %2").arg(currentFile(), QLocale().toString(m_model->rowCount()));
        if (!m_model->filter().isEmpty())
            parts << tr("read: %1").arg(QLocale().toString(m_model->keptLines()));
        if (m_model->droppedLines() > 0)
            parts << tr("only the last %1 lines are kept; %2 older dropped")
                         .arg(QLocale().toString(m_model->maxLines()), QLocale().toString(m_model->droppedLines()));
    }
    if (!m_problem.isEmpty())
        parts << m_problem;
    if (!m_notice.isEmpty())
        parts << m_notice;
    m_status->setText(parts.join(QStringLiteral(" · ")));
}
