#include "failoverpanel.h"

#include "auditlog.h"
#include "clock.h"
#include "coresession.h"
#include "duration.h"
#include "failovermanager.h"
#include "healthstyle.h"

#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace {

QString when(qint64 ms)
{
    return ms > 0 ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QLocale::ShortFormat) : FailoverPanel::tr("—");
}

QString listOrNone(const QStringList &actions)
{
    return actions.isEmpty() ? FailoverPanel::tr("no actions") : actions.join(QStringLiteral(", "));
}

} // namespace

FailoverPanel::FailoverPanel(CoreSession *session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("<b>Failover</b>"), this));

    auto *stateRow = new QHBoxLayout;
    m_stateIcon = new QLabel(this);
    m_stateIcon->setFixedSize(16, 16);
    stateRow->addWidget(m_stateIcon, 0, Qt::AlignTop);
    m_state = new QLabel(this);
    m_state->setObjectName(QStringLiteral("failoverState"));
    m_state->setWordWrap(true);
    m_state->setTextFormat(Qt::PlainText);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_state->setAccessibleName(tr("Failover state"));
    stateRow->addWidget(m_state, 1);
    layout->addLayout(stateRow);

    auto *buttons = new QHBoxLayout;
    m_failover = new QPushButton(tr("&Fail over now…"), this);
    m_failover->setObjectName(QStringLiteral("failoverButton"));
    m_failover->setAccessibleName(tr("Fail over now"));
    m_failback = new QPushButton(tr("Fail &back…"), this);
    m_failback->setObjectName(QStringLiteral("failbackButton"));
    m_failback->setAccessibleName(tr("Fail back"));
    m_drill = new QPushButton(tr("&Test (drill)…"), this);
    m_drill->setObjectName(QStringLiteral("drillButton"));
    m_drill->setAccessibleName(tr("Test failover (drill)"));
    m_drill->setToolTip(tr("Exercises the whole failover path as a dry run: probes both sides, runs no action for real"));
    for (QPushButton *b : {m_failover, m_failback, m_drill})
        buttons->addWidget(b);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(m_failover, &QPushButton::clicked, this, [this] { confirm(Request::Failover); });
    connect(m_failback, &QPushButton::clicked, this, [this] { confirm(Request::Failback); });
    connect(m_drill, &QPushButton::clicked, this, [this] { confirm(Request::Drill); });

    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("failoverResult"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_result->setAccessibleName(tr("Failover result"));
    layout->addWidget(m_result);

    layout->addWidget(new QLabel(tr("Transitions (newest first):"), this));
    m_log = new QListWidget(this);
    m_log->setObjectName(QStringLiteral("failoverLog"));
    m_log->setAccessibleName(tr("Failover transitions"));
    m_log->setMinimumHeight(60);
    m_log->setMaximumHeight(120);
    m_log->setWordWrap(true);
    layout->addWidget(m_log, 1);

    if (FailoverManager *manager = session->failover())
        connect(manager, &FailoverManager::transition, this, &FailoverPanel::showTransition);
    hide();
}

void FailoverPanel::setService(const QString &service)
{
    if (m_stateConnection)
        disconnect(m_stateConnection);
    if (service != m_service) {
        m_log->clear();
        m_result->clear();
    }
    m_service = service;
    m_controller = m_session->failover() ? m_session->failover()->controller(service) : nullptr;
    if (m_controller)
        m_stateConnection = connect(m_controller.data(), &FailoverController::stateChanged, this, &FailoverPanel::showState);
    setVisible(m_controller != nullptr);
    showState();
}

void FailoverPanel::showState()
{
    if (!m_controller) {
        m_state->clear();
        return;
    }
    const FailoverConfig &f = m_controller->config();
    const FailoverState &s = m_controller->state();
    QStringList lines;
    if (!m_controller->stateError().isEmpty()) {
        m_stateIcon->setPixmap(HealthStyle::icon(Health::Unknown).pixmap(16, 16));
        lines << tr("The state file cannot be read: %1").arg(m_controller->stateError());
    } else {
        const bool troubled = s.phase == FailoverState::Phase::FailoverFailed || s.phase == FailoverState::Phase::FailbackFailed
            || s.phase == FailoverState::Phase::WaitingForFallback;
        const Health look = troubled ? Health::Down : s.failoverActive || s.inTransition() ? Health::Degraded : Health::Ok;
        m_stateIcon->setPixmap(HealthStyle::icon(look).pixmap(16, 16));
        lines << (s.failoverActive ? tr("Failed over to the fallback `%1` (primary `%2`)").arg(f.fallback, f.primary)
                                   : tr("On the primary `%1` (fallback `%2`)").arg(f.primary, f.fallback));
        QString phase = tr("Phase: %1").arg(failoverPhaseName(s.phase));
        if (s.inTransition() || s.phase == FailoverState::Phase::FailoverFailed || s.phase == FailoverState::Phase::FailbackFailed) {
            const bool forward = s.phase == FailoverState::Phase::FailingOver || s.phase == FailoverState::Phase::FailoverFailed;
            const QStringList &list = forward ? f.actions : f.failbackActions;
            phase += tr(" — step %1 of %2").arg(qMin(s.step + 1, int(list.size()))).arg(list.size());
            if (s.step < list.size())
                phase += tr(": %1").arg(list.at(s.step));
        }
        phase += tr(" · since %1").arg(when(s.sinceMs));
        lines << phase;
        lines << tr("Mode: %1 · primary failures: %2 (trigger: %3 within %4) · failovers so far: %5")
                     .arg(failoverModeName(f.mode))
                     .arg(s.consecutiveFailures)
                     .arg(f.triggerFailures)
                     .arg(Duration::format(f.triggerWindowMs))
                     .arg(s.failovers);
        if (s.phase == FailoverState::Phase::Active)
            lines << tr("Primary healthy since %1 (fails back after %2)").arg(when(s.primaryHealthySinceMs), Duration::format(f.failbackAfterMs));
        if (s.phase == FailoverState::Phase::Watching)
            lines << tr("Watching for a relapse until %1").arg(when(s.watchUntilMs));
        if (!s.lastError.isEmpty())
            lines << tr("Last error: %1").arg(s.lastError);
    }
    m_state->setText(lines.join(u'\n'));
    const bool idle = !m_controller->isBusy();
    const bool off = f.mode == FailoverConfig::Mode::Off;
    m_failover->setEnabled(idle && !off);
    m_failback->setEnabled(idle && !off);
    m_drill->setEnabled(idle && !off);
    if (off)
        m_failover->setToolTip(tr("Failover is off for this service (mode: off)"));
}

void FailoverPanel::confirm(Request request)
{
    if (!m_controller)
        return;
    const FailoverConfig &f = m_controller->config();
    QString title, text;
    switch (request) {
    case Request::Failover:
        title = tr("Fail over %1?").arg(m_service);
        text = tr("Fail %1 over from `%2` to `%3`.\n\nThe fallback `%3` is probed first; if it is healthy these actions run in "
                  "order, stopping at the first that fails: %4.")
                   .arg(m_service, f.primary, f.fallback, listOrNone(f.actions));
        break;
    case Request::Failback:
        title = tr("Fail %1 back?").arg(m_service);
        text = tr("Fail %1 back from `%2` to `%3`.\n\nThe primary `%3` is probed first; then these actions run in order: %4.")
                   .arg(m_service, f.fallback, f.primary, listOrNone(f.failbackActions));
        break;
    case Request::Drill:
        title = tr("Run a failover drill for %1?").arg(m_service);
        text = tr("Exercise %1's failover path as a drill: probe `%2` and `%3`, and run %4 and %5 as dry runs. Nothing is "
                  "switched; a report is written.")
                   .arg(m_service, f.fallback, f.primary, listOrNone(f.actions), listOrNone(f.failbackActions));
        break;
    }
    auto *box = new QMessageBox(QMessageBox::Question, title, text, QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("failoverConfirm"));
    box->setDefaultButton(QMessageBox::Cancel); // Enter alone never switches traffic
    box->button(QMessageBox::Yes)->setText(request == Request::Failover ? tr("Fail over")
                                           : request == Request::Failback ? tr("Fail back")
                                                                          : tr("Run drill"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, request](int) {
        if (box->clickedButton() == box->button(QMessageBox::Yes))
            start(request);
    });
    m_confirm = box;
    box->open();
}

void FailoverPanel::start(Request request)
{
    if (!m_controller)
        return;
    for (QPushButton *b : {m_failover, m_failback, m_drill})
        b->setEnabled(false);
    m_result->setText(request == Request::Drill ? tr("Running the drill…") : tr("Working…"));
    QPointer<FailoverPanel> self(this);
    auto done = [self](const FailoverController::Outcome &o) {
        if (!self)
            return;
        QString text = (o.ok ? tr("Done: %1") : tr("Not done: %1")).arg(o.message);
        if (!o.reportPath.isEmpty())
            text += u'\n' + tr("Drill report: %1").arg(o.reportPath);
        self->m_result->setText(text);
        self->showState();
        emit self->finished(o.ok, o.message);
    };
    const QString actor = currentActor();
    switch (request) {
    case Request::Failover: m_controller->failoverNow(actor, done); break;
    case Request::Failback: m_controller->failbackNow(actor, done); break;
    case Request::Drill: m_controller->drill(actor, done); break;
    }
}

void FailoverPanel::showTransition(const QString &service, const QString &event, const QString &text)
{
    if (service != m_service)
        return;
    m_log->insertItem(0, tr("%1  %2: %3").arg(QLocale().toString(QDateTime::fromMSecsSinceEpoch(m_session->clock()->nowMs()).time(), QLocale::ShortFormat), event, text));
    while (m_log->count() > 50)
        delete m_log->takeItem(m_log->count() - 1);
    showState();
}
