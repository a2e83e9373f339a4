#include "actionparamform.h"

#include "actionparams.h"
#include "healthstyle.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

ActionParamForm::ActionParamForm(const ActionConfig &action, QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Parameters of %1").arg(action.name));
    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    for (const ActionParam &p : action.params) {
        Field field;
        field.param = p;
        const QString accepts = ActionParams::describe(p);
        if (p.type == ActionParam::Type::Choice) {
            auto *combo = new QComboBox(this);
            // A required choice starts unchosen: the operator picks, nothing is picked for them.
            if (!p.defaultValue)
                combo->addItem(tr("(choose)"), QString());
            for (const QString &c : p.choices)
                combo->addItem(c, c);
            if (p.defaultValue)
                combo->setCurrentIndex(combo->findData(*p.defaultValue));
            connect(combo, &QComboBox::currentIndexChanged, this, [this] {
                refreshProblems();
                emit changed();
            });
            field.editor = combo;
        } else {
            auto *edit = new QLineEdit(this);
            if (p.type == ActionParam::Type::Integer)
                edit->setInputMethodHints(Qt::ImhFormattedNumbersOnly);
            edit->setPlaceholderText(p.defaultValue ? tr("default: %1").arg(*p.defaultValue) : tr("required"));
            connect(edit, &QLineEdit::textChanged, this, [this] {
                refreshProblems();
                emit changed();
            });
            field.editor = edit;
        }
        field.editor->setObjectName(QStringLiteral("param_") + p.name);
        field.editor->setAccessibleName(p.name);
        field.editor->setAccessibleDescription(p.description.isEmpty() ? accepts : p.description + u' ' + accepts);
        field.editor->setToolTip(accepts);

        auto *box = new QWidget(this);
        auto *column = new QVBoxLayout(box);
        column->setContentsMargins(0, 0, 0, 0);
        column->setSpacing(2);
        column->addWidget(field.editor);
        auto *help = new QLabel(p.description.isEmpty() ? accepts : tr("%1 — %2").arg(p.description, accepts), box);
        help->setWordWrap(true);
        help->setForegroundRole(QPalette::PlaceholderText);
        column->addWidget(help);
        field.problem = new QLabel(box);
        field.problem->setObjectName(QStringLiteral("problem_") + p.name);
        field.problem->setWordWrap(true);
        field.problem->setTextFormat(Qt::PlainText);
        field.problem->hide();
        column->addWidget(field.problem);

        auto *label = new QLabel(p.name + u':', this);
        label->setBuddy(field.editor);
        form->addRow(label, box);
        m_fields << field;
    }
    refreshProblems();
}

QString ActionParamForm::valueOf(const Field &field) const
{
    if (auto *combo = qobject_cast<QComboBox *>(field.editor))
        return combo->currentData().toString();
    return static_cast<QLineEdit *>(field.editor)->text();
}

QHash<QString, QString> ActionParamForm::values() const
{
    QHash<QString, QString> out;
    for (const Field &f : m_fields) {
        const QString v = valueOf(f);
        if (!v.isEmpty())
            out.insert(f.param.name, v);
    }
    return out;
}

void ActionParamForm::setValues(const QHash<QString, QString> &values)
{
    for (Field &f : m_fields) {
        if (!values.contains(f.param.name))
            continue;
        const QString v = values.value(f.param.name);
        if (auto *combo = qobject_cast<QComboBox *>(f.editor)) {
            const int i = combo->findData(v);
            if (i >= 0)
                combo->setCurrentIndex(i);
        } else {
            static_cast<QLineEdit *>(f.editor)->setText(v);
        }
    }
    refreshProblems();
    emit changed();
}

QWidget *ActionParamForm::editor(const QString &param) const
{
    for (const Field &f : m_fields)
        if (f.param.name == param)
            return f.editor;
    return nullptr;
}

QString ActionParamForm::problem(const QString &param) const
{
    for (const Field &f : m_fields)
        if (f.param.name == param)
            return f.problem->text();
    return {};
}

void ActionParamForm::refreshProblems()
{
    for (Field &f : m_fields) {
        const QString v = valueOf(f);
        // An empty field is not a mistake yet: the dialog names a missing required value.
        const QString problem = v.isEmpty() ? QString() : ActionParams::check(f.param, v);
        f.problem->setText(problem.isEmpty() ? QString() : QStringLiteral("✕ ") + problem);
        f.problem->setVisible(!problem.isEmpty());
        QPalette pal = f.problem->palette();
        pal.setColor(QPalette::WindowText, HealthStyle::color(Health::Down));
        f.problem->setPalette(pal);
    }
}
