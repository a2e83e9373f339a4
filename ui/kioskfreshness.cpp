#include "kioskfreshness.h"

#include "clock.h"
#include "coresession.h"
#include "historystore.h"
#include "watcher.h"

#include <QCoreApplication>
#include <algorithm>

KioskFreshness::KioskFreshness(CoreSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    Watcher *watcher = session->watcher();
    connect(watcher, &Watcher::resultRecorded, this, &KioskFreshness::reevaluate);
    connect(watcher, &Watcher::blindChanged, this, &KioskFreshness::reevaluate);
    connect(session, &CoreSession::configLoaded, this, &KioskFreshness::configure);
    if (HistoryStore *store = session->history()) {
        connect(store, &HistoryStore::writeFailed, this, [this](const QString &message) {
            m_storeError = message;
            reevaluate();
        });
        connect(store, &HistoryStore::writesRecovered, this, [this] {
            m_storeError.clear();
            reevaluate();
        });
    }
    connect(&m_tick, &QTimer::timeout, this, &KioskFreshness::reevaluate);
    configure();
}

void KioskFreshness::configure()
{
    qint64 smallest = 0;
    const Config &config = m_session->config();
    for (const ServiceConfig &s : config.services)
        for (const CheckConfig &c : s.checks)
            smallest = smallest == 0 ? c.intervalMs : qMin(smallest, c.intervalMs);
    if (config.connectivity)
        smallest = smallest == 0 ? config.connectivity->intervalMs : qMin(smallest, config.connectivity->intervalMs);
    if (smallest == 0)
        smallest = 60'000;
    m_stallAfterMs = 2 * smallest;
    // At most one interval between judgements, and at most a second so "updated N s ago" and the
    // banner agree; never faster than 50 ms however short the checks.
    m_tick.start(int(std::clamp<qint64>(smallest, 50, 1000)));
    m_sinceMs = m_session->clock()->nowMs();
    reevaluate();
}

qint64 KioskFreshness::lastResultMs() const
{
    return m_session->watcher()->lastResultMs();
}

QString KioskFreshness::judge() const
{
    Watcher *watcher = m_session->watcher();
    if (watcher->isBlind())
        return QCoreApplication::translate("KioskFreshness", "OpsDeck cannot see: %1").arg(watcher->blindReason());
    if (!m_session->history() || !m_session->history()->isOpen())
        return QCoreApplication::translate("KioskFreshness", "The history store is not open");
    if (!m_storeError.isEmpty())
        return QCoreApplication::translate("KioskFreshness", "The history store fails: %1").arg(m_storeError);
    const qint64 now = m_session->clock()->nowMs();
    const qint64 reference = qMax(lastResultMs(), m_sinceMs);
    if (now - reference > m_stallAfterMs) {
        const qint64 seconds = (now - reference + 999) / 1000;
        if (!watcher->isRunning())
            return QCoreApplication::translate("KioskFreshness", "Checks are not running: no result for %n s", nullptr, int(seconds));
        return QCoreApplication::translate("KioskFreshness", "Checks have stalled: no result for %n s", nullptr, int(seconds));
    }
    return {};
}

void KioskFreshness::reevaluate()
{
    const QString reason = judge();
    if (reason == m_reason)
        return;
    m_reason = reason;
    emit changed();
}
