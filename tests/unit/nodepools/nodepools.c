/*
 * nodepools.h: the facts read from Terraform (through module calls,
 * variables, locals, for_each and the few functions followed) and the
 * pod checks. The expected pools are worked out by hand from the .tf
 * text in each test (and, for the platform's own root, from
 * infra/envs/dev-uaenorth/main.tf -> infra/modules/platform/main.tf ->
 * infra/modules/aks/main.tf).
 */
#include "test_helpers.h"

static const platci_node_pool *pool(const platci_cluster_facts *f, const char *name)
{
	for (size_t i = 0; i < platci_cluster_facts_pool_count(f); i++)
		if (!strcmp(platci_cluster_facts_pool_at(f, i)->name, name))
			return platci_cluster_facts_pool_at(f, i);
	return NULL;
}

static const char *label(const platci_node_pool *p, const char *key)
{
	for (size_t i = 0; p->labels && p->labels[i]; i += 2)
		if (!strcmp(p->labels[i], key))
			return p->labels[i + 1];
	return NULL;
}

static size_t count(const char *const *l)
{
	size_t n = 0;
	while (l && l[n])
		n++;
	return n;
}

/* The platform's own composition: three module levels, locals, for_each, merge, a conditional. */
Test(nodepools, platform_root_through_modules)
{
	platci_cluster_facts *f = NULL;
	const platci_node_pool *p;
	const char *file = NULL;

	cr_assert_eq(platci_cluster_facts_read(&f, PLATCI_SOURCE_DIR, "infra/envs/dev-uaenorth", NULL), 0);
	cr_assert_str_eq(platci_cluster_facts_k8s_version(f, &file, NULL), "1.30");
	cr_assert_str_eq(file, "infra/modules/aks/main.tf");
	cr_assert_eq(platci_cluster_facts_pool_count(f), 5); /* system + cpu, h100, mi300x, spot */
	p = pool(f, "system");
	cr_assert(p && p->is_default && p->complete);
	cr_assert_str_eq(p->vm_size, "Standard_D4ds_v5");
	cr_assert_str_eq(p->taints[0], "CriticalAddonsOnly=true:NoSchedule");
	p = pool(f, "h100");
	cr_assert(p && p->complete);
	cr_assert_str_eq(p->vm_size, "Standard_NC40ads_H100_v5");
	cr_assert_str_eq(label(p, "platform.io/gpu"), "nvidia-h100");
	cr_assert_str_eq(label(p, "nvidia.com/mig.config"), "all-1g.10gb");
	cr_assert_str_eq(label(p, "platform.io/pool"), "h100");
	cr_assert_eq(count(p->taints), 1);
	cr_assert_str_eq(p->taints[0], "nvidia.com/gpu=present:NoSchedule");
	p = pool(f, "spot"); /* priority == "Spot": the spot taint is added, no taint of its own */
	cr_assert(p && p->complete);
	cr_assert_eq(count(p->taints), 1);
	cr_assert_str_eq(p->taints[0], "kubernetes.azure.com/scalesetpriority=spot:NoSchedule");
	p = pool(f, "cpu"); /* no node_taints in the object: the optional default [] */
	cr_assert(p && p->complete);
	cr_assert_eq(count(p->taints), 0);
	cr_assert_str_eq(pool(f, "mi300x")->vm_size, "Standard_ND96isr_MI300X_v5");
	platci_cluster_facts_free(f);
}

static char *root_with(const char *main_tf, const char *tfvars)
{
	char *dir = th_tmpdir();
	free(th_write(dir, "infra/main.tf", main_tf, strlen(main_tf)));
	if (tfvars)
		free(th_write(dir, "infra/terraform.tfvars", tfvars, strlen(tfvars)));
	return dir;
}

Test(nodepools, tfvars_defaults_and_unknowns)
{
	char *dir = root_with(
		"variable \"ver\" { default = \"1.29\" }\n"
		"variable \"size\" {}\n"
		"resource \"azurerm_kubernetes_cluster\" \"c\" {\n"
		"  kubernetes_version = var.ver\n"
		"  default_node_pool {\n    name = \"sys\"\n    vm_size = var.size\n  }\n}\n"
		"resource \"azurerm_kubernetes_cluster_node_pool\" \"gpu\" {\n"
		"  name = \"gpu\"\n  vm_size = \"Standard_NC40ads_H100_v5\"\n"
		"  node_taints = [lookup(var.t, \"x\")]\n}\n",
		"size = \"Standard_D8ds_v5\"\n");
	platci_cluster_facts *f = NULL;

	cr_assert_eq(platci_cluster_facts_read(&f, dir, "infra", NULL), 0);
	cr_assert_str_eq(platci_cluster_facts_k8s_version(f, NULL, NULL), "1.29");
	cr_assert_str_eq(pool(f, "sys")->vm_size, "Standard_D8ds_v5");
	cr_assert_eq(pool(f, "gpu")->complete, 0, "a taint behind lookup() is not followed");
	platci_cluster_facts_free(f);
	cr_assert_eq(platci_cluster_facts_read(&f, dir, "nowhere", NULL), PLATCI_ENOTFOUND);
	cr_assert_null(f);
	th_rmrf(dir);
	free(dir);
}

static platci_findings *check(const platci_cluster_facts *f, const char *yaml)
{
	platci_doc *doc = NULL;
	platci_findings *out = NULL;

	cr_assert_eq(platci_doc_load_buffer(&doc, "pod.yaml", yaml, strlen(yaml), NULL, NULL), 0);
	cr_assert_eq(platci_findings_new(&out), 0);
	cr_assert_eq(platci_nodepools_check_pod(out, f, platci_doc_root_at(doc, 0), "pod.yaml", "dev"), 0);
	platci_doc_free(doc);
	return out;
}

static const char gpu_tf[] =
	"resource \"azurerm_kubernetes_cluster\" \"c\" {\n"
	"  kubernetes_version = \"1.30\"\n"
	"  default_node_pool {\n    name = \"system\"\n    vm_size = \"Standard_D4ds_v5\"\n  }\n}\n"
	"resource \"azurerm_kubernetes_cluster_node_pool\" \"p\" {\n"
	"  for_each = {\n"
	"    h100 = { size = \"Standard_NC40ads_H100_v5\", taints = [\"nvidia.com/gpu=present:NoSchedule\"] }\n"
	"  }\n"
	"  name = each.key\n  vm_size = each.value.size\n"
	"  node_labels = { \"platform.io/gpu\" = \"nvidia-h100\" }\n"
	"  node_taints = each.value.taints\n}\n";

static const char pod_head[] =
	"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: train}\nspec:\n  template:\n"
	"    spec:\n";

Test(nodepools, gpu_pods_against_the_pools)
{
	char *dir = root_with(gpu_tf, NULL);
	platci_cluster_facts *f = NULL;
	platci_findings *out;
	char yaml[2048];
	const platci_finding *fd;

	cr_assert_eq(platci_cluster_facts_read(&f, dir, "infra", NULL), 0);
	cr_assert_eq(platci_cluster_facts_pool_count(f), 2);
	/* neither toleration nor selector: found at the request's line, naming the pool */
	snprintf(yaml, sizeof(yaml),
		"%s      containers:\n      - name: t\n        resources:\n"
		"          limits: {nvidia.com/gpu: 1}\n",
		pod_head);
	out = check(f, yaml);
	cr_assert_eq(platci_findings_count(out), 1);
	fd = platci_findings_at(out, 0);
	cr_assert_str_eq(fd->rule_id, "nodepool.gpu-unschedulable");
	cr_assert_eq(fd->line, 10);
	cr_assert(strstr(fd->message, "node pool h100"), "%s", fd->message);
	cr_assert(strstr(fd->message, "a toleration of nvidia.com/gpu=present:NoSchedule"), "%s",
		fd->message);
	cr_assert(strstr(fd->message, "platform.io/gpu=nvidia-h100"), "%s", fd->message);
	platci_findings_free(out);
	/* both: no finding */
	snprintf(yaml, sizeof(yaml),
		"%s      nodeSelector: {platform.io/gpu: nvidia-h100}\n"
		"      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]\n"
		"      containers:\n      - name: t\n        resources:\n"
		"          limits: {nvidia.com/gpu: 1}\n",
		pod_head);
	out = check(f, yaml);
	cr_assert_eq(platci_findings_count(out), 0);
	platci_findings_free(out);
	/* an AMD GPU: no pool offers it */
	snprintf(yaml, sizeof(yaml),
		"%s      containers:\n      - name: t\n        resources:\n"
		"          limits: {amd.com/gpu: 1}\n",
		pod_head);
	out = check(f, yaml);
	cr_assert_eq(platci_findings_count(out), 1);
	cr_assert(strstr(platci_findings_at(out, 0)->message, "no node pool of dev offers it"));
	platci_findings_free(out);
	/* larger than every VM (the largest: 40 vCPUs, 320 GiB) */
	snprintf(yaml, sizeof(yaml),
		"%s      containers:\n      - name: t\n        resources:\n"
		"          requests: {cpu: \"48\", memory: 400Gi}\n",
		pod_head);
	out = check(f, yaml);
	cr_assert_eq(platci_findings_count(out), 2);
	cr_assert_str_eq(platci_findings_at(out, 0)->rule_id, "nodepool.request-too-large");
	cr_assert(strstr(platci_findings_at(out, 0)->message, "48 CPUs"));
	cr_assert(strstr(platci_findings_at(out, 1)->message, "400.0 GiB"));
	platci_findings_free(out);
	/* 40 CPUs and 300Gi fit the H100 VM */
	snprintf(yaml, sizeof(yaml),
		"%s      containers:\n      - name: t\n        resources:\n"
		"          requests: {cpu: 40000m, memory: 300Gi}\n",
		pod_head);
	out = check(f, yaml);
	cr_assert_eq(platci_findings_count(out), 0);
	platci_findings_free(out);
	platci_cluster_facts_free(f);
	th_rmrf(dir);
	free(dir);
}

/* References that lead back to themselves, and deep nesting, end as unknown values. */
Test(nodepools, cycles_and_depth_end)
{
	char deep[4096] = "";
	for (int i = 0; i < 501; i++)
		strcat(deep, "[");
	for (int i = 0; i < 501; i++)
		strcat(deep, "]");
	char *dir = root_with(
		"locals {\n  a = local.b\n  b = local.a\n}\n"
		"variable \"v\" { default = var.v }\n"
		"resource \"azurerm_kubernetes_cluster_node_pool\" \"p\" {\n"
		"  name = \"p\"\n  vm_size = local.a\n  node_labels = var.v\n  node_taints = DEEP\n}\n",
		NULL);
	char *tf, path[512];
	size_t len;
	platci_cluster_facts *f = NULL;

	snprintf(path, sizeof(path), "%s/infra/main.tf", dir);
	tf = th_read(path, &len);
	{ /* 501 nested lists: deeper than the evaluator goes */
		char *at = strstr(tf, "DEEP"), buf[8192];
		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - tf), tf, deep, at + 4);
		free(th_write(dir, "infra/main.tf", buf, strlen(buf)));
	}
	free(tf);
	cr_assert_eq(platci_cluster_facts_read(&f, dir, "infra", NULL), 0);
	cr_assert_eq(platci_cluster_facts_pool_count(f), 1);
	cr_assert_null(platci_cluster_facts_pool_at(f, 0)->vm_size);
	cr_assert_eq(platci_cluster_facts_pool_at(f, 0)->complete, 0);
	platci_cluster_facts_free(f);
	th_rmrf(dir);
	free(dir);
}

Test(nodepools, vm_table)
{
	cr_assert_eq(platci_vm_size_find("standard_d8ds_v5")->vcpus, 8);
	cr_assert_str_eq(platci_vm_size_find("Standard_ND96isr_MI300X_v5")->gpu_resource, "amd.com/gpu");
	cr_assert_null(platci_vm_size_find("Standard_Nope"));
	cr_assert_null(platci_vm_size_find(NULL));
}
