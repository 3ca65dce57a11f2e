#!/usr/bin/env bash
# Differential test (issue 20, item 4): platci's HCL fact reader against
# terraform itself, on every folder of .tf files in infra/ and in
# ../shared/fixtures (tfplan/gen-configs keeps its configurations as
# *.tf.txt: copied here as .tf). Offline, terraform gives:
#   - the backend type: after `init -backend=false`, `terraform providers`
#     refuses with 'Initial configuration of the requested backend "TYPE"';
#   - module sources: .terraform/modules/modules.json after init (local
#     sources need no network; a folder calling a registry module is
#     skipped, saying so);
#   - provider pins: `terraform providers` after init with an override file
#     that swaps the backend for "local" (providers themselves are never
#     downloaded: -plugin-dir points at an empty folder).
# platci's side is bin/hcl_facts (the scanner's blocks and attributes).
. "$(dirname "$0")/../lib/common.sh"
cd "$PLATCI_SOURCE_DIR"
need_cmd terraform
need_cmd jq
FACTS=$PLATCI_BIN/hcl_facts
[ -x "$FACTS" ] || skip "$FACTS not built"
export TF_CLI_CONFIG_FILE=/dev/null TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
tree=$T_TMP/tree
mkdir -p "$tree/none"
cp -r infra "$tree/infra"
if [ -d "$PLATCI_FIXTURES/tfplan/gen-configs" ]; then
  cp -r "$PLATCI_FIXTURES/tfplan/gen-configs" "$tree/fixtures"
  find "$tree/fixtures" -name '*.tf.txt' -exec sh -c 'mv "$1" "${1%.txt}"' _ {} \;
else
  echo "note: $PLATCI_FIXTURES/tfplan/gen-configs absent: infra/ only"
fi
find "$tree" -name .terraform -prune -o -name '*.terraform.lock.hcl' -prune -o -type f -print | grep -q . || skip "no tree"

tf() { (cd "$1" && shift && terraform "$@" -no-color 2>&1); }
norm_source() { case $1 in */*/*) echo "$1" ;; */*) echo "registry.terraform.io/$1" ;; *) echo "registry.terraform.io/hashicorp/$1" ;; esac; }

checked=0 skipped=0
while IFS= read -r dir; do
  rel=${dir#"$tree"/}
  # --- terraform: modules and backend
  tf "$dir" init -backend=false -input=false -plugin-dir="$tree/none" >"$T_TMP/init" || true
  if grep -q 'Module not installed\|Failed to download module\|Module source has changed' "$T_TMP/init"; then
    echo "skip $rel: a module needs the network"; skipped=$((skipped + 1)); continue
  fi
  # any error but the providers we never download: terraform refuses the folder
  problem=$(grep '^Error: ' "$T_TMP/init" | grep -v 'Failed to query available provider packages' | head -1)
  if [ -n "$problem" ]; then
    if "$FACTS" "$dir"/*.tf >/dev/null 2>&1; then
      echo "skip $rel: terraform refuses the folder ($problem); platci reads facts only"
    else
      echo "both refuse $rel ($problem)"
    fi
    skipped=$((skipped + 1)); continue
  fi
  ours=$("$FACTS" "$dir"/*.tf) || { fail "$rel: terraform reads it, platci cannot scan it"; continue; }
  tf_backend=$(tf "$dir" providers | sed -n 's/.*requested backend "\([^"]*\)".*/\1/p' | head -1)
  our_backend=$(printf '%s\n' "$ours" | awk -F'\t' '$1=="backend"{print $2}' | sort -u | head -1)
  [ "$tf_backend" = "$our_backend" ] || fail "$rel: backend: terraform '$tf_backend', platci '$our_backend'"
  tf_mods=$(jq -r '.Modules[] | select(.Key != "" and (.Key | contains(".") | not)) | "\(.Key)\t\(.Source)"' \
    "$dir/.terraform/modules/modules.json" 2>/dev/null | sort)
  our_mods=$(printf '%s\n' "$ours" | awk -F'\t' '$1=="module"{print $2"\t"$3}' | sort)
  [ "$tf_mods" = "$our_mods" ] || fail "$rel: module sources differ: terraform [$tf_mods], platci [$our_mods]"
  # --- terraform: provider pins, with the backend swapped for local
  printf 'terraform {\n  backend "local" {}\n}\n' > "$dir/zz_platci_override.tf"
  rm -rf "$dir/.terraform"
  tf "$dir" init -input=false -plugin-dir="$tree/none" >/dev/null || true
  tf "$dir" providers > "$T_TMP/prov"
  rm -f "$dir/zz_platci_override.tf"
  rm -rf "$dir/.terraform" "$dir/.terraform.lock.hcl" "$dir/terraform.tfstate"
  if ! grep -q 'Providers required by configuration' "$T_TMP/prov"; then
    fail "$rel: terraform providers failed: $(head -3 "$T_TMP/prov" | tr '\n' ' ')"; continue
  fi
  # root-level lines only ("├── provider[ADDR] CONSTRAINT"); constraints compared without spaces
  tf_pins=$(sed -n 's/^[├└]── provider\[\([^]]*\)\] *\(.*\)$/\1\t\2/p' "$T_TMP/prov" | awk -F'\t' '$2!=""' \
    | tr -d ' ' | sort)
  our_pins=$(printf '%s\n' "$ours" | awk -F'\t' '$1=="provider" && $4!=""{print $3"\t"$4"\t"$2}' \
    | while IFS=$'\t' read -r src ver name; do
        printf '%s\t%s\n' "$(norm_source "${src:-$name}")" "$(echo "$ver" | tr -d ' ')"; done | sort)
  [ "$tf_pins" = "$our_pins" ] || fail "$rel: provider pins differ: terraform [$tf_pins], platci [$our_pins]"
  checked=$((checked + 1))
done < <(find "$tree" -name .terraform -prune -o -type f -name '*.tf' -printf '%h\n' | sort -u)
echo "hcl vs terraform $(terraform version | head -1): $checked folders agree on backend, module sources and provider pins, $skipped skipped"
[ "$checked" -gt 0 ] || fail "no folder was compared"
finish
