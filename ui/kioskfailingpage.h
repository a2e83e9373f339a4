#pragma once

#include "health.h"
#include "kioskpage.h"

class ActionDialog;
class CheckTableModel;
class CoreSession;
class KioskPinLock;
class QLabel;
class QPushButton;
class QHBoxLayout;
class ServiceTileModel;

// One sub-page per failing (degraded or down) service, worst first: its state, and each check that
// is not ok with the condition that failed and the value it got. While the kiosk is unlocked the
// service's actions are offered as buttons that open the action dialog (which shows what will run
// and is the confirmation). No failing service: no sub-page, so the rotation skips it.
// Object names for tests: "failingService", "failingCheck" (one label per check), "actionButton".
class KioskFailingPage final : public KioskPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KioskFailingPage)

public:
    KioskFailingPage(CoreSession *session, ServiceTileModel *tiles, KioskPinLock *lock, QWidget *parent = nullptr);

    QString title() const override;
    int subPageCount() const override;
    QString service() const { return m_service; } // the one shown now
    // Opens the action dialog for `action` of the shown service; refused (null, `error` says why)
    // while locked.
    ActionDialog *runAction(const QString &action, QString *error = nullptr);

protected:
    void refresh() override;

private:
    QStringList failing() const; // worst first

    CoreSession *m_session;
    ServiceTileModel *m_tiles;
    KioskPinLock *m_lock;
    CheckTableModel *m_checks;
    QString m_service;
    QLabel *m_heading = nullptr;
    QLabel *m_icon = nullptr;
    QList<QLabel *> m_checkLabels;
    QWidget *m_actions = nullptr;
    QHBoxLayout *m_actionLayout = nullptr;
    QList<QPushButton *> m_actionButtons;
    QLabel *m_error = nullptr;
};
