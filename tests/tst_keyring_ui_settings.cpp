// The Settings view over a real CoreSession and a real keychain (CTest runs this suite through
// tests/run-with-keyring.sh): secrets are set, replaced and deleted through the view without their
// values ever being shown, a broken config is listed with file:line:col and not applied, and "Send
// test" reaches a real webhook receiver.
#include "coresession.h"
#include "notifyreceiver.h"
#include "secretlistmodel.h"
#include "secretstore.h"
#include "settingsview.h"

#include <QApplication>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

class TestKeyringUiSettings : public QObject
{
    Q_OBJECT

private:
    QString write(const QString &name, const QByteArray &yaml)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return {};
        f.write(yaml);
        return path;
    }

    QByteArray config()
    {
        return "store: sqlite:" + m_dir.filePath(QStringLiteral("history.sqlite")).toUtf8() + "\n"
               "services:\n  - name: api\n    checks:\n      - name: health\n        url: http://127.0.0.1:9/health\n"
               "        interval: 1h\n        headers: { Authorization: \"Bearer ${secret:api-token}\" }\n"
               "# - ${secret:commented-out} is not used\n"
               "notify:\n  - webhook: { name: ops-hook, url: \"" + m_receiver.url(QStringLiteral("/hook")).toUtf8() + "\" }\n";
    }

    int rowOf(SecretListModel *model, const QString &name)
    {
        for (int i = 0; i < model->rowCount(); ++i)
            if (model->index(i, 0).data(SecretListModel::NameRole).toString() == name)
                return i;
        return -1;
    }

    QPushButton *button(QWidget *view, const QString &text)
    {
        for (QPushButton *b : view->findChildren<QPushButton *>())
            if (b->text() == text)
                return b;
        return nullptr;
    }

private slots:
    void initTestCase() { QVERIFY(m_receiver.listen()); }

    void secretsWithoutValues()
    {
        CoreSession session;
        QVERIFY(session.loadConfig(write(QStringLiteral("secrets.yaml"), config())));
        SettingsView view(&session);
        view.resize(1280, 800);
        view.show();
        SecretListModel *model = view.secretModel();
        const int row = rowOf(model, QStringLiteral("api-token"));
        QVERIFY(row >= 0);
        QCOMPARE(rowOf(model, QStringLiteral("commented-out")), -1);
        QVERIFY(!model->index(row, 0).data(SecretListModel::IsSetRole).toBool());
        QVERIFY(model->index(row, 0).data(SecretListModel::IsReferencedRole).toBool());
        QCOMPARE(model->index(row, SecretListModel::StateColumn).data().toString(), QStringLiteral("Not set"));

        // Set it through the view: a password field, then the keychain.
        view.secretTable()->setCurrentIndex(model->index(row, 0));
        QPushButton *set = button(&view, QStringLiteral("&Set or replace…"));
        QVERIFY(set && set->isEnabled());
        set->click();
        auto *dialog = view.findChild<QInputDialog *>(QStringLiteral("secretValueDialog"));
        QVERIFY(dialog);
        QCOMPARE(dialog->textEchoMode(), QLineEdit::Password);
        dialog->setTextValue(QStringLiteral("t0ken-value-91"));
        dialog->accept();
        QTRY_VERIFY_WITH_TIMEOUT(view.secretStatus()->text() == QStringLiteral("api-token is set."), 15000);
        const int setRow = rowOf(model, QStringLiteral("api-token"));
        QVERIFY(model->index(setRow, 0).data(SecretListModel::IsSetRole).toBool());
        // The value is in the keychain, and nowhere in the view.
        SecretStore::Result read;
        bool done = false;
        session.secrets()->read(QStringLiteral("api-token"), [&](const SecretStore::Result &r) { read = r; done = true; });
        QTRY_VERIFY_WITH_TIMEOUT(done, 15000);
        QVERIFY2(read.ok(), qPrintable(read.message));
        QCOMPARE(read.value, QStringLiteral("t0ken-value-91"));
        for (int c = 0; c < model->columnCount(); ++c)
            QVERIFY(!model->index(setRow, c).data().toString().contains(u"t0ken"));
        for (QLabel *label : view.findChildren<QLabel *>())
            QVERIFY(!label->text().contains(u"t0ken"));

        // Delete it, after a confirmation that defaults to Cancel.
        view.secretTable()->setCurrentIndex(model->index(setRow, 0));
        QPushButton *del = button(&view, QStringLiteral("&Delete…"));
        QVERIFY(del && del->isEnabled());
        del->click();
        auto *box = view.findChild<QMessageBox *>(QStringLiteral("deleteSecretDialog"));
        QVERIFY(box);
        QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
        box->button(QMessageBox::Yes)->click();
        QTRY_VERIFY_WITH_TIMEOUT(view.secretStatus()->text() == QStringLiteral("api-token is deleted."), 15000);
        QVERIFY(!model->index(rowOf(model, QStringLiteral("api-token")), 0).data(SecretListModel::IsSetRole).toBool());
        QVERIFY(!session.secrets()->names().contains(QStringLiteral("api-token")));
    }

    void newSecretNameIsValidated()
    {
        CoreSession session;
        QVERIFY(session.loadConfig(write(QStringLiteral("names.yaml"), config())));
        SettingsView view(&session);
        view.setSecret(QString());
        auto *dialog = view.findChild<QInputDialog *>(QStringLiteral("secretValueDialog"));
        QVERIFY(dialog);
        QCOMPARE(dialog->textEchoMode(), QLineEdit::Normal); // a name is not secret
        dialog->setTextValue(QStringLiteral("bad name"));
        dialog->accept();
        QVERIFY(view.secretStatus()->text().contains(u"bad name"));
        QVERIFY(!session.secrets()->names().contains(QStringLiteral("bad name")));
    }

    void reloadListsErrorsInline()
    {
        const QString path = write(QStringLiteral("reload.yaml"), config());
        CoreSession session;
        QVERIFY(session.loadConfig(path));
        SettingsView view(&session);
        QVERIFY(!view.issueList()->isVisibleTo(&view));
        write(QStringLiteral("reload.yaml"), "services:\n  - name: api\n    checks:\n      - name: health\n        url: http://127.0.0.1:9/\n        intervall: 5s\n");
        QSignalSpy reloaded(&view, &SettingsView::reloaded);
        QVERIFY(!view.reload());
        QCOMPARE(reloaded.size(), 1);
        QCOMPARE(reloaded.first().first().toBool(), false);
        QVERIFY(view.issueList()->isVisibleTo(&view));
        QVERIFY(view.issueList()->count() >= 1);
        QVERIFY2(view.issueList()->item(0)->text().startsWith(path + QStringLiteral(":6:9: error: services[api].checks[health].intervall")),
                 qPrintable(view.issueList()->item(0)->text()));
        // The running config is the previous one.
        QCOMPARE(session.config().notify.size(), 1);
    }

    void sendTestReachesTheChannel()
    {
        CoreSession session;
        QVERIFY(session.loadConfig(write(QStringLiteral("notify.yaml"), config())));
        QString error;
        QVERIFY2(session.openHistory(&error), qPrintable(error));
        SettingsView view(&session);
        QCOMPARE(view.channelList()->topLevelItemCount(), 1);
        QCOMPARE(view.channelList()->topLevelItem(0)->text(0), QStringLiteral("ops-hook"));
        const int before = int(m_receiver.requests().size());
        view.sendTest(QStringLiteral("ops-hook"));
        QTRY_COMPARE_WITH_TIMEOUT(view.notifyStatus()->text(), QStringLiteral("Delivered through ops-hook."), 15000);
        QCOMPARE(int(m_receiver.requests().size()), before + 1);
        QCOMPARE(m_receiver.requests().constLast().path, QByteArray("/hook"));

        view.sendTest(QStringLiteral("nope"));
        QVERIFY(view.notifyStatus()->text().startsWith(u"Not sent: "));
        QVERIFY(view.notifyStatus()->text().contains(u"ops-hook")); // names the configured ones
    }

private:
    QTemporaryDir m_dir;
    NotifyReceiver m_receiver;
};

QTEST_MAIN(TestKeyringUiSettings)
#include "tst_keyring_ui_settings.moc"
