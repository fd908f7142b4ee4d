# shellcheck shell=bash
# bench rate: storage.max_rate as measured. dr s3 cp up and down of BENCH_RATE_MIB (default
# 64) MiB through a policy capped at BENCH_RATE_CAP_MIB MiB/s (default 16), 4 parts in
# flight, against the same transfer uncapped; the rate is size / wall time.
size_mib=${BENCH_RATE_MIB:-64}
cap_mib=${BENCH_RATE_CAP_MIB:-16}
echo "bench rate: ${size_mib} MiB, storage.max_rate ${cap_mib}MiB/s vs none" >&2
head -c "$((size_mib * 1048576))" /dev/urandom >"$BENCH_WORK/rate-object"
for variant in capped uncapped; do
  {
    echo "name: bench-rate"
    echo 'database: {url: "postgresql://u@127.0.0.1:1/db"}'
    echo "storage:"
    echo "  url: s3://dr-bench-rate/p/"
    echo "  endpoint: $AWS_ENDPOINT_URL"
    echo "  region: us-east-1"
    [[ $variant == capped ]] && echo "  max_rate: ${cap_mib}MiB/s"
  } >"$BENCH_WORK/rate-$variant.yaml"
done
"$DR" s3 mb s3://dr-bench-rate >/dev/null
for variant in capped uncapped; do
  policy="$BENCH_WORK/rate-$variant.yaml"
  measure "rate-$variant-up" "$DR" s3 cp --policy "$policy" "$BENCH_WORK/rate-object" s3://dr-bench-rate/object
  measure "rate-$variant-down" "$DR" s3 cp --policy "$policy" s3://dr-bench-rate/object "$BENCH_WORK/rate-copy"
  cmp -s "$BENCH_WORK/rate-object" "$BENCH_WORK/rate-copy" || { echo "bench rate: the download differs" >&2; exit 1; }
  rm -f "$BENCH_WORK/rate-copy"
  "$DR" s3 rm s3://dr-bench-rate/object >/dev/null
done
rgw_gc
printf '\n%-22s %8s %10s\n' "rate ${size_mib}MiB" "wall s" "MiB/s"
for name in rate-capped-up rate-capped-down rate-uncapped-up rate-uncapped-down; do
  wall=$(median "$name" 2)
  printf '%-22s %8s %10s\n' "$name" "$wall" "$(awk -v s="$size_mib" -v w="$wall" 'BEGIN { printf "%.1f", s / w }')"
done
echo "(cap ${cap_mib} MiB/s for all transfers together: libcurl caps each of the 2 transfers admitted at once"
echo " at half, and a token bucket shared by them holds the total (libcurl alone lets short parts burst);"
echo " the wall time includes dr's start and the bucket's HEAD/LIST, so the rate shown is a little under the cap)"
