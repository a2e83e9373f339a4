#pragma once

#include <QWidget>

class CoreSession;
class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTableView;
class QTreeWidget;
class SecretListModel;

// Settings: which config file runs, reloading it with its errors listed inline (file:line:col), the
// secrets the config uses (set, replace, delete through the keychain; values are typed into a
// password field and never shown), the notification channels with "Send test", and the console's
// language and colour scheme.
class SettingsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsView)

public:
    explicit SettingsView(CoreSession *session, QWidget *parent = nullptr);

    QListWidget *issueList() const { return m_issues; }
    QTableView *secretTable() const { return m_secretTable; }
    SecretListModel *secretModel() const { return m_secrets; }
    QTreeWidget *channelList() const { return m_channels; }
    QLabel *secretStatus() const { return m_secretStatus; }
    QLabel *notifyStatus() const { return m_notifyStatus; }

public slots:
    // Reloads the config file; on errors the running config stays and the errors are listed.
    bool reload();
    void showIssues();
    // Asks for a value (password field) and writes it to the keychain.
    void setSecret(const QString &name);
    void deleteSecret(const QString &name);
    void sendTest(const QString &channel);

signals:
    void reloaded(bool ok);

private:
    QWidget *configSection();
    QWidget *secretSection();
    QWidget *notifySection();
    QWidget *appearanceSection();
    void fillChannels();
    QString selectedSecret() const;

    CoreSession *m_session;
    QLabel *m_path = nullptr;
    QLabel *m_configState = nullptr;
    QListWidget *m_issues = nullptr;
    SecretListModel *m_secrets = nullptr;
    QTableView *m_secretTable = nullptr;
    QLabel *m_secretStatus = nullptr;
    QPushButton *m_setSecret = nullptr;
    QPushButton *m_deleteSecret = nullptr;
    QTreeWidget *m_channels = nullptr;
    QLabel *m_notifyStatus = nullptr;
    QComboBox *m_language = nullptr;
    QComboBox *m_scheme = nullptr;
};
