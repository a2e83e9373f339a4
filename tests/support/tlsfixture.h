#pragma once

#include <QString>
#include <QTemporaryDir>

// TLS material made with the openssl CLI, once per test process: a private CA, and server
// certificates signed by it — valid for localhost/127.0.0.1, expired (2020), and valid but for the
// wrong host. Clients trust the CA through `ca_file`.
class TlsFixture
{
public:
    static const TlsFixture &instance();

    QString caFile() const { return m_dir.filePath(QStringLiteral("ca.pem")); }
    QString keyFile() const { return m_dir.filePath(QStringLiteral("server.key")); }
    QString validCert() const { return m_dir.filePath(QStringLiteral("valid.pem")); }
    QString expiredCert() const { return m_dir.filePath(QStringLiteral("expired.pem")); }
    QString wrongHostCert() const { return m_dir.filePath(QStringLiteral("wronghost.pem")); }
    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

private:
    TlsFixture();
    bool run(const QStringList &args);
    bool sign(const QString &out, const QString &start, const QString &end, const QString &san, const QString &csr = {});

    QTemporaryDir m_dir;
    QString m_error;
};
