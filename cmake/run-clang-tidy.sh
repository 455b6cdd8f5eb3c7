#!/usr/bin/env bash
# Runs clang-tidy over lwsim's sources with the build's compile_commands.json.
set -euo pipefail
tidy="$1"; build="$2"
mapfile -t files < <(git ls-files 'sim/*.cpp' 'models/*.cpp')
status=0
for f in "${files[@]}"; do
  "$tidy" -p "$build" --quiet "$f" 2>/dev/null || status=1
done
exit $status
