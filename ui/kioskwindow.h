#pragma once

#include "kioskoptions.h"
#include "kiosktypography.h"

#include <QTimer>
#include <QWidget>

class CoreSession;
class FleetSummary;
class IncidentListModel;
class KioskFreshness;
class KioskPage;
class KioskPinLock;
class KioskPinPad;
class QLabel;
class QPushButton;
class QScreen;
class QStackedWidget;
class ServiceTileModel;

// The wall display (`opsdeck --kiosk`): frameless and fullscreen on the chosen screen, no menus, no
// cursor, pages rotating every `dwell` (services, error budgets, open incidents, one page per
// failing service). A header always shows the fleet's state, the clock and how old the newest
// result is; a full-width banner says when that is not the truth (KioskFreshness). Read-only until
// the PIN is entered (touch keypad, or digits + Enter); then acknowledgement and actions are offered
// for `unlock_for`, and the rotation waits. Escape or Exit asks for the PIN before leaving.
//
// Object names for tests: "staleBanner", "clock", "updated", "summary", "unlockButton",
// "lockButton", "exitButton", "lockNote", "pageTitle", "previousButton", "nextButton", "pinPad".
class KioskWindow final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KioskWindow)

public:
    KioskWindow(CoreSession *session, FleetSummary *summary, const KioskOptions &options, QWidget *parent = nullptr);
    ~KioskWindow() override;

    // Kiosk mode is wanted when --kiosk was given or the config says `kiosk: { enabled: true }`.
    static bool wanted(const Config &config, bool flag);
    // The screen the options name (by name, else by index), else the primary screen.
    static QScreen *screenFor(const KioskOptions &options);
    // Moves to that screen and goes fullscreen.
    void showOnScreen();

    KioskPinLock *pinLock() const { return m_lock; }
    KioskFreshness *freshness() const { return m_freshness; }
    KioskPage *currentPage() const;
    int currentSubPage() const;
    QPoint burnInOffset() const { return m_offset; }
    const KioskTypography &typography() const { return m_type; }

    // The next or previous screen of the rotation (also Right/Left and PageDown/PageUp).
    void next();
    void previous();

signals:
    // The right PIN was given to leave; the window closes itself after this.
    void exitRequested();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void buildHeader(QWidget *content);
    void step(int direction);
    void showSlot(int page, int sub);
    void updateHeader();
    void updateFreshness();
    void updateLock();
    void layoutContent();
    void shiftBurnIn();
    void askPin(int purpose, const QString &firstDigit = {});
    void applyTypography();

    CoreSession *m_session;
    FleetSummary *m_summary;
    KioskOptions m_options;
    KioskTypography m_type;
    ServiceTileModel *m_tiles;
    IncidentListModel *m_incidents = nullptr;
    KioskFreshness *m_freshness;
    KioskPinLock *m_lock;
    QList<KioskPage *> m_pages; // in rotation order
    int m_page = 0;

    QWidget *m_content = nullptr;
    QLabel *m_stateIcon = nullptr;
    QLabel *m_summaryLabel = nullptr;
    QLabel *m_clock = nullptr;
    QLabel *m_updated = nullptr;
    QPushButton *m_unlock = nullptr;
    QPushButton *m_lockButton = nullptr;
    QPushButton *m_exit = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_pageTitle = nullptr;
    QLabel *m_lockNote = nullptr;
    QPushButton *m_previous = nullptr;
    QPushButton *m_next = nullptr;
    QStackedWidget *m_stack = nullptr;
    KioskPinPad *m_pad = nullptr;

    QTimer m_rotate;
    QTimer m_tick;    // the clock, "updated N s ago" and the unlock countdown
    QTimer m_burnIn;
    int m_burnInStep = 0;
    QPoint m_offset;
    bool m_leaving = false;
};
