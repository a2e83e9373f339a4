#include "servicetiledelegate.h"

#include "healthstyle.h"
#include "servicetilemodel.h"
#include "sloreport.h"
#include "sparklinepainter.h"

#include <QApplication>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <cmath>

namespace {

constexpr int kPad = 10;
constexpr int kGap = 5;
constexpr int kStripe = 5;
constexpr int kIcon = 18;
constexpr int kMinWidth = 270;

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

// A rounded label: colour in the border and a tint, the word in the text colour (readable on both
// palettes). Returns its width.
int drawPill(QPainter *p, const QPoint &topLeft, int height, const QString &text, const QColor &color,
             const QColor &textColor, const QFontMetrics &fm)
{
    const int w = fm.horizontalAdvance(text) + 14;
    const QRectF r(topLeft.x() + 0.5, topLeft.y() + 0.5, w - 1, height - 1);
    QColor tint = color;
    tint.setAlpha(50);
    p->setPen(QPen(color, 1));
    p->setBrush(tint);
    p->drawRoundedRect(r, height / 2.0, height / 2.0);
    p->setPen(textColor);
    p->drawText(r, Qt::AlignCenter, text);
    return w;
}

} // namespace

struct ServiceTileDelegate::Metrics
{
    QFont nameFont;
    QFont smallFont;
    int line = 0;      // normal text line
    int nameLine = 0;  // the name's line
    int small = 0;     // small text line
    int spark = 0;     // sparkline height
    int height = 0;
};

ServiceTileDelegate::ServiceTileDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

ServiceTileDelegate::Metrics ServiceTileDelegate::metrics(const QStyleOptionViewItem &option)
{
    Metrics m;
    m.nameFont = option.font;
    m.nameFont.setBold(true);
    m.nameFont.setPointSizeF(option.font.pointSizeF() > 0 ? option.font.pointSizeF() * 1.1 : 11);
    m.smallFont = option.font;
    if (option.font.pointSizeF() > 0)
        m.smallFont.setPointSizeF(option.font.pointSizeF() * 0.9);
    m.line = QFontMetrics(option.font).height();
    m.nameLine = qMax(QFontMetrics(m.nameFont).height(), kIcon + 2);
    m.small = QFontMetrics(m.smallFont).height();
    m.spark = qMax(24, int(m.line * 1.7));
    // name, reason, sparkline, budget, badges and time
    m.height = kPad + m.nameLine + kGap + m.line + kGap + m.spark + kGap + m.line + kGap + (m.small + 6) + kPad;
    return m;
}

QSize ServiceTileDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    return QSize(kMinWidth, metrics(option).height);
}

void ServiceTileDelegate::paint(QPainter *p, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const Metrics m = metrics(option);
    const QPalette &pal = option.palette;
    const Health health = Health(index.data(ServiceTileModel::HealthRole).toInt());
    const QColor stateColor = HealthStyle::color(health);
    const QColor text = pal.color(QPalette::Text);
    const QColor base = pal.color(QPalette::Base);
    const QColor muted = mix(text, base, 0.4);
    const bool selected = option.state & QStyle::State_Selected;
    const bool focused = option.state & QStyle::State_HasFocus;
    const bool hovered = option.state & QStyle::State_MouseOver;

    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    p->setClipRect(option.rect);

    // The card and its state stripe.
    const QRectF card = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5);
    QPainterPath cardPath;
    cardPath.addRoundedRect(card, 6, 6);
    p->fillPath(cardPath, selected ? mix(base, pal.color(QPalette::Highlight), 0.12) : base);
    p->save();
    p->setClipPath(cardPath);
    p->fillRect(QRectF(card.left(), card.top(), kStripe, card.height()), stateColor);
    p->restore();
    const QColor border = (selected || focused) ? pal.color(QPalette::Highlight)
                        : hovered               ? mix(pal.color(QPalette::Mid), text, 0.3)
                                                : mix(base, text, 0.22);
    p->setPen(QPen(border, (selected || focused) ? 2 : 1));
    p->setBrush(Qt::NoBrush);
    p->drawPath(cardPath);

    const int left = option.rect.left() + kStripe + kPad;
    const int right = option.rect.right() - kPad;
    const int width = right - left;
    int y = option.rect.top() + kPad;

    // Row 1: icon, name, and the state as a word in its colour.
    const QFontMetrics nameFm(m.nameFont);
    const QFontMetrics fm(option.font);
    const QFontMetrics smallFm(m.smallFont);
    HealthStyle::icon(health).paint(p, QRect(left, y + (m.nameLine - kIcon) / 2, kIcon, kIcon));
    QFont stateFont = option.font;
    stateFont.setBold(true);
    const QFontMetrics stateFm(stateFont);
    const QString word = HealthStyle::label(health);
    const int pillH = stateFm.height() + 2;
    const int pillW = stateFm.horizontalAdvance(word) + 16;
    const QRectF pill(right - pillW + 0.5, y + (m.nameLine - pillH) / 2 + 0.5, pillW - 1, pillH - 1);
    p->setPen(Qt::NoPen);
    p->setBrush(stateColor);
    p->drawRoundedRect(pill, pillH / 2.0, pillH / 2.0);
    p->setFont(stateFont);
    p->setPen(Qt::white); // on the state colour, which is dark enough for white in both palettes
    p->drawText(pill, Qt::AlignCenter, word);
    const QRect nameRect(left + kIcon + 7, y, width - kIcon - 7 - pillW - 8, m.nameLine);
    p->setFont(m.nameFont);
    p->setPen(text);
    p->drawText(nameRect, Qt::AlignVCenter | Qt::AlignLeft,
                nameFm.elidedText(index.data(ServiceTileModel::ServiceRole).toString(), Qt::ElideRight, nameRect.width()));
    y += m.nameLine + kGap;

    // Row 2: why it is not ok, or what it is.
    const QString reason = index.data(ServiceTileModel::ReasonRole).toString();
    QString second = reason;
    QColor secondColor = text;
    if (second.isEmpty()) {
        second = index.data(ServiceTileModel::DescriptionRole).toString();
        secondColor = muted;
    }
    p->setFont(option.font);
    p->setPen(secondColor);
    p->drawText(QRect(left, y, width, m.line), Qt::AlignVCenter | Qt::AlignLeft,
                fm.elidedText(second, Qt::ElideRight, width));
    y += m.line + kGap;

    // Row 3: latency sparkline and the latest value.
    const QVariant latency = index.data(ServiceTileModel::LatencyRole);
    const QString latencyText = latency.isValid()
        ? tr("%1 ms").arg(QLocale().toString(latency.toDouble(), 'f', latency.toDouble() < 10 ? 1 : 0))
        : tr("no latency yet");
    const int latencyW = qMax(fm.horizontalAdvance(latencyText), fm.horizontalAdvance(tr("%1 ms").arg(QLocale().toString(9999))));
    const QRectF sparkRect(left, y + 1, width - latencyW - 10, m.spark - 2);
    p->setPen(QPen(mix(base, text, 0.12), 1));
    p->drawLine(QPointF(sparkRect.left(), sparkRect.bottom() + 0.5), QPointF(sparkRect.right(), sparkRect.bottom() + 0.5));
    SparklinePainter::paint(p, sparkRect, index.data(ServiceTileModel::LatencySamplesRole).value<QList<double>>(),
                            pal.color(QPalette::Highlight));
    p->setPen(latency.isValid() ? text : muted);
    p->drawText(QRect(right - latencyW, y, latencyW, m.spark), Qt::AlignVCenter | Qt::AlignRight, latencyText);
    y += m.spark + kGap;

    // Row 4: the error budget — a bar, its percentage, and the word when it is low.
    const QString budgetLabel = tr("Budget");
    const int labelW = fm.horizontalAdvance(budgetLabel) + 8;
    p->setPen(muted);
    p->drawText(QRect(left, y, labelW, m.line), Qt::AlignVCenter | Qt::AlignLeft, budgetLabel);
    const QVariant budget = index.data(ServiceTileModel::BudgetRemainingRole);
    QString budgetText;
    QColor budgetColor = muted;
    double fraction = 0;
    if (!index.data(ServiceTileModel::HasSloRole).toBool()) {
        budgetText = tr("no SLO");
    } else if (!budget.isValid()) {
        budgetText = tr("no data yet");
    } else {
        fraction = budget.toDouble();
        const auto state = BudgetState(index.data(ServiceTileModel::BudgetStateRole).toInt());
        const QString percent = tr("%1 %").arg(QLocale().toString(std::floor(fraction * 1000) / 10, 'f', fraction < 0.1 && fraction > -0.1 ? 1 : 0));
        switch (state) {
        case BudgetState::Ok:
            budgetText = percent;
            budgetColor = HealthStyle::color(Health::Ok);
            break;
        case BudgetState::Warning:
            budgetText = tr("%1 low").arg(percent);
            budgetColor = HealthStyle::color(Health::Degraded);
            break;
        case BudgetState::Critical:
            // An overspent budget with few events reads as -99,900 %: the word says it better.
            budgetText = fraction < 0 ? tr("overspent") : tr("%1 critical").arg(percent);
            budgetColor = HealthStyle::color(Health::Down);
            break;
        }
    }
    const int budgetTextW = qMax(fm.horizontalAdvance(budgetText), fm.horizontalAdvance(tr("%1 critical").arg(tr("%1 %").arg(100))));
    const int barH = qMax(6, m.line / 2);
    const QRectF bar(left + labelW, y + (m.line - barH) / 2.0, width - labelW - budgetTextW - 10, barH);
    p->setPen(Qt::NoPen);
    p->setBrush(mix(base, text, 0.12));
    p->drawRoundedRect(bar, barH / 2.0, barH / 2.0);
    if (budget.isValid() && fraction > 0) {
        p->setBrush(budgetColor);
        p->drawRoundedRect(QRectF(bar.left(), bar.top(), qMax<double>(barH, bar.width() * qMin(1.0, fraction)), barH),
                           barH / 2.0, barH / 2.0);
    }
    p->setPen(budget.isValid() ? text : muted);
    p->drawText(QRect(right - budgetTextW, y, budgetTextW, m.line), Qt::AlignVCenter | Qt::AlignRight, budgetText);
    y += m.line + kGap;

    // Row 5: badges, and when it was last checked.
    p->setFont(m.smallFont);
    const int badgeH = m.small + 4;
    const QString ago = index.data(ServiceTileModel::LastCheckTextRole).toString();
    const int agoW = smallFm.horizontalAdvance(ago);
    p->setPen(muted);
    p->drawText(QRect(right - agoW, y, agoW, badgeH), Qt::AlignVCenter | Qt::AlignRight, ago);
    int x = left;
    p->save();
    p->setClipRect(QRect(left, y, width - agoW - 6, badgeH + 1));
    if (index.data(ServiceTileModel::MaintenanceRole).toBool())
        x += drawPill(p, QPoint(x, y), badgeH, tr("Maintenance"), HealthStyle::color(Health::Stale), text, smallFm) + 6;
    const QString failover = index.data(ServiceTileModel::FailoverTextRole).toString();
    if (!failover.isEmpty())
        x += drawPill(p, QPoint(x, y), badgeH, failover, HealthStyle::color(Health::Degraded), text, smallFm) + 6;
    p->restore();

    p->restore();
}
