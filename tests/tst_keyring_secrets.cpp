// Secrets through the real OS keychain. CTest runs this suite through tests/run-with-keyring.sh,
// which provides a private session bus and a freshly unlocked gnome-keyring; without one the
// suite fails in initTestCase() instead of skipping, since CI always provides one.
#include "fakeclock.h"
#include "secretresolver.h"
#include "secretstore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <optional>

using namespace std::chrono_literals;
using Status = SecretStore::Status;

namespace {

const QString kService = QStringLiteral("opsdeck-test");
// Set for the child processes of timeoutWhenTheSecretServiceHangs() and noSecretService(), which
// run that one test function on a private session bus without a working Secret Service.
const char kPrivateBusEnv[] = "OPSDECK_TST_PRIVATE_BUS";
const QString kTimeoutTest = QStringLiteral("timeoutWhenTheSecretServiceHangs");

bool inPrivateBusChild()
{
    return qEnvironmentVariableIsSet(kPrivateBusEnv);
}

SecretResolver::Resolution resolveAndWait(SecretResolver &resolver, const QStringList &texts)
{
    QObject context; // drops the callback if we give up waiting
    std::optional<SecretResolver::Resolution> out;
    resolver.resolve(texts, &context, [&out](const SecretResolver::Resolution &r) { out = r; });
    if (!QTest::qWaitFor([&out] { return out.has_value(); }, 20000)) {
        QTest::qFail("the resolver did not answer within 20 s", __FILE__, __LINE__);
        return {};
    }
    return *out;
}

} // namespace

class TestKeyringSecrets : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        if (inPrivateBusChild())
            return;
        const QByteArray sandbox = qgetenv("OPSDECK_KEYRING_SANDBOX");
        QVERIFY2(!sandbox.isEmpty(),
                 "run this suite through tests/run-with-keyring.sh (ctest does): it needs a private "
                 "session bus with an unlocked gnome-keyring and must not touch your own keyring");
        // The index lives in the sandbox, never in the operator's data directory.
        SecretStore store(kService);
        QVERIFY2(store.indexFilePath().startsWith(QString::fromLocal8Bit(sandbox)),
                 qPrintable(store.indexFilePath()));

        // Fail loudly when no Secret Service is reachable.
        store.setTimeout(10s);
        const auto written = store.writeBlocking(QStringLiteral("canary"), QStringLiteral("tweet"));
        QVERIFY2(written.ok(), qPrintable(QStringLiteral("no usable Secret Service: ") + written.message));
        const auto read = store.readBlocking(QStringLiteral("canary"));
        QVERIFY2(read.ok(), qPrintable(read.message));
        QCOMPARE(read.value, QStringLiteral("tweet"));
        QVERIFY(store.removeBlocking(QStringLiteral("canary")).ok());
    }

    void cleanup()
    {
        if (inPrivateBusChild())
            return;
        // Leave an empty keychain and index for the next test.
        SecretStore store(kService);
        const QStringList names = store.names();
        for (const QString &name : names)
            QVERIFY(store.removeBlocking(name).ok());
        QVERIFY(store.names().isEmpty());
        QFile::remove(store.indexFilePath());
    }

    void roundTrip()
    {
        SecretStore store(kService);
        QCOMPARE(store.serviceName(), kService);
        QCOMPARE(store.timeout(), 5000ms);
        const QString name = QStringLiteral("echopilot-dash-key");

        auto r = store.writeBlocking(name, QStringLiteral("first-value"));
        QVERIFY2(r.ok(), qPrintable(r.message));
        QVERIFY(r.message.isEmpty());
        r = store.readBlocking(name);
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.value, QStringLiteral("first-value"));
        QCOMPARE(r.name, name);

        // Overwrite, with characters that must survive unchanged (and never be expanded).
        const QString tricky = QStringLiteral("pä$$ wörd ✓ \"quoted\" ${secret:other} 🔑");
        QVERIFY(store.writeBlocking(name, tricky).ok());
        r = store.readBlocking(name);
        QVERIFY(r.ok());
        QCOMPARE(r.value, tricky);

        // A second store (another process, say opsdeckctl) sees the same entry.
        SecretStore other(kService);
        QCOMPARE(other.readBlocking(name).value, tricky);
        // ...but a store with another service name does not.
        SecretStore elsewhere(QStringLiteral("opsdeck-test-elsewhere"));
        QCOMPARE(elsewhere.readBlocking(name).status, Status::NotSet);

        r = store.removeBlocking(name);
        QVERIFY2(r.ok(), qPrintable(r.message));
        r = store.readBlocking(name);
        QCOMPARE(r.status, Status::NotSet);
        QVERIFY(r.value.isEmpty());
        // Removing again is not an error.
        QVERIFY(store.removeBlocking(name).ok());
    }

    void notSetMessage()
    {
        SecretStore store(kService);
        const auto r = store.readBlocking(QStringLiteral("telegram"));
        QCOMPARE(r.status, Status::NotSet);
        QVERIFY(!r.ok());
        QCOMPARE(r.name, QStringLiteral("telegram"));
        QCOMPARE(r.message,
                 QStringLiteral("secret `telegram` is not set — set it with `opsdeckctl secret set telegram`"));
        QCOMPARE(SecretStore::notSetMessage(QStringLiteral("x")),
                 QStringLiteral("secret `x` is not set — set it with `opsdeckctl secret set x`"));
    }

    void asyncCallbacks()
    {
        SecretStore store(kService);
        QSignalSpy started(&store, &SecretStore::keychainCallStarted);

        // The callback never runs inside the call, and exactly once.
        int calls = 0;
        SecretStore::Result got;
        store.write(QStringLiteral("async-one"), QStringLiteral("v-async"), [&](const SecretStore::Result &r) {
            ++calls;
            got = r;
        });
        QCOMPARE(calls, 0);
        QCOMPARE(store.pendingKeychainCalls(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(calls, 1, 10000);
        QVERIFY2(got.ok(), qPrintable(got.message));
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.at(0).at(0).value<SecretStore::Operation>(), SecretStore::Operation::Write);
        QCOMPARE(started.at(0).at(1).toString(), QStringLiteral("async-one"));

        // Also for errors found without the keychain.
        calls = 0;
        store.read(QStringLiteral("bad name"), [&](const SecretStore::Result &r) {
            ++calls;
            got = r;
        });
        QCOMPARE(calls, 0);
        QTRY_COMPARE(calls, 1);
        QCOMPARE(got.status, Status::InvalidName);

        // A destroyed context drops the callback; the job still finishes and cleans up.
        auto *context = new QObject;
        bool called = false;
        store.read(QStringLiteral("async-one"), context, [&](const SecretStore::Result &) { called = true; });
        delete context;
        QTRY_COMPARE_WITH_TIMEOUT(store.pendingKeychainCalls(), 0, 10000);
        QTest::qWait(50);
        QVERIFY(!called);

        // Several calls in flight at once all complete, in order.
        QStringList order;
        for (int i = 0; i < 5; ++i) {
            const QString name = QStringLiteral("burst-%1").arg(i);
            store.write(name, QStringLiteral("burst-value-%1").arg(i),
                        [&order, name](const SecretStore::Result &r) {
                            if (r.ok())
                                order << name;
                        });
        }
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 5, 20000);
        QCOMPARE(order, (QStringList{"burst-0", "burst-1", "burst-2", "burst-3", "burst-4"}));
        QCOMPARE(store.readBlocking(QStringLiteral("burst-3")).value, QStringLiteral("burst-value-3"));

        // Reads of one name share a pending job; a write in between is seen by later reads.
        const quint64 before = store.keychainCallCount();
        QStringList values;
        const auto collect = [&values](const SecretStore::Result &r) { values << r.value; };
        store.read(QStringLiteral("burst-1"), collect);
        store.read(QStringLiteral("burst-1"), collect);
        store.write(QStringLiteral("burst-1"), QStringLiteral("burst-value-1b"), [](const SecretStore::Result &) {});
        store.read(QStringLiteral("burst-1"), collect);
        store.read(QStringLiteral("burst-1"), collect);
        QTRY_COMPARE_WITH_TIMEOUT(values.size(), 4, 20000);
        QCOMPARE(values, (QStringList{"burst-value-1", "burst-value-1", "burst-value-1b", "burst-value-1b"}));
        QCOMPARE(store.keychainCallCount(), before + 3);
    }

    void namesIndexKeptInSync()
    {
        SecretStore store(kService);
        QSignalSpy namesChanged(&store, &SecretStore::namesChanged);
        QVERIFY(store.names().isEmpty());
        QVERIFY(!QFile::exists(store.indexFilePath()));

        const QList<std::pair<QString, QString>> secrets = {
            {QStringLiteral("zeta"), QStringLiteral("zeta-value-Q7rT")},
            {QStringLiteral("alpha"), QStringLiteral("alpha-value-9xKp")},
            {QStringLiteral("Mid.dle_1-x"), QStringLiteral("middle-value-W2vb")},
        };
        for (const auto &[name, value] : secrets)
            QVERIFY(store.writeBlocking(name, value).ok());
        QCOMPARE(store.names(), (QStringList{"Mid.dle_1-x", "alpha", "zeta"}));
        QCOMPARE(namesChanged.size(), 3);

        // Overwriting does not duplicate; another store instance reads the same index.
        QVERIFY(store.writeBlocking(QStringLiteral("alpha"), QStringLiteral("alpha-value-2-Lm4s")).ok());
        QCOMPARE(SecretStore(kService).names(), (QStringList{"Mid.dle_1-x", "alpha", "zeta"}));
        QCOMPARE(namesChanged.size(), 3);

        // Names only: no value in the index file.
        QFile file(store.indexFilePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        file.close();
        for (const auto &[name, value] : secrets) {
            QVERIFY(content.contains(name.toUtf8()));
            QVERIFY2(!content.contains(value.toUtf8()), "a secret value leaked into the names index");
        }
        QVERIFY(!content.contains("alpha-value-2-Lm4s"));
        const QJsonObject json = QJsonDocument::fromJson(content).object();
        QCOMPARE(json.value(QStringLiteral("names")).toArray().size(), 3);
        QCOMPARE(json.value(QStringLiteral("service")).toString(), kService);

        // Delete removes; a failed write (invalid name) adds nothing.
        QVERIFY(store.removeBlocking(QStringLiteral("alpha")).ok());
        QCOMPARE(store.names(), (QStringList{"Mid.dle_1-x", "zeta"}));
        QCOMPARE(store.writeBlocking(QStringLiteral("no good"), QStringLiteral("x")).status, Status::InvalidName);
        QCOMPARE(store.names(), (QStringList{"Mid.dle_1-x", "zeta"}));

        // The index heals from what the keychain says: a secret found by a read is added (e.g. it
        // was set before the index existed), one reported missing is dropped.
        QVERIFY(QFile::remove(store.indexFilePath()));
        QVERIFY(store.names().isEmpty());
        QVERIFY(store.readBlocking(QStringLiteral("zeta")).ok());
        QCOMPARE(store.names(), QStringList{"zeta"});
        {
            SecretStore elsewhere(QStringLiteral("opsdeck-test-elsewhere"));
            QVERIFY(elsewhere.names().isEmpty());
            QVERIFY(elsewhere.indexFilePath() != store.indexFilePath());
        }
        QVERIFY(store.removeBlocking(QStringLiteral("zeta")).ok());
        QVERIFY(store.removeBlocking(QStringLiteral("Mid.dle_1-x")).ok());
        QVERIFY(store.names().isEmpty());

        // A damaged index is ignored rather than fatal.
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{not json");
        file.close();
        QVERIFY(store.names().isEmpty());
        QVERIFY(store.writeBlocking(QStringLiteral("fresh"), QStringLiteral("fresh-value")).ok());
        QCOMPARE(store.names(), QStringList{"fresh"});
    }

    void nameValidation_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("error"); // empty: valid; else a part of the message

        QTest::newRow("simple") << "telegram" << "";
        QTest::newRow("all classes") << "Echo.pilot_dash-Key9" << "";
        QTest::newRow("single char") << "x" << "";
        QTest::newRow("128 chars") << QString(128, u'a') << "";
        QTest::newRow("empty") << "" << "secret name is empty";
        QTest::newRow("space") << "bad name" << "invalid secret name `bad name`: ` ` at position 4";
        QTest::newRow("slash") << "a/b" << "`/` at position 2";
        QTest::newRow("colon") << "a:b" << "`:` at position 2";
        QTest::newRow("brace") << "${x}" << "`$` at position 1";
        QTest::newRow("non-ascii") << "schlüssel" << "`ü` at position 5";
        QTest::newRow("newline") << "a\nb" << "invalid secret name";
        QTest::newRow("too long") << QString(129, u'a') << "is too long (129 characters, at most 128)";
    }

    void nameValidation()
    {
        QFETCH(QString, name);
        QFETCH(QString, error);
        const auto message = SecretStore::validateName(name);
        QCOMPARE(SecretStore::isValidName(name), error.isEmpty());
        if (error.isEmpty()) {
            QVERIFY2(!message, qPrintable(message.value_or(QString())));
            return;
        }
        QVERIFY(message);
        QVERIFY2(message->contains(error), qPrintable(*message));
        if (!name.isEmpty())
            QVERIFY(message->contains(u"letters, digits, `.`, `_` and `-`") || message->contains(u"too long"));

        // Every operation refuses it without a keychain call.
        SecretStore store(kService);
        for (const auto &r : {store.writeBlocking(name, QStringLiteral("v")), store.readBlocking(name),
                              store.removeBlocking(name)}) {
            QCOMPARE(r.status, Status::InvalidName);
            QCOMPARE(r.message, *message);
        }
        QCOMPARE(store.keychainCallCount(), quint64(0));
        QVERIFY(store.names().isEmpty());
    }

    void timeoutMessage()
    {
        QCOMPARE(SecretStore::timeoutMessage(5s),
                 QStringLiteral("keychain not answering after 5 s — is a Secret Service (e.g. "
                                "gnome-keyring) running and unlocked?"));
        QCOMPARE(SecretStore::timeoutMessage(SecretStore::kDefaultTimeout), SecretStore::timeoutMessage(5s));
        QVERIFY(SecretStore::timeoutMessage(300ms).startsWith(u"keychain not answering after 300 ms — "));
        QVERIFY(SecretStore::timeoutMessage(1500ms).startsWith(u"keychain not answering after 1.5 s — "));
        SecretStore store(kService);
        store.setTimeout(0ms);
        QCOMPARE(store.timeout(), 1ms);
    }

    void resolverExpandsReferences()
    {
        SecretStore store(kService);
        QVERIFY(store.writeBlocking(QStringLiteral("api-token"), QStringLiteral("tok-5f2a9c")).ok());
        QVERIFY(store.writeBlocking(QStringLiteral("dash.key"), QStringLiteral("DashKey_77")).ok());
        // A value that looks like a reference is inserted literally, never expanded again.
        QVERIFY(store.writeBlocking(QStringLiteral("db_pass"), QStringLiteral("p}w ${secret:api-token}")).ok());

        SecretResolver resolver(&store);
        QCOMPARE(resolver.store(), &store);
        QCOMPARE(resolver.cacheTtl(), 60000ms);
        const QStringList texts = {
            QStringLiteral("https://echopilot.example/api/status?token=${secret:api-token}&v=1"),
            QStringLiteral("Bearer ${secret:api-token}"),
            QStringLiteral("{\"key\":\"${secret:dash.key}\",\"pw\":\"${secret:db_pass}\",\"n\":1}"),
            QStringLiteral("postgresql://ops:${secret:db_pass}@db.local:5432/ops"),
            QStringLiteral("no references here, not even $secret:x or ${env:HOME}"),
            QString(),
        };
        const auto resolution = resolveAndWait(resolver, texts);
        QVERIFY2(resolution.ok(), qPrintable(resolution.errorString()));
        QVERIFY(resolution.failures.isEmpty());
        QCOMPARE(resolution.texts,
                 (QStringList{
                     QStringLiteral("https://echopilot.example/api/status?token=tok-5f2a9c&v=1"),
                     QStringLiteral("Bearer tok-5f2a9c"),
                     QStringLiteral("{\"key\":\"DashKey_77\",\"pw\":\"p}w ${secret:api-token}\",\"n\":1}"),
                     QStringLiteral("postgresql://ops:p}w ${secret:api-token}@db.local:5432/ops"),
                     texts.at(4),
                     QString(),
                 }));
        QCOMPARE(store.keychainCallCount(), quint64(3 + 3)); // three writes, three reads

        // Error texts that echo a resolved value can be redacted.
        QCOMPARE(resolution.redact(u"GET https://echopilot.example/api/status?token=tok-5f2a9c failed"),
                 QStringLiteral("GET https://echopilot.example/api/status?token=•••••• failed"));

        // Nothing to resolve still answers asynchronously.
        const auto empty = resolveAndWait(resolver, {QStringLiteral("plain")});
        QVERIFY(empty.ok());
        QCOMPARE(empty.texts, QStringList{"plain"});
    }

    void resolverCache()
    {
        SecretStore store(kService);
        QVERIFY(store.writeBlocking(QStringLiteral("cached"), QStringLiteral("cached-value-1")).ok());
        QVERIFY(store.writeBlocking(QStringLiteral("other"), QStringLiteral("other-value")).ok());
        QSignalSpy calls(&store, &SecretStore::keychainCallStarted);

        FakeClock clock;
        SecretResolver resolver(&store);
        resolver.setClock(&clock);
        const QStringList texts = {QStringLiteral("X-Key: ${secret:cached}"),
                                   QStringLiteral("${secret:cached}/${secret:other}")};

        // Concurrent requests for the same names share one keychain call per name.
        std::optional<SecretResolver::Resolution> a, b;
        resolver.resolve(texts, [&](const SecretResolver::Resolution &r) { a = r; });
        resolver.resolve({QStringLiteral("${secret:cached}")}, [&](const SecretResolver::Resolution &r) { b = r; });
        QTRY_VERIFY_WITH_TIMEOUT(a && b, 10000);
        QVERIFY(a->ok() && b->ok());
        QCOMPARE(a->texts, (QStringList{"X-Key: cached-value-1", "cached-value-1/other-value"}));
        QCOMPARE(b->texts, QStringList{"cached-value-1"});
        QCOMPARE(calls.size(), 2);

        // Within the TTL: no keychain call at all.
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(resolveAndWait(resolver, texts).texts, a->texts);
            clock.advance(1000);
        }
        QCOMPARE(calls.size(), 2);

        // A check every second for 1000 s reads each secret once per minute: 17 times, not 1000.
        resolver.invalidateAll();
        calls.clear();
        for (int i = 0; i < 1000; ++i) {
            const auto r = resolveAndWait(resolver, texts);
            QVERIFY(r.ok());
            clock.advance(1000);
        }
        QCOMPARE(calls.size(), 2 * 17);

        // invalidate() forces a fresh read of that name only.
        calls.clear();
        resolver.invalidate(QStringLiteral("cached"));
        QVERIFY(resolveAndWait(resolver, texts).ok());
        QCOMPARE(calls.size(), 1);
        QCOMPARE(calls.at(0).at(1).toString(), QStringLiteral("cached"));

        // A write through the store invalidates at once: the new value is used.
        QVERIFY(store.writeBlocking(QStringLiteral("cached"), QStringLiteral("cached-value-2")).ok());
        calls.clear();
        QCOMPARE(resolveAndWait(resolver, texts).texts,
                 (QStringList{"X-Key: cached-value-2", "cached-value-2/other-value"}));
        QCOMPARE(calls.size(), 1);

        // TTL zero: every resolution asks the keychain.
        resolver.setCacheTtl(0ms);
        calls.clear();
        QVERIFY(resolveAndWait(resolver, texts).ok());
        QVERIFY(resolveAndWait(resolver, texts).ok());
        QCOMPARE(calls.size(), 4);
    }

    void resolverReportsMissingSecret()
    {
        SecretStore store(kService);
        QVERIFY(store.writeBlocking(QStringLiteral("present"), QStringLiteral("present-value")).ok());
        QSignalSpy calls(&store, &SecretStore::keychainCallStarted);
        FakeClock clock;
        SecretResolver resolver(&store);
        resolver.setClock(&clock);

        const QStringList texts = {QStringLiteral("https://ntfy.example/${secret:present}"),
                                   QStringLiteral("token=${secret:telegram}")};
        auto r = resolveAndWait(resolver, texts);
        QVERIFY(!r.ok());
        QVERIFY(r.texts.isEmpty()); // nothing half-expanded to use by mistake
        QCOMPARE(r.failures.size(), 1);
        QCOMPARE(r.failures.at(0).name, QStringLiteral("telegram"));
        QCOMPARE(r.failures.at(0).status, Status::NotSet);
        QCOMPARE(r.errorString(),
                 QStringLiteral("secret `telegram` is not set — set it with `opsdeckctl secret set telegram`"));
        QVERIFY(!r.errorString().contains(u"present-value"));
        QCOMPARE(calls.size(), 2);

        // "Not set" is cached too, so a missing secret does not hammer the keychain...
        r = resolveAndWait(resolver, texts);
        QVERIFY(!r.ok());
        QCOMPARE(calls.size(), 2);
        // ...until it is set through the store.
        QVERIFY(store.writeBlocking(QStringLiteral("telegram"), QStringLiteral("123:abc-tg")).ok());
        r = resolveAndWait(resolver, texts);
        QVERIFY2(r.ok(), qPrintable(r.errorString()));
        QCOMPARE(r.texts.at(1), QStringLiteral("token=123:abc-tg"));

        // Several failures: malformed first, then by name.
        r = resolveAndWait(resolver, {QStringLiteral("${secret:zz-missing} ${secret:aa-missing} ${secret:}")});
        QCOMPARE(r.failures.size(), 3);
        QCOMPARE(r.failures.at(0).status, Status::InvalidName);
        QVERIFY(r.failures.at(0).message.contains(u"`${secret:}`"));
        QCOMPARE(r.failures.at(1).name, QStringLiteral("aa-missing"));
        QCOMPARE(r.failures.at(2).name, QStringLiteral("zz-missing"));
        QVERIFY(r.errorString().contains(u"`opsdeckctl secret set zz-missing`"));

        // A destroyed context drops the callback.
        auto *context = new QObject;
        bool called = false;
        resolver.resolve({QStringLiteral("${secret:present}")}, context,
                         [&called](const SecretResolver::Resolution &) { called = true; });
        delete context;
        QTest::qWait(100);
        QVERIFY(!called);
    }

    void references()
    {
        const QString text = QStringLiteral("a ${secret:one} b ${secret:two.x} ${secret:one} ${secret:bad name} ${secret:three}");
        QCOMPARE(SecretResolver::references(text), (QStringList{"one", "two.x", "three"}));
        QVERIFY(SecretResolver::hasReferences(text));
        QVERIFY(SecretResolver::hasReferences(u"${secret:"));
        QVERIFY(!SecretResolver::hasReferences(u"plain ${env:X} $secret:y"));
        QVERIFY(SecretResolver::references(u"nothing").isEmpty());
    }

    void masked_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");

        QTest::newRow("none") << "https://x.example/health" << "https://x.example/health";
        QTest::newRow("one") << "Bearer ${secret:api-token}" << "Bearer «secret:api-token»";
        QTest::newRow("two") << "${secret:a}:${secret:b.c}@host" << "«secret:a»:«secret:b.c»@host";
        QTest::newRow("json") << "{\"k\":\"${secret:k}\"}" << "{\"k\":\"«secret:k»\"}";
        QTest::newRow("malformed kept") << "${secret:bad name} ${secret:ok}" << "${secret:bad name} «secret:ok»";
        QTest::newRow("unclosed kept") << "x ${secret:ok} ${secret:open" << "x «secret:ok» ${secret:open";
        QTest::newRow("empty") << "" << "";
    }

    void masked()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const QString m = SecretResolver::masked(text);
        QCOMPARE(m, expected);
        // A masked preview cannot be expanded again.
        QCOMPARE(SecretResolver::references(m), QStringList());
        QCOMPARE(SecretResolver::maskFor(QStringLiteral("n")), QStringLiteral("«secret:n»"));
    }

    void validateReferences_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expected"); // empty: valid; else parts of the message

        QTest::newRow("plain") << "https://x.example/health" << QStringList();
        QTest::newRow("one") << "${secret:a}" << QStringList();
        QTest::newRow("several") << "u=${secret:user.name}&p=${secret:PASS_9-x}" << QStringList();
        QTest::newRow("not ours: env") << "${env:HOME}" << QStringList();
        QTest::newRow("not ours: no brace") << "$secret:x" << QStringList();
        QTest::newRow("brace later") << "${secret:a} }" << QStringList();
        QTest::newRow("empty name") << "${secret:}"
                                    << QStringList{"empty secret name", "`${secret:}`", "character 1"};
        QTest::newRow("space in name") << "Bearer ${secret:bad name}"
                                       << QStringList{"invalid secret name", "`${secret:bad name}`", "character 8"};
        QTest::newRow("slash in name") << "${secret:ok} ${secret:a/b}"
                                       << QStringList{"`${secret:a/b}`", "character 14"};
        QTest::newRow("unclosed") << "https://x/${secret:abc"
                                  << QStringList{"unclosed secret reference", "`${secret:abc`", "character 11"};
        QTest::newRow("unclosed empty") << "${secret:" << QStringList{"unclosed", "`${secret:`"};
        QTest::newRow("nested") << "${secret:a${secret:b}" << QStringList{"`${secret:a${secret:b}`"};
        QTest::newRow("non-ascii") << "${secret:schlüssel}" << QStringList{"`${secret:schlüssel}`"};
        QTest::newRow("first error wins") << "${secret:} ${secret:x y}" << QStringList{"`${secret:}`"};
        QTest::newRow("long is quoted short")
            << QStringLiteral("${secret:") + QString(200, u'x') << QStringList{"unclosed", "…`"};
    }

    void validateReferences()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expected);
        const auto error = SecretResolver::validateReferences(text);
        if (expected.isEmpty()) {
            QVERIFY2(!error, qPrintable(error.value_or(QString())));
            return;
        }
        QVERIFY(error);
        for (const QString &part : std::as_const(expected))
            QVERIFY2(error->contains(part), qPrintable(*error + QStringLiteral(" — lacks: ") + part));
        QVERIFY(error->size() < 200);
    }

    // A Secret Service that never answers (the headless danger: a keyring waiting for a password on
    // an invisible display). The parent starts its own dbus-daemon on which the name
    // org.freedesktop.secrets is activatable but its process never claims it, so every call waits,
    // then runs this same function in a child process on that bus, where the real checks happen.
    void timeoutWhenTheSecretServiceHangs()
    {
        if (inPrivateBusChild()) {
            hangingBusChecks();
            return;
        }
        runInChildOnPrivateBus(kTimeoutTest, true);
    }

    // A session bus on which nothing provides org.freedesktop.secrets: a clear error, at once.
    void noSecretService()
    {
        if (inPrivateBusChild()) {
            SecretStore store(kService);
            QElapsedTimer elapsed;
            elapsed.start();
            for (const auto &r : {store.readBlocking(QStringLiteral("telegram")),
                                  store.writeBlocking(QStringLiteral("telegram"), QStringLiteral("v-none")),
                                  store.removeBlocking(QStringLiteral("telegram"))}) {
                QCOMPARE(r.status, Status::NoBackend);
                QVERIFY2(r.message.contains(u"secret `telegram` failed: no Secret Service is reachable ("),
                         qPrintable(r.message));
                QVERIFY2(r.message.contains(u"gnome-keyring"), qPrintable(r.message));
            }
            QVERIFY2(elapsed.elapsed() < 4000, "expected an error, not a timeout");
            QVERIFY(store.names().isEmpty());
            return;
        }
        runInChildOnPrivateBus(QStringLiteral("noSecretService"), false);
    }

private:
    // Starts a private dbus-daemon (with an org.freedesktop.secrets that never answers when
    // `hangingService`, else with nothing providing it) and runs test function `function` of this
    // binary in a child process on that bus; libsecret's connection to the session bus is
    // per process, so the checks cannot run in this one.
    void runInChildOnPrivateBus(const QString &function, bool hangingService)
    {
        QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/opsdeck-hang-XXXXXX"));
        QVERIFY(dir.isValid());
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("services")));
        if (hangingService) {
            QFile service(dir.filePath(QStringLiteral("services/org.freedesktop.secrets.service")));
            QVERIFY(service.open(QIODevice::WriteOnly));
            // The activated process never takes the name; the bus gives up on it after 1.5 s
            // (service_start_timeout below), so callers wait, then get an error.
            service.write("[D-BUS Service]\nName=org.freedesktop.secrets\nExec=/bin/sleep 3\n");
        }
        {
            QFile config(dir.filePath(QStringLiteral("bus.conf")));
            QVERIFY(config.open(QIODevice::WriteOnly));
            config.write(QStringLiteral(
                             "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
                             " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                             "<busconfig>\n"
                             "  <type>session</type>\n"
                             "  <listen>unix:dir=%1</listen>\n"
                             "  <servicedir>%1/services</servicedir>\n"
                             "  <policy context=\"default\">\n"
                             "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
                             "    <allow eavesdrop=\"true\"/>\n"
                             "    <allow own=\"*\"/>\n"
                             "  </policy>\n"
                             "  <limit name=\"service_start_timeout\">1500</limit>\n"
                             "</busconfig>\n")
                             .arg(dir.path())
                             .toUtf8());
        }

        QProcess bus;
        bus.setStandardErrorFile(dir.filePath(QStringLiteral("bus.log")));
        bus.start(QStringLiteral("dbus-daemon"),
                  {QStringLiteral("--config-file=") + dir.filePath(QStringLiteral("bus.conf")),
                   QStringLiteral("--nofork"), QStringLiteral("--print-address=1")});
        QVERIFY2(bus.waitForStarted(5000), qPrintable(bus.errorString()));
        auto stopBus = qScopeGuard([&bus] {
            bus.terminate();
            if (!bus.waitForFinished(5000)) {
                bus.kill();
                bus.waitForFinished(5000);
            }
        });
        QByteArray address;
        QElapsedTimer waited;
        waited.start();
        while (!address.contains('\n') && waited.elapsed() < 10000 && bus.state() == QProcess::Running) {
            bus.waitForReadyRead(200);
            address += bus.readAllStandardOutput();
        }
        address = address.trimmed();
        QVERIFY2(!address.isEmpty(), "dbus-daemon printed no address");

        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QString::fromLocal8Bit(address));
        env.insert(QString::fromLatin1(kPrivateBusEnv), function);
        child.setProcessEnvironment(env);
        child.setProcessChannelMode(QProcess::MergedChannels);
        QElapsedTimer elapsed;
        elapsed.start();
        child.start(QCoreApplication::applicationFilePath(), {function});
        QVERIFY2(child.waitForStarted(5000), qPrintable(child.errorString()));
        const bool finished = child.waitForFinished(60000);
        const QString output = QString::fromLocal8Bit(child.readAll());
        if (!finished)
            child.kill();
        QVERIFY2(finished, qPrintable(QStringLiteral("child did not finish:\n") + output));
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
                 qPrintable(QStringLiteral("child failed:\n") + output));
        QVERIFY2(output.contains(QStringLiteral("PASS   : TestKeyringSecrets::") + function),
                 qPrintable(output));
        qInfo("child on the private bus passed in %lld ms", elapsed.elapsed());
    }

    void hangingBusChecks()
    {
        SecretStore store(kService);
        store.setTimeout(300ms);
        QSignalSpy late(&store, &SecretStore::lateAnswerIgnored);

        // The call completes with the timeout error in bounded time, exactly once.
        int calls = 0;
        SecretStore::Result got;
        QElapsedTimer elapsed;
        elapsed.start();
        store.read(QStringLiteral("hanging"), [&](const SecretStore::Result &r) {
            ++calls;
            got = r;
        });
        QTRY_COMPARE_WITH_TIMEOUT(calls, 1, 5000);
        const qint64 took = elapsed.elapsed();
        QVERIFY2(took >= 290 && took < 1500, qPrintable(QString::number(took)));
        QCOMPARE(got.status, Status::Timeout);
        QCOMPARE(got.name, QStringLiteral("hanging"));
        QCOMPARE(got.message,
                 QStringLiteral("keychain not answering after 300 ms — is a Secret Service (e.g. "
                                "gnome-keyring) running and unlocked?"));
        QCOMPARE(store.pendingKeychainCalls(), 1); // the job lives on until it answers

        // The blocking wrappers are bounded too (this call queues behind the stuck one).
        elapsed.restart();
        const auto blocked = store.writeBlocking(QStringLiteral("queued"), QStringLiteral("queued-value"));
        QCOMPARE(blocked.status, Status::Timeout);
        QVERIFY(elapsed.elapsed() < 1500);
        QVERIFY(store.names().isEmpty());

        // Another read of the stuck name joins the stuck job rather than queueing a new one,
        // and still times out on its own.
        const quint64 jobs = store.keychainCallCount();
        QCOMPARE(store.readBlocking(QStringLiteral("hanging")).status, Status::Timeout);
        QCOMPARE(store.keychainCallCount(), jobs);

        // A store destroyed while its call is pending: the late answer must not touch it.
        bool destroyedStoreCalledBack = false;
        {
            auto *doomed = new SecretStore(kService);
            doomed->setTimeout(100ms);
            doomed->read(QStringLiteral("doomed"), [&](const SecretStore::Result &) {
                destroyedStoreCalledBack = true;
            });
            delete doomed;
        }

        // The late answers arrive (the activation gives up) and are ignored: no second callback.
        QTRY_VERIFY_WITH_TIMEOUT(late.size() >= 3, 30000);
        QCOMPARE(late.size(), 3);
        QCOMPARE(late.at(0).at(1).toString(), QStringLiteral("hanging"));
        QCOMPARE(late.at(1).at(1).toString(), QStringLiteral("hanging"));
        QCOMPARE(late.at(2).at(1).toString(), QStringLiteral("queued"));
        QCOMPARE(late.at(2).at(0).value<SecretStore::Operation>(), SecretStore::Operation::Write);
        QCOMPARE(calls, 1);
        QVERIFY(store.names().isEmpty()); // the late write failed, so no name was added

        // QtKeychain runs one job at a time, so once this call is answered the doomed store's job
        // has been answered too (into nothing).
        SecretStore patient(kService);
        patient.setTimeout(30s);
        const auto answered = patient.readBlocking(QStringLiteral("after"));
        QVERIFY(!answered.ok());
        QVERIFY2(answered.status == Status::NoBackend, qPrintable(answered.message));
        qInfo("after the activation gave up: %s", qPrintable(answered.message));
        QVERIFY(!destroyedStoreCalledBack);
        QTRY_COMPARE(store.pendingKeychainCalls(), 0);
        QCOMPARE(calls, 1);
    }
};

QTEST_GUILESS_MAIN(TestKeyringSecrets)
#include "tst_keyring_secrets.moc"
