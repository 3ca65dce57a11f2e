/*
 * The per-cluster Flux model: start from the cluster folder as flux
 * bootstrap leaves it, build every Kustomization with the real kustomize
 * in waves (each wave in parallel), scan what the builds apply for new
 * Flux objects, repeat until nothing new appears, then check names and
 * render HelmReleases.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fluxmodel_int.h"
#include "platci/fs.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

#define DEFAULT_MAX_KS 2000
/* kustomize's time grows with the square of a build's objects: 1,000 take 4 s, 4,000 160 s. */
#define DEFAULT_MAX_GENERATED 2000

static const char *str_or_empty(const char *s)
{
	return s ? s : "";
}
static const char *str_or_default(const char *s, const char *d)
{
	return s && *s ? s : d;
}

char *platci_fluxmodel__strdup(platci_fluxmodel *m, const char *s)
{
	return s ? platci_arena_strdup(&m->arena, s) : NULL;
}

int platci_fluxmodel__finding(platci_fluxmodel *m, const char *rule, int deny,
	const platci_fluxmodel_loc *loc, const char *key, const char *fmt, ...)
{
	platci_finding f;
	platci_buf msg = PLATCI_BUF_INIT, k = PLATCI_BUF_INIT;
	va_list ap;
	int error;

	va_start(ap, fmt);
	platci_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	memset(&f, 0, sizeof(f));
	f.rule_id = rule;
	f.enforcement = deny ? PLATCI_ENFORCE_DENY : PLATCI_ENFORCE_WARN;
	f.severity = deny ? PLATCI_SEVERITY_MAJOR : PLATCI_SEVERITY_INFO;
	f.message = msg.ptr;
	f.env = m->env;
	if (loc && loc->file) {
		f.file = loc->file;
		f.line = loc->line;
		f.column = loc->column;
	} else {
		f.file = m->cluster; /* the assumed bootstrap objects stand for the cluster folder */
	}
	platci_buf_printf(&k, "%s", key ? key : msg.ptr);
	f.key = k.ptr;
	error = msg.error ? msg.error : platci_findings_add(m->findings, &f);
	platci_buf_dispose(&msg);
	platci_buf_dispose(&k);
	return error;
}

/*
 * Repo-relative form of an absolute path inside the root; `NAME:path` for
 * one inside a --sources folder (no machine path in a report); the path
 * itself otherwise.
 */
const char *platci_fluxmodel__relpath(platci_fluxmodel *m, const char *abs)
{
	size_t n = strlen(m->root);

	if (strncmp(abs, m->root, n) == 0 && abs[n] == '/')
		return platci_fluxmodel__strdup(m, abs + n + 1);
	if (strcmp(abs, m->root) == 0)
		return ".";
	for (size_t i = 0; m->local_real && i < m->opts.source_count; i++) {
		size_t l = strlen(m->local_real[i]);
		if (l && strncmp(abs, m->local_real[i], l) == 0 && (abs[l] == '/' || !abs[l])) {
			platci_buf b = PLATCI_BUF_INIT;
			const char *out;
			platci_buf_printf(&b, "%s:%s", m->opts.sources[i].name, abs[l] ? abs + l + 1 : ".");
			out = platci_fluxmodel__strdup(m, b.ptr);
			platci_buf_dispose(&b);
			return out;
		}
	}
	return platci_fluxmodel__strdup(m, abs);
}

/* The documents of a file (repo-relative, or absolute), loaded once; NULL when unreadable. */
const platci_doc *platci_fluxmodel__file(platci_fluxmodel *m, const char *rel)
{
	platci_buf abs = PLATCI_BUF_INIT;
	platci_doc *doc = NULL;
	size_t len = strlen(rel);
	/* the index holds position + 1, so that NULL is "not loaded yet" */
	uintptr_t at = (uintptr_t)platci__strmap_get(&m->file_index, rel, len);
	char *path;

	if (at)
		return m->files[at - 1].doc;
	if (platci__grow_array((void **)&m->files, &m->file_alloc, m->file_count + 1, sizeof(*m->files)) < 0)
		return NULL;
	/* a file of a --sources folder outside the repository comes as an absolute path */
	if ((rel[0] == '/' ? platci_buf_puts(&abs, rel) : platci_path_on_disk(&abs, m->root, rel)) < 0 ||
		platci_doc_load_file(&doc, abs.ptr, NULL, NULL) < 0)
		doc = NULL;
	platci_buf_dispose(&abs);
	m->files[m->file_count].path = path = platci_fluxmodel__strdup(m, rel);
	m->files[m->file_count].doc = doc;
	m->file_count++;
	/* without an index entry the file is read again next time: slower, not wrong */
	if (path)
		platci__strmap_put(&m->file_index, path, len, (void *)(uintptr_t)m->file_count);
	return doc;
}

/*
 * The position of object @p kind/@p name in file @p rel. The rendered name
 * may carry a prefix or suffix, so the longest source name found inside
 * it wins; a file with one object of that kind needs no name.
 */
int platci_fluxmodel__pos_of(platci_fluxmodel *m, platci_fluxmodel_loc *out, const char *rel,
	const char *kind, const char *name)
{
	const platci_doc *doc = platci_fluxmodel__file(m, rel);
	const platci_node *best = NULL;
	size_t best_len = 0, same_kind = 0;
	const platci_node *only = NULL;

	out->file = rel;
	out->line = 1;
	out->column = 1;
	for (size_t i = 0; doc && i < platci_doc_count(doc); i++) {
		const platci_node *root = platci_doc_root_at(doc, i);
		const char *k = platci_node_get_str(root, "kind");
		const char *n = platci_node_get_str(platci_node_get(root, "metadata"), "name");
		if (!k || !kind || strcmp(k, kind) != 0)
			continue;
		same_kind++;
		only = root;
		if (n && name && strstr(name, n) && strlen(n) > best_len) {
			best = root;
			best_len = strlen(n);
		}
	}
	if (!best && same_kind == 1)
		best = only;
	if (best) {
		platci_pos p = platci_node_start(best);
		out->line = p.line;
		out->column = p.column;
	}
	return 0;
}

static size_t add_ks_slot(platci_fluxmodel *m)
{
	if (platci__grow_array((void **)&m->ks, &m->ks_alloc, m->ks_count + 1, sizeof(*m->ks)) < 0)
		return PLATCI_FLUX_NONE;
	/* ksi grows in step with ks; ks_alloc was just updated, so size it from that. */
	{
		ks_int *n = realloc(m->ksi, m->ks_alloc * sizeof(*m->ksi));
		if (!n)
			return PLATCI_FLUX_NONE;
		m->ksi = n;
	}
	memset(&m->ks[m->ks_count], 0, sizeof(*m->ks));
	memset(&m->ksi[m->ks_count], 0, sizeof(*m->ksi));
	return m->ks_count++;
}

typedef struct root_search {
	platci_fluxmodel *m;
	platci_fluxmodel_loc *loc;
	const platci_node *found;
} root_search;

/* The Flux Kustomization among file @p rel's documents whose path is the cluster folder, if any. */
static const platci_node *builds_cluster(platci_fluxmodel *m, const char *rel, platci_fluxmodel_loc *loc)
{
	const platci_doc *d = platci_fluxmodel__file(m, rel);

	for (size_t j = 0; d && j < platci_doc_count(d); j++) {
		const platci_node *r = platci_doc_root_at(d, j);
		const char *api = platci_node_get_str(r, "apiVersion");
		platci_buf p = PLATCI_BUF_INIT;
		int hit = api && !strncmp(api, "kustomize.toolkit.fluxcd.io/", 28) &&
			  platci_node_is(platci_node_get(r, "kind"), "Kustomization") &&
			  platci_fluxmodel__secure_join(&p,
				  str_or_empty(platci_node_get_str(platci_node_get(r, "spec"), "path"))) == 0 &&
			  strcmp(p.ptr, m->cluster) == 0;
		platci_buf_dispose(&p);
		if (hit) {
			platci_pos pos = platci_node_start(r);
			*loc = (platci_fluxmodel_loc){ rel, pos.line, pos.column };
			return r;
		}
	}
	return NULL;
}

static int root_entry(const char *rel, const char *full, const struct stat *st, void *payload)
{
	root_search *s = payload;
	const char *dot = strrchr(rel, '.');

	if (S_ISDIR(st->st_mode) || !dot || strchr(dot, '/') ||
		(strcmp(dot, ".yaml") != 0 && strcmp(dot, ".yml") != 0))
		return 0;
	s->found = builds_cluster(s->m, platci_fluxmodel__relpath(s->m, full), s->loc);
	return s->found ? PLATCI__WALK_STOP : 0;
}

/*
 * A Flux Kustomization in the cluster folder that builds the folder itself:
 * the real root. Links are followed, as the controller reads the checkout.
 */
static const platci_node *root_definition(platci_fluxmodel *m, platci_fluxmodel_loc *loc)
{
	root_search s = { m, loc, NULL };

	if (platci__walk(m->root, m->cluster, (size_t)-1, PLATCI__WALK_FOLLOW, root_entry, &s) < 0)
		return NULL;
	return s.found;
}

static int add_bootstrap(platci_fluxmodel *m)
{
	size_t k = add_ks_slot(m);
	platci_buf path = PLATCI_BUF_INIT;
	platci_fluxmodel_source *s;

	if (k == PLATCI_FLUX_NONE ||
		platci__grow_array((void **)&m->src, &m->src_alloc, 1, sizeof(*m->src)) < 0 ||
		!(m->src_spec = calloc(m->src_alloc, sizeof(*m->src_spec))))
		return PLATCI_ENOMEM;
	platci_buf_printf(&path, "./%s", m->cluster);
	m->ks[k].namespace_ = "flux-system";
	m->ks[k].name = "flux-system";
	m->ks[k].path = platci_fluxmodel__strdup(m, path.ptr);
	m->ks[k].source = (platci_fluxmodel_ref){ "GitRepository", "flux-system", "flux-system" };
	m->ks[k].parent = PLATCI_FLUX_NONE;
	m->ks[k].implicit = 1;
	platci_buf_dispose(&path);
	{
		/* flux bootstrap's gotk-sync.yaml (or whatever applies this folder) defines the root. */
		platci_fluxmodel_loc loc;
		const platci_node *def = root_definition(m, &loc);
		if (def) {
			const platci_node *md = platci_node_get(def, "metadata");
			const platci_node *spec = platci_node_get(def, "spec");
			const platci_node *deps = platci_node_get(spec, "dependsOn");
			platci_fluxmodel_ks *ks = &m->ks[k];
			ks->namespace_ = platci_fluxmodel__strdup(m,
				str_or_default(platci_node_get_str(md, "namespace"), "default"));
			ks->name = platci_fluxmodel__strdup(m,
				str_or_empty(platci_node_get_str(md, "name")));
			ks->path = platci_fluxmodel__strdup(m,
				str_or_empty(platci_node_get_str(spec, "path")));
			ks->source = platci_fluxmodel__ref_of(m, platci_node_get(spec, "sourceRef"),
				ks->namespace_, "GitRepository");
			ks->loc = loc;
			ks->implicit = 0;
			m->ksi[k].spec = spec;
			if (platci_node_count(deps) &&
				(ks->depends_on = platci_arena_zalloc(&m->arena,
					 platci_node_count(deps) * sizeof(*ks->depends_on))))
				for (size_t i = 0; i < platci_node_count(deps); i++)
					ks->depends_on[ks->depends_on_count++] =
						platci_fluxmodel__ref_of(m, platci_node_item_at(deps, i),
							ks->namespace_, "Kustomization");
		}
	}

	s = &m->src[0];
	memset(s, 0, sizeof(*s));
	m->src_spec[0] = NULL;
	s->kind = "GitRepository";
	s->namespace_ = "flux-system";
	s->name = "flux-system";
	s->dir = ".";
	s->parent = PLATCI_FLUX_NONE;
	s->implicit = 1;
	m->src_count = 1;
	return m->ks[k].path ? 0 : PLATCI_ENOMEM;
}

static int copy_result(platci_fluxmodel *m, render_result *to, const render_result *from)
{
	to->failed = from->failed;
	to->loc = from->loc;
	if (from->message && !(to->message = platci__strdup(from->message)))
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < from->count; i++)
		if (platci_render__result_add(to, from->items[i].yaml, from->items[i].len,
			    &from->items[i].loc, m) < 0)
			return PLATCI_ENOMEM;
	return 0;
}

/* One wave: resolve and build every pending Kustomization whose source is known. */
static int wave(platci_fluxmodel *m, int *progress)
{
	render_job *jobs = NULL;
	size_t n = 0, first = m->ks_count;
	int error = 0;

	jobs = calloc(m->ks_count ? m->ks_count : 1, sizeof(*jobs));
	PLATCI_CHECK_ALLOC(jobs);
	for (size_t k = 0; k < first; k++) {
		int r;
		if (m->ksi[k].state != KS_PENDING)
			continue;
		r = platci_fluxmodel__resolve_ks(m, k);
		if (r < 0) {
			error = r;
			goto done;
		}
		if (r == 0)
			continue; /* waits for its source */
		*progress = 1;
		if (!m->ksi[k].target[0]) {
			m->ksi[k].state = KS_DONE; /* not buildable: a finding says why */
			continue;
		}
		jobs[n].m = m;
		jobs[n].index = k;
		jobs[n].dup_of = PLATCI_FLUX_NONE;
		jobs[n].result = &m->ksi[k].result;
		if ((error = platci_render__prepare_ks(&jobs[n])) < 0)
			goto done;
		/* Kustomizations with the same inputs build once (a folder applied many times). */
		for (size_t j = 0; jobs[n].key[0] && j < n; j++)
			if (jobs[j].dup_of == PLATCI_FLUX_NONE && strcmp(jobs[j].key, jobs[n].key) == 0) {
				jobs[n].dup_of = j;
				break;
			}
		if (jobs[n].argv && jobs[n].dup_of == PLATCI_FLUX_NONE &&
			(error = platci_render__write_wrapper(&jobs[n])) < 0)
			goto done;
		n++;
	}
	if ((error = platci_render__run_wave(m, jobs, n)) < 0)
		goto done;
	for (size_t j = 0; j < n; j++) {
		if ((error = platci_render__process_ks(&jobs[j])) < 0 ||
			(jobs[j].dup_of != PLATCI_FLUX_NONE &&
				(error = copy_result(m, jobs[j].result, jobs[jobs[j].dup_of].result)) < 0))
			goto done;
		m->ksi[jobs[j].index].state = KS_BUILT;
	}
	/* Substitution and scanning, in index order so the result never depends on timing. */
	for (size_t k = 0; k < m->ks_count; k++) {
		int r;
		if (m->ksi[k].state != KS_BUILT)
			continue;
		r = platci_fluxmodel__finish_ks(m, k, 0);
		if (r < 0) {
			error = r;
			goto done;
		}
		if (r > 0)
			*progress = 1;
	}
done:
	for (size_t j = 0; jobs && j < n; j++) {
		platci_render_run_dispose(&jobs[j].run);
		free(jobs[j].wrapper);
		if (jobs[j].argv) {
			for (char **a = jobs[j].argv; *a; a++)
				free(*a);
			free(jobs[j].argv);
		}
	}
	free(jobs);
	return error;
}

static int setup(platci_fluxmodel *m, const platci_fluxmodel_options *opts)
{
	platci_buf rel = PLATCI_BUF_INIT, abs = PLATCI_BUF_INIT;
	int error = 0;

	m->opts = *opts;
	if (!m->opts.jobs)
		m->opts.jobs = 2;
	if (!m->opts.max_kustomizations)
		m->opts.max_kustomizations = DEFAULT_MAX_KS;
	if (!m->opts.max_generated)
		m->opts.max_generated = DEFAULT_MAX_GENERATED;
	if (!realpath(opts->root, m->root)) {
		error = PLATCI_ENOTFOUND;
		platci_diag_add(m->diag, &(platci_diag_entry){ .code = error, .source = opts->root },
			"repository folder not found");
		goto done;
	}
	if ((error = platci_path_normalize(&rel, opts->cluster)) < 0 ||
		platci_path_check_inside(m->root, rel.ptr) < 0) {
		error = PLATCI_EUNSAFE;
		platci_diag_add(m->diag, &(platci_diag_entry){ .code = error, .source = opts->cluster },
			"the cluster folder leaves the repository");
		goto done;
	}
	if ((error = platci_path_on_disk(&abs, m->root, rel.ptr)) < 0)
		goto done;
	if (!platci_fs_is_dir(abs.ptr)) {
		error = PLATCI_ENOTFOUND;
		platci_diag_add(m->diag, &(platci_diag_entry){ .code = error, .source = opts->cluster },
			"cluster folder not found");
		goto done;
	}
	if (opts->source_count) {
		m->local_real = calloc(opts->source_count, sizeof(*m->local_real));
		PLATCI_CHECK_ALLOC(m->local_real);
		for (size_t i = 0; i < opts->source_count; i++)
			if (!realpath(opts->sources[i].dir, m->local_real[i]))
				m->local_real[i][0] = '\0';
	}
	m->cluster = platci_fluxmodel__strdup(m, rel.ptr);
	m->env = platci_fluxmodel__strdup(m, opts->env ? opts->env : rel.ptr);
	platci_render__fmt(m->staging, sizeof(m->staging), "%s/platci-render.XXXXXX",
		opts->tools->tmp_dir[0] ? opts->tools->tmp_dir : "/tmp");
	if (!mkdtemp(m->staging) || !realpath(m->staging, m->staging_real)) {
		m->staging[0] = '\0';
		error = PLATCI_EIO;
		platci_diag_add(m->diag, &(platci_diag_entry){ .code = error },
			"cannot create a temporary folder under %s", opts->tools->tmp_dir);
		goto done;
	}
	/* Paths kustomize prints are real paths: compare with the real one. */
	memcpy(m->staging, m->staging_real, sizeof(m->staging));
	if (opts->cache_dir &&
		(error = platci_render__index_new(&m->index, m, opts->cache_exclude, m->digest)) < 0)
		goto done;
	error = (m->cluster && m->env) ? add_bootstrap(m) : PLATCI_ENOMEM;
done:
	platci_buf_dispose(&rel);
	platci_buf_dispose(&abs);
	return error;
}

int platci_fluxmodel_build(platci_fluxmodel **out, const platci_fluxmodel_options *opts,
	platci_findings *findings, platci_diag *diag)
{
	platci_fluxmodel *m = NULL;
	int error = 0, progress = 1;

	PLATCI_ASSERT_ARG(out && opts && opts->version == PLATCI_FLUXMODEL_OPTIONS_VERSION &&
			  opts->root && opts->cluster && opts->tools && findings);
	*out = NULL;
	m = calloc(1, sizeof(*m));
	PLATCI_CHECK_ALLOC(m);
	platci_arena_init(&m->arena, 0);
	m->findings = findings;
	m->diag = diag;
	if ((error = setup(m, opts)) < 0)
		goto done;
	if (!opts->tools->kustomize[0]) {
		platci_fluxmodel_loc none = { NULL, 0, 0 };
		error = platci_fluxmodel__finding(m, "render.kustomize-missing", 1, &none, NULL,
			"neither kustomize nor kubectl is on PATH: nothing of %s was rendered", m->env);
		goto done;
	}
	while (progress && error == 0) {
		progress = 0;
		error = wave(m, &progress);
		/* Nothing new: a build still waiting for a substituteFrom object never gets it. */
		for (size_t k = 0; !progress && error == 0 && k < m->ks_count; k++)
			if (m->ksi[k].state == KS_BUILT) {
				error = platci_fluxmodel__finish_ks(m, k, 1);
				error = error > 0 ? 0 : error;
				progress = 1;
			}
	}
	if (error == 0)
		error = platci_fluxmodel__check(m);
	if (error == 0)
		error = platci_render__helm_all(m);
done:
	if (m && m->staging[0])
		platci__rmtree(m->staging, (size_t)-1);
	if (error < 0) {
		platci_fluxmodel_free(m);
		m = NULL;
	}
	*out = m;
	return error;
}

void platci_fluxmodel_free(platci_fluxmodel *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ks_count; i++)
		platci_render__result_dispose(&m->ksi[i].result);
	for (size_t i = 0; i < m->obj_count; i++)
		platci_doc_free(m->obj_doc[i]);
	platci_render__index_free(m->index);
	for (size_t i = 0; i < m->file_count; i++)
		platci_doc_free(m->files[i].doc);
	free(m->ks);
	free(m->ksi);
	free(m->hr);
	free(m->hr_spec);
	free(m->src);
	free(m->src_spec);
	free(m->gen);
	free(m->art);
	free(m->art_dir);
	free(m->obj);
	free(m->obj_doc);
	free(m->files);
	platci__strmap_dispose(&m->file_index);
	free(m->noted);
	free(m->local_real);
	platci_arena_dispose(&m->arena);
	free(m);
}

const char *platci_fluxmodel_env(const platci_fluxmodel *m)
{
	return m ? m->env : NULL;
}
const char *platci_fluxmodel_cluster(const platci_fluxmodel *m)
{
	return m ? m->cluster : NULL;
}
size_t platci_fluxmodel_ks_count(const platci_fluxmodel *m)
{
	return m ? m->ks_count : 0;
}
size_t platci_fluxmodel_hr_count(const platci_fluxmodel *m)
{
	return m ? m->hr_count : 0;
}
size_t platci_fluxmodel_source_count(const platci_fluxmodel *m)
{
	return m ? m->src_count : 0;
}
size_t platci_fluxmodel_artifact_count(const platci_fluxmodel *m)
{
	return m ? m->art_count : 0;
}
size_t platci_fluxmodel_object_count(const platci_fluxmodel *m)
{
	return m ? m->obj_count : 0;
}

const platci_fluxmodel_ks *platci_fluxmodel_ks_at(const platci_fluxmodel *m, size_t i)
{
	return m && i < m->ks_count ? &m->ks[i] : NULL;
}

const platci_fluxmodel_hr *platci_fluxmodel_hr_at(const platci_fluxmodel *m, size_t i)
{
	return m && i < m->hr_count ? &m->hr[i] : NULL;
}

const platci_fluxmodel_source *platci_fluxmodel_source_at(const platci_fluxmodel *m, size_t i)
{
	return m && i < m->src_count ? &m->src[i] : NULL;
}

const platci_fluxmodel_artifact *platci_fluxmodel_artifact_at(const platci_fluxmodel *m, size_t i)
{
	return m && i < m->art_count ? &m->art[i] : NULL;
}

const platci_fluxmodel_object *platci_fluxmodel_object_at(const platci_fluxmodel *m, size_t i)
{
	return m && i < m->obj_count ? &m->obj[i] : NULL;
}

void platci_fluxmodel_stats(size_t *builds_out, size_t *cache_hits_out, const platci_fluxmodel *m)
{
	if (builds_out)
		*builds_out = m ? m->builds : 0;
	if (cache_hits_out)
		*cache_hits_out = m ? m->cache_hits : 0;
}

void platci_render__result_dispose(render_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->count; i++)
		free(r->items[i].yaml);
	free(r->items);
	free(r->message);
	memset(r, 0, sizeof(*r));
}

int platci_render__result_add(render_result *r, const char *yaml, size_t len,
	const platci_fluxmodel_loc *loc, platci_fluxmodel *m)
{
	render_item *it;

	if (platci__grow_array((void **)&r->items, &r->alloc, r->count + 1, sizeof(*r->items)) < 0)
		return PLATCI_ENOMEM;
	it = &r->items[r->count];
	it->yaml = platci__strndup(yaml, len);
	if (!it->yaml)
		return PLATCI_ENOMEM;
	it->len = len;
	it->loc = *loc;
	if (loc->file && m)
		it->loc.file = platci_fluxmodel__strdup(m, loc->file);
	r->count++;
	return 0;
}
