<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ActionDialog</name>
    <message>
        <location filename="../ui/actiondialog.cpp" line="+22"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Timed out</source>
        <translation>Zeitüberschreitung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Interrupted</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Refused</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Run %1 — %2</source>
        <translation>%1 ausführen — %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b&gt;%1&lt;/b&gt; on &lt;b&gt;%2&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; für &lt;b&gt;%2&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>What will run:</source>
        <translation>Was ausgeführt wird:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>What will run</source>
        <translation>Was ausgeführt wird</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Why it cannot run</source>
        <translation>Warum die Aktion nicht ausgeführt werden kann</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>This action asks for explicit confirmation: I have read what will run, run it</source>
        <translation>Diese Aktion verlangt eine ausdrückliche Bestätigung: Ich habe gelesen, was ausgeführt wird, und will es ausführen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Confirm</source>
        <translation>Bestätigung</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Output:</source>
        <translation>Ausgabe:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The output appears here while it runs.</source>
        <translation>Die Ausgabe erscheint hier, während die Aktion läuft.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Run</source>
        <translation>&amp;Ausführen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run</source>
        <translation>Ausführen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Stop</source>
        <translation>S&amp;toppen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ends the run and its whole process group</source>
        <translation>Beendet den Lauf und seine gesamte Prozessgruppe</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Close</source>
        <translation>&amp;Schließen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 is running now; Run is refused until that run ends.</source>
        <translation>%1 läuft gerade; „Ausführen“ wird abgelehnt, bis dieser Lauf endet.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>the history store is not open, and every run is recorded there</source>
        <translation>der Verlaufsspeicher ist nicht geöffnet, und jeder Lauf wird dort aufgezeichnet</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Nothing can run until the problem below is fixed.</source>
        <translation>Nichts kann ausgeführt werden, bis das Problem unten behoben ist.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cannot run: %1</source>
        <translation>Ausführung nicht möglich: %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Closes this window; the run goes on and is recorded</source>
        <translation>Schließt dieses Fenster; der Lauf geht weiter und wird aufgezeichnet</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Not run: %1</source>
        <translation>Nicht ausgeführt: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Running (run #%1)…</source>
        <translation>Läuft (Lauf #%1)…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>%1 — exit code %2 — %3</source>
        <translation>%1 — Exitcode %2 — %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>: %1</source>
        <translation>: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Written into the timeline of incident #%1.</source>
        <translation>In die Zeitleiste von Incident #%1 geschrieben.</translation>
    </message>
</context>
<context>
    <name>ActionParamForm</name>
    <message>
        <location filename="../ui/actionparamform.cpp" line="+15"/>
        <source>Parameters of %1</source>
        <translation>Parameter von %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>(choose)</source>
        <translation>(auswählen)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>default: %1</source>
        <translation>Standard: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>required</source>
        <translation>erforderlich</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
<context>
    <name>BackupListModel</name>
    <message>
        <location filename="../ui/backuplistmodel.cpp" line="+20"/>
        <source>&lt;1s</source>
        <translation>&lt;1s</translation>
    </message>
    <message>
        <location line="+125"/>
        <source>never verified</source>
        <translation>nie verifiziert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>verified %1 ago</source>
        <translation>vor %1 verifiziert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>FAILED %1 ago</source>
        <translation>vor %1 FEHLGESCHLAGEN</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 — %2
%3</source>
        <translation>%1 — %2
%3</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Never verified: select it and press Verify</source>
        <translation>Nie verifiziert: auswählen und „Verifizieren“ drücken</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>%1/%2 → %3</source>
        <translation>%1/%2 → %3</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n backup(s), %1</source>
        <translation>
            <numerusform>%n Sicherung, %1</numerusform>
            <numerusform>%n Sicherungen, %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no backups yet</source>
        <translation>noch keine Sicherungen</translation>
    </message>
    <message numerus="yes">
        <location line="+15"/>
        <source>%1 (%2)
%n pre-restore snapshot(s) in the folder, newest %3</source>
        <translation>
            <numerusform>%1 (%2)
%n Snapshot vor einer Wiederherstellung im Ordner, neuester %3</numerusform>
            <numerusform>%1 (%2)
%n Snapshots vor Wiederherstellungen im Ordner, neuester %3</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>no manifest</source>
        <translation>kein Manifest</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>sha256 %1 (from its manifest)</source>
        <translation>sha256 %1 (aus dem Manifest)</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Backup</source>
        <translation>Sicherung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Age</source>
        <translation>Alter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Taken</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verification</source>
        <translation>Verifizierung</translation>
    </message>
</context>
<context>
    <name>BackupsView</name>
    <message>
        <location filename="../ui/backupsview.cpp" line="+55"/>
        <source>&amp;Backup now…</source>
        <translation>Jetzt &amp;sichern…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Run the selected destination&apos;s backup action</source>
        <translation>Die Sicherungsaktion des ausgewählten Ziels ausführen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Verify</source>
        <translation>&amp;Verifizieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restore the selected backup (or the destination&apos;s newest) into a temporary place and check it against its manifest</source>
        <translation>Die ausgewählte Sicherung (oder die neueste des Ziels) an einem temporären Ort wiederherstellen und mit ihrem Manifest abgleichen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Restore…</source>
        <translation>&amp;Wiederherstellen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Re&amp;fresh</source>
        <translation>A&amp;ktualisieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Read the backup folders and verifications again (F5)</source>
        <translation>Sicherungsordner und Verifizierungen neu einlesen (F5)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Backups</source>
        <translation>Sicherungen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Verification result</source>
        <translation>Verifizierungsergebnis</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Selected backup</source>
        <translation>Ausgewählte Sicherung</translation>
    </message>
    <message>
        <location line="+107"/>
        <location line="+12"/>
        <source>Select a backup</source>
        <translation>Eine Sicherung auswählen</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>There is no backup to verify yet</source>
        <translation>Es gibt noch keine Sicherung zum Verifizieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A verification is running</source>
        <translation>Eine Verifizierung läuft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restore this backup into a temporary place and check it against its manifest</source>
        <translation>Diese Sicherung an einem temporären Ort wiederherstellen und mit ihrem Manifest abgleichen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Archives are restored by hand: %1 has no restore action</source>
        <translation>Archive werden von Hand wiederhergestellt: %1 hat keine Wiederherstellungsaktion</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 has no restore action for %2 (a `restore` or `pg-restore` built-in with `to: %3`)</source>
        <translation>%1 hat keine Wiederherstellungsaktion für %2 (eine eingebaute Aktion `restore` oder `pg-restore` mit `to: %3`)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>There is no backup to restore yet</source>
        <translation>Es gibt noch keine Sicherung zum Wiederherstellen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Restore %1 with %2: a snapshot of the live data first; asks for confirmation</source>
        <translation>%1 mit %2 wiederherstellen: zuerst ein Snapshot der Live-Daten; fragt nach Bestätigung</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No backup actions in the configuration. Add a `sqlite-backup`, `pg-dump` or `tar` action to a service.</source>
        <translation>Keine Sicherungsaktionen in der Konfiguration. Fügen Sie einem Dienst eine Aktion `sqlite-backup`, `pg-dump` oder `tar` hinzu.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&lt;b&gt;%1/%2&lt;/b&gt; (%3) → %4</source>
        <translation>&lt;b&gt;%1/%2&lt;/b&gt; (%3) → %4</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Rows at backup time: %1</source>
        <translation>Zeilen zum Zeitpunkt der Sicherung: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n file(s) in the archive</source>
        <translation>
            <numerusform>%n Datei im Archiv</numerusform>
            <numerusform>%n Dateien im Archiv</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No usable manifest: %1</source>
        <translation>Kein brauchbares Manifest: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Last verification %1: %2</source>
        <translation>Letzte Verifizierung am %1: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Never verified.</source>
        <translation>Nie verifiziert.</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+19"/>
        <source>backups view</source>
        <translation>Sicherungsansicht</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Verifying %1 …</source>
        <translation>%1 wird verifiziert …</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>NOT verified: %1</source>
        <translation>NICHT verifiziert: %1</translation>
    </message>
</context>
<context>
    <name>BudgetChart</name>
    <message>
        <location filename="../ui/budgetchart.cpp" line="+59"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>% of budget left</source>
        <translation>% des Budgets übrig</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Error budget burn-down chart</source>
        <translation>Verbrauchsdiagramm des Fehlerbudgets</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b&gt;Error budget&lt;/b&gt;</source>
        <translation>&lt;b&gt;Fehlerbudget&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Burn rate (1× spends exactly the budget):</source>
        <translation>Verbrauchsrate (1× verbraucht genau das Budget):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>last %1</source>
        <translation>letzte %1</translation>
    </message>
    <message>
        <location line="-56"/>
        <source>Budget left</source>
        <translation>Verbleibendes Budget</translation>
    </message>
    <message>
        <location line="+101"/>
        <source>warning %1 %</source>
        <translation>Warnung %1 %</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>critical %1 %</source>
        <translation>kritisch %1 %</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No SLO for this service (slo: off)</source>
        <translation>Kein SLO für diesen Dienst (slo: off)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Over the SLO window (%1)</source>
        <translation>Über das SLO-Fenster (%1)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No SLO report yet.</source>
        <translation>Noch kein SLO-Bericht.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No SLO (slo: off).</source>
        <translation>Kein SLO (slo: off).</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of the budget left (%2) — availability %3 of %4 target</source>
        <translation>%1 des Budgets übrig (%2) — Verfügbarkeit %3 bei einem Ziel von %4</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>P50 %1 · P95 %2 · P99 %3 over the window</source>
        <translation>P50 %1 · P95 %2 · P99 %3 im Fenster</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Alert: none</source>
        <translation>Alarm: keiner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alert: ticket — %1</source>
        <translation>Alarm: Ticket — %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alert: page — %1</source>
        <translation>Alarm: Pager — %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Forecast: the budget does not run out at the last hour&apos;s burn rate.</source>
        <translation>Prognose: Bei der Verbrauchsrate der letzten Stunde wird das Budget nicht aufgebraucht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Forecast: the budget is spent.</source>
        <translation>Prognose: Das Budget ist aufgebraucht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Forecast: the budget runs out in %1 at the last hour&apos;s burn rate.</source>
        <translation>Prognose: Bei der Verbrauchsrate der letzten Stunde ist das Budget in %1 aufgebraucht.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1× (%2 bad)</source>
        <translation>%1× (%2 fehlerhaft)</translation>
    </message>
</context>
<context>
    <name>CheckHistoryModel</name>
    <message>
        <location filename="../ui/checkhistorymodel.cpp" line="+102"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>CheckTableModel</name>
    <message>
        <location filename="../ui/checktablemodel.cpp" line="+75"/>
        <source>%1 (flapping)</source>
        <translation>%1 (flattert)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>In this state since %1</source>
        <translation>In diesem Zustand seit %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last check</source>
        <translation>Letzte Prüfung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why (failed condition — actual value)</source>
        <translation>Grund (nicht erfüllte Bedingung — tatsächlicher Wert)</translation>
    </message>
</context>
<context>
    <name>DashboardView</name>
    <message>
        <location filename="../ui/dashboardview.cpp" line="+30"/>
        <source>Filter by service or group (Ctrl+F)</source>
        <translation>Nach Dienst oder Gruppe filtern (Strg+F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Filter services</source>
        <translation>Dienste filtern</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shows the services whose name or group contains this text</source>
        <translation>Zeigt die Dienste, deren Name oder Gruppe diesen Text enthält</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Services shown</source>
        <translation>Angezeigte Dienste</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Dashboard message</source>
        <translation>Dashboard-Meldung</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Services</source>
        <translation>Dienste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One tile per service, the worst first; Enter opens the service</source>
        <translation>Eine Kachel pro Dienst, die schlechtesten zuerst; die Eingabetaste öffnet den Dienst</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>1 service</source>
        <translation>1 Dienst</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 services</source>
        <translation>%1 Dienste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 of %2 services</source>
        <translation>%1 von %2 Diensten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No services are configured. Add them under `services:` in the config file.</source>
        <translation>Es sind keine Dienste konfiguriert. Fügen Sie sie unter `services:` in der Konfigurationsdatei hinzu.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No service or group matches “%1”.</source>
        <translation>Kein Dienst und keine Gruppe passt zu „%1“.</translation>
    </message>
</context>
<context>
    <name>FailoverPanel</name>
    <message>
        <location filename="../ui/failoverpanel.cpp" line="+24"/>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no actions</source>
        <translation>keine Aktionen</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&lt;b&gt;Failover&lt;/b&gt;</source>
        <translation>&lt;b&gt;Failover&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Failover state</source>
        <translation>Failover-Zustand</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Fail over now…</source>
        <translation>Jetzt &amp;Failover auslösen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fail over now</source>
        <translation>Jetzt Failover auslösen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fail &amp;back…</source>
        <translation>Fail&amp;back auslösen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+132"/>
        <source>Fail back</source>
        <translation>Failback auslösen</translation>
    </message>
    <message>
        <location line="-131"/>
        <source>&amp;Test (drill)…</source>
        <translation>&amp;Testen (Übung)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test failover (drill)</source>
        <translation>Failover testen (Übung)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exercises the whole failover path as a dry run: probes both sides, runs no action for real</source>
        <translation>Spielt den gesamten Failover-Pfad als Probelauf durch: prüft beide Seiten, führt keine Aktion wirklich aus</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Failover result</source>
        <translation>Failover-Ergebnis</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Transitions (newest first):</source>
        <translation>Übergänge (neueste zuerst):</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Failover transitions</source>
        <translation>Failover-Übergänge</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>The state file cannot be read: %1</source>
        <translation>Die Zustandsdatei kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Failed over to the fallback `%1` (primary `%2`)</source>
        <translation>Auf das Ausweichsystem `%1` umgeschaltet (Primärsystem `%2`)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On the primary `%1` (fallback `%2`)</source>
        <translation>Auf dem Primärsystem `%1` (Ausweichsystem `%2`)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phase: %1</source>
        <translation>Phase: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> — step %1 of %2</source>
        <translation> — Schritt %1 von %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>: %1</source>
        <translation>: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> · since %1</source>
        <translation> · seit %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mode: %1 · primary failures: %2 (trigger: %3 within %4) · failovers so far: %5</source>
        <translation>Modus: %1 · Fehler des Primärsystems: %2 (Auslöser: %3 innerhalb von %4) · bisherige Failover: %5</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Primary healthy since %1 (fails back after %2)</source>
        <translation>Primärsystem gesund seit %1 (Failback nach %2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Watching for a relapse until %1</source>
        <translation>Beobachtet bis %1, ob der Fehler wiederkehrt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last error: %1</source>
        <translation>Letzter Fehler: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Failover is off for this service (mode: off)</source>
        <translation>Failover ist für diesen Dienst ausgeschaltet (mode: off)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Fail over %1?</source>
        <translation>Failover für %1 auslösen?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fail %1 over from `%2` to `%3`.

The fallback `%3` is probed first; if it is healthy these actions run in order, stopping at the first that fails: %4.</source>
        <translation>%1 per Failover von `%2` auf `%3` umschalten.

Das Ausweichsystem `%3` wird zuerst geprüft; ist es gesund, laufen diese Aktionen der Reihe nach, bis eine fehlschlägt: %4.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Fail %1 back?</source>
        <translation>Failback für %1 auslösen?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fail %1 back from `%2` to `%3`.

The primary `%3` is probed first; then these actions run in order: %4.</source>
        <translation>%1 per Failback von `%2` auf `%3` zurückschalten.

Das Primärsystem `%3` wird zuerst geprüft; danach laufen diese Aktionen der Reihe nach: %4.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Run a failover drill for %1?</source>
        <translation>Failover-Übung für %1 durchführen?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exercise %1&apos;s failover path as a drill: probe `%2` and `%3`, and run %4 and %5 as dry runs. Nothing is switched; a report is written.</source>
        <translation>Den Failover-Pfad von %1 als Übung durchspielen: `%2` und `%3` prüfen und %4 und %5 als Probelauf ausführen. Es wird nichts umgeschaltet; ein Bericht wird geschrieben.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Fail over</source>
        <translation>Failover auslösen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Run drill</source>
        <translation>Übung starten</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Running the drill…</source>
        <translation>Übung läuft…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Working…</source>
        <translation>Wird ausgeführt…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Done: %1</source>
        <translation>Erledigt: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not done: %1</source>
        <translation>Nicht erledigt: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Drill report: %1</source>
        <translation>Übungsbericht: %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1  %2: %3</source>
        <translation>%1  %2: %3</translation>
    </message>
</context>
<context>
    <name>FleetSummary</name>
    <message>
        <location filename="../ui/fleetsummary.cpp" line="+77"/>
        <source>%n down</source>
        <translation>%n ausgefallen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%n degraded</source>
        <translation>%n beeinträchtigt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%n stale</source>
        <translation>%n veraltet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%n unknown</source>
        <translation>%n unbekannt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%n ok</source>
        <translation>%n OK</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No services</source>
        <translation>Keine Dienste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot see: %1</source>
        <translation>Keine Sicht: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n unacknowledged incident(s)</source>
        <translation>
            <numerusform>%n unbestätigter Incident</numerusform>
            <numerusform>%n unbestätigte Incidents</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n open incident(s)</source>
        <translation>
            <numerusform>%n offener Incident</numerusform>
            <numerusform>%n offene Incidents</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HealthStyle</name>
    <message>
        <location filename="../ui/healthstyle.cpp" line="+100"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Degraded</source>
        <translation>Beeinträchtigt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Down</source>
        <translation>Ausgefallen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stale</source>
        <translation>Veraltet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
</context>
<context>
    <name>IncidentListModel</name>
    <message>
        <location filename="../ui/incidentlistmodel.cpp" line="+28"/>
        <source>acknowledge</source>
        <translation>Bestätigung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>diagnose</source>
        <translation>Diagnose</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>mitigate</source>
        <translation>Eindämmung</translation>
    </message>
    <message>
        <location line="+116"/>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mitigated</source>
        <translation>Eingedämmt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolved</source>
        <translation>Behoben</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>resolved after %1</source>
        <translation>behoben nach %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 was due %2 ago</source>
        <translation>%1 war vor %2 fällig</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>OVERDUE: %1</source>
        <translation>ÜBERFÄLLIG: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 due in %2</source>
        <translation>%1 fällig in %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no targets</source>
        <translation>keine Ziele</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>all met</source>
        <translation>alle erfüllt</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Open for %1</source>
        <translation>Offen seit %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lasted %1</source>
        <translation>Dauerte %1</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Age</source>
        <translation>Alter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Targets</source>
        <translation>Ziele</translation>
    </message>
</context>
<context>
    <name>IncidentTimelineModel</name>
    <message>
        <location filename="../ui/incidenttimelinemodel.cpp" line="+41"/>
        <source>Detected</source>
        <translation>Erkannt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recurred</source>
        <translation>Erneut aufgetreten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledged</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Severity changed</source>
        <translation>Schweregrad geändert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Checklist</source>
        <translation>Checkliste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Failover</source>
        <translation>Failover</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mitigated</source>
        <translation>Eingedämmt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resolved</source>
        <translation>Behoben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Escalated</source>
        <translation>Eskaliert</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 %2 by %3: %4</source>
        <translation>%1 %2 von %3: %4</translation>
    </message>
</context>
<context>
    <name>IncidentsView</name>
    <message>
        <location filename="../ui/incidentsview.cpp" line="+46"/>
        <source>Acknowledge</source>
        <translation>Bestätigung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Diagnose</source>
        <translation>Diagnose</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mitigate</source>
        <translation>Eindämmung</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Incidents need the history store, which could not be opened. Check `store:` in the configuration.</source>
        <translation>Incidents brauchen den Verlaufsspeicher, der nicht geöffnet werden konnte. Prüfen Sie `store:` in der Konfiguration.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Incidents unavailable</source>
        <translation>Incidents nicht verfügbar</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Incidents</source>
        <translation>Incidents</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Selected incident</source>
        <translation>Ausgewählter Incident</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Response targets</source>
        <translation>Reaktionsziele</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;Acknowledge</source>
        <translation>&amp;Bestätigen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Acknowledge: stops repeated notifications</source>
        <translation>Bestätigen: beendet wiederholte Benachrichtigungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add &amp;note…</source>
        <translation>&amp;Notiz hinzufügen…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add a note to the timeline (counts as diagnosed)</source>
        <translation>Eine Notiz in die Zeitleiste schreiben (zählt als diagnostiziert)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Se&amp;verity…</source>
        <translation>&amp;Schweregrad…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Change the severity within the service&apos;s scheme</source>
        <translation>Den Schweregrad innerhalb des Schemas des Dienstes ändern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Resolve…</source>
        <translation>Be&amp;heben…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Resolve with a note, root cause and prevention</source>
        <translation>Mit Notiz, Grundursache und Vorbeugung beheben</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Copy message…</source>
        <translation>Meldung &amp;kopieren…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Copy the runbook&apos;s Detected/Resolved message</source>
        <translation>Die Meldung „erkannt“/„behoben“ aus dem Runbook kopieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>E&amp;xport postmortem…</source>
        <translation>Postmortem e&amp;xportieren…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Write the postmortem as a Markdown file</source>
        <translation>Das Postmortem als Markdown-Datei schreiben</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Last result</source>
        <translation>Letztes Ergebnis</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message numerus="yes">
        <location line="+17"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+14"/>
        <location line="+103"/>
        <source>%n incident(s)</source>
        <translation>
            <numerusform>%n Incident</numerusform>
            <numerusform>%n Incidents</numerusform>
        </translation>
    </message>
    <message>
        <location line="-93"/>
        <source>&amp;State:</source>
        <translation>&amp;Zustand:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>State filter</source>
        <translation>Zustandsfilter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not resolved</source>
        <translation>Nicht behoben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Acknowledged</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mitigated</source>
        <translation>Eingedämmt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolved</source>
        <translation>Behoben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>S&amp;everity:</source>
        <translation>Sch&amp;weregrad:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Severity filter</source>
        <translation>Schweregradfilter</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Serv&amp;ice:</source>
        <translation>Diens&amp;t:</translation>
    </message>
    <message>
        <location line="+175"/>
        <source>&lt;a href=&apos;service:%1&apos;&gt;%2&lt;/a&gt; · severity &lt;b&gt;%3&lt;/b&gt; · &lt;b&gt;%4&lt;/b&gt;</source>
        <translation>&lt;a href=&apos;service:%1&apos;&gt;%2&lt;/a&gt; · Schweregrad &lt;b&gt;%3&lt;/b&gt; · &lt;b&gt;%4&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cause: %1</source>
        <translation>Ursache: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>opened by hand</source>
        <translation>von Hand eröffnet</translation>
    </message>
    <message>
        <location line="-177"/>
        <source>Service filter</source>
        <translation>Dienstfilter</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Search incidents</source>
        <translation>Incidents durchsuchen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search title, service, #id… (Ctrl+F)</source>
        <translation>Titel, Dienst, #ID durchsuchen… (Strg+F)</translation>
    </message>
    <message>
        <location line="+36"/>
        <location line="+12"/>
        <source>Any</source>
        <translation>Alle</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>&lt;i&gt;No incident selected.&lt;/i&gt;</source>
        <translation>&lt;i&gt;Kein Incident ausgewählt.&lt;/i&gt;</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Opened %1 (%2 ago)</source>
        <translation>Eröffnet am %1 (vor %2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>acknowledged after %1</source>
        <translation>bestätigt nach %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>mitigated after %1</source>
        <translation>eingedämmt nach %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>resolved after %1</source>
        <translation>behoben nach %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Impact: %1</source>
        <translation>Auswirkung: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: met</source>
        <translation>%1: erfüllt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: OVERDUE by %2</source>
        <translation>%1: ÜBERFÄLLIG seit %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: due in %2</source>
        <translation>%1: fällig in %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Targets: %1</source>
        <translation>Ziele: %1</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Add a note to #%1</source>
        <translation>Notiz zu #%1 hinzufügen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note (what you found or did; goes into the timeline as %1):</source>
        <translation>Notiz (was Sie gefunden oder getan haben; wird mit %1 als Autor in die Zeitleiste eingetragen):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add note</source>
        <translation>Notiz hinzufügen</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 is no longer in the configuration: its severity scheme is unknown</source>
        <translation>%1 ist nicht mehr in der Konfiguration: Sein Schweregrad-Schema ist unbekannt</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Severity of #%1</source>
        <translation>Schweregrad von #%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Severity (%1, most severe first):</source>
        <translation>Schweregrad (%1, der schwerste zuerst):</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Change</source>
        <translation>Ändern</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>The message is on the clipboard.</source>
        <translation>Die Meldung ist in der Zwischenablage.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Export the postmortem of #%1</source>
        <translation>Postmortem von #%1 exportieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Markdown (*.md);;All files (*)</source>
        <translation>Markdown (*.md);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Incident #%1 is gone from the store</source>
        <translation>Incident #%1 ist nicht mehr im Speicher</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Wrote the postmortem to %1</source>
        <translation>Postmortem nach %1 geschrieben</translation>
    </message>
</context>
<context>
    <name>KioskBudgetsPage</name>
    <message>
        <location filename="../ui/kioskbudgetspage.cpp" line="+18"/>
        <location line="+14"/>
        <source>Error budgets</source>
        <translation>Fehlerbudgets</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Burning fast</source>
        <translation>Schneller Verbrauch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Burning</source>
        <translation>Erhöhter Verbrauch</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>critical</source>
        <translation>kritisch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>No service has an SLO</source>
        <translation>Kein Dienst hat ein SLO</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>no data yet</source>
        <translation>noch keine Daten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>overspent</source>
        <translation>überzogen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 % left</source>
        <translation>%1 % übrig</translation>
    </message>
</context>
<context>
    <name>KioskFailingPage</name>
    <message>
        <location filename="../ui/kioskfailingpage.cpp" line="+24"/>
        <source>Failing service</source>
        <translation>Dienst mit Störung</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Failing: %1</source>
        <translation>Störung: %1</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Run %1</source>
        <translation>%1 ausführen</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Locked: enter the PIN to run actions</source>
        <translation>Gesperrt: PIN eingeben, um Aktionen auszuführen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Actions cannot run: no store is open</source>
        <translation>Aktionen können nicht ausgeführt werden: Kein Speicher geöffnet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 has no action %2</source>
        <translation>%1 hat keine Aktion %2</translation>
    </message>
</context>
<context>
    <name>KioskFreshness</name>
    <message>
        <location filename="../ui/kioskfreshness.cpp" line="+61"/>
        <source>OpsDeck cannot see: %1</source>
        <translation>OpsDeck hat keine Sicht: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The history store is not open</source>
        <translation>Der Verlaufsspeicher ist nicht geöffnet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The history store fails: %1</source>
        <translation>Der Verlaufsspeicher meldet Fehler: %1</translation>
    </message>
    <message numerus="yes">
        <location line="+6"/>
        <source>Checks are not running: no result for %n s</source>
        <translation>
            <numerusform>Prüfungen laufen nicht: seit %n s kein Ergebnis</numerusform>
            <numerusform>Prüfungen laufen nicht: seit %n s kein Ergebnis</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Checks have stalled: no result for %n s</source>
        <translation>
            <numerusform>Prüfungen stocken: seit %n s kein Ergebnis</numerusform>
            <numerusform>Prüfungen stocken: seit %n s kein Ergebnis</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KioskIncidentsPage</name>
    <message>
        <location filename="../ui/kioskincidentspage.cpp" line="+23"/>
        <location line="+30"/>
        <source>Open incidents</source>
        <translation>Offene Incidents</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>No open incidents</source>
        <translation>Keine offenen Incidents</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>Acknowledge</source>
        <translation>Bestätigen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledge this incident</source>
        <translation>Diesen Incident bestätigen</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>open %1</source>
        <translation>offen seit %1</translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>open %n s</source>
        <translation>
            <numerusform>offen seit %n s</numerusform>
            <numerusform>offen seit %n s</numerusform>
        </translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Incident %1, %2, %3, %4</source>
        <translation>Incident %1, %2, %3, %4</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Locked: enter the PIN to acknowledge</source>
        <translation>Gesperrt: PIN eingeben, um zu bestätigen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No incident store is open</source>
        <translation>Kein Incident-Speicher geöffnet</translation>
    </message>
</context>
<context>
    <name>KioskOverviewPage</name>
    <message>
        <location filename="../ui/kioskoverviewpage.cpp" line="+17"/>
        <source>Services overview</source>
        <translation>Dienstübersicht</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Services</source>
        <translation>Dienste</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>No services are configured</source>
        <translation>Es sind keine Dienste konfiguriert</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>%1 · was %2</source>
        <translation>%1 · war %2</translation>
    </message>
</context>
<context>
    <name>KioskPinLock</name>
    <message>
        <location filename="../ui/kioskpinlock.cpp" line="+34"/>
        <source>The keychain&apos;s %1 is not a PIN hash; set it again with opsdeckctl kiosk set-pin</source>
        <translation>%1 im Schlüsselbund ist kein PIN-Hash; setzen Sie die PIN mit opsdeckctl kiosk set-pin neu</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+21"/>
        <source>Read-only: no PIN is set. Set one with opsdeckctl kiosk set-pin</source>
        <translation>Nur Anzeige: Keine PIN gesetzt. Setzen Sie eine mit opsdeckctl kiosk set-pin</translation>
    </message>
    <message>
        <location line="-19"/>
        <location line="+20"/>
        <source>Read-only: the PIN cannot be read from the keychain</source>
        <translation>Nur Anzeige: Die PIN kann nicht aus dem Schlüsselbund gelesen werden</translation>
    </message>
    <message numerus="yes">
        <location line="-10"/>
        <source>Too many wrong PINs: try again in %n second(s)</source>
        <translation>
            <numerusform>Zu viele falsche PINs: erneut versuchen in %n Sekunde</numerusform>
            <numerusform>Zu viele falsche PINs: erneut versuchen in %n Sekunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+19"/>
        <source>Wrong PIN. Too many wrong PINs: try again in %n second(s)</source>
        <translation>
            <numerusform>Falsche PIN. Zu viele falsche PINs: erneut versuchen in %n Sekunde</numerusform>
            <numerusform>Falsche PIN. Zu viele falsche PINs: erneut versuchen in %n Sekunden</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wrong PIN</source>
        <translation>Falsche PIN</translation>
    </message>
</context>
<context>
    <name>KioskPinPad</name>
    <message>
        <location filename="../ui/kioskpinpad.cpp" line="+16"/>
        <source>PIN keypad</source>
        <translation>PIN-Tastenfeld</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Digits entered</source>
        <translation>Eingegebene Ziffern</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Digit %1</source>
        <translation>Ziffer %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Delete the last digit</source>
        <translation>Letzte Ziffer löschen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Enter the PIN</source>
        <translation>PIN eingeben</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>PIN to leave kiosk mode</source>
        <translation>PIN zum Verlassen des Kioskmodus</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PIN to unlock actions</source>
        <translation>PIN zum Freischalten von Aktionen</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../ui/kioskwindow.cpp" line="+47"/>
        <source>OpsDeck kiosk</source>
        <translation>OpsDeck-Kiosk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpsDeck wall display</source>
        <translation>OpsDeck-Wandanzeige</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>‹ Previous</source>
        <translation>‹ Zurück</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous page</source>
        <translation>Vorherige Seite</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next ›</source>
        <translation>Weiter ›</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next page</source>
        <translation>Nächste Seite</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>Unlock</source>
        <translation>Entsperren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unlock with the PIN</source>
        <translation>Mit der PIN entsperren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lock</source>
        <translation>Sperren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lock now</source>
        <translation>Jetzt sperren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Exit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Leave kiosk mode (asks for the PIN)</source>
        <translation>Kioskmodus verlassen (fragt nach der PIN)</translation>
    </message>
    <message>
        <location line="+126"/>
        <source>updated %1</source>
        <translation>aktualisiert %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 · %2/%3</source>
        <translation>%1 · %2/%3</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NOT CURRENT — %1. Last result: %2</source>
        <translation>NICHT AKTUELL — %1. Letztes Ergebnis: %2</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Unlocked · locks itself in %1:%2</source>
        <translation>Entsperrt · sperrt sich in %1:%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read-only · type the PIN or tap Unlock to act</source>
        <translation>Nur Anzeige · PIN eingeben oder „Entsperren“ tippen, um zu handeln</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read-only</source>
        <translation>Nur Anzeige</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>No PIN, no exit: set one with opsdeckctl kiosk set-pin, or stop the kiosk service</source>
        <translation>Keine PIN, kein Beenden: Setzen Sie eine mit opsdeckctl kiosk set-pin oder stoppen Sie den Kiosk-Dienst</translation>
    </message>
</context>
<context>
    <name>LatencyChart</name>
    <message>
        <location filename="../ui/latencychart.cpp" line="+50"/>
        <source>&lt;b&gt;Latency&lt;/b&gt;</source>
        <translation>&lt;b&gt;Latenz&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>R&amp;ange:</source>
        <translation>&amp;Zeitraum:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Latency chart range</source>
        <translation>Zeitraum des Latenzdiagramms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 24 hours</source>
        <translation>Letzte 24 Stunden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 30 days</source>
        <translation>Letzte 30 Tage</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>P50</source>
        <translation>P50</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>P95</source>
        <translation>P95</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>P99</source>
        <translation>P99</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Latency chart</source>
        <translation>Latenzdiagramm</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>SLO %1 ms</source>
        <translation>SLO %1 ms</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No latency measured in this range</source>
        <translation>Keine Latenz in diesem Zeitraum gemessen</translation>
    </message>
</context>
<context>
    <name>LogModel</name>
    <message>
        <location filename="../ui/logmodel.cpp" line="+79"/>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+176"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Level</source>
        <translation>Level</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
</context>
<context>
    <name>LogsView</name>
    <message>
        <location filename="../ui/logsview.cpp" line="+32"/>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>F&amp;ollow</source>
        <translation>&amp;Verfolgen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Log file</source>
        <translation>Logdatei</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open a log file</source>
        <translation>Eine Logdatei öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow any NDJSON file</source>
        <translation>Eine beliebige NDJSON-Datei verfolgen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Filter</source>
        <translation>Filter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter, e.g. level == error or ok == false</source>
        <translation>Filter, z. B. level == error oder ok == false</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The log check&apos;s language: a field of the line, an operator and a value — level == error, ok == false, status &gt;= 500, error == pat(*Rate limit*)</source>
        <translation>Die Sprache der Log-Prüfung: ein Feld der Zeile, ein Operator und ein Wert — level == error, ok == false, status &gt;= 500, error == pat(*Rate limit*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Follow new lines</source>
        <translation>Neuen Zeilen folgen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scroll to each new line as it is written</source>
        <translation>Zu jeder neuen Zeile scrollen, sobald sie geschrieben wird</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Log lines</source>
        <translation>Logzeilen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Selected line</source>
        <translation>Ausgewählte Zeile</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Select a line to see all of it</source>
        <translation>Eine Zeile auswählen, um sie vollständig zu sehen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Log:</source>
        <translation>&amp;Log:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Filter:</source>
        <translation>Fil&amp;ter:</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>%1 / %2 — %3</source>
        <translation>%1 / %2 — %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 / failover log — %2</source>
        <translation>%1 / Failover-Log — %2</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Follow a log file</source>
        <translation>Eine Logdatei verfolgen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NDJSON logs (*.ndjson *.jsonl *.json *.log);;All files (*)</source>
        <translation>NDJSON-Logs (*.ndjson *.jsonl *.json *.log);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>✕ Filter not applied: column %1: %2</source>
        <translation>✕ Filter nicht angewendet: Spalte %1: %2</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>No log chosen: pick one of the config&apos;s logs or open a file.</source>
        <translation>Kein Log gewählt: Wählen Sie eines der Logs aus der Konfiguration oder öffnen Sie eine Datei.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 — lines shown: %2</source>
        <translation>%1 — angezeigte Zeilen: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>read: %1</source>
        <translation>gelesen: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>only the last %1 lines are kept; %2 older dropped</source>
        <translation>nur die letzten %1 Zeilen werden behalten; %2 ältere verworfen</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../ui/mainwindow.cpp" line="+57"/>
        <source>%n s ago</source>
        <translation>
            <numerusform>vor %n s</numerusform>
            <numerusform>vor %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n min ago</source>
        <translation>
            <numerusform>vor %n min</numerusform>
            <numerusform>vor %n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n h ago</source>
        <translation>
            <numerusform>vor %n h</numerusform>
            <numerusform>vor %n h</numerusform>
        </translation>
    </message>
    <message>
        <location line="+17"/>
        <source>OpsDeck cannot see</source>
        <translation>OpsDeck hat keine Sicht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration warnings</source>
        <translation>Konfigurationswarnungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Services and checks</source>
        <translation>Dienste und Prüfungen</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Views</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checks</source>
        <translation>Prüfungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incidents</source>
        <translation>Incidents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backups</source>
        <translation>Sicherungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Runbooks</source>
        <translation>Runbooks</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logs</source>
        <translation>Logs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unacknowledged incidents</source>
        <translation>Unbestätigte Incidents</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reload configuration</source>
        <translation>Konfiguration &amp;neu laden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>OpsDeck cannot see: %1. Results count as unknown, not down, until it can.</source>
        <translation>OpsDeck hat keine Sicht: %1. Ergebnisse gelten als unbekannt, nicht als ausgefallen, bis die Sicht wieder besteht.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 (Ctrl+%2)</source>
        <translation>%1 (Strg+%2)</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Configuration reloaded</source>
        <translation>Konfiguration neu geladen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Configuration not reloaded</source>
        <translation>Konfiguration nicht neu geladen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The configuration has errors; OpsDeck keeps running the previous one. Settings (Ctrl+8) lists them.</source>
        <translation>Die Konfiguration enthält Fehler; OpsDeck läuft mit der bisherigen weiter. Die Einstellungen (Strg+8) listen sie auf.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>cannot see</source>
        <translation>keine Sicht</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n service(s), %1 checks  ·  Store: %2  ·  Poller: %3  ·  Last result: %4</source>
        <translation>
            <numerusform>%n Dienst, %1 Prüfungen  ·  Speicher: %2  ·  Poller: %3  ·  Letztes Ergebnis: %4</numerusform>
            <numerusform>%n Dienste, %1 Prüfungen  ·  Speicher: %2  ·  Poller: %3  ·  Letztes Ergebnis: %4</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n unacknowledged incident(s)</source>
        <translation>
            <numerusform>%n unbestätigter Incident</numerusform>
            <numerusform>%n unbestätigte Incidents</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No unacknowledged incidents</source>
        <translation>Keine unbestätigten Incidents</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>OpsDeck — %1</source>
        <translation>OpsDeck — %1</translation>
    </message>
    <message>
        <location line="-130"/>
        <source>&amp;Filter</source>
        <translation>&amp;Filter</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>Configuration warnings:
%1</source>
        <translation>Konfigurationswarnungen:
%1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>not recorded</source>
        <translation>nicht aufgezeichnet</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>none yet</source>
        <translation>noch keines</translation>
    </message>
</context>
<context>
    <name>MessageTemplateDialog</name>
    <message>
        <location filename="../ui/messagetemplatedialog.cpp" line="+19"/>
        <source>Message for incident #%1</source>
        <translation>Meldung für Incident #%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Message template</source>
        <translation>Meldungsvorlage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incident Detected</source>
        <translation>Incident erkannt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incident Resolved</source>
        <translation>Incident behoben</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ETA</source>
        <translation>ETA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Template:</source>
        <translation>&amp;Vorlage:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;ETA:</source>
        <translation>&amp;ETA:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Message preview</source>
        <translation>Meldungsvorschau</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Copy to clipboard</source>
        <translation>In die Zwischenablage &amp;kopieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Copy to clipboard</source>
        <translation>In die Zwischenablage kopieren</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../app/opsdeck/main.cpp" line="+53"/>
        <source>OpsDeck cannot start</source>
        <translation>OpsDeck kann nicht starten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The configuration %1 has errors.</source>
        <translation>Die Konfiguration %1 enthält Fehler.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>There is no configuration at %1. Pass --config FILE, or start the demo with scripts/start.sh.</source>
        <translation>Unter %1 gibt es keine Konfiguration. Geben Sie --config FILE an oder starten Sie die Demo mit scripts/start.sh.</translation>
    </message>
</context>
<context>
    <name>RecoveryCriteriaModel</name>
    <message>
        <location filename="../ui/recoverycriteriamodel.cpp" line="+55"/>
        <source>pass</source>
        <translation>erfüllt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>fail</source>
        <translation>nicht erfüllt</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Criterion</source>
        <translation>Kriterium</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Measured</source>
        <translation>Gemessen</translation>
    </message>
</context>
<context>
    <name>ResolveDialog</name>
    <message>
        <location filename="../ui/resolvedialog.cpp" line="+15"/>
        <source>Resolve incident #%1</source>
        <translation>Incident #%1 beheben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resolve &lt;b&gt;#%1 %2&lt;/b&gt; (%3, %4)? It stops its notifications and closes it for good.</source>
        <translation>&lt;b&gt;#%1 %2&lt;/b&gt; (%3, %4) als behoben abschließen? Damit enden seine Benachrichtigungen, und er wird endgültig geschlossen.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>What was done</source>
        <translation>Was getan wurde</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Required: what was done to resolve it</source>
        <translation>Pflichtangabe: was zur Behebung getan wurde</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Root cause</source>
        <translation>Grundursache</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Resolution</source>
        <translation>Lösung</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Prevention</source>
        <translation>Vorbeugung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;What was done:</source>
        <translation>&amp;Was getan wurde:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Root &amp;cause:</source>
        <translation>&amp;Grundursache:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>R&amp;esolution:</source>
        <translation>&amp;Lösung:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Prevention:</source>
        <translation>&amp;Vorbeugung:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Resolve</source>
        <translation>&amp;Beheben</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resolve</source>
        <translation>Beheben</translation>
    </message>
</context>
<context>
    <name>RunbookBrowser</name>
    <message>
        <location filename="../ui/runbookbrowser.cpp" line="+58"/>
        <source>Runbook</source>
        <translation>Runbook</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>built-in %1</source>
        <translation>eingebaute Aktion %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Runs %1 of %2: %3</source>
        <translation>Führt %1 von %2 aus: %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Opens the action&apos;s dialog first: nothing runs before you press Run.</source>
        <translation>Öffnet zuerst den Dialog der Aktion: Nichts wird ausgeführt, bevor Sie „Ausführen“ drücken.</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Broken link: %1 has no action `%2`, so this step cannot run from here</source>
        <translation>Defekter Link: %1 hat keine Aktion `%2`, daher kann dieser Schritt nicht von hier ausgeführt werden</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>✕ %1 has no action `%2`: this runbook step cannot run from here. Add the action to the config or fix the link.</source>
        <translation>✕ %1 hat keine Aktion `%2`: Dieser Runbook-Schritt kann nicht von hier ausgeführt werden. Fügen Sie die Aktion der Konfiguration hinzu oder korrigieren Sie den Link.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>✕ Actions cannot run: the history store is not open.</source>
        <translation>✕ Aktionen können nicht ausgeführt werden: Der Verlaufsspeicher ist nicht geöffnet.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>This link (%1) cannot be opened from a runbook.</source>
        <translation>Dieser Link (%1) kann nicht aus einem Runbook geöffnet werden.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No open incident for %1: the tick is kept in this view only.</source>
        <translation>Kein offener Incident für %1: Das Häkchen bleibt nur in dieser Ansicht.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>✕ The tick could not be recorded in incident #%1: %2</source>
        <translation>✕ Das Häkchen konnte nicht in Incident #%1 vermerkt werden: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>✓ Ticked in incident #%1&apos;s timeline: %2</source>
        <translation>✓ In der Zeitleiste von Incident #%1 abgehakt: %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unticked in incident #%1&apos;s timeline: %2</source>
        <translation>Häkchen in der Zeitleiste von Incident #%1 entfernt: %2</translation>
    </message>
</context>
<context>
    <name>RunbooksView</name>
    <message>
        <location filename="../ui/runbooksview.cpp" line="+47"/>
        <source>Services with runbooks</source>
        <translation>Dienste mit Runbooks</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Runbook</source>
        <translation>Runbook</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Tab moves between the runbook&apos;s buttons and links; Enter runs the focused one. Ctrl+Space ticks the checklist item at the cursor.</source>
        <translation>Tab wechselt zwischen den Schaltflächen und Links des Runbooks; die Eingabetaste führt das fokussierte Element aus. Strg+Leertaste hakt den Checklistenpunkt am Cursor ab.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>R&amp;unbook:</source>
        <translation>R&amp;unbook:</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>No service has runbooks. Add `runbooks: [runbooks/NAME.md]` to a service in the config.</source>
        <translation>Kein Dienst hat Runbooks. Fügen Sie einem Dienst in der Konfiguration `runbooks: [runbooks/NAME.md]` hinzu.</translation>
    </message>
    <message>
        <location line="+84"/>
        <source>▲ Incident #%1 (%2) is open for %3: %4 — checklist ticks go into its timeline.</source>
        <translation>▲ Incident #%1 (%2) ist für %3 offen: %4 — Häkchen in der Checkliste kommen in seine Zeitleiste.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No open incident for %1: checklist ticks stay in this view.</source>
        <translation>Kein offener Incident für %1: Häkchen in der Checkliste bleiben in dieser Ansicht.</translation>
    </message>
</context>
<context>
    <name>SecretListModel</name>
    <message>
        <location filename="../ui/secretlistmodel.cpp" line="+80"/>
        <source>Set</source>
        <translation>Gesetzt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not set</source>
        <translation>Nicht gesetzt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Used by the configuration</source>
        <translation>Von der Konfiguration verwendet</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not referenced</source>
        <translation>Nicht referenziert</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Checks and actions that use this secret show as unknown until it is set.</source>
        <translation>Prüfungen und Aktionen, die dieses Secret verwenden, erscheinen als unbekannt, bis es gesetzt ist.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Secret</source>
        <translation>Secret</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use</source>
        <translation>Verwendung</translation>
    </message>
</context>
<context>
    <name>ServiceTileDelegate</name>
    <message>
        <location filename="../ui/servicetiledelegate.cpp" line="+166"/>
        <location line="+2"/>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>no latency yet</source>
        <translation>noch keine Latenz</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Budget</source>
        <translation>Budget</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>no SLO</source>
        <translation>kein SLO</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no data yet</source>
        <translation>noch keine Daten</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+17"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>%1 low</source>
        <translation>%1 niedrig</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+5"/>
        <source>%1 critical</source>
        <translation>%1 kritisch</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>overspent</source>
        <translation>überzogen</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Maintenance</source>
        <translation>Wartung</translation>
    </message>
</context>
<context>
    <name>ServiceTileModel</name>
    <message>
        <location filename="../ui/servicetilemodel.cpp" line="+52"/>
        <source>Other services</source>
        <translation>Weitere Dienste</translation>
    </message>
    <message>
        <location line="+137"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>In maintenance until %1</source>
        <translation>In Wartung bis %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In maintenance until %1: %2</source>
        <translation>In Wartung bis %1: %2</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>never checked</source>
        <translation>nie geprüft</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n s ago</source>
        <translation>
            <numerusform>vor %n s</numerusform>
            <numerusform>vor %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n min ago</source>
        <translation>
            <numerusform>vor %n min</numerusform>
            <numerusform>vor %n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n h ago</source>
        <translation>
            <numerusform>vor %n h</numerusform>
            <numerusform>vor %n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n d ago</source>
        <translation>
            <numerusform>vor %n Tag</numerusform>
            <numerusform>vor %n Tagen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Failed over</source>
        <translation>Failover aktiv</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failing over</source>
        <translation>Failover läuft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failing back</source>
        <translation>Failback läuft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failover waiting</source>
        <translation>Failover wartet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failover failed</source>
        <translation>Failover fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failback failed</source>
        <translation>Failback fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>error budget %1 % left</source>
        <translation>Fehlerbudget: %1 % übrig</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>in maintenance</source>
        <translation>in Wartung</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Error budget: %1 % left</source>
        <translation>Fehlerbudget: %1 % übrig</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last checked %1 (%2)</source>
        <translation>Zuletzt geprüft %1 (%2)</translation>
    </message>
</context>
<context>
    <name>ServiceTileView</name>
    <message>
        <location filename="../ui/servicetileview.cpp" line="+322"/>
        <source>1 service</source>
        <translation>1 Dienst</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 services</source>
        <translation>%1 Dienste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>ServiceTreeModel</name>
    <message>
        <location filename="../ui/servicetreemodel.cpp" line="+109"/>
        <source>%1  (%2)</source>
        <translation>%1  (%2)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>%1 (flapping)</source>
        <translation>%1 (flattert)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>State since %1</source>
        <translation>Zustand seit %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Service / check</source>
        <translation>Dienst / Prüfung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last check</source>
        <translation>Letzte Prüfung</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Why</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>ServiceView</name>
    <message>
        <location filename="../ui/serviceview.cpp" line="+66"/>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Open incident</source>
        <translation>Offener Incident</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>R&amp;unbooks</source>
        <translation>R&amp;unbooks</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Runbooks of this service</source>
        <translation>Runbooks dieses Dienstes</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Actions</source>
        <translation>Aktionen</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+1"/>
        <source>Checks</source>
        <translation>Prüfungen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>History of the selected check</source>
        <translation>Verlauf der ausgewählten Prüfung</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+1"/>
        <source>Recovery success criteria</source>
        <translation>Erfolgskriterien der Wiederherstellung</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>Actions:</source>
        <translation>Aktionen:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Run %1</source>
        <translation>%1 ausführen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shows what will run, then runs it when you press Run</source>
        <translation>Zeigt, was ausgeführt wird, und führt es aus, wenn Sie „Ausführen“ drücken</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 — shows what will run, then runs it when you press Run</source>
        <translation>%1 — zeigt, was ausgeführt wird, und führt es aus, wenn Sie „Ausführen“ drücken</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>service view</source>
        <translation>Dienstansicht</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No service chosen</source>
        <translation>Kein Dienst ausgewählt</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No service `%1` in the config</source>
        <translation>Kein Dienst `%1` in der Konfiguration</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b&gt;%1&lt;/b&gt; — %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Incident #%1 (%2): %3</source>
        <translation>Incident #%1 (%2): %3</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No history to measure yet.</source>
        <translation>Noch kein Verlauf zum Messen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All %1 criteria pass: the service counts as restored.</source>
        <translation>Alle %1 Kriterien erfüllt: Der Dienst gilt als wiederhergestellt.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 criteria pass.</source>
        <translation>%1 von %2 Kriterien erfüllt.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&lt;b&gt;History&lt;/b&gt;</source>
        <translation>&lt;b&gt;Verlauf&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&lt;b&gt;History of %1&lt;/b&gt;</source>
        <translation>&lt;b&gt;Verlauf von %1&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <location filename="../ui/settingsview.cpp" line="+64"/>
        <source>Configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Configuration file</source>
        <translation>Konfigurationsdatei</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reload the configuration</source>
        <translation>Konfiguration neu laden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read the configuration file again (Ctrl+R). A file with errors is not applied.</source>
        <translation>Die Konfigurationsdatei erneut einlesen (Strg+R). Eine fehlerhafte Datei wird nicht übernommen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open &amp;folder</source>
        <translation>&amp;Ordner öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open the configuration&apos;s folder</source>
        <translation>Den Ordner der Konfiguration öffnen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Configuration errors and warnings</source>
        <translation>Konfigurationsfehler und -warnungen</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+7"/>
        <source>Secrets</source>
        <translation>Secrets</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Values live only in the system keychain and are never shown. The configuration refers to them as ${secret:NAME}.</source>
        <translation>Die Werte liegen nur im Schlüsselbund des Systems und werden nie angezeigt. Die Konfiguration verweist auf sie mit ${secret:NAME}.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&amp;Set or replace…</source>
        <translation>&amp;Setzen oder ersetzen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set or replace the selected secret</source>
        <translation>Das ausgewählte Secret setzen oder ersetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the selected secret</source>
        <translation>Das ausgewählte Secret löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New…</source>
        <translation>Ne&amp;u…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set a new secret</source>
        <translation>Ein neues Secret setzen</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Secret status</source>
        <translation>Secret-Status</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+3"/>
        <source>Notification channels</source>
        <translation>Benachrichtigungskanäle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Routing</source>
        <translation>Routing</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Quiet hours</source>
        <translation>Ruhezeiten</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Send &amp;test</source>
        <translation>&amp;Test senden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send a test notification through the selected channel</source>
        <translation>Eine Testbenachrichtigung über den ausgewählten Kanal senden</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Notification test status</source>
        <translation>Status des Benachrichtigungstests</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+11"/>
        <source>As the system</source>
        <translation>Systemvorgabe</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Takes effect when OpsDeck next starts (or start it with --lang).</source>
        <translation>Wirkt beim nächsten Start von OpsDeck (oder starten Sie es mit --lang).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Colour scheme</source>
        <translation>Farbschema</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Language:</source>
        <translation>S&amp;prache:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Colours:</source>
        <translation>&amp;Farben:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Not reloaded: the file has errors (below). OpsDeck keeps running the previous configuration.</source>
        <translation>Nicht neu geladen: Die Datei enthält Fehler (siehe unten). OpsDeck läuft mit der bisherigen Konfiguration weiter.</translation>
    </message>
    <message numerus="yes">
        <location line="+21"/>
        <source>Running: %n service(s), %1 checks. Checked at %2.</source>
        <translation>
            <numerusform>Aktiv: %n Dienst, %1 Prüfungen. Geprüft um %2.</numerusform>
            <numerusform>Aktiv: %n Dienste, %1 Prüfungen. Geprüft um %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Not applied: %n error(s) (below). OpsDeck keeps running the previous configuration.</source>
        <translation>
            <numerusform>Nicht übernommen: %n Fehler (siehe unten). OpsDeck läuft mit der bisherigen Konfiguration weiter.</numerusform>
            <numerusform>Nicht übernommen: %n Fehler (siehe unten). OpsDeck läuft mit der bisherigen Konfiguration weiter.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>New secret</source>
        <translation>Neues Secret</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Set secret %1</source>
        <translation>Secret %1 setzen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name (letters, digits, . _ -):</source>
        <translation>Name (Buchstaben, Ziffern, . _ -):</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Value of %1 (stored in the keychain, never shown):</source>
        <translation>Wert von %1 (wird im Schlüsselbund gespeichert, nie angezeigt):</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Writing %1 to the keychain…</source>
        <translation>%1 wird in den Schlüsselbund geschrieben…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 is set.</source>
        <translation>%1 ist gesetzt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 was not set: %2</source>
        <translation>%1 wurde nicht gesetzt: %2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Delete secret</source>
        <translation>Secret löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete %1 from the keychain? Checks and actions that use it will show as unknown until it is set again.</source>
        <translation>%1 aus dem Schlüsselbund löschen? Prüfungen und Aktionen, die es verwenden, erscheinen als unbekannt, bis es wieder gesetzt ist.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1 is deleted.</source>
        <translation>%1 ist gelöscht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 was not deleted: %2</source>
        <translation>%1 wurde nicht gelöscht: %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>all services</source>
        <translation>alle Dienste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 or worse</source>
        <translation>%1 oder schlimmer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all events</source>
        <translation>alle Ereignisse</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No channels: add a `notify:` list to the configuration.</source>
        <translation>Keine Kanäle: Fügen Sie der Konfiguration eine `notify:`-Liste hinzu.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cannot send: the store is not open, and notifications go through its outbox.</source>
        <translation>Senden nicht möglich: Der Speicher ist nicht geöffnet, und Benachrichtigungen laufen über dessen Postausgang.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Not sent: %1</source>
        <translation>Nicht gesendet: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sending a test through %1…</source>
        <translation>Test wird über %1 gesendet…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Delivered through %1.</source>
        <translation>Über %1 zugestellt.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Not delivered through %1: %2</source>
        <translation>Nicht über %1 zugestellt: %2</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <location filename="../ui/trayicon.cpp" line="+34"/>
        <source>&amp;Open OpsDeck</source>
        <translation>OpsDeck ö&amp;ffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Acknowledge all</source>
        <translation>Alle bes&amp;tätigen</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+89"/>
        <source>&amp;Mute for 1 hour</source>
        <translation>Für 1 Stunde &amp;stummschalten</translation>
    </message>
    <message>
        <location line="-87"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+75"/>
        <source>OpsDeck — %1</source>
        <translation>OpsDeck — %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Notifications muted until %1</source>
        <translation>Benachrichtigungen stummgeschaltet bis %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Un&amp;mute notifications</source>
        <translation>Benachrichtigungen &amp;wieder einschalten</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Acknowledged from the tray</source>
        <translation>Über den Infobereich bestätigt</translation>
    </message>
</context>
</TS>
