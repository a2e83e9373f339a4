#include "truststore.h"

#include <QFileInfo>

const TrustStore::Entry &TrustStore::configuration(const QString &caFile, bool insecure)
{
    const QString key = caFile + (insecure ? QStringLiteral("\x01insecure") : QString());
    const qint64 modified = caFile.isEmpty() ? 0 : QFileInfo(caFile).lastModified().toMSecsSinceEpoch();
    auto it = m_cache.find(key);
    if (it != m_cache.end() && it->modifiedMs == modified)
        return it->entry;

    Cached cached;
    cached.modifiedMs = modified;
    QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
    if (!caFile.isEmpty()) {
        const QList<QSslCertificate> certs = QSslCertificate::fromPath(caFile, QSsl::Pem);
        if (certs.isEmpty()) {
            cached.entry.error = QFileInfo::exists(caFile)
                ? QStringLiteral("ca_file %1 holds no PEM certificate").arg(caFile)
                : QStringLiteral("ca_file %1 does not exist").arg(caFile);
        }
        conf.addCaCertificates(certs);
    }
    if (insecure)
        conf.setPeerVerifyMode(QSslSocket::VerifyNone);
    cached.entry.configuration = conf;
    it = m_cache.insert(key, cached);
    return it->entry;
}
