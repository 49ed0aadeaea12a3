# floor.awk - the floor baseline's script for one processor: its prepare
# statements, then one transaction holding, per date, DELETE of the date and
# the processor's own per-date statements (plugin_sql output) with ?1 written
# as the date literal. Input: the plugin_sql lines, then (after a line
# "dates") one date per line.
BEGIN { FS = "\t" }
$1 == "output" { del = "DELETE FROM " $2 " WHERE " $3 " = ?1;\n"; next }
$1 == "prepare" { print $2 ";"; next }
$1 == "process" || $1 == "validate" { per_date = per_date $2 ";\n"; next }
$1 == "dates" { print "BEGIN;"; dates = 1; next }
dates {
    s = del per_date
    gsub(/\?1/, "'" $1 "'", s)
    printf "%s", s
}
END { if (dates) print "COMMIT;" }
