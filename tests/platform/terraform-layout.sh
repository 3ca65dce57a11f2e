#!/bin/sh
# Static checks of infra/ that need no providers or network:
#   - each environment root exists with versions.tf, a Makefile (init, plan,
#     show-json, apply targets) and a kubeconfig script;
#   - an azurerm backend with a distinct key "<env>.tfstate" and
#     use_azuread_auth = true;
#   - required_version and every required_providers version pinned with
#     "~>" or "=" (roots and modules);
#   - every module source is a local relative path into infra/modules;
#   - every taggable resource sets tags (the common map carries
#     environment, region, team, owner);
#   - GPU taints and labels in Terraform match the gitops manifests.
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$PLATCI_SOURCE_DIR" || fail "cannot cd to $PLATCI_SOURCE_DIR"
[ -d infra/envs ] || fail "infra/envs missing"

keys=
for env in $ENVIRONMENTS; do
	d=infra/envs/$env
	[ -f "$d/versions.tf" ] || fail "$d/versions.tf missing"
	[ -f "$d/Makefile" ] || fail "$d/Makefile missing"
	[ -x "$d/kubeconfig.sh" ] || fail "$d/kubeconfig.sh missing or not executable"
	grep -q 'backend "azurerm"' "$d"/*.tf || fail "$d: no backend \"azurerm\""
	key=$(sed -n 's/^[[:space:]]*key[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$d/versions.tf")
	[ "$key" = "$env.tfstate" ] || fail "$d: backend key is '$key', want '$env.tfstate'"
	grep -Eq 'use_azuread_auth[[:space:]]*=[[:space:]]*true' "$d/versions.tf" ||
		fail "$d: backend without use_azuread_auth = true"
	case " $keys " in *" $key "*) fail "backend key $key used twice" ;; esac
	keys="$keys $key"
	for t in init plan show-json apply; do
		grep -Eq "^$t:" "$d/Makefile" infra/envs/env.mk 2>/dev/null ||
			fail "$d: no make target $t"
	done
	if command -v make >/dev/null 2>&1; then
		make -s -n -C "$d" plan show-json >/dev/null 2>&1 || fail "$d: make -n plan show-json fails"
	fi
done

# Version constraints: required_version and each provider "version".
find infra -name '*.tf' | sort >"${TMPDIR:-/tmp}/tf-files.$$"
trap 'rm -f "${TMPDIR:-/tmp}/tf-files.$$"' EXIT
n=0
while read -r f; do
	n=$((n + 1))
	bad=$(grep -nE '^[[:space:]]*(required_version|version)[[:space:]]*=' "$f" |
		grep -vE '=[[:space:]]*"(~>[[:space:]]*[0-9]+\.[0-9]+(\.[0-9]+)?|=?[[:space:]]*[0-9]+\.[0-9]+\.[0-9]+)"')
	[ -z "$bad" ] || fail "$f: unpinned version constraint: $bad"
	if grep -q 'required_providers' "$f"; then
		# every provider block in required_providers has a version line
		blocks=$(grep -cE '^[[:space:]]+source[[:space:]]*=[[:space:]]*"hashicorp/' "$f")
		versions=$(grep -cE '^[[:space:]]+version[[:space:]]*=' "$f")
		[ "$blocks" -eq "$versions" ] || fail "$f: $blocks providers but $versions version constraints"
	fi
	srcs=$(grep -E '^[[:space:]]*source[[:space:]]*=[[:space:]]*"' "$f" | grep -v 'hashicorp/' |
		grep -vE '"(\.\./)?\.\./(modules/)?[a-z0-9-]+"' || true)
	[ -z "$srcs" ] || fail "$f: module source not a local infra/modules path: $srcs"
done <"${TMPDIR:-/tmp}/tf-files.$$"
[ "$n" -gt 0 ] || fail "no .tf files"
for f in infra/envs/*/versions.tf infra/modules/*/versions.tf; do
	grep -q 'required_version' "$f" || fail "$f: no required_version"
done

# Tags: every resource block of a taggable type has a tags argument, and
# the common tag map has the four cost tags.
untaggable='azurerm_subnet|azurerm_virtual_network_peering|azurerm_network_security_rule|azurerm_subnet_network_security_group_association|azurerm_subnet_route_table_association|azurerm_firewall_policy_rule_collection_group|azurerm_role_assignment|azurerm_federated_identity_credential|azurerm_storage_data_lake_gen2_filesystem|azurerm_storage_management_policy|azurerm_storage_container|azurerm_cosmosdb_mongo_database|azurerm_security_center_subscription_pricing|azurerm_automation_schedule|azurerm_automation_job_schedule|azuread_[a-z_]+|time_[a-z_]+'
untagged=$(find infra -name '*.tf' -exec awk -v skip="^($untaggable)\$" '
	/^resource "/ { type = $2; gsub(/"/, "", type); name = $3; gsub(/"/, "", name); inres = 1; tagged = 0; next }
	inres && /^[[:space:]]+tags[[:space:]]*=/ { tagged = 1 }
	inres && /^}/ { if (type !~ skip && !tagged) print FILENAME ": " type "." name; inres = 0 }
' {} +)
[ -z "$untagged" ] || fail "taggable resources without tags: $untagged"
for t in environment region team owner; do
	grep -Eq "^[[:space:]]+${t}[[:space:]]+= var\.${t}$" infra/modules/platform/main.tf ||
		fail "common tags in infra/modules/platform/main.tf lack $t"
done

# Each root is a thin caller of the one composition, which calls modules that exist.
for env in $ENVIRONMENTS; do
	grep -q 'source = "../../modules/platform"' "infra/envs/$env/main.tf" ||
		fail "infra/envs/$env/main.tf does not call modules/platform"
	grep -Eq "^[[:space:]]+environment[[:space:]]+= \"$env\"" "infra/envs/$env/main.tf" ||
		fail "infra/envs/$env/main.tf does not set environment = \"$env\""
done
for m in $(grep -ho 'source = "\.\./[a-z0-9-]*"' infra/modules/platform/main.tf | sed 's/.*"\.\.\/\(.*\)"/\1/' | sort -u); do
	[ -f "infra/modules/$m/main.tf" ] || fail "module $m missing"
done

# GPU scheduling contract between node pools and manifests.
for s in 'nvidia.com/gpu=present:NoSchedule' 'amd.com/gpu=present:NoSchedule' \
	'"platform.io/gpu"[[:space:]]*=[[:space:]]*"nvidia-h100"' \
	'"platform.io/gpu"[[:space:]]*=[[:space:]]*"amd-mi300x"' \
	'"nvidia.com/mig.config"[[:space:]]*='; do
	grep -rqE "$s" infra/modules/platform/main.tf || fail "Terraform lacks $s"
done
for env in $ENVIRONMENTS; do
	grep -Eq "mig_config[[:space:]]+= \"all-1g.10gb\"" "infra/envs/$env/main.tf" ||
		fail "$env: H100 pool mig_config is not all-1g.10gb (the GPU operator default in gitops)"
done
grep -rq 'platform.io/gpu: nvidia-h100' gitops/apps/base || fail "gitops: no workload selects platform.io/gpu=nvidia-h100"
grep -rq 'platform.io/gpu: amd-mi300x' gitops/apps/base || fail "gitops: no workload selects platform.io/gpu=amd-mi300x"
grep -rq 'default: all-1g.10gb' gitops/infrastructure/controllers/base/gpu-operator.yaml ||
	fail "gitops: GPU operator MIG default is not all-1g.10gb"

pass "$n .tf files; backends $keys"
