#include "coresession.h"
#include "logfilter.h"
#include "logfollower.h"
#include "logmodel.h"
#include "logsview.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

// The Logs view offscreen over a real CoreSession: an NDJSON file in a temp dir, written while the
// view follows it.
class TestUiLogs : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<CoreSession> m_session;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    static void append(const QString &file, const QByteArray &text)
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
        f.write(text);
    }
    static void replace(const QString &file, const QByteArray &text)
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
    }
    static QByteArray line(const char *level, const char *msg, int n)
    {
        return QStringLiteral("{\"ts\":\"2026-05-01T10:00:%1Z\",\"level\":\"%2\",\"msg\":\"%3\",\"n\":%4}")
                   .arg(n % 60, 2, 10, QLatin1Char('0'))
                   .arg(QLatin1String(level), QLatin1String(msg))
                   .arg(n)
                   .toUtf8()
            + '\n';
    }
    static QStringList messages(const QAbstractItemModel *m)
    {
        QStringList out;
        for (int r = 0; r < m->rowCount(); ++r)
            out << m->index(r, LogModel::MessageColumn).data().toString();
        return out;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        replace(path(QStringLiteral("audit.ndjson")), "{\"ts\":\"2026-05-01T10:00:00Z\",\"route\":\"/health\",\"ok\":true}" "\n");
        const QByteArray yaml = "store: sqlite:" + m_dir.path().toUtf8() + "/store.sqlite\n"
                                "services:\n"
                                "  - name: svc\n"
                                "    checks:\n"
                                "      - name: audit\n"
                                "        type: log\n"
                                "        path: audit.ndjson\n"
                                "        filter: ok == false\n"
                                "  - name: other\n"
                                "    checks:\n"
                                "      - { name: disk, type: disk, path: / }\n";
        replace(path(QStringLiteral("opsdeck.yaml")), yaml);
        m_session = std::make_unique<CoreSession>();
        QVERIFY(m_session->loadConfig(path(QStringLiteral("opsdeck.yaml"))));
    }

    void cleanupTestCase() { m_session.reset(); }

    void offersTheConfigsLogsAndFollowsTheFirst()
    {
        LogsView view(m_session.get());
        auto *source = view.findChild<QComboBox *>(QStringLiteral("source"));
        QVERIFY(source);
        QStringList files;
        for (int i = 0; i < source->count(); ++i)
            files << source->itemData(i).toString();
        QVERIFY2(files.contains(path(QStringLiteral("audit.ndjson"))), qPrintable(files.join(u',')));
        QCOMPARE(view.currentFile(), path(QStringLiteral("audit.ndjson")));
        QCOMPARE(view.model()->rowCount(), 1);
        // `ok: true` has no level word: the view shows it as ok.
        QCOMPARE(view.model()->index(0, LogModel::LevelColumn).data().toString(), QStringLiteral("OK"));
        QCOMPARE(view.model()->index(0, LogModel::MessageColumn).data().toString(), QStringLiteral("/health"));
    }

    void failoverLogIsOffered()
    {
        QTemporaryDir dir;
        const QByteArray yaml = "services:\n"
                                "  - name: edge\n"
                                "    checks:\n"
                                "      - { name: primary, type: tcp, host: 127.0.0.1, port: 1 }\n"
                                "      - { name: fallback, type: tcp, host: 127.0.0.1, port: 2 }\n"
                                "    failover: { primary: primary, fallback: fallback, state_file: edge.json }\n";
        replace(dir.filePath(QStringLiteral("opsdeck.yaml")), yaml);
        CoreSession session;
        QVERIFY(session.loadConfig(dir.filePath(QStringLiteral("opsdeck.yaml"))));
        LogsView view(&session);
        auto *source = view.findChild<QComboBox *>(QStringLiteral("source"));
        QCOMPARE(source->count(), 1);
        QCOMPARE(source->itemData(0).toString(), dir.filePath(QStringLiteral("edge.ndjson")));
        QVERIFY(source->itemText(0).contains(u"failover"));
        // It does not exist until the first transition: the view says it waits for it.
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("status"))->text().contains(u"does not exist (yet)"));
        append(dir.filePath(QStringLiteral("edge.ndjson")), "{\"ts\":\"2026-05-01T10:00:00Z\",\"event\":\"failover_started\"}" "\n");
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 1, 5000);
        QVERIFY(!view.findChild<QLabel *>(QStringLiteral("status"))->text().contains(u"does not exist"));
    }

    void followsAppendedLinesFiltersAndShowsPrettyJson()
    {
        const QString file = path(QStringLiteral("app.ndjson"));
        replace(file, line("info", "started", 0) + line("error", "db down", 1));
        LogsView view(m_session.get());
        view.resize(1280, 800);
        view.show();
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.followFile(file);
        QCOMPARE(view.currentFile(), file);
        QCOMPARE(messages(view.model()), QStringList({u"started"_qs, u"db down"_qs}));

        // Lines written later arrive by themselves, a half-written line only once it is complete.
        append(file, line("warn", "slow", 2) + "{\"ts\":\"2026-05-01T10:00:03Z\",\"level\":\"error\",\"msg\":\"tim");
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 3, 5000);
        append(file, "eout\"}\n");
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 4, 5000);
        QCOMPARE(messages(view.model()).last(), QStringLiteral("timeout"));

        // Levels in colour and word.
        const QModelIndex errorLevel = view.model()->index(1, LogModel::LevelColumn);
        QCOMPARE(errorLevel.data().toString(), QStringLiteral("ERROR"));
        QCOMPARE(errorLevel.data(LogModel::SeverityRole).toInt(), int(LogModel::Severity::Error));
        QVERIFY(errorLevel.data(Qt::ForegroundRole).isValid());
        QCOMPARE(view.model()->index(2, LogModel::LevelColumn).data(LogModel::SeverityRole).toInt(), int(LogModel::Severity::Warning));
        QVERIFY(!view.model()->index(0, LogModel::LevelColumn).data(Qt::ForegroundRole).isValid());

        // Follow: the newest line is in view.
        auto *table = view.findChild<QTableView *>(QStringLiteral("lines"));
        QVERIFY(view.findChild<QCheckBox *>(QStringLiteral("followBox"))->isChecked());
        QTRY_VERIFY(table->rowAt(table->viewport()->height() - 2) == 3 || table->rowAt(table->viewport()->height() - 2) == -1);

        // The filter box takes the log check's language.
        auto *filter = view.findChild<QLineEdit *>(QStringLiteral("filter"));
        auto *filterError = view.findChild<QLabel *>(QStringLiteral("filterError"));
        QTest::keyClicks(filter, QStringLiteral("level == error"));
        QCOMPARE(messages(view.model()), QStringList({u"db down"_qs, u"timeout"_qs}));
        QVERIFY(filterError->isHidden());
        append(file, line("info", "ignored", 4) + line("error", "again", 5));
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 3, 5000);
        QCOMPARE(messages(view.model()).last(), QStringLiteral("again"));

        // An invalid filter is named inline with its column; the last good one stays applied.
        filter->setText(QStringLiteral("level = error"));
        QVERIFY(filterError->isVisible());
        QVERIFY2(filterError->text().contains(u"column 7"), qPrintable(filterError->text()));
        QVERIFY(filterError->text().contains(u"`=` is not an operator"));
        QCOMPARE(view.model()->rowCount(), 3);
        filter->setText(QStringLiteral("n >= 4"));
        QVERIFY(filterError->isHidden());
        QCOMPARE(messages(view.model()), QStringList({u"ignored"_qs, u"again"_qs}));
        filter->clear();
        QCOMPARE(view.model()->rowCount(), 6);

        // Selecting a line shows all of it, indented.
        table->selectRow(1);
        const QString details = view.findChild<QPlainTextEdit *>(QStringLiteral("details"))->toPlainText();
        QCOMPARE(details, QStringLiteral("{\n    \"level\": \"error\",\n    \"msg\": \"db down\",\n    \"n\": 1,\n    \"ts\": \"2026-05-01T10:00:01Z\"\n}"));
    }

    void screenshots()
    {
        const QString file = path(QStringLiteral("shot.ndjson"));
        QByteArray text;
        const char *levels[] = {"info", "info", "warn", "error", "debug"};
        for (int i = 0; i < 60; ++i)
            text += line(levels[i % 5], i % 5 == 3 ? "database connection refused: ECONNREFUSED 127.0.0.1:5432" : "GET /api/health 200 in 12 ms", i);
        replace(file, text);
        LogsView view(m_session.get());
        view.followFile(file);
        view.findChild<QTableView *>(QStringLiteral("lines"))->selectRow(view.model()->rowCount() - 2);
        for (const QSize size : {QSize(1920, 1080), QSize(1280, 800)}) {
            view.resize(size);
            view.show();
            QVERIFY(QTest::qWaitForWindowExposed(&view));
            auto *table = view.findChild<QTableView *>(QStringLiteral("lines"));
            QTRY_VERIFY(table->rowAt(table->viewport()->height() - 2) == view.model()->rowCount() - 1); // Follow: at the end
            QVERIFY(view.grab().save(QDir::temp().filePath(QStringLiteral("h4-logs-%1x%2.png").arg(size.width()).arg(size.height()))));
        }
        view.findChild<QLineEdit *>(QStringLiteral("filter"))->setText(QStringLiteral("level = error"));
        QVERIFY(view.grab().save(QDir::temp().filePath(QStringLiteral("h4-logs-badfilter.png"))));
    }

    void truncationAndRotationStartOver()
    {
        const QString file = path(QStringLiteral("rotating.ndjson"));
        replace(file, line("info", "one", 1) + line("info", "two", 2) + line("info", "three", 3));
        LogsView view(m_session.get());
        view.followFile(file);
        QCOMPARE(view.model()->rowCount(), 3);
        auto *status = view.findChild<QLabel *>(QStringLiteral("status"));

        // Truncated (`> file`) and written again: only the new content.
        replace(file, line("error", "after truncation", 4));
        QTRY_COMPARE_WITH_TIMEOUT(messages(view.model()), QStringList({u"after truncation"_qs}), 5000);
        QVERIFY2(status->text().contains(u"truncated"), qPrintable(status->text()));

        // Rotated: the file is renamed away and a new one takes its name.
        append(file, line("info", "last of the old file", 5));
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 2, 5000);
        QVERIFY(QFile::rename(file, file + QStringLiteral(".1")));
        replace(file, line("info", "new file", 6));
        QTRY_COMPARE_WITH_TIMEOUT(messages(view.model()), QStringList({u"new file"_qs}), 5000);
        QVERIFY2(status->text().contains(u"rotated"), qPrintable(status->text()));
        append(file, line("info", "still following", 7));
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 2, 5000);
    }

    void boundedWithANote()
    {
        const QString file = path(QStringLiteral("big.ndjson"));
        QByteArray text;
        for (int i = 0; i < 30; ++i)
            text += line(i % 3 == 0 ? "error" : "info", "m", i);
        replace(file, text);
        LogsView view(m_session.get());
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.model()->setMaxLines(10);
        view.findChild<QLineEdit *>(QStringLiteral("filter"))->setText(QStringLiteral("level == error"));
        view.followFile(file);
        QCOMPARE(view.model()->keptLines(), 10);
        QCOMPARE(view.model()->droppedLines(), 20);
        // Of lines 20..29 the errors are 21, 24, 27.
        QCOMPARE(view.model()->rowCount(), 3);
        QCOMPARE(view.model()->index(0, LogModel::MessageColumn).data(LogModel::ObjectRole).toJsonObject().value(u"n").toInt(), 21);
        QString more;
        for (int i = 30; i < 36; ++i)
            more += QString::fromUtf8(line(i % 3 == 0 ? "error" : "info", "m", i));
        append(file, more.toUtf8());
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->droppedLines(), 26, 5000);
        QCOMPARE(view.model()->rowCount(), 3); // 27, 30, 33
        QCOMPARE(view.model()->index(0, 0).data(LogModel::ObjectRole).toJsonObject().value(u"n").toInt(), 27);
        const QString status = view.findChild<QLabel *>(QStringLiteral("status"))->text();
        QVERIFY2(status.contains(u"only the last 10 lines are kept; 26 older dropped"), qPrintable(status));
    }

    void notJsonLinesAreShownAsText()
    {
        LogModel model;
        model.appendLines({"plain text line", "{\"level\":\"WARNING\",\"message\":\"disk 85%\"}", "", "[1,2]"});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, LogModel::MessageColumn).data().toString(), QStringLiteral("plain text line"));
        QCOMPARE(model.index(0, 0).data(LogModel::PrettyRole).toString(), QStringLiteral("plain text line"));
        QCOMPARE(model.index(1, LogModel::LevelColumn).data(LogModel::SeverityRole).toInt(), int(LogModel::Severity::Warning));
        // A field filter keeps only objects whose field matches.
        model.setFilter(std::get<LogFilter>(LogFilter::parse(u"message == pat(disk*)")));
        QCOMPARE(model.rowCount(), 1);
    }

    void openButtonFollowsTheChosenFile()
    {
        const QString file = path(QStringLiteral("chosen.jsonl"));
        replace(file, line("info", "chosen", 1));
        LogsView view(m_session.get());
        view.show();
        QTest::mouseClick(view.findChild<QPushButton *>(QStringLiteral("openButton")), Qt::LeftButton);
        QFileDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = view.findChild<QFileDialog *>(QStringLiteral("openDialog"))) != nullptr);
        QVERIFY(dialog->isVisible());
        dialog->selectFile(file);
        QMetaObject::invokeMethod(dialog, "accept"); // what the Open button of the dialog does
        QCOMPARE(view.currentFile(), file);
        QCOMPARE(messages(view.model()), QStringList({u"chosen"_qs}));
        auto *source = view.findChild<QComboBox *>(QStringLiteral("source"));
        QCOMPARE(source->currentData().toString(), file);
    }
};

QTEST_MAIN(TestUiLogs)
#include "tst_ui_logs.moc"
