#pragma once

#include "config.h"

#include <QList>
#include <optional>

// Reads one YAML file into a Config. Collects every problem rather than stopping at the first, each
// naming file, line, column and field and saying what was expected. A config with any error is
// not returned: the caller keeps what it was running.
class ConfigLoader
{
public:
    struct Result
    {
        std::optional<Config> config;
        QList<ConfigIssue> issues; // errors and warnings, in file order

        bool ok() const { return config.has_value(); }
        int errorCount() const;
    };

    static Result loadFile(const QString &path);
    // `text` as if read from `path` (relative paths resolve against the path's directory).
    static Result loadText(const QByteArray &text, const QString &path);

    // The default config location: $XDG_CONFIG_HOME/opsdeck/opsdeck.yaml.
    static QString defaultPath();
};
