#pragma once

#include "failovercontroller.h"

#include <QPointer>
#include <QWidget>

class CoreSession;
class QLabel;
class QListWidget;
class QMessageBox;
class QPushButton;

// A service's edge failover: where it stands (on the primary or the fallback, the phase and the
// action step of a transition, the failure count against the trigger, the mode) and the three
// things an operator does by hand — fail over now, fail back, run a drill — each after a
// confirmation that says what will happen, run by the service's FailoverController (as
// `opsdeckctl failover now|back|test` does), with its outcome shown. Follows the controller's
// signals, so changes made by another program (through the state file) show up too.
//
// Object names for tests: "failoverState", "failoverButton", "failbackButton", "drillButton",
// "failoverResult", "failoverLog"; the confirmation is a QMessageBox named "failoverConfirm".
class FailoverPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FailoverPanel)

public:
    explicit FailoverPanel(CoreSession *session, QWidget *parent = nullptr);

    // Follows the service's controller; hidden when the service has no `failover:`.
    void setService(const QString &service);
    QString service() const { return m_service; }
    FailoverController *controller() const { return m_controller; }

signals:
    // A transition or drill this panel started has ended.
    void finished(bool ok, const QString &message);

private:
    enum class Request { Failover, Failback, Drill };
    void confirm(Request request);
    void start(Request request);
    void showState();
    void showTransition(const QString &service, const QString &event, const QString &text);

    CoreSession *m_session;
    QString m_service;
    QPointer<FailoverController> m_controller;
    QMetaObject::Connection m_stateConnection;
    QPointer<QMessageBox> m_confirm;
    QLabel *m_stateIcon;
    QLabel *m_state;
    QLabel *m_result;
    QListWidget *m_log;
    QPushButton *m_failover;
    QPushButton *m_failback;
    QPushButton *m_drill;
};
