#include "runbookbrowser.h"

#include "actiondialog.h"
#include "auditlog.h"
#include "coresession.h"
#include "healthstyle.h"
#include "incidentmanager.h"

#include <QAbstractTextDocumentLayout>
#include <QDesktopServices>
#include <QFile>
#include <QFileInfo>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

namespace {

const QString kActionScheme = QStringLiteral("opsdeck");
const QString kActionPrefix = QStringLiteral("opsdeck:action/");

bool isChecklistItem(const QTextBlock &block)
{
    const auto marker = block.blockFormat().marker();
    return marker == QTextBlockFormat::MarkerType::Checked || marker == QTextBlockFormat::MarkerType::Unchecked;
}

// The decoration added around an action link's text: " ▶ text ".
QString undecorated(QString text)
{
    text = text.trimmed();
    if (text.startsWith(QChar(0x25B6)))
        text = text.mid(1).trimmed();
    return text;
}

// An argument as a shell would need it, so the tooltip shows where each argument ends.
QString quoted(const QString &arg)
{
    static const QRegularExpression plain(QStringLiteral("\\A[A-Za-z0-9_./:=@%+,{}-]+\\z"));
    if (plain.match(arg).hasMatch())
        return arg;
    QString q = arg;
    return u'\'' + q.replace(u'\'', QStringLiteral("'\\''")) + u'\'';
}

} // namespace

RunbookBrowser::RunbookBrowser(CoreSession *session, QWidget *parent)
    : QTextBrowser(parent)
    , m_session(session)
{
    setObjectName(QStringLiteral("runbook"));
    setAccessibleName(tr("Runbook"));
    setOpenLinks(false);
    // A caret, so keyboard users can move into a checklist item and tick it with Ctrl+Space; Tab
    // still goes from link to link.
    setTextInteractionFlags(textInteractionFlags() | Qt::TextSelectableByKeyboard);
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) { activateLink(url); });
}

bool RunbookBrowser::showRunbook(const QString &service, const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    const bool sameFile = service == m_service && path == m_path;
    m_ticks = sameFile ? checklist() : QList<QPair<QString, bool>>();
    m_service = service;
    m_path = path;
    m_markdown = QString::fromUtf8(file.readAll());
    render();
    return true;
}

void RunbookBrowser::render()
{
    const int scroll = verticalScrollBar()->value();
    document()->setBaseUrl(QUrl::fromLocalFile(QFileInfo(m_path).absolutePath() + u'/'));
    setMarkdown(m_markdown);
    // Ticks made before a reload stay, by item text.
    for (QTextBlock b = document()->begin(); b.isValid(); b = b.next()) {
        if (!isChecklistItem(b))
            continue;
        for (const auto &tick : std::as_const(m_ticks)) {
            if (tick.first == b.text()) {
                QTextBlockFormat f = b.blockFormat();
                f.setMarker(tick.second ? QTextBlockFormat::MarkerType::Checked : QTextBlockFormat::MarkerType::Unchecked);
                QTextCursor(b).setBlockFormat(f);
                break;
            }
        }
    }
    decorateLinks();
    verticalScrollBar()->setValue(scroll);
}

QString RunbookBrowser::actionSummary(const QString &action) const
{
    const ServiceConfig *service = m_session->config().service(m_service);
    const ActionConfig *a = service ? service->action(action) : nullptr;
    if (!a)
        return {};
    QString what;
    switch (a->kind) {
    case ActionKind::Command:
        if (a->shell) {
            what = QStringLiteral("sh -c ") + quoted(a->argv.value(0));
        } else {
            QStringList args;
            for (const QString &arg : a->argv)
                args << quoted(arg);
            what = args.join(u' ');
        }
        break;
    case ActionKind::Http:
        what = QString::fromLatin1(a->http.method) + u' ' + a->http.url;
        break;
    case ActionKind::Builtin:
        what = tr("built-in %1").arg(builtinKindName(a->builtin));
        break;
    }
    QString tip = tr("Runs %1 of %2: %3").arg(a->name, m_service, what);
    if (!a->description.isEmpty())
        tip = a->description + u'\n' + tip;
    return tip + u'\n' + tr("Opens the action's dialog first: nothing runs before you press Run.");
}

void RunbookBrowser::decorateLinks()
{
    const ServiceConfig *service = m_session->config().service(m_service);
    // Collect first: rewriting a fragment invalidates the iteration.
    struct Span
    {
        int start;
        int length;
        QString text;
        QTextCharFormat format;
    };
    QList<Span> spans;
    for (QTextBlock b = document()->begin(); b.isValid(); b = b.next()) {
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextFragment f = it.fragment();
            if (f.isValid() && f.charFormat().isAnchor() && f.charFormat().anchorHref().startsWith(kActionPrefix))
                spans.append({f.position(), f.length(), f.text(), f.charFormat()});
        }
    }
    // Back to front, so earlier positions stay valid.
    for (auto it = spans.crbegin(); it != spans.crend(); ++it) {
        const QString name = it->format.anchorHref().mid(kActionPrefix.size());
        const bool known = service && service->action(name);
        QTextCharFormat f = it->format;
        f.setFontUnderline(false);
        f.setFontWeight(QFont::Bold);
        QString text;
        if (known) {
            // A tint of the highlight colour reads as a button on light and dark palettes alike.
            QColor tint = palette().color(QPalette::Highlight);
            tint.setAlpha(56);
            f.setBackground(tint);
            f.setForeground(palette().color(QPalette::Text));
            f.setToolTip(actionSummary(name));
            text = QStringLiteral("\u00A0\u25B6 %1\u00A0").arg(undecorated(it->text));
        } else {
            f.setFontStrikeOut(true);
            f.setForeground(HealthStyle::color(Health::Down));
            f.setToolTip(tr("Broken link: %1 has no action `%2`, so this step cannot run from here").arg(m_service, name));
            text = QStringLiteral("\u2715 %1").arg(undecorated(it->text));
        }
        QTextCursor c(document());
        c.setPosition(it->start);
        c.setPosition(it->start + it->length, QTextCursor::KeepAnchor);
        c.insertText(text, f);
    }
}

QList<RunbookBrowser::ActionLink> RunbookBrowser::actionLinks() const
{
    const ServiceConfig *service = m_session->config().service(m_service);
    QList<ActionLink> links;
    for (QTextBlock b = document()->begin(); b.isValid(); b = b.next()) {
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextFragment f = it.fragment();
            if (!f.isValid() || !f.charFormat().isAnchor() || !f.charFormat().anchorHref().startsWith(kActionPrefix))
                continue;
            const QString name = f.charFormat().anchorHref().mid(kActionPrefix.size());
            QString text = f.text();
            if (text.startsWith(QChar(0x2715)))
                text = text.mid(1);
            links.append({name, undecorated(text.replace(QChar(0x00A0), u' ')), service && service->action(name)});
        }
    }
    return links;
}

QList<QPair<QString, bool>> RunbookBrowser::checklist() const
{
    QList<QPair<QString, bool>> items;
    for (QTextBlock b = document()->begin(); b.isValid(); b = b.next()) {
        if (isChecklistItem(b))
            items.append({b.text(), b.blockFormat().marker() == QTextBlockFormat::MarkerType::Checked});
    }
    return items;
}

ActionDialog *RunbookBrowser::activateLink(const QUrl &url)
{
    const QString href = url.toString();
    if (href.startsWith(kActionPrefix)) {
        const QString name = href.mid(kActionPrefix.size());
        const ServiceConfig *service = m_session->config().service(m_service);
        if (!service || !service->action(name)) {
            emit notice(tr("✕ %1 has no action `%2`: this runbook step cannot run from here. Add the action to the config or fix the link.")
                            .arg(m_service, name));
            return nullptr;
        }
        if (!m_session->actions()) {
            emit notice(tr("✕ Actions cannot run: the history store is not open."));
            return nullptr;
        }
        ActionDialog *dialog = ActionDialog::launch(m_session, m_service, name, this);
        dialog->setReason(QStringLiteral("runbook"));
        emit actionLaunched(dialog);
        return dialog;
    }
    if (url.scheme() == u"http" || url.scheme() == u"https" || url.scheme() == u"mailto") {
        QDesktopServices::openUrl(url);
        return nullptr;
    }
    if (href.startsWith(u'#')) {
        scrollToAnchor(href.mid(1));
        return nullptr;
    }
    emit notice(tr("This link (%1) cannot be opened from a runbook.").arg(href));
    return nullptr;
}

bool RunbookBrowser::toggleChecklistAt(int position)
{
    QTextBlock block = document()->findBlock(position);
    if (!block.isValid() || !isChecklistItem(block))
        return false;
    QTextBlockFormat f = block.blockFormat();
    const bool ticked = f.marker() == QTextBlockFormat::MarkerType::Unchecked;
    f.setMarker(ticked ? QTextBlockFormat::MarkerType::Checked : QTextBlockFormat::MarkerType::Unchecked);
    QTextCursor(block).setBlockFormat(f);

    const QString item = block.text().replace(QChar(0x00A0), u' ').simplified();
    const QString itemWithSource = tr("%1 (%2)").arg(item, QFileInfo(m_path).fileName());
    IncidentManager *incidents = m_session->hasStore() ? m_session->incidents() : nullptr;
    const std::optional<Incident> open = incidents ? incidents->openIncidentFor(m_service) : std::nullopt;
    if (!open) {
        emit notice(tr("No open incident for %1: the tick is kept in this view only.").arg(m_service));
        return true;
    }
    QString error;
    if (!incidents->tickChecklist(open->id, currentActor(), itemWithSource, ticked, &error)) {
        emit notice(tr("✕ The tick could not be recorded in incident #%1: %2").arg(open->id).arg(error));
        return true;
    }
    emit notice(ticked ? tr("✓ Ticked in incident #%1's timeline: %2").arg(open->id).arg(item)
                       : tr("Unticked in incident #%1's timeline: %2").arg(open->id).arg(item));
    return true;
}

void RunbookBrowser::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        const QPointF docPos = event->position() + QPointF(horizontalScrollBar()->value(), verticalScrollBar()->value());
        const QTextBlock block = document()->documentLayout()->blockWithMarkerAt(docPos);
        if (block.isValid() && isChecklistItem(block)) {
            toggleChecklistAt(block.position());
            event->accept();
            return;
        }
    }
    QTextBrowser::mousePressEvent(event);
}

void RunbookBrowser::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && event->modifiers() == Qt::ControlModifier) {
        if (toggleChecklistAt(textCursor().position())) {
            event->accept();
            return;
        }
    }
    QTextBrowser::keyPressEvent(event);
}

void RunbookBrowser::changeEvent(QEvent *event)
{
    QTextBrowser::changeEvent(event);
    // The button look is baked into the document's formats: follow a light/dark switch.
    if (event->type() == QEvent::PaletteChange && !m_path.isEmpty()) {
        m_ticks = checklist();
        render();
    }
}
