#pragma once

#include "builtintask.h"

// `builtin: tar` — a tar.gz of `sources` (folders and files) into `to/<action>-<stamp>.tar.gz`
// with the tar program (argv, never a shell; each source as `-C <parent> <name>`, so the archive
// holds relative paths), then a manifest with the number of files in the archive (listed back
// with `tar -tzf`) and its sha256; then the action's retention.
class TarArchiveTask final : public BuiltinTask
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TarArchiveTask)

public:
    using BuiltinTask::BuiltinTask;
    QStringList preview() const override;

    // The files (not folders) in a tar.gz listing, as `tar -tzf` prints it; nullopt and *error
    // when tar cannot read it. Shared with verification.
    static std::optional<qint64> countFiles(const Work *work, const QString &archive, QString *error);

protected:
    ActionOutcome run(Work &work) override;

private:
    QStringList createArgs(const QString &archive) const;
};
