#!/usr/bin/env bash
# Installs the servers the integration tests run from Debian's packages: the databases (PostgreSQL, MariaDB) and a
# one-node Slurm cluster (slurmctld, slurmd, the client commands, and munge for its authentication).
#   scripts/services.sh install   # idempotent; quiet; needs root (or sudo) and no standard input
# It never starts a server: the test fixtures start their own private instances on free loopback ports in
# temporary directories (tests/Transmog.Data.TestSupport/Servers). Package installation is kept from starting
# the system services (policy-rc.d answers "no"), and any that a package started anyway are stopped.
set -euo pipefail

have_postgres() {
  command -v initdb >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

have_mariadb() {
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || [ -x /usr/sbin/mysqld ]
}

have_slurm() {
  command -v slurmctld >/dev/null 2>&1 || [ -x /usr/sbin/slurmctld ] || return 1
  command -v slurmd >/dev/null 2>&1 || [ -x /usr/sbin/slurmd ] || return 1
  command -v sbatch >/dev/null 2>&1
}

have_munge() {
  command -v munged >/dev/null 2>&1 || [ -x /usr/sbin/munged ]
}

install() {
  local packages=()
  have_postgres || packages+=(postgresql)
  have_mariadb || packages+=(mariadb-server)
  have_slurm || packages+=(slurmctld slurmd slurm-client)
  have_munge || packages+=(munge)
  if [ ${#packages[@]} -eq 0 ]; then
    return 0
  fi

  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); else
      echo "services.sh: need root to install ${packages[*]}" >&2; return 1
    fi
  fi

  export DEBIAN_FRONTEND=noninteractive
  # Keep maintainer scripts from starting the system services (exit 101 = "action forbidden").
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    added_policy=1
  fi
  # shellcheck disable=SC2064
  trap "[ $added_policy -eq 1 ] && ${sudo[*]} rm -f $policy" EXIT

  echo "services.sh: installing ${packages[*]}" >&2
  local log
  log=$(mktemp)
  if ! { "${sudo[@]}" apt-get update -qq \
      && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${packages[@]}"; } </dev/null >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "services.sh: installing ${packages[*]} failed" >&2
    return 1
  fi
  rm -f "$log"

  # Belt and braces: stop system instances that a package may have started despite the policy.
  for service in postgresql mariadb mysql slurmd slurmctld munge; do
    if [ -x "/etc/init.d/$service" ]; then
      "${sudo[@]}" "/etc/init.d/$service" stop </dev/null >/dev/null 2>&1 || true
    fi
  done
}

case "${1:-}" in
  install) install ;;
  *) echo "usage: $0 install" >&2; exit 2 ;;
esac
