# Shared targets of the environment roots (infra/envs/<env>/Makefile sets
# ENV and includes this file). Run from the environment directory, or with
# `make -C infra/envs/<env> <target>`.
#
#   init        terraform init (azurerm backend, Entra ID auth)
#   plan        terraform plan -out=tfplan
#   show-json   terraform show -json tfplan > plan.json (for platci-plan)
#   apply       terraform apply $(PLAN) (default tfplan; CI passes the
#               plan extracted from the verified bundle)
#   drift       refresh-only plan -> drift.json (for platci-drift)
#   outputs     the cluster_vars output (values for gitops cluster-vars.yaml)
#   kubeconfig  ./kubeconfig for the cluster
#   fmt         terraform fmt -check

TF ?= terraform
PLAN ?= tfplan
KUBECONFIG_LOGIN ?= azurecli
TF_FLAGS ?= -input=false -lock-timeout=10m

ifneq ($(ENV),$(notdir $(CURDIR)))
$(error ENV=$(ENV) does not match the directory $(notdir $(CURDIR)))
endif

.PHONY: init plan show-json apply drift outputs kubeconfig fmt clean

init:
	$(TF) init -input=false -lock-timeout=10m

plan:
	$(TF) plan $(TF_FLAGS) -out=tfplan

show-json:
	$(TF) show -json tfplan > plan.json

apply:
	$(TF) apply $(TF_FLAGS) $(PLAN)

drift:
	$(TF) plan -refresh-only -lock=false -input=false -out=drift.tfplan
	$(TF) show -json drift.tfplan > drift.json

outputs:
	$(TF) output -json cluster_vars

kubeconfig:
	./kubeconfig.sh $(KUBECONFIG_LOGIN)

fmt:
	$(TF) fmt -check -diff

clean:
	rm -f tfplan plan.json drift.tfplan drift.json kubeconfig
