# Sourced by scripts/cluster.sh and scripts/test-package.sh: a throwaway
# PostgreSQL server (Debian's postgresql) in a directory of its own.
#   pg_throwaway_start DIR PORT   initdb into DIR/pg (as the postgres user when
#                                 root: initdb refuses root), start it on
#                                 127.0.0.1:PORT, create the database kurier;
#                                 sets PG_URL
#   pg_throwaway_stop             stop it (DIR is the caller's to remove)

pg_throwaway_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

pg_as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_throwaway_start() {
  local dir=$1 port=$2 bin
  bin=$(pg_throwaway_bin)
  [ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (make deps installs Debian's postgresql)" >&2; return 1; }
  PG_BIN=$bin
  PG_DATA=$dir/pg
  mkdir -p "$PG_DATA"
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DATA"; fi
  pg_as_postgres "$bin/initdb" -D "$PG_DATA" -A trust -U postgres -N >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; return 1; }
  pg_as_postgres "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" \
    -o "-p $port -k $PG_DATA -c listen_addresses=127.0.0.1" -w start >/dev/null ||
    { cat "$PG_DATA/server.log" >&2; return 1; }
  pg_as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres kurier
  PG_URL="postgres://postgres@127.0.0.1:$port/kurier"
}

pg_throwaway_stop() {
  [ -n "${PG_DATA:-}" ] && pg_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
  PG_DATA=
}
