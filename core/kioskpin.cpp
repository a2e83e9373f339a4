#include "kioskpin.h"

#include <QCryptographicHash>
#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QStringList>

namespace {

constexpr int kSaltBytes = 16;
constexpr int kKeyBytes = 32;

QByteArray derive(const QString &pin, const QByteArray &salt, int iterations)
{
    return QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, pin.toUtf8(), salt, iterations, kKeyBytes);
}

struct Parsed
{
    QByteArray salt;
    int iterations = 0;
    QByteArray key;
};

std::optional<Parsed> parse(const QString &stored)
{
    const QStringList parts = stored.split(u'$');
    if (parts.size() != 3)
        return std::nullopt;
    Parsed p;
    bool ok = false;
    p.iterations = parts.at(1).toInt(&ok);
    p.salt = QByteArray::fromHex(parts.at(0).toLatin1());
    p.key = QByteArray::fromHex(parts.at(2).toLatin1());
    // A tampered entry with a huge count would freeze the kiosk on every attempt.
    if (!ok || p.iterations < 1000 || p.iterations > 10'000'000 || p.salt.size() < 8 || p.key.size() != kKeyBytes)
        return std::nullopt;
    return p;
}

} // namespace

QString KioskPin::secretName()
{
    return QStringLiteral("kiosk-pin");
}

std::optional<QString> KioskPin::problem(QStringView pin)
{
    for (QChar c : pin) {
        if (c < u'0' || c > u'9')
            return QStringLiteral("a PIN is digits only (0-9)");
    }
    if (pin.size() < kMinDigits || pin.size() > kMaxDigits)
        return QStringLiteral("a PIN has %1 to %2 digits, not %3").arg(kMinDigits).arg(kMaxDigits).arg(pin.size());
    return std::nullopt;
}

QString KioskPin::hash(const QString &pin, int iterations)
{
    QByteArray salt(kSaltBytes, Qt::Uninitialized);
    QRandomGenerator::system()->generate(salt.begin(), salt.end());
    return QString::fromLatin1(salt.toHex()) + u'$' + QString::number(iterations) + u'$'
        + QString::fromLatin1(derive(pin, salt, iterations).toHex());
}

bool KioskPin::verify(const QString &pin, const QString &stored)
{
    const std::optional<Parsed> p = parse(stored);
    if (!p)
        return false;
    const QByteArray key = derive(pin, p->salt, p->iterations);
    // Constant time, so the comparison does not tell how much of the key matched.
    unsigned char diff = 0;
    for (qsizetype i = 0; i < key.size(); ++i)
        diff |= static_cast<unsigned char>(key.at(i) ^ p->key.at(i));
    return key.size() == p->key.size() && diff == 0;
}

bool KioskPin::isWellFormed(const QString &stored)
{
    return parse(stored).has_value();
}
