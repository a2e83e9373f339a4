#pragma once

#include "kiosktypography.h"

#include <QWidget>

class QColor;

// One page of the kiosk's rotation. A page may need several screens ("sub-pages": 50 services do
// not fit one 800x480 overview) or none at all (nothing is failing); the window rotates through
// every sub-page of every page it shows.
class KioskPage : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KioskPage)

public:
    explicit KioskPage(QWidget *parent = nullptr);

    virtual QString title() const = 0;
    virtual int subPageCount() const { return 1; } // 0: nothing to show now; skipped
    int subPage() const { return m_subPage; }
    void setSubPage(int index);
    void setTypography(const KioskTypography &type);
    const KioskTypography &typography() const { return m_type; }

    // The room the page has: the stack's, also while another page is shown (a hidden page of a
    // stack keeps a stale size, and sub-page counts must not depend on which page is up).
    QSize area() const;

    // Black or white, whichever reads better on `fill` (the state colours are light and dark).
    static QColor textOn(const QColor &fill);

signals:
    // What the page shows, or how many sub-pages it has, may have changed.
    void contentChanged();

protected:
    // The sub-page or the type size changed: lay out and fill again.
    virtual void refresh() { update(); }
    void resizeEvent(QResizeEvent *event) override;

    KioskTypography m_type;
    int m_subPage = 0;
};
