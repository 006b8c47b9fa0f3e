#!/usr/bin/env bash
# LoopSim against its peers' C, side by side on this machine: the supply-chain model against the kit's hand-written C
# (../shared/bench/c-reference), the sales-ecosystem model against SDEverywhere's generated C
# (../shared/bench/ecosystem/sde-c). Both are built in a temporary folder with their own Makefiles' flags (their code never
# enters this repository); then, each round, the C programs run, the BenchmarkDotNet benchmarks run, the C programs run
# again, and each ratio is printed with its target against the mean of the C's two medians.
# Usage: benchmarks/peers.sh [ROUNDS]   (default 1; LOOPSIM_BENCH overrides the kit's folder)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
bench="${LOOPSIM_BENCH:-$root/../shared/bench}"
rounds="${1:-1}"
for f in c-reference/supplychain.c c-reference/Makefile supplychain.xmile ecosystem/alliance-shanghai.xmile ecosystem/sde-c/Makefile; do
  [[ -f "$bench/$f" ]] || { echo "peers: $bench/$f is missing (the shared speed kit); set LOOPSIM_BENCH to its folder" >&2; exit 1; }
done
bench="$(cd "$bench" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "building the hand-written supply-chain C and SDEverywhere's ecosystem C (their Makefiles' flags) in a temporary folder"
mkdir "$work/supplychain" "$work/sde"
cp "$bench/c-reference/supplychain.c" "$bench/c-reference/Makefile" "$work/supplychain/"
cp "$bench"/ecosystem/sde-c/* "$work/sde/"
make -s -C "$work/supplychain" supplychain
make -s -C "$work/sde" model 2>/dev/null
echo "building the benchmarks"
dotnet build "$here/LoopSim.Benchmarks" -c Release --nologo -v q >/dev/null
dll="$here/LoopSim.Benchmarks/bin/Release/net10.0/LoopSim.Benchmarks.dll"

# Median ns per run: the hand C's own benchmark (5 × 5,000 runs, inputs changed), SDEverywhere's driver (3,000 runs).
hand_c() { "$work/supplychain/supplychain" --bench 5000 5 | sed -n 's/^per run: median \([0-9]*\) ns.*/\1/p'; }
sde_c() { "$work/sde/model" bench 3000 | sed -n 's/^runs [0-9]* median \([0-9.]*\) us.*/\1/p' | awk '{ print $1 * 1000 }'; }

echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; $(dotnet --version) SDK; gcc $(gcc -dumpversion)"
for round in $(seq 1 "$rounds"); do
  load_before="$(cut -d' ' -f1 /proc/loadavg)"
  hand_before="$(hand_c)"; sde_before="$(sde_c)"
  LOOPSIM_BENCH="$bench" dotnet "$dll" --filter '*SupplyChainBenchmarks.OneRun*' '*SupplyChainBenchmarks.BatchOfEight*' \
    '*MonteCarloBenchmarks*' '*EcosystemBenchmarks*' --job short --exporters json --artifacts "$work/round$round" > "$work/round$round.log" \
    || { cat "$work/round$round.log" >&2; exit 1; }
  hand_after="$(hand_c)"; sde_after="$(sde_c)"
  load_after="$(cut -d' ' -f1 /proc/loadavg)"
  python3 - "$work/round$round/results" "$round" "$load_before" "$load_after" "$hand_before" "$hand_after" "$sde_before" "$sde_after" <<'PY'
import glob, json, sys
results, round_, load_before, load_after = sys.argv[1:5]
hand_before, hand_after, sde_before, sde_after = map(float, sys.argv[5:9])
ns = {}
for path in glob.glob(results + "/*-report-full-compressed.json"):
    for b in json.load(open(path))["Benchmarks"]:
        ns[(b["Type"], b["Method"], b["Parameters"])] = b["Statistics"]["Mean"]
hand, sde = (hand_before + hand_after) / 2, (sde_before + sde_after) / 2
one, batch = ns[("SupplyChainBenchmarks", "OneRun", "")], ns[("SupplyChainBenchmarks", "BatchOfEight", "")]
mc1, mc2 = ns[("MonteCarloBenchmarks", "MonteCarlo", "Threads=1")], ns[("MonteCarloBenchmarks", "MonteCarlo", "Threads=2")]
eco_one, eco_batch = ns[("EcosystemBenchmarks", "OneRun", "")], ns[("EcosystemBenchmarks", "BatchOfEight", "")]
print(f"\nround {round_} (load average {load_before} before, {load_after} after)")
row = "  {:<50} {:>9}   {:<30} {}"
print(f" supply chain against the hand-written C: {hand / 1000:.1f} µs a run ({hand_before / 1000:.1f} before, {hand_after / 1000:.1f} after)")
print(row.format("one run (3 inputs changed, 5 outputs)", f"{one / 1000:.1f} µs", f"{one / hand:.2f} × the C's time", "target ≤ 1.05"))
print(row.format("batch of 8 runs, per run", f"{batch / 1000:.1f} µs", f"{hand / batch:.2f} × the C's runs/s", "target ≥ 3"))
print(row.format("Monte Carlo 10,000 runs, 1 thread, per run", f"{mc1 / 1000:.1f} µs", f"{hand / mc1:.2f} × the C's runs/s", "target ≥ 3"))
print(row.format("Monte Carlo 10,000 runs, 2 threads, per run", f"{mc2 / 1000:.1f} µs", f"{mc1 / mc2:.2f} × 1 thread", "target ≥ 1.8"))
print(f" ecosystem against SDEverywhere's C: {sde / 1000:.1f} µs a run ({sde_before / 1000:.1f} before, {sde_after / 1000:.1f} after)")
print(row.format("one run (every output weekly)", f"{eco_one / 1000:.1f} µs", f"{eco_one / sde:.2f} × the C's time", "target ≤ 0.8"))
print(row.format("batch of 8 varied runs, per run", f"{eco_batch / 1000:.1f} µs", f"{sde / eco_batch:.2f} × the C's runs/s", "target ≥ 4"))
PY
done
