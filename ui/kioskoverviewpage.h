#pragma once

#include "health.h"
#include "kioskpage.h"

class KioskFreshness;
class ServiceTileModel;

// Every service as a big tile, worst first: its state as colour, shape and word, its name, and why
// it is not ok. While the kiosk's data is stale every tile turns grey and says unknown (with the
// last state seen), so the wall never shows green it cannot vouch for.
class KioskOverviewPage final : public KioskPage
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KioskOverviewPage)

public:
    KioskOverviewPage(ServiceTileModel *model, KioskFreshness *freshness, QWidget *parent = nullptr);

    QString title() const override;
    int subPageCount() const override;
    int tilesPerSubPage() const;

    struct Tile
    {
        QString name;
        Health health = Health::Unknown; // as drawn (unknown while stale)
        Health seen = Health::Unknown;   // as the watcher last judged it
        QString reason;
    };
    // The tiles of the current sub-page, as drawn.
    QList<Tile> visibleTiles() const;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<Tile> tiles() const;
    QSize grid() const; // columns × rows that fit

    ServiceTileModel *m_model;
    KioskFreshness *m_freshness;
};
