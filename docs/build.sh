#!/usr/bin/env bash
# Build the HTML documentation site (module pages from the real DOCUMENTATION/EXAMPLES/RETURN plus
# the guides in docs/docsite/) into build/docs/html, offline, with warnings as errors, then check
# the built pages with docs/sphinx/check_links.py (links, anchors, header links, environment
# variables, one page per module and role).
# Usage: docs/build.sh <python with antsibull-docs, sphinx, sphinx-ansible-theme and ansible-core>
set -euo pipefail
python=${1:-python3}
case "$python" in */*) python="$(cd "$(dirname "$python")" && pwd)/$(basename "$python")" ;; *) python=$(command -v "$python") ;; esac
bindir=$(dirname "$python")
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build/docs"
rm -rf "$out"
mkdir -p "$out"
chmod 700 "$out"
# antsibull-docs reads the collection through ansible-doc, from an ansible_collections path. That
# path is made outside the collection: when the collection itself sits in an ansible_collections
# tree (as the copy the docs gate builds from does), a path below it would hold
# "ansible_collections" twice, and ansible-doc would then silently skip the collection's roles.
colls=$(mktemp -d)
trap 'rm -rf "$colls"' EXIT
mkdir -p "$colls/ansible_collections/exotel"
ln -s "$root" "$colls/ansible_collections/exotel/trunking"
export ANSIBLE_COLLECTIONS_PATH="$colls"
export PATH="$bindir:$PATH"
cp "$root/docs/sphinx/conf.py" "$root/docs/sphinx/antsibull-docs.cfg" "$out/"
cp -r "$root/docs/sphinx/_static" "$out/"
"$python" "$root/docs/sphinx/make_inventory.py" "$root/docs/sphinx/ansible_devel_labels.txt" "$out/ansible_devel.inv"
mkdir -m 700 "$out/rst"
cd "$out"
"$bindir/antsibull-docs" --config-file antsibull-docs.cfg collection --use-current --fail-on-error --cleanup everything \
  --dest-dir rst exotel.trunking
# The generated index of environment variables lists only those that plugins declare with `env:`;
# modules cannot declare theirs (they fall back to EXOTEL_* through env_fallback), so here it would
# say that none are defined. Drop it while it defines no variable: docs/docsite/rst/
# environment_variables.rst documents them, and docs/sphinx/index.rst links that page instead.
if ! grep -q '^\.\. envvar::' rst/collections/environment_variables.rst; then
  rm -f rst/collections/environment_variables.rst
fi
cp "$root/docs/sphinx/index.rst" rst/index.rst
# The front page's lists of modules and roles, from the modules' and roles' own documentation.
"$python" "$root/docs/sphinx/front_lists.py" "$root" rst
"$bindir/sphinx-build" -q -b html rst html -c . -W --keep-going
"$python" "$root/docs/sphinx/check_links.py" "$out/html" "$root"
echo "Documentation built in $out/html (start at collections/exotel/trunking/index.html)"
