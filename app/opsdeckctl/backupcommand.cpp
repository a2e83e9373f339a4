#include "clioutput.h"
#include "commands.h"

#include "backupinventory.h"
#include "backupverifier.h"
#include "coresession.h"
#include "duration.h"
#include "historystore.h"
#include "opsdatabase.h"
#include "secretresolver.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonObject>
#include <QTimeZone>

namespace {

QString isoUtc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc()).toString(Qt::ISODate);
}

QString size(qint64 bytes)
{
    if (bytes < 1000)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1000 * 1000)
        return QStringLiteral("%1 kB").arg(double(bytes) / 1e3, 0, 'f', 1);
    if (bytes < 1000LL * 1000 * 1000)
        return QStringLiteral("%1 MB").arg(double(bytes) / 1e6, 0, 'f', 1);
    return QStringLiteral("%1 GB").arg(double(bytes) / 1e9, 0, 'f', 2);
}

QJsonValue verificationJson(const std::optional<BackupVerification> &v)
{
    if (!v)
        return QJsonValue::Null;
    return QJsonObject{{QStringLiteral("at"), isoUtc(v->atMs)},
                       {QStringLiteral("file"), v->file},
                       {QStringLiteral("ok"), v->ok},
                       {QStringLiteral("summary"), v->summary}};
}

// The session with its config and store; nullopt after printing why (exit 2 / 1 in *code).
bool openSession(CoreSession &session, const QCommandLineParser &parser, std::unique_ptr<OpsDatabase> *ops, int *code)
{
    const QString path = CoreSession::resolveConfigPath(parser.value(QStringLiteral("config")));
    if (!session.loadConfig(path)) {
        Cli::printIssues(session.issues(), Cli::err());
        *code = 2;
        return false;
    }
    QString error;
    if (!session.openHistory(&error)) {
        Cli::err() << "note: no verification history (cannot open the store: " << error << ")\n";
        return true;
    }
    auto db = std::make_unique<OpsDatabase>();
    if (!db->open(session.history()->location(), &error)) {
        Cli::err() << "note: no verification history (cannot open the store: " << error << ")\n";
        return true;
    }
    *ops = std::move(db);
    return true;
}

int list(const QCommandLineParser &parser, Cli::Format format)
{
    CoreSession session;
    std::unique_ptr<OpsDatabase> ops;
    int code = 0;
    if (!openSession(session, parser, &ops, &code))
        return code;
    const QList<BackupInventory::Entry> entries = BackupInventory::collect(session.config(), ops.get());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (format == Cli::Format::Json) {
        QJsonArray array;
        for (const BackupInventory::Entry &e : entries) {
            const BackupFile *newest = e.newest();
            QJsonArray files;
            for (const BackupFile &f : e.files)
                files.append(QJsonObject{{QStringLiteral("file"), f.name},
                                         {QStringLiteral("size_bytes"), f.sizeBytes},
                                         {QStringLiteral("taken_at"), isoUtc(f.takenAtMs)},
                                         {QStringLiteral("manifest"), f.manifest.has_value()}});
            array.append(QJsonObject{
                {QStringLiteral("service"), e.service},
                {QStringLiteral("action"), e.action},
                {QStringLiteral("kind"), e.kind},
                {QStringLiteral("destination"), e.destination},
                {QStringLiteral("count"), e.files.size()},
                {QStringLiteral("total_bytes"), e.totalBytes()},
                {QStringLiteral("newest_file"), newest ? QJsonValue(newest->name) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("newest_at"), newest ? QJsonValue(isoUtc(newest->takenAtMs)) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("newest_age_s"), newest ? QJsonValue((now - newest->takenAtMs) / 1000) : QJsonValue(QJsonValue::Null)},
                {QStringLiteral("snapshots"), e.snapshots.size()},
                {QStringLiteral("files"), files},
                {QStringLiteral("error"), e.error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(e.error)},
                {QStringLiteral("last_verification"), verificationJson(e.lastVerification)}});
        }
        Cli::printJson(array);
        return 0;
    }
    if (entries.isEmpty()) {
        Cli::out() << "no backup actions (sqlite-backup, pg-dump, tar) in the config\n";
        return 0;
    }
    for (const BackupInventory::Entry &e : entries) {
        Cli::out() << e.service << "/" << e.action << "  (" << e.kind << " → " << e.destination << ")\n";
        if (!e.error.isEmpty()) {
            Cli::out() << "  " << e.error << "\n";
        } else if (const BackupFile *n = e.newest()) {
            Cli::out() << "  " << e.files.size() << " backup(s), " << size(e.totalBytes()) << "; newest " << n->name << ", "
                       << Duration::format(qMax<qint64>(0, now - n->takenAtMs)) << " old"
                       << (n->manifest ? "" : " (no manifest)") << "\n";
        } else {
            Cli::out() << "  no backups yet\n";
        }
        if (!e.snapshots.isEmpty())
            Cli::out() << "  " << e.snapshots.size() << " pre-restore snapshot(s) in the folder, newest " << e.snapshots.first().name << "\n";
        if (e.lastVerification)
            Cli::out() << "  last verified " << isoUtc(e.lastVerification->atMs) << ": " << e.lastVerification->summary << "\n";
        else
            Cli::out() << "  never verified (`opsdeckctl backup verify " << e.action << "`)\n";
    }
    return 0;
}

int verify(const QCommandLineParser &parser, Cli::Format format, const QString &name, const QString &file)
{
    CoreSession session;
    std::unique_ptr<OpsDatabase> ops;
    int code = 0;
    if (!openSession(session, parser, &ops, &code))
        return code;
    const QString wanted = parser.value(QStringLiteral("service"));
    QList<QPair<QString, ActionConfig>> matches;
    QStringList known;
    for (const ServiceConfig &s : session.config().services)
        for (const ActionConfig &a : s.actions)
            if (a.isBackup()) {
                known << s.name + u'/' + a.name;
                if (a.name == name && (wanted.isEmpty() || wanted == s.name))
                    matches.append({s.name, a});
            }
    if (matches.isEmpty()) {
        Cli::err() << "no backup action `" << name << "`" << (wanted.isEmpty() ? QString() : QStringLiteral(" in service ") + wanted)
                   << "; backup actions: " << (known.isEmpty() ? QStringLiteral("none") : known.join(QStringLiteral(", "))) << "\n";
        return 2;
    }
    if (matches.size() > 1) {
        Cli::err() << "`" << name << "` is a backup action of several services; say which with --service\n";
        return 2;
    }
    auto [service, action] = matches.first();
    // A PostgreSQL source's password comes from the keychain.
    if (SecretResolver::hasReferences(action.source)) {
        QEventLoop loop;
        SecretResolver::Resolution resolution;
        session.resolver()->resolve({action.source}, &loop, [&](const SecretResolver::Resolution &r) {
            resolution = r;
            loop.quit();
        });
        loop.exec();
        if (!resolution.ok()) {
            Cli::err() << "cannot verify " << name << ": " << resolution.errorString() << "\n";
            return 1;
        }
        action.source = resolution.texts.first();
    }
    BackupVerification v = BackupVerifier::verify(service, action, file);
    QString error;
    if (!v.file.isEmpty() && ops && !BackupVerifier::record(*ops, v, &error))
        Cli::err() << "note: " << error << "\n";
    if (format == Cli::Format::Json) {
        Cli::printJson(QJsonObject{{QStringLiteral("service"), service},
                                   {QStringLiteral("action"), action.name},
                                   {QStringLiteral("file"), v.file.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(v.file)},
                                   {QStringLiteral("ok"), v.ok},
                                   {QStringLiteral("summary"), v.summary},
                                   {QStringLiteral("duration_ms"), v.durationMs},
                                   {QStringLiteral("steps"), v.steps}});
    } else {
        if (!v.file.isEmpty())
            Cli::out() << v.file << "\n";
        for (const QJsonValue &step : v.steps) {
            const QJsonObject s = step.toObject();
            Cli::out() << (s.value(QStringLiteral("ok")).toBool() ? "  ok    " : "  FAIL  ") << s.value(QStringLiteral("text")).toString() << "\n";
        }
        (v.ok ? Cli::out() : Cli::err()) << v.summary << "\n";
    }
    return v.ok ? 0 : 1;
}

} // namespace

int runBackup(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "The backups of the config's backup actions (sqlite-backup, pg-dump, tar).\n"
        "  backup list                 per action: destination, count, total size, newest file and age, last verification\n"
        "  backup verify ACTION [FILE] restore the newest backup (or FILE) into a temporary place and check it against its\n"
        "                              manifest; recorded in the store. Exit 0 verified, 1 not (with the reasons), 2 usage.\n"
        "Backups are taken by running the action: `opsdeckctl action run ACTION`."));
    Cli::addCommonOptions(parser, true);
    parser.addOption({QStringLiteral("service"), QStringLiteral("The service whose action it is (when several have one of that name)."),
                      QStringLiteral("name")});
    parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("list or verify."), QStringLiteral("list|verify"));
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("verify: the backup action."), QStringLiteral("[ACTION]"));
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("verify: a backup file (default: the newest)."), QStringLiteral("[FILE]"));
    int code = 0;
    if (!Cli::parse(parser, args, 2, &code))
        return code;
    Cli::Format format = Cli::Format::Text;
    if (!Cli::format(parser, &format, 2, &code))
        return code;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() == 1 && pos.first() == u"list")
        return list(parser, format);
    if ((pos.size() == 2 || pos.size() == 3) && pos.first() == u"verify")
        return verify(parser, format, pos.at(1), pos.value(2));
    Cli::err() << "usage: opsdeckctl backup list [--format json] | backup verify ACTION [FILE] [--service S]\n";
    return 2;
}
