#include "backupsview.h"

#include "actiondialog.h"
#include "actionrunner.h"
#include "backupinventory.h"
#include "backuplistmodel.h"
#include "backupverifier.h"
#include "coresession.h"
#include "duration.h"
#include "healthstyle.h"
#include "historystore.h"
#include "opsdatabase.h"
#include "secretresolver.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSet>
#include <QShortcut>
#include <QThread>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

BackupsView::BackupsView(CoreSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new BackupListModel(session->clock(), this))
{
    // Verifications are stored beside the incidents; this view reads and writes them through a
    // connection of its own (as `opsdeckctl backup` does), used only in the GUI thread.
    if (session->hasStore() && session->history()) {
        auto db = std::make_unique<OpsDatabase>();
        QString error;
        if (db->open(session->history()->location(), &error))
            m_db = std::move(db);
    }

    auto *layout = new QVBoxLayout(this);
    auto *buttons = new QHBoxLayout;
    auto make = [&](const QString &name, const QString &text, const QString &tip) {
        auto *b = new QPushButton(text, this);
        b->setObjectName(name);
        b->setAccessibleName(QString(text).remove(u'&').remove(QStringLiteral("…")));
        b->setToolTip(tip);
        buttons->addWidget(b);
        return b;
    };
    m_backup = make(QStringLiteral("backupButton"), tr("&Backup now…"), tr("Run the selected destination's backup action"));
    m_verify = make(QStringLiteral("verifyButton"), tr("&Verify"),
                    tr("Restore the selected backup (or the destination's newest) into a temporary place and check it against its manifest"));
    m_restore = make(QStringLiteral("restoreButton"), tr("&Restore…"), QString());
    buttons->addStretch();
    m_refresh = make(QStringLiteral("refreshButton"), tr("Re&fresh"), tr("Read the backup folders and verifications again (F5)"));
    layout->addLayout(buttons);

    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("backupTree"));
    m_tree->setAccessibleName(tr("Backups"));
    m_tree->setModel(m_model);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::Interactive);
    layout->addWidget(m_tree, 1);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setAccessibleName(tr("Verification result"));
    m_status->hide();
    layout->addWidget(m_status);
    m_details = new QLabel(this);
    m_details->setObjectName(QStringLiteral("details"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::RichText);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setAccessibleName(tr("Selected backup"));
    layout->addWidget(m_details);

    connect(m_backup, &QPushButton::clicked, this, &BackupsView::backupNow);
    connect(m_verify, &QPushButton::clicked, this, &BackupsView::verify);
    connect(m_restore, &QPushButton::clicked, this, &BackupsView::restore);
    connect(m_refresh, &QPushButton::clicked, this, &BackupsView::refresh);
    auto *f5 = new QShortcut(QKeySequence::Refresh, this, nullptr, nullptr, Qt::WidgetWithChildrenShortcut);
    connect(f5, &QShortcut::activated, this, &BackupsView::refresh);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateButtons();
        updateDetails();
    });

    // Backups written by other programs (cron's `opsdeckctl action run`) show up by themselves.
    m_folders = new QFileSystemWatcher(this);
    m_refreshSoon = new QTimer(this);
    m_refreshSoon->setSingleShot(true);
    m_refreshSoon->setInterval(500);
    connect(m_refreshSoon, &QTimer::timeout, this, &BackupsView::refresh);
    connect(m_folders, &QFileSystemWatcher::directoryChanged, m_refreshSoon, qOverload<>(&QTimer::start));
    if (ActionRunner *runner = session->actions())
        connect(runner, &ActionRunner::runFinished, this, &BackupsView::refresh);
    connect(session, &CoreSession::configLoaded, this, &BackupsView::refresh);

    refresh();
    m_tree->expandAll();
    if (m_model->rowCount() > 0)
        m_tree->setCurrentIndex(m_model->index(0, 0));
    updateButtons();
    updateDetails();
}

BackupsView::~BackupsView()
{
    // The verification reads files this view's session points at: let it end first.
    if (m_worker)
        m_worker->wait();
}

void BackupsView::refresh()
{
    const QModelIndex current = m_tree->currentIndex();
    const QString service = current.data(BackupListModel::ServiceRole).toString();
    const QString action = current.data(BackupListModel::ActionRole).toString();
    const QString file = current.data(BackupListModel::IsFileRole).toBool() ? current.data(BackupListModel::FilePathRole).toString() : QString();
    QSet<QString> collapsed;
    for (int i = 0; i < m_model->rowCount(); ++i)
        if (!m_tree->isExpanded(m_model->index(i, 0)))
            collapsed.insert(m_model->index(i, 0).data(BackupListModel::DestinationRole).toString());

    m_model->refresh(m_session->config(), m_db.get());

    for (int i = 0; i < m_model->rowCount(); ++i) {
        const QModelIndex d = m_model->index(i, 0);
        m_tree->setExpanded(d, !collapsed.contains(d.data(BackupListModel::DestinationRole).toString()));
    }
    // Sizes, ages and times must be read whole; the name column takes what is left.
    for (int c = 0; c < m_model->columnCount(); ++c)
        m_tree->resizeColumnToContents(c);
    m_tree->setColumnWidth(0, qMin(m_tree->columnWidth(0), qMax(200, m_tree->viewport()->width() / 2)));
    const QModelIndex again = service.isEmpty() ? QModelIndex() : m_model->find(service, action, file);
    if (again.isValid())
        m_tree->setCurrentIndex(again);
    else if (m_model->rowCount() > 0)
        m_tree->setCurrentIndex(m_model->index(0, 0));
    watchFolders();
    updateButtons();
    updateDetails();
}

void BackupsView::watchFolders()
{
    QStringList wanted;
    for (int i = 0; i < m_model->rowCount(); ++i) {
        const QString dir = m_model->index(i, 0).data(BackupListModel::DestinationRole).toString();
        if (QFileInfo(dir).isDir())
            wanted << dir;
    }
    const QStringList watched = m_folders->directories();
    for (const QString &d : watched)
        if (!wanted.contains(d))
            m_folders->removePath(d);
    for (const QString &d : std::as_const(wanted))
        if (!watched.contains(d))
            m_folders->addPath(d);
}

const ActionConfig *BackupsView::selectedAction(QString *service) const
{
    const QModelIndex current = m_tree->currentIndex();
    if (!current.isValid())
        return nullptr;
    *service = current.data(BackupListModel::ServiceRole).toString();
    const ServiceConfig *s = m_session->config().service(*service);
    return s ? s->action(current.data(BackupListModel::ActionRole).toString()) : nullptr;
}

void BackupsView::updateButtons()
{
    QString service;
    const ActionConfig *action = selectedAction(&service);
    const bool canRun = action && m_session->actions();
    m_backup->setEnabled(canRun);
    const QModelIndex current = m_tree->currentIndex();
    const bool hasFile = !current.data(BackupListModel::FilePathRole).toString().isEmpty();
    m_verify->setEnabled(action && hasFile && !m_verifying);
    m_verify->setToolTip(!action ? tr("Select a backup")
                         : !hasFile ? tr("There is no backup to verify yet")
                         : m_verifying ? tr("A verification is running")
                                       : tr("Restore this backup into a temporary place and check it against its manifest"));

    const ServiceConfig *s = m_session->config().service(service);
    const ActionConfig *restore = s && action ? BackupInventory::restoreActionFor(*s, *action) : nullptr;
    const QString file = current.data(BackupListModel::FilePathRole).toString();
    QString why;
    const bool fits = restore && hasFile && BackupInventory::restoreParamsFor(*restore, file, &why).has_value();
    m_restore->setEnabled(canRun && fits);
    if (!action)
        m_restore->setToolTip(tr("Select a backup"));
    else if (!restore)
        m_restore->setToolTip(action->builtin == BuiltinKind::TarArchive
                                  ? tr("Archives are restored by hand: %1 has no restore action").arg(service)
                                  : tr("%1 has no restore action for %2 (a `restore` or `pg-restore` built-in with `to: %3`)")
                                        .arg(service, action->name, action->to));
    else if (!hasFile)
        m_restore->setToolTip(tr("There is no backup to restore yet"));
    else if (!fits)
        m_restore->setToolTip(why);
    else
        m_restore->setToolTip(tr("Restore %1 with %2: a snapshot of the live data first; asks for confirmation")
                                  .arg(QFileInfo(file).fileName(), restore->name));
}

void BackupsView::updateDetails()
{
    const QModelIndex current = m_tree->currentIndex();
    const BackupInventory::Entry *e = m_model->entry(current);
    if (!e) {
        m_details->setText(m_model->rowCount() == 0
                               ? tr("No backup actions in the configuration. Add a `sqlite-backup`, `pg-dump` or `tar` action to a service.")
                               : QString());
        return;
    }
    QString html = tr("<b>%1/%2</b> (%3) → %4").arg(e->service.toHtmlEscaped(), e->action.toHtmlEscaped(), e->kind,
                                                    QDir::toNativeSeparators(e->destination).toHtmlEscaped());
    if (!e->error.isEmpty())
        html += QStringLiteral("<br>") + e->error.toHtmlEscaped();
    if (const BackupFile *f = m_model->file(current)) {
        html += QStringLiteral("<br>") + tr("%1, %2").arg(f->name.toHtmlEscaped(), BackupListModel::formatSize(f->sizeBytes));
        if (f->manifest && f->manifest->tables) {
            QStringList tables;
            for (auto it = f->manifest->tables->cbegin(); it != f->manifest->tables->cend(); ++it)
                tables << QStringLiteral("%1: %2").arg(it.key().toHtmlEscaped()).arg(it.value());
            html += QStringLiteral("<br>") + tr("Rows at backup time: %1").arg(tables.join(QStringLiteral(", ")));
        } else if (f->manifest && f->manifest->fileCount) {
            html += QStringLiteral("<br>") + tr("%n file(s) in the archive", nullptr, int(*f->manifest->fileCount));
        } else if (!f->manifest) {
            html += QStringLiteral("<br>") + tr("No usable manifest: %1").arg(f->manifestError.toHtmlEscaped());
        }
    }
    const auto v = m_model->verification(current);
    html += QStringLiteral("<br>") + (v ? tr("Last verification %1: %2")
                                              .arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(v->atMs), QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                                                   v->summary.toHtmlEscaped())
                                        : tr("Never verified."));
    m_details->setText(html);
}

void BackupsView::backupNow()
{
    QString service;
    const ActionConfig *action = selectedAction(&service);
    if (!action)
        return;
    ActionDialog *dialog = ActionDialog::launch(m_session, service, action->name, this);
    dialog->setObjectName(QStringLiteral("backupDialog"));
    dialog->setReason(tr("backups view"));
}

void BackupsView::restore()
{
    QString service;
    const ActionConfig *action = selectedAction(&service);
    const ServiceConfig *s = m_session->config().service(service);
    const ActionConfig *restore = s && action ? BackupInventory::restoreActionFor(*s, *action) : nullptr;
    if (!restore)
        return;
    const QString file = m_tree->currentIndex().data(BackupListModel::FilePathRole).toString();
    QString why;
    const auto params = BackupInventory::restoreParamsFor(*restore, file, &why);
    if (!params)
        return;
    // The dialog's own confirmation (Run, plus its explicit tick for restores) is the guard.
    ActionDialog *dialog = ActionDialog::launch(m_session, service, restore->name, this);
    dialog->setObjectName(QStringLiteral("restoreDialog"));
    dialog->setReason(tr("backups view"));
    if (!params->isEmpty())
        dialog->setParams(*params);
}

void BackupsView::verify()
{
    QString service;
    const ActionConfig *action = selectedAction(&service);
    const QString file = m_tree->currentIndex().data(BackupListModel::FilePathRole).toString();
    if (!action || file.isEmpty() || m_verifying)
        return;
    m_verifying = true;
    m_status->setText(tr("Verifying %1 …").arg(QFileInfo(file).fileName()));
    m_status->show();
    updateButtons();
    ActionConfig copy = *action;
    // A PostgreSQL source's password comes from the keychain, asynchronously.
    if (SecretResolver::hasReferences(copy.source)) {
        m_session->resolver()->resolve({copy.source}, this, [this, service, copy, file](const SecretResolver::Resolution &r) mutable {
            if (!r.ok()) {
                BackupVerification failed;
                failed.service = service;
                failed.action = copy.name;
                failed.summary = tr("NOT verified: %1").arg(r.errorString());
                finishVerify(failed);
                return;
            }
            copy.source = r.texts.first();
            startVerify(service, copy, file);
        });
        return;
    }
    startVerify(service, copy, file);
}

void BackupsView::startVerify(const QString &service, const ActionConfig &action, const QString &file)
{
    // A restore into a temporary place, checksums and integrity checks: seconds to minutes of
    // blocking work, so it runs on a thread of its own and reports back here.
    auto result = std::make_shared<BackupVerification>();
    m_worker = QThread::create([result, service, action, file] { *result = BackupVerifier::verify(service, action, file); });
    connect(m_worker, &QThread::finished, this, [this, result] {
        m_worker->deleteLater();
        m_worker = nullptr;
        finishVerify(*result);
    });
    m_worker->start();
}

void BackupsView::finishVerify(const BackupVerification &verification)
{
    BackupVerification v = verification;
    QString error;
    if (!v.file.isEmpty() && m_db && !BackupVerifier::record(*m_db, v, &error))
        v.summary += QStringLiteral(" (") + error + u')';
    m_verifying = false;
    const Health look = v.ok ? Health::Ok : Health::Down;
    m_status->setText(QStringLiteral("<span style='color:%1'>%2</span> %3")
                          .arg(HealthStyle::color(look).name(), v.ok ? QStringLiteral("✓") : QStringLiteral("✕"),
                               QString(QFileInfo(v.file).fileName() + QStringLiteral(": ") + v.summary).toHtmlEscaped()));
    m_status->setTextFormat(Qt::RichText);
    m_status->show();
    refresh();
    emit verified(v);
}
