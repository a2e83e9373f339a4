#include "oneshotprobe.h"

#include "clock.h"
#include "probe.h"
#include "probefactory.h"
#include "resultevaluator.h"
#include "secretresolver.h"

#include <QPointer>
#include <memory>

OneShotProbe::OneShotProbe(ProbeFactory *factory, SecretResolver *secrets, const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_factory(factory)
    , m_secrets(secrets)
    , m_clock(clock ? clock : SystemClock::instance())
{
}

void OneShotProbe::run(const QString &service, const CheckConfig &check, QObject *context, Done done)
{
    const qint64 startedAt = m_clock->nowMs();
    const QStringList carriers = check.secretCarriers();
    bool hasSecrets = false;
    for (const QString &text : carriers)
        hasSecrets = hasSecrets || SecretResolver::hasReferences(text);
    if (!hasSecrets || !m_secrets) {
        start(service, check, startedAt, context, std::move(done), nullptr);
        return;
    }
    const QPointer<QObject> guard(context ? context : this);
    m_secrets->resolve(carriers, this, [=, this](const SecretResolver::Resolution &r) {
        if (!guard)
            return;
        if (!r.ok()) {
            CheckResult result;
            result.service = service;
            result.check = check.name;
            result.atMs = startedAt;
            result.outcome = Health::Unknown;
            result.error = r.errorString();
            done(result);
            return;
        }
        start(service, check.withCarriers(r.texts), startedAt, context, done, [r](const QString &t) { return r.redact(t); });
    });
}

void OneShotProbe::start(const QString &service, const CheckConfig &check, qint64 startedAtMs, QObject *context, Done done,
                         std::function<QString(const QString &)> redact)
{
    // The probe needs the check alive while it runs: keep a copy next to it.
    auto owned = std::make_shared<CheckConfig>(check);
    Probe *probe = m_factory->create(check.kind).release();
    probe->setParent(this);
    const QPointer<QObject> guard(context ? context : this);
    connect(probe, &Probe::finished, this, [=, this](const ProbeReading &reading) {
        probe->deleteLater();
        if (!guard)
            return;
        CheckResult result = ResultEvaluator::evaluate(service, *owned, reading, startedAtMs, m_clock->nowMs());
        if (redact) {
            result.error = redact(result.error);
            result.actualValue = redact(result.actualValue);
        }
        done(result);
    });
    probe->start(*owned);
}
