#pragma once

#include <QWidget>

class CoreSession;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class ServiceTileModel;
class ServiceTileView;

// The dashboard: a tile per service, grouped, the worst group and the worst service first, with a
// filter box over names and groups. Double-click or Enter on a tile asks to open that service.
class DashboardView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardView)

public:
    explicit DashboardView(CoreSession *session, QWidget *parent = nullptr);

    QLineEdit *filterEdit() const { return m_filter; }
    // Puts the keyboard in the filter box with its text selected (the main window binds Ctrl+F).
    void focusFilter();

    ServiceTileModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    ServiceTileView *view() const { return m_view; }

signals:
    void serviceActivated(const QString &service);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateSummary();

    ServiceTileModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QLabel *m_summary;
    QLabel *m_empty;
    ServiceTileView *m_view;
};
