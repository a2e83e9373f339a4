#include "resolvedialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

ResolveDialog::ResolveDialog(const Incident &incident, QWidget *parent)
    : QDialog(parent)
    , m_id(incident.id)
{
    setWindowTitle(tr("Resolve incident #%1").arg(incident.id));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Resolve <b>#%1 %2</b> (%3, %4)? It stops its notifications and closes it for good.")
                                 .arg(incident.id)
                                 .arg(incident.title.toHtmlEscaped(), incident.service.toHtmlEscaped(), incident.severity.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    auto *form = new QFormLayout;
    m_note = new QPlainTextEdit(this);
    m_note->setObjectName(QStringLiteral("note"));
    m_note->setAccessibleName(tr("What was done"));
    m_note->setTabChangesFocus(true);
    m_note->setPlaceholderText(tr("Required: what was done to resolve it"));
    m_note->setMinimumHeight(70);
    m_rootCause = new QLineEdit(incident.rootCause, this);
    m_rootCause->setObjectName(QStringLiteral("rootCause"));
    m_rootCause->setAccessibleName(tr("Root cause"));
    m_resolution = new QLineEdit(incident.resolution, this);
    m_resolution->setObjectName(QStringLiteral("resolution"));
    m_resolution->setAccessibleName(tr("Resolution"));
    m_prevention = new QLineEdit(incident.prevention, this);
    m_prevention->setObjectName(QStringLiteral("prevention"));
    m_prevention->setAccessibleName(tr("Prevention"));
    form->addRow(tr("&What was done:"), m_note);
    form->addRow(tr("Root &cause:"), m_rootCause);
    form->addRow(tr("R&esolution:"), m_resolution);
    form->addRow(tr("&Prevention:"), m_prevention);
    layout->addLayout(form);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_resolve = buttons->addButton(tr("&Resolve"), QDialogButtonBox::AcceptRole);
    m_resolve->setObjectName(QStringLiteral("resolveButton"));
    m_resolve->setAccessibleName(tr("Resolve"));
    m_resolve->setEnabled(false);
    connect(m_note, &QPlainTextEdit::textChanged, this,
            [this] { m_resolve->setEnabled(!m_note->toPlainText().trimmed().isEmpty()); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(520, sizeHint().height());
}

IncidentManager::Resolution ResolveDialog::resolution() const
{
    IncidentManager::Resolution r;
    r.text = m_note->toPlainText().trimmed();
    r.rootCause = m_rootCause->text().trimmed();
    r.resolution = m_resolution->text().trimmed();
    r.prevention = m_prevention->text().trimmed();
    return r;
}
