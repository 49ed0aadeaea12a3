#!/usr/bin/env bash
# The SDK as an outsider gets it: make install into a temporary prefix (with
# DESTDIR, and into a $HOME/.local without), a processor scaffolded by
# `backfill new` built with pkg-config alone outside the checkout and tested
# with the installed binary, the plugin search path, the man pages, bash
# completion, and make uninstall.
. "$(dirname "$0")/lib.sh"
plan 70
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR BACKFILL_PLUGIN_PATH

# The files make install writes, below PREFIX.
PLUGINS=$(cd "$ROOT/plugins" && ls -- *.so)
MODELS=$(cd "$ROOT/plugins/models" && ls -- *.sql)
FILES="bin/backfill include/backfill/plugin.h lib/pkgconfig/backfill.pc
share/backfill/backfill.conf share/bash-completion/completions/backfill
share/man/man1/backfill.1 share/man/man5/backfill.conf.5 share/man/man5/backfill-model.5
share/man/man7/backfill-plugin.7
$(sed 's|^|lib/backfill/plugins/|' <<<"$PLUGINS")
$(sed 's|^|share/backfill/models/|' <<<"$MODELS")"

# ---- install with DESTDIR ----------------------------------------------------
DEST=$TMP/dest
P=$DEST/usr/local
make -s --no-print-directory -C "$ROOT" install DESTDIR="$DEST" PREFIX=/usr/local >"$TMP/log" 2>&1
check "make install DESTDIR exits 0" 0 "$?"
missing=""
for f in $FILES; do [ -f "$P/$f" ] || missing="$missing $f"; done
check "every file installed" "" "$missing"
check "nothing else installed" "$(wc -w <<<"$FILES")" "$(find "$DEST" -type f | wc -l)"
check "the binary is executable" 1 "$([ -x "$P/bin/backfill" ] && echo 1)"

export PKG_CONFIG_PATH=$P/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$DEST
check "pkg-config --cflags" "-I$P/include" "$(echo $(pkg-config --cflags backfill))"
check "pkg-config plugindir" "$P/lib/backfill/plugins" "$(pkg-config --variable=plugindir backfill)"
check "sample config points at the installed processors" \
    'plugin_dir = [ "/usr/local/lib/backfill/plugins" ];' \
    "$(grep '^plugin_dir' "$P/share/backfill/backfill.conf")"

# ---- backfill new, outside the checkout, with the installed binary ------------
export PATH="$P/bin:$PATH"
cd "$TMP" || exit 1
check "the installed backfill is the one on PATH" "$P/bin/backfill" "$(command -v backfill)"
out=$(backfill new my_proc --dir "$TMP/work" 2>&1)
check "new exits 0" 0 "$?"
check "new says what it made" "created $TMP/work/my_proc/: my_proc.c, Makefile, backfill.conf, test.sh" \
    "$(head -1 <<<"$out")"
check "scaffold files" "Makefile backfill.conf my_proc.c test.sh" \
    "$(cd "$TMP/work/my_proc" && ls | tr '\n' ' ' | sed 's/ $//')"
check "test.sh is executable" 1 "$([ -x "$TMP/work/my_proc/test.sh" ] && echo 1)"
check "the source includes only the SDK and stdio" "#include <backfill/plugin.h>
#include <stdio.h>" "$(grep '^#include' "$TMP/work/my_proc/my_proc.c" | sort)"

make -s -C "$TMP/work/my_proc" >"$TMP/log" 2>&1
check "make -C my_proc exits 0" 0 "$?"
check "make built my_proc.so" 1 "$([ -f "$TMP/work/my_proc/my_proc.so" ] && echo 1)"
out=$("$TMP/work/my_proc/test.sh" 2>&1)
check "my_proc/test.sh exits 0" 0 "$?"
check "my_proc/test.sh: 6 checks pass" "6 0" \
    "$(grep -c '^ok - ' <<<"$out") $(grep -c '^not ok' <<<"$out")"
# A running total read without declaring a window: test.sh's verify --inputs
# fails and names the lookback that fixes it.
cp -r "$TMP/work/my_proc" "$TMP/running"
sed -i 's/sum(amount) FROM events WHERE/(SELECT sum(e.amount) FROM events e WHERE e.category = events.category AND e.day <= events.day) FROM events WHERE/' \
    "$TMP/running/my_proc.c"
out=$("$TMP/running/test.sh" 2>&1)
check "an undeclared window: test.sh exits 1" 1 "$?"
check_contains "an undeclared window: verify --inputs fails" "not ok - verify --inputs exits 0" "$out"
check_contains "an undeclared window: the fix is named" \
    "events: lookback_days = 0 is too narrow on 2 of 3 sampled dates (2024-01-02, 2024-01-03): the smallest that makes the builds equal is lookback_days = 2" "$out"
sed -i 's/.requirement = BF_REQUIRED}/.requirement = BF_REQUIRED, .lookback_days = 2}/' "$TMP/running/my_proc.c"
out=$("$TMP/running/test.sh" 2>&1)
check "the window declared: verify --inputs passes" 1 "$(grep -c '^ok - verify --inputs exits 0' <<<"$out")"

# The documented one-liner, and the source strict under both compilers.
for cc in gcc clang; do
    # shellcheck disable=SC2046
    $cc -std=c11 -Wall -Wextra -Wpedantic -Werror -shared -fPIC $(pkg-config --cflags backfill) \
        -o "$TMP/x_$cc.so" "$TMP/work/my_proc/my_proc.c" 2>"$TMP/log"
    check "scaffold source builds with $cc -Werror" "0 " "$? $(head -3 "$TMP/log")"
done

# Refused: a bad name, an existing directory; nothing is created.
expect_new() { # NAME RC MESSAGE ARGS...
    local name=$1 rc=$2 msg=$3
    shift 3
    out=$(backfill new "$@" 2>&1)
    check "new refuses $name: exit $rc" "$rc" "$?"
    check_contains "new refuses $name: says why" "$msg" "$out"
}
expect_new "an existing directory" 2 "backfill new: $TMP/work/my_proc: already exists" \
    my_proc --dir "$TMP/work"
expect_new "upper case" 2 "'My_proc' is not a processor name" My_proc --dir "$TMP/work"
expect_new "a dash" 2 "'my-proc' is not a processor name" my-proc --dir "$TMP/work"
expect_new "a leading digit" 2 "'1proc' is not a processor name" 1proc --dir "$TMP/work"
expect_new "no name" 2 "which name?" --dir "$TMP/work"
expect_new "an unknown option" 2 "unknown option '--force'" x --force
check "refusals created nothing" "my_proc" "$(ls "$TMP/work")"
check "backfill --help lists new" 1 "$(backfill --help | grep -c '^  new NAME')"
check "new --help" 0 "$(backfill new --help >/dev/null; echo $?)"

# ---- the search path ----------------------------------------------------------
# ~/procs holds my_proc and its own player_game_summary; the installed
# directory comes second: its player_game_summary is reported, not loaded.
export HOME=$TMP/home
mkdir -p "$HOME/procs" "$TMP/env"
cp "$TMP/work/my_proc/my_proc.so" "$HOME/procs/"
cp "$P/lib/backfill/plugins/player_game_summary.so" "$HOME/procs/"
sqlite3 "$TMP/store.db" "CREATE TABLE calendar (day TEXT); INSERT INTO calendar VALUES ('2024-01-01');
  CREATE TABLE events (day TEXT, category TEXT, amount INTEGER);
  INSERT INTO events VALUES ('2024-01-01', 'a', 1);"
path_config() {
    cat >"$TMP/backfill.conf" <<CONF
store = { driver = "sqlite"; path = "store.db"; };
calendar = { table = "calendar"; date_column = "day"; };
plugin_dir = [ "~/procs", "$P/lib/backfill/plugins" ];
$1
CONF
}
path_config ""
out=$(backfill list 2>"$TMP/err")
check "list over two directories exits 0" 0 "$?"
check "list shows all 11 processors" 11 "$(grep -cE '^[a-z_]+ +-> ' <<<"$out")"
check_contains "list: my_proc from ~/procs" "    from $HOME/procs/my_proc.so" "$out"
check_contains "list: the first player_game_summary wins" \
    "    from $HOME/procs/player_game_summary.so" "$out"
check_contains "list: the others from the second directory" \
    "    from $P/lib/backfill/plugins/ml_feature_store.so" "$out"
check "list: the duplicate reported, naming both files" \
    "backfill: warning: $P/lib/backfill/plugins/player_game_summary.so: processor 'player_game_summary' is already provided by $HOME/procs/player_game_summary.so, earlier in plugin_dir; not loaded" \
    "$(cat "$TMP/err")"

# BACKFILL_PLUGIN_PATH comes first: its my_proc shadows ~/procs'.
cp "$TMP/work/my_proc/my_proc.so" "$TMP/env/"
out=$(BACKFILL_PLUGIN_PATH="$TMP/env" backfill list 2>"$TMP/err")
check_contains "BACKFILL_PLUGIN_PATH first" "    from $TMP/env/my_proc.so" "$out"
check_contains "BACKFILL_PLUGIN_PATH: ~/procs' my_proc reported" \
    "$HOME/procs/my_proc.so: processor 'my_proc' is already provided by $TMP/env/my_proc.so" \
    "$(cat "$TMP/err")"
out=$(BACKFILL_PLUGIN_PATH="$TMP/env" backfill list -v my_proc 2>&1)
check_contains "list -v NAME loads the first match" "file: $TMP/env/my_proc.so" "$out"

# A config section is checked against the whole path; run finds a
# processor in a later directory.
rm "$HOME/procs/my_proc.so"
mkdir -p "$TMP/later"
cp "$TMP/work/my_proc/my_proc.so" "$TMP/later/"
path_config "processors = { my_proc = { }; };"
sed -i "s|plugin_dir = \[ |plugin_dir = [ \"$TMP/nowhere\", |; s|\" \];|\", \"$TMP/later\" ];|" \
    "$TMP/backfill.conf"
run_bf --no-progress run my_proc --dates 2024-01-01
check "run: a processor in the last directory, a missing one skipped" 0 "$RC"
check "run: its row published" "2024-01-01|a|1" "$(sqlite3 "$TMP/store.db" 'SELECT * FROM my_proc')"
path_config "processors = { nope = { }; };"
run_bf run player_game_summary --dates 2024-01-01
check "a section of no processor on the path: exit 2" 2 "$RC"
check_contains "a section of no processor on the path: names the path" \
    "processors.nope: no processor 'nope' in $HOME/procs:$P/lib/backfill/plugins" "$ERR"
path_config ""
run_bf run nope --dates 2024-01-01
check_contains "an unknown processor names the path" \
    "no processor 'nope' in plugin_dir $HOME/procs:$P/lib/backfill/plugins" "$ERR"

# ---- man pages ----------------------------------------------------------------
for m in man1/backfill.1 man5/backfill.conf.5 man7/backfill-plugin.7; do
    mandoc -T lint -W warning "$P/share/man/$m" >"$TMP/log" 2>&1
    check "mandoc -T lint $m" "0 " "$? $(grep -v 'mandoc.db' "$TMP/log")"
done
check_contains "backfill-plugin(7) holds the README example" "int validate_date(bf_ctx *ctx" \
    "$(mandoc -T utf8 "$P/share/man/man7/backfill-plugin.7" | col -b)"

# ---- bash completion ----------------------------------------------------------
path_config ""
complete_words() { # WORDS... (the last one is being completed)
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _backfill;
             printf "%s\n" "${COMPREPLY[@]}"' _ "$P/share/bash-completion/completions/backfill" "$@"
}
out=$(complete_words backfill run "")
check_contains "completion: run offers my processors" "player_game_summary" "$out"
check_contains "completion: run offers the installed ones" "ml_feature_store" "$out"
check "completion: run pl" "player_composite_factors player_daily_cache player_game_summary player_shot_zone_analysis" \
    "$(complete_words backfill -c "$TMP/backfill.conf" status pl | tr '\n' ' ' | sed 's/ $//')"
check_contains "completion: commands" "new" "$(complete_words backfill "")"
check_contains "completion: run options" "--workers" "$(complete_words backfill run ml_feature_store --w)"
check "completion: new options" "--dir" "$(complete_words backfill new x --d)"
check_contains "completion: list -v NAME" "player_game_summary" "$(complete_words backfill list -v pl)"

# ---- uninstall ----------------------------------------------------------------
make -s --no-print-directory -C "$ROOT" uninstall DESTDIR="$DEST" PREFIX=/usr/local >"$TMP/log" 2>&1
check "make uninstall exits 0" 0 "$?"
check "make uninstall removes every file" "" "$(find "$DEST" -type f)"
check "make uninstall removes its own directories" "" \
    "$(find "$P/lib/backfill" "$P/share/backfill" "$P/include/backfill" 2>/dev/null)"

# ---- the whole path of a new author: PREFIX=$HOME/.local, no PKG_CONFIG_PATH ----
unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR
L=$HOME/.local
make -s --no-print-directory -C "$ROOT" install PREFIX="$L" >"$TMP/log" 2>&1
check "make install PREFIX=~/.local exits 0" 0 "$?"
export PATH="$L/bin:$PATH"
cd "$HOME" || exit 1
backfill new my_proc >/dev/null && make -s -C my_proc >"$TMP/log" 2>&1 && out=$(my_proc/test.sh 2>&1)
check "~/.local: new, make, test.sh pass with pkg-config finding backfill.pc by PATH" "0 6" \
    "$? $(grep -c '^ok - ' <<<"${out:-}")"
out=$(backfill -c "$L/share/backfill/backfill.conf" list 2>&1)
check "the sample config lists the installed processors" 10 "$(grep -cE '^[a-z_]+ +-> ' <<<"$out")"
make -s --no-print-directory -C "$ROOT" uninstall PREFIX="$L" >"$TMP/log" 2>&1
check "~/.local: uninstall removes every file" "" "$(find "$L" -type f)"
