#!/usr/bin/env bash
# Re-vendor KaTeX and mermaid (no CDN, ever). KaTeX runs at build time (tools/site/mkdocs_hooks.py: the pages get its CSS
# and fonts only), mermaid when diagrams are drawn (tools/generate/diagrams.py; in the browser only under `mkdocs serve`).
# After a new mermaid, redraw the diagrams: python -m tools.generate.diagrams --force
# Usage: bash tools/generate/vendor.sh   (needs npm; writes docs/assets/vendor/, which is committed)
set -euo pipefail
KATEX_VERSION=0.19.1
MERMAID_VERSION=12.3.0
AXE_VERSION=4.14.1  # accessibility checks in tests/test_browser.py (not served by the site)
IFRAME_WORKER_VERSION=1.0.4  # search from file:// in `make bundle` only (tools/site/mkdocs_hooks.py; not in the normal site)

root=$(cd "$(dirname "$0")/.." && pwd)
vendor="$root/docs/assets/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "katex@$KATEX_VERSION" "mermaid@$MERMAID_VERSION" "axe-core@$AXE_VERSION" "iframe-worker@$IFRAME_WORKER_VERSION" >/dev/null
mkdir katex mermaid axe iframe-worker
tar xzf "katex-$KATEX_VERSION.tgz" -C katex
tar xzf "mermaid-$MERMAID_VERSION.tgz" -C mermaid
tar xzf "axe-core-$AXE_VERSION.tgz" -C axe
tar xzf "iframe-worker-$IFRAME_WORKER_VERSION.tgz" -C iframe-worker

rm -rf "$vendor/katex" "$vendor/mermaid" "$vendor/iframe-worker"
mkdir -p "$vendor/katex/fonts" "$vendor/mermaid" "$vendor/iframe-worker"
cp katex/package/dist/katex.min.js katex/package/dist/katex.min.css katex/package/LICENSE "$vendor/katex/"
# Every browser we target reads woff2, which katex.min.css lists first: the .woff/.ttf fallbacks are never fetched.
cp katex/package/dist/fonts/*.woff2 "$vendor/katex/fonts/"
# Material for MkDocs uses a global `mermaid` when one exists, so ship the UMD build (not the .mjs).
cp mermaid/package/dist/mermaid.min.js mermaid/package/LICENSE "$vendor/mermaid/"
# Material's offline plugin would load this shim (Web Workers from file://, for search) from unpkg.com.
cp iframe-worker/package/shim/index.js "$vendor/iframe-worker/shim.js"
cp iframe-worker/package/LICENSE "$vendor/iframe-worker/"
printf 'katex %s\nmermaid %s\niframe-worker %s\n' "$KATEX_VERSION" "$MERMAID_VERSION" "$IFRAME_WORKER_VERSION" >"$vendor/VERSIONS"
echo "vendored into $vendor:"; cat "$vendor/VERSIONS"

tests_vendor="$root/tests/vendor/axe-core"
rm -rf "$tests_vendor" && mkdir -p "$tests_vendor"
cp axe/package/axe.min.js axe/package/LICENSE "$tests_vendor/"
echo "axe-core $AXE_VERSION" >"$tests_vendor/VERSION"
