#pragma once

#include "kioskpage.h"
#include "sloreport.h"

class KioskFreshness;
class ServiceTileModel;
class SloMonitor;

// Error budgets, one row per service with an SLO, least left first: a bar of what is left, the
// percentage and the budget state in words, and the burn-rate alert (from the SLO monitor).
// Grey while the kiosk's data is stale.
class KioskBudgetsPage final : public KioskPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KioskBudgetsPage)

public:
    KioskBudgetsPage(ServiceTileModel *model, SloMonitor *slo, KioskFreshness *freshness, QWidget *parent = nullptr);

    QString title() const override;
    int subPageCount() const override;

    struct Row
    {
        QString name;
        bool hasReport = false;
        double remaining = 1; // fraction; below 0 when overspent
        BudgetState state = BudgetState::Ok;
        BurnAlert alert = BurnAlert::None;
    };
    QList<Row> visibleRows() const;
    static QString alertText(BurnAlert alert);
    static QString budgetWord(BudgetState state);

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<Row> rows() const;
    int rowsPerSubPage() const;

    ServiceTileModel *m_model;
    SloMonitor *m_slo;
    KioskFreshness *m_freshness;
};
