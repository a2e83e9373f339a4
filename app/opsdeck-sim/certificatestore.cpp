#include "certificatestore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QStandardPaths>

namespace {
constexpr int kOpensslTimeoutMs = 60'000; // RSA key generation on a Pi can take a while
}

CertificateStore::CertificateStore(const QString &directory)
    : m_directory(directory)
{
}

QString CertificateStore::certificatePath() const
{
    return QDir(m_directory).filePath(QStringLiteral("gateway.crt"));
}

QString CertificateStore::keyPath() const
{
    return QDir(m_directory).filePath(QStringLiteral("gateway.key"));
}

bool CertificateStore::ensure(QString *error)
{
    if (!QFile::exists(certificatePath()) || !QFile::exists(keyPath())) {
        if (!generate(error))
            return false;
    }
    QFile certFile(certificatePath());
    QFile keyFile(keyPath());
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
        *error = u"cannot read the gateway certificate in " % m_directory;
        return false;
    }
    const QSslCertificate certificate(certFile.readAll(), QSsl::Pem);
    const QSslKey key(keyFile.readAll(), QSsl::Rsa, QSsl::Pem);
    if (certificate.isNull() || key.isNull()) {
        *error = u"gateway.crt/gateway.key in " % m_directory
            % u" do not load as a PEM certificate and RSA key; delete them to have new ones made";
        return false;
    }
    m_configuration = QSslConfiguration::defaultConfiguration();
    m_configuration.setLocalCertificate(certificate);
    m_configuration.setPrivateKey(key);
    m_configuration.setPeerVerifyMode(QSslSocket::VerifyNone); // a server: no client certificates
    return true;
}

bool CertificateStore::generate(QString *error)
{
    if (!QDir().mkpath(m_directory)) {
        *error = u"--cert-dir: cannot create " % m_directory;
        return false;
    }
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty()) {
        *error = u"openssl not found in PATH; it is needed once to create the gateway certificate in "
            % m_directory % u" (or put gateway.crt and gateway.key there yourself)";
        return false;
    }
    // Into temporary names first: a sim killed half way, or a second one starting at the same
    // time, must not leave a key without its certificate.
    const QString suffix = u".tmp" % QString::number(QCoreApplication::applicationPid());
    const QString tmpKey = keyPath() + suffix;
    const QString tmpCert = certificatePath() + suffix;
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(openssl,
                  { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                    QStringLiteral("-nodes"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
                    QStringLiteral("-addext"), QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1"),
                    QStringLiteral("-days"), QStringLiteral("825"), QStringLiteral("-keyout"), tmpKey,
                    QStringLiteral("-out"), tmpCert });
    const bool finished = process.waitForFinished(kOpensslTimeoutMs);
    const QString output = QString::fromLocal8Bit(process.readAll()).simplified();
    if (!finished || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        if (!finished)
            process.kill();
        QFile::remove(tmpKey);
        QFile::remove(tmpCert);
        QString reason = output;
        if (process.error() == QProcess::FailedToStart)
            reason = process.errorString();
        else if (reason.isEmpty())
            reason = u"exit code " % QString::number(process.exitCode());
        *error = u"openssl failed to create the gateway certificate in " % m_directory % u": " % reason;
        return false;
    }
    QFile::setPermissions(tmpKey, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    QFile::remove(keyPath());
    QFile::remove(certificatePath());
    if (!QFile::rename(tmpKey, keyPath()) || !QFile::rename(tmpCert, certificatePath())) {
        *error = u"cannot move the new gateway certificate into " % m_directory;
        return false;
    }
    return true;
}
