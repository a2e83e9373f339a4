#pragma once

#include <QByteArray>
#include <QHash>
#include <QProcess>
#include <QSslConfiguration>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

// Runs the demo fleet (app/opsdeck-sim) as a child process for a test: every system on an
// ephemeral port of 127.0.0.1, with its own temporary gateway certificate, fault file and audit-log
// directory. The binary must have been built (tests depend on the opsdeck-sim target).
//
//     SimProcess sim;
//     QVERIFY2(sim.start(), qPrintable(sim.errorString()));
//     QNetworkRequest request(sim.url("echopilot", "/health"));
//     request.setSslConfiguration(sim.sslConfiguration()); // needed for "gateway" only
//     QVERIFY(sim.setFaults("faults:\n"
//                           "  - {system: echopilot, path: /health, kind: status, status: 503, for: 1s}\n"));
//
// Systems are named as in fault files: "echopilot", "fallback", "gateway" (HTTPS) and "aifsm".
// Fault times count from the moment setFaults() returns (give or take a few milliseconds). The
// sim's stderr is forwarded to the test's stderr. The destructor kills the process.
class SimProcess final
{
    Q_DISABLE_COPY_MOVE(SimProcess)

public:
    static constexpr int kStartTimeoutMs = 15'000;
    static constexpr int kReloadTimeoutMs = 5'000;

    // `initialFaults` is the fault file's content at start (YAML; empty means no faults).
    explicit SimProcess(const QByteArray &initialFaults = QByteArray());
    ~SimProcess();

    // Starts the sim and waits for its ready line and for the initial fault file to be loaded.
    // False with errorString() set if the binary is missing, exits, or does not get ready in time.
    bool start(int timeoutMs = kStartTimeoutMs);
    bool isRunning() const;
    QString errorString() const { return m_error; }

    // The system's port, 0 for unknown names or before start().
    quint16 port(const QString &system) const;
    // "http://127.0.0.1:PORT" ("https://" for the gateway).
    QUrl baseUrl(const QString &system) const;
    // baseUrl() plus a path and optional query, e.g. url("echopilot", "/supervisor?token=x").
    QUrl url(const QString &system, const QString &pathAndQuery) const;

    // The gateway's self-signed certificate (PEM); trust it as a CA to talk to the gateway.
    QString certificatePath() const;
    // The default configuration with certificatePath() as the only CA.
    QSslConfiguration sslConfiguration() const;

    // Replaces the fault file (atomically, as an editor would) and waits until the sim reports the
    // reload. True for "opsdeck-sim faults N"; false for "opsdeck-sim faults-error ..." (the sim
    // then keeps its previous faults) or on timeout. lastFaultsLine() has the line either way.
    bool setFaults(const QByteArray &yaml, int timeoutMs = kReloadTimeoutMs);
    QString lastFaultsLine() const { return m_lastFaultsLine; }
    QString faultsPath() const;

    // EchoPilot's audit log, appended every 2 s (see AuditLog in app/opsdeck-sim).
    QString auditLogPath() const;

    // The credentials the sim was started with: X-Dash-Key and the /supervisor?token= value.
    QString dashKey() const { return QStringLiteral("sim-dash-key"); }
    QString healthToken() const { return QStringLiteral("sim-health-token"); }

    // Every line the sim printed on stdout so far.
    QStringList output();

private:
    static QString binaryPath();
    void readOutput();
    // Waits for the next unread stdout line starting with one of `prefixes`; returns it, or an empty
    // string on timeout or exit (errorString() says which).
    QString waitForLine(const QStringList &prefixes, int timeoutMs);
    bool writeFaults(const QByteArray &yaml);

    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_initialFaults;
    QByteArray m_partialLine;
    QStringList m_lines;
    qsizetype m_unread = 0; // index of the first line no wait has looked at
    QHash<QString, quint16> m_ports;
    QString m_lastFaultsLine;
    QString m_error;
};
