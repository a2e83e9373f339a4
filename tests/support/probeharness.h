#pragma once

#include "checkresult.h"
#include "conditionparser.h"
#include "config.h"
#include "probe.h"
#include "probefactory.h"
#include "resultevaluator.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

// Runs one check through the real probe and evaluator, waiting on the event loop.
struct ProbeRun
{
    ProbeReading reading;
    CheckResult result;
    qint64 elapsedMs = 0;
    bool finished = false;
};

inline CheckConfig makeCheck(CheckKind kind, const QStringList &conditions, qint64 timeoutMs = 2000)
{
    CheckConfig c;
    c.name = QStringLiteral("probe");
    c.kind = kind;
    c.timeoutMs = timeoutMs;
    c.intervalMs = qMax<qint64>(timeoutMs * 2, 1000);
    for (const QString &text : conditions) {
        const auto parsed = ConditionParser::parse(text);
        if (const auto *c2 = std::get_if<Condition>(&parsed))
            c.conditions.append({*c2, {}});
        else
            qFatal("bad condition in test: %s", qPrintable(text));
    }
    return c;
}

inline ProbeRun runProbe(ProbeFactory &factory, const CheckConfig &check, int waitMs = 30'000)
{
    ProbeRun run;
    std::unique_ptr<Probe> probe = factory.create(check.kind);
    QObject::connect(probe.get(), &Probe::finished, [&run](const ProbeReading &r) {
        run.reading = r;
        run.finished = true;
    });
    QElapsedTimer t;
    t.start();
    const qint64 started = QDateTime::currentMSecsSinceEpoch();
    probe->start(check);
    if (!QTest::qWaitFor([&run] { return run.finished; }, waitMs))
        QTest::qFail("the probe never finished", __FILE__, __LINE__);
    run.elapsedMs = t.elapsed();
    run.result = ResultEvaluator::evaluate(QStringLiteral("svc"), check, run.reading, started,
                                           QDateTime::currentMSecsSinceEpoch());
    return run;
}
