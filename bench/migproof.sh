#!/bin/bash
# Prove that a tree's migrations and models are those of another (decisions 0041, 0042):
#   bench/migproof.sh /work/main /work/wt/<branch> [NAME]
# 1. bench/migproof.py migrations and models on both trees, diffed;
# 2. a fresh `migrate` of each on PostgreSQL (databases NAME_a, NAME_b, dropped after) and on
#    SQLite: `pg_dump --schema-only`, `pg_dump --data-only`, SQLite's schema and every row, diffed
#    once pg_dump's random \restrict key and time stamps (migration applied, created_at) are masked
#    and each table's rows sorted (a row a data migration updated may sit elsewhere in the heap:
#    two fresh builds of the same tree differ so).
# 3. with REVERSE="app ...": those apps migrated back to zero on copies of the SQLite files.
# Prints "identical" or the first lines of each difference; files in /tmp/migproof-NAME/.
set -u
A=$(realpath "$1") B=$(realpath "$2") NAME=${3:-migproof}
PY=${PY:-$B/.venv/bin/python}
PG=${PG_URL:-postgres://postgres@127.0.0.1:5432}
export PGOPTIONS=--client-min-messages=warning  # no NOTICE for "drop database if exists"
D=/tmp/migproof-$NAME
mkdir -p "$D"
mask() {
  sed -E -e '/^\\(un)?restrict /d' \
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(\+00(:00)?)?/<TS>/g'
}
sqlite_dump() {  # schema and every row of a SQLite file, time stamps masked
  "$PY" - "$1" <<'PYTHON' | mask
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
for (sql,) in db.execute("select sql from sqlite_master where sql is not null order by type, name"):
    print(sql + ";")
for (table,) in db.execute("select name from sqlite_master where type = 'table' order by name"):
    rows = db.execute(f'select * from "{table}"').fetchall()
    print(f"-- {table}: {len(rows)} rows")
    for row in sorted(rows, key=repr):
        print(repr(row))
PYTHON
}
for side in a b; do
  if [ $side = a ]; then TREE=$A; else TREE=$B; fi
  for what in migrations models; do
    (cd "$TREE" && PYTHONPATH=$TREE/src "$PY" "$B/bench/migproof.py" $what) > "$D/$what-$side.txt"
  done
  DB=${NAME}_$side
  psql -q "$PG/postgres" -c "drop database if exists $DB" -c "create database $DB" >/dev/null
  (cd "$TREE" && DEBUG=1 DATABASE_URL=$PG/$DB PYTHONPATH=$TREE/src "$PY" -m secoop migrate --no-input) \
    > "$D/migrate-pg-$side.log" 2>&1 || echo "migrate on PostgreSQL failed: $D/migrate-pg-$side.log"
  pg_dump --schema-only "$PG/$DB" 2>/dev/null | mask > "$D/pg-schema-$side.sql"
  pg_dump --data-only "$PG/$DB" 2>/dev/null | mask | "$PY" -c '
import sys

rows = None
for line in sys.stdin:
    if rows is None:
        sys.stdout.write(line)
        rows = [] if line.startswith("COPY ") else None
    elif line.startswith("\\."):
        sys.stdout.writelines(sorted(rows) + [line])
        rows = None
    else:
        rows.append(line)
' > "$D/pg-data-$side.sql"
  psql -q "$PG/postgres" -c "drop database $DB" >/dev/null
  rm -f "$D/$side.sqlite3"
  (cd "$TREE" && DEBUG=1 DATABASE_URL=sqlite:///$D/$side.sqlite3 PYTHONPATH=$TREE/src "$PY" -m secoop migrate --no-input) \
    > "$D/migrate-sqlite-$side.log" 2>&1 || echo "migrate on SQLite failed: $D/migrate-sqlite-$side.log"
  sqlite_dump "$D/$side.sqlite3" > "$D/sqlite-$side.txt"
done
# REVERSE="assessment budget": those apps migrated back to zero, in that order, on a copy of each
# fresh SQLite file (the reverse operations and data functions run).
CHECKS="migrations models pg-schema pg-data sqlite"
if [ -n "${REVERSE:-}" ]; then
  CHECKS="$CHECKS reverse"
  for side in a b; do
    if [ $side = a ]; then TREE=$A; else TREE=$B; fi
    cp "$D/$side.sqlite3" "$D/rev-$side.sqlite3" && rm -f "$D/rev-$side.log"
    for app in $REVERSE; do
      (cd "$TREE" && DEBUG=1 DATABASE_URL=sqlite:///$D/rev-$side.sqlite3 PYTHONPATH=$TREE/src "$PY" -m secoop migrate "$app" zero --no-input) \
        >> "$D/rev-$side.log" 2>&1 || echo "reverse of $app failed: $D/rev-$side.log"
    done
    sqlite_dump "$D/rev-$side.sqlite3" > "$D/reverse-$side.txt"
  done
fi
for f in $CHECKS; do
  a=$(ls "$D/$f-a".*) b=$(ls "$D/$f-b".*)
  if cmp -s "$a" "$b"; then echo "$f: identical ($(wc -l < "$a") lines)"
  else echo "$f: DIFFERENT"; diff "$a" "$b" | head -20; fi
done
