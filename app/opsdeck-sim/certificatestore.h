#pragma once

#include <QSslConfiguration>
#include <QString>

// The gateway's TLS identity: DIR/gateway.crt and DIR/gateway.key, a self-signed certificate for
// localhost and 127.0.0.1. Made with the openssl command line on first use, because Qt can load
// but not create certificates. Clients trust the gateway by using gateway.crt as their CA file.
class CertificateStore final
{
public:
    explicit CertificateStore(const QString &directory);

    // Creates the pair if either file is missing, then loads it. False with a one-line message if
    // openssl is missing or fails, or the files do not load.
    bool ensure(QString *error);

    QString certificatePath() const;
    QString keyPath() const;
    QSslConfiguration serverConfiguration() const { return m_configuration; }

private:
    bool generate(QString *error);

    const QString m_directory;
    QSslConfiguration m_configuration;
};
