#include "kioskpinlock.h"

#include "kioskpin.h"
#include "secretstore.h"

#include <algorithm>

KioskPinLock::KioskPinLock(SecretStore *secrets, qint64 unlockForMs, QObject *parent)
    : QObject(parent)
    , m_secrets(secrets)
    , m_unlockForMs(unlockForMs)
{
    m_relock.setSingleShot(true);
    connect(&m_relock, &QTimer::timeout, this, [this] { emit lockChanged(false); });
    refresh();
}

void KioskPinLock::setPinState(PinState state, const QString &problem, const QString &detail)
{
    if (state == m_pinState && problem == m_pinProblem && detail == m_pinDetail)
        return;
    m_pinState = state;
    m_pinProblem = problem;
    m_pinDetail = detail;
    emit pinStateChanged();
}

void KioskPinLock::refresh()
{
    m_secrets->read(KioskPin::secretName(), this, [this](const SecretStore::Result &r) {
        if (r.ok() && KioskPin::isWellFormed(r.value))
            setPinState(PinState::Set, {});
        else if (r.ok())
            setPinState(PinState::Unreadable, tr("The keychain's %1 is not a PIN hash; set it again with "
                                                 "opsdeckctl kiosk set-pin").arg(KioskPin::secretName()));
        else if (r.status == SecretStore::Status::NotSet)
            setPinState(PinState::NotSet, tr("Read-only: no PIN is set. Set one with opsdeckctl kiosk set-pin"));
        else
            setPinState(PinState::Unreadable, tr("Read-only: the PIN cannot be read from the keychain"), r.message);
    });
}

void KioskPinLock::submit(const QString &pin, Purpose purpose)
{
    if (m_busy)
        return;
    if (const qint64 wait = backoffRemainingMs(); wait > 0) {
        const int seconds = int((wait + 999) / 1000);
        emit refused(purpose, tr("Too many wrong PINs: try again in %n second(s)", nullptr, seconds));
        return;
    }
    m_busy = true;
    m_secrets->read(KioskPin::secretName(), this, [this, pin, purpose](const SecretStore::Result &r) {
        m_busy = false;
        if (!r.ok()) {
            setPinState(r.status == SecretStore::Status::NotSet ? PinState::NotSet : PinState::Unreadable,
                        r.status == SecretStore::Status::NotSet
                            ? tr("Read-only: no PIN is set. Set one with opsdeckctl kiosk set-pin")
                            : tr("Read-only: the PIN cannot be read from the keychain"), r.message);
            emit refused(purpose, m_pinProblem);
            return;
        }
        setPinState(PinState::Set, {});
        // PBKDF2 takes a fraction of a second by design; that is the price of every attempt.
        if (!KioskPin::verify(pin, r.value)) {
            countWrongPin();
            const qint64 wait = backoffRemainingMs();
            emit refused(purpose, wait > 0 ? tr("Wrong PIN. Too many wrong PINs: try again in %n second(s)", nullptr,
                                                int((wait + 999) / 1000))
                                           : tr("Wrong PIN"));
            return;
        }
        m_wrongInARow = 0;
        m_backoff = QDeadlineTimer(0);
        if (purpose == Purpose::Unlock) {
            const bool was = isUnlocked();
            m_relock.start(int(m_unlockForMs));
            if (!was)
                emit lockChanged(true);
        }
        emit accepted(purpose);
    });
}

qint64 KioskPinLock::backoffRemainingMs() const
{
    return m_backoff.hasExpired() ? 0 : m_backoff.remainingTime();
}

void KioskPinLock::countWrongPin()
{
    ++m_wrongInARow;
    const int over = m_wrongInARow - kFreeAttempts;
    if (over < 0)
        return;
    // 1×, 2×, 4×, … the first back-off; the shift is capped long before it could overflow.
    const qint64 ms = std::min(kMaxBackoffMs, m_firstBackoffMs << std::min(over, 20));
    m_backoff = QDeadlineTimer(ms);
}

void KioskPinLock::lock()
{
    if (!m_relock.isActive())
        return;
    m_relock.stop();
    emit lockChanged(false);
}
