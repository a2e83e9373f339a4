#pragma once

#include <QList>
#include <QString>
#include <QTextBrowser>

class ActionDialog;
class CoreSession;

// One Markdown runbook of a service, rendered with QTextDocument's Markdown support. Links
// `opsdeck:action/NAME` look like buttons (▶ and the link's text) and open the action's dialog —
// the same confirmation as anywhere else, with "runbook" as the reason; a link to an action the
// service does not have is struck through and says why. http(s) links open in the browser.
// `- [ ]` items are checkboxes: clicking the box (or Ctrl+Space in the item) ticks it, and each
// tick or untick goes into the service's open incident's timeline; without an open incident it is
// kept in this view only, and notice() says so.
class RunbookBrowser final : public QTextBrowser
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunbookBrowser)

public:
    explicit RunbookBrowser(CoreSession *session, QWidget *parent = nullptr);

    // Shows `path` for `service`. Ticks of items whose text is unchanged are kept when the same
    // file is shown again (reloaded after an edit).
    bool showRunbook(const QString &service, const QString &path, QString *error = nullptr);
    QString service() const { return m_service; }
    QString path() const { return m_path; }

    struct ActionLink
    {
        QString action;
        QString text;  // as shown, without the decoration
        bool known = false;
    };
    QList<ActionLink> actionLinks() const;
    // The checklist items, in document order, with their state.
    QList<QPair<QString, bool>> checklist() const;

    // What a click on a link does (anchorClicked is connected to it). Returns the dialog it opened
    // for an action link, else null.
    ActionDialog *activateLink(const QUrl &url);
    // Ticks or unticks the checklist item of the block at document position `position`; false
    // when that block is no checklist item.
    bool toggleChecklistAt(int position);

signals:
    // Something the operator should read next to the runbook: a tick not recorded, a broken link.
    void notice(const QString &text);
    void actionLaunched(ActionDialog *dialog);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void render();
    void decorateLinks();
    QString actionSummary(const QString &action) const;

    CoreSession *m_session;
    QString m_service;
    QString m_path;
    QString m_markdown;
    QList<QPair<QString, bool>> m_ticks; // carried over a re-render
};
