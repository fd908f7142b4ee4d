# shellcheck shell=bash
# bench copies: the cost of a second destination written in the backup's own pass
# (storage.copies), as the ratio of `dr backup` with one copy to `dr backup` alone, same
# database, same RGW, runs interleaved. The extra work is one more upload, not another
# dump or compression. Prints wall times, the ratio and dr's peak RSS.
runs=${BENCH_BACKUP_RUNS:-1}
"$DR" s3 mb s3://dr-bench-backup >/dev/null
"$DR" s3 mb s3://dr-bench-copy >/dev/null

bench_copies() { # NAME
  local name=$1 one two
  one=$(policy "$name")
  two="$BENCH_WORK/$name-copy.yaml"
  sed "s#^storage: {\(.*\)}#storage: {\1, copies: [{url: \"s3://dr-bench-copy/\", endpoint: \"$AWS_ENDPOINT_URL\", region: us-east-1}]}#" \
    "$one" >"$two"
  grep -q copies "$two" || { echo "bench: could not add the copy to $two" >&2; exit 1; }
  for ((run = 1; run <= runs; run++)); do
    measure "$name-one" "$DR" backup --policy "$one"
    measure "$name-two" "$DR" backup --policy "$two"
    "$DR" s3 rm --recursive s3://dr-bench-backup/ >/dev/null
    "$DR" s3 rm --recursive s3://dr-bench-copy/ >/dev/null
    rgw_gc
  done
}

make_db bench_s50 50 0
make_db bench_text 10 3000000
for db in bench_s50 bench_text; do bench_copies "$db"; done

printf '\n%-11s %10s %12s %10s %14s\n' "backup" "one s" "two s" "two/one" "two peak RSS"
for db in bench_s50 bench_text; do
  one=$(median "$db-one" 2) two=$(median "$db-two" 2)
  printf '%-11s %10s %12s %9sx %10s MiB\n' "$db" "$one" "$two" "$(ratio "$two" "$one")" "$(mib "$(median "$db-two" 3)")"
done
echo "(goal: two/one <= 1.1x; both destinations on the same local RGW, which shares the 2 cores; medians of $runs run(s))"
