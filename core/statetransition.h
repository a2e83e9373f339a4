#pragma once

#include "health.h"

#include <QMetaType>
#include <QString>

// A debounced change of a check's or a service's health, as emitted by core and kept in history.
struct StateTransition
{
    QString service;
    QString check;   // empty for the service as a whole
    qint64 atMs = 0; // ms since epoch, UTC
    Health from = Health::Unknown;
    Health to = Health::Unknown;
    QString reason;  // the failed condition with its value, the error, or why OpsDeck is blind
};
Q_DECLARE_METATYPE(StateTransition)
