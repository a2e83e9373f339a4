#include "backuplistmodel.h"

#include "backupverifier.h"
#include "clock.h"
#include "duration.h"
#include "healthstyle.h"

#include <QDateTime>
#include <QFont>
#include <QDir>
#include <QLocale>

namespace {
// Destination rows carry no parent; a file row's internal id is its destination's row + 1.
constexpr quintptr kTop = 0;

// Ages in whole seconds: a backup taken a moment ago is "<1s" old, not "791ms".
QString age(qint64 ms)
{
    return ms < 1000 ? BackupListModel::tr("<1s") : Duration::format(ms / 1000 * 1000);
}

QString localTime(qint64 ms)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QStringLiteral("yyyy-MM-dd HH:mm"));
}
} // namespace

BackupListModel::BackupListModel(const Clock *clock, QObject *parent)
    : QAbstractItemModel(parent)
    , m_clock(clock)
{
    m_tick.setInterval(10'000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        for (int i = 0; i < m_entries.size(); ++i) {
            emit dataChanged(index(i, AgeColumn), index(i, AgeColumn));
            const QModelIndex p = index(i, 0);
            if (rowCount(p) > 0)
                emit dataChanged(index(0, AgeColumn, p), index(rowCount(p) - 1, AgeColumn, p));
        }
    });
    m_tick.start();
}

QString BackupListModel::formatSize(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

void BackupListModel::refresh(const Config &config, OpsDatabase *db)
{
    beginResetModel();
    m_entries = BackupInventory::collect(config, db);
    m_perFile.clear();
    for (const BackupInventory::Entry &e : std::as_const(m_entries))
        m_perFile.append(db ? BackupVerifier::latestPerFile(*db, e.service, e.action) : QHash<QString, BackupVerification>());
    endResetModel();
}

const BackupInventory::Entry *BackupListModel::entry(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    const qsizetype row = index.internalId() == kTop ? index.row() : qsizetype(index.internalId() - 1);
    return row < m_entries.size() ? &m_entries.at(row) : nullptr;
}

const BackupFile *BackupListModel::file(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == kTop)
        return nullptr;
    const BackupInventory::Entry *e = entry(index);
    return e && index.row() < e->files.size() ? &e->files.at(index.row()) : nullptr;
}

std::optional<BackupVerification> BackupListModel::verification(const QModelIndex &index) const
{
    const BackupInventory::Entry *e = entry(index);
    if (!e)
        return std::nullopt;
    if (const BackupFile *f = file(index)) {
        const qsizetype row = qsizetype(index.internalId() - 1);
        const auto &files = m_perFile.at(row);
        const auto it = files.constFind(f->path);
        return it == files.cend() ? std::nullopt : std::optional<BackupVerification>(*it);
    }
    return e->lastVerification;
}

QModelIndex BackupListModel::find(const QString &service, const QString &action, const QString &filePath) const
{
    for (int i = 0; i < m_entries.size(); ++i) {
        const BackupInventory::Entry &e = m_entries.at(i);
        if (e.service != service || e.action != action)
            continue;
        if (filePath.isEmpty())
            return index(i, 0);
        for (int j = 0; j < e.files.size(); ++j)
            if (e.files.at(j).path == filePath)
                return index(j, 0, index(i, 0));
        return index(i, 0);
    }
    return {};
}

QModelIndex BackupListModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return row < m_entries.size() ? createIndex(row, column, kTop) : QModelIndex();
    if (parent.internalId() != kTop || parent.row() >= m_entries.size() || row >= m_entries.at(parent.row()).files.size())
        return {};
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex BackupListModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kTop)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kTop);
}

int BackupListModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_entries.size());
    if (parent.internalId() != kTop || parent.column() != 0 || parent.row() >= m_entries.size())
        return 0;
    return int(m_entries.at(parent.row()).files.size());
}

int BackupListModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant BackupListModel::verificationData(const std::optional<BackupVerification> &v, int role) const
{
    const qint64 now = m_clock->nowMs();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        if (!v)
            return tr("never verified");
        return v->ok ? tr("verified %1 ago").arg(age(now - v->atMs))
                     : tr("FAILED %1 ago").arg(age(now - v->atMs));
    case Qt::DecorationRole:
        return HealthStyle::icon(!v ? Health::Unknown : v->ok ? Health::Ok : Health::Down);
    case Qt::ToolTipRole:
        return v ? tr("%1 — %2\n%3").arg(localTime(v->atMs), QDir::toNativeSeparators(v->file), v->summary)
                 : tr("Never verified: select it and press Verify");
    case VerifiedRole: return !v ? -1 : v->ok ? 1 : 0;
    }
    return {};
}

QVariant BackupListModel::data(const QModelIndex &index, int role) const
{
    const BackupInventory::Entry *e = entry(index);
    if (!e)
        return {};
    const BackupFile *f = file(index);
    const qint64 now = m_clock->nowMs();
    switch (role) {
    case IsFileRole: return f != nullptr;
    case ServiceRole: return e->service;
    case ActionRole: return e->action;
    case DestinationRole: return e->destination;
    case FilePathRole:
        if (f)
            return f->path;
        return e->newest() ? e->newest()->path : QString();
    case VerifiedRole: return verificationData(verification(index), role);
    }
    if (index.column() == VerifiedColumn && role != Qt::TextAlignmentRole)
        return verificationData(verification(index), role);

    if (!f) { // a destination
        const BackupFile *newest = e->newest();
        switch (role) {
        case Qt::DisplayRole:
        case Qt::AccessibleTextRole:
            switch (index.column()) {
            case NameColumn:
                return tr("%1/%2 → %3").arg(e->service, e->action, QDir::toNativeSeparators(e->destination));
            case SizeColumn:
                return e->files.isEmpty() ? QString() : tr("%n backup(s), %1", nullptr, int(e->files.size())).arg(formatSize(e->totalBytes()));
            case AgeColumn:
                // A folder that is missing or unreadable is said on the name (icon, tooltip) and below.
                return newest ? age(now - newest->takenAtMs) : tr("no backups yet");
            case TakenColumn: return newest ? localTime(newest->takenAtMs) : QString();
            case ChecksumColumn: return e->kind;
            }
            break;
        case Qt::DecorationRole:
            if (index.column() == NameColumn && !e->error.isEmpty())
                return HealthStyle::icon(Health::Down);
            if (index.column() == NameColumn && e->files.isEmpty())
                return HealthStyle::icon(Health::Unknown);
            break;
        case Qt::ToolTipRole:
            if (!e->error.isEmpty())
                return e->error;
            if (!e->snapshots.isEmpty())
                return tr("%1 (%2)\n%n pre-restore snapshot(s) in the folder, newest %3", nullptr, int(e->snapshots.size()))
                    .arg(QDir::toNativeSeparators(e->destination), e->kind, e->snapshots.first().name);
            return tr("%1 (%2)").arg(QDir::toNativeSeparators(e->destination), e->kind);
        case Qt::FontRole:
            if (index.column() == NameColumn) {
                QFont font;
                font.setBold(true);
                return font;
            }
            break;
        }
        return {};
    }

    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        switch (index.column()) {
        case NameColumn: return f->name;
        case SizeColumn: return formatSize(f->sizeBytes);
        case AgeColumn: return age(now - f->takenAtMs);
        case TakenColumn: return localTime(f->takenAtMs);
        case ChecksumColumn:
            return f->manifest ? f->manifest->sha256.left(12) + QStringLiteral("…") : tr("no manifest");
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == ChecksumColumn)
            return f->manifest ? tr("sha256 %1 (from its manifest)").arg(f->manifest->sha256) : f->manifestError;
        if (index.column() == NameColumn)
            return QDir::toNativeSeparators(f->path);
        break;
    case Qt::DecorationRole:
        if (index.column() == ChecksumColumn && !f->manifest)
            return HealthStyle::icon(Health::Degraded);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == AgeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    }
    return {};
}

QVariant BackupListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Backup");
    case SizeColumn: return tr("Size");
    case AgeColumn: return tr("Age");
    case TakenColumn: return tr("Taken");
    case ChecksumColumn: return tr("SHA-256");
    case VerifiedColumn: return tr("Verification");
    }
    return {};
}
