#pragma once

#include <QString>
#include <optional>

// The kiosk's PIN as it is kept: never the PIN itself, only "salt$iterations$hash" (hex salt,
// PBKDF2-HMAC-SHA256 iteration count, hex derived key) in the keychain under secretName(). Written
// by `opsdeckctl kiosk set-pin`, checked by the kiosk before it unlocks actions or lets anyone out.
class KioskPin final
{
public:
    KioskPin() = delete;

    // Enough that trying every 4-digit PIN offline costs minutes, little enough that one check
    // stays well under a second on a Raspberry Pi 4.
    static constexpr int kIterations = 60'000;
    static constexpr int kMinDigits = 4;
    static constexpr int kMaxDigits = 12;

    static QString secretName(); // "kiosk-pin"
    // nullopt when `pin` is 4 to 12 digits; else what is wrong with it (never echoing it).
    static std::optional<QString> problem(QStringView pin);
    // A fresh random salt each time.
    static QString hash(const QString &pin, int iterations = kIterations);
    // Whether `pin` matches a stored hash; false for anything malformed.
    static bool verify(const QString &pin, const QString &stored);
    static bool isWellFormed(const QString &stored);
};
