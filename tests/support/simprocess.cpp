#include "simprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSslCertificate>

namespace {
const QString kReadyPrefix = QStringLiteral("opsdeck-sim ready ");
const QString kFaultsPrefix = QStringLiteral("opsdeck-sim faults ");
const QString kFaultsErrorPrefix = QStringLiteral("opsdeck-sim faults-error ");
const QStringList kSystems { QStringLiteral("echopilot"), QStringLiteral("fallback"), QStringLiteral("gateway"),
                             QStringLiteral("aifsm") };
} // namespace

SimProcess::SimProcess(const QByteArray &initialFaults)
    : m_initialFaults(initialFaults)
{
    // Fault file, certificates and logs in separate directories: the sim watches the fault file's
    // directory, and should not wake up for every audit-log line.
    QDir(m_dir.path()).mkpath(QStringLiteral("faults"));
    QDir(m_dir.path()).mkpath(QStringLiteral("certs"));
    QDir(m_dir.path()).mkpath(QStringLiteral("logs"));
}

SimProcess::~SimProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5'000);
    }
}

QString SimProcess::binaryPath()
{
    return QStringLiteral(OPSDECK_BINARY_DIR "/app/opsdeck-sim/opsdeck-sim");
}

bool SimProcess::start(int timeoutMs)
{
    if (!m_dir.isValid()) {
        m_error = u"cannot create a temporary directory: " % m_dir.errorString();
        return false;
    }
    if (!writeFaults(m_initialFaults))
        return false;
    const QDir dir(m_dir.path());
    QStringList arguments { QStringLiteral("--faults"), faultsPath(),
                            QStringLiteral("--cert-dir"), dir.filePath(QStringLiteral("certs")),
                            QStringLiteral("--log-dir"), dir.filePath(QStringLiteral("logs")),
                            QStringLiteral("--dash-key"), dashKey(),
                            QStringLiteral("--health-token"), healthToken() };
    for (const QString &system : kSystems)
        arguments << u"--" % system % u"-port" << QStringLiteral("0");
    m_process.setProgram(binaryPath());
    m_process.setArguments(arguments);
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start();
    if (!m_process.waitForStarted(timeoutMs)) {
        m_error = u"cannot start " % binaryPath() % u": " % m_process.errorString()
            % u" (is the opsdeck-sim target built?)";
        return false;
    }

    QDeadlineTimer deadline(timeoutMs);
    const QString ready = waitForLine({ kReadyPrefix }, int(deadline.remainingTime()));
    if (ready.isEmpty())
        return false;
    const QJsonObject ports = QJsonDocument::fromJson(ready.mid(kReadyPrefix.size()).toUtf8()).object();
    for (const QString &system : kSystems) {
        const int port = ports.value(system).toInt();
        if (port <= 0 || port > 65535) {
            m_error = u"unexpected ready line: " % ready;
            return false;
        }
        m_ports.insert(system, quint16(port));
    }
    m_lastFaultsLine = waitForLine({ kFaultsErrorPrefix, kFaultsPrefix }, int(deadline.remainingTime()));
    if (m_lastFaultsLine.startsWith(kFaultsErrorPrefix))
        m_error = u"the initial fault file was rejected: " % m_lastFaultsLine;
    return m_lastFaultsLine.startsWith(kFaultsPrefix);
}

bool SimProcess::isRunning() const
{
    return m_process.state() == QProcess::Running;
}

quint16 SimProcess::port(const QString &system) const
{
    return m_ports.value(system);
}

QUrl SimProcess::baseUrl(const QString &system) const
{
    QUrl url;
    url.setScheme(system == u"gateway" ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port(system));
    return url;
}

QUrl SimProcess::url(const QString &system, const QString &pathAndQuery) const
{
    return QUrl(baseUrl(system).toString() + pathAndQuery);
}

QString SimProcess::certificatePath() const
{
    return QDir(m_dir.path()).filePath(QStringLiteral("certs/gateway.crt"));
}

QSslConfiguration SimProcess::sslConfiguration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(QSslCertificate::fromPath(certificatePath()));
    return configuration;
}

QString SimProcess::faultsPath() const
{
    return QDir(m_dir.path()).filePath(QStringLiteral("faults/faults.yaml"));
}

QString SimProcess::auditLogPath() const
{
    return QDir(m_dir.path()).filePath(QStringLiteral("logs/audit.ndjson"));
}

bool SimProcess::setFaults(const QByteArray &yaml, int timeoutMs)
{
    // Lines printed before this call answer earlier writes, not this one.
    readOutput();
    m_unread = m_lines.size();
    m_lastFaultsLine.clear();
    if (!writeFaults(yaml))
        return false;
    m_lastFaultsLine = waitForLine({ kFaultsErrorPrefix, kFaultsPrefix }, timeoutMs);
    return m_lastFaultsLine.startsWith(kFaultsPrefix);
}

QStringList SimProcess::output()
{
    readOutput();
    return m_lines;
}

void SimProcess::readOutput()
{
    m_partialLine += m_process.readAllStandardOutput();
    qsizetype newline;
    while ((newline = m_partialLine.indexOf('\n')) >= 0) {
        m_lines << QString::fromUtf8(m_partialLine.left(newline));
        m_partialLine.remove(0, newline + 1);
    }
}

QString SimProcess::waitForLine(const QStringList &prefixes, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        readOutput();
        while (m_unread < m_lines.size()) {
            const QString &line = m_lines.at(m_unread++);
            for (const QString &prefix : prefixes) {
                if (line.startsWith(prefix))
                    return line;
            }
        }
        if (m_process.state() == QProcess::NotRunning) {
            m_error = u"opsdeck-sim exited with code " % QString::number(m_process.exitCode())
                % u" (its messages are on stderr)";
            return QString();
        }
        if (deadline.hasExpired()) {
            m_error = u"timed out waiting for \"" % prefixes.constFirst().trimmed() % u"\" from opsdeck-sim";
            return QString();
        }
        m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
    }
}

bool SimProcess::writeFaults(const QByteArray &yaml)
{
    QSaveFile file(faultsPath());
    if (!file.open(QIODevice::WriteOnly) || file.write(yaml) != yaml.size() || !file.commit()) {
        m_error = u"cannot write " % faultsPath() % u": " % file.errorString();
        return false;
    }
    return true;
}
