#include "messagetemplatedialog.h"

#include "incidenttemplates.h"

#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

MessageTemplateDialog::MessageTemplateDialog(const Incident &incident, QWidget *parent)
    : QDialog(parent)
    , m_incident(incident)
{
    setWindowTitle(tr("Message for incident #%1").arg(incident.id));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_template = new QComboBox(this);
    m_template->setObjectName(QStringLiteral("template"));
    m_template->setAccessibleName(tr("Message template"));
    m_template->addItem(tr("Incident Detected"), QStringLiteral("detected"));
    m_template->addItem(tr("Incident Resolved"), QStringLiteral("resolved"));
    m_template->setCurrentIndex(incident.isOpen() ? 0 : 1);
    m_eta = new QLineEdit(this);
    m_eta->setObjectName(QStringLiteral("eta"));
    m_eta->setAccessibleName(tr("ETA"));
    m_eta->setPlaceholderText(tr("Unknown"));
    form->addRow(tr("&Template:"), m_template);
    form->addRow(tr("&ETA:"), m_eta);
    layout->addLayout(form);
    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setAccessibleName(tr("Message preview"));
    m_preview->setReadOnly(true);
    m_preview->setMinimumHeight(130);
    layout->addWidget(m_preview);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *copy = buttons->addButton(tr("&Copy to clipboard"), QDialogButtonBox::AcceptRole);
    copy->setObjectName(QStringLiteral("copyButton"));
    copy->setAccessibleName(tr("Copy to clipboard"));
    copy->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        QGuiApplication::clipboard()->setText(text());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_template, &QComboBox::currentIndexChanged, this, &MessageTemplateDialog::render);
    connect(m_eta, &QLineEdit::textChanged, this, &MessageTemplateDialog::render);
    render();
    resize(520, sizeHint().height());
}

QString MessageTemplateDialog::text() const
{
    return m_template->currentData().toString() == u"detected" ? IncidentTemplates::detected(m_incident, m_eta->text().trimmed())
                                                                 : IncidentTemplates::resolved(m_incident);
}

void MessageTemplateDialog::render()
{
    m_eta->setEnabled(m_template->currentData().toString() == u"detected");
    m_preview->setPlainText(text());
}
