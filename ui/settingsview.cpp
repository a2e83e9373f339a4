#include "settingsview.h"

#include "colorscheme.h"
#include "coresession.h"
#include "notifier.h"
#include "secretlistmodel.h"
#include "secretstore.h"
#include "uisettings.h"

#include <QComboBox>
#include <QDateTime>
#include <QDesktopServices>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QTableView>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

SettingsView::SettingsView(CoreSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
    , m_secrets(new SecretListModel(session->secrets(), this))
{
    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->addWidget(configSection());
    column->addWidget(secretSection());
    column->addWidget(notifySection());
    column->addWidget(appearanceSection());
    column->addStretch(1);

    auto *scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);

    connect(session, &CoreSession::configLoaded, this, [this] {
        m_secrets->setConfigFile(m_session->configPath());
        fillChannels();
    });
    connect(session, &CoreSession::reloaded, this, &SettingsView::showIssues);
    m_secrets->setConfigFile(session->configPath());
    fillChannels();
    showIssues();
}

QWidget *SettingsView::configSection()
{
    auto *box = new QGroupBox(tr("Configuration"));
    auto *layout = new QVBoxLayout(box);
    m_path = new QLabel;
    m_path->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_path->setAccessibleName(tr("Configuration file"));
    m_configState = new QLabel;
    m_configState->setWordWrap(true);
    auto *reload = new QPushButton(tr("&Reload"));
    reload->setAccessibleName(tr("Reload the configuration"));
    reload->setToolTip(tr("Read the configuration file again (Ctrl+R). A file with errors is not applied."));
    connect(reload, &QPushButton::clicked, this, &SettingsView::reload);
    auto *folder = new QPushButton(tr("Open &folder"));
    folder->setAccessibleName(tr("Open the configuration's folder"));
    connect(folder, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_session->configPath()).absolutePath()));
    });
    auto *row = new QHBoxLayout;
    row->addWidget(m_path, 1);
    row->addWidget(reload);
    row->addWidget(folder);
    m_issues = new QListWidget;
    m_issues->setAccessibleName(tr("Configuration errors and warnings"));
    m_issues->setWordWrap(true);
    m_issues->setMaximumHeight(160);
    layout->addLayout(row);
    layout->addWidget(m_configState);
    layout->addWidget(m_issues);
    return box;
}

QWidget *SettingsView::secretSection()
{
    auto *box = new QGroupBox(tr("Secrets"));
    auto *layout = new QVBoxLayout(box);
    auto *hint = new QLabel(tr("Values live only in the system keychain and are never shown. "
                               "The configuration refers to them as ${secret:NAME}."));
    hint->setWordWrap(true);
    m_secretTable = new QTableView;
    m_secretTable->setModel(m_secrets);
    m_secretTable->setAccessibleName(tr("Secrets"));
    m_secretTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_secretTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_secretTable->verticalHeader()->hide();
    m_secretTable->horizontalHeader()->setStretchLastSection(true);
    m_secretTable->setColumnWidth(SecretListModel::NameColumn, 260);
    m_secretTable->setColumnWidth(SecretListModel::StateColumn, 120);
    m_secretTable->setMinimumHeight(140);
    m_setSecret = new QPushButton(tr("&Set or replace…"));
    m_setSecret->setAccessibleName(tr("Set or replace the selected secret"));
    m_deleteSecret = new QPushButton(tr("&Delete…"));
    m_deleteSecret->setAccessibleName(tr("Delete the selected secret"));
    auto *add = new QPushButton(tr("&New…"));
    add->setAccessibleName(tr("Set a new secret"));
    connect(m_setSecret, &QPushButton::clicked, this, [this] { setSecret(selectedSecret()); });
    connect(m_deleteSecret, &QPushButton::clicked, this, [this] { deleteSecret(selectedSecret()); });
    connect(add, &QPushButton::clicked, this, [this] { setSecret(QString()); });
    auto updateButtons = [this] {
        const bool any = !selectedSecret().isEmpty();
        m_setSecret->setEnabled(any);
        m_deleteSecret->setEnabled(any && m_secretTable->currentIndex().data(SecretListModel::IsSetRole).toBool());
    };
    connect(m_secretTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this, updateButtons);
    connect(m_secrets, &QAbstractItemModel::modelReset, this, updateButtons);
    updateButtons();
    m_secretStatus = new QLabel;
    m_secretStatus->setWordWrap(true);
    m_secretStatus->setAccessibleName(tr("Secret status"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(m_setSecret);
    buttons->addWidget(m_deleteSecret);
    buttons->addWidget(m_secretStatus, 1);
    layout->addWidget(hint);
    layout->addWidget(m_secretTable);
    layout->addLayout(buttons);
    return box;
}

QWidget *SettingsView::notifySection()
{
    auto *box = new QGroupBox(tr("Notification channels"));
    auto *layout = new QVBoxLayout(box);
    m_channels = new QTreeWidget;
    m_channels->setAccessibleName(tr("Notification channels"));
    m_channels->setRootIsDecorated(false);
    m_channels->setHeaderLabels({tr("Channel"), tr("Kind"), tr("Routing"), tr("Quiet hours")});
    m_channels->setColumnWidth(0, 200);
    m_channels->setColumnWidth(1, 100);
    m_channels->setColumnWidth(2, 420);
    m_channels->setMinimumHeight(120);
    auto *test = new QPushButton(tr("Send &test"));
    test->setAccessibleName(tr("Send a test notification through the selected channel"));
    connect(test, &QPushButton::clicked, this, [this] {
        if (QTreeWidgetItem *item = m_channels->currentItem())
            sendTest(item->text(0));
    });
    connect(m_channels, &QTreeWidget::currentItemChanged, test, [test](QTreeWidgetItem *current) { test->setEnabled(current != nullptr); });
    test->setEnabled(false);
    m_notifyStatus = new QLabel;
    m_notifyStatus->setWordWrap(true);
    m_notifyStatus->setAccessibleName(tr("Notification test status"));
    auto *row = new QHBoxLayout;
    row->addWidget(test);
    row->addWidget(m_notifyStatus, 1);
    layout->addWidget(m_channels);
    layout->addLayout(row);
    return box;
}

QWidget *SettingsView::appearanceSection()
{
    auto *box = new QGroupBox(tr("Appearance"));
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    m_language = new QComboBox;
    m_language->setAccessibleName(tr("Language"));
    m_language->addItem(tr("As the system"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->setCurrentIndex(qMax(0, m_language->findData(UiSettings::language())));
    auto *languageNote = new QLabel(tr("Takes effect when OpsDeck next starts (or start it with --lang)."));
    languageNote->setWordWrap(true);
    connect(m_language, &QComboBox::currentIndexChanged, this, [this] {
        UiSettings::setLanguage(m_language->currentData().toString());
    });
    m_scheme = new QComboBox;
    m_scheme->setAccessibleName(tr("Colour scheme"));
    m_scheme->addItem(tr("As the system"), QStringLiteral("system"));
    m_scheme->addItem(tr("Light"), QStringLiteral("light"));
    m_scheme->addItem(tr("Dark"), QStringLiteral("dark"));
    m_scheme->setCurrentIndex(qMax(0, m_scheme->findData(UiSettings::colorScheme())));
    connect(m_scheme, &QComboBox::currentIndexChanged, this, [this] {
        const QString name = m_scheme->currentData().toString();
        UiSettings::setColorScheme(name);
        ColorScheme::apply(ColorScheme::modeFromName(name));
    });
    form->addRow(tr("&Language:"), m_language);
    form->addRow(QString(), languageNote);
    form->addRow(tr("&Colours:"), m_scheme);
    return box;
}

bool SettingsView::reload()
{
    const bool ok = m_session->loadConfig(m_session->configPath());
    showIssues();
    if (!ok)
        m_configState->setText(tr("Not reloaded: the file has errors (below). OpsDeck keeps running the previous configuration."));
    emit reloaded(ok);
    return ok;
}

void SettingsView::showIssues()
{
    m_path->setText(m_session->configPath());
    m_issues->clear();
    int errors = 0;
    for (const ConfigIssue &issue : m_session->issues()) {
        const bool error = issue.severity == ConfigIssue::Severity::Error;
        errors += error;
        auto *item = new QListWidgetItem(style()->standardIcon(error ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxWarning),
                                         issue.toString());
        item->setToolTip(issue.toString());
        m_issues->addItem(item);
    }
    m_issues->setVisible(m_issues->count() > 0);
    const Config &config = m_session->config();
    if (errors == 0)
        m_configState->setText(tr("Running: %n service(s), %1 checks. Checked at %2.", nullptr, int(config.services.size()))
                                   .arg(config.checkCount())
                                   .arg(QLocale().toString(QDateTime::currentDateTime().time(), QLocale::ShortFormat)));
    else
        m_configState->setText(tr("Not applied: %n error(s) (below). OpsDeck keeps running the previous configuration.", nullptr, errors));
}

QString SettingsView::selectedSecret() const
{
    return m_secretTable->currentIndex().data(SecretListModel::NameRole).toString();
}

void SettingsView::setSecret(const QString &name)
{
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("secretValueDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(name.isEmpty() ? tr("New secret") : tr("Set secret %1").arg(name));
    if (name.isEmpty()) {
        dialog->setLabelText(tr("Name (letters, digits, . _ -):"));
        dialog->setTextEchoMode(QLineEdit::Normal);
    } else {
        dialog->setLabelText(tr("Value of %1 (stored in the keychain, never shown):").arg(name));
        dialog->setTextEchoMode(QLineEdit::Password);
    }
    connect(dialog, &QInputDialog::textValueSelected, this, [this, name](const QString &text) {
        if (name.isEmpty()) {
            if (const auto problem = SecretStore::validateName(text)) {
                m_secretStatus->setText(*problem);
                return;
            }
            setSecret(text); // now ask for its value
            return;
        }
        m_secretStatus->setText(tr("Writing %1 to the keychain…").arg(name));
        m_session->secrets()->write(name, text, this, [this, name](const SecretStore::Result &result) {
            if (result.ok()) {
                m_session->audit(QStringLiteral("secret.set"), {{QStringLiteral("name"), name}});
                m_secretStatus->setText(tr("%1 is set.").arg(name));
            } else {
                m_secretStatus->setText(tr("%1 was not set: %2").arg(name, result.message));
            }
            m_secrets->refresh();
        });
    });
    dialog->open();
}

void SettingsView::deleteSecret(const QString &name)
{
    if (name.isEmpty())
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete secret"),
                                tr("Delete %1 from the keychain? Checks and actions that use it will show as unknown until it is set again.").arg(name),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("deleteSecretDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setDefaultButton(QMessageBox::Cancel);
    connect(box, &QMessageBox::finished, this, [this, name](int result) {
        if (result != QMessageBox::Yes)
            return;
        m_session->secrets()->remove(name, this, [this, name](const SecretStore::Result &r) {
            if (r.ok() || r.status == SecretStore::Status::NotSet) {
                m_session->audit(QStringLiteral("secret.delete"), {{QStringLiteral("name"), name}});
                m_secretStatus->setText(tr("%1 is deleted.").arg(name));
            } else {
                m_secretStatus->setText(tr("%1 was not deleted: %2").arg(name, r.message));
            }
            m_secrets->refresh();
        });
    });
    box->open();
}

void SettingsView::fillChannels()
{
    m_channels->clear();
    for (const NotifyChannel &channel : m_session->config().notify) {
        QStringList routing;
        routing << (channel.services.isEmpty() ? tr("all services") : channel.services.join(QStringLiteral(", ")));
        if (!channel.minSeverity.isEmpty())
            routing << tr("%1 or worse").arg(channel.minSeverity);
        routing << (channel.events.isEmpty() ? tr("all events") : channel.events.join(QStringLiteral(", ")));
        auto *item = new QTreeWidgetItem({channel.name, notifyKindName(channel.kind), routing.join(QStringLiteral(" · ")),
                                          channel.quietFrom.isEmpty() ? tr("none") : QStringLiteral("%1–%2").arg(channel.quietFrom, channel.quietTo)});
        m_channels->addTopLevelItem(item);
    }
    if (m_channels->topLevelItemCount() == 0)
        m_notifyStatus->setText(tr("No channels: add a `notify:` list to the configuration."));
}

void SettingsView::sendTest(const QString &channel)
{
    Notifier *notifier = m_session->notifier();
    if (!notifier) {
        m_notifyStatus->setText(tr("Cannot send: the store is not open, and notifications go through its outbox."));
        return;
    }
    QString error;
    const qint64 id = notifier->sendTest(channel, &error);
    if (id == 0) {
        m_notifyStatus->setText(tr("Not sent: %1").arg(error));
        return;
    }
    m_notifyStatus->setText(tr("Sending a test through %1…").arg(channel));
    m_session->audit(QStringLiteral("notify.test"), {{QStringLiteral("channel"), channel}});
    // One-shot listeners for this outbox row; the context object ends both together.
    auto *watch = new QObject(this);
    connect(notifier, &Notifier::delivered, watch, [this, watch, id, channel](const QString &, qint64 outboxId) {
        if (outboxId != id)
            return;
        m_notifyStatus->setText(tr("Delivered through %1.").arg(channel));
        watch->deleteLater();
    });
    connect(notifier, &Notifier::deliveryFailed, watch, [this, watch, id, channel](const QString &, qint64 outboxId, const QString &why, bool) {
        if (outboxId != id)
            return;
        m_notifyStatus->setText(tr("Not delivered through %1: %2").arg(channel, why));
        watch->deleteLater();
    });
}
