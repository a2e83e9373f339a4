# What `cmake --install` puts beside the three programs (their install(TARGETS) rules are in
# app/*/CMakeLists.txt), and the Debian package CPack makes of it:
#   cmake --build build --target package      (or: cd build && cpack)
# Paths are relative to the prefix: /usr in the .deb, /usr/local for a plain `cmake --install`.
set(OPSDECK_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})
set(OPSDECK_PACKAGING_BINARY_DIR ${PROJECT_BINARY_DIR}/packaging)

# Desktop integration. The desktop file's name is the one main.cpp gives setDesktopFileName().
install(FILES ${OPSDECK_PACKAGING_DIR}/opsdeck.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
configure_file(${OPSDECK_PACKAGING_DIR}/io.github.opsdeck.OpsDeck.metainfo.xml
               ${OPSDECK_PACKAGING_BINARY_DIR}/io.github.opsdeck.OpsDeck.metainfo.xml @ONLY)
install(FILES ${OPSDECK_PACKAGING_BINARY_DIR}/io.github.opsdeck.OpsDeck.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${OPSDECK_PACKAGING_DIR}/icons/opsdeck.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)

# Examples and runbooks side by side, as in resources/: the configs name their runbooks as
# ../runbooks/…, relative to the config file, so that keeps working installed.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/configs/ DESTINATION ${CMAKE_INSTALL_DATADIR}/opsdeck/examples
        FILES_MATCHING PATTERN "*.yaml")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/runbooks/ DESTINATION ${CMAKE_INSTALL_DATADIR}/opsdeck/runbooks
        FILES_MATCHING PATTERN "*.md")
install(FILES ${PROJECT_SOURCE_DIR}/resources/demo/faults.yaml DESTINATION ${CMAKE_INSTALL_DATADIR}/opsdeck/demo)
# Not in /etc/xdg/autostart: that would start the kiosk for every user who logs in. The README
# says to copy it to ~/.config/autostart/ on the wall display's account.
install(FILES ${OPSDECK_PACKAGING_DIR}/autostart/opsdeck-kiosk.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/opsdeck/autostart)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/opsdeck)

# systemd user units: the prefix's lib/, not LIBDIR (lib/x86_64-linux-gnu on Debian), because
# that is where the user manager looks (/usr/lib/systemd/user, /usr/local/lib/systemd/user).
install(FILES ${OPSDECK_PACKAGING_DIR}/systemd/opsdeck-watch.service
              ${OPSDECK_PACKAGING_DIR}/systemd/opsdeck-kiosk.service
        DESTINATION lib/systemd/user)

# Man pages, gzipped as Debian wants them (-n: no name or time stamp, so builds are reproducible).
set(opsdeck_manpages)
foreach(page opsdeck opsdeckctl opsdeck-sim)
    configure_file(${OPSDECK_PACKAGING_DIR}/man/${page}.1 ${OPSDECK_PACKAGING_BINARY_DIR}/${page}.1 @ONLY)
    add_custom_command(OUTPUT ${OPSDECK_PACKAGING_BINARY_DIR}/${page}.1.gz
        COMMAND gzip -9 -n -c ${OPSDECK_PACKAGING_BINARY_DIR}/${page}.1 > ${OPSDECK_PACKAGING_BINARY_DIR}/${page}.1.gz
        DEPENDS ${OPSDECK_PACKAGING_BINARY_DIR}/${page}.1
        VERBATIM)
    list(APPEND opsdeck_manpages ${OPSDECK_PACKAGING_BINARY_DIR}/${page}.1.gz)
endforeach()
add_custom_target(opsdeck_manpages ALL DEPENDS ${opsdeck_manpages})
install(FILES ${opsdeck_manpages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# The .deb. dpkg-shlibdeps (dpkg-dev) computes the libraries' packages from the linked ELF files;
# the explicit Depends are what Qt and QtKeychain load at run time without linking it.
set(OPSDECK_PACKAGE_MAINTAINER "OpsDeck maintainers <maintainers@opsdeck.invalid>"
    CACHE STRING "The Maintainer field of the .deb")
set(CPACK_GENERATOR DEB)
set(CPACK_SOURCE_GENERATOR "")
set(CPACK_PACKAGE_NAME opsdeck)
set(CPACK_PACKAGE_VENDOR "OpsDeck")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# One paragraph, wrapped: each line becomes a line of the control file's extended description.
set(CPACK_PACKAGE_DESCRIPTION "OpsDeck runs the health checks of one YAML file continuously (HTTP, TCP,
commands, logs, backup age) and says exactly what failed and why. It keeps
history, tracks SLOs and error budgets, opens incidents, notifies through ntfy,
Telegram, Slack and webhooks, and runs recovery actions, verified backups and
failover. It comes as the desktop console (opsdeck), the headless CLI and
watcher (opsdeckctl, with a systemd user service) and a demo fleet
(opsdeck-sim).")
set(CPACK_PACKAGE_CONTACT "${OPSDECK_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${OPSDECK_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libqt6sql6-sqlite: the default history store (a Qt SQL plugin). libsecret-1-0: QtKeychain
# dlopen()s it to reach the Secret Service, and has no other way to gnome-keyring 42.
# libqt6svg6: the icon is an SVG in the icon theme, which Qt reads through its SVG plugins.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libsecret-1-0, libqt6svg6")
# gnome-keyring | kwalletmanager: somewhere to keep secrets; dbus-user-session: the session bus the
# keychain needs under `systemctl --user`; postgresql-client: pg_dump/pg_restore for the
# PostgreSQL built-ins; qt6-wayland: the console on Wayland; libqt6opengl6: Qt's eglfs platform
# plugin, the kiosk on a Pi's HDMI output without X (nothing of ours links it, so shlibdeps cannot
# know; linuxfb comes with libqt6gui6); qt6-translations-l10n: Qt's own strings in German.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "gnome-keyring | kwalletmanager, dbus-user-session, postgresql-client, qt6-wayland, libqt6opengl6, qt6-translations-l10n")
# A PostgreSQL store (store: postgresql://…) needs Qt's PostgreSQL driver.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libqt6sql6-psql")
include(CPack)
