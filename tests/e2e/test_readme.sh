#!/usr/bin/env bash
# The README's example processor compiles with the README's own command and
# does what the README says: a date missing a team's rows is not published.
# Its contents and links lead to headings that exist, and its glossary names
# every state the judge gives a date.
. "$(dirname "$0")/lib.sh"
plan 10
README="$ROOT/README.md"

# The headings outside code blocks, as GitHub makes their anchors.
anchors=$(awk '/^```/ { code = !code; next } !code && /^##+ / { sub(/^##+ /, ""); print }' "$README" |
    tr 'A-Z' 'a-z' | sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g')
links=$(grep -o '](#[^)]*)' "$README" | sed -e 's/^](#//' -e 's/)$//' | sort -u)
check "README: every #link leads to a heading" "" "$(comm -23 <(echo "$links") <(sort -u <<<"$anchors") | tr '\n' ' ')"
toc=$(awk '/^## Contents/ { on = 1; next } on && /^## / { exit } on' "$README")
sections=$(awk '/^```/ { code = !code; next } !code && /^## / { sub(/^## /, ""); print }' "$README" |
    tr 'A-Z' 'a-z' | sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g' | grep -vx contents)
check "README: the contents list every section" "" \
    "$(for a in $sections; do grep -q "(#$a)" <<<"$toc" || printf '%s ' "$a"; done)"
# The judge's state names, from the table it prints them with.
states=$(sed -n '/state_names\[STATE_COUNT\] = {/,/};/p' "$ROOT"/core/state/record.c | grep -o '"[a-z-]*"' | tr -d '"')
glossary=$(awk '/^## Date states/ { on = 1; next } on && /^## / { exit } on' "$README")
check "README: the glossary names every state the judge gives ($(wc -w <<<"$states"))" "" \
    "$(for st in $states; do grep -qE "^\| [^|]+ \| \*{1,2}$st\*{1,2} \|" <<<"$glossary" || printf '%s ' "$st"; done)"
awk '/^## Write a processor/ { on = 1 } on && /^```c$/ { grab = 1; next } grab && /^```$/ { exit } grab' \
    "$README" >"$TMP/team_points.c"
cc_line=$(grep -m1 '^cc .*team_points.so team_points.c$' "$README")
check "README: example found" 1 "$([ -s "$TMP/team_points.c" ] && [ -n "$cc_line" ] && echo 1)"
check "README: example is about 40-70 lines" 1 "$(n=$(wc -l <"$TMP/team_points.c"); [ "$n" -ge 35 ] && [ "$n" -le 70 ] && echo 1)"
# As installed: pkg-config finds the header, the plugin goes to ~/my-processors.
mkdir -p "$TMP/my-processors" "$TMP/pkgconfig"
printf 'Name: backfill\nDescription: SDK\nVersion: 0\nCflags: -I%s/include\n' "$ROOT" \
    >"$TMP/pkgconfig/backfill.pc"
(cd "$TMP" && HOME=$TMP PKG_CONFIG_PATH=$TMP/pkgconfig bash -c "$cc_line -Werror -Wextra") \
    2>"$TMP/cc.err"
check "README: example compiles as shown, warning-free" "0 " "$? $(cat "$TMP/cc.err")"

write_config "$TMP/my-processors" </dev/null
sqlite3 "$DB" "
  CREATE TABLE schedule (game_id TEXT, game_date TEXT, home_team TEXT, away_team TEXT);
  CREATE TABLE player_boxscores (game_date TEXT, team TEXT, player_id TEXT, points INTEGER);
  INSERT INTO schedule VALUES ('g1', '2024-01-10', 'BOS', 'NYK'), ('g2', '2024-01-10', 'LAL', 'GSW'),
                              ('g3', '2024-01-11', 'MIA', 'CHI');
  INSERT INTO player_boxscores VALUES
    ('2024-01-10', 'BOS', 'p1', 30), ('2024-01-10', 'BOS', 'p2', 12), ('2024-01-10', 'NYK', 'p3', 25),
    ('2024-01-10', 'LAL', 'p4', 40), ('2024-01-10', 'GSW', 'p5', 33),
    ('2024-01-11', 'MIA', 'p6', 21);"
run_bf run team_points --dates 2024-01-10,2024-01-11 --keep-going --retries 0
check "README example: exit 1 (one date incomplete)" 1 "$RC"
check "README example: complete date published" "BOS 42,GSW 33,LAL 40,NYK 25" \
    "$(sql "SELECT group_concat(team || ' ' || points) FROM (SELECT * FROM team_points WHERE game_date = '2024-01-10' ORDER BY team)")"
check_contains "README example: a missing team is caught" "2024-01-11 partial      incomplete: 1 of 2 expected rows" "$OUT"
check "README example: incomplete date not published" 0 "$(sql "SELECT count(*) FROM team_points WHERE game_date = '2024-01-11'")"
