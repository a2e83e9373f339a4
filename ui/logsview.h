#pragma once

#include <QWidget>

class CoreSession;
class LogFollower;
class LogModel;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

// Follows one NDJSON log live: the config's log checks' files and OpsDeck's own failover logs to
// choose from, or any file (Open…). A filter in the log check's language (`level == error`,
// `ok == false`) narrows the lines; a bad one is named inline with its column. Levels are shown in
// colour and word; the selected line's JSON is shown indented beside the table.
//
// Object names for tests: "source" (the file list), "openButton", "filter", "filterError",
// "followBox", "lines" (the table), "details" (the selected line's JSON), "status".
class LogsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogsView)

public:
    explicit LogsView(CoreSession *session, QWidget *parent = nullptr);

    // Follows `path` (from the start of its last 2 MiB), adding it to the list when it is not there.
    void followFile(const QString &path);
    QString currentFile() const;
    LogModel *model() const { return m_model; }
    LogFollower *follower() const { return m_follower; }

private:
    void populateSources();
    void sourceChosen(int index);
    void openFile();
    void applyFilter();
    void showSelected();
    void updateStatus();
    void linesAdded();

    CoreSession *m_session;
    LogFollower *m_follower;
    LogModel *m_model;
    QComboBox *m_source;
    QPushButton *m_open;
    QLineEdit *m_filter;
    QLabel *m_filterError;
    QCheckBox *m_follow;
    QTableView *m_table;
    QPlainTextEdit *m_details;
    QLabel *m_status;
    QString m_notice;  // the follower's last restart (truncation, rotation), for the status line
    QString m_problem; // why the file cannot be read, until lines arrive
};
