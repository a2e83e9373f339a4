#pragma once

#include "actiontask.h"
#include "secretstore.h"

#include <QPointer>
#include <memory>

class OneShotProbe;
class ProbeFactory;
class SecretResolver;

// `builtin: rotate-secret` — the runbooks' key rotation in one step, with a way back:
//   1. refuse while an earlier rotation of `secret` is not confirmed (NAME.previous exists);
//   2. generate `secret_bytes` random bytes (QRandomGenerator::system()), written as hex;
//   3. keychain: the current value of NAME moves to NAME.previous, the new value becomes NAME
//      (what every ${secret:NAME} reads from now on);
//   4. run the service's `verify_check` once with the new value (its ${secret:…} read afresh from
//      the keychain);
//   5. the check fails: NAME gets its previous value back and NAME.previous is removed — the run
//      fails saying why; it passes: NAME.previous is kept until the operator confirms the new
//      key (`opsdeckctl secret confirm NAME`) or takes it back (`opsdeckctl secret rollback NAME`).
// No value is ever printed, logged or put into a message.
class RotateSecretTask final : public ActionTask
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RotateSecretTask)

public:
    explicit RotateSecretTask(const Context &context, QObject *parent = nullptr);
    ~RotateSecretTask() override;

    QStringList preview() const override;
    void start() override;
    void cancel() override;

    static QString previousName(const QString &name) { return name + QStringLiteral(".previous"); }
    // A new key: `bytes` random bytes from the system's generator, as lower-case hex.
    static QString generateKey(int bytes);

private:
    void say(const QString &line);
    void finish(ActionOutcome::Status status, const QString &summary);
    bool stopIfCancelled();
    void readPrevious();
    void readCurrent();
    void keepPrevious();
    void writeNew();
    void verify();
    void rollBack(const QString &why);

    QString m_name;
    QString m_old;
    bool m_hasOld = false;
    bool m_newWritten = false;
    bool m_started = false;
    bool m_done = false;
    bool m_cancelled = false;
    QPointer<SecretStore> m_store;
    ProbeFactory *m_factory = nullptr;
    SecretResolver *m_resolver = nullptr;
    OneShotProbe *m_probe = nullptr;
};
