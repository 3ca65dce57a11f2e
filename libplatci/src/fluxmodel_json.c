/* render.json for one cluster (docs/render.md), and objects written with Secret values masked. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "fluxmodel_int.h"
#include "platci/fs.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/jsonw.h"
#include "util/walk.h"
#include "util/banned.h"

static json_t *str(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *loc_json(const platci_fluxmodel_loc *l)
{
	if (!l->file)
		return json_null();
	return json_pack("{s:s, s:I, s:I}", "file", l->file, "line", (json_int_t)l->line, "column",
		(json_int_t)l->column);
}

static json_t *ref_json(const platci_fluxmodel_ref *r)
{
	return json_pack("{s:o, s:o, s:o}", "kind", str(r->kind), "namespace", str(r->namespace_),
		"name", str(r->name));
}

static json_t *ks_json(const platci_fluxmodel *m, size_t i)
{
	const platci_fluxmodel_ks *k = &m->ks[i];
	json_t *deps = json_array();

	for (size_t d = 0; d < k->depends_on_count; d++)
		json_array_append_new(deps,
			json_pack("{s:o, s:o}", "namespace", str(k->depends_on[d].namespace_),
				"name", str(k->depends_on[d].name)));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:b, s:I, s:o, s:o}",
		"namespace", str(k->namespace_), "name", str(k->name), "path", str(k->path),
		"repo_path", str(k->repo_path), "source", ref_json(&k->source), "depends_on", deps,
		"location", loc_json(&k->loc), "implicit", k->implicit, "rendered", k->rendered,
		"objects", (json_int_t)k->object_count, "reason", str(k->reason), "parent",
		k->parent == PLATCI_FLUX_NONE
			? json_null()
			: json_sprintf("%s/%s", m->ks[k->parent].namespace_, m->ks[k->parent].name));
}

static json_t *hr_json(const platci_fluxmodel_hr *h)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:b, s:I, s:o}", "namespace",
		str(h->namespace_), "name", str(h->name), "chart", str(h->chart), "version",
		str(h->version), "chart_source", ref_json(&h->chart_source), "chart_ref",
		h->uses_chart_ref, "location", loc_json(&h->loc), "rendered", h->rendered,
		"objects", (json_int_t)h->object_count, "reason", str(h->reason));
}

static json_t *src_json(const platci_fluxmodel_source *s)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}", "kind", str(s->kind), "namespace",
		str(s->namespace_), "name", str(s->name), "url", str(s->url), "ref", str(s->ref),
		"folder", str(s->dir), "location", loc_json(&s->loc), "implicit", s->implicit);
}

static json_t *art_json(const platci_fluxmodel_artifact *a)
{
	json_t *files = json_array();

	for (size_t i = 0; i < a->file_count; i++)
		json_array_append_new(files, json_pack("{s:s, s:s}", "artifact", a->files[2 * i],
						     "repo", a->files[2 * i + 1]));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "namespace", str(a->namespace_), "name",
		str(a->name), "generator", str(a->generator), "location", loc_json(&a->loc),
		"files", files, "reason", str(a->reason));
}

static json_t *finding_json(const platci_finding *f)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:s}", "rule_id", f->rule_id,
		"severity", platci_severity_name(f->severity), "enforcement",
		f->enforcement == PLATCI_ENFORCE_DENY ? "deny" : "warn", "message", f->message,
		"file", str(f->file), "line", (json_int_t)f->line, "column", (json_int_t)f->column,
		"fingerprint", f->fingerprint);
}

static json_t *cluster_json(const platci_fluxmodel *m, const platci_findings *findings)
{
	json_t *ks, *hr, *src, *art, *fs;
	size_t builds, hits;

	platci_fluxmodel_stats(&builds, &hits, m);
	ks = json_array();
	hr = json_array();
	src = json_array();
	art = json_array();
	fs = json_array();
	for (size_t i = 0; i < m->ks_count; i++)
		json_array_append_new(ks, ks_json(m, i));
	for (size_t i = 0; i < m->hr_count; i++)
		json_array_append_new(hr, hr_json(&m->hr[i]));
	for (size_t i = 0; i < m->src_count; i++)
		json_array_append_new(src, src_json(&m->src[i]));
	for (size_t i = 0; i < m->art_count; i++)
		json_array_append_new(art, art_json(&m->art[i]));
	for (size_t i = 0; findings && i < platci_findings_count(findings); i++) {
		const platci_finding *f = platci_findings_at(findings, i);
		if (f->env && strcmp(f->env, m->env) == 0)
			json_array_append_new(fs, finding_json(f));
	}
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:{s:I, s:I}, s:o}", "env", m->env,
		"cluster", m->cluster, "kustomizations", ks, "helmreleases", hr, "sources", src,
		"artifacts", art, "objects", (json_int_t)m->obj_count, "builds", "run",
		(json_int_t)builds, "cached", (json_int_t)hits, "findings", fs);
}

static int dump(platci_buf *out, json_t *root)
{
	int error = 0;

	PLATCI_CHECK_ALLOC(root);
	error = platci__json_dump(out, root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
done:
	json_decref(root);
	return error;
}

int platci_fluxmodel_json(platci_buf *out, const platci_fluxmodel *m, const platci_findings *findings)
{
	PLATCI_ASSERT_ARG(out && m);
	return dump(out, cluster_json(m, findings));
}

int platci_fluxmodel_render_json(platci_buf *out, const platci_fluxmodel *const *models,
	size_t count, const platci_render_tools *tools, const platci_findings *findings)
{
	json_t *clusters = json_array();

	PLATCI_ASSERT_ARG(out && (models || !count) && tools);
	for (size_t i = 0; i < count; i++)
		json_array_append_new(clusters, cluster_json(models[i], findings));
	return dump(out,
		json_pack("{s:i, s:{s:o, s:o, s:b}, s:{s:o, s:o}, s:o}", "version", 1, "kustomize", "path",
			tools->kustomize[0] ? json_string(tools->kustomize) : json_null(), "version",
			tools->kustomize[0] ? json_string(tools->kustomize_version) : json_null(),
			"kubectl", tools->kustomize_is_kubectl, "helm", "path",
			tools->helm[0] ? json_string(tools->helm) : json_null(), "version",
			tools->helm[0] ? json_string(tools->helm_version) : json_null(), "clusters",
			clusters));
}

/*
 * One object file: a temporary file renamed into place, so a reader never
 * sees half an object. No fsync: hundreds of objects per cluster, and a
 * crash leaves a tree the next run replaces anyway (reports are fsynced).
 */
static int write_object(const char *path, const platci_buf *body, platci_diag *diag)
{
	platci_buf tmp = PLATCI_BUF_INIT;
	FILE *f = NULL;
	int error = 0;

	platci_buf_printf(&tmp, "%s.tmp", path);
	if (tmp.error || !(f = fopen(tmp.ptr, "w")) || fwrite(body->ptr, 1, body->size, f) != body->size)
		error = PLATCI_EIO;
	if (f && fclose(f) != 0)
		error = PLATCI_EIO;
	if (error == 0 && rename(tmp.ptr, path) != 0)
		error = PLATCI_EIO;
	if (error) {
		remove(tmp.ptr);
		platci_diag_add(diag, &(platci_diag_entry){ .code = error, .source = path },
			"cannot write a rendered object");
	}
	platci_buf_dispose(&tmp);
	return error;
}

int platci_fluxmodel_write_objects(const platci_fluxmodel *m, const char *dir, platci_diag *diag)
{
	platci_buf folder = PLATCI_BUF_INIT, file = PLATCI_BUF_INIT, path = PLATCI_BUF_INIT;
	platci_buf body = PLATCI_BUF_INIT;
	int error = 0;

	PLATCI_ASSERT_ARG(m && dir);
	platci__rmtree(dir, (size_t)-1);
	for (size_t i = 0; i < m->obj_count && error == 0; i++) {
		const platci_fluxmodel_object *o = &m->obj[i];
		/* A name is no path: nothing in it may climb out of the folder. */
		if (strchr(o->name, '/') || strchr(o->kind, '/') ||
			(o->namespace_ && (strchr(o->namespace_, '/') || !strcmp(o->namespace_, "..") ||
						  !strcmp(o->namespace_, "."))))
			continue;
		platci_buf_clear(&file);
		platci_buf_printf(&file, "%s.%s.yaml", o->kind, o->name);
		if ((error = file.error) < 0 ||
			(error = platci_path_on_disk(&folder, dir,
				 o->namespace_ ? o->namespace_ : "_cluster")) < 0 ||
			(error = platci_fs_mkdirs(folder.ptr, diag)) < 0 ||
			(error = platci_path_on_disk(&path, folder.ptr, file.ptr)) < 0)
			break;
		platci_buf_clear(&body);
		if ((error = platci_fluxmodel_object_yaml_masked(&body, m, i)) == 0)
			error = write_object(path.ptr, &body, diag);
	}
	platci_buf_dispose(&folder);
	platci_buf_dispose(&file);
	platci_buf_dispose(&path);
	platci_buf_dispose(&body);
	return error;
}

/* Replaces each value of mapping @p map with "***", from the end so offsets stay right. */
static int mask_map(platci_buf *b, const platci_node *map)
{
	for (size_t i = platci_node_count(map); i-- > 0;) {
		const platci_node *v = platci_node_value_at(map, i);
		size_t from = platci_node_start(v).offset, to = platci_node_end(v).offset;
		platci_buf tail = PLATCI_BUF_INIT;
		int nl = to > from && b->ptr[to - 1] == '\n';
		if (to > b->size || from > to)
			continue;
		platci_buf_puts(&tail, b->ptr + to);
		platci_buf_truncate(b, from);
		platci_buf_puts(b, nl ? "\"***\"\n" : "\"***\"");
		platci_buf_puts(b, tail.ptr);
		platci_buf_dispose(&tail);
	}
	return b->error;
}

int platci_fluxmodel_object_yaml_masked(platci_buf *out, const platci_fluxmodel *m, size_t i)
{
	const platci_fluxmodel_object *o;
	platci_buf b = PLATCI_BUF_INIT;
	const platci_node *data, *sdata;
	int error;

	PLATCI_ASSERT_ARG(out && m && i < m->obj_count);
	o = &m->obj[i];
	if (strcmp(o->kind, "Secret") != 0)
		return platci_buf_put(out, o->yaml, o->yaml_len);
	platci_buf_put(&b, o->yaml, o->yaml_len);
	data = platci_node_get(o->root, "data");
	sdata = platci_node_get(o->root, "stringData");
	/* Mask the later mapping first so the earlier one's offsets still hold. */
	if (data && sdata && platci_node_start(sdata).offset > platci_node_start(data).offset) {
		mask_map(&b, sdata);
		mask_map(&b, data);
	} else {
		mask_map(&b, data);
		mask_map(&b, sdata);
	}
	error = b.error ? b.error : platci_buf_put(out, b.ptr, b.size);
	platci_buf_dispose(&b);
	return error;
}
