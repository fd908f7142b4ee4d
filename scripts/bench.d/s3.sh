# shellcheck shell=bash
# bench s3: 1 GiB up and down, dr s3 cp vs aws s3 cp, same RGW, alternating runs.
size_mib=${BENCH_SIZE_MIB:-1024}
runs=${BENCH_RUNS:-3}
echo "bench s3: ${size_mib} MiB of random data, $runs runs each, median" >&2
head -c "$((size_mib * 1048576))" /dev/urandom >"$BENCH_WORK/object"
"$DR" s3 mb s3://dr-bench >/dev/null
for ((run = 1; run <= runs; run++)); do
  measure dr-up "$DR" s3 cp "$BENCH_WORK/object" s3://dr-bench/dr-object
  measure aws-up aws s3 cp --quiet "$BENCH_WORK/object" s3://dr-bench/aws-object
  measure dr-down "$DR" s3 cp s3://dr-bench/aws-object "$BENCH_WORK/dr-copy"
  measure aws-down aws s3 cp --quiet s3://dr-bench/dr-object "$BENCH_WORK/aws-copy"
  cmp -s "$BENCH_WORK/object" "$BENCH_WORK/dr-copy" || { echo "bench s3: dr's download differs" >&2; exit 1; }
  cmp -s "$BENCH_WORK/object" "$BENCH_WORK/aws-copy" || { echo "bench s3: aws's download differs" >&2; exit 1; }
  rm -f "$BENCH_WORK/dr-copy" "$BENCH_WORK/aws-copy"
  "$DR" s3 rm s3://dr-bench/dr-object >/dev/null
  "$DR" s3 rm s3://dr-bench/aws-object >/dev/null
  rgw_gc
done
printf '\n%-10s %7s %7s %7s %12s %9s %9s %16s\n' "s3 ${size_mib}MiB" "dr s" "aws s" "aws/dr" "dr peak RSS" \
  "dr CPU s" "aws CPU s" "RGW+OSD CPU s"
for op in up down; do
  printf '%-10s %7s %7s %6sx %8s MiB %9s %9s %7s / %-7s\n' "${op}load" "$(median "dr-$op" 2)" \
    "$(median "aws-$op" 2)" "$(ratio "$(median "aws-$op" 2)" "$(median "dr-$op" 2)")" \
    "$(mib "$(median "dr-$op" 3)")" "$(median "dr-$op" 4)" "$(median "aws-$op" 4)" \
    "$(median "dr-$op" 5)" "$(median "aws-$op" 5)"
done
echo "(medians of $runs runs; aws peak RSS: up $(mib "$(median aws-up 3)") MiB, down $(mib "$(median aws-down 3)") MiB;"
echo " dr: 4 parts of 8 MiB in flight; RGW+OSD CPU: the storage side, same 2 cores, during dr / aws)"
