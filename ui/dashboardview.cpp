#include "dashboardview.h"

#include "servicetiledelegate.h"
#include "servicetilemodel.h"
#include "servicetileview.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

DashboardView::DashboardView(CoreSession *session, QWidget *parent)
    : QWidget(parent)
    , m_model(new ServiceTileModel(session, this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_summary(new QLabel(this))
    , m_empty(new QLabel(this))
    , m_view(new ServiceTileView(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ServiceTileModel::SortKeyRole);
    m_proxy->setFilterRole(ServiceTileModel::FilterTextRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setDynamicSortFilter(true);
    m_proxy->sort(0);

    m_filter->setPlaceholderText(tr("Filter by service or group (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setAccessibleName(tr("Filter services"));
    m_filter->setToolTip(tr("Shows the services whose name or group contains this text"));
    m_filter->setMaximumWidth(420);
    m_filter->installEventFilter(this);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_summary->setAccessibleName(tr("Services shown"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setAccessibleName(tr("Dashboard message"));
    m_empty->hide();

    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new ServiceTileDelegate(m_view));
    m_view->setAccessibleName(tr("Services"));
    m_view->setAccessibleDescription(tr("One tile per service, the worst first; Enter opens the service"));
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        if (index.isValid())
            emit serviceActivated(index.data(ServiceTileModel::ServiceRole).toString());
    });

    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(16, 12, 16, 0);
    bar->addWidget(m_filter, 1);
    bar->addStretch();
    bar->addWidget(m_summary);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(bar);
    layout->addWidget(m_empty);
    layout->addWidget(m_view, 1);
    setFocusProxy(m_view);

    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &DashboardView::updateSummary);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &DashboardView::updateSummary);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &DashboardView::updateSummary);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &DashboardView::updateSummary);
    updateSummary();
}

void DashboardView::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void DashboardView::updateSummary()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    // Singular and plural spelled out: English has no numerus translation to turn "(s)" into words.
    if (shown == total)
        m_summary->setText(total == 1 ? tr("1 service") : tr("%1 services").arg(total));
    else
        m_summary->setText(tr("%1 of %2 services").arg(shown).arg(total));
    if (total == 0)
        m_empty->setText(tr("No services are configured. Add them under `services:` in the config file."));
    else if (shown == 0)
        m_empty->setText(tr("No service or group matches “%1”.").arg(m_filter->text()));
    m_empty->setVisible(shown == 0);
}

bool DashboardView::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Escape && !m_filter->text().isEmpty()) {
            m_filter->clear();
            return true;
        }
        // From the filter straight into the tiles, at the first (worst) match: Down or Enter.
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            if (m_proxy->rowCount() == 0)
                return false;
            m_view->setCurrentIndex(m_proxy->index(0, 0));
            m_view->setFocus(Qt::TabFocusReason);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}
