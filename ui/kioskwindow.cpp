#include "kioskwindow.h"

#include "clock.h"
#include "coresession.h"
#include "fleetsummary.h"
#include "healthstyle.h"
#include "incidentlistmodel.h"
#include "kioskbudgetspage.h"
#include "kioskfailingpage.h"
#include "kioskfreshness.h"
#include "kioskincidentspage.h"
#include "kioskoverviewpage.h"
#include "kioskpinlock.h"
#include "kioskpinpad.h"
#include "servicetilemodel.h"

#include <QCloseEvent>
#include <QDateTime>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScreen>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QWindow>

namespace {
// Room for the burn-in shift on every side, so shifting never pushes anything off the screen.
constexpr int kShift = 4;
// A closed walk within ±kShift, each step small enough not to be noticed from across the room.
const QPoint kOffsets[] = {{0, 0}, {2, 1}, {4, -1}, {3, 3}, {0, 4}, {-3, 2}, {-4, -1}, {-2, -4}, {1, -3}};
} // namespace

KioskWindow::KioskWindow(CoreSession *session, FleetSummary *summary, const KioskOptions &options, QWidget *parent)
    : QWidget(parent, Qt::Window | Qt::FramelessWindowHint)
    , m_session(session)
    , m_summary(summary)
    , m_options(options)
    , m_tiles(new ServiceTileModel(session, this))
    , m_freshness(new KioskFreshness(session, this))
    , m_lock(new KioskPinLock(session->secrets(), options.unlockForMs, this))
{
    setObjectName(QStringLiteral("kioskWindow"));
    setWindowTitle(tr("OpsDeck kiosk"));
    setAccessibleName(tr("OpsDeck wall display"));
    setCursor(Qt::BlankCursor);
    setFocusPolicy(Qt::StrongFocus);
    setAutoFillBackground(true);
    if (session->incidents() && session->incidentStore())
        m_incidents = new IncidentListModel(session->incidents(), session->incidentStore(), session->clock(), this);

    m_content = new QWidget(this);
    auto *layout = new QVBoxLayout(m_content);
    layout->setContentsMargins(0, 0, 0, 0);
    buildHeader(m_content);

    m_stack = new QStackedWidget(m_content);
    layout->addWidget(m_stack, 1);
    for (KioskSettings::Page kind : options.pages) {
        KioskPage *page = nullptr;
        switch (kind) {
        case KioskSettings::Page::Overview: page = new KioskOverviewPage(m_tiles, m_freshness, m_stack); break;
        case KioskSettings::Page::Budgets: page = new KioskBudgetsPage(m_tiles, session->slo(), m_freshness, m_stack); break;
        case KioskSettings::Page::Incidents: page = new KioskIncidentsPage(session, m_incidents, m_lock, m_stack); break;
        case KioskSettings::Page::Failing: page = new KioskFailingPage(session, m_tiles, m_lock, m_stack); break;
        }
        m_stack->addWidget(page);
        m_pages << page;
        connect(page, &KioskPage::contentChanged, this, [this, page] {
            if (page != currentPage())
                return;
            // The screen shown may have gone (its failing service recovered): move on.
            if (currentSubPage() >= page->subPageCount())
                step(+1);
            else
                updateHeader();
        });
    }

    auto *footer = new QHBoxLayout;
    m_pageTitle = new QLabel(m_content);
    m_pageTitle->setObjectName(QStringLiteral("pageTitle"));
    m_lockNote = new QLabel(m_content);
    m_lockNote->setObjectName(QStringLiteral("lockNote"));
    m_lockNote->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_lockNote->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_previous = new QPushButton(tr("‹ Previous"), m_content);
    m_previous->setObjectName(QStringLiteral("previousButton"));
    m_previous->setAccessibleName(tr("Previous page"));
    connect(m_previous, &QPushButton::clicked, this, &KioskWindow::previous);
    m_next = new QPushButton(tr("Next ›"), m_content);
    m_next->setObjectName(QStringLiteral("nextButton"));
    m_next->setAccessibleName(tr("Next page"));
    connect(m_next, &QPushButton::clicked, this, &KioskWindow::next);
    footer->addWidget(m_pageTitle);
    footer->addWidget(m_lockNote, 1);
    footer->addWidget(m_previous);
    footer->addWidget(m_next);
    layout->addLayout(footer);

    m_pad = new KioskPinPad(this);
    connect(m_pad, &KioskPinPad::submitted, this, [this](const QString &pin, KioskPinLock::Purpose purpose) {
        m_pad->setBusy(true);
        m_lock->submit(pin, purpose);
    });
    connect(m_pad, &KioskPinPad::cancelled, this, [this] {
        m_pad->hide();
        setFocus();
    });
    connect(m_lock, &KioskPinLock::accepted, this, [this](KioskPinLock::Purpose purpose) {
        m_pad->hide();
        setFocus();
        if (purpose == KioskPinLock::Purpose::Exit) {
            m_leaving = true;
            emit exitRequested();
            close();
        }
    });
    connect(m_lock, &KioskPinLock::refused, this, [this](KioskPinLock::Purpose, const QString &why) {
        m_pad->setBusy(false);
        m_pad->showMessage(why);
    });
    connect(m_lock, &KioskPinLock::lockChanged, this, &KioskWindow::updateLock);
    connect(m_lock, &KioskPinLock::pinStateChanged, this, &KioskWindow::updateLock);
    connect(m_freshness, &KioskFreshness::changed, this, &KioskWindow::updateFreshness);
    connect(summary, &FleetSummary::changed, this, &KioskWindow::updateHeader);

    m_rotate.setInterval(int(options.dwellMs));
    connect(&m_rotate, &QTimer::timeout, this, [this] {
        // Someone is at the screen: the page stays where they put it.
        if (!m_lock->isUnlocked() && m_pad->isHidden())
            step(+1);
    });
    m_rotate.start();
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        updateHeader();
        updateLock();
    });
    m_tick.start();
    if (options.burnInShift) {
        m_burnIn.setInterval(options.burnInIntervalMs);
        connect(&m_burnIn, &QTimer::timeout, this, &KioskWindow::shiftBurnIn);
        m_burnIn.start();
    }

    applyTypography();
    showSlot(0, 0);
    updateFreshness();
    updateLock();
}

KioskWindow::~KioskWindow() = default;

void KioskWindow::buildHeader(QWidget *content)
{
    auto *layout = qobject_cast<QVBoxLayout *>(content->layout());
    auto *header = new QHBoxLayout;
    m_stateIcon = new QLabel(content);
    m_summaryLabel = new QLabel(content);
    m_summaryLabel->setObjectName(QStringLiteral("summary"));
    m_summaryLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_updated = new QLabel(content);
    m_updated->setObjectName(QStringLiteral("updated"));
    m_clock = new QLabel(content);
    m_clock->setObjectName(QStringLiteral("clock"));
    m_unlock = new QPushButton(tr("Unlock"), content);
    m_unlock->setObjectName(QStringLiteral("unlockButton"));
    m_unlock->setAccessibleName(tr("Unlock with the PIN"));
    connect(m_unlock, &QPushButton::clicked, this, [this] { askPin(int(KioskPinLock::Purpose::Unlock)); });
    m_lockButton = new QPushButton(tr("Lock"), content);
    m_lockButton->setObjectName(QStringLiteral("lockButton"));
    m_lockButton->setAccessibleName(tr("Lock now"));
    connect(m_lockButton, &QPushButton::clicked, m_lock, &KioskPinLock::lock);
    m_exit = new QPushButton(tr("Exit"), content);
    m_exit->setObjectName(QStringLiteral("exitButton"));
    m_exit->setAccessibleName(tr("Leave kiosk mode (asks for the PIN)"));
    connect(m_exit, &QPushButton::clicked, this, [this] { askPin(int(KioskPinLock::Purpose::Exit)); });
    header->addWidget(m_stateIcon);
    header->addWidget(m_summaryLabel, 1);
    header->addWidget(m_updated);
    header->addWidget(m_clock);
    header->addWidget(m_unlock);
    header->addWidget(m_lockButton);
    header->addWidget(m_exit);
    layout->addLayout(header);

    m_banner = new QLabel(content);
    m_banner->setObjectName(QStringLiteral("staleBanner"));
    m_banner->setWordWrap(true);
    m_banner->setAlignment(Qt::AlignCenter);
    m_banner->setAutoFillBackground(true);
    m_banner->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_banner);
}

bool KioskWindow::wanted(const Config &config, bool flag)
{
    return flag || config.kiosk.enabled;
}

QScreen *KioskWindow::screenFor(const KioskOptions &options)
{
    const QList<QScreen *> screens = QGuiApplication::screens();
    if (!options.screenName.isEmpty()) {
        for (QScreen *s : screens)
            if (s->name() == options.screenName)
                return s;
    } else if (options.screenIndex >= 0 && options.screenIndex < screens.size()) {
        return screens.at(options.screenIndex);
    }
    return QGuiApplication::primaryScreen();
}

void KioskWindow::showOnScreen()
{
    QScreen *screen = screenFor(m_options);
    if (!windowHandle())
        create();
    if (screen) {
        windowHandle()->setScreen(screen);
        setGeometry(screen->geometry());
    }
    showFullScreen();
    activateWindow();
    setFocus();
}

KioskPage *KioskWindow::currentPage() const
{
    return m_pages.value(m_page);
}

int KioskWindow::currentSubPage() const
{
    const KioskPage *page = currentPage();
    return page ? page->subPage() : 0;
}

void KioskWindow::next()
{
    step(+1);
}

void KioskWindow::previous()
{
    step(-1);
}

void KioskWindow::step(int direction)
{
    QList<QPair<int, int>> screens;
    int current = -1;
    for (int p = 0; p < m_pages.size(); ++p) {
        const int n = m_pages.at(p)->subPageCount();
        for (int s = 0; s < n; ++s) {
            if (p == m_page && s == currentSubPage())
                current = int(screens.size());
            screens << qMakePair(p, s);
        }
    }
    if (screens.isEmpty())
        return;
    int target;
    if (current >= 0) {
        target = int((current + direction + screens.size()) % screens.size());
    } else {
        // The screen shown is gone: the first one after where it was.
        target = 0;
        for (int i = 0; i < screens.size(); ++i)
            if (screens.at(i).first > m_page || (screens.at(i).first == m_page && screens.at(i).second > currentSubPage())) {
                target = i;
                break;
            }
    }
    showSlot(screens.at(target).first, screens.at(target).second);
}

void KioskWindow::showSlot(int page, int sub)
{
    if (page < 0 || page >= m_pages.size())
        return;
    m_page = page;
    m_pages.at(page)->setSubPage(sub);
    m_stack->setCurrentWidget(m_pages.at(page));
    m_rotate.start(); // a full dwell for the new screen
    updateHeader();
}

void KioskWindow::updateHeader()
{
    const bool stale = m_freshness->isStale();
    const Health worst = stale ? Health::Unknown : m_summary->worst();
    const int iconSize = m_type.px(1.4);
    m_stateIcon->setPixmap(HealthStyle::icon(worst).pixmap(iconSize, iconSize));
    m_stateIcon->setFixedSize(iconSize, iconSize);
    const QString summary = HealthStyle::label(worst) + QStringLiteral(" · ") + m_summary->text();
    m_summaryLabel->setText(QFontMetrics(m_summaryLabel->font()).elidedText(summary, Qt::ElideRight, qMax(10, m_summaryLabel->width())));
    m_summaryLabel->setToolTip(summary);
    m_summaryLabel->setAccessibleName(summary);
    const qint64 now = m_session->clock()->nowMs();
    m_clock->setText(QLocale().toString(QDateTime::fromMSecsSinceEpoch(now).time(), QLocale::ShortFormat));
    m_updated->setText(tr("updated %1").arg(ServiceTileModel::agoText(m_freshness->lastResultMs(), now)));
    if (KioskPage *page = currentPage()) {
        const int n = page->subPageCount();
        m_pageTitle->setText(n > 1 ? tr("%1 · %2/%3").arg(page->title()).arg(page->subPage() + 1).arg(n) : page->title());
    }
}

void KioskWindow::updateFreshness()
{
    const bool stale = m_freshness->isStale();
    if (stale) {
        const qint64 last = m_freshness->lastResultMs();
        const QString since = last > 0 ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(last).time(), QLocale::LongFormat)
                                       : tr("never");
        m_banner->setText(tr("NOT CURRENT — %1. Last result: %2").arg(m_freshness->reason(), since));
        QPalette p = m_banner->palette();
        const QColor fill = HealthStyle::color(Health::Stale);
        p.setColor(QPalette::Window, fill);
        p.setColor(QPalette::WindowText, KioskPage::textOn(fill));
        m_banner->setPalette(p);
    }
    m_banner->setVisible(stale);
    updateHeader();
}

void KioskWindow::updateLock()
{
    const bool unlocked = m_lock->isUnlocked();
    const bool hasPin = m_lock->pinState() == KioskPinLock::PinState::Set;
    m_unlock->setVisible(hasPin && !unlocked);
    m_lockButton->setVisible(unlocked);
    m_exit->setVisible(hasPin);
    m_previous->setVisible(unlocked);
    m_next->setVisible(unlocked);
    if (unlocked) {
        const int s = (m_lock->remainingMs() + 999) / 1000;
        m_lockNote->setText(tr("Unlocked · locks itself in %1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0')));
    } else if (hasPin) {
        m_lockNote->setText(tr("Read-only · type the PIN or tap Unlock to act"));
    } else if (m_lock->pinState() == KioskPinLock::PinState::Checking) {
        m_lockNote->setText(tr("Read-only"));
    } else {
        m_lockNote->setText(m_lock->pinProblem());
    }
    const QString note = m_lockNote->text();
    m_lockNote->setToolTip(m_lock->pinDetail().isEmpty() ? note : note + u'\n' + m_lock->pinDetail());
    m_lockNote->setAccessibleName(note);
    m_lockNote->setText(QFontMetrics(m_lockNote->font()).elidedText(note, Qt::ElideRight, qMax(10, m_lockNote->width())));
    if (!unlocked && !hasPin)
        m_pad->hide();
    // The header's elided texts depend on which buttons are shown: redo them once laid out.
    QTimer::singleShot(0, this, &KioskWindow::updateHeader);
}

void KioskWindow::askPin(int purpose, const QString &firstDigit)
{
    if (m_lock->pinState() != KioskPinLock::PinState::Set) {
        m_lock->refresh();
        if (purpose == int(KioskPinLock::Purpose::Exit))
            m_lockNote->setText(tr("No PIN, no exit: set one with opsdeckctl kiosk set-pin, or stop the kiosk service"));
        return;
    }
    m_pad->setGeometry(rect());
    m_pad->ask(KioskPinLock::Purpose(purpose), firstDigit);
}

void KioskWindow::keyPressEvent(QKeyEvent *event)
{
    const QString text = event->text();
    if (text.size() == 1 && text.at(0).isDigit()) {
        if (!m_lock->isUnlocked())
            askPin(int(KioskPinLock::Purpose::Unlock), text);
        return;
    }
    switch (event->key()) {
    case Qt::Key_Escape: askPin(int(KioskPinLock::Purpose::Exit)); return;
    case Qt::Key_Right:
    case Qt::Key_PageDown: next(); return;
    case Qt::Key_Left:
    case Qt::Key_PageUp: previous(); return;
    default: break;
    }
    QWidget::keyPressEvent(event);
}

void KioskWindow::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    applyTypography();
    layoutContent();
    m_pad->setGeometry(rect());
}

void KioskWindow::closeEvent(QCloseEvent *event)
{
    // A window manager's close (Alt+F4, a title bar that should not be there) comes from the window
    // system; only the PIN lets anyone out that way. The program's own closing (SIGTERM, the
    // service stopped, QApplication::quit()) must not be refused, or the kiosk could not be stopped.
    if (event->spontaneous() && !m_leaving)
        event->ignore();
    else
        event->accept();
}

void KioskWindow::layoutContent()
{
    m_content->setGeometry(rect().adjusted(kShift, kShift, -kShift, -kShift).translated(m_offset));
}

void KioskWindow::shiftBurnIn()
{
    m_burnInStep = (m_burnInStep + 1) % int(std::size(kOffsets));
    m_offset = kOffsets[m_burnInStep];
    layoutContent();
}

void KioskWindow::applyTypography()
{
    m_type = KioskTypography(height());
    m_summaryLabel->setFont(m_type.font(1.1, true));
    m_clock->setFont(m_type.font(1.4, true));
    m_updated->setFont(m_type.font(0.8));
    for (QPushButton *b : {m_unlock, m_lockButton, m_exit, m_previous, m_next}) {
        b->setFont(m_type.font(0.8, true));
        b->setMinimumHeight(m_type.px(1.4)); // a finger's width on a touch panel
    }
    m_banner->setFont(m_type.font(1.0, true));
    m_banner->setContentsMargins(m_type.px(0.3), m_type.px(0.2), m_type.px(0.3), m_type.px(0.2));
    m_pageTitle->setFont(m_type.font(0.9, true));
    m_lockNote->setFont(m_type.font(0.8));
    m_content->layout()->setSpacing(m_type.px(0.3));
    for (KioskPage *page : m_pages)
        page->setTypography(m_type);
    m_pad->setTypography(m_type);
    updateHeader();
}
