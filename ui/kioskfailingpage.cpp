#include "kioskfailingpage.h"

#include "actiondialog.h"
#include "checktablemodel.h"
#include "coresession.h"
#include "healthstyle.h"
#include "kioskpinlock.h"
#include "servicetilemodel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>

KioskFailingPage::KioskFailingPage(CoreSession *session, ServiceTileModel *tiles, KioskPinLock *lock, QWidget *parent)
    : KioskPage(parent)
    , m_session(session)
    , m_tiles(tiles)
    , m_lock(lock)
    , m_checks(new CheckTableModel(session->watcher(), this))
{
    setObjectName(QStringLiteral("kioskFailing"));
    setAccessibleName(tr("Failing service"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    m_icon = new QLabel(this);
    m_heading = new QLabel(this);
    m_heading->setObjectName(QStringLiteral("failingService"));
    m_heading->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    top->addWidget(m_icon);
    top->addWidget(m_heading, 1);
    layout->addLayout(top);
    m_actions = new QWidget(this);
    m_actionLayout = new QHBoxLayout(m_actions);
    m_actionLayout->setContentsMargins(0, 0, 0, 0);
    m_actionLayout->addStretch();
    layout->addWidget(m_actions);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("actionError"));
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    layout->addStretch();
    auto changed = [this] {
        refresh();
        emit contentChanged();
    };
    connect(tiles, &QAbstractItemModel::dataChanged, this, changed);
    connect(tiles, &QAbstractItemModel::modelReset, this, changed);
    connect(m_checks, &QAbstractItemModel::dataChanged, this, [this] { refresh(); });
    connect(lock, &KioskPinLock::lockChanged, this, [this] {
        m_error->hide();
        refresh();
    });
}

QString KioskFailingPage::title() const
{
    return tr("Failing: %1").arg(m_service);
}

QStringList KioskFailingPage::failing() const
{
    QList<QPair<Health, QString>> found;
    for (int r = 0; r < m_tiles->rowCount(); ++r) {
        const QModelIndex i = m_tiles->index(r);
        const Health h = Health(i.data(ServiceTileModel::HealthRole).toInt());
        if (isFailure(h))
            found << qMakePair(h, i.data(ServiceTileModel::ServiceRole).toString());
    }
    std::stable_sort(found.begin(), found.end(), [](const auto &a, const auto &b) {
        return a.first != b.first ? a.first > b.first : a.second.localeAwareCompare(b.second) < 0;
    });
    QStringList names;
    for (const auto &f : found)
        names << f.second;
    return names;
}

int KioskFailingPage::subPageCount() const
{
    return int(failing().size());
}

void KioskFailingPage::refresh()
{
    const QStringList names = failing();
    const QString service = names.value(qMin(m_subPage, int(names.size()) - 1));
    if (service != m_service) {
        m_service = service;
        m_checks->setService(service);
        m_error->hide();
        qDeleteAll(m_actionButtons);
        m_actionButtons.clear();
        if (const ServiceConfig *config = m_session->config().service(service)) {
            for (const ActionConfig &a : config->actions) {
                auto *b = new QPushButton(a.name, m_actions);
                b->setObjectName(QStringLiteral("actionButton"));
                b->setAccessibleName(tr("Run %1").arg(a.name));
                b->setToolTip(a.description);
                const QString name = a.name;
                connect(b, &QPushButton::clicked, this, [this, name] {
                    QString error;
                    if (!runAction(name, &error)) {
                        m_error->setText(error);
                        m_error->show();
                    }
                });
                m_actionLayout->insertWidget(int(m_actionButtons.size()), b);
                m_actionButtons << b;
            }
        }
    }
    const int row = m_tiles->rowOf(service);
    const Health health = row >= 0 ? Health(m_tiles->index(row).data(ServiceTileModel::HealthRole).toInt()) : Health::Unknown;
    const int iconSize = m_type.px(2.0);
    m_icon->setPixmap(HealthStyle::icon(health).pixmap(iconSize, iconSize));
    m_icon->setFixedSize(iconSize, iconSize);
    m_heading->setFont(m_type.font(1.6, true));
    const QString heading = tr("%1 — %2").arg(service, HealthStyle::label(health));
    m_heading->setText(QFontMetrics(m_heading->font()).elidedText(heading, Qt::ElideRight, qMax(10, width() - iconSize - m_type.px(0.5))));
    m_heading->setAccessibleName(heading);
    m_error->setFont(m_type.font(0.8));

    // Only the checks that are not ok: the reason to look at this page.
    QStringList lines;
    for (int r = 0; r < m_checks->rowCount(); ++r) {
        const Health h = Health(m_checks->index(r, 0).data(CheckTableModel::HealthRole).toInt());
        if (h == Health::Ok)
            continue;
        const QString reason = m_checks->index(r, CheckTableModel::ReasonColumn).data().toString();
        lines << tr("%1 (%2): %3").arg(m_checks->checkAt(r), HealthStyle::label(h), reason.isEmpty() ? HealthStyle::label(h) : reason);
    }
    auto *layout = qobject_cast<QVBoxLayout *>(this->layout());
    while (m_checkLabels.size() < lines.size()) {
        auto *l = new QLabel(this);
        l->setObjectName(QStringLiteral("failingCheck"));
        l->setWordWrap(true);
        l->setTextFormat(Qt::PlainText);
        l->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        layout->insertWidget(1 + int(m_checkLabels.size()), l);
        m_checkLabels << l;
    }
    for (int n = 0; n < m_checkLabels.size(); ++n) {
        QLabel *l = m_checkLabels.at(n);
        l->setVisible(n < lines.size());
        if (n >= lines.size())
            continue;
        l->setFont(m_type.font(1.0));
        // Two lines at most: a long body value must not push the actions off the screen.
        const QFontMetrics fm(l->font());
        l->setText(fm.elidedText(lines.at(n), Qt::ElideRight, qMax(10, width() * 2 - fm.averageCharWidth() * 4)));
        l->setAccessibleName(lines.at(n));
    }
    for (QPushButton *b : m_actionButtons)
        b->setFont(m_type.font(1.0, true));
    m_actions->setVisible(m_lock->isUnlocked() && !m_actionButtons.isEmpty());
}

ActionDialog *KioskFailingPage::runAction(const QString &action, QString *error)
{
    QString why;
    const ServiceConfig *config = m_session->config().service(m_service);
    if (!m_lock->isUnlocked())
        why = tr("Locked: enter the PIN to run actions");
    else if (!m_session->actions())
        why = tr("Actions cannot run: no store is open");
    else if (!config || !config->action(action))
        why = tr("%1 has no action %2").arg(m_service, action);
    if (!why.isEmpty()) {
        if (error)
            *error = why;
        return nullptr;
    }
    ActionDialog *dialog = ActionDialog::launch(m_session, m_service, action, window());
    dialog->setReason(QStringLiteral("kiosk")); // for the audit log, not translated
    return dialog;
}
