# Sourced by the stages in .ci/stages/: ci_install_missing PKG... installs
# with apt-get the Debian packages that are not installed yet (sudo when
# not root) and fails when apt-get does.
ci_install_missing () {
    local p sudo=
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [ "${#missing[@]}" -gt 0 ] || return 0
    echo "Installing: ${missing[*]}"
    [ "$(id -u)" = 0 ] || sudo=sudo
    DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq || return 1
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

# ci_install_missing_no_start PKG...: the same for packages that bring a
# system service (openssh-server, prometheus, prometheus-node-exporter).
# The tests start their own copies on loopback ports; the system's copies
# on 22, 9090 and 9100 are not wanted, so while installing, a policy-rc.d
# that says "no" (exit 101) keeps invoke-rc.d and deb-systemd-invoke from
# starting them. An existing policy-rc.d is left as it is.
ci_install_missing_no_start () {
    local policy=/usr/sbin/policy-rc.d added=0 rc sudo=
    [ "$(id -u)" = 0 ] || sudo=sudo
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod 755 "$policy" && added=1
    fi
    ci_install_missing "$@"
    rc=$?
    [ "$added" = 1 ] && $sudo rm -f "$policy"
    return $rc
}

# ci_generate_locales LOCALE...: the locales the i18n tests run in
# (ru_RU.UTF-8), generated with localedef from the locales package's
# sources when `locale -a` does not list them yet.
ci_generate_locales () {
    local l sudo=
    [ "$(id -u)" = 0 ] || sudo=sudo
    ci_install_missing locales || return 1
    for l in "$@"; do
        locale -a | grep -qix "$(echo "$l" | sed 's/UTF-8/utf8/I')" && continue
        echo "Generating the locale $l"
        $sudo localedef -i "${l%%.*}" -f "${l#*.}" "$l" || return 1
    done
}
