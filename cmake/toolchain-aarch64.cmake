# Cross build for arm64 (Raspberry Pi 4/5 under 64-bit Raspberry Pi OS / Debian 12) on a Debian 12
# amd64 machine with multiarch arm64 packages: target libraries and Qt from /usr/lib/aarch64-linux-gnu,
# host tools (moc, rcc, uic, lrelease, lupdate) from the amd64 Qt, programs and tests run under
# qemu-user. scripts/build-arm64.sh installs what this needs and uses it:
#   cmake -S . -B build-arm64 -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64.cmake
# OPSDECK_ARM64_OVERLAY (a cache variable or the environment variable of that name) names a
# directory laid out like / that holds the development files of arm64 packages that cannot be
# installed beside their amd64 versions (libyaml-cpp-dev is not Multi-Arch: same); it is searched
# before /usr.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# No sysroot: Debian's cross compilers search /usr/include/aarch64-linux-gnu and
# /usr/lib/aarch64-linux-gnu themselves, which is where the arm64 (multiarch) packages are.
# Libraries, headers and packages are found on the host's paths below CMAKE_LIBRARY_ARCHITECTURE;
# programs never in the target's paths (they must run here).
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

if(NOT OPSDECK_ARM64_OVERLAY AND DEFINED ENV{OPSDECK_ARM64_OVERLAY})
    set(OPSDECK_ARM64_OVERLAY "$ENV{OPSDECK_ARM64_OVERLAY}")
endif()
if(OPSDECK_ARM64_OVERLAY)
    set(OPSDECK_ARM64_OVERLAY "${OPSDECK_ARM64_OVERLAY}" CACHE PATH
        "Root of the extracted arm64 development packages that cannot be co-installed")
    list(PREPEND CMAKE_PREFIX_PATH "${OPSDECK_ARM64_OVERLAY}/usr")
endif()

# pkg-config (Qt's find modules use it, e.g. for XKB) must see the arm64 .pc files only, not the
# amd64 ones it finds by default.
set(_opsdeck_pc_dirs /usr/lib/aarch64-linux-gnu/pkgconfig /usr/share/pkgconfig)
if(OPSDECK_ARM64_OVERLAY)
    list(PREPEND _opsdeck_pc_dirs "${OPSDECK_ARM64_OVERLAY}/usr/lib/aarch64-linux-gnu/pkgconfig")
endif()
list(JOIN _opsdeck_pc_dirs ":" _opsdeck_pc_dirs)
set(ENV{PKG_CONFIG_LIBDIR} "${_opsdeck_pc_dirs}")
set(ENV{PKG_CONFIG_PATH} "")

# Qt's host tools come from the amd64 Qt of the same version (qt6-base-dev, qt6-tools-dev,
# qt6-l10n-tools), found through its CMake packages.
set(QT_HOST_PATH /usr)
set(QT_HOST_PATH_CMAKE_DIR /usr/lib/x86_64-linux-gnu/cmake)

# CTest and add_custom_command run the target's programs through qemu-user: there may be no
# binfmt_misc registration. The arm64 dynamic loader and libraries are the multiarch ones
# (libc6:arm64: /lib/ld-linux-aarch64.so.1, /usr/lib/aarch64-linux-gnu), so no -L prefix is
# needed; QEMU_LD_PREFIX from the environment still applies if set.
set(CMAKE_CROSSCOMPILING_EMULATOR /usr/bin/qemu-aarch64-static)

# The .deb CPack makes is for the target (without this CPack asks dpkg, which answers amd64).
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
