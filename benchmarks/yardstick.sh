#!/usr/bin/env bash
# The speed yardstick of issue 6: LoopSim against the hand-written C of ../shared/bench on the supply-chain
# model, measured side by side (C, then the BenchmarkDotNet benchmarks, then C again), printing the ratios for
# each target. The C is built from ../shared/bench/c-reference in a temporary folder (its code never enters
# this repository). Usage: benchmarks/yardstick.sh [ROUNDS]   (default 2; LOOPSIM_BENCH overrides the kit's folder)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
bench="${LOOPSIM_BENCH:-$root/../shared/bench}"
rounds="${1:-2}"
if [[ ! -f "$bench/c-reference/supplychain.c" || ! -f "$bench/supplychain.xmile" ]]; then
  echo "yardstick: no supply-chain kit at $bench (expected c-reference/supplychain.c and supplychain.xmile); set LOOPSIM_BENCH" >&2
  exit 1
fi
bench="$(cd "$bench" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "building the C yardstick (its Makefile: gcc -O2 -march=native) in a temporary folder"
cp "$bench/c-reference/supplychain.c" "$bench/c-reference/Makefile" "$work/"
make -s -C "$work" supplychain
echo "building the benchmarks"
dotnet build "$here/LoopSim.Benchmarks" -c Release --nologo -v q >/dev/null
dll="$here/LoopSim.Benchmarks/bin/Release/net10.0/LoopSim.Benchmarks.dll"

# Median ns per run of the C's own benchmark: 5 repetitions of 5,000 runs, inputs changed between runs.
c_per_run() { "$work/supplychain" --bench 5000 5 | sed -n 's/^per run: median \([0-9]*\) ns.*/\1/p'; }

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; $(dotnet --version) SDK"
for round in $(seq 1 "$rounds"); do
  load_before="$(cut -d' ' -f1 /proc/loadavg)"
  c_before="$(c_per_run)"
  # A short job (3 warm-ups, 3 measurements) in its own process, so the memory diagnoser sees only the benchmark.
  LOOPSIM_BENCH="$bench" dotnet "$dll" --filter '*SupplyChainBenchmarks*' '*MonteCarloBenchmarks*' \
    --job short --exporters json --artifacts "$work/round$round" > "$work/round$round.log" \
    || { cat "$work/round$round.log" >&2; exit 1; }
  c_after="$(c_per_run)"
  load_after="$(cut -d' ' -f1 /proc/loadavg)"
  python3 - "$work/round$round/results" "$c_before" "$c_after" "$load_before" "$load_after" "$round" <<'PY'
import glob, json, sys
results, c_before, c_after, load_before, load_after, round_ = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), *sys.argv[4:]
runs = {}
for path in glob.glob(results + "/*-report-full-compressed.json"):
    for b in json.load(open(path))["Benchmarks"]:
        runs[(b["Method"], b["Parameters"])] = (b["Statistics"]["Mean"], b["Memory"]["BytesAllocatedPerOperation"])
def ns(method, parameters=""): return runs[(method, parameters)][0]
def allocated(method): return runs[(method, "")][1]
c = (c_before + c_after) / 2
one, batch, mc1, mc2 = ns("OneRun"), ns("BatchOfEight"), ns("MonteCarlo", "Threads=1"), ns("MonteCarlo", "Threads=2")
print(f"\nround {round_} (load average {load_before} before, {load_after} after): the C {c / 1000:.1f} µs per run "
      f"({c_before / 1000:.1f} before, {c_after / 1000:.1f} after the benchmarks)")
row = "  {:<46} {:>10}   {:<34} {}"
print(row.format("1. one run (inputs changed, 5 outputs)", f"{one / 1000:.1f} µs", f"{one / c:.2f} × the C's time", "target ≤ 1.2"))
print(row.format("2. batch of 8 runs, per run", f"{batch / 1000:.1f} µs", f"{c / batch:.2f} × the C's runs/s", "target ≥ 3"))
print(row.format("   Monte Carlo 10,000 runs, 1 thread, per run", f"{mc1 / 1000:.1f} µs", f"{c / mc1:.2f} × the C's runs/s", "target ≥ 3"))
print(row.format("3. Monte Carlo 10,000 runs, 2 threads, per run", f"{mc2 / 1000:.1f} µs", f"{mc1 / mc2:.2f} × 1 thread", "target ≥ 1.8"))
print(row.format("4. allocated by one run / one batch", f"{allocated('OneRun'):.0f} B / {allocated('BatchOfEight') * 8:.0f} B", "", "target 0"))
print(row.format("5. load and compile the model, first run", f"{ns('LoadAndCompile') / 1e6:.1f} ms", f"with the batch code {ns('LoadAndCompileWithBatch') / 1e6:.1f} ms", "target well under 100 ms"))
PY
done
