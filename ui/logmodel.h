#pragma once

#include "logfilter.h"

#include <QAbstractTableModel>
#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <deque>

// The lines of one NDJSON log, newest last: time, level and message of each, and its whole object.
// Keeps at most maxLines() lines (the oldest go first); shows those the filter keeps. Lines that
// are not JSON objects are kept and shown as text (a filter on fields never keeps them).
class LogModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogModel)

public:
    enum Column { TimeColumn, LevelColumn, MessageColumn, ColumnCount };
    enum Role {
        RawRole = Qt::UserRole + 1, // QByteArray: the line as written
        ObjectRole,                 // QJsonObject: the parsed line (empty when not JSON)
        PrettyRole,                 // QString: indented JSON, or the raw text
        SeverityRole                // int(Severity)
    };
    // How loud a line is, from its level word (or an `ok: false`).
    enum class Severity { Normal, Warning, Error };

    explicit LogModel(QObject *parent = nullptr);

    void appendLines(const QList<QByteArray> &lines);
    void clear();
    void setFilter(const LogFilter &filter);
    const LogFilter &filter() const { return m_filter; }

    void setMaxLines(int max);
    int maxLines() const { return m_maxLines; }
    // Lines kept (matching the filter or not), and how many were dropped to stay within maxLines().
    int keptLines() const { return int(m_lines.size()); }
    qint64 droppedLines() const { return m_dropped; }

    static Severity severityOf(const QString &level);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void keptLinesChanged();

private:
    struct Line
    {
        QByteArray raw;
        QJsonObject object;
        bool isObject = false;
        QDateTime time; // invalid when the line has none
        QString level;
        QString message;
        Severity severity = Severity::Normal;
    };
    static Line parse(const QByteArray &raw);
    bool keeps(const Line &line) const;
    const Line &lineAt(int row) const;
    void trim();

    std::deque<Line> m_lines;   // every kept line; m_lines[i] has sequence number m_firstSeq + i
    qint64 m_firstSeq = 0;
    QList<qint64> m_shown;       // sequence numbers of the lines the filter keeps, ascending
    LogFilter m_filter;
    int m_maxLines = 10'000;
    qint64 m_dropped = 0;
};
