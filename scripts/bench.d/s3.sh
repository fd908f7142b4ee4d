# shellcheck shell=bash
# bench s3: 1 GiB up and down, dr s3 cp vs aws s3 cp, same RGW, alternating runs. dr uploads
# twice: as it does by default (content_md5: auto, which on a custom endpoint probes the
# server and, as RGW refuses a body that differs from its signed SHA-256, sends no
# Content-MD5) and with content_md5: always (MD5 on every part), through a policy naming
# the same RGW. And the floor: one curl PUT of the same file, unsigned payload, which
# spends almost no client CPU.
size_mib=${BENCH_SIZE_MIB:-1024}
runs=${BENCH_RUNS:-3}
echo "bench s3: ${size_mib} MiB of random data, $runs runs each, median" >&2
head -c "$((size_mib * 1048576))" /dev/urandom >"$BENCH_WORK/object"
"$DR" s3 mb s3://dr-bench >/dev/null
cat >"$BENCH_WORK/s3-md5.yaml" <<POLICY
name: bench-s3
database: {url: "postgresql://u@127.0.0.1:1/db"}
storage: {url: "s3://dr-bench/p/", endpoint: "$AWS_ENDPOINT_URL", region: us-east-1, content_md5: always}
POLICY
for ((run = 1; run <= runs; run++)); do
  measure dr-up "$DR" s3 cp "$BENCH_WORK/object" s3://dr-bench/dr-object
  measure dr-up-md5 "$DR" s3 cp --policy "$BENCH_WORK/s3-md5.yaml" "$BENCH_WORK/object" s3://dr-bench/dr-object2
  measure aws-up aws s3 cp --quiet "$BENCH_WORK/object" s3://dr-bench/aws-object
  # The floor: one PUT by curl, payload unsigned, no checksum: about the least CPU a client
  # can spend, so what is left is RGW's own time on the same two cores.
  measure floor-up curl -sS -f --aws-sigv4 "aws:amz:us-east-1:s3" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -T "$BENCH_WORK/object" "$AWS_ENDPOINT_URL/dr-bench/floor-object"
  measure dr-down "$DR" s3 cp s3://dr-bench/aws-object "$BENCH_WORK/dr-copy"
  measure aws-down aws s3 cp --quiet s3://dr-bench/dr-object "$BENCH_WORK/aws-copy"
  cmp -s "$BENCH_WORK/object" "$BENCH_WORK/dr-copy" || { echo "bench s3: dr's download differs" >&2; exit 1; }
  cmp -s "$BENCH_WORK/object" "$BENCH_WORK/aws-copy" || { echo "bench s3: aws's download differs" >&2; exit 1; }
  rm -f "$BENCH_WORK/dr-copy" "$BENCH_WORK/aws-copy"
  "$DR" s3 rm s3://dr-bench/dr-object >/dev/null
  "$DR" s3 rm s3://dr-bench/dr-object2 >/dev/null
  "$DR" s3 rm s3://dr-bench/aws-object >/dev/null
  "$DR" s3 rm s3://dr-bench/floor-object >/dev/null
  rgw_gc
done
printf '\n%-14s %7s %7s %7s %12s %9s %9s %16s\n' "s3 ${size_mib}MiB" "dr s" "aws s" "aws/dr" "dr peak RSS" \
  "dr CPU s" "aws CPU s" "RGW+OSD CPU s"
for op in up up-md5 down; do
  aws=aws-${op%-md5} label=${op}load
  [[ $op == up-md5 ]] && label="upload MD5"
  printf '%-14s %7s %7s %6sx %8s MiB %9s %9s %7s / %-7s\n' "$label" "$(median "dr-$op" 2)" \
    "$(median "$aws" 2)" "$(ratio "$(median "$aws" 2)" "$(median "dr-$op" 2)")" \
    "$(mib "$(median "dr-$op" 3)")" "$(median "dr-$op" 4)" "$(median "$aws" 4)" \
    "$(median "dr-$op" 5)" "$(median "$aws" 5)"
done
printf '%-14s %7s %7s %6sx %12s %9s %9s %7s / %-7s\n' "upload floor" "$(median floor-up 2)" "$(median aws-up 2)" \
  "$(ratio "$(median aws-up 2)" "$(median floor-up 2)")" "" "$(median floor-up 4)" "$(median aws-up 4)" \
  "$(median floor-up 5)" "$(median aws-up 5)"
echo "(upload floor: curl -T, one PUT, UNSIGNED-PAYLOAD, no checksum, in dr's columns: the most any client"
echo " could gain on the CLI here, since RGW's own CPU on the same 2 cores remains)"
echo "(medians of $runs runs; aws peak RSS: up $(mib "$(median aws-up 3)") MiB, down $(mib "$(median aws-down 3)") MiB;"
echo " dr: 4 parts of 8 MiB in flight; up: content_md5 auto (the default: the probe finds RGW checks the"
echo " signed SHA-256, so no Content-MD5); up MD5: content_md5 always, Content-MD5 on every part;"
echo " RGW+OSD CPU: the storage side, same 2 cores, during dr / aws)"
