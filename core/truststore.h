#pragma once

#include <QHash>
#include <QList>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QString>

// TLS settings per check: the system's CAs plus a check's `ca_file`, loaded once per file (and again
// when the file changes) rather than on every probe. A missing or unreadable ca_file is an error
// the probe reports, never a silent fall-back to the system store.
class TrustStore
{
public:
    struct Entry
    {
        QSslConfiguration configuration;
        QString error;
    };
    const Entry &configuration(const QString &caFile, bool insecure);

private:
    struct Cached
    {
        Entry entry;
        qint64 modifiedMs = 0;
    };
    QHash<QString, Cached> m_cache;
};
