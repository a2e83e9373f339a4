#include "localization.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace Localization {

bool install(const QString &language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    QLocale::setDefault(locale);
    // English plural forms ("1 incident", "2 incidents") under every language, so that one without
    // its own translation still reads right; the language's own file, installed later, comes first.
    auto *plurals = new QTranslator(QCoreApplication::instance());
    if (plurals->load(QStringLiteral(":/i18n/opsdeck_en.qm")))
        QCoreApplication::installTranslator(plurals);
    else
        delete plurals;
    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return false;
    auto *own = new QTranslator(QCoreApplication::instance());
    const bool found = own->load(locale, QStringLiteral("opsdeck"), QStringLiteral("_"), QStringLiteral(":/i18n"));
    if (found)
        QCoreApplication::installTranslator(own);
    else
        delete own;
    auto *qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    return found;
}

QStringList available()
{
    QStringList codes;
    for (const QString &file : QDir(QStringLiteral(":/i18n")).entryList({QStringLiteral("opsdeck_*.qm")}))
        if (file != u"opsdeck_en.qm") // plural forms only
            codes << file.mid(8, file.size() - 8 - 3);
    return codes;
}

} // namespace Localization
