# Sourced by the stages that run Wine. Wine lists every TCP and UDP socket
# of the network namespace it runs in and looks up the owner of each: on a
# shared machine where another job held 18,000 connections, one
# `portolan-cli.exe list` took 240 s instead of 0.4 s, and the Wine suites
# ran into their timeouts. In a network namespace of its own, with only
# loopback (up), Wine sees the sockets of the tests and nothing else.

# ci_private_net CMD...: runs CMD in a new network namespace with loopback
# up. Without the rights for one (unshare needs root), CMD runs as it is,
# and that is said.
ci_private_net () {
    if unshare --net -- true 2>/dev/null; then
        unshare --net -- bash -c 'ip link set lo up && exec "$@"' ci-private-net "$@"
    else
        echo "no network namespace of its own (unshare --net needs root):" \
            "Wine sees every socket of this machine" >&2
        "$@"
    fi
}
