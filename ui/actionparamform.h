#pragma once

#include "config.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QWidget>

class QLabel;

// One typed editor per parameter an action declares: a line edit for text and whole numbers, a
// drop-down for choices. What each accepts is shown beside it, and a value that does not fit says
// why right under its editor; whether the whole request can run is still decided by the core
// (ActionRunner::prepare), so the form only collects what the operator typed.
class ActionParamForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ActionParamForm)

public:
    explicit ActionParamForm(const ActionConfig &action, QWidget *parent = nullptr);

    // What the operator typed; empty fields are left out so that defaults apply.
    QHash<QString, QString> values() const;
    void setValues(const QHash<QString, QString> &values);
    bool isEmpty() const { return m_fields.isEmpty(); }
    // The editor of one parameter, for focus and tests; null for unknown names.
    QWidget *editor(const QString &param) const;
    // The inline problem shown under a parameter's editor; empty when its value fits.
    QString problem(const QString &param) const;

signals:
    void changed();

private:
    struct Field
    {
        ActionParam param;
        QWidget *editor = nullptr;
        QLabel *problem = nullptr;
    };
    QString valueOf(const Field &field) const;
    void refreshProblems();

    QList<Field> m_fields;
};
