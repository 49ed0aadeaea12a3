#!/usr/bin/env bash
# Trust in plugin files: the loader refuses files and directories others can
# write, symlinks out of plugin_dir, and files that are no processor, all
# before any of their code runs; takes optional exports only from the plugin
# file itself; and loads a plugin built against the first published SDK.
. "$(dirname "$0")/lib.sh"
plan 38
DIR="$TMP/plugins"
mkdir -p "$DIR"
chmod 755 "$DIR"
install -m 755 "$ROOT/tests/plugins/copy.so" "$ROOT/tests/plugins/noop.so" "$DIR/"
write_config "$DIR" </dev/null
seed_calendar 2024-01-01 10
before=$(sha256sum "$DB")
override="refusing (--allow-insecure-plugins overrides)"

expect_refused() { # NAME MESSAGE ARGS...
    local name=$1 message=$2
    shift 2
    run_bf "$@"
    check "$name: exit 2" 2 "$RC"
    check "$name: one line naming the file and fault" "backfill: $message" "$ERR"
}

chmod 666 "$DIR/copy.so"
expect_refused "file writable by others" "$DIR/copy.so: mode 0666 is writable by others; $override" \
    run copy --dates 2024-01-05
run_bf --allow-insecure-plugins run copy --dates 2024-01-05
check "--allow-insecure-plugins: file writable by others loads" 0 "$RC"
chmod 664 "$DIR/copy.so"
expect_refused "file writable by group" "$DIR/copy.so: mode 0664 is writable by group; $override" \
    status copy
chmod 755 "$DIR/copy.so"

chmod 777 "$DIR"
expect_refused "plugin_dir writable by others" "$DIR: mode 0777 is writable by others; $override" \
    run copy --dates 2024-01-05
expect_refused "list: plugin_dir reported once" "$DIR: mode 0777 is writable by others; $override" \
    list
chmod 1777 "$DIR"
expect_refused "sticky plugin_dir still refused" "$DIR: mode 1777 is writable by others; $override" \
    run noop --dates 2024-01-05
chmod 755 "$DIR"

if [ "$(id -u)" -eq 0 ]; then
    chown 65534 "$DIR/copy.so"
    expect_refused "file owned by another user" \
        "$DIR/copy.so: owned by uid 65534, neither root nor the running user (uid 0); $override" \
        run copy --dates 2024-01-05
    chown 0 "$DIR/copy.so"
else
    ok "file owned by another user: exit 2 # skip: needs root to chown"
    ok "file owned by another user: one line naming the file and fault # skip"
fi

# A symlink may point inside plugin_dir, never outside it: a link to
# elsewhere would make plugin_dir's own permissions meaningless.
mkdir -m 755 "$TMP/elsewhere" "$DIR/versions"
install -m 755 "$ROOT/tests/plugins/noop.so" "$TMP/elsewhere/noop.so"
mv "$DIR/noop.so" "$DIR/versions/noop-1.so"
ln -s versions/noop-1.so "$DIR/noop.so"
run_bf run noop --dates 2024-01-05
check "symlink inside plugin_dir: loads" 0 "$RC"
chmod 775 "$DIR/versions"
expect_refused "symlink inside plugin_dir: its target's directory is checked" \
    "$DIR/versions: mode 0775 is writable by group; $override" run noop --dates 2024-01-05
chmod 755 "$DIR/versions"
ln -sf "$TMP/elsewhere/noop.so" "$DIR/noop.so"
expect_refused "symlink out of plugin_dir" \
    "$DIR/noop.so: symlink to $TMP/elsewhere/noop.so, outside plugin_dir $DIR; $override" \
    run noop --dates 2024-01-05
run_bf --allow-insecure-plugins run noop --dates 2024-01-05 --no-resume
check "--allow-insecure-plugins: symlink out of plugin_dir loads" 0 "$RC"
rm "$DIR/noop.so"

# A shared object without backfill_magic is refused from its symbol table:
# its constructor never runs, not even for `list`.
install -m 755 "$ROOT/tests/plugins/broken/constructor_only.so" "$DIR/"
export BACKFILL_TEST_MARKER="$TMP/constructor-ran"
run_bf list
check "not a processor: list exits 2" 2 "$RC"
check "not a processor: named once" "backfill: $DIR/constructor_only.so: missing export 'backfill_magic' (every processor exports backfill_magic, backfill_descriptor, dependencies, process_date, validate_date)" "$ERR"
check "not a processor: list never ran its constructor" no "$([ -e "$BACKFILL_TEST_MARKER" ] && echo yes || echo no)"
run_bf run constructor_only --dates 2024-01-05
check "not a processor: run exits 2" 2 "$RC"
check "not a processor: run never ran its constructor" no "$([ -e "$BACKFILL_TEST_MARKER" ] && echo yes || echo no)"
rm "$DIR/constructor_only.so"

# prepare() is the plugin's own or none: one exported by a library the
# plugin links is never called. (The library is found via LD_LIBRARY_PATH:
# an $ORIGIN rpath trips a false report of valgrind in ld.so.)
mkdir -m 755 "$DIR/lib"
install -m 755 "$ROOT/tests/plugins/broken/links_prepare.so" "$DIR/"
install -m 755 "$ROOT/tests/plugins/broken/lib/libprepare_helper.so" "$DIR/lib/"
sql "CREATE TABLE links_prepare (game_date TEXT, v INTEGER)"
before=$(sha256sum "$DB")
LD_LIBRARY_PATH="$DIR/lib" run_bf run links_prepare --dates 2024-01-05 --no-resume
check "linked library's prepare: not called, run exits 0" 0 "$RC"
check "linked library's prepare: never ran" 0 "$(grep -c "library's prepare() was called" <<<"$ERR")"
sql "DROP TABLE links_prepare"
LD_LIBRARY_PATH="$DIR/lib" run_bf run links_prepare --dates 2024-01-05 --no-resume
check "no prepare of its own: exit 2" 2 "$RC"
check_contains "no prepare of its own: says so" \
    "output table links_prepare does not exist and $DIR/links_prepare.so has no prepare() creating it" "$ERR"
rm -r "$DIR/links_prepare.so" "$DIR/lib"
before=$(sha256sum "$DB")

# Struct sizes: from the first published header's up to the core's own.
install -m 755 "$ROOT/tests/plugins/broken/big_descriptor.so" \
    "$ROOT/tests/plugins/broken/small_descriptor.so" "$DIR/"
run_bf run big_descriptor --dates 2024-01-05
check "descriptor larger than the core's: exit 2" 2 "$RC"
check "descriptor larger than the core's: message" 1 "$(grep -cE "^backfill: $DIR/big_descriptor.so: bf_descriptor size mismatch: backfill accepts [0-9]+-[0-9]+, plugin has [0-9]+; rebuild the plugin against this backfill's include/backfill/plugin.h$" <<<"$ERR")"
run_bf run small_descriptor --dates 2024-01-05
check "descriptor smaller than the first: exit 2" 2 "$RC"
check "descriptor smaller than the first: message" 1 "$(grep -cE "^backfill: $DIR/small_descriptor.so: bf_descriptor size mismatch: backfill accepts [0-9]+-[0-9]+, plugin has 8; rebuild" <<<"$ERR")"
rm "$DIR/big_descriptor.so" "$DIR/small_descriptor.so"
check "refused plugins: store untouched" "$before" "$(sha256sum "$DB")"

install -m 755 "$ROOT/tests/plugins/abi_v1.so" "$DIR/"
run_bf list
check "SDK v1 plugin: listed" 0 "$RC"
check_contains "SDK v1 plugin: both dependencies read with its stride" \
    "$(printf 'abi_v1                           -> abi_v1  copies upstream, built against SDK v1 (test)\n    requires upstream.game_date\n    optional extra.game_date')" "$OUT"
run_bf run abi_v1 --start-date 2024-01-01 --end-date 2024-01-10
check "SDK v1 plugin: runs" 0 "$RC"
check "SDK v1 plugin: every expected date complete" "7 14" \
    "$(sql "SELECT count(DISTINCT game_date) || ' ' || count(*) FROM abi_v1")"
check "SDK v1 plugin: default bootstrap read" 0 "$(sql "SELECT count(*) FROM abi_v1 WHERE game_date < '2024-01-04'")"
