#pragma once

#include "config.h"

#include <QList>
#include <QString>

// How the kiosk runs: what the config's `kiosk:` key says, plus the pacing of its timers (tests and
// the benchmark shorten them; the config does not expose them).
struct KioskOptions
{
    QString screenName;          // a screen by name (HDMI-1); empty: by index
    int screenIndex = -1;        // -1 and no name: the primary screen
    qint64 dwellMs = 15'000;
    QList<KioskSettings::Page> pages = {KioskSettings::Page::Overview, KioskSettings::Page::Budgets,
                                        KioskSettings::Page::Incidents, KioskSettings::Page::Failing};
    qint64 unlockForMs = 5 * 60'000;
    bool burnInShift = true;
    int burnInIntervalMs = 60'000; // how often the content moves by a few pixels

    static KioskOptions fromConfig(const Config &config);
};
