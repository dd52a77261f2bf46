# Sourced by the stages that run the ui suite: ci_ui_session CMD... runs
# CMD under Xvfb with a session bus of its own.
#
# dbus-daemon, started as root, asks for 65536 file descriptors and logs
# "Failed to set fd limit to 65536: Operation not permitted" when the hard
# limit is lower (containers, chroots; it stays at that limit, far more
# than a test session's few dozen connections need). That one line is
# dropped from the output and explained here instead; every other line of
# dbus-daemon's stays.
# -noreset: the a11y bus's X client leaving would otherwise make the
# server reset under an app that is starting.
ci_ui_session () {
    local hard
    hard=$(ulimit -Hn)
    if [ "$(id -u)" = 0 ] && [ "$hard" != unlimited ] && [ "$hard" -lt 65536 ]; then
        echo "ui: the session bus keeps the fd limit of $hard (it asks for 65536 as root and" \
            "cannot raise the hard limit here); its 'Failed to set fd limit' line is not shown"
    fi
    xvfb-run -a -s "-screen 0 1280x860x24 -noreset" dbus-run-session -- "$@" \
        2> >(grep -v --line-buffered 'Failed to set fd limit to 65536' >&2)
}
