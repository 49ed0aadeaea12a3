# Shared by the benchmarks: source it after setting nothing.
#   seconds COMMAND...   wall time of one run of COMMAND, in seconds; a
#                        failing command stops the benchmark
#   median               the median of the numbers on stdin
seconds() {
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "benchmark command failed: $*" >&2; exit 1; }
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR) print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
