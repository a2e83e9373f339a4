#include "tlsfixture.h"

#include <QFile>
#include <QProcess>

const TlsFixture &TlsFixture::instance()
{
    static TlsFixture fixture;
    return fixture;
}

TlsFixture::TlsFixture()
{
    const QString d = m_dir.path();
    QFile cnf(d + QStringLiteral("/ca.cnf"));
    if (!cnf.open(QIODevice::WriteOnly)) {
        m_error = cnf.errorString();
        return;
    }
    cnf.write("[ca]\ndefault_ca = test\n[test]\ndatabase = " + d.toUtf8() + "/index.txt\nnew_certs_dir = " + d.toUtf8()
              + "\nserial = " + d.toUtf8() + "/serial\ndefault_md = sha256\nunique_subject = no\npolicy = any\ncopy_extensions = none\n"
                "[any]\ncommonName = supplied\n");
    cnf.close();
    QFile(d + QStringLiteral("/index.txt")).open(QIODevice::WriteOnly);
    QFile serial(d + QStringLiteral("/serial"));
    serial.open(QIODevice::WriteOnly);
    serial.write("01\n");
    serial.close();

    if (!run({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
              QStringLiteral("-nodes"), QStringLiteral("-keyout"), d + QStringLiteral("/ca.key"), QStringLiteral("-out"),
              caFile(), QStringLiteral("-subj"), QStringLiteral("/CN=OpsDeck Test CA"), QStringLiteral("-days"),
              QStringLiteral("3650")}))
        return;
    if (!run({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
              QStringLiteral("-keyout"), keyFile(), QStringLiteral("-out"), d + QStringLiteral("/server.csr"),
              QStringLiteral("-subj"), QStringLiteral("/CN=localhost")}))
        return;
    const QString later = QStringLiteral("20990101000000Z");
    const QString yesterday = QStringLiteral("20200101000000Z");
    if (!sign(validCert(), yesterday, later, QStringLiteral("DNS:localhost,IP:127.0.0.1")))
        return;
    if (!sign(expiredCert(), yesterday, QStringLiteral("20200201000000Z"), QStringLiteral("DNS:localhost,IP:127.0.0.1")))
        return;
    // Qt also accepts a matching common name, so the wrong-host certificate differs in both.
    if (!run({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-key"), keyFile(), QStringLiteral("-out"),
              d + QStringLiteral("/wrong.csr"), QStringLiteral("-subj"), QStringLiteral("/CN=wrong.example")}))
        return;
    sign(wrongHostCert(), yesterday, later, QStringLiteral("DNS:wrong.example"), d + QStringLiteral("/wrong.csr"));
}

bool TlsFixture::sign(const QString &out, const QString &start, const QString &end, const QString &san, const QString &csr)
{
    const QString ext = out + QStringLiteral(".ext");
    QFile f(ext);
    f.open(QIODevice::WriteOnly);
    f.write("basicConstraints = CA:FALSE\nsubjectAltName = " + san.toUtf8() + "\n");
    f.close();
    return run({QStringLiteral("ca"), QStringLiteral("-batch"), QStringLiteral("-config"), m_dir.filePath(QStringLiteral("ca.cnf")),
                QStringLiteral("-cert"), caFile(), QStringLiteral("-keyfile"), m_dir.filePath(QStringLiteral("ca.key")),
                QStringLiteral("-in"), csr.isEmpty() ? m_dir.filePath(QStringLiteral("server.csr")) : csr, QStringLiteral("-out"), out,
                QStringLiteral("-startdate"), start, QStringLiteral("-enddate"), end, QStringLiteral("-extfile"), ext,
                QStringLiteral("-notext")});
}

bool TlsFixture::run(const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), args);
    if (!p.waitForFinished(30'000) || p.exitCode() != 0) {
        m_error = QStringLiteral("openssl %1 failed: %2").arg(args.first(), QString::fromUtf8(p.readAll()));
        return false;
    }
    return true;
}
