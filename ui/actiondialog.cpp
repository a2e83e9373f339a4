#include "actiondialog.h"

#include "actionparamform.h"
#include "coresession.h"
#include "healthstyle.h"

#include <QCheckBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QVBoxLayout>

namespace {

QString durationText(qint64 ms)
{
    if (ms < 1000)
        return ActionDialog::tr("%1 ms").arg(ms);
    if (ms < 60'000)
        return ActionDialog::tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 1);
    return ActionDialog::tr("%1 min %2 s").arg(ms / 60'000).arg((ms % 60'000) / 1000);
}

// How a run's status looks: the shape and colour of the health state closest in meaning.
Health lookOf(const QString &status)
{
    if (status == u"succeeded")
        return Health::Ok;
    if (status == u"failed" || status == u"timeout")
        return Health::Down;
    if (status == u"running")
        return Health::Unknown;
    return Health::Degraded; // cancelled, interrupted, refused
}

QString statusText(const QString &status)
{
    if (status == u"succeeded")
        return ActionDialog::tr("Succeeded");
    if (status == u"failed")
        return ActionDialog::tr("Failed");
    if (status == u"timeout")
        return ActionDialog::tr("Timed out");
    if (status == u"cancelled")
        return ActionDialog::tr("Cancelled");
    if (status == u"interrupted")
        return ActionDialog::tr("Interrupted");
    if (status == u"refused")
        return ActionDialog::tr("Refused");
    return status;
}

QPlainTextEdit *monospaceText(QWidget *parent)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    // Read-only text is still reachable and selectable from the keyboard.
    edit->setTextInteractionFlags(Qt::TextSelectableByKeyboard | Qt::TextSelectableByMouse);
    return edit;
}

} // namespace

ActionDialog::ActionDialog(CoreSession *session, const QString &service, const QString &action, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_service(service)
    , m_action(action)
{
    setWindowTitle(tr("Run %1 — %2").arg(action, service));
    setAccessibleName(windowTitle());
    const ServiceConfig *svc = session->config().service(service);
    const ActionConfig *config = svc ? svc->action(action) : nullptr;

    auto *layout = new QVBoxLayout(this);
    auto *heading = new QLabel(tr("<b>%1</b> on <b>%2</b>").arg(action.toHtmlEscaped(), service.toHtmlEscaped()), this);
    layout->addWidget(heading);
    if (config && !config->description.isEmpty()) {
        auto *description = new QLabel(config->description, this);
        description->setWordWrap(true);
        description->setTextFormat(Qt::PlainText);
        layout->addWidget(description);
    }

    m_form = new ActionParamForm(config ? *config : ActionConfig{}, this);
    m_form->setObjectName(QStringLiteral("params"));
    m_form->setVisible(!m_form->isEmpty());
    layout->addWidget(m_form);
    connect(m_form, &ActionParamForm::changed, this, &ActionDialog::refreshPreview);

    auto *previewLabel = new QLabel(tr("What will run:"), this);
    layout->addWidget(previewLabel);
    m_preview = monospaceText(this);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setAccessibleName(tr("What will run"));
    m_preview->setMaximumHeight(m_preview->fontMetrics().lineSpacing() * 6 + 12);
    previewLabel->setBuddy(m_preview);
    layout->addWidget(m_preview);

    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setAccessibleName(tr("Why it cannot run"));
    QPalette problemPalette = m_problem->palette();
    problemPalette.setColor(QPalette::WindowText, HealthStyle::color(Health::Down));
    m_problem->setPalette(problemPalette);
    m_problem->hide();
    layout->addWidget(m_problem);

    m_confirm = new QCheckBox(tr("This action asks for explicit confirmation: I have read what will run, run it"), this);
    m_confirm->setObjectName(QStringLiteral("confirmBox"));
    m_confirm->setAccessibleName(tr("Confirm"));
    m_confirm->hide();
    connect(m_confirm, &QCheckBox::toggled, this, &ActionDialog::updateButtons);
    layout->addWidget(m_confirm);

    auto *outputLabel = new QLabel(tr("Output:"), this);
    layout->addWidget(outputLabel);
    m_output = monospaceText(this);
    m_output->setObjectName(QStringLiteral("output"));
    m_output->setAccessibleName(tr("Output"));
    m_output->setPlaceholderText(tr("The output appears here while it runs."));
    m_output->setMaximumBlockCount(20'000); // the runner caps what it keeps; this bounds what is drawn
    outputLabel->setBuddy(m_output);
    layout->addWidget(m_output, 1);

    auto *resultRow = new QHBoxLayout;
    m_resultIcon = new QLabel(this);
    m_resultIcon->setFixedSize(18, 18);
    resultRow->addWidget(m_resultIcon, 0, Qt::AlignTop);
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("result"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_result->setAccessibleName(tr("Result"));
    resultRow->addWidget(m_result, 1);
    layout->addLayout(resultRow);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    m_runButton = new QPushButton(tr("&Run"), this);
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_runButton->setAccessibleName(tr("Run"));
    m_stopButton = new QPushButton(tr("&Stop"), this);
    m_stopButton->setObjectName(QStringLiteral("stopButton"));
    m_stopButton->setAccessibleName(tr("Stop"));
    m_stopButton->setToolTip(tr("Ends the run and its whole process group"));
    m_stopButton->hide();
    m_closeButton = new QPushButton(tr("&Close"), this);
    m_closeButton->setObjectName(QStringLiteral("closeButton"));
    m_closeButton->setAccessibleName(tr("Close"));
    // Enter in a parameter field must never run anything: only a press of Run does.
    for (QPushButton *b : {m_runButton, m_stopButton, m_closeButton}) {
        b->setAutoDefault(false);
        b->setDefault(false);
        buttons->addWidget(b);
    }
    layout->addLayout(buttons);
    connect(m_runButton, &QPushButton::clicked, this, &ActionDialog::run);
    connect(m_stopButton, &QPushButton::clicked, this, [this] {
        if (m_runId > 0)
            m_session->actions()->cancel(m_runId);
    });
    connect(m_closeButton, &QPushButton::clicked, this, &QDialog::close);

    if (ActionRunner *runner = session->actions()) {
        connect(runner, &ActionRunner::runOutput, this, &ActionDialog::showOutput);
        connect(runner, &ActionRunner::runFinished, this, &ActionDialog::showFinished);
        if (runner->isRunning(service, action))
            showResult(Health::Degraded, tr("%1 is running now; Run is refused until that run ends.").arg(action));
    }
    resize(720, 560);
    refreshPreview();
}

ActionDialog *ActionDialog::launch(CoreSession *session, const QString &service, const QString &action, QWidget *parent)
{
    auto *dialog = new ActionDialog(session, service, action, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void ActionDialog::setParams(const QHash<QString, QString> &params)
{
    m_form->setValues(params);
    refreshPreview();
}

void ActionDialog::setReason(const QString &reason)
{
    m_reason = reason;
}

ActionRunner::Request ActionDialog::request() const
{
    ActionRunner::Request r;
    r.service = m_service;
    r.action = m_action;
    r.params = m_form->values();
    r.reason = m_reason;
    return r;
}

void ActionDialog::refreshPreview()
{
    if (m_runId > 0)
        return; // what ran stays on screen
    ActionRunner *runner = m_session->actions();
    QString error;
    std::optional<ActionRunner::Prepared> prepared;
    if (!runner)
        error = tr("the history store is not open, and every run is recorded there");
    else
        prepared = runner->prepare(request(), &error);
    m_valid = prepared.has_value();
    if (prepared) {
        m_preview->setPlainText(prepared->preview.join(u'\n'));
        m_needsConfirmation = prepared->needsConfirmation;
        m_problem->clear();
        m_problem->hide();
    } else {
        m_preview->clear();
        m_preview->setPlaceholderText(tr("Nothing can run until the problem below is fixed."));
        m_problem->setText(tr("Cannot run: %1").arg(error));
        m_problem->show();
    }
    m_confirm->setVisible(m_needsConfirmation);
    updateButtons();
}

void ActionDialog::updateButtons()
{
    const bool running = m_runId > 0 && !m_done;
    m_runButton->setEnabled(m_valid && m_runId == 0 && (!m_needsConfirmation || m_confirm->isChecked()));
    m_runButton->setVisible(!running);
    m_stopButton->setVisible(running);
    m_form->setEnabled(m_runId == 0);
    m_confirm->setEnabled(m_runId == 0);
    m_closeButton->setToolTip(running ? tr("Closes this window; the run goes on and is recorded") : QString());
}

void ActionDialog::run()
{
    ActionRunner *runner = m_session->actions();
    if (!runner || !m_valid)
        return;
    ActionRunner::Request r = request();
    // Pressing Run after reading the preview is the operator's confirmation; actions that ask for
    // more also needed the box ticked to get here.
    r.confirmed = true;
    QString error;
    const qint64 id = runner->run(r, &error);
    if (id == 0) {
        showResult(Health::Degraded, tr("Not run: %1").arg(error));
        return;
    }
    m_runId = id;
    m_output->clear();
    showResult(Health::Unknown, tr("Running (run #%1)…").arg(id));
    updateButtons();
    m_stopButton->setFocus();
    emit runStarted(id);
    // A run that ended before we knew its id (a dry run finishes on the next turn, so this is rare).
    if (const auto stored = runner->get(id); stored && stored->status != u"running")
        showFinished(*stored);
}

void ActionDialog::showOutput(qint64 runId, const QByteArray &chunk)
{
    if (runId != m_runId || m_runId == 0)
        return;
    const bool atEnd = m_output->verticalScrollBar()->value() == m_output->verticalScrollBar()->maximum();
    QTextCursor cursor(m_output->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(m_decoder.decode(chunk));
    if (atEnd)
        m_output->verticalScrollBar()->setValue(m_output->verticalScrollBar()->maximum());
}

void ActionDialog::showFinished(const ActionRun &run)
{
    if (run.id != m_runId || m_runId == 0 || m_done)
        return;
    m_done = true;
    // What the runner kept is the truth when chunks were dropped (nothing streamed, e.g. HTTP).
    if (m_output->document()->isEmpty() && !run.output.isEmpty())
        m_output->setPlainText(QString::fromUtf8(run.output));
    QString text = tr("%1 — exit code %2 — %3").arg(statusText(run.status)).arg(run.exitCode).arg(durationText(run.durationMs()));
    if (!run.summary.isEmpty())
        text += tr(": %1").arg(run.summary);
    if (run.incidentId > 0)
        text += u'\n' + tr("Written into the timeline of incident #%1.").arg(run.incidentId);
    showResult(lookOf(run.status), text);
    updateButtons();
    m_closeButton->setFocus();
    emit runFinished(run);
}

void ActionDialog::showResult(Health look, const QString &text)
{
    m_resultIcon->setPixmap(HealthStyle::icon(look).pixmap(16, 16));
    m_result->setText(text);
}
