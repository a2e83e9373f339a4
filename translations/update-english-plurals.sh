#!/bin/sh
# Refreshes translations/opsdeck_en.ts: English needs no translation, only its plural forms, which
# are spelt out from the source text ("%n incident(s)" → "%n incident" / "%n incidents").
# Run after adding tr("… %n …(s)", nullptr, n) strings; tst_ui_translations fails until then.
set -eu
cd "$(dirname "$0")/.."
LUPDATE=${LUPDATE:-/usr/lib/qt6/bin/lupdate}
"$LUPDATE" ui app/opsdeck/main.cpp -ts translations/opsdeck_en.ts -pluralonly -no-obsolete -locations none \
    -source-language en -target-language en
python3 - translations/opsdeck_en.ts <<'PY'
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
def fill(match):
    block = match.group(0)
    source = re.search(r"<source>(.*?)</source>", block, re.S).group(1)
    one = source.replace("(s)", "").replace("(es)", "")
    other = source.replace("(s)", "s").replace("(es)", "es")
    forms = "<translation>\n            <numerusform>%s</numerusform>\n            <numerusform>%s</numerusform>\n        </translation>" % (one, other)
    return re.sub(r'<translation[^>]*/>|<translation[^>]*>.*?</translation>', forms, block, flags=re.S)
text = re.sub(r'<message numerus="yes">.*?</message>', fill, text, flags=re.S)
open(path, "w", encoding="utf-8").write(text)
PY
