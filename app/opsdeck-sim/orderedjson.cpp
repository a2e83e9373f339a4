#include "orderedjson.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {
QByteArray encode(const QJsonValue &value)
{
    // QJsonDocument only serialises arrays and objects: wrap, serialise, unwrap.
    const QByteArray wrapped = QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}
} // namespace

QByteArray orderedJson(const QList<QPair<QString, QJsonValue>> &fields)
{
    QByteArray out = "{";
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            out += ',';
        out += encode(fields.at(i).first) + ':' + encode(fields.at(i).second);
    }
    return out + '}';
}
