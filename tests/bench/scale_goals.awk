# scale_goals.awk - the growth exponents and goals of tests/bench/scale.sh
# from its figures file, one line each: SIZE PROCS DATES NAME WALL CPU RSS_KB
# (a _kb figure holds its size in the RSS column). An exponent is the least
# squares slope of log(figure) over log(processors x dates); figures under
# 0.2 s (or 1 MB) at the largest size are start-up, not growth, and only
# printed.
function verdict(ok) { return ok ? "PASS" : "MISS" }
function slope(name, col,    i, n, sx, sy, sxx, sxy, x, y) {
    n = 0
    for (i = 1; i <= nrow; i++) {
        if (nm[i] != name || val[i, col] <= 0) continue
        x = log(work[i]); y = log(val[i, col])
        n++; sx += x; sy += y; sxx += x * x; sxy += x * y
    }
    if (n < 2 || n * sxx - sx * sx == 0) return ""
    return (n * sxy - sx * sy) / (n * sxx - sx * sx)
}
{
    nrow++
    nm[nrow] = $4; work[nrow] = $2 * $3
    val[nrow, 1] = $5; val[nrow, 2] = $6; val[nrow, 3] = $7
    if ($2 * $3 >= maxwork) { maxwork = $2 * $3; procs = $2; dates = $3 }
    if (!($4 in seen)) { seen[$4] = 1; order[++nnames] = $4 }
}
END {
    for (i = 1; i <= nrow; i++)
        if (work[i] == maxwork) { top[nm[i], 1] = val[i, 1]; top[nm[i], 2] = val[i, 2]; top[nm[i], 3] = val[i, 3] }
    printf "growth exponents in processors x dates (wall, CPU, peak RSS or size):\n"
    worst = 0; worst_name = ""
    for (k = 1; k <= nnames; k++) {
        name = order[k]
        line = sprintf("  %-21s", name)
        for (col = 1; col <= 3; col++) {
            if (name ~ /_kb$/ && col < 3) continue
            e = slope(name, col)
            big = (name ~ /_kb$/ || col == 3) ? top[name, col] >= 1024 : top[name, col] >= 0.2
            if (col == 3 && name !~ /_kb$/) big = 0 # peak RSS: a floor of libraries, judged by the 1 GiB goal
            line = line sprintf(" %s %s%s", (col == 1 ? "wall" : col == 2 ? "cpu" : name ~ /_kb$/ ? "size" : "rss"),
                                e == "" ? "-" : sprintf("%.2f", e), big ? "" : "*")
            if (big && e != "" && e > worst) { worst = e; worst_name = name (col == 1 ? " wall" : col == 2 ? " cpu" : "") }
        }
        print line
    }
    printf "  (* under 0.2 s or 1 MB at full size, or peak RSS: not judged)\n\n"
    printf "goals at %d processors x %d dates:\n", procs, dates
    split("list_graph gaps_json gaps_html status verify_outputs", ro, " ")
    for (k = 1; k <= 5; k++) {
        n = ro[k]
        printf "  %-40s %s (%.2f s, %.0f MB)\n", n " <= 5 s and <= 1 GiB",
               verdict(top[n, 1] <= 5 && top[n, 3] <= 1048576), top[n, 1], top[n, 3] / 1024
    }
    split("pipeline_dry_run pipeline_dry_run_full", dry, " ")
    for (k = 1; k <= 2; k++)
        printf "  %-40s %s (%.2f s, %.0f MB)\n", dry[k] " <= 10 s",
               verdict(top[dry[k], 1] <= 10), top[dry[k], 1], top[dry[k], 3] / 1024
    per = (top["pipeline", 1] - top["pipeline_dry_run", 1]) * 1000 / maxwork
    per_cpu = (top["pipeline", 2] - top["pipeline_dry_run", 2]) * 1000 / maxwork
    printf "  %-40s %s (%.4f ms wall, %.4f ms CPU: pipeline %.1f s minus dry run)\n",
           "overhead per processor-date <= 0.1 ms", verdict(per <= 0.1), per, per_cpu, top["pipeline", 1]
    printf "  %-40s %s (largest %.2f: %s)\n", "every exponent <= 1.1", verdict(worst <= 1.1), worst, worst_name
}
