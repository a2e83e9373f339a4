#pragma once

#include "actionrunner.h"
#include "health.h"

#include <QDialog>
#include <QHash>
#include <QString>
#include <QStringDecoder>

class ActionParamForm;
class CoreSession;
class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

// Runs one action of a service on the operator's behalf, through CoreSession::actions()
// (ActionRunner): a form for the action's typed parameters (if any), the exact preview of what will
// run (ActionRunner::prepare(), refreshed as parameters change, secrets masked; invalid parameters
// named inline and Run disabled), a Run button that is the confirmation, then live output
// (ActionRunner::runOutput) and the result (status, exit code, duration, summary). Refusals (already
// running elsewhere, …) are shown in the dialog, never swallowed. Nothing runs before Run is pressed.
//
// Object names for tests: "params" (the form), "preview", "problem" (why it cannot run),
// "confirmBox" (only for actions that ask for explicit confirmation), "runButton", "stopButton",
// "closeButton", "output", "result".
class ActionDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActionDialog)

public:
    ActionDialog(CoreSession *session, const QString &service, const QString &action, QWidget *parent = nullptr);
    void setParams(const QHash<QString, QString> &params); // pre-fill, e.g. a restore's `from`
    void setReason(const QString &reason);                // goes to the audit log/timeline ("runbook", "backups view", …)
    qint64 runId() const { return m_runId; }              // 0 until started
    // Creates one with WA_DeleteOnClose and open()s it (window-modal, non-blocking).
    static ActionDialog *launch(CoreSession *session, const QString &service, const QString &action, QWidget *parent);

signals:
    void runStarted(qint64 runId);
    void runFinished(const ActionRun &run);

private:
    ActionRunner::Request request() const;
    void refreshPreview();
    void updateButtons();
    void run();
    void showOutput(qint64 runId, const QByteArray &chunk);
    void showFinished(const ActionRun &run);
    void showResult(Health look, const QString &text);

    CoreSession *m_session;
    QString m_service;
    QString m_action;
    QString m_reason;
    bool m_valid = false;
    bool m_needsConfirmation = false;
    bool m_done = false;
    qint64 m_runId = 0;
    QStringDecoder m_decoder{QStringDecoder::Utf8};

    ActionParamForm *m_form = nullptr;
    QPlainTextEdit *m_preview = nullptr;
    QLabel *m_problem = nullptr;
    QCheckBox *m_confirm = nullptr;
    QPlainTextEdit *m_output = nullptr;
    QLabel *m_resultIcon = nullptr;
    QLabel *m_result = nullptr;
    QPushButton *m_runButton = nullptr;
    QPushButton *m_stopButton = nullptr;
    QPushButton *m_closeButton = nullptr;
};
