#!/usr/bin/env bash
# Run by .ci/stages/35-windows-gui.sh inside Xvfb, with WINEPREFIX (fresh),
# PTL_WINGUI_BUILD (the cross build), PTL_WINGUI_MSI and PTL_WINGUI_OUT set.
# Prints TAP for what it checks and writes it as a meson-style test log
# (for tools/ci-summary.py); then runs the cross-built ui tests.
set -uo pipefail

build=$PTL_WINGUI_BUILD
out=$PTL_WINGUI_OUT
tap=$out/install.tap
n=0
failed=0
: >"$tap"
result() { # result OK|FAIL|SKIP "description" ["reason"]
    local line
    n=$((n + 1))
    case $1 in
        OK) line="ok $n $2" ;;
        SKIP) line="ok $n $2 # SKIP $3" ;;
        *) line="not ok $n $2"; failed=$((failed + 1)) ;;
    esac
    echo "$line" | tee -a "$tap"
}
note() { echo "# $*" | tee -a "$tap"; }

# The first wine command runs the new prefix's init; an explicit
# 'wineboot -i' would run a second one, and a second services.exe.
wine cmd /c exit >/dev/null 2>&1 || { note "creating the Wine prefix failed"; }
wineserver -p
progfiles=$WINEPREFIX/drive_c/Program\ Files/Portolan
# The MSI sets ALLUSERS=1; Wine 8 still puts the shortcut in the user's
# Start menu, so both places are looked at.
shortcut() {
    find "$WINEPREFIX/drive_c/ProgramData" "$WINEPREFIX/drive_c/users" -name Portolan.lnk \
        2>/dev/null | head -n 1
}

# 1. Install per machine, silently.
wine msiexec /i "$(winepath -w "$PTL_WINGUI_MSI")" /qn >/dev/null 2>&1
rc=$?
note "msiexec /i exited $rc"
[ "$rc" = 0 ] && [ -f "$progfiles/portolan.exe" ] && [ -f "$progfiles/portolan-cli.exe" ] &&
    result OK "the MSI installs portolan.exe and portolan-cli.exe under Program Files" ||
    result FAIL "the MSI installs portolan.exe and portolan-cli.exe under Program Files"
note "installed: $(find "$progfiles" -type f 2>/dev/null | wc -l) files, $(du -sh "$progfiles" 2>/dev/null | cut -f1)"
lnk=$(shortcut)
note "shortcut: ${lnk#"$WINEPREFIX/"}"
[ -n "$lnk" ] && result OK "the Start menu has a Portolan shortcut" ||
    result FAIL "the Start menu has a Portolan shortcut"

# 2. The installed app on port 1644: what its window shows, as text.
# PORTOLAN_DUMP_LABELS_LINGER keeps the window up after the dump for the
# screenshot. GL first; the cairo renderer when GL gives no window.
labels=$out/labels-1644.txt
shot=$out/portolan-wine-1644.png
start_app() { # start_app RENDERER
    rm -f "$labels"
    env ${1:+GSK_RENDERER=$1} PORTOLAN_DUMP_LABELS="$(winepath -w "$labels")" \
        PORTOLAN_DUMP_LABELS_LINGER=15 PORTOLAN_DUMP_LABELS_TIMEOUT=240 \
        wine "C:\\Program Files\\Portolan\\portolan.exe" 1644 >"$out/portolan-$1.log" 2>&1 &
    app=$!
    for _ in $(seq 1 300); do
        [ -s "$labels" ] && break
        kill -0 "$app" 2>/dev/null || break
        sleep 1
    done
}
renderer=
start_app ""
if [ ! -s "$labels" ]; then
    note "no labels with the default renderer: $(tail -n 3 "$out/portolan-.log" | tr '\n' ' ')"
    kill "$app" 2>/dev/null
    wait "$app" 2>/dev/null
    renderer=cairo
    start_app cairo
fi
note "renderer: ${renderer:-default (GL)}"
# Known under Wine 8: Pango's Windows backend gets no font description for
# any font (pango_font_description_get_family: 'desc != NULL' fails), then
# the app reads through a NULL font and Wine ends it. Seen with the GL and
# the cairo renderer alike. Only that signature is skipped, with its reason;
# anything else that keeps the window from showing fails.
pango_no_font() {
    grep -q "pango_font_description_get_family: assertion 'desc != NULL' failed" \
        "$out/portolan-${renderer}.log" 2>/dev/null
}
why_skip="Pango's Windows font backend finds no font under Wine 8 (no font description, then a NULL font ends the app): the window is checked only on real Windows until this is solved"
if [ -s "$labels" ]; then
    sleep 2
    import -window root "$shot" 2>/dev/null && note "screenshot: $shot"
    result OK "the installed portolan.exe 1644 starts and shows its window"
elif pango_no_font; then
    result SKIP "the installed portolan.exe 1644 starts and shows its window" "$why_skip"
else
    result FAIL "the installed portolan.exe 1644 starts and shows its window"
fi
if [ ! -s "$labels" ] && pango_no_font; then
    result SKIP "the Port view for 1644 shows IANA's saiseh" "$why_skip"
    result SKIP "the window names port 1644" "$why_skip"
else
    if grep -qw 'saiseh' "$labels" 2>/dev/null &&
        grep -q 'Satellite-data Acquisition System 4' "$labels"; then
        result OK "the Port view for 1644 shows IANA's saiseh"
    else
        result FAIL "the Port view for 1644 shows IANA's saiseh"
    fi
    grep -q '1644' "$labels" 2>/dev/null && result OK "the window names port 1644" ||
        result FAIL "the window names port 1644"
fi
note "labels shown: $(wc -l <"$labels" 2>/dev/null || echo 0) (in $labels)"
wait "$app" 2>/dev/null
note "portolan.exe exited $?"

# 3. The cross-built ui tests, and the ones left out with why.
note "ui tests left out under Wine (they need the Linux test holder process and json-glib," \
    "from tests/ptl-test-util.c, which are not built for Windows):"
for t in scan ui-port ui-map ui-connections ui-busy ui-atspi; do
    note "  $t: needs ptl-test-util.c (the holder process, json-glib) or the AT-SPI bus"
done
note "  ui-refresh-50/600, ui-port-loading-50/600 (built, suite win32-ui-window): they draw" \
    "text in a window, and under Wine 8 Pango's Windows backend finds no font"
meson test -C "$build" --no-rebuild --suite win32-ui --print-errorlogs --logbase testlog-win32-ui
echo "$build/meson-logs/testlog-win32-ui.json" >>"$CI_LOGS"
# win32-text again, here with a display: Wine gives AllocConsole a console
# only then, so the console code page checks run (stage 30 has none).
meson test -C "$build" --no-rebuild --print-errorlogs --logbase testlog-win32-text-display \
    win32-text
echo "$build/meson-logs/testlog-win32-text-display.json" >>"$CI_LOGS"

# 4. Uninstall; nothing may be left in Program Files or the Start menu.
wine msiexec /x "$(winepath -w "$PTL_WINGUI_MSI")" /qn >/dev/null 2>&1
rc=$?
note "msiexec /x exited $rc"
left=$(find "$progfiles" 2>/dev/null | head -n 5)
[ "$rc" = 0 ] && [ -z "$left" ] &&
    result OK "uninstalling leaves nothing in Program Files" ||
    result FAIL "uninstalling leaves nothing in Program Files (left: $left)"
[ -z "$(shortcut)" ] && result OK "uninstalling removes the shortcut" ||
    result FAIL "uninstalling removes the shortcut"

echo "1..$n" >>"$tap"
python3 - "$tap" "$build/meson-logs/testlog-wine-install.json" "$failed" <<'PY'
import json, sys
tap, log, failed = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(log, "w", encoding="utf-8") as f:
    json.dump({"name": "wine-install", "result": "FAIL" if failed else "OK",
               "stdout": open(tap, encoding="utf-8").read()}, f)
    f.write("\n")
PY
echo "$build/meson-logs/testlog-wine-install.json" >>"$CI_LOGS"
[ "$failed" = 0 ]
