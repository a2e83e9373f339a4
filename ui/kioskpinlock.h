#pragma once

#include <QDeadlineTimer>
#include <QObject>
#include <QString>
#include <QTimer>

class SecretStore;

// The kiosk's lock. Read-only until someone enters the PIN whose hash `opsdeckctl kiosk set-pin`
// put into the keychain (KioskPin); then unlocked for `unlockForMs`, after which it locks itself.
// The hash is read from the keychain again for every attempt, so a new PIN works without a
// restart. Without a PIN it stays locked for good and says how to set one.
//
// A wall display is within reach of anyone walking past, and a 4-digit PIN falls to patience: after
// kFreeAttempts wrong PINs in a row every further attempt is refused unchecked for a back-off that
// starts at kFirstBackoffMs and doubles with each wrong PIN after it (up to kMaxBackoffMs). The
// right PIN resets it. The count lives in this process: a restart forgets it, but a restart of a
// kiosk is not something a passer-by can do.
class KioskPinLock final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KioskPinLock)

public:
    enum class PinState { Checking, NotSet, Set, Unreadable };
    Q_ENUM(PinState)
    enum class Purpose { Unlock, Exit };
    Q_ENUM(Purpose)

    KioskPinLock(SecretStore *secrets, qint64 unlockForMs, QObject *parent = nullptr);

    PinState pinState() const { return m_pinState; }
    QString pinProblem() const { return m_pinProblem; } // why it is NotSet/Unreadable, for people; short
    QString pinDetail() const { return m_pinDetail; }   // what the keychain said, if anything
    bool isUnlocked() const { return m_relock.isActive(); }
    int remainingMs() const { return m_relock.isActive() ? m_relock.remainingTime() : 0; }
    qint64 unlockForMs() const { return m_unlockForMs; }
    bool isBusy() const { return m_busy; }
    // How long attempts are refused for, 0 when they are not.
    qint64 backoffRemainingMs() const;

    static constexpr int kFreeAttempts = 5;
    static constexpr qint64 kFirstBackoffMs = 30'000;
    static constexpr qint64 kMaxBackoffMs = 15 * 60'000;
    // Tests shorten the back-off; the number of free attempts stays.
    void setFirstBackoffMs(qint64 ms) { m_firstBackoffMs = ms; }

    // Reads the keychain again to learn whether a PIN is set (pinStateChanged()).
    void refresh();
    // Checks `pin` against the keychain's hash; answers with accepted() or refused().
    // For Unlock, accepted() also unlocks.
    void submit(const QString &pin, Purpose purpose);
    void lock();

signals:
    void pinStateChanged();
    void lockChanged(bool unlocked);
    void accepted(KioskPinLock::Purpose purpose);
    void refused(KioskPinLock::Purpose purpose, const QString &why);

private:
    void setPinState(PinState state, const QString &problem, const QString &detail = {});
    void countWrongPin();

    SecretStore *m_secrets;
    qint64 m_unlockForMs;
    QTimer m_relock;
    PinState m_pinState = PinState::Checking;
    QString m_pinProblem;
    QString m_pinDetail;
    bool m_busy = false;
    int m_wrongInARow = 0;
    qint64 m_firstBackoffMs = kFirstBackoffMs;
    QDeadlineTimer m_backoff{0}; // expired: no back-off
};
