/**
 * @file platci/nodepools.h
 * @brief What an environment's Terraform says about its AKS cluster, and
 *        whether a pod fits it.
 *
 * The Terraform root of an environment (platci.yaml `infra`) is read for
 * facts, not planned: the `azurerm_kubernetes_cluster` (its
 * `kubernetes_version` and `default_node_pool`) and every
 * `azurerm_kubernetes_cluster_node_pool` (`name`, `vm_size`,
 * `node_labels`, `node_taints`, `for_each` instances), in the root and
 * the local modules it calls (`source = "../..."`). Values are followed
 * through module arguments, `var.` (to the caller, else the variable's
 * `default`, else `terraform.tfvars`), `local.`, `each.key`/`each.value`,
 * `merge`, `concat`, `distinct` and `X == "literal" ? a : b`; a value
 * that needs anything else is unknown, and the pool says so (`complete`
 * is 0) instead of guessing.
 *
 * The checks (platci_nodepools_check_pod()): a pod template requesting
 * `nvidia.com/gpu` or `amd.com/gpu` must tolerate every NoSchedule /
 * NoExecute taint of some GPU pool and select its labels (nodeSelector,
 * or required node affinity `In` terms); and a container's CPU, memory
 * or GPU request larger than every pool's VM size (the table in
 * nodepools_vm.c, sources named there) cannot be scheduled at all.
 */
#ifndef PLATCI_NODEPOOLS_H
#define PLATCI_NODEPOOLS_H

#include "diag.h"
#include "doc.h"
#include "findings.h"

/** One node pool. Strings are owned by the facts. */
typedef struct platci_node_pool {
	const char *name; /**< the pool's `name` (for_each: the instance key), or "?" */
	const char *vm_size; /**< e.g. "Standard_NC40ads_H100_v5", or NULL when unknown */
	const char *const *labels; /**< key, value, key, value, ..., NULL */
	const char *const *taints; /**< "key=value:Effect", ..., NULL */
	int complete; /**< 0: labels or taints could not be read from the Terraform */
	int is_default; /**< 1: the cluster's default_node_pool */
	const char *file; /**< where the pool is declared, repo-relative */
	size_t line, column;
} platci_node_pool;

/** A row of the VM size table. */
typedef struct platci_vm_size {
	const char *name; /**< e.g. "Standard_D8ds_v5" */
	unsigned int vcpus;
	unsigned long long memory_mib;
	unsigned int gpus; /**< whole GPUs */
	const char *gpu_resource; /**< "nvidia.com/gpu", "amd.com/gpu" or NULL */
} platci_vm_size;

typedef struct platci_cluster_facts platci_cluster_facts;

PLATCI_BEGIN_DECL

/**
 * Reads the Terraform root @p root_dir (repo-relative, under @p repo_root).
 * An unreadable .tf file is a warning in @p diag and its facts are
 * skipped; a root without a cluster gives facts with no version and no
 * pools.
 * @return 0, PLATCI_ENOTFOUND (no such folder), PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_cluster_facts_read(platci_cluster_facts **out, const char *repo_root, const char *root_dir,
	platci_diag *diag);

/** Frees @p f. NULL is a no-op. */
PLATCI_EXTERN(void) platci_cluster_facts_free(platci_cluster_facts *f);

/**
 * The cluster's `kubernetes_version` as resolved, or NULL (no cluster, or
 * not a literal the reader can follow). @p file and @p line (may be NULL)
 * receive where the literal is written.
 */
PLATCI_EXTERN(const char *)
platci_cluster_facts_k8s_version(const platci_cluster_facts *f, const char **file, size_t *line);

/** Number of node pools, in the order the Terraform declares them. */
PLATCI_EXTERN(size_t) platci_cluster_facts_pool_count(const platci_cluster_facts *f);

/** Pool @p i (borrowed), or NULL. */
PLATCI_EXTERN(const platci_node_pool *)
platci_cluster_facts_pool_at(const platci_cluster_facts *f, size_t i);

/** The VM size named @p name (case-insensitive), or NULL when the table lacks it. */
PLATCI_EXTERN(const platci_vm_size *) platci_vm_size_find(const char *name);

/**
 * Checks every pod template of @p object (a Pod, a workload's
 * `spec.template`, a CronJob's `spec.jobTemplate.spec.template`) against
 * the pools of @p f, adding findings for file @p file and environment
 * @p env: `nodepool.gpu-unschedulable` (a GPU request no GPU pool would
 * take: the message names the pool that offers that GPU and what is
 * missing), `nodepool.request-too-large` (a container request larger
 * than every pool's VM size). Pools whose facts are incomplete or whose
 * VM size is not in the table are never judged.
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_nodepools_check_pod(platci_findings *out, const platci_cluster_facts *f,
	const platci_node *object, const char *file, const char *env);

PLATCI_END_DECL

#endif
