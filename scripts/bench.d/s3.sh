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
up_dr=$(median dr-up 2) up_aws=$(median aws-up 2) down_dr=$(median dr-down 2) down_aws=$(median aws-down 2)
printf '\n%-10s %10s %10s %14s %14s\n' "s3 ${size_mib}MiB" "dr (s)" "aws (s)" "aws/dr" "dr peak RSS"
printf '%-10s %10s %10s %13sx %11s MiB\n' upload "$up_dr" "$up_aws" "$(ratio "$up_aws" "$up_dr")" "$(mib "$(median dr-up 3)")"
printf '%-10s %10s %10s %13sx %11s MiB\n' download "$down_dr" "$down_aws" "$(ratio "$down_aws" "$down_dr")" "$(mib "$(median dr-down 3)")"
printf '(aws peak RSS: up %s MiB, down %s MiB; dr: 4 parts of 8 MiB in flight)\n' \
  "$(mib "$(median aws-up 3)")" "$(mib "$(median aws-down 3)")"
