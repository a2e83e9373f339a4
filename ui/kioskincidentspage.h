#pragma once

#include "kioskpage.h"

class CoreSession;
class IncidentListModel;
class KioskPinLock;
class QLabel;
class QPushButton;
class QVBoxLayout;

// The open incidents, unacknowledged first and then oldest first: severity, service and title, how
// long each has been open, and whether someone acknowledged it. While the kiosk is unlocked each
// unacknowledged one offers Acknowledge (through the incident manager, as the OS user, audited).
// Object names for tests: "incidentRow" per row, "acknowledgeButton" in it.
class KioskIncidentsPage final : public KioskPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KioskIncidentsPage)

public:
    KioskIncidentsPage(CoreSession *session, IncidentListModel *model, KioskPinLock *lock, QWidget *parent = nullptr);

    QString title() const override;
    int subPageCount() const override;
    // Acknowledges incident `id` as the OS user; refused (false, and `error` says why) while locked.
    bool acknowledge(qint64 id, QString *error = nullptr);
    QList<qint64> visibleIds() const;

protected:
    void refresh() override;

private:
    struct RowWidgets
    {
        QWidget *row = nullptr;
        QLabel *severity = nullptr;
        QLabel *what = nullptr;
        QLabel *age = nullptr;
        QLabel *state = nullptr;
        QPushButton *ack = nullptr;
        qint64 id = 0;
    };
    QList<int> openRows() const; // model rows, in the order shown
    int rowsPerSubPage() const;
    void ensureRows(int count);

    CoreSession *m_session;
    IncidentListModel *m_model;
    KioskPinLock *m_lock;
    QVBoxLayout *m_layout = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_error = nullptr;
    QList<RowWidgets> m_rows;
};
