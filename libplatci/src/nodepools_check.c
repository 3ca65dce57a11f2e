/*
 * Pods against an environment's node pools (nodepools.h): a GPU request
 * must land on a pool offering that GPU, so it must tolerate the pool's
 * NoSchedule/NoExecute taints and select the pool (a nodeSelector or a
 * required node-affinity term naming one of its labels); and a container
 * asking for more CPU or memory than every pool's VM has never schedules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platci/k8s.h"
#include "platci/nodepools.h"
#include "util/common.h"
#include "util/banned.h"

static const char *const gpu_resources[] = { "nvidia.com/gpu", "amd.com/gpu" };

/* The pod spec of a Pod, a workload's template or a CronJob's job template, or NULL. */
static const platci_node *pod_spec(const platci_node *obj, const char *kind)
{
	const platci_node *s;

	if (kind && !strcmp(kind, "Pod"))
		return platci_node_get(obj, "spec");
	if ((s = platci_node_dig(obj, "spec.template.spec")) != NULL)
		return s;
	return platci_node_dig(obj, "spec.jobTemplate.spec.template.spec");
}

/* A quantity in base units (cores, bytes); -1 when it is not one (`${VAR}`). */
static double quantity(const platci_node *n)
{
	static const struct {
		const char *sfx;
		double mul;
	} units[] = {
		{ "Ki", 1024.0 },
		{ "Mi", 1048576.0 },
		{ "Gi", 1073741824.0 },
		{ "Ti", 1099511627776.0 },
		{ "m", 0.001 },
		{ "k", 1e3 },
		{ "M", 1e6 },
		{ "G", 1e9 },
		{ "T", 1e12 },
	};
	const char *s = platci_node_scalar(n, NULL);
	char *end = NULL;
	double v;

	if (!s || !*s)
		return -1;
	v = strtod(s, &end);
	if (end == s || v < 0)
		return -1;
	if (!*end)
		return v;
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(units); i++)
		if (!strcmp(end, units[i].sfx))
			return v * units[i].mul;
	return -1;
}

/* A container's request of @p res: requests, else limits (which requests default to). */
static const platci_node *request(const platci_node *c, const char *res)
{
	const platci_node *r = platci_node_get(platci_node_dig(c, "resources.requests"), res);

	return r ? r : platci_node_get(platci_node_dig(c, "resources.limits"), res);
}

static int tolerates(const platci_node *tols, const char *taint)
{
	char key[256], value[256] = "", effect[64] = "";
	const char *colon = strrchr(taint, ':'), *eq = strchr(taint, '=');

	if (!colon)
		return 1; /* not a taint AKS would take */
	snprintf(effect, sizeof(effect), "%s", colon + 1);
	if (strcmp(effect, "NoSchedule") != 0 && strcmp(effect, "NoExecute") != 0)
		return 1; /* PreferNoSchedule does not keep a pod off */
	if (eq && eq < colon) {
		snprintf(key, sizeof(key), "%.*s", (int)(eq - taint), taint);
		snprintf(value, sizeof(value), "%.*s", (int)(colon - eq - 1), eq + 1);
	} else {
		snprintf(key, sizeof(key), "%.*s", (int)(colon - taint), taint);
	}
	for (size_t i = 0; i < platci_node_count(tols); i++) {
		const platci_node *t = platci_node_item_at(tols, i);
		const char *k = platci_node_get_str(t, "key"), *op = platci_node_get_str(t, "operator");
		const char *v = platci_node_get_str(t, "value"), *e = platci_node_get_str(t, "effect");
		int exists = op && !strcmp(op, "Exists");
		if (k && *k && strcmp(k, key) != 0)
			continue;
		if ((!k || !*k) && !exists)
			continue;
		if (!exists && strcmp(v ? v : "", value) != 0)
			continue;
		if (e && *e && strcmp(e, effect) != 0)
			continue;
		return 1;
	}
	return 0;
}

/* The pool's label @p key: declared, or one AKS sets on every node of the pool. */
static const char *pool_label(const platci_node_pool *p, const char *key, int *declared)
{
	*declared = 0;
	for (size_t i = 0; p->labels[i]; i += 2)
		if (!strcmp(p->labels[i], key)) {
			*declared = 1;
			return p->labels[i + 1];
		}
	if (!strcmp(key, "agentpool") || !strcmp(key, "kubernetes.azure.com/agentpool"))
		return p->name;
	if (!strcmp(key, "node.kubernetes.io/instance-type") ||
		!strcmp(key, "beta.kubernetes.io/instance-type"))
		return p->vm_size;
	return NULL;
}

/*
 * 1 when the pod's selection lets it land on @p p and names the pool (one
 * of its declared labels, or its agentpool name). Keys the pool's facts
 * do not mention (zones, os) are not held against it.
 */
static int selects(const platci_node *spec, const platci_node_pool *p)
{
	const platci_node *ns = platci_node_get(spec, "nodeSelector");
	const platci_node *terms = platci_node_dig(spec,
		"affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
	int named = 0, declared;

	for (size_t i = 0; i < platci_node_count(ns); i++) {
		const char *k = platci_node_scalar(platci_node_key_at(ns, i), NULL);
		const char *v = platci_node_scalar(platci_node_value_at(ns, i), NULL);
		const char *have = k ? pool_label(p, k, &declared) : NULL;
		if (have && v && strcmp(have, v) != 0)
			return 0;
		named |= have != NULL;
	}
	if (platci_node_count(terms) == 0)
		return named;
	for (size_t t = 0; t < platci_node_count(terms); t++) {
		const platci_node *exprs =
			platci_node_get(platci_node_item_at(terms, t), "matchExpressions");
		int ok = 1, term_named = 0;
		for (size_t e = 0; e < platci_node_count(exprs) && ok; e++) {
			const platci_node *x = platci_node_item_at(exprs, e),
					  *vals = platci_node_get(x, "values");
			const char *k = platci_node_get_str(x, "key"),
				   *op = platci_node_get_str(x, "operator");
			const char *have = k ? pool_label(p, k, &declared) : NULL;
			int in = 0;
			if (!have || !op)
				continue;
			for (size_t i = 0; i < platci_node_count(vals); i++)
				in |= platci_node_is(platci_node_item_at(vals, i), have);
			if (!strcmp(op, "In"))
				ok = in, term_named = 1;
			else if (!strcmp(op, "NotIn"))
				ok = !in;
			else if (!strcmp(op, "Exists"))
				term_named = 1;
			else if (!strcmp(op, "DoesNotExist"))
				ok = 0;
		}
		if (ok && (named || term_named))
			return 1;
	}
	return 0;
}

/* The pools offering GPU @p res: by VM size, else by a taint on that resource. */
static int offers(const platci_node_pool *p, const char *res)
{
	const platci_vm_size *vm = platci_vm_size_find(p->vm_size);

	if (vm && vm->gpu_resource)
		return !strcmp(vm->gpu_resource, res);
	for (size_t i = 0; p->taints && p->taints[i]; i++)
		if (!strncmp(p->taints[i], res, strlen(res)) &&
			(p->taints[i][strlen(res)] == '=' || p->taints[i][strlen(res)] == ':'))
			return 1;
	return 0;
}

/* What pool @p p needs of the pod that it does not have, as text (empty: nothing). */
static void missing(char *out, size_t size, const platci_node *spec, const platci_node_pool *p)
{
	const platci_node *tols = platci_node_get(spec, "tolerations");
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; p->taints[i] && n < size; i++)
		if (!tolerates(tols, p->taints[i]))
			n += (size_t)snprintf(out + n, size - n, "%sa toleration of %s",
				n ? ", " : "", p->taints[i]);
	if (n < size && !selects(spec, p)) {
		n += (size_t)snprintf(out + n, size - n,
			"%sa nodeSelector or required node affinity "
			"for",
			n ? ", and " : "");
		for (size_t i = 0; p->labels[i] && n < size; i += 2)
			n += (size_t)snprintf(out + n, size - n, "%s %s=%s", i ? " or" : "",
				p->labels[i], p->labels[i + 1]);
		if (!p->labels[0] && n < size)
			snprintf(out + n, size - n, " agentpool=%s", p->name);
	}
}

typedef struct pod_at {
	platci_findings *out;
	const platci_cluster_facts *f;
	const char *file, *env, *what;
	const platci_node *spec;
} pod_at;

static int find(const pod_at *at, const char *rule, const platci_node *where, const char *key,
	const char *msg)
{
	platci_pos p = platci_node_start(where);
	platci_finding fd;

	memset(&fd, 0, sizeof(fd));
	fd.rule_id = rule;
	fd.severity = PLATCI_SEVERITY_MAJOR;
	fd.enforcement = PLATCI_ENFORCE_DENY;
	fd.message = msg;
	fd.file = at->file;
	fd.line = p.line;
	fd.column = p.column;
	fd.env = at->env;
	fd.key = key;
	return platci_findings_add(at->out, &fd);
}

static int check_gpu(const pod_at *at, const char *res, const platci_node *where)
{
	const platci_node_pool *first = NULL;
	char need[1024], msg[1600], key[512];

	for (size_t i = 0; i < platci_cluster_facts_pool_count(at->f); i++) {
		const platci_node_pool *p = platci_cluster_facts_pool_at(at->f, i);
		if (!p->complete)
			return 0; /* a pool the facts cannot say enough about: not judged */
		if (!offers(p, res))
			continue;
		missing(need, sizeof(need), at->spec, p);
		if (!need[0])
			return 0; /* this pool takes it */
		if (!first)
			first = p;
	}
	snprintf(key, sizeof(key), "%s|%s", at->what, res);
	if (!first) {
		snprintf(msg, sizeof(msg), "%s requests %s, and no node pool of %s offers it",
			at->what, res, at->env);
		return find(at, "nodepool.gpu-unschedulable", where, key, msg);
	}
	missing(need, sizeof(need), at->spec, first);
	snprintf(msg, sizeof(msg),
		"%s requests %s and would stay Pending: node pool %s (%s, %s:%zu) "
		"would take it with %s",
		at->what, res, first->name, first->vm_size, first->file, first->line, need);
	return find(at, "nodepool.gpu-unschedulable", where, key, msg);
}

/* The largest VM of the environment, or 0 when a pool's size is not known. */
static int largest(const platci_cluster_facts *f, double *cpu, double *mem, const char **name)
{
	*cpu = *mem = 0;
	*name = NULL;
	for (size_t i = 0; i < platci_cluster_facts_pool_count(f); i++) {
		const platci_vm_size *vm =
			platci_vm_size_find(platci_cluster_facts_pool_at(f, i)->vm_size);
		if (!vm)
			return 0;
		if (vm->vcpus > *cpu)
			*cpu = vm->vcpus, *name = vm->name;
		if ((double)vm->memory_mib * 1048576.0 > *mem)
			*mem = (double)vm->memory_mib * 1048576.0;
	}
	return *name != NULL;
}

static int check_size(const pod_at *at, const platci_node *c, const char *cname)
{
	double cpu, mem, want;
	const char *vm;
	const platci_node *q;
	char msg[700], key[512];
	int error = 0;

	if (!largest(at->f, &cpu, &mem, &vm))
		return 0;
	if ((q = request(c, "cpu")) && (want = quantity(q)) > cpu) {
		snprintf(msg, sizeof(msg),
			"%s container %s requests %g CPUs; no node pool of %s has a "
			"VM that large (the largest has %g vCPUs, %s)",
			at->what, cname, want, at->env, cpu, vm);
		snprintf(key, sizeof(key), "%s|%s|cpu", at->what, cname);
		error = find(at, "nodepool.request-too-large", q, key, msg);
	}
	if (!error && (q = request(c, "memory")) && (want = quantity(q)) > mem) {
		snprintf(msg, sizeof(msg),
			"%s container %s requests %.1f GiB of memory; no node pool of "
			"%s has a VM that large (the largest has %.0f GiB)",
			at->what, cname, want / 1073741824.0, at->env, mem / 1073741824.0);
		snprintf(key, sizeof(key), "%s|%s|memory", at->what, cname);
		error = find(at, "nodepool.request-too-large", q, key, msg);
	}
	return error;
}

int platci_nodepools_check_pod(platci_findings *out, const platci_cluster_facts *f,
	const platci_node *object, const char *file, const char *env)
{
	static const char *const lists[] = { "initContainers", "containers" };
	platci_k8s_id id;
	char what[300];
	pod_at at = { out, f, file, env, what, NULL };
	int error = 0;

	if (!f || !platci_cluster_facts_pool_count(f) || !platci_k8s_identity(&id, object) ||
		!(at.spec = pod_spec(object, id.kind)))
		return 0;
	snprintf(what, sizeof(what), "%s %s", id.kind ? id.kind : "object", id.name ? id.name : "?");
	for (size_t g = 0; g < PLATCI_ARRAY_SIZE(gpu_resources) && !error; g++) {
		for (size_t l = 0; l < 2 && !error; l++) {
			const platci_node *cs = platci_node_get(at.spec, lists[l]), *q = NULL;
			for (size_t i = 0; i < platci_node_count(cs) && !q; i++)
				if ((q = request(platci_node_item_at(cs, i), gpu_resources[g])) &&
					quantity(q) == 0)
					q = NULL;
			if (q) {
				error = check_gpu(&at, gpu_resources[g], q);
				break;
			}
		}
	}
	for (size_t l = 0; l < 2 && !error; l++) {
		const platci_node *cs = platci_node_get(at.spec, lists[l]);
		for (size_t i = 0; i < platci_node_count(cs) && !error; i++) {
			const char *cname = platci_node_get_str(platci_node_item_at(cs, i), "name");
			error = check_size(&at, platci_node_item_at(cs, i), cname ? cname : "?");
		}
	}
	return error;
}
