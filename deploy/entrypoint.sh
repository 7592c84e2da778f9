#!/bin/sh
# Container entrypoint of the OrleansSignals image (deploy/Dockerfile): sets the address this silo
# advertises to the other silos and to clients, then runs the host.
#
# Orleans:AdvertisedIPAddress defaults to 127.0.0.1, which only works for one host on one machine.
# In a container the right address is the container's own: when Orleans__AdvertisedIPAddress is
# not set (docker compose), it is taken from `hostname -i`, the first non-loopback address, IPv4
# first. Kubernetes sets it from the pod IP (status.podIP), so this leaves it alone there.
set -eu

if [ -z "${Orleans__AdvertisedIPAddress:-}" ]; then
    # `hostname -i`; without that command, this host's lines in /etc/hosts (which Docker writes).
    addresses="$(hostname -i 2>/dev/null)" \
        || addresses="$(awk -v h="$(uname -n)" '{ for (i = 2; i <= NF; i++) if ($i == h) print $1 }' /etc/hosts 2>/dev/null)" \
        || addresses=""
    chosen=""
    for address in $addresses; do
        case "$address" in
            127.*|::1) ;;
            *:*) [ -n "$chosen" ] || chosen="$address" ;;   # IPv6: only when there is no IPv4
            *) chosen="$address"; break ;;
        esac
    done
    if [ -n "$chosen" ]; then
        export Orleans__AdvertisedIPAddress="$chosen"
    else
        unset Orleans__AdvertisedIPAddress   # an empty value would fail the host's validation
        echo "entrypoint: no container address found (found: '${addresses}'); Orleans__AdvertisedIPAddress stays at its default 127.0.0.1" >&2
    fi
fi

exec "$@"
