#!/usr/bin/env bash
# Drift check (not part of CI): resolve the newest versions pyproject.toml allows (or, with --lowest, the
# oldest: our floors), show how they differ from requirements.lock, install them into a fresh venv and run
# the suite. A green result means the lock can be refreshed deliberately (see README, "Dependencies");
# a red one names the upgrade that breaks us before any user meets it.
#
#   scripts/check_latest.sh                    newest allowed versions, Python 3.11
#   scripts/check_latest.sh --lowest           floors of our direct dependencies (newest of the rest)
#   scripts/check_latest.sh --python 3.12      another interpreter (python3.12 on PATH, or a path)
#   scripts/check_latest.sh -- -m "not slow"   extra pytest arguments after --
#
# Needs uv (`pip install uv`) and, like the suite, PostgreSQL at 127.0.0.1:5432 unless
# FEEDBACK_TEST_POSTGRES_URL points elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

resolution=highest
python=3.11
while [ $# -gt 0 ]; do
  case "$1" in
    --lowest) resolution=lowest-direct; shift ;;
    --python) python="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "check_latest.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v uv >/dev/null || { echo "check_latest.sh: uv is not installed: pip install uv" >&2; exit 2; }
interpreter=$(command -v "python$python" || command -v "$python" || true)
[ -n "$interpreter" ] || { echo "check_latest.sh: no interpreter python$python on PATH" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$("$interpreter" -c 'import sys; print("%d.%d" % sys.version_info[:2])')

echo "== resolving ($resolution) for Python $version"
uv pip compile pyproject.toml --extra dev --upgrade --quiet --resolution "$resolution" \
  --python-version "$version" --no-header --no-annotate -o "$work/resolved.txt"

echo "== differences from requirements.lock (locked -> resolved)"
# The lock's versions for this Python: uv keeps the pins of an existing output file unless told to upgrade.
cp requirements.lock "$work/locked.txt"
uv pip compile pyproject.toml --extra dev --quiet --python-version "$version" --no-header --no-annotate \
  -o "$work/locked.txt"
join -a1 -a2 -e - -o 0,1.2,2.2 \
  <(sed -n 's/^\([^=; ]*\)==\([^ ;]*\).*/\1 \2/p' "$work/locked.txt" | sort) \
  <(sed -n 's/^\([^=; ]*\)==\([^ ;]*\).*/\1 \2/p' "$work/resolved.txt" | sort) |
  awk '$2 != $3 { printf "  %s: %s -> %s\n", $1, $2, $3; n++ } END { if (!n) print "  none" }'

echo "== fresh venv"
uv venv --quiet --python "$interpreter" "$work/venv"
uv pip install --quiet --python "$work/venv/bin/python" -r "$work/resolved.txt" -e . --no-deps

echo "== tests"
export FEEDBACK_UNLOCKED_ENV=1   # the test that the installed versions equal the lock does not apply here
export FEEDBACK_DATA_DIR="$work/data"
set +e
"$work/venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
status=$?
set -e
if [ "$status" -eq 0 ]; then
  echo "check_latest.sh: the $resolution versions above pass the suite on Python $version."
  [ "$resolution" = highest ] && echo "Refresh the lock deliberately: uv pip compile pyproject.toml --extra dev --universal --upgrade -o requirements.lock"
else
  echo "check_latest.sh: the $resolution versions above FAIL the suite on Python $version (pytest exit $status)."
  [ "$resolution" = highest ] && echo "Keep the lock; cap the breaking package in pyproject.toml or fix the code first."
  [ "$resolution" = lowest-direct ] && echo "A floor in pyproject.toml is too low: raise it to a release that has what we call."
fi
exit "$status"
