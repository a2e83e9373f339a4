#pragma once

#include <QSortFilterProxyModel>

// The incidents list narrowed by the operator's filters: state, severity, service and free text
// (id, title, service, cause, impact). Reads IncidentListModel's roles.
class IncidentFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IncidentFilterProxy)

public:
    enum class StateFilter { Active, Open, Acknowledged, Mitigated, Resolved, All };

    explicit IncidentFilterProxy(QObject *parent = nullptr);

    void setStateFilter(StateFilter filter);
    void setSeverity(const QString &severity); // empty: any
    void setService(const QString &service);   // empty: any
    void setText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    StateFilter m_state = StateFilter::Active;
    QString m_severity;
    QString m_service;
    QString m_text;
};
