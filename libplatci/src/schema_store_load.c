/*
 * Filling the schema store: OpenAPI v2 and v3 documents, CRDs, and the
 * folder layout (one subfolder per Kubernetes minor version). Each
 * document is compiled whole before any of its kinds enter the store, so
 * a document that fails leaves the store as it was.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "doc.h"
#include "platci/path.h"
#include "platci/fs.h"
#include "schema_store_int.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

#define OBJECT_META "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"

static int node_error(platci_diag *diag, int code, const char *file, const platci_node *at,
	const char *fmt, ...) PLATCI_PRINTF(5, 6);

static int node_error(platci_diag *diag, int code, const char *file, const platci_node *at,
	const char *fmt, ...)
{
	platci_pos pos = platci_node_start(at);
	va_list ap;

	va_start(ap, fmt);
	code = platci_diag_verror(diag, code, file, pos.line, pos.column, pos.offset, fmt, ap);
	va_end(ap);
	return code;
}

static void warn(platci_diag *diag, const char *file, const char *msg)
{
	platci_diag_entry e = { PLATCI_DIAG_WARNING, 0, file, 0, 0, 0, NULL, NULL };

	platci_diag_add(diag, &e, "%s", msg);
}

static int load_file(platci_doc **out, const platci_schema_store *st, const char *path, platci_diag *diag)
{
	platci_doc_options o = PLATCI_DOC_OPTIONS_INIT;
	size_t n = strlen(path);

	o.max_file_size = st->opts.max_document_size ? st->opts.max_document_size
						     : STORE_DEFAULT_MAX_DOCUMENT;
	o.max_depth = st->opts.max_depth;
	if (n > 5 && !strcmp(path + n - 5, ".json"))
		return platci_doc_load_json_file(out, path, &o, diag);
	return platci_doc_load_file(out, path, &o, diag);
}

static platci_schema_options compile_options(const platci_schema_store *st, int structural)
{
	platci_schema_options o = PLATCI_SCHEMA_OPTIONS_INIT;

	o.dialect = PLATCI_SCHEMA_KUBERNETES;
	o.structural = structural;
	o.max_depth = st->opts.max_depth;
	return o;
}

/* ---- OpenAPI ---------------------------------------------------------------------------- */

typedef struct pending_gvk {
	const char *api_version, *kind;
	const sch *root;
	char av[256];
} pending_gvk;

/* The definitions of a v2 (`definitions`) or v3 (`components.schemas`) document. */
static const platci_node *definitions_of(const platci_node *root)
{
	const platci_node *d = platci_node_get(root, "definitions");

	if (platci_node_type_of(d) == PLATCI_NODE_MAPPING &&
		(platci_node_get(root, "swagger") || platci_node_get(root, "paths")))
		return d;
	d = platci_node_dig(root, "components.schemas");
	if (platci_node_type_of(d) == PLATCI_NODE_MAPPING && platci_node_get(root, "openapi"))
		return d;
	return NULL;
}

/* Compiles every definition that names a GVK; queues the kinds in @p out. */
static int compile_definitions(platci_schema *s, const platci_node *defs, pending_gvk **out,
	size_t *n, size_t *alloc, const sch **object_meta, platci_diag *diag)
{
	int error;

	for (size_t i = 0; i < platci_node_count(defs); i++) {
		const char *name = platci_node_scalar(platci_node_key_at(defs, i), NULL);
		const platci_node *def = platci_node_value_at(defs, i);
		const platci_node *gvks = platci_node_get(def, "x-kubernetes-group-version-kind");
		const sch *root = NULL;
		sch *compiled;

		/* meta.v1 types (DeleteOptions, WatchEvent, Status...) carry a GVK for every
		 * group but are API plumbing, never applied: not kinds to look up */
		if (!strncmp(name, "io.k8s.apimachinery.pkg.apis.meta.", 34))
			gvks = NULL;
		if (!gvks && strcmp(name, OBJECT_META))
			continue;
		if ((error = platci_schema__entry(&compiled, s, def, name, diag)) < 0)
			return error;
		root = compiled;
		if (!strcmp(name, OBJECT_META))
			*object_meta = root;
		for (size_t k = 0; k < platci_node_count(gvks); k++) {
			const platci_node *g = platci_node_item_at(gvks, k);
			const char *group = platci_node_get_str(g, "group");
			const char *version = platci_node_get_str(g, "version");
			const char *kind = platci_node_get_str(g, "kind");
			pending_gvk *p;
			if (!version || !kind)
				continue;
			if (platci__grow_array((void **)out, alloc, *n + 1, sizeof(**out)) < 0)
				return PLATCI_ENOMEM;
			p = &(*out)[(*n)++];
			snprintf(p->av, sizeof(p->av), "%s%s%s", group && *group ? group : "",
				group && *group ? "/" : "", version);
			p->kind = kind;
			p->root = root;
		}
	}
	return 0;
}

static int add_openapi_doc(platci_schema_store *st, store_layer *l, const platci_doc *doc, platci_diag *diag)
{
	const platci_node *root = platci_doc_root_at(doc, 0), *defs = definitions_of(root);
	platci_schema_options o = compile_options(st, 0);
	platci_schema *s = NULL;
	pending_gvk *pend = NULL;
	size_t npend = 0, alloc = 0;
	const sch *object_meta = NULL;
	int error;

	if (!defs)
		return node_error(diag, PLATCI_EDATA, platci_doc_name(doc), root,
			"not a Kubernetes OpenAPI document: it has neither `swagger` and `definitions` "
			"(OpenAPI v2, /openapi/v2) nor `openapi` and `components.schemas` (v3)");
	if ((error = platci_schema__new(&s, root, platci_doc_name(doc), &o, diag)) < 0)
		return error;
	if ((error = compile_definitions(s, defs, &pend, &npend, &alloc, &object_meta, diag)) < 0 ||
		(error = platci_schema__seal(s, diag)) < 0)
		goto done;
	if ((error = platci_schema__store_keep(st, s)) < 0)
		goto done;
	for (size_t i = 0; i < npend && error >= 0; i++)
		error = platci_schema__set_add(st, &l->set, pend[i].av, pend[i].kind,
			platci_doc_name(doc), PLATCI_SCHEMA_FROM_OPENAPI, pend[i].root, s);
	s = NULL; /* now owned by the store */
	if (error >= 0)
		error = platci_schema__set_finish(&l->set);
	l->has_openapi = 1;
	if (object_meta && !l->object_meta)
		l->object_meta = object_meta;
	if (object_meta && !st->any_object_meta)
		st->any_object_meta = object_meta;
done:
	platci_schema_free(s);
	free(pend);
	return error < 0 ? error : 0;
}

int platci_schema_store_add_openapi_file(platci_schema_store *st, const char *k8s_version,
	const char *path, platci_diag *diag)
{
	platci_doc *doc = NULL;
	store_layer *l;
	int error;

	if (!st || !path)
		return PLATCI_EINVALID;
	if (platci_schema_version_normalize((char[16]){ 0 }, 16, k8s_version) < 0)
		return PLATCI_EINVALID;
	if ((error = load_file(&doc, st, path, diag)) < 0)
		return error;
	if (!(l = platci_schema__layer(st, k8s_version, 1)))
		error = PLATCI_ENOMEM;
	else
		error = add_openapi_doc(st, l, doc, diag);
	platci_doc_free(doc);
	return error;
}

/* ---- CRDs ------------------------------------------------------------------------------- */

/* The object root of a CRD: apiVersion, kind and metadata are implied; metadata is ObjectMeta. */
static void mark_resource_root(sch *root)
{
	while (root->ref)
		root = root->ref;
	root->flags |= F_EMBEDDED;
	for (size_t i = 0; i < root->nprops; i++)
		if (root->props[i].len == 8 && !memcmp(root->props[i].name, "metadata", 8))
			root->props[i].schema->flags |= F_METADATA;
}

static int add_crd_version(platci_schema_store *st, store_set *set, platci_schema_origin origin,
	const char *file, const char *group, const char *kind, const platci_node *version,
	const platci_node *schema_node, platci_diag *diag)
{
	platci_schema_options o = compile_options(st, 1);
	const char *name = platci_node_get_str(version, "name");
	platci_schema *s = NULL;
	sch *root;
	char av[256];
	int error;

	snprintf(av, sizeof(av), "%s/%s", group, name);
	if (platci_schema__set_find(set, av, kind))
		return 0; /* met before (the same CRD in another file): the first wins */
	if ((error = platci_schema__new(&s, schema_node, file, &o, diag)) < 0)
		return error;
	if ((error = platci_schema__entry(&root, s, schema_node, kind, diag)) < 0 ||
		(error = platci_schema__seal(s, diag)) < 0) {
		platci_schema_free(s);
		return error;
	}
	mark_resource_root(root);
	if ((error = platci_schema__store_keep(st, s)) < 0) {
		platci_schema_free(s);
		return error;
	}
	error = platci_schema__set_add(st, set, av, kind, file, origin, root, s);
	return error < 0 ? error : 1;
}

static int add_crd(platci_schema_store *st, store_set *set, platci_schema_origin origin,
	const char *file, const platci_node *crd, size_t *added, platci_diag *diag)
{
	const char *group = platci_node_dig(crd, "spec.group")
				    ? platci_node_scalar(platci_node_dig(crd, "spec.group"), NULL)
				    : NULL;
	const platci_node *kindn = platci_node_dig(crd, "spec.names.kind");
	const platci_node *versions = platci_node_dig(crd, "spec.versions");
	const platci_node *shared = platci_node_dig(crd, "spec.validation.openAPIV3Schema");
	const char *kind = platci_node_scalar(kindn, NULL),
		   *crd_name = platci_node_get_str(platci_node_get(crd, "metadata"), "name");
	int rc;

	if (!group || !kind || platci_node_type_of(versions) != PLATCI_NODE_SEQUENCE)
		return node_error(diag, PLATCI_EDATA, file, crd,
			"CustomResourceDefinition %s: needs spec.group, spec.names.kind and spec.versions",
			crd_name ? crd_name : "(no name)");
	for (size_t i = 0; i < platci_node_count(versions); i++) {
		const platci_node *v = platci_node_item_at(versions, i);
		const platci_node *schema = platci_node_dig(v, "schema.openAPIV3Schema");
		const char *vname = platci_node_get_str(v, "name");
		if (!vname || platci_node_is(platci_node_get(v, "served"), "false"))
			continue;
		if (!schema)
			schema = shared;
		if (platci_node_type_of(schema) != PLATCI_NODE_MAPPING)
			return node_error(diag, PLATCI_EDATA, file, v,
				"CustomResourceDefinition %s: served version %s has no "
				"schema.openAPIV3Schema, so %s/%s %s objects cannot be checked",
				crd_name ? crd_name : kind, vname, group, vname, kind);
		if ((rc = add_crd_version(st, set, origin, file, group, kind, v, schema, diag)) < 0)
			return rc;
		if (added)
			*added += (size_t)rc;
	}
	return 0;
}

static int is_crd(const platci_node *root)
{
	const char *av = platci_node_get_str(root, "apiVersion");

	return av && !strncmp(av, "apiextensions.k8s.io/", 21) &&
	       platci_node_is(platci_node_get(root, "kind"), "CustomResourceDefinition");
}

int platci_schema_store_add_crds(platci_schema_store *st, const platci_doc *doc,
	const char *k8s_version, size_t *added, platci_diag *diag)
{
	store_layer *l = NULL;
	store_set *set;
	platci_schema_origin origin = PLATCI_SCHEMA_FROM_REPO_CRD;
	int error = 0;

	if (added)
		*added = 0;
	if (!st || !doc)
		return PLATCI_EINVALID;
	set = &st->repo;
	if (k8s_version) {
		if (platci_schema_version_normalize((char[16]){ 0 }, 16, k8s_version) < 0)
			return PLATCI_EINVALID;
		if (!(l = platci_schema__layer(st, k8s_version, 1)))
			return PLATCI_ENOMEM;
		set = &l->set;
		origin = PLATCI_SCHEMA_FROM_CRD;
	}
	for (size_t i = 0; i < platci_doc_count(doc) && error >= 0; i++) {
		const platci_node *root = platci_doc_root_at(doc, i);
		const platci_node *items = platci_node_get(root, "items");
		if (is_crd(root)) {
			error = add_crd(st, set, origin, platci_doc_name(doc), root, added, diag);
		} else if (platci_node_type_of(items) == PLATCI_NODE_SEQUENCE &&
			   (platci_node_is(platci_node_get(root, "kind"), "List") ||
				   platci_node_is(platci_node_get(root, "kind"),
					   "CustomResourceDefinitionList"))) {
			for (size_t k = 0; k < platci_node_count(items) && error >= 0; k++)
				if (is_crd(platci_node_item_at(items, k)))
					error = add_crd(st, set, origin, platci_doc_name(doc),
						platci_node_item_at(items, k), added, diag);
		}
	}
	if (platci_schema__set_finish(set) < 0 && error >= 0)
		error = PLATCI_ENOMEM;
	return error;
}

/* ---- the folder layout ---------------------------------------------------------------- */

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && !strcmp(s + n - k, suffix);
}

typedef struct each_ctx {
	int dirs;
	int (*fn)(void *ctx, const char *path, const char *name, int is_dir);
	void *ctx;
	platci_diag *diag;
} each_ctx;

static int each_one(const char *rel, const char *full, const struct stat *st, void *payload)
{
	each_ctx *e = payload;

	if (!st) {
		platci_diag_entry d = { PLATCI_DIAG_ERROR, PLATCI_EIO, full, 0, 0, 0, NULL, NULL };
		platci_diag_add(e->diag, &d, "cannot list the folder");
		return PLATCI_EIO;
	}
	if (S_ISDIR(st->st_mode) && !e->dirs)
		return 0;
	return e->fn(e->ctx, full, rel, S_ISDIR(st->st_mode));
}

/* Calls @p fn on every entry of @p dir in name order (files only unless @p dirs), links followed. */
static int each_entry(const char *dir, int dirs,
	int (*fn)(void *ctx, const char *path, const char *name, int is_dir), void *ctx, platci_diag *diag)
{
	each_ctx e = { dirs, fn, ctx, diag };

	return platci__walk(dir, "", 0, PLATCI__WALK_FOLLOW | PLATCI__WALK_UNLISTED, each_one, &e);
}

typedef struct walk {
	platci_schema_store *st;
	const char *version; /* NULL: every version */
	platci_diag *diag;
	size_t found;
} walk;

static int crd_file(void *ctx, const char *path, const char *name, int is_dir)
{
	walk *w = ctx;
	platci_doc *doc = NULL;
	int error;

	if (is_dir || !(has_suffix(name, ".yaml") || has_suffix(name, ".yml") || has_suffix(name, ".json")))
		return 0;
	if ((error = load_file(&doc, w->st, path, w->diag)) < 0)
		return error;
	error = platci_schema_store_add_crds(w->st, doc, w->version, NULL, w->diag);
	platci_doc_free(doc);
	w->found++;
	return error;
}

static int openapi_v3_file(void *ctx, const char *path, const char *name, int is_dir)
{
	walk *w = ctx;

	if (is_dir || !has_suffix(name, ".json") || !strcmp(name, "index.json"))
		return 0;
	w->found++;
	return platci_schema_store_add_openapi_file(w->st, w->version, path, w->diag);
}

static int version_entry(void *ctx, const char *path, const char *name, int is_dir)
{
	walk *w = ctx;
	char msg[300];

	if (!is_dir && !strcmp(name, "openapi-v2.json")) {
		w->found++;
		return platci_schema_store_add_openapi_file(w->st, w->version, path, w->diag);
	}
	if (is_dir && !strcmp(name, "openapi-v3"))
		return each_entry(path, 0, openapi_v3_file, w, w->diag);
	if (is_dir && !strcmp(name, "crds"))
		return each_entry(path, 0, crd_file, w, w->diag);
	if (!is_dir && !strcmp(name, "fetched.json"))
		return 0;
	snprintf(msg, sizeof(msg),
		"not part of the schema layout (openapi-v2.json, openapi-v3/, "
		"crds/): ignored");
	warn(w->diag, path, msg);
	return 0;
}

int platci_schema__load_version_dir(platci_schema_store *st, const char *path, const char *version,
	platci_diag *diag)
{
	walk w = { st, version, diag, 0 };
	int error;

	if (!platci_schema__layer(st, version, 1))
		return PLATCI_ENOMEM;
	error = each_entry(path, 1, version_entry, &w, diag);
	if (error >= 0 && !w.found)
		warn(diag, path,
			"holds no openapi-v2.json, openapi-v3/*.json or crds/: "
			"nothing for this Kubernetes version");
	return error;
}

static int top_entry(void *ctx, const char *path, const char *name, int is_dir)
{
	walk *w = ctx, sub = *w;
	char version[16];
	int error;

	if (is_dir && !strcmp(name, "crds")) {
		sub.version = NULL;
		error = each_entry(path, 0, crd_file, &sub, w->diag);
	} else if (is_dir && platci_schema_version_normalize(version, sizeof(version), name) == 0 &&
		   !strcmp(version, name)) {
		error = platci_schema__load_version_dir(w->st, path, version, w->diag);
	} else {
		warn(w->diag, path, "neither a Kubernetes version folder (such as 1.31) nor crds/: ignored");
		return 0;
	}
	w->found++;
	return error;
}

int platci_schema_store_load_dir(platci_schema_store *st, const char *dir, platci_diag *diag)
{
	walk w = { st, NULL, diag, 0 };
	int error;

	if (!st || !dir)
		return PLATCI_EINVALID;
	if (!platci_fs_is_dir(dir)) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ENOTFOUND, dir, 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &e, "schema folder not found");
		return PLATCI_ENOTFOUND;
	}
	if ((error = each_entry(dir, 1, top_entry, &w, diag)) < 0)
		return error;
	if (!w.found) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ENOTFOUND, dir, 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &e,
			"holds no Kubernetes version folder (1.30/, 1.31/...) and no crds/");
		return PLATCI_ENOTFOUND;
	}
	return 0;
}

int platci_schema_store_add_crd_path(platci_schema_store *st, const char *path,
	const char *k8s_version, platci_diag *diag)
{
	walk w = { st, k8s_version, diag, 0 };
	char version[16];
	const char *slash;

	if (!st || !path)
		return PLATCI_EINVALID;
	if (k8s_version) {
		if (platci_schema_version_normalize(version, sizeof(version), k8s_version) < 0)
			return PLATCI_EINVALID;
		w.version = version;
	}
	if (platci_fs_is_dir(path))
		return each_entry(path, 0, crd_file, &w, diag);
	if (!platci_fs_exists(path)) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_ENOTFOUND, path, 0, 0, 0, NULL, NULL };
		platci_diag_add(diag, &e, "CRD file or folder not found");
		return PLATCI_ENOTFOUND;
	}
	slash = strrchr(path, '/');
	return crd_file(&w, path, slash ? slash + 1 : path, 0);
}
