#include "conditionevaluator.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>

namespace {

// One value an operand stands for. A wildcard path stands for several.
struct Resolved
{
    QString label; // `[BODY].dependencies.db`
    std::optional<QJsonValue> value;
    QString missingNote;
};

QString placeholderLabel(const QString &name, const QStringList &path)
{
    // Log-filter fields read as the operator wrote them (`level`), placeholders keep their brackets.
    QString out = name == u"LINE" ? QString() : u'[' + name + u']';
    for (const QString &seg : path) {
        bool isIndex = false;
        seg.toUInt(&isIndex);
        if (isIndex && name != u"HEADER")
            out += u'[' + seg + u']';
        else if (out.isEmpty())
            out = seg;
        else
            out += u'.' + seg;
    }
    return out;
}

void walk(const QJsonValue &node, const QString &name, const QStringList &path, qsizetype depth,
          QStringList &taken, QList<Resolved> &out)
{
    if (depth == path.size()) {
        out.append({placeholderLabel(name, taken), node, {}});
        return;
    }
    const QString &seg = path[depth];
    auto missing = [&] {
        QStringList full = taken;
        full << seg;
        out.append({placeholderLabel(name, full), std::nullopt, {}});
    };
    if (seg == u"*") {
        const qsizetype before = out.size();
        if (node.isObject()) {
            const QJsonObject obj = node.toObject();
            for (auto it = obj.begin(); it != obj.end(); ++it) {
                taken << it.key();
                walk(it.value(), name, path, depth + 1, taken, out);
                taken.removeLast();
            }
        } else if (node.isArray()) {
            const QJsonArray arr = node.toArray();
            for (qsizetype i = 0; i < arr.size(); ++i) {
                taken << QString::number(i);
                walk(arr[i], name, path, depth + 1, taken, out);
                taken.removeLast();
            }
        }
        if (out.size() == before) {
            QStringList full = taken;
            full << seg;
            out.append({placeholderLabel(name, full), std::nullopt, QStringLiteral("matched nothing")});
        }
        return;
    }
    QJsonValue next = QJsonValue::Undefined;
    if (node.isObject()) {
        next = node.toObject().value(name == u"HEADER" ? seg.toLower() : seg);
    } else if (node.isArray()) {
        bool ok = false;
        const int idx = seg.toInt(&ok);
        if (ok && idx >= 0 && idx < node.toArray().size())
            next = node.toArray().at(idx);
    }
    if (next.isUndefined()) {
        missing();
        return;
    }
    taken << seg;
    walk(next, name, path, depth + 1, taken, out);
    taken.removeLast();
}

QList<Resolved> resolvePlaceholder(const Operand &op, const ConditionContext &ctx)
{
    QList<Resolved> out;
    const std::optional<QJsonValue> root = ctx.root(op.name);
    if (!root) {
        out.append({placeholderLabel(op.name, op.path), std::nullopt, {}});
        return out;
    }
    if (op.path.isEmpty()) {
        out.append({placeholderLabel(op.name, {}), *root, {}});
        return out;
    }
    QStringList taken;
    walk(*root, op.name, op.path, 0, taken, out);
    if (op.name == u"BODY" && root->isString()) {
        for (Resolved &r : out)
            r.missingNote = QStringLiteral("the body is not JSON");
    }
    return out;
}

QString missingText(const Resolved &r)
{
    QString out = u'`' + r.label + QStringLiteral("` is missing");
    if (!r.missingNote.isEmpty())
        out = u'`' + r.label + u"` " + (r.missingNote == u"matched nothing" ? r.missingNote : QStringLiteral("is missing (") + r.missingNote + u')');
    return out;
}

QList<Resolved> resolve(const Operand &op, const ConditionContext &ctx, qint64 nowMs, QString &error)
{
    switch (op.kind) {
    case Operand::Kind::Literal:
        return {{op.text, op.number ? QJsonValue(*op.number) : QJsonValue(op.text), {}}};
    case Operand::Kind::Placeholder:
        return resolvePlaceholder(op, ctx);
    case Operand::Kind::Function:
        break;
    }
    const Operand &arg = op.args.first();
    QList<Resolved> inner = resolvePlaceholder(arg, ctx);
    QList<Resolved> out;
    if (op.function == u"has") {
        bool all = !inner.isEmpty();
        for (const Resolved &r : inner)
            all = all && r.value.has_value();
        out.append({op.source, QJsonValue(all), {}});
        return out;
    }
    for (const Resolved &r : inner) {
        if (!r.value) {
            out.append(r);
            continue;
        }
        const QJsonValue v = *r.value;
        if (op.function == u"len") {
            qsizetype n = 0;
            if (v.isArray())
                n = v.toArray().size();
            else if (v.isObject())
                n = v.toObject().size();
            else if (v.isString())
                n = v.toString().size();
            else if (v.isNull())
                n = 0;
            else
                n = ConditionEvaluator::display(v).size();
            out.append({QStringLiteral("len(") + r.label + u')', QJsonValue(double(n)), {}});
        } else if (op.function == u"age") {
            const std::optional<qint64> at = ConditionEvaluator::toEpochMs(v);
            if (!at) {
                error = QStringLiteral("`%1` got `%2`, not a timestamp").arg(r.label, ConditionEvaluator::display(v));
                return {};
            }
            out.append({QStringLiteral("age(") + r.label + u')', QJsonValue(double(nowMs - *at)), {}});
        }
    }
    return out;
}

bool equalValues(const QJsonValue &left, const QJsonValue &right)
{
    const std::optional<double> l = ConditionEvaluator::toNumber(left);
    const std::optional<double> r = ConditionEvaluator::toNumber(right);
    if (l && r)
        return std::abs(*l - *r) < 1e-9 * std::max(1.0, std::abs(*r));
    if (left.isBool() || right.isBool()) {
        const QString ls = ConditionEvaluator::display(left), rs = ConditionEvaluator::display(right);
        return ls.compare(rs, Qt::CaseInsensitive) == 0;
    }
    return ConditionEvaluator::display(left) == ConditionEvaluator::display(right);
}

// The common shapes — a placeholder, possibly with a plain path, against a literal, pat() or any() —
// decided without building the labels and messages that only a failure needs. True only when the
// condition certainly holds; anything else goes the full way, which also words the failure.
bool passesQuickly(const Condition &c, const ConditionContext &ctx)
{
    const Operand &left = c.left;
    if (left.kind != Operand::Kind::Placeholder || c.right.kind == Operand::Kind::Placeholder)
        return false;
    std::optional<QJsonValue> root = ctx.root(left.name);
    if (!root)
        return false;
    QJsonValue v = *root;
    for (const QString &seg : left.path) {
        if (seg == u"*")
            return false;
        if (v.isObject()) {
            v = v.toObject().value(left.name == u"HEADER" ? seg.toLower() : seg);
        } else if (v.isArray()) {
            bool ok = false;
            const int idx = seg.toInt(&ok);
            if (!ok || idx < 0 || idx >= v.toArray().size())
                return false;
            v = v.toArray().at(idx);
        } else {
            return false;
        }
        if (v.isUndefined())
            return false;
    }
    const Operand &right = c.right;
    const bool ordering = c.comparison != Comparison::Equal && c.comparison != Comparison::NotEqual;
    if (ordering) {
        if (right.kind != Operand::Kind::Literal || !right.number)
            return false;
        const std::optional<double> ln = ConditionEvaluator::toNumber(v);
        if (!ln)
            return false;
        switch (c.comparison) {
        case Comparison::Less: return *ln < *right.number;
        case Comparison::LessOrEqual: return *ln <= *right.number;
        case Comparison::Greater: return *ln > *right.number;
        case Comparison::GreaterOrEqual: return *ln >= *right.number;
        default: return false;
        }
    }
    bool equal = false;
    if (right.kind == Operand::Kind::Literal) {
        equal = equalValues(v, right.number ? QJsonValue(*right.number) : QJsonValue(right.text));
    } else if (right.function == u"pat") {
        equal = right.pattern.match(ConditionEvaluator::display(v)).hasMatch();
    } else if (right.function == u"any") {
        for (const Operand &a : right.args) {
            if (a.kind != Operand::Kind::Literal)
                return false;
            if (equalValues(v, a.number ? QJsonValue(*a.number) : QJsonValue(a.text))) {
                equal = true;
                break;
            }
        }
    } else {
        return false;
    }
    return (c.comparison == Comparison::Equal) == equal;
}

} // namespace

QString ConditionEvaluator::display(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const double d = value.toDouble();
        if (std::abs(d) < 9e15 && d == std::floor(d))
            return QString::number(qint64(d));
        return QString::number(d, 'g', 10);
    }
    case QJsonValue::String: return value.toString();
    case QJsonValue::Array:
    case QJsonValue::Object: {
        const QByteArray json = value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                                : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
        QString s = QString::fromUtf8(json);
        if (s.size() > 200)
            s = s.left(199) + u'…';
        return s;
    }
    case QJsonValue::Undefined: return QStringLiteral("undefined");
    }
    return {};
}

std::optional<double> ConditionEvaluator::toNumber(const QJsonValue &value)
{
    if (value.isDouble())
        return value.toDouble();
    if (value.isString()) {
        bool ok = false;
        const double d = value.toString().trimmed().toDouble(&ok);
        if (ok && std::isfinite(d))
            return d;
    }
    return std::nullopt;
}

std::optional<qint64> ConditionEvaluator::toEpochMs(const QJsonValue &value)
{
    if (const std::optional<double> n = toNumber(value)) {
        // Epoch seconds (possibly fractional) or milliseconds, told apart by magnitude.
        return *n < 1e11 ? qint64(*n * 1000) : qint64(*n);
    }
    if (value.isString()) {
        QDateTime dt = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        if (!dt.isValid())
            dt = QDateTime::fromString(value.toString(), Qt::RFC2822Date);
        if (dt.isValid()) {
            if (dt.timeSpec() == Qt::LocalTime && !value.toString().contains(u'+'))
                dt.setTimeSpec(Qt::UTC); // a timestamp without zone in a health body is UTC by convention
            return dt.toMSecsSinceEpoch();
        }
    }
    return std::nullopt;
}

ConditionVerdict ConditionEvaluator::evaluate(const Condition &c, const ConditionContext &ctx, qint64 nowMs)
{
    if (passesQuickly(c, ctx))
        return {true, {}};
    QString error;
    const QList<Resolved> lefts = resolve(c.left, ctx, nowMs, error);
    if (!error.isEmpty())
        return {false, error};
    const bool ordering = c.comparison != Comparison::Equal && c.comparison != Comparison::NotEqual;
    const bool multi = lefts.size() > 1 || (c.left.kind == Operand::Kind::Placeholder && c.left.path.contains(QStringLiteral("*")));

    // The right side: a literal, a placeholder, pat() or any().
    std::optional<QJsonValue> rightValue;
    QString rightLabel = c.right.source;
    if (c.right.kind != Operand::Kind::Function || (c.right.function != u"pat" && c.right.function != u"any")) {
        const QList<Resolved> rights = resolve(c.right, ctx, nowMs, error);
        if (!error.isEmpty())
            return {false, error};
        if (rights.size() != 1)
            return {false, QStringLiteral("`%1` must name a single value").arg(c.right.source)};
        if (!rights.first().value)
            return {false, missingText(rights.first())};
        rightValue = rights.first().value;
    }

    for (const Resolved &l : lefts) {
        if (!l.value)
            return {false, missingText(l)};
        const QJsonValue &lv = *l.value;
        const QString shown = display(lv);
        const QString got = multi ? QStringLiteral("`%1` got `%2`").arg(l.label, shown) : QStringLiteral("got `%1`").arg(shown);
        bool pass = false;
        if (ordering) {
            const std::optional<double> ln = toNumber(lv);
            if (!ln)
                return {false, got + QStringLiteral(", not a number")};
            const std::optional<double> rn = toNumber(*rightValue);
            if (!rn)
                return {false, QStringLiteral("`%1` is `%2`, not a number").arg(rightLabel, display(*rightValue))};
            switch (c.comparison) {
            case Comparison::Less: pass = *ln < *rn; break;
            case Comparison::LessOrEqual: pass = *ln <= *rn; break;
            case Comparison::Greater: pass = *ln > *rn; break;
            case Comparison::GreaterOrEqual: pass = *ln >= *rn; break;
            default: break;
            }
        } else {
            bool equal = false;
            if (c.right.kind == Operand::Kind::Function && c.right.function == u"pat") {
                equal = c.right.pattern.match(shown).hasMatch();
            } else if (c.right.kind == Operand::Kind::Function && c.right.function == u"any") {
                for (const Operand &a : c.right.args) {
                    QString argError;
                    const QList<Resolved> r = resolve(a, ctx, nowMs, argError);
                    if (!r.isEmpty() && r.first().value && equalValues(lv, *r.first().value)) {
                        equal = true;
                        break;
                    }
                }
            } else {
                equal = equalValues(lv, *rightValue);
            }
            pass = (c.comparison == Comparison::Equal) == equal;
        }
        if (!pass)
            return {false, got};
    }
    return {true, {}};
}
