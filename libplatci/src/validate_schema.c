/*
 * Validate's schema and node-pool checks: every object an environment
 * deploys against its kind's schema for that environment's Kubernetes
 * version (schema.invalid, schema.unknown-kind, k8s.api-removed), and
 * every pod template against the environment's node pools (nodepools.h).
 *
 * The run calls platci_validate__schema_setup() once, before the check
 * phase: it loads the schema folder, the CRDs platci.yaml names and the
 * CRDs in the tree, and reads each environment's version and pools.
 * Then each file's objects go through platci_validate__schema_objects()
 * once per environment whose tree reaches the file (on the worker
 * threads: the store and the facts are only read by then). That function
 * takes any set of objects and an environment, so rendered output can be
 * fed to it the same way.
 */
#include <stdio.h>
#include <string.h>

#include "platci/flux.h"
#include "platci/fs.h"
#include "platci/k8s.h"
#include "platci/nodepools.h"
#include "platci/path.h"
#include "platci/schema_store.h"
#include "validate_int.h"
#include "util/common.h"
#include "util/banned.h"

/* What one environment is checked against. */
typedef struct venv {
	const platci_env *env;
	char version[16]; /* "1.30", or "" when unknown */
	int has_docs; /* the store has OpenAPI documents for it */
	platci_cluster_facts *facts;
} venv;

struct vschema {
	platci_schema_store *store;
	venv *envs;
	size_t nenvs;
	int strict;
};

/* platci.yaml as the findings name it: relative to the repository root. */
static const char *cfg_file(const vctx *v)
{
	const char *path = platci_config_path(v->cfg), *root = platci_config_root(v->cfg);
	size_t n = strlen(root);

	if (!strncmp(path, root, n) && path[n] == '/')
		return path + n + 1;
	return strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
}

static platci_enforcement deny_if(int strict)
{
	return strict ? PLATCI_ENFORCE_DENY : PLATCI_ENFORCE_WARN;
}

/* Diagnostics of a repository CRD that cannot be used become findings at their place. */
static int crd_findings(platci_findings *out, const platci_diag *d, const char *file, const char *env)
{
	int error = 0;

	for (size_t i = 0; i < platci_diag_count(d) && !error; i++) {
		const platci_diag_entry *e = platci_diag_at(d, i);
		if (e->level != PLATCI_DIAG_ERROR)
			continue;
		error = platci_validate__find(out, "schema.invalid", PLATCI_SEVERITY_MAJOR,
			PLATCI_ENFORCE_DENY, file, e->line, e->column, env, e->message, "%s", e->message);
	}
	return error;
}

static int may_hold_crd(const file_result *r)
{
	static const char word[] = "CustomResourceDefinition";

	if (r->doc)
		return 1;
	return r->bytes && platci_validate__contains(r->bytes, r->len, word);
}

/* The tree's CRDs (Flux's gotk-components.yaml among them) apply to every version. */
static int add_tree_crds(vctx *v, platci_findings *out)
{
	int error = 0;

	for (size_t i = 0; i < v->count && !error; i++) {
		file_result *r = &v->results[i];
		platci_diag *d = NULL;

		if (!may_hold_crd(r) || (error = platci_validate__parse(v, r, v->files[i])) < 0)
			continue;
		if (!r->doc)
			continue;
		if ((error = platci_diag_new(&d)) < 0)
			break;
		error = platci_schema_store_add_crds(v->schema->store, r->doc, NULL, NULL, d);
		if (error == PLATCI_EDATA || error == PLATCI_ESYNTAX || error == PLATCI_ELIMIT)
			error = crd_findings(out, d, v->files[i], r->env);
		platci_diag_free(d);
	}
	return error;
}

/* schemas.crds: files or folders of CRDs for every version; a broken one stops the run (65). */
static int add_config_crds(vctx *v, platci_diag *diag)
{
	const platci_schema_config *sc = platci_config_schemas(v->cfg);
	int error = 0;

	for (size_t i = 0; i < sc->ncrds && !error; i++) {
		platci_buf full = PLATCI_BUF_INIT;
		if ((error = platci_path_on_disk(&full, platci_config_root(v->cfg), sc->crds[i])) == 0)
			error = platci_schema_store_add_crd_path(v->schema->store, full.ptr, NULL, diag);
		platci_buf_dispose(&full);
	}
	return error;
}

/* The schema folder: --schemas as given, else schemas.dir under the root. */
static int load_folder(vctx *v, platci_findings *out, platci_diag *diag)
{
	const platci_schema_config *sc = platci_config_schemas(v->cfg);
	platci_buf full = PLATCI_BUF_INIT;
	const char *shown = v->opts->schemas_dir ? v->opts->schemas_dir : sc->dir;
	int error = 0;

	if (!shown)
		return platci_validate__find(out, "schema.unavailable", PLATCI_SEVERITY_INFO,
			PLATCI_ENFORCE_WARN, cfg_file(v), 1, 0, NULL, "no-folder",
			"no schema folder is configured (schemas.dir in platci.yaml, or --schemas): "
			"built-in Kubernetes kinds are not checked, nor are removed APIs; kinds with a "
			"CRD in the repository (Flux's among them) are");
	if (v->opts->schemas_dir)
		error = platci_buf_puts(&full, v->opts->schemas_dir);
	else
		error = platci_path_on_disk(&full, platci_config_root(v->cfg), sc->dir);
	if (error < 0)
		goto done;
	/* --schemas names a folder that must be there (exit 66); schemas.dir may wait for a fetch */
	if (!v->opts->schemas_dir && !platci_fs_is_dir(full.ptr)) {
		error = platci_validate__find(out, "schema.unavailable", PLATCI_SEVERITY_MINOR,
			PLATCI_ENFORCE_WARN, cfg_file(v), 1, 0, NULL, "missing-folder",
			"the schema folder %s does not exist: built-in Kubernetes kinds are not "
			"checked (run `platci-schemas fetch --env ENV --out %s`)",
			shown, shown);
		goto done;
	}
	error = platci_schema_store_load_dir(v->schema->store, full.ptr, diag);
done:
	platci_buf_dispose(&full);
	return error;
}

/* Each environment's version: platci.yaml's, else its Terraform's. */
static int env_version(vctx *v, venv *e, platci_findings *out, platci_diag *diag)
{
	const char *ver = e->env->kubernetes_version;
	int error = 0;

	if (e->env->infra &&
		(error = platci_cluster_facts_read(&e->facts, platci_config_root(v->cfg),
			 e->env->infra, diag)) < 0 &&
		error != PLATCI_ENOTFOUND)
		return error;
	if (!ver && e->facts)
		ver = platci_cluster_facts_k8s_version(e->facts, NULL, NULL);
	if (ver && platci_schema_version_normalize(e->version, sizeof(e->version), ver) < 0)
		e->version[0] = '\0';
	if (!e->version[0] && !platci_schema_store_version_count(v->schema->store))
		return 0; /* no documents at all: said once by load_folder() */
	if (!e->version[0])
		return platci_validate__find(out, "schema.unavailable", PLATCI_SEVERITY_INFO,
			PLATCI_ENFORCE_WARN, cfg_file(v), e->env->line, 0, e->env->name, "no-version",
			"environment %s: its Kubernetes version is not known "
			"(kubernetes_version in platci.yaml, or a literal kubernetes_version of the "
			"azurerm_kubernetes_cluster in %s): built-in kinds are not checked there",
			e->env->name, e->env->infra ? e->env->infra : "its Terraform root");
	for (size_t i = 0; i < platci_schema_store_version_count(v->schema->store); i++)
		if (!strcmp(platci_schema_store_version_at(v->schema->store, i), e->version))
			e->has_docs = 1;
	if (!e->has_docs && platci_schema_store_version_count(v->schema->store))
		error = platci_validate__find(out, "schema.unavailable", PLATCI_SEVERITY_MINOR,
			PLATCI_ENFORCE_WARN, cfg_file(v), e->env->line, 0, e->env->name, "no-documents",
			"environment %s runs Kubernetes %s, and the schema folder has no "
			"documents for it: built-in kinds are not checked there (run `platci-schemas "
			"fetch --env %s`)",
			e->env->name, e->version, e->env->name);
	return error;
}

int platci_validate__schema_setup(vctx *v, platci_findings *out, platci_diag *diag)
{
	vschema *s;
	int error;

	if (!(s = v->schema = calloc(1, sizeof(*s))))
		return PLATCI_ENOMEM;
	s->strict = v->opts->strict || platci_config_schemas(v->cfg)->strict;
	s->nenvs = platci_config_env_count(v->cfg);
	if (!(s->envs = calloc(s->nenvs + 1, sizeof(*s->envs))))
		return PLATCI_ENOMEM;
	if ((error = platci_schema_store_new(&s->store, NULL)) < 0 || (error = add_tree_crds(v, out)) < 0 ||
		(error = add_config_crds(v, diag)) < 0 || (error = load_folder(v, out, diag)) < 0)
		return error;
	for (size_t e = 0; e < s->nenvs && !error; e++) {
		s->envs[e].env = platci_config_env_at(v->cfg, e);
		error = env_version(v, &s->envs[e], out, diag);
	}
	return error;
}

void platci_validate__schema_dispose(vctx *v)
{
	vschema *s = v->schema;

	if (!s)
		return;
	for (size_t e = 0; e < s->nenvs; e++)
		platci_cluster_facts_free(s->envs[e].facts);
	free(s->envs);
	platci_schema_store_free(s->store);
	free(s);
	v->schema = NULL;
}

/* ---- one set of objects, one environment --------------------------------- */

/*
 * A value Flux substitutes before applying (`${REPLICAS}`) is not what the
 * API server will see: its type, format and range are not judged here.
 */
static int substituted(const platci_schema_violation *sv)
{
	const char *s = platci_node_type_of(sv->node) == PLATCI_NODE_SCALAR
				? platci_node_scalar(sv->node, NULL)
				: NULL;

	return s && strstr(s, "${") && sv->problem != PLATCI_SCHEMA_V_REQUIRED &&
	       sv->problem != PLATCI_SCHEMA_V_UNKNOWN_FIELD;
}

static int violations(const venv *e, const vobject *o, const platci_k8s_id *id,
	const platci_schema_violations *list, platci_findings *out)
{
	int error = 0;

	for (size_t i = 0; i < platci_schema_violations_count(list) && !error; i++) {
		const platci_schema_violation *sv = platci_schema_violations_at(list, i);
		platci_buf key = PLATCI_BUF_INIT;
		if (substituted(sv))
			continue;
		platci_buf_printf(&key, "%s|%s|%s|%s|%s", id->api_version, id->kind,
			id->name ? id->name : "", sv->path, sv->keyword ? sv->keyword : "");
		error = platci_validate__find(out, "schema.invalid", PLATCI_SEVERITY_MAJOR,
			PLATCI_ENFORCE_DENY, o->file, sv->pos.line, sv->pos.column, e->env->name,
			key.ptr, "%s %s: %s%s%s (Kubernetes %s)", id->kind, id->name ? id->name : "?",
			sv->path, *sv->path ? ": " : "", sv->message, e->version[0] ? e->version : "CRD");
		platci_buf_dispose(&key);
	}
	return error;
}

/* No schema: removed by the environment's version (with the replacement), or unknown. */
static int no_schema(const vschema *s, const venv *e, const vobject *o, const platci_k8s_id *id,
	platci_findings *out)
{
	platci_pos p = platci_node_start(platci_node_get(id->root, "apiVersion"));
	platci_schema_removal rm;
	char key[512];

	snprintf(key, sizeof(key), "%s|%s|%s", id->api_version, id->kind, id->name ? id->name : "");
	if (platci_schema_store_removed(&rm, s->store, e->version, id->api_version, id->kind) == 1)
		return platci_validate__find(out, "k8s.api-removed", PLATCI_SEVERITY_CRITICAL,
			PLATCI_ENFORCE_DENY, o->file, p.line, p.column, e->env->name, key,
			"%s %s uses %s, which Kubernetes %s no longer serves (last served by %s, removed "
			"in %s)%s%s",
			id->kind, id->name ? id->name : "?", id->api_version, e->version,
			rm.last_served, rm.removed_in,
			rm.replacement[0] ? ": use " : "; no replacement", rm.replacement);
	if (platci_flux_removed_api(id->api_version, id->kind))
		return 0; /* flux.api-removed says so, with Flux's replacement */
	return platci_validate__find(out, "schema.unknown-kind", PLATCI_SEVERITY_MINOR,
		deny_if(s->strict), o->file, p.line, p.column, e->env->name, key,
		"%s %s: no schema for %s %s in Kubernetes %s or the CRDs (add its CRD to the "
		"repository or schemas.crds, or fetch the cluster's)",
		id->kind, id->name ? id->name : "?", id->api_version, id->kind, e->version);
}

/* The schema checks of one object (what depends on the version only). */
static int one_object(const vschema *s, const venv *e, const vobject *o,
	platci_schema_violations *list, platci_findings *out)
{
	platci_schema_check_options co = PLATCI_SCHEMA_CHECK_OPTIONS_INIT;
	platci_k8s_id id;
	int rc;

	if (!platci_k8s_identity(&id, o->root) || !id.api_version || !id.kind)
		return 0;
	co.strict = s->strict;
	co.partial = o->partial;
	platci_schema_violations_clear(list);
	rc = platci_schema_store_validate(list, s->store, e->version[0] ? e->version : "0.0",
		o->root, o->file, &co);
	if (rc == 1)
		rc = violations(e, o, &id, list, out);
	else if (rc == PLATCI_ENOTFOUND && e->has_docs)
		rc = no_schema(s, e, o, &id, out);
	else if (rc != PLATCI_ENOMEM)
		rc = 0; /* no documents for the version (said once), or not an object */
	return rc;
}

static int schema_checks(const vschema *s, const venv *e, const vobject *objs, size_t n,
	platci_findings *out)
{
	platci_schema_violations *list = NULL;
	int error;

	if ((error = platci_schema_violations_new(&list)) < 0)
		return error;
	for (size_t i = 0; i < n && !error; i++)
		error = one_object(s, e, &objs[i], list, out);
	platci_schema_violations_free(list);
	return error;
}

/* The node-pool checks (what depends on the environment's Terraform); patches are not pods. */
static int pool_checks(const venv *e, const vobject *objs, size_t n, platci_findings *out)
{
	int error = 0;

	for (size_t i = 0; i < n && !error && e->facts; i++)
		if (!objs[i].partial)
			error = platci_nodepools_check_pod(out, e->facts, objs[i].root,
				objs[i].file, e->env->name);
	return error;
}

int platci_validate__schema_objects(const vschema *s, size_t env_index, const vobject *objs,
	size_t n, platci_findings *out)
{
	int error;

	if (!s || env_index >= s->nenvs)
		return 0;
	if ((error = schema_checks(s, &s->envs[env_index], objs, n, out)) < 0)
		return error;
	return pool_checks(&s->envs[env_index], objs, n, out);
}

/* @p from's findings again for environment @p env (their fingerprints follow the environment). */
static int copy_for(platci_findings *out, const platci_findings *from, const char *env)
{
	int error = 0;

	for (size_t i = 0; i < platci_findings_count(from) && !error; i++) {
		platci_finding f = *platci_findings_at(from, i);
		f.env = env;
		f.fingerprint[0] = '\0';
		error = platci_findings_add(out, &f);
	}
	return error;
}

static int reaches(const vctx *v, const file_result *r, size_t e)
{
	return (e < 64 && ((r->reach >> e) & 1)) ||
	       (r->env && !strcmp(r->env, v->schema->envs[e].env->name));
}

/*
 * Each environment reaching the file; environments on the same Kubernetes
 * version share one schema pass (a base reached by every environment is
 * validated once per version, not once per environment).
 */
static int per_env(vctx *v, file_result *r, const vobject *objs, size_t n)
{
	const vschema *s = v->schema;
	platci_findings *lists[64] = { NULL };
	int error = 0;

	for (size_t e = 0; e < s->nenvs && e < 64 && !error; e++) {
		size_t same = e;
		if (!reaches(v, r, e))
			continue;
		for (size_t p = 0; p < e && same == e; p++)
			if (lists[p] && !strcmp(s->envs[p].version, s->envs[e].version) &&
				s->envs[p].has_docs == s->envs[e].has_docs)
				same = p;
		if (same == e && ((error = platci_findings_new(&lists[e])) < 0 ||
					 (error = schema_checks(s, &s->envs[e], objs, n, lists[e])) < 0))
			break;
		if ((error = copy_for(r->findings, lists[same], s->envs[e].env->name)) == 0)
			error = pool_checks(&s->envs[e], objs, n, r->findings);
	}
	for (size_t e = 0; e < 64; e++)
		platci_findings_free(lists[e]);
	return error;
}

/* A file of the tree: its objects, for each environment that reaches it. */
int platci_validate__schema_file(vctx *v, size_t fi)
{
	file_result *r = &v->results[fi];
	size_t n = r->doc ? platci_doc_count(r->doc) : 0, k = 0;
	vobject *objs;
	int error;

	if (!v->schema || !n || (r->role != ROLE_OBJECTS && r->role != ROLE_AUX))
		return 0;
	if (!(objs = calloc(n, sizeof(*objs))))
		return PLATCI_ENOMEM;
	for (size_t d = 0; d < n; d++) {
		const platci_node *root = platci_doc_root_at(r->doc, d);
		if (platci_node_type_of(root) != PLATCI_NODE_MAPPING)
			continue;
		objs[k].root = root;
		objs[k].file = v->files[fi];
		objs[k++].partial = r->role == ROLE_AUX;
	}
	error = per_env(v, r, objs, k);
	free(objs);
	return error;
}
