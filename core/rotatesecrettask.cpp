#include "rotatesecrettask.h"

#include "clock.h"
#include "oneshotprobe.h"
#include "probefactory.h"
#include "secretresolver.h"

#include <QRandomGenerator>
#include <QTimer>

RotateSecretTask::RotateSecretTask(const Context &context, QObject *parent)
    : ActionTask(context, parent), m_name(context.action.secret), m_store(context.secrets)
{
}

RotateSecretTask::~RotateSecretTask() = default;

QString RotateSecretTask::generateKey(int bytes)
{
    QByteArray raw(qMax(1, bytes), Qt::Uninitialized);
    QRandomGenerator *rng = QRandomGenerator::system();
    for (char &c : raw)
        c = char(rng->bounded(256));
    return QString::fromLatin1(raw.toHex());
}

QStringList RotateSecretTask::preview() const
{
    const ActionConfig &a = context().action;
    const QString check = a.verifyCheck.isEmpty() ? QStringLiteral("(none)") : a.verifyCheck;
    return {QStringLiteral("refuse if %1 exists (an earlier rotation not yet confirmed)").arg(previousName(m_name)),
            QStringLiteral("generate a random key: %1 bytes from the system generator, as %2 hex characters")
                .arg(a.secretBytes).arg(a.secretBytes * 2),
            QStringLiteral("keychain: keep the current value of %1 as %2, store the new key as %1").arg(m_name, previousName(m_name)),
            QStringLiteral("run check `%1` of %2 with the new key").arg(check, context().service),
            QStringLiteral("if it fails: put the previous value back into %1 and remove %2").arg(m_name, previousName(m_name)),
            QStringLiteral("if it passes: keep %1 until `opsdeckctl secret confirm %2` (or `secret rollback %2`)")
                .arg(previousName(m_name), m_name)};
}

void RotateSecretTask::say(const QString &line)
{
    emit output((masked(line) + u'\n').toUtf8());
}

void RotateSecretTask::finish(ActionOutcome::Status status, const QString &summary)
{
    if (m_done)
        return;
    m_done = true;
    ActionOutcome o;
    o.status = status;
    o.exitCode = status == ActionOutcome::Status::Succeeded ? 0 : 1;
    o.summary = masked(summary);
    emit finished(o);
}

void RotateSecretTask::start()
{
    if (m_started)
        return;
    m_started = true;
    QTimer::singleShot(0, this, [this] {
        const ActionConfig &a = context().action;
        if (context().dryRun) {
            for (const QString &line : preview())
                say(QStringLiteral("would: ") + line);
            finish(ActionOutcome::Status::Succeeded, QStringLiteral("dry run: nothing was changed"));
            return;
        }
        if (!m_store) {
            finish(ActionOutcome::Status::Failed, QStringLiteral("no keychain to rotate %1 in").arg(m_name));
            return;
        }
        if (const auto problem = SecretStore::validateName(m_name)) {
            finish(ActionOutcome::Status::Failed, *problem);
            return;
        }
        if (!a.verifyCheckConfig) {
            finish(ActionOutcome::Status::Failed,
                   QStringLiteral("rotate-secret needs `verify_check`: a check of %1 that uses ${secret:%2}").arg(context().service, m_name));
            return;
        }
        if (a.timeoutMs > 0)
            QTimer::singleShot(int(qMin<qint64>(a.timeoutMs, std::numeric_limits<int>::max())), this, [this] {
                if (m_done)
                    return;
                if (m_newWritten)
                    rollBack(QStringLiteral("timed out"));
                else
                    finish(ActionOutcome::Status::TimedOut, QStringLiteral("timed out; nothing was changed"));
            });
        readPrevious();
    });
}

void RotateSecretTask::cancel()
{
    if (!m_started || m_done)
        return;
    m_cancelled = true;
}

bool RotateSecretTask::stopIfCancelled()
{
    if (!m_cancelled || m_done)
        return m_done;
    if (m_newWritten)
        rollBack(QStringLiteral("cancelled"));
    else
        finish(ActionOutcome::Status::Cancelled, QStringLiteral("cancelled; nothing was changed"));
    return true;
}

void RotateSecretTask::readPrevious()
{
    m_store->read(previousName(m_name), this, [this](const SecretStore::Result &r) {
        if (stopIfCancelled())
            return;
        if (r.ok()) {
            finish(ActionOutcome::Status::Failed,
                   QStringLiteral("an earlier rotation of %1 is not confirmed yet (%2 still holds the old value): "
                                  "confirm it with `opsdeckctl secret confirm %1` or take it back with "
                                  "`opsdeckctl secret rollback %1`, then rotate again")
                       .arg(m_name, previousName(m_name)));
            return;
        }
        if (r.status != SecretStore::Status::NotSet) {
            finish(ActionOutcome::Status::Failed, QStringLiteral("nothing was changed: ") + r.message);
            return;
        }
        readCurrent();
    });
}

void RotateSecretTask::readCurrent()
{
    m_store->read(m_name, this, [this](const SecretStore::Result &r) {
        if (stopIfCancelled())
            return;
        if (r.ok()) {
            m_old = r.value;
            m_hasOld = true;
            keepPrevious();
        } else if (r.status == SecretStore::Status::NotSet) {
            say(QStringLiteral("%1 is not set yet: this is its first key").arg(m_name));
            writeNew();
        } else {
            finish(ActionOutcome::Status::Failed, QStringLiteral("nothing was changed: ") + r.message);
        }
    });
}

void RotateSecretTask::keepPrevious()
{
    m_store->write(previousName(m_name), m_old, this, [this](const SecretStore::Result &r) {
        if (!r.ok()) {
            finish(ActionOutcome::Status::Failed, QStringLiteral("nothing was changed: ") + r.message);
            return;
        }
        say(QStringLiteral("kept the current value of %1 as %2").arg(m_name, previousName(m_name)));
        if (stopIfCancelled()) {
            m_store->remove(previousName(m_name), this, [](const SecretStore::Result &) {});
            return;
        }
        writeNew();
    });
}

void RotateSecretTask::writeNew()
{
    const QString key = generateKey(context().action.secretBytes);
    m_store->write(m_name, key, this, [this](const SecretStore::Result &r) {
        if (!r.ok()) {
            // The keychain refused the new value: NAME is unchanged; drop the copy.
            if (m_hasOld)
                m_store->remove(previousName(m_name), this, [](const SecretStore::Result &) {});
            finish(ActionOutcome::Status::Failed, QStringLiteral("the new key was not stored: %1; %2 is unchanged").arg(r.message, m_name));
            return;
        }
        m_newWritten = true;
        say(QStringLiteral("stored a new %1-byte key as %2").arg(context().action.secretBytes).arg(m_name));
        if (stopIfCancelled())
            return;
        verify();
    });
}

void RotateSecretTask::verify()
{
    const CheckConfig &check = *context().action.verifyCheckConfig;
    say(QStringLiteral("running check `%1` of %2 with the new key").arg(check.name, context().service));
    // A resolver of its own: nothing cached, so ${secret:NAME} is read from the keychain now.
    m_factory = new ProbeFactory(this);
    m_resolver = new SecretResolver(m_store, this);
    if (context().clock)
        m_resolver->setClock(context().clock);
    m_probe = new OneShotProbe(m_factory, m_resolver, context().clock ? context().clock : SystemClock::instance(), this);
    m_probe->run(context().service, check, this, [this, name = check.name](const CheckResult &result) {
        if (m_done)
            return;
        if (m_cancelled) {
            rollBack(QStringLiteral("cancelled"));
            return;
        }
        if (result.outcome == Health::Ok) {
            finish(ActionOutcome::Status::Succeeded,
                   QStringLiteral("rotated %1: check `%2` passed with the new key; the previous value is kept as %3 until "
                                  "`opsdeckctl secret confirm %1`")
                       .arg(m_name, name, previousName(m_name)));
            return;
        }
        const QString reason = result.reason().isEmpty() ? healthName(result.outcome) : result.reason();
        rollBack(QStringLiteral("check `%1` failed with the new key: %2").arg(name, reason));
    });
}

void RotateSecretTask::rollBack(const QString &why)
{
    say(QStringLiteral("%1; rolling back").arg(why));
    const auto status = why == u"cancelled" ? ActionOutcome::Status::Cancelled
        : why == u"timed out"              ? ActionOutcome::Status::TimedOut
                                           : ActionOutcome::Status::Failed;
    auto dropPrevious = [this, why, status] {
        m_store->remove(previousName(m_name), this, [this, why, status](const SecretStore::Result &r) {
            if (!r.ok() && r.status != SecretStore::Status::NotSet) {
                finish(status, QStringLiteral("%1; %2 holds its previous value again, but %3 could not be removed: %4")
                                   .arg(why, m_name, previousName(m_name), r.message));
                return;
            }
            finish(status, QStringLiteral("%1; rolled back: %2 holds its previous value again").arg(why, m_name));
        });
    };
    if (!m_hasOld) {
        m_store->remove(m_name, this, [this, why, status](const SecretStore::Result &r) {
            if (!r.ok() && r.status != SecretStore::Status::NotSet)
                finish(status, QStringLiteral("%1; and the new key could not be removed from %2: %3").arg(why, m_name, r.message));
            else
                finish(status, QStringLiteral("%1; rolled back: %2 is not set, as before").arg(why, m_name));
        });
        return;
    }
    m_store->write(m_name, m_old, this, [this, why, status, dropPrevious](const SecretStore::Result &r) {
        if (!r.ok()) {
            finish(status, QStringLiteral("%1; the rollback FAILED: %2 — the previous value is still in %3: "
                                          "`opsdeckctl secret rollback %4`")
                               .arg(why, r.message, previousName(m_name), m_name));
            return;
        }
        dropPrevious();
    });
}
