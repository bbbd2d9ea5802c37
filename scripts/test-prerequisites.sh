#!/usr/bin/env bash
# What the suites need from the machine, found or installed before they run (npm's pretest and
# pretest:reliability), so a fresh machine's `npm test` passes as CI's does:
#   - Chromium: Playwright cannot download browsers here; it drives Debian's (CHROMIUM_PATH to override);
#   - PostgreSQL: the server suite also runs on a throwaway cluster started from its binaries
#     (not needed with COURIER_TEST_DATABASE_URL or COURIER_TEST_SKIP_POSTGRES=1);
#   - openssl and curl: the node's self-signed certificate and docs/api.md's script;
#   - gdb, for `reliability` only: the load test has glibc hand back freed pages through it;
#   - nginx and PostgreSQL, for `reliability` too: the scale-out test runs two portal instances on one
#     database behind nginx (bench/reliability/scale-out.test.ts).
# As root with apt-get, what is missing is installed in one go; otherwise it stops once, naming the
# command to run.
#
# Usage: scripts/test-prerequisites.sh [test|reliability] [--dry-run]
set -euo pipefail

suite=test
dry_run=0
for arg in "$@"; do
  case "$arg" in
    test | reliability) suite=$arg ;;
    --dry-run) dry_run=1 ;;
    *)
      echo "usage: $0 [test|reliability] [--dry-run]" >&2
      exit 2
      ;;
  esac
done

has_postgres() {
  [ -n "${COURIER_TEST_DATABASE_URL:-}" ] && return 0
  [ "${COURIER_TEST_SKIP_POSTGRES:-}" = 1 ] && return 0
  local bindir
  # The same places server/test/postgres-global-setup.ts looks.
  if bindir=$(pg_config --bindir 2>/dev/null) && [ -x "$bindir/initdb" ]; then return 0; fi
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

need=()
if [ "$suite" = test ]; then
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || need+=(chromium)
  has_postgres || need+=(postgresql)
  # The node's self-signed certificate (transfer-node/tls.ts) and the API example's curl (docs/api.md).
  command -v openssl >/dev/null || need+=(openssl)
  command -v curl >/dev/null || need+=(curl)
else
  # bench/lib/inspector.ts calls this path.
  [ -x /usr/bin/gdb ] || need+=(gdb)
  [ -x /usr/sbin/nginx ] || need+=(nginx)
  has_postgres || need+=(postgresql)
fi

if [ ${#need[@]} -eq 0 ]; then
  [ "$dry_run" = 1 ] && echo "test prerequisites ($suite): all present"
  exit 0
fi

install=(apt-get install -y -qq --no-install-recommends "${need[@]}")
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  if [ "$dry_run" = 1 ]; then
    echo "test prerequisites ($suite): would run apt-get update -qq && ${install[*]}"
    exit 0
  fi
  echo "Installing ${need[*]} from Debian for the $suite suite…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${install[@]}"
  exit 0
fi

{
  echo "The $suite suite needs ${need[*]}, which this machine does not have."
  if command -v apt-get >/dev/null; then
    echo "Install it once with:"
    echo "  sudo apt-get install -y --no-install-recommends ${need[*]}"
  else
    echo "Install ${need[*]} with your system's package manager (Chromium's path can be set with CHROMIUM_PATH)."
  fi
  if [[ " ${need[*]} " == *" postgresql "* ]]; then
    echo "Or, for PostgreSQL, set COURIER_TEST_DATABASE_URL to a server you have, or COURIER_TEST_SKIP_POSTGRES=1 to test SQLite only."
  fi
} >&2
[ "$dry_run" = 1 ] && exit 0
exit 1
