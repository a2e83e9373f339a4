#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QPair>
#include <QString>

// A compact JSON object with its keys in the given order. QJsonObject sorts keys, which is fine for
// HTTP bodies but not for lines people read or match by eye: the audit log starts with "ts" like
// EchoPilot's, and the ready line lists the systems in the runbooks' order.
QByteArray orderedJson(const QList<QPair<QString, QJsonValue>> &fields);
