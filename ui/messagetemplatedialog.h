#pragma once

#include "incident.h"

#include <QDialog>

class QComboBox;
class QLineEdit;
class QPlainTextEdit;

// The runbooks' status messages ("Incident Detected", "Incident Resolved") filled in from an
// incident by core's templates, previewed exactly as they will be pasted; Copy puts the text on
// the clipboard.
class MessageTemplateDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageTemplateDialog)

public:
    MessageTemplateDialog(const Incident &incident, QWidget *parent = nullptr);

    QString text() const;

private:
    void render();

    Incident m_incident;
    QComboBox *m_template;
    QLineEdit *m_eta;
    QPlainTextEdit *m_preview;
};
