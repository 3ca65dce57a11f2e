/*
 * After a build: postBuild substitution (from this cluster's ConfigMaps
 * and Secrets), the objects added to the model and scanned for Flux
 * objects. At the end: the names every Flux object uses must resolve in
 * this cluster, dependsOn must not loop, and no object may be applied
 * twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fluxmodel_int.h"
#include "platci/k8s.h"
#include "util/common.h"
#include "util/banned.h"

#define SUBST_LABEL "kustomize.toolkit.fluxcd.io/substitute"

size_t platci_fluxmodel__find_object(const platci_fluxmodel *m, const char *kind, const char *ns,
	const char *name)
{
	for (size_t i = 0; i < m->obj_count; i++) {
		const platci_fluxmodel_object *o = &m->obj[i];
		if (kind && name && strcmp(o->kind, kind) == 0 && strcmp(o->name, name) == 0 &&
			strcmp(o->namespace_ ? o->namespace_ : "default", ns ? ns : "default") == 0)
			return i;
	}
	return PLATCI_FLUX_NONE;
}

static int b64(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* ConfigMap data, Secret stringData, or Secret data decoded; NULL when absent. */
const char *platci_fluxmodel__data_value(const platci_fluxmodel *m, size_t obj, const char *key,
	platci_buf *scratch)
{
	const platci_node *root = m->obj[obj].root;
	const char *v;
	unsigned int acc = 0;
	int bits = 0;

	if ((v = platci_node_get_str(platci_node_get(root, "stringData"), key)))
		return v;
	v = platci_node_get_str(platci_node_get(root, "data"), key);
	if (!v || strcmp(m->obj[obj].kind, "Secret") != 0)
		return v;
	platci_buf_clear(scratch);
	for (const char *p = v; *p; p++) {
		int d = b64((unsigned char)*p);
		if (d < 0)
			continue;
		acc = (acc << 6) | (unsigned int)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			platci_buf_putc(scratch, (char)((acc >> bits) & 0xff));
		}
	}
	return scratch->error ? NULL : scratch->ptr;
}

typedef struct vars {
	const char **kv; /* name, value, ...; later entries win */
	size_t count, alloc;
} vars;

static const char *lookup(const char *name, size_t len, void *payload)
{
	const vars *v = payload;
	for (size_t i = v->count; i-- > 0;)
		if (strlen(v->kv[2 * i]) == len && memcmp(v->kv[2 * i], name, len) == 0)
			return v->kv[2 * i + 1];
	return NULL;
}

static int vars_add(platci_fluxmodel *m, vars *v, const char *k, const char *val)
{
	if (platci__grow_array((void **)&v->kv, &v->alloc, 2 * v->count + 2, sizeof(*v->kv)) < 0)
		return PLATCI_ENOMEM;
	v->kv[2 * v->count] = platci_fluxmodel__strdup(m, k);
	v->kv[2 * v->count + 1] = platci_fluxmodel__strdup(m, val ? val : "");
	v->count++;
	return 0;
}

/* 1 ready, 0 waiting for a ConfigMap/Secret, <0 error; *missing names the first absent one. */
static int gather(platci_fluxmodel *m, size_t k, vars *v, const char **missing)
{
	const platci_node *pb = platci_node_get(m->ksi[k].spec, "postBuild");
	const platci_node *from = platci_node_get(pb, "substituteFrom");
	const platci_node *sub = platci_node_get(pb, "substitute");
	platci_buf scratch = PLATCI_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < platci_node_count(from) && !error; i++) {
		const platci_node *f = platci_node_item_at(from, i);
		const char *kind = platci_node_get_str(f, "kind"), *name = platci_node_get_str(f, "name");
		size_t o = platci_fluxmodel__find_object(m, kind, m->ks[k].namespace_, name);
		const platci_node *data;
		if (o == PLATCI_FLUX_NONE) {
			if (platci_node_is(platci_node_get(f, "optional"), "true"))
				continue;
			*missing = name ? name : "";
			platci_buf_dispose(&scratch);
			return 0;
		}
		data = platci_node_get(m->obj[o].root, "data");
		for (size_t j = 0; j < platci_node_count(data) && !error; j++) {
			const char *key = platci_node_scalar(platci_node_key_at(data, j), NULL);
			error = vars_add(m, v, key, platci_fluxmodel__data_value(m, o, key, &scratch));
		}
		data = platci_node_get(m->obj[o].root, "stringData");
		for (size_t j = 0; j < platci_node_count(data) && !error; j++) {
			const char *key = platci_node_scalar(platci_node_key_at(data, j), NULL);
			error = vars_add(m, v, key,
				platci_node_scalar(platci_node_value_at(data, j), NULL));
		}
	}
	for (size_t j = 0; j < platci_node_count(sub) && !error; j++)
		error = vars_add(m, v, platci_node_scalar(platci_node_key_at(sub, j), NULL),
			platci_node_scalar(platci_node_value_at(sub, j), NULL));
	platci_buf_dispose(&scratch);
	return error < 0 ? error : 1;
}

static int disabled(const platci_node *root)
{
	const platci_node *md = platci_node_get(root, "metadata");
	return platci_node_is(platci_node_get(platci_node_get(md, "labels"), SUBST_LABEL), "disabled") ||
	       platci_node_is(platci_node_get(platci_node_get(md, "annotations"), SUBST_LABEL), "disabled");
}

int platci_fluxmodel__add_object(platci_fluxmodel *m, size_t k, const char *text, size_t len,
	const platci_fluxmodel_loc *loc, size_t hr)
{
	platci_doc *doc = NULL;
	platci_fluxmodel_object *o;
	const platci_node *root;
	const char *ns;

	if (platci_doc_load_buffer(&doc, "rendered object", text, len, NULL, NULL) < 0 ||
		!(root = platci_doc_root_at(doc, 0)) || platci_node_type_of(root) != PLATCI_NODE_MAPPING) {
		platci_doc_free(doc);
		return 0;
	}
	if (platci__grow_array((void **)&m->obj, &m->obj_alloc, m->obj_count + 1, sizeof(*m->obj)) < 0)
		goto oom;
	{
		platci_doc **n = realloc(m->obj_doc, m->obj_alloc * sizeof(*m->obj_doc));
		if (!n)
			goto oom;
		m->obj_doc = n;
	}
	m->obj_doc[m->obj_count] = doc;
	o = &m->obj[m->obj_count++];
	memset(o, 0, sizeof(*o));
	o->root = root;
	o->api_version = platci_node_get_str(root, "apiVersion");
	o->kind = platci_node_get_str(root, "kind");
	o->name = platci_node_get_str(platci_node_get(root, "metadata"), "name");
	ns = platci_node_get_str(platci_node_get(root, "metadata"), "namespace");
	o->namespace_ = ns && *ns ? ns : NULL;
	o->yaml = platci_doc_source(doc, &o->yaml_len);
	o->loc = loc->file ? *loc : (hr != PLATCI_FLUX_NONE ? m->hr[hr].loc : m->ks[k].loc);
	o->kustomization = k;
	o->helmrelease = hr;
	if (!o->kind)
		o->kind = "";
	if (!o->name)
		o->name = "";
	return 1;
oom:
	platci_doc_free(doc);
	return PLATCI_ENOMEM;
}

static int substitute_one(platci_fluxmodel *m, size_t k, const render_item *it, vars *v, platci_buf *out)
{
	platci_doc *doc = NULL;
	platci_buf missing = PLATCI_BUF_INIT;
	int error = 0, skip;

	platci_buf_clear(out);
	if (platci_doc_load_buffer(&doc, "rendered object", it->yaml, it->len, NULL, NULL) < 0)
		return platci_buf_put(out, it->yaml, it->len);
	skip = disabled(platci_doc_root_at(doc, 0));
	platci_doc_free(doc);
	if (skip)
		return platci_buf_put(out, it->yaml, it->len);
	error = platci_render_substitute(out, it->yaml, it->len, lookup, v, &missing);
	if (error == PLATCI_ESYNTAX) {
		platci_buf_clear(out);
		platci_buf_put(out, it->yaml, it->len);
		error = platci_fluxmodel__finding(m, "render.substitute-syntax", 1, &it->loc, NULL,
			"Kustomization %s/%s: an unterminated ${ in this object stops Flux's "
			"substitution",
			m->ks[k].namespace_, m->ks[k].name);
	}
	for (char *p = missing.ptr; error == 0 && *p;) {
		char *nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		error = platci_fluxmodel__finding(m, "render.substitute-unresolved", m->opts.strict,
			&it->loc, NULL,
			"Kustomization %s/%s: ${%s} is not defined by postBuild: Flux "
			"substitutes an empty string",
			m->ks[k].namespace_, m->ks[k].name, p);
		p = nl + 1;
	}
	platci_buf_dispose(&missing);
	return error;
}

/* @return 1 finished, 0 waiting for substituteFrom objects, <0 error. */
int platci_fluxmodel__finish_ks(platci_fluxmodel *m, size_t k, int force)
{
	render_result *r = &m->ksi[k].result;
	const platci_node *pb = platci_node_get(m->ksi[k].spec, "postBuild");
	vars v = { NULL, 0, 0 };
	platci_buf text = PLATCI_BUF_INIT;
	const char *missing = NULL;
	size_t first = m->obj_count;
	int error = 0;

	if (r->failed) {
		m->ks[k].reason = "kustomize build failed";
		error = platci_fluxmodel__finding(m, "render.build-failed", 1,
			r->loc.file ? &r->loc : &m->ks[k].loc, NULL,
			"Kustomization %s/%s: kustomize build "
			"failed: %s",
			m->ks[k].namespace_, m->ks[k].name, r->message ? r->message : "");
		goto finished;
	}
	for (size_t i = 0; i < r->count; i++)
		if (r->items[i].loc.file && r->items[i].loc.file[0] == '/') {
			/* kustomize-controller reads through a filesystem rooted at the source. */
			m->ks[k].reason = "a file it reads lies outside the repository";
			error = platci_fluxmodel__finding(m, "render.escapes-repo", 1, &m->ks[k].loc, NULL,
				"Kustomization %s/%s reads %s, outside the repository (through a symbolic "
				"link or a path): Flux refuses to build it",
				m->ks[k].namespace_, m->ks[k].name, r->items[i].loc.file);
			goto finished;
		}
	if (pb && (error = gather(m, k, &v, &missing)) == 0) {
		if (!force)
			goto done;
		m->ks[k].reason = "a substituteFrom object is missing";
		error = platci_fluxmodel__finding(m, "render.substitute-from-missing", 1,
			&m->ks[k].loc, NULL,
			"Kustomization %s/%s: substituteFrom names %s, which this cluster does not "
			"define (and it is not optional): Flux fails the whole Kustomization",
			m->ks[k].namespace_, m->ks[k].name, missing);
		goto finished;
	}
	for (size_t i = 0; error >= 0 && i < r->count; i++) {
		const render_item *it = &r->items[i];
		if (pb)
			error = substitute_one(m, k, it, &v, &text);
		else
			error = platci_buf_put(&text, it->yaml, it->len);
		if (error >= 0)
			error = platci_fluxmodel__add_object(m, k, text.ptr, text.size, &it->loc,
				PLATCI_FLUX_NONE);
		platci_buf_clear(&text);
	}
	if (error < 0)
		goto done;
	error = 0;
	m->ks[k].rendered = 1;
	m->ks[k].object_count = m->obj_count - first;
	for (size_t i = first; i < m->obj_count && error == 0; i++)
		error = platci_fluxmodel__scan_object(m, i, k);
finished:
	m->ksi[k].state = KS_DONE;
	platci_render__result_dispose(&m->ksi[k].result);
	if (error == 0)
		error = 1;
done:
	free(v.kv);
	platci_buf_dispose(&text);
	return error;
}
