#pragma once

#include "incidentmanager.h"

#include <QDialog>

class QLineEdit;
class QPlainTextEdit;
class QPushButton;

// Asks for what resolving an incident needs — what was done (required), and the root cause,
// resolution and prevention the postmortem and the "Resolved" message are filled from. Its
// Resolve button is the confirmation.
class ResolveDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResolveDialog)

public:
    ResolveDialog(const Incident &incident, QWidget *parent = nullptr);

    IncidentManager::Resolution resolution() const;
    qint64 incidentId() const { return m_id; }

private:
    qint64 m_id;
    QPlainTextEdit *m_note;
    QLineEdit *m_rootCause;
    QLineEdit *m_resolution;
    QLineEdit *m_prevention;
    QPushButton *m_resolve;
};
