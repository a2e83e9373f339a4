#include "kioskincidentspage.h"

#include "auditlog.h"
#include "coresession.h"
#include "duration.h"
#include "incidentlistmodel.h"
#include "incidentmanager.h"
#include "kioskpinlock.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>

KioskIncidentsPage::KioskIncidentsPage(CoreSession *session, IncidentListModel *model, KioskPinLock *lock, QWidget *parent)
    : KioskPage(parent)
    , m_session(session)
    , m_model(model)
    , m_lock(lock)
{
    setObjectName(QStringLiteral("kioskIncidents"));
    setAccessibleName(tr("Open incidents"));
    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_empty = new QLabel(tr("No open incidents"), this);
    m_empty->setAlignment(Qt::AlignCenter);
    m_layout->addWidget(m_empty);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("incidentError"));
    m_error->setWordWrap(true);
    m_error->hide();
    m_layout->addWidget(m_error);
    m_layout->addStretch();
    auto changed = [this] {
        refresh();
        emit contentChanged();
    };
    if (model) {
        connect(model, &QAbstractItemModel::dataChanged, this, [this] { refresh(); });
        connect(model, &QAbstractItemModel::modelReset, this, changed);
        connect(model, &QAbstractItemModel::rowsInserted, this, changed);
        connect(model, &QAbstractItemModel::rowsRemoved, this, changed);
    }
    connect(lock, &KioskPinLock::lockChanged, this, [this] {
        m_error->hide();
        refresh();
    });
}

QString KioskIncidentsPage::title() const
{
    return tr("Open incidents");
}

QList<int> KioskIncidentsPage::openRows() const
{
    QList<int> rows;
    if (!m_model)
        return rows;
    for (int r = 0; r < m_model->rowCount(); ++r)
        if (const Incident *i = m_model->incident(r); i && i->isOpen())
            rows << r;
    std::stable_sort(rows.begin(), rows.end(), [this](int a, int b) {
        const Incident *x = m_model->incident(a);
        const Incident *y = m_model->incident(b);
        const bool xNew = x->state == IncidentState::Open;
        const bool yNew = y->state == IncidentState::Open;
        if (xNew != yNew)
            return xNew;
        return x->openedAtMs < y->openedAtMs;
    });
    return rows;
}

int KioskIncidentsPage::rowsPerSubPage() const
{
    return qMax(1, area().height() / m_type.px(2.4));
}

int KioskIncidentsPage::subPageCount() const
{
    const qsizetype n = openRows().size();
    return qMax(1, int((n + rowsPerSubPage() - 1) / rowsPerSubPage()));
}

void KioskIncidentsPage::ensureRows(int count)
{
    while (m_rows.size() < count) {
        RowWidgets w;
        w.row = new QWidget(this);
        w.row->setObjectName(QStringLiteral("incidentRow"));
        w.row->setAutoFillBackground(true);
        w.row->setBackgroundRole(QPalette::Base);
        auto *h = new QHBoxLayout(w.row);
        w.severity = new QLabel(w.row);
        w.what = new QLabel(w.row);
        w.what->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        w.age = new QLabel(w.row);
        w.state = new QLabel(w.row);
        w.ack = new QPushButton(tr("Acknowledge"), w.row);
        w.ack->setObjectName(QStringLiteral("acknowledgeButton"));
        w.ack->setAccessibleName(tr("Acknowledge this incident"));
        h->addWidget(w.severity);
        h->addWidget(w.what, 1);
        h->addWidget(w.age);
        h->addWidget(w.state);
        h->addWidget(w.ack);
        const int index = int(m_rows.size());
        connect(w.ack, &QPushButton::clicked, this, [this, index] {
            QString error;
            if (!acknowledge(m_rows.at(index).id, &error)) {
                m_error->setText(error);
                m_error->show();
            }
        });
        m_layout->insertWidget(int(m_rows.size()), w.row);
        m_rows << w;
    }
}

QList<qint64> KioskIncidentsPage::visibleIds() const
{
    QList<qint64> ids;
    for (const RowWidgets &w : m_rows)
        if (!w.row->isHidden())
            ids << w.id;
    return ids;
}

void KioskIncidentsPage::refresh()
{
    const QList<int> rows = openRows();
    const int per = rowsPerSubPage();
    const int sub = qMin(m_subPage, subPageCount() - 1);
    const QList<int> shown = rows.mid(qsizetype(sub) * per, per);
    ensureRows(int(shown.size()));
    m_empty->setFont(m_type.font(1.4, true));
    m_empty->setVisible(shown.isEmpty());
    m_error->setFont(m_type.font(0.8));
    const qint64 now = m_model ? m_model->nowMs() : 0;
    for (int n = 0; n < m_rows.size(); ++n) {
        RowWidgets &w = m_rows[n];
        if (n >= shown.size()) {
            w.row->hide();
            w.id = 0;
            continue;
        }
        const Incident &i = *m_model->incident(shown.at(n));
        w.id = i.id;
        w.row->setFixedHeight(m_type.px(2.1));
        w.severity->setFont(m_type.font(1.1, true));
        w.severity->setText(i.severity);
        w.age->setFont(m_type.font(1.0));
        // Whole seconds, then whole minutes: a wall display need not tick faster than it is read.
        const qint64 age = qMax<qint64>(0, now - i.openedAtMs) / 1000;
        w.age->setText(age < 60 ? tr("open %n s", nullptr, int(age)) : tr("open %1").arg(Duration::format(age / 60 * 60'000)));
        w.state->setFont(m_type.font(0.9, i.state == IncidentState::Open));
        w.state->setText(IncidentListModel::stateLabel(i.state));
        w.ack->setFont(m_type.font(0.9, true));
        const bool canAck = m_lock->isUnlocked() && i.state == IncidentState::Open;
        w.ack->setVisible(canAck);
        // A label does not elide by itself: what is left beside the fixed parts is measured here.
        const int spacing = w.row->layout()->spacing();
        const QMargins margins = w.row->layout()->contentsMargins();
        int fixed = margins.left() + margins.right() + w.severity->sizeHint().width() + w.age->sizeHint().width()
            + w.state->sizeHint().width() + 4 * spacing;
        if (canAck)
            fixed += w.ack->sizeHint().width() + spacing;
        w.what->setFont(m_type.font(1.0, true));
        const QString what = tr("%1: %2").arg(i.service, i.title);
        w.what->setText(QFontMetrics(w.what->font()).elidedText(what, Qt::ElideRight, qMax(10, width() - fixed)));
        w.what->setToolTip(what);
        w.row->setAccessibleName(tr("Incident %1, %2, %3, %4").arg(i.id).arg(i.severity, what, w.state->text()));
        w.row->show();
    }
}

bool KioskIncidentsPage::acknowledge(qint64 id, QString *error)
{
    QString why;
    if (!m_lock->isUnlocked())
        why = tr("Locked: enter the PIN to acknowledge");
    else if (!m_session->incidents())
        why = tr("No incident store is open");
    else if (m_session->incidents()->acknowledge(id, currentActor(), QStringLiteral(""), &why))
        return true;
    if (error)
        *error = why;
    return false;
}
