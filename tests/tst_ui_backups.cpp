#include "actiondialog.h"
#include "backuplistmodel.h"
#include "backupsview.h"
#include "coresession.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTreeView>
#include <QtTest>
#include <memory>

// The backups view offscreen over a real session: a real sqlite-backup action over a SQLite file
// in a temporary folder, its restore action, and a tar archive that has no restore.
class TestUiBackups : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<CoreSession> m_session;

    QString live() const { return m_dir.filePath(QStringLiteral("live.sqlite")); }

    static int rows(const QString &path)
    {
        int n = -1;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
            db.setDatabaseName(path);
            if (db.open()) {
                QSqlQuery q(db);
                if (q.exec(QStringLiteral("SELECT COUNT(*) FROM notes")) && q.next())
                    n = q.value(0).toInt();
            }
        }
        QSqlDatabase::removeDatabase(QStringLiteral("probe"));
        return n;
    }
    static bool exec(const QString &path, const QStringList &statements)
    {
        bool ok = true;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("writer"));
            db.setDatabaseName(path);
            ok = db.open();
            QSqlQuery q(db);
            for (const QString &s : statements)
                ok = ok && q.exec(s);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("writer"));
        return ok;
    }

    template<typename T>
    static T *waitForDialog(QWidget *parent, const QString &name)
    {
        T *d = nullptr;
        [&] { QTRY_VERIFY_WITH_TIMEOUT((d = parent->findChild<T *>(name)) && d->isVisible(), 3000); }();
        return d;
    }
    static QPushButton *button(QWidget *view, const char *name) { return view->findChild<QPushButton *>(QLatin1String(name)); }
    static void select(BackupsView &view, const QModelIndex &index) { view.findChild<QTreeView *>()->setCurrentIndex(index); }
    QModelIndex destination(BackupsView &view, const QString &action) { return view.model()->find(QStringLiteral("gateway"), action); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(exec(live(), {QStringLiteral("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"),
                              QStringLiteral("INSERT INTO notes (text) VALUES ('a'), ('b'), ('c')")}));
        QDir(m_dir.path()).mkpath(QStringLiteral("data"));
        QFile f(m_dir.filePath(QStringLiteral("data/readme.txt")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("hello\n");
        f.close();
        const QByteArray d = m_dir.path().toUtf8();
        const QString path = m_dir.filePath(QStringLiteral("opsdeck.yaml"));
        QFile config(path);
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("store: sqlite:" + d + "/ops.sqlite\n"
                     "services:\n"
                     "  - name: gateway\n"
                     "    checks:\n      - { name: up, type: tcp, host: 127.0.0.1, port: 9, interval: 1h }\n"
                     "    actions:\n"
                     "      - { name: backup-db, builtin: sqlite-backup, source: " + d + "/live.sqlite, to: " + d + "/backups }\n"
                     "      - name: restore-db\n        builtin: restore\n        source: " + d + "/live.sqlite\n"
                     "        to: " + d + "/backups\n        from: \"" + d + "/backups/{file}\"\n"
                     "        params: { file: { pattern: '^[A-Za-z0-9._-]+$', description: the backup to restore } }\n"
                     "      - { name: archive, builtin: tar, sources: [" + d + "/data], to: " + d + "/archives }\n");
        config.close();
        m_session = std::make_unique<CoreSession>();
        QVERIFY(m_session->loadConfig(path));
        QString error;
        QVERIFY2(m_session->openHistory(&error), qPrintable(error));
    }

    void backupNowVerifyRestore()
    {
        BackupsView view(m_session.get());
        QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.resize(1280, 800);
        view.show();

        // Two destinations; the database one has no backups yet.
        QCOMPARE(view.model()->rowCount(), 2);
        QModelIndex db = destination(view, QStringLiteral("backup-db"));
        QVERIFY(db.isValid());
        QCOMPARE(view.model()->rowCount(db), 0);
        QCOMPARE(db.siblingAtColumn(BackupListModel::AgeColumn).data().toString(), tr("no backups yet"));
        select(view, db);
        QVERIFY(button(&view, "backupButton")->isEnabled());
        QVERIFY(!button(&view, "verifyButton")->isEnabled());
        QVERIFY(!button(&view, "restoreButton")->isEnabled());

        // Backup now: through the action dialog; nothing runs before Run.
        QTest::mouseClick(button(&view, "backupButton"), Qt::LeftButton);
        auto *dialog = waitForDialog<ActionDialog>(&view, QStringLiteral("backupDialog"));
        QVERIFY(dialog);
        QVERIFY(dialog->findChild<QPlainTextEdit *>(QStringLiteral("preview"))->toPlainText().contains(live()));
        QCOMPARE(view.model()->rowCount(db), 0);
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("runButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(destination(view, QStringLiteral("backup-db"))), 1, 10'000);
        dialog->close();
        db = destination(view, QStringLiteral("backup-db"));
        const QModelIndex file = view.model()->index(0, 0, db);
        const QString path = file.data(BackupListModel::FilePathRole).toString();
        QVERIFY(QFile::exists(path));
        QVERIFY(file.data().toString().startsWith(QStringLiteral("backup-db-")));
        QCOMPARE(file.siblingAtColumn(BackupListModel::SizeColumn).data().toString(), BackupListModel::formatSize(QFileInfo(path).size()));
        QVERIFY(file.siblingAtColumn(BackupListModel::AgeColumn).data().toString().endsWith(u's')); // seconds old
        QVERIFY(!file.siblingAtColumn(BackupListModel::ChecksumColumn).data().toString().contains(tr("no manifest")));
        QCOMPARE(file.siblingAtColumn(BackupListModel::VerifiedColumn).data().toString(), tr("never verified"));
        QVERIFY(db.siblingAtColumn(BackupListModel::SizeColumn).data().toString().startsWith(tr("1 backup")));

        // Verify: off the GUI thread, recorded, shown on the file and its destination.
        select(view, file);
        QVERIFY(button(&view, "verifyButton")->isEnabled());
        QSignalSpy verified(&view, &BackupsView::verified);
        QTest::mouseClick(button(&view, "verifyButton"), Qt::LeftButton);
        QVERIFY(view.isVerifying());
        QVERIFY(!button(&view, "verifyButton")->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(verified.size(), 1, 15'000);
        QVERIFY(verified.first().first().value<BackupVerification>().ok);
        const QModelIndex again = view.model()->find(QStringLiteral("gateway"), QStringLiteral("backup-db"), path);
        QCOMPARE(again.data(BackupListModel::VerifiedRole).toInt(), 1);
        QVERIFY(again.siblingAtColumn(BackupListModel::VerifiedColumn).data().toString().startsWith(tr("verified")));
        QCOMPARE(destination(view, QStringLiteral("backup-db")).data(BackupListModel::VerifiedRole).toInt(), 1);
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("status"))->text().contains(QStringLiteral("verified")));
        QCOMPARE(view.findChild<QTreeView *>()->currentIndex().data(BackupListModel::FilePathRole).toString(), path);

        // Restore: the live database changes; the restore action gets this file through its `from`
        // parameter, and its dialog refuses to run before the explicit confirmation.
        QVERIFY(exec(live(), {QStringLiteral("INSERT INTO notes (text) VALUES ('d'), ('e')")}));
        QCOMPARE(rows(live()), 5);
        QVERIFY(button(&view, "restoreButton")->isEnabled());
        QTest::mouseClick(button(&view, "restoreButton"), Qt::LeftButton);
        auto *restore = waitForDialog<ActionDialog>(&view, QStringLiteral("restoreDialog"));
        QVERIFY(restore);
        QTRY_VERIFY(restore->findChild<QPlainTextEdit *>(QStringLiteral("preview"))->toPlainText().contains(path));
        auto *run = restore->findChild<QPushButton *>(QStringLiteral("runButton"));
        auto *confirm = restore->findChild<QCheckBox *>(QStringLiteral("confirmBox"));
        QVERIFY(confirm && confirm->isVisible());
        QVERIFY(!run->isEnabled());
        QTest::mouseClick(run, Qt::LeftButton);
        QCOMPARE(restore->runId(), qint64(0));
        QCOMPARE(rows(live()), 5);
        confirm->setChecked(true);
        QVERIFY(run->isEnabled());
        QSignalSpy finished(restore, &ActionDialog::runFinished);
        QTest::mouseClick(run, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15'000);
        const ActionRun ran = finished.first().first().value<ActionRun>();
        QVERIFY2(ran.status == u"succeeded", qPrintable(ran.summary + u'\n' + QString::fromUtf8(ran.output)));
        QCOMPARE(rows(live()), 3);
        restore->close();
        // The snapshot taken first is in the folder, not listed as a backup.
        QCOMPARE(view.model()->rowCount(destination(view, QStringLiteral("backup-db"))), 1);
        QVERIFY(!QDir(QFileInfo(path).path()).entryList({QStringLiteral("pre-restore-*")}, QDir::Files).isEmpty());
    }

    void aCorruptedBackupFailsVerification()
    {
        BackupsView view(m_session.get());
        view.show();
        const QModelIndex db = destination(view, QStringLiteral("backup-db"));
        QVERIFY(view.model()->rowCount(db) >= 1);
        const QModelIndex file = view.model()->index(0, 0, db);
        const QString path = file.data(BackupListModel::FilePathRole).toString();
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(f.size() / 2);
        f.write(QByteArray(512, 'x'));
        f.close();
        select(view, file);
        QSignalSpy verified(&view, &BackupsView::verified);
        QTest::mouseClick(button(&view, "verifyButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(verified.size(), 1, 15'000);
        QVERIFY(!verified.first().first().value<BackupVerification>().ok);
        const QModelIndex again = view.model()->find(QStringLiteral("gateway"), QStringLiteral("backup-db"), path);
        QCOMPARE(again.data(BackupListModel::VerifiedRole).toInt(), 0);
        QVERIFY(again.siblingAtColumn(BackupListModel::VerifiedColumn).data().toString().startsWith(tr("FAILED")));
        QVERIFY(view.findChild<QLabel *>(QStringLiteral("status"))->text().contains(QStringLiteral("NOT verified")));
    }

    void anArchiveHasNoRestore()
    {
        BackupsView view(m_session.get());
        view.show();
        const QModelIndex archive = destination(view, QStringLiteral("archive"));
        QVERIFY(archive.isValid());
        select(view, archive);
        QTest::mouseClick(button(&view, "backupButton"), Qt::LeftButton);
        auto *dialog = waitForDialog<ActionDialog>(&view, QStringLiteral("backupDialog"));
        QVERIFY(dialog);
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("runButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(destination(view, QStringLiteral("archive"))), 1, 10'000);
        dialog->close();
        select(view, view.model()->index(0, 0, destination(view, QStringLiteral("archive"))));
        QVERIFY(button(&view, "verifyButton")->isEnabled());
        QPushButton *restore = button(&view, "restoreButton");
        QVERIFY(!restore->isEnabled());
        QVERIFY(restore->toolTip().contains(QStringLiteral("no restore action")));
    }

    void cleanupTestCase() { m_session.reset(); }
};

QTEST_MAIN(TestUiBackups)
#include "tst_ui_backups.moc"
