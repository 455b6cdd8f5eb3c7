#!/usr/bin/env bash
# Seed corpora for the fuzz targets, made fresh from the repository and a built lwsim:
#   fuzz/make_corpus.sh LWSIM CORPUS_DIR
# CORPUS_DIR/<target>/ gets the shipped files of its kind (scenarios/**.toml) and, for
# result_file, small real output files of every kind: a run, a sweep (complete and as shards), a
# sweep left streaming by kill -9, a merged incomplete file, a calibration and a sensitivity
# analysis, all from fuzz/resume_base.toml (two practices, 12 weeks, 2 replicates), so that they
# are small. Nothing here is committed: the binaries are rebuilt from the sources each time.
set -euo pipefail
lwsim=$(realpath "$1")
out=$(realpath -m "$2")
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"/{scenario,sweep,points,calibration,sensitivity,result_file,command_line}

cp "$src"/scenarios/deep_end_glasgow.toml "$src"/fuzz/resume_base.toml "$out/scenario/"
cp "$src"/scenarios/observed/*.toml "$out/scenario/"
cp "$src"/scenarios/sweeps/*.toml "$src"/scenarios/bench/*.toml "$src"/fuzz/resume_sweep.toml "$out/sweep/"
cp "$src"/scenarios/calibration/*.toml "$out/calibration/"
cp "$src"/scenarios/sensitivity/*.toml "$out/sensitivity/"
# Points files of csv designs, and command lines (one argument a line).
printf 'clp.departure_hazard,context.gp_buy_in_mean\n0.004,0.55\n0.02,0.4\n' > "$out/points/two.csv"
printf '\xef\xbb\xbfclp.departure_hazard, "context.gp_buy_in_mean"\r\n\r\n0.004,0.55\r\n' > "$out/points/bom.csv"
printf 'classification.window_weeks,fip.enabled\n4,true\n8,false\n' > "$out/points/kinds.csv"
printf 'run\nscenario.toml\n-o\nout.h5\n--replicates\n10\n--set\nclp.departure_hazard=0.01\n' \
  > "$out/command_line/run"
printf 'sweep\nsweep.toml\n-o\nout.h5\n--resume\n--threads\n4\n--checkpoint-interval\n0.5\n--shard\n1/4\n' \
  > "$out/command_line/sweep"
printf 'export\nin.h5\n--csv\ndir\n--overwrite\n' > "$out/command_line/export"
printf 'merge\na.h5\nb.h5\n-o\nm.h5\n--allow-incomplete\n' > "$out/command_line/merge"
printf 'bench\n--json\n--quick\n--threads\n0\n' > "$out/command_line/bench"
printf 'calibrate\ncal.toml\n-o\nc.h5\n--resume\n--quiet\n' > "$out/command_line/calibrate"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$src"/fuzz/resume_base.toml "$src"/fuzz/resume_sweep.toml "$work/"
cp -r "$src"/scenarios/observed "$work/"
cd "$work"
cat > calibration.toml <<'TOML'
base = "resume_base.toml"
observed = "observed.toml"
[abc]
particles = 4
replicates = 1
seed = 3
generations = 2
predictive_replicates = 2
[priors]
"clp.departure_hazard" = { distribution = "log-uniform", min = 0.001, max = 0.02 }
TOML
printf 'title = "fuzz"\nsource = "none"\npractices = 2\nfip = 1\n' > observed.toml
cat > sensitivity.toml <<'TOML'
base = "resume_base.toml"
[sensitivity]
method = "sobol"
samples = 2
replicates = 2
bootstrap = 10
[outputs]
"P(FIP)" = "/summary/p_fip"
[parameters]
"clp.departure_hazard" = { min = 0.001, max = 0.02 }
TOML
cp calibration.toml "$out/calibration/small.toml"
cp sensitivity.toml "$out/sensitivity/small.toml"

q=--quiet
"$lwsim" run resume_base.toml -o run.h5 $q >/dev/null
"$lwsim" sweep resume_sweep.toml -o sweep.h5 $q >/dev/null
"$lwsim" sweep resume_sweep.toml -o shard0.h5 --shard 0/2 $q >/dev/null
"$lwsim" merge shard0.h5 -o merged_incomplete.h5 --allow-incomplete >/dev/null
"$lwsim" calibrate calibration.toml -o calibration.h5 $q >/dev/null
"$lwsim" sensitivity sensitivity.toml -o sensitivity.h5 $q >/dev/null
# A streaming file: a sweep killed (SIGKILL) as soon as its output exists.
"$lwsim" sweep resume_sweep.toml -o streaming.h5 $q --checkpoint-interval 0 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 200); do [ -e streaming.h5 ] && break; sleep 0.01; done
kill -KILL "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
cp ./*.h5 "$out/result_file/"
echo "make_corpus: seeds in $out: $(find "$out" -type f | wc -l) files"
