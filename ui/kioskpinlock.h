#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

class SecretStore;

// The kiosk's lock. Read-only until someone enters the PIN whose hash `opsdeckctl kiosk set-pin`
// put into the keychain (KioskPin); then unlocked for `unlockForMs`, after which it locks itself.
// The hash is read from the keychain again for every attempt, so a new PIN works without a
// restart. Without a PIN it stays locked for good and says how to set one.
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

    SecretStore *m_secrets;
    qint64 m_unlockForMs;
    QTimer m_relock;
    PinState m_pinState = PinState::Checking;
    QString m_pinProblem;
    QString m_pinDetail;
    bool m_busy = false;
};
