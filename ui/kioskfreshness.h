#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

class CoreSession;

// Whether what the kiosk shows is still the truth. It is not when the watcher is blind, when no
// result has come in for more than two of the smallest configured check intervals (the poller is
// stopped or stuck), or when the history store refuses writes. A timer of at most one such interval
// re-judges, so a stall is shown within two intervals of the first missed poll; results, blindness
// and store signals re-judge at once, so the banner also goes as soon as the truth is back.
class KioskFreshness final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KioskFreshness)

public:
    explicit KioskFreshness(CoreSession *session, QObject *parent = nullptr);

    bool isStale() const { return !m_reason.isEmpty(); }
    QString reason() const { return m_reason; } // for people; empty while fresh
    qint64 lastResultMs() const;                // 0: nothing yet
    qint64 stallAfterMs() const { return m_stallAfterMs; }
    int tickMs() const { return m_tick.interval(); }

    // Judges now (done by itself on the timer and on the core's signals).
    void reevaluate();

signals:
    void changed();

private:
    void configure();
    QString judge() const;

    CoreSession *m_session;
    QTimer m_tick;
    qint64 m_sinceMs = 0;       // results are expected from here on (start, or config load)
    qint64 m_stallAfterMs = 0;
    QString m_storeError;       // the last refused write, until writes work again
    QString m_reason;
};
