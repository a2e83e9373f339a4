#include "logmodel.h"

#include "conditionevaluator.h"
#include "healthstyle.h"

#include <QBrush>
#include <QFont>
#include <QJsonDocument>
#include <QLocale>
#include <algorithm>

namespace {

const char *const kTimeFields[] = {"ts", "timestamp", "time", "@timestamp"};
const char *const kLevelFields[] = {"level", "severity", "lvl", "loglevel"};
const char *const kMessageFields[] = {"msg", "message", "event", "error", "route", "action"};

QString scalarText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble() || v.isBool())
        return ConditionEvaluator::display(v);
    return {};
}

} // namespace

LogModel::LogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

LogModel::Severity LogModel::severityOf(const QString &level)
{
    const QString l = level.trimmed().toLower();
    static const QStringList errors = {QStringLiteral("error"), QStringLiteral("err"), QStringLiteral("fatal"),
                                       QStringLiteral("critical"), QStringLiteral("crit"), QStringLiteral("panic"),
                                       QStringLiteral("emerg"), QStringLiteral("alert")};
    static const QStringList warnings = {QStringLiteral("warn"), QStringLiteral("warning")};
    if (errors.contains(l))
        return Severity::Error;
    if (warnings.contains(l))
        return Severity::Warning;
    return Severity::Normal;
}

LogModel::Line LogModel::parse(const QByteArray &raw)
{
    Line line;
    line.raw = raw;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(raw, &error);
    if (!doc.isObject()) {
        line.message = QString::fromUtf8(raw);
        return line;
    }
    line.isObject = true;
    line.object = doc.object();
    for (const char *f : kTimeFields) {
        const QJsonValue v = line.object.value(QLatin1String(f));
        if (v.isUndefined())
            continue;
        if (const auto ms = ConditionEvaluator::toEpochMs(v))
            line.time = QDateTime::fromMSecsSinceEpoch(*ms);
        break;
    }
    for (const char *f : kLevelFields) {
        const QString v = scalarText(line.object.value(QLatin1String(f)));
        if (!v.isEmpty()) {
            line.level = v;
            break;
        }
    }
    line.severity = severityOf(line.level);
    if (line.level.isEmpty() && line.object.value(QLatin1String("ok")).isBool()) {
        // Audit-style logs say `"ok": false` instead of a level.
        const bool ok = line.object.value(QLatin1String("ok")).toBool();
        line.level = ok ? tr("ok") : tr("failed");
        line.severity = ok ? Severity::Normal : Severity::Error;
    }
    QStringList parts;
    for (const char *f : kMessageFields) {
        const QString v = scalarText(line.object.value(QLatin1String(f)));
        if (!v.isEmpty())
            parts << (parts.isEmpty() ? v : QStringLiteral("%1=%2").arg(QLatin1String(f), v));
    }
    if (parts.isEmpty()) {
        // No message field: the other fields, compact, so the row still says something.
        QJsonObject rest = line.object;
        for (const char *f : kTimeFields)
            rest.remove(QLatin1String(f));
        for (const char *f : kLevelFields)
            rest.remove(QLatin1String(f));
        line.message = QString::fromUtf8(QJsonDocument(rest).toJson(QJsonDocument::Compact));
    } else {
        line.message = parts.join(QStringLiteral("  "));
    }
    return line;
}

bool LogModel::keeps(const Line &line) const
{
    if (m_filter.isEmpty())
        return true;
    return line.isObject && m_filter.matches(line.object, QDateTime::currentMSecsSinceEpoch());
}

void LogModel::appendLines(const QList<QByteArray> &lines)
{
    QList<qint64> added;
    for (const QByteArray &raw : lines) {
        if (raw.trimmed().isEmpty())
            continue;
        m_lines.push_back(parse(raw));
        const qint64 seq = m_firstSeq + qint64(m_lines.size()) - 1;
        if (keeps(m_lines.back()))
            added << seq;
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_shown.size()), int(m_shown.size() + added.size()) - 1);
        m_shown << added;
        endInsertRows();
    }
    trim();
    emit keptLinesChanged();
}

void LogModel::trim()
{
    const qsizetype excess = qsizetype(m_lines.size()) - m_maxLines;
    if (excess <= 0)
        return;
    m_lines.erase(m_lines.begin(), m_lines.begin() + excess);
    m_firstSeq += excess;
    m_dropped += excess;
    const auto firstKept = std::lower_bound(m_shown.begin(), m_shown.end(), m_firstSeq);
    const int gone = int(firstKept - m_shown.begin());
    if (gone > 0) {
        beginRemoveRows({}, 0, gone - 1);
        m_shown.remove(0, gone);
        endRemoveRows();
    }
}

void LogModel::clear()
{
    beginResetModel();
    m_firstSeq += qint64(m_lines.size());
    m_lines.clear();
    m_shown.clear();
    m_dropped = 0;
    endResetModel();
    emit keptLinesChanged();
}

void LogModel::setFilter(const LogFilter &filter)
{
    beginResetModel();
    m_filter = filter;
    m_shown.clear();
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        if (keeps(m_lines[i]))
            m_shown << m_firstSeq + qint64(i);
    }
    endResetModel();
}

void LogModel::setMaxLines(int max)
{
    m_maxLines = qMax(1, max);
    trim();
    emit keptLinesChanged();
}

const LogModel::Line &LogModel::lineAt(int row) const
{
    return m_lines[std::size_t(m_shown.at(row) - m_firstSeq)];
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_shown.size());
}

int LogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Line &line = lineAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return line.time.isValid() ? line.time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")) : QString();
        case LevelColumn:
            // The word is shown with its colour and weight: never colour alone.
            return line.level.toUpper();
        case MessageColumn:
            return line.message;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == MessageColumn)
            return line.message.size() > 200 ? line.message.left(200) + QChar(0x2026) : line.message;
        if (index.column() == TimeColumn && line.time.isValid())
            return QLocale().toString(line.time.toLocalTime(), QLocale::LongFormat);
        return {};
    case Qt::ForegroundRole:
        if (index.column() != LevelColumn)
            return {};
        if (line.severity == Severity::Error)
            return QBrush(HealthStyle::color(Health::Down));
        if (line.severity == Severity::Warning)
            return QBrush(HealthStyle::color(Health::Degraded));
        return {};
    case Qt::FontRole:
        if (index.column() == LevelColumn && line.severity != Severity::Normal) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() != LevelColumn)
            return {};
        if (line.severity == Severity::Error)
            return HealthStyle::icon(Health::Down);
        if (line.severity == Severity::Warning)
            return HealthStyle::icon(Health::Degraded);
        return {};
    case RawRole:
        return line.raw;
    case ObjectRole:
        return line.object;
    case PrettyRole:
        return line.isObject ? QString::fromUtf8(QJsonDocument(line.object).toJson(QJsonDocument::Indented)).trimmed()
                             : QString::fromUtf8(line.raw);
    case SeverityRole:
        return int(line.severity);
    }
    return {};
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn: return tr("Time");
    case LevelColumn: return tr("Level");
    case MessageColumn: return tr("Message");
    }
    return {};
}
