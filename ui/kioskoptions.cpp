#include "kioskoptions.h"

KioskOptions KioskOptions::fromConfig(const Config &config)
{
    const KioskSettings &k = config.kiosk;
    KioskOptions o;
    o.screenName = k.screenName;
    o.screenIndex = k.screenIndex;
    o.dwellMs = k.dwellMs;
    o.pages = k.pages;
    o.unlockForMs = k.unlockForMs;
    o.burnInShift = k.burnInShift;
    return o;
}
