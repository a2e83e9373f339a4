#pragma once

#include "backupinventory.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QTimer>

class Clock;
class OpsDatabase;

// The backup inventory as a tree: one row per backup destination (a backup action and its `to`
// folder) with the count, total size, newest age and last verification, and under it one row per
// backup file with its size, age, manifest checksum and its own latest verification. Read from
// disk and the store by refresh(); nothing here decides anything about backups.
class BackupListModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackupListModel)

public:
    enum Column { NameColumn, SizeColumn, AgeColumn, TakenColumn, ChecksumColumn, VerifiedColumn, ColumnCount };
    enum Role {
        IsFileRole = Qt::UserRole + 1, // false: a destination row
        ServiceRole,
        ActionRole,
        FilePathRole,   // the file (a destination: its newest backup; empty when none)
        DestinationRole,
        VerifiedRole    // -1 never verified, 0 failed, 1 verified
    };

    // `db` (may be null: no verification history) is read on refresh(); not owned.
    BackupListModel(const Clock *clock, QObject *parent = nullptr);

    void refresh(const Config &config, OpsDatabase *db);

    const BackupInventory::Entry *entry(const QModelIndex &index) const; // the destination of any row
    const BackupFile *file(const QModelIndex &index) const;             // null on a destination row
    std::optional<BackupVerification> verification(const QModelIndex &index) const;
    QModelIndex find(const QString &service, const QString &action, const QString &filePath = {}) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString formatSize(qint64 bytes);

private:
    QVariant verificationData(const std::optional<BackupVerification> &v, int role) const;

    const Clock *m_clock;
    QList<BackupInventory::Entry> m_entries;
    QList<QHash<QString, BackupVerification>> m_perFile; // per entry: file path → latest verification
    QTimer m_tick; // ages move on
};
