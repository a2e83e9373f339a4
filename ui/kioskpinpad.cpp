#include "kioskpinpad.h"

#include "kioskpin.h"

#include <QGridLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

KioskPinPad::KioskPinPad(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("pinPad"));
    setAccessibleName(tr("PIN keypad"));
    setFocusPolicy(Qt::StrongFocus);
    auto *outer = new QVBoxLayout(this);
    auto *panel = new QWidget(this);
    panel->setAutoFillBackground(true);
    panel->setBackgroundRole(QPalette::Base);
    outer->addStretch();
    auto *row = new QHBoxLayout;
    row->addStretch();
    row->addWidget(panel);
    row->addStretch();
    outer->addLayout(row);
    outer->addStretch();

    auto *layout = new QVBoxLayout(panel);
    m_prompt = new QLabel(panel);
    m_prompt->setObjectName(QStringLiteral("pinPrompt"));
    m_prompt->setAlignment(Qt::AlignCenter);
    m_prompt->setWordWrap(true);
    m_dots = new QLabel(panel);
    m_dots->setObjectName(QStringLiteral("pinDots"));
    m_dots->setAlignment(Qt::AlignCenter);
    m_dots->setAccessibleName(tr("Digits entered"));
    m_message = new QLabel(panel);
    m_message->setObjectName(QStringLiteral("pinMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    layout->addWidget(m_prompt);
    layout->addWidget(m_dots);
    layout->addWidget(m_message);

    auto *grid = new QGridLayout;
    auto add = [&](QPushButton *b, int r, int c) {
        b->setFocusPolicy(Qt::NoFocus); // the pad itself takes the keys
        b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        grid->addWidget(b, r, c);
        m_buttons << b;
    };
    for (int d = 0; d <= 9; ++d) {
        auto *b = new QPushButton(QString::number(d), panel);
        b->setObjectName(QStringLiteral("pinDigit%1").arg(d));
        b->setAccessibleName(tr("Digit %1").arg(d));
        connect(b, &QPushButton::clicked, this, [this, d] { type(QString::number(d)); });
        add(b, d == 0 ? 3 : (d - 1) / 3, d == 0 ? 1 : (d - 1) % 3);
    }
    auto *back = new QPushButton(QStringLiteral("⌫"), panel);
    back->setObjectName(QStringLiteral("pinBackspace"));
    back->setAccessibleName(tr("Delete the last digit"));
    connect(back, &QPushButton::clicked, this, &KioskPinPad::backspace);
    add(back, 3, 0);
    m_ok = new QPushButton(tr("OK"), panel);
    m_ok->setObjectName(QStringLiteral("pinOk"));
    m_ok->setAccessibleName(tr("Enter the PIN"));
    connect(m_ok, &QPushButton::clicked, this, &KioskPinPad::submit);
    add(m_ok, 3, 2);
    auto *cancel = new QPushButton(tr("Cancel"), panel);
    cancel->setObjectName(QStringLiteral("pinCancel"));
    cancel->setAccessibleName(tr("Cancel"));
    connect(cancel, &QPushButton::clicked, this, &KioskPinPad::cancelled);
    cancel->setFocusPolicy(Qt::NoFocus);
    cancel->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    grid->addWidget(cancel, 4, 0, 1, 3);
    m_buttons << cancel;
    layout->addLayout(grid, 1);
    setTypography(KioskTypography());
    hide();
}

void KioskPinPad::setTypography(const KioskTypography &type)
{
    m_prompt->setFont(type.font(1.0, true));
    m_dots->setFont(type.font(1.4, true));
    m_dots->setMinimumHeight(type.px(1.8));
    m_message->setFont(type.font(0.8));
    for (QPushButton *b : m_buttons) {
        b->setFont(type.font(1.1, true));
        b->setMinimumSize(type.px(3.0), type.px(1.6));
    }
    // Big enough to hit with a finger on a 7" panel, never taller than the screen.
    if (QWidget *panel = m_prompt->parentWidget())
        panel->setFixedWidth(type.px(14));
}

void KioskPinPad::ask(KioskPinLock::Purpose purpose, const QString &firstDigit)
{
    m_purpose = purpose;
    m_pin = firstDigit;
    m_prompt->setText(purpose == KioskPinLock::Purpose::Exit ? tr("PIN to leave kiosk mode") : tr("PIN to unlock actions"));
    m_message->clear();
    setBusy(false);
    updateDots();
    show();
    raise();
    setFocus();
}

void KioskPinPad::showMessage(const QString &text)
{
    m_message->setText(text);
}

void KioskPinPad::setBusy(bool busy)
{
    for (QPushButton *b : m_buttons)
        b->setEnabled(!busy);
    if (busy)
        m_message->setText(tr("Checking…"));
}

void KioskPinPad::type(const QString &digit)
{
    if (m_pin.size() < KioskPin::kMaxDigits)
        m_pin += digit;
    m_message->clear();
    updateDots();
}

void KioskPinPad::backspace()
{
    m_pin.chop(1);
    updateDots();
}

void KioskPinPad::submit()
{
    if (m_pin.isEmpty())
        return;
    const QString pin = m_pin;
    m_pin.clear();
    updateDots();
    emit submitted(pin, m_purpose);
}

void KioskPinPad::updateDots()
{
    m_dots->setText(m_pin.isEmpty() ? QStringLiteral("–") : QString(m_pin.size(), QChar(0x25CF)));
}

void KioskPinPad::keyPressEvent(QKeyEvent *event)
{
    const QString text = event->text();
    if (text.size() == 1 && text.at(0).isDigit()) {
        type(text);
        return;
    }
    switch (event->key()) {
    case Qt::Key_Backspace: backspace(); return;
    case Qt::Key_Return:
    case Qt::Key_Enter: submit(); return;
    case Qt::Key_Escape: emit cancelled(); return;
    default: break;
    }
    QWidget::keyPressEvent(event);
}

void KioskPinPad::paintEvent(QPaintEvent *)
{
    // Dims what is behind, so the pad is plainly the only thing that listens now.
    QPainter p(this);
    QColor shade = palette().color(QPalette::Window);
    shade.setAlpha(215);
    p.fillRect(rect(), shade);
}
