<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>BackupListModel</name>
    <message numerus="yes">
        <source>%n backup(s), %1</source>
        <translation>
            <numerusform>%n backup, %1</numerusform>
            <numerusform>%n backups, %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%2)
%n pre-restore snapshot(s) in the folder, newest %3</source>
        <translation>
            <numerusform>%1 (%2)
%n pre-restore snapshot in the folder, newest %3</numerusform>
            <numerusform>%1 (%2)
%n pre-restore snapshots in the folder, newest %3</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BackupsView</name>
    <message numerus="yes">
        <source>%n file(s) in the archive</source>
        <translation>
            <numerusform>%n file in the archive</numerusform>
            <numerusform>%n files in the archive</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FleetSummary</name>
    <message numerus="yes">
        <source>%n unacknowledged incident(s)</source>
        <translation>
            <numerusform>%n unacknowledged incident</numerusform>
            <numerusform>%n unacknowledged incidents</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n open incident(s)</source>
        <translation>
            <numerusform>%n open incident</numerusform>
            <numerusform>%n open incidents</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IncidentsView</name>
    <message numerus="yes">
        <source>%n incident(s)</source>
        <translation>
            <numerusform>%n incident</numerusform>
            <numerusform>%n incidents</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KioskFreshness</name>
    <message numerus="yes">
        <source>Checks are not running: no result for %n s</source>
        <translation>
            <numerusform>Checks are not running: no result for %n s</numerusform>
            <numerusform>Checks are not running: no result for %n s</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Checks have stalled: no result for %n s</source>
        <translation>
            <numerusform>Checks have stalled: no result for %n s</numerusform>
            <numerusform>Checks have stalled: no result for %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KioskIncidentsPage</name>
    <message numerus="yes">
        <source>open %n s</source>
        <translation>
            <numerusform>open %n s</numerusform>
            <numerusform>open %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KioskPinLock</name>
    <message numerus="yes">
        <source>Too many wrong PINs: try again in %n second(s)</source>
        <translation>
            <numerusform>Too many wrong PINs: try again in %n second</numerusform>
            <numerusform>Too many wrong PINs: try again in %n seconds</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Wrong PIN. Too many wrong PINs: try again in %n second(s)</source>
        <translation>
            <numerusform>Wrong PIN. Too many wrong PINs: try again in %n second</numerusform>
            <numerusform>Wrong PIN. Too many wrong PINs: try again in %n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n s ago</source>
        <translation>
            <numerusform>%n s ago</numerusform>
            <numerusform>%n s ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n h ago</numerusform>
            <numerusform>%n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n service(s), %1 checks  ·  Store: %2  ·  Poller: %3  ·  Last result: %4</source>
        <translation>
            <numerusform>%n service, %1 checks  ·  Store: %2  ·  Poller: %3  ·  Last result: %4</numerusform>
            <numerusform>%n services, %1 checks  ·  Store: %2  ·  Poller: %3  ·  Last result: %4</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unacknowledged incident(s)</source>
        <translation>
            <numerusform>%n unacknowledged incident</numerusform>
            <numerusform>%n unacknowledged incidents</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ServiceTileModel</name>
    <message numerus="yes">
        <source>%n s ago</source>
        <translation>
            <numerusform>%n s ago</numerusform>
            <numerusform>%n s ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n h ago</numerusform>
            <numerusform>%n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d ago</source>
        <translation>
            <numerusform>%n d ago</numerusform>
            <numerusform>%n d ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message numerus="yes">
        <source>Running: %n service(s), %1 checks. Checked at %2.</source>
        <translation>
            <numerusform>Running: %n service, %1 checks. Checked at %2.</numerusform>
            <numerusform>Running: %n services, %1 checks. Checked at %2.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not applied: %n error(s) (below). OpsDeck keeps running the previous configuration.</source>
        <translation>
            <numerusform>Not applied: %n error (below). OpsDeck keeps running the previous configuration.</numerusform>
            <numerusform>Not applied: %n errors (below). OpsDeck keeps running the previous configuration.</numerusform>
        </translation>
    </message>
</context>
</TS>
