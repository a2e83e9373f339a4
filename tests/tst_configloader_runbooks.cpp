#include "configloader.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

// `services[].runbooks`: Markdown files relative to the config file. A path that does not lead to
// a readable file is an error naming file, line, column and the list item.
namespace {

QString issuesText(const ConfigLoader::Result &r)
{
    QStringList all;
    for (const ConfigIssue &i : r.issues)
        all << i.toString();
    return all.isEmpty() ? QStringLiteral("(no issue)") : all.join(u'\n');
}

void writeFile(const QString &path, const QByteArray &text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

// `runbooks:` is on line 8, its value from column 15; a block list has its items on lines 9, 10.
QByteArray config(const QByteArray &runbooks)
{
    return "services:\n"
           "  - name: api\n"
           "    checks:\n"
           "      - name: health\n"
           "        type: tcp\n"
           "        host: 127.0.0.1\n"
           "        port: 1\n"
           "    runbooks: "
        + runbooks + "\n";
}

} // namespace

class TestConfigLoaderRunbooks : public QObject
{
    Q_OBJECT

private slots:
    void relativeAndAbsolutePathsResolve()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("runbooks/api.md")), "# API\n");
        QTemporaryDir other;
        const QString absolute = other.filePath(QStringLiteral("dr.md"));
        writeFile(absolute, "# DR\n");
        const QString path = dir.filePath(QStringLiteral("opsdeck.yaml"));
        const ConfigLoader::Result r = ConfigLoader::loadText(config("[runbooks/api.md, " + absolute.toUtf8() + "]"), path);
        QVERIFY2(r.ok(), qPrintable(issuesText(r)));
        QCOMPARE(r.config->services.at(0).runbooks,
                 QStringList({dir.filePath(QStringLiteral("runbooks/api.md")), absolute}));
    }

    void noRunbooksByDefault()
    {
        QTemporaryDir dir;
        QByteArray text = config("[]");
        text.replace("    runbooks: []\n", "");
        const ConfigLoader::Result r = ConfigLoader::loadText(text, dir.filePath(QStringLiteral("opsdeck.yaml")));
        QVERIFY2(r.ok(), qPrintable(issuesText(r)));
        QVERIFY(r.config->services.at(0).runbooks.isEmpty());
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("runbooks");
        QTest::addColumn<QString>("expected"); // after the config file's path

        QTest::newRow("missing file")
            << QByteArray("\n      - runbooks/api.md\n      - runbooks/gone.md")
            << QStringLiteral(":10:9: error: services[api].runbooks[1]: no such file `%1/runbooks/gone.md`; runbook paths are relative to the config file");
        QTest::newRow("a folder") << QByteArray("[runbooks]")
                                  << QStringLiteral(":8:16: error: services[api].runbooks[0]: `%1/runbooks` is not a file: expected a Markdown runbook");
        QTest::newRow("not a list") << QByteArray("runbooks/api.md")
                                    << QStringLiteral(":8:15: error: services[api].runbooks: expected a list such as [runbooks/echopilot.md], got `runbooks/api.md`");
        QTest::newRow("empty item") << QByteArray("[\"\"]") << QStringLiteral(":8:16: error: services[api].runbooks[0]: must not be empty");
        QTest::newRow("twice") << QByteArray("[runbooks/api.md, ./runbooks/api.md]")
                               << QStringLiteral(":8:33: error: services[api].runbooks[1]: `./runbooks/api.md` is listed twice");
    }

    void errors()
    {
        QFETCH(QByteArray, runbooks);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("runbooks/api.md")), "# API\n");
        const QString path = dir.filePath(QStringLiteral("opsdeck.yaml"));
        const ConfigLoader::Result r = ConfigLoader::loadText(config(runbooks), path);
        QVERIFY(!r.ok());
        QCOMPARE(issuesText(r), path + expected.arg(dir.path()));
    }

    void unreadableFile()
    {
        if (geteuid() == 0)
            QSKIP("root reads every file");
        QTemporaryDir dir;
        const QString runbook = dir.filePath(QStringLiteral("secret.md"));
        writeFile(runbook, "# no\n");
        QVERIFY(QFile::setPermissions(runbook, QFileDevice::WriteOwner));
        const QString path = dir.filePath(QStringLiteral("opsdeck.yaml"));
        const ConfigLoader::Result r = ConfigLoader::loadText(config("[secret.md]"), path);
        QVERIFY(!r.ok());
        QVERIFY2(issuesText(r).startsWith(path + QStringLiteral(":8:16: error: services[api].runbooks[0]: cannot read `%1`: ").arg(runbook)),
                 qPrintable(issuesText(r)));
    }

    void loadFileFromDisk()
    {
        // Through loadFile, as opsdeckctl config check reads it.
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("api.md")), "# API\n");
        const QString path = dir.filePath(QStringLiteral("opsdeck.yaml"));
        writeFile(path, config("[api.md, missing.md]"));
        const ConfigLoader::Result r = ConfigLoader::loadFile(path);
        QVERIFY(!r.ok());
        QCOMPARE(issuesText(r), path + QStringLiteral(":8:24: error: services[api].runbooks[1]: no such file `%1/missing.md`; runbook paths are relative to the config file").arg(dir.path()));
    }
};

QTEST_GUILESS_MAIN(TestConfigLoaderRunbooks)
#include "tst_configloader_runbooks.moc"
