#pragma once

#include <QWidget>

class CoreSession;
class QComboBox;
class QFileSystemWatcher;
class QLabel;
class QListWidget;
class RunbookBrowser;
struct Incident;

// The runbooks of the config's services: services that have runbooks on the left, the chosen
// service's runbook files in a list above the rendered runbook (RunbookBrowser), and a line that
// says where checklist ticks go (the open incident, or nowhere yet). A runbook edited on disk is
// shown again at once.
//
// Object names for tests: "services", "files", "runbook" (the browser), "incidentLine", "notice".
class RunbooksView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunbooksView)

public:
    explicit RunbooksView(CoreSession *session, QWidget *parent = nullptr);

    // Shows the first runbook of `service` (nothing happens for a service without runbooks).
    void showService(const QString &service);
    QString currentService() const;
    RunbookBrowser *browser() const { return m_browser; }

private:
    void populate();
    void serviceChosen();
    void fileChosen(int index);
    void reloadFile(const QString &path);
    void updateIncidentLine();
    void incidentChanged(const Incident &incident);

    CoreSession *m_session;
    QListWidget *m_services;
    QComboBox *m_files;
    RunbookBrowser *m_browser;
    QLabel *m_incidentLine;
    QLabel *m_notice;
    QFileSystemWatcher *m_watcher;
};
