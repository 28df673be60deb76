#!/usr/bin/env bash
# Regenerates the seed corpora in fuzz/corpus/ from the scenarios and tests in the repository.
#   fuzz/seed.sh
# fuzz_scenario: every example, calibrated chips variant, validation scenario and bad-input case
# up to 8 KB, with `extends` renamed to the copies fuzz_scenario can read (fuzz/CMakeLists.txt:
# base.yaml, tier-base.yaml, baseline.yaml). fuzz_set: the --set overrides used by the tests,
# one seed per command line (one override per line), and overrides that reach every part of
# the fixed scenario in fuzz/fuzz_set.cpp.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/corpus
rm -rf "$out/fuzz_scenario" "$out/fuzz_set"
mkdir -p "$out/fuzz_scenario" "$out/fuzz_set"

add_scenario() {  # add_scenario FILE NAME [BASE]
  local file=$1 name=$2 base=${3:-}
  [ "$(stat -c %s "$file")" -le 8192 ] || return 0
  if [ -n "$base" ]; then
    sed -E "s/^extends: .*/extends: $base/" "$file" >"$out/fuzz_scenario/$name.yaml"
  else
    cp "$file" "$out/fuzz_scenario/$name.yaml"
  fi
}
for f in scenarios/examples/*.yaml scenarios/validation/*.yaml; do
  add_scenario "$f" "$(basename "$f" .yaml)"
done
for f in scenarios/examples/policies/*.yaml; do add_scenario "$f" "policies-$(basename "$f" .yaml)" base.yaml; done
for f in scenarios/examples/multi-tier/*.yaml; do add_scenario "$f" "tier-$(basename "$f" .yaml)" tier-base.yaml; done
for f in scenarios/examples/markets/*.yaml; do add_scenario "$f" "markets-$(basename "$f" .yaml)"; done
for f in scenarios/chips/*.yaml; do add_scenario "$f" "chips-$(basename "$f" .yaml)" baseline.yaml; done
# Generated worlds (tradesim generate), small enough for the 8 KB cap: a tradesim binary from
# any build folder, skipped when none is built.
gen=$(ls build/{release,ci,dev}/sim/cli/tradesim 2>/dev/null | head -n 1 || true)
if [ -n "$gen" ]; then
  for seed in 1 2 3; do
    "$gen" generate --countries 6 --suppliers 2 --products 2 --buyers 4 --hubs 1 --ticks 12 \
      --seed "$seed" -o "$out/fuzz_scenario/generated-$seed.yaml" --force
    [ "$(stat -c %s "$out/fuzz_scenario/generated-$seed.yaml")" -le 8192 ] ||
      rm "$out/fuzz_scenario/generated-$seed.yaml"
  done
fi
for d in tests/bad_input/*/; do
  [ -f "$d/scenario.yaml" ] && add_scenario "$d/scenario.yaml" "bad-$(basename "$d")"
done

# --set seeds from the bad-input command lines (args files), one file per command line.
for a in tests/bad_input/*/args; do
  [ -f "$a" ] || continue
  python3 - "$a" "$out/fuzz_set/bad-$(basename "$(dirname "$a")")" <<'PY'
import shlex, sys
words = shlex.split(open(sys.argv[1]).read())
sets = [words[i + 1] for i, w in enumerate(words[:-1]) if w == "--set"]
sets += [w[len("--set="):] for w in words if w.startswith("--set=")]
if sets:
    open(sys.argv[2], "w").write("\n".join(sets))
PY
done
n=0
while IFS= read -r line; do
  n=$((n + 1))
  printf '%b' "$line" >"$out/fuzz_set/set-$n"
done <<'SEEDS'
time.ticks=24
time.start=2025-03\ntime.step=quarter
seed=123
name=a b
countries.CHN.groups=[D5, tier2]
countries.MYS.name=Malaysia
products.GPU.tpp=4000\nproducts.GPU.density=3.2
products.HBM2E.kind=chip
suppliers.nvidia.offers.GPU.price=27000
suppliers.nvidia.offers.GPU.capacity=.inf
suppliers.huawei.offers.Ascend910B.inputs.HBM2E=2
suppliers.smic.equipment.installed=3\nsuppliers.smic.equipment.lag=0
suppliers.huawei.purchases.HBM2E.stock_target=4
suppliers.smic.purchases.DUV={demand: 1}
buyers.cn-lab.remote.via=[MYS, SGP]\nbuyers.cn-lab.remote.capacity=10
buyers.us-cloud.preferences={GPU: 1, Ascend910B: 0.1}
buyers.0.demand=1
routes.SGP.capacity=0\nroutes.SGP.detection=1
transport.delay=0
policies.us-ban.from=2024-02-01\npolicies.us-ban.until=2024-09-01
policies.us-ban.license={approval: 0.5}
policies.cn-tariff.rate=0.5
policies.cn-tariff.origins={groups: [D5]}
reactions.us-closes-sgp.lag=0\nreactions.us-closes-sgp.when.above=10
reactions.us-closes-sgp.then.type=tariff
policies=[]
extends=base.yaml
SEEDS
echo "fuzz/seed.sh: $(ls "$out/fuzz_scenario" | wc -l) fuzz_scenario seeds, $(ls "$out/fuzz_set" | wc -l) fuzz_set seeds"
