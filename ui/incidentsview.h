#pragma once

#include "incident.h"

#include <QWidget>

class CoreSession;
class IncidentFilterProxy;
class IncidentListModel;
class IncidentTimelineModel;
class QComboBox;
class QLabel;
class QLayout;
class QLineEdit;
class QListView;
class QPushButton;
class QTableView;

// The incidents: a filtered list (state, severity, service, text) with overdue response targets
// marked, and the selected incident's timeline beside it, with what an operator does to one —
// acknowledge, add a note, change the severity, resolve, copy a status message, export the
// postmortem. Everything goes through the session's incident manager, as the operating-system
// user, exactly as `opsdeckctl incident …` does it.
class IncidentsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IncidentsView)

public:
    explicit IncidentsView(CoreSession *session, QWidget *parent = nullptr);

    // Selects the incident (widening the filters if they hide it) and shows its timeline.
    void showIncident(qint64 id);
    // Ctrl+F while this view is shown (the main window's Find goes to the view on screen).
    void focusSearch();
    qint64 currentIncidentId() const;

    IncidentListModel *model() const { return m_model; }
    IncidentFilterProxy *filter() const { return m_proxy; }
    IncidentTimelineModel *timeline() const { return m_timeline; }

signals:
    void serviceActivated(const QString &service);

private:
    QLayout *buildFilters();
    void populateFilterChoices();
    void applyFilters();
    void onSelectionChanged();
    void onIncidentChanged(const Incident &incident);
    void updateDetails();
    void showError(const QString &error);

    void acknowledge();
    void addNote();
    void changeSeverity();
    void resolve();
    void copyMessage();
    void exportPostmortem();

    CoreSession *m_session;
    IncidentListModel *m_model = nullptr;
    IncidentFilterProxy *m_proxy = nullptr;
    IncidentTimelineModel *m_timeline = nullptr;
    Incident m_current; // the selected incident with its timeline; id 0: none

    QComboBox *m_stateFilter = nullptr;
    QComboBox *m_severityFilter = nullptr;
    QComboBox *m_serviceFilter = nullptr;
    QLineEdit *m_textFilter = nullptr;
    QLabel *m_count = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_header = nullptr;
    QLabel *m_targets = nullptr;
    QLabel *m_message = nullptr;
    QListView *m_timelineView = nullptr;
    QPushButton *m_ack = nullptr;
    QPushButton *m_note = nullptr;
    QPushButton *m_severity = nullptr;
    QPushButton *m_resolve = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_export = nullptr;
};
