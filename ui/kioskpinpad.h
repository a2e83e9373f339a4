#pragma once

#include "kioskpinlock.h"
#include "kiosktypography.h"

#include <QWidget>

class QLabel;
class QPushButton;

// The on-screen numeric keypad that asks for the kiosk PIN, by touch (big buttons) or keyboard
// (digits, Backspace, Enter; Escape cancels). The digits are never shown, only one dot each.
// Object names for tests: "pinDigit0" … "pinDigit9", "pinBackspace", "pinOk", "pinCancel",
// "pinPrompt", "pinDots", "pinMessage".
class KioskPinPad final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KioskPinPad)

public:
    explicit KioskPinPad(QWidget *parent = nullptr);

    void setTypography(const KioskTypography &type);
    // Clears what was typed and asks for the PIN for `purpose`, starting with `firstDigit` if given.
    void ask(KioskPinLock::Purpose purpose, const QString &firstDigit = {});
    void showMessage(const QString &text);
    void setBusy(bool busy);
    KioskPinLock::Purpose purpose() const { return m_purpose; }

signals:
    void submitted(const QString &pin, KioskPinLock::Purpose purpose);
    void cancelled();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void paintEvent(QPaintEvent *event) override;

private:
    void type(const QString &digit);
    void backspace();
    void submit();
    void updateDots();

    KioskPinLock::Purpose m_purpose = KioskPinLock::Purpose::Unlock;
    QString m_pin;
    QLabel *m_prompt = nullptr;
    QLabel *m_dots = nullptr;
    QLabel *m_message = nullptr;
    QList<QPushButton *> m_buttons;
    QPushButton *m_ok = nullptr;
};
