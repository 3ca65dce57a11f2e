/*
 * One Flux Kustomization built as kustomize-controller builds it, with the
 * real kustomize: a wrapper kustomization.yaml in a temporary folder
 * refers to the real folder (or, when the folder has no kustomization
 * file, lists what the controller's generator would: every .yaml/.yml
 * file below it, and each sub-folder that has its own kustomization
 * file), and carries what the controller adds: targetNamespace,
 * namePrefix/nameSuffix, patches, images, components, commonMetadata, plus
 * `buildMetadata: [originAnnotations]` so each object says which file it
 * came from. Those annotations are mapped to file:line:column and removed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fluxmodel_int.h"
#include "platci/fs.h"
#include "platci/kustomize.h"
#include "platci/path.h"
#include "platci/sha256.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

#define ORIGIN "config.kubernetes.io/origin"

/* Relative path from absolute folder @p from to absolute @p to (both without `..`). */
static void relpath(platci_buf *out, const char *from, const char *to)
{
	size_t i = 0, common = 0;

	while (from[i] && to[i] && from[i] == to[i]) {
		if (from[i] == '/')
			common = i;
		i++;
	}
	if (!from[i] && (to[i] == '/' || !to[i]))
		common = i;
	else if (!to[i] && from[i] == '/')
		common = i;
	for (const char *p = from + common; *p; p++)
		if (*p == '/')
			platci_buf_puts(out, "../");
	platci_buf_puts(out, to[common] == '/' ? to + common + 1 : to + common);
	if (out->size == 0)
		platci_buf_puts(out, ".");
}

static int has_kfile(const char *dir)
{
	static const char *const names[] = { "kustomization.yaml", "kustomization.yml", "Kustomization" };
	platci_buf p = PLATCI_BUF_INIT;
	struct stat st;
	int found = 0;

	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(names) && !found; i++)
		found = platci_path_on_disk(&p, dir, names[i]) == 0 && stat(p.ptr, &st) == 0 &&
			S_ISREG(st.st_mode);
	platci_buf_dispose(&p);
	return found;
}

/* source-controller's default exclusions that are YAML files (its ignore.go). */
static int source_ignored(const char *name)
{
	static const char *const names[] = { ".travis.yml", ".gitlab-ci.yml", "appveyor.yml",
		".drone.yml", "cloudbuild.yaml", "codeship-services.yml", "codeship-steps.yml",
		".goreleaser.yml", ".sops.yaml", ".flux.yaml" };
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* A generated kustomization fails like the controller's on a YAML file that is no object. */
static int check_manifest(render_job *job, const char *abs, platci_buf *fail, size_t *docs)
{
	platci_fluxmodel *m = job->m;
	platci_diag *d = NULL;
	platci_doc *doc = NULL;
	int error = 0;

	if (platci_diag_new(&d) < 0)
		return PLATCI_ENOMEM;
	if (platci_doc_load_file(&doc, abs, NULL, d) < 0) {
		const platci_diag_entry *e = platci_diag_at(d, 0);
		platci_buf_printf(fail, "%s\t%zu\t%zu\tfailed to decode Kubernetes YAML from %s: %s",
			platci_fluxmodel__relpath(m, abs), e ? e->line : 1, e ? e->column : 1,
			platci_fluxmodel__relpath(m, abs), e ? e->message : "unreadable");
		goto done;
	}
	for (size_t i = 0; i < platci_doc_count(doc); i++) {
		const platci_node *r = platci_doc_root_at(doc, i);
		if (!r || platci_node_is_null(r))
			continue;
		(*docs)++;
		if (!platci_node_get_str(r, "kind") || !platci_node_get_str(r, "apiVersion")) {
			platci_pos p = platci_node_start(r);
			platci_buf_printf(fail,
				"%s\t%zu\t%zu\tfailed to decode Kubernetes YAML from %s: "
				"missing Resource metadata (the folder has no kustomization.yaml, so Flux "
				"generates one over every YAML file)",
				platci_fluxmodel__relpath(m, abs), p.line, p.column,
				platci_fluxmodel__relpath(m, abs));
			goto done;
		}
	}
done:
	platci_doc_free(doc);
	platci_diag_free(d);
	return error;
}

typedef struct gen_walk {
	render_job *job;
	platci_buf *res, *keyres, *fail;
	const char *wdir;
	size_t *docs;
} gen_walk;

/* One entry for the generated kustomization (see generate). */
static int gen_entry(const char *rel, const char *full, const struct stat *st, void *payload)
{
	gen_walk *g = payload;
	const char *name = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	const char *dot = strrchr(name, '.');
	int error = 0;

	if (!strcmp(name, ".git") || !strcmp(name, ".github") || !strcmp(name, ".circleci"))
		return PLATCI__WALK_SKIP;
	if (S_ISDIR(st->st_mode) && !has_kfile(full))
		return 0; /* its manifests are listed one by one */
	if (!S_ISDIR(st->st_mode) &&
		!(S_ISREG(st->st_mode) && dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml")) &&
			!source_ignored(name)))
		return 0;
	if (!S_ISDIR(st->st_mode))
		error = check_manifest(g->job, full, g->fail, g->docs);
	platci_buf_puts(g->res, "- ");
	relpath(g->res, g->wdir, full);
	platci_buf_putc(g->res, '\n');
	platci_buf_printf(g->keyres, "/%s\n", rel);
	if (error < 0)
		return error;
	return g->fail->size ? PLATCI__WALK_STOP : S_ISDIR(st->st_mode) ? PLATCI__WALK_SKIP : 0;
}

/*
 * The controller's generator: every manifest below folder @p top (dot-files
 * too, but not .git, .github or .circleci; links followed), a sub-folder
 * with its own kustomization file whole. Stops at the first file the
 * controller would refuse (@p fail).
 */
static int generate(render_job *job, const char *top, platci_buf *res, platci_buf *keyres,
	const char *wdir, platci_buf *fail, size_t *docs)
{
	gen_walk g = { job, res, keyres, fail, wdir, docs };

	return platci__walk(top, "", (size_t)-1, PLATCI__WALK_HIDDEN | PLATCI__WALK_FOLLOW, gen_entry, &g);
}

/* What the controller adds to the build, as kustomization fields (JSON is YAML). */
/* A builtin transformer that sets commonMetadata's @p field (labels, annotations) on objects. */
static void common_transformer(platci_buf *b, const platci_node *value, const char *kind, const char *field)
{
	if (!value)
		return;
	platci_buf_printf(b,
		"- '{\"apiVersion\":\"builtin\",\"kind\":\"%s\",\"metadata\":{\"name\":"
		"\"flux-common-%s\"},\"fieldSpecs\":[{\"path\":\"metadata/%s\",\"create\":true}],"
		"\"%s\":",
		kind, field, field, field);
	platci_render__emit_json(b, value, 0);
	platci_buf_puts(b, "}'\n");
}

static int flux_fields(platci_buf *b, const platci_node *spec, const char *target, const char *wdir)
{
	const char *tns = platci_node_get_str(spec, "targetNamespace");
	const char *pre = platci_node_get_str(spec, "namePrefix");
	const char *suf = platci_node_get_str(spec, "nameSuffix");
	const platci_node *cm = platci_node_get(spec, "commonMetadata");
	const platci_node *comps = platci_node_get(spec, "components");
	static const char *const keys[] = { "patches", "images" };

	if (tns) {
		platci_buf_puts(b, "namespace: ");
		platci_render__emit_json(b, platci_node_get(spec, "targetNamespace"), 0);
		platci_buf_putc(b, '\n');
	}
	if (pre) {
		platci_buf_puts(b, "namePrefix: ");
		platci_render__emit_json(b, platci_node_get(spec, "namePrefix"), 0);
		platci_buf_putc(b, '\n');
	}
	if (suf) {
		platci_buf_puts(b, "nameSuffix: ");
		platci_render__emit_json(b, platci_node_get(spec, "nameSuffix"), 0);
		platci_buf_putc(b, '\n');
	}
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(keys); i++) {
		const platci_node *n = platci_node_get(spec, keys[i]);
		if (platci_node_count(n)) {
			platci_buf_printf(b, "%s: ", keys[i]);
			platci_render__emit_json(b, n, 0);
			platci_buf_putc(b, '\n');
		}
	}
	if (platci_node_count(comps)) {
		platci_buf_puts(b, "components:\n");
		for (size_t i = 0; i < platci_node_count(comps); i++) {
			const char *c = platci_node_scalar(platci_node_item_at(comps, i), NULL);
			platci_buf norm = PLATCI_BUF_INIT, abs = PLATCI_BUF_INIT;
			if (c && platci_path_join(&norm, ".", c) == 0 &&
				platci_path_on_disk(&abs, target, norm.ptr) == 0) {
				platci_buf_puts(b, "- ");
				relpath(b, wdir, abs.ptr);
				platci_buf_putc(b, '\n');
			}
			platci_buf_dispose(&norm);
			platci_buf_dispose(&abs);
		}
	}
	/* commonMetadata: object metadata only, never selectors or templates. */
	if (platci_node_get(cm, "labels") || platci_node_get(cm, "annotations")) {
		platci_buf_puts(b, "transformers:\n");
		common_transformer(b, platci_node_get(cm, "labels"), "LabelTransformer", "labels");
		common_transformer(b, platci_node_get(cm, "annotations"), "AnnotationsTransformer",
			"annotations");
	}
	return b->error;
}

/* The cache key: tools, what the controller adds, what is built, and the files it can read. */
static int set_key(render_job *job, const char *fields, const char *generated)
{
	platci_fluxmodel *m = job->m;
	ks_int *ki = &m->ksi[job->index];
	platci_buf key = PLATCI_BUF_INIT;
	int error = 0;

	platci_buf_printf(&key, "platci-render 2\n%s\n%s\n%s\n%s\n",
		m->opts.tools->kustomize_version, ki->key_text, fields, generated);
	/* The files this build reads when the resolver can tell; else every file of the repository. */
	if (!m->index || strncmp(ki->key_text, "dir:.", 5) != 0 ||
		(error = platci_render__index_key(&key, m->index,
			 platci_fluxmodel__relpath(m, ki->target))) == 0)
		platci_buf_printf(&key, "tree %s\n", m->digest);
	if (error < 0)
		goto done;
	error = 0;
	for (size_t a = 0; strncmp(ki->key_text, "artifact:", 9) == 0 && a < m->art_count; a++)
		for (size_t i = 0; i < m->art[a].file_count; i++)
			platci_buf_printf(&key, "%s=%s\n", m->art[a].files[2 * i],
				m->art[a].files[2 * i + 1]);
	if (key.error) {
		error = key.error;
		goto done;
	}
	platci_sha256_hex(job->key, key.ptr, key.size);
	/* Folders outside the repository are not in its digest: such builds are never cached. */
	job->cacheable = m->opts.cache_dir && strncmp(ki->key_text, "dir:/", 5) != 0 &&
			 !strstr(key.ptr, "=/");
done:
	platci_buf_dispose(&key);
	return error;
}

/* The generator refused the folder: `file\tline\tcolumn\tmessage` becomes the result. */
static int generator_failed(render_job *job, char *fail)
{
	render_result *r = job->result;
	char *tab1 = strchr(fail, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
	char *tab3 = tab2 ? strchr(tab2 + 1, '\t') : NULL;

	r->failed = 1;
	job->key[0] = '\0';
	if (!tab3)
		return 0;
	*tab1 = *tab2 = *tab3 = '\0';
	r->loc.file = platci_fluxmodel__strdup(job->m, fail);
	r->loc.line = strtoul(tab1 + 1, NULL, 10);
	r->loc.column = strtoul(tab2 + 1, NULL, 10);
	r->message = platci__strdup(tab3 + 1);
	return r->message ? 0 : PLATCI_ENOMEM;
}

int platci_render__prepare_ks(render_job *job)
{
	platci_fluxmodel *m = job->m;
	ks_int *ki = &m->ksi[job->index];
	platci_buf wdir = PLATCI_BUF_INIT, text = PLATCI_BUF_INIT, res = PLATCI_BUF_INIT;
	platci_buf keyres = PLATCI_BUF_INIT, fail = PLATCI_BUF_INIT;
	size_t docs = 0;
	int error;

	platci_buf_printf(&wdir, "%s/w/%zu", m->staging, job->index);
	if (has_kfile(ki->target)) {
		platci_buf_puts(&res, "- ");
		relpath(&res, wdir.ptr, ki->target);
		platci_buf_putc(&res, '\n');
	} else if ((error = generate(job, ki->target, &res, &keyres, wdir.ptr, &fail, &docs)) < 0) {
		goto done;
	} else if (!fail.size && docs > m->opts.max_generated) {
		const char *rel = platci_fluxmodel__relpath(m, ki->target);
		platci_buf_printf(&fail,
			"%s\t0\t0\t%s has no kustomization.yaml and holds %zu "
			"objects: the kustomization Flux generates would list them all, and kustomize's "
			"time grows with the square of that (4,000 take minutes); platci stops at %zu",
			rel, rel, docs, m->opts.max_generated);
	}
	platci_buf_puts(&text,
		"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
		"buildMetadata: [originAnnotations]\n");
	if ((error = flux_fields(&text, ki->spec, ki->target, wdir.ptr)) < 0)
		goto done;
	if ((error = set_key(job, text.ptr, keyres.ptr)) < 0)
		goto done;
	if (text.error || fail.error || res.error) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	if (fail.size) {
		error = generator_failed(job, fail.ptr); /* no build: the failure is the result */
		goto done;
	}
	/* A tag on every object, so a batch of builds run together can be told apart (not keyed). */
	platci_buf_printf(&text,
		"%s- '{\"apiVersion\":\"builtin\",\"kind\":\"AnnotationsTransformer\","
		"\"metadata\":{\"name\":\"platci-build\"},\"fieldSpecs\":[{\"path\":"
		"\"metadata/annotations\",\"create\":true}],\"annotations\":{\"platci.render/build\":"
		"\"%zu\"}}'\n",
		strstr(text.ptr, "\ntransformers:\n") ? "" : "transformers:\n", job->index);
	platci_buf_printf(&text, "resources:\n%s", res.ptr);
	job->wrapper = platci_buf_detach(&text);
	PLATCI_CHECK_ALLOC(job->wrapper);
	if (!(job->argv = platci_render__kustomize_argv(m, wdir.ptr)))
		error = PLATCI_ENOMEM;
done:
	platci_buf_dispose(&wdir);
	platci_buf_dispose(&text);
	platci_buf_dispose(&res);
	platci_buf_dispose(&keyres);
	platci_buf_dispose(&fail);
	return error;
}

/* Writes the wrapper of a job that will run (twins of an earlier job never do). */
int platci_render__write_wrapper(render_job *job)
{
	platci_buf path = PLATCI_BUF_INIT;
	FILE *f = NULL;
	int error = 0;

	platci_buf_printf(&path, "%s/w/%zu", job->m->staging, job->index);
	if ((error = platci_fs_mkdirs(path.ptr, job->m->diag)) < 0)
		goto done;
	platci_buf_puts(&path, "/kustomization.yaml");
	/* A temporary file that only our child reads: no rename dance needed. */
	if (path.error || !(f = fopen(path.ptr, "w")) ||
		fwrite(job->wrapper, 1, strlen(job->wrapper), f) != strlen(job->wrapper))
		error = PLATCI_EIO;
	if (f && fclose(f) != 0)
		error = PLATCI_EIO;
	if (error)
		platci_diag_add(job->m->diag, &(platci_diag_entry){ .code = error, .source = path.ptr },
			"cannot write a build's kustomization");
done:
	platci_buf_dispose(&path);
	return error;
}
