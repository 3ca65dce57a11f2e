/*
 * Flux objects found in a build become part of the cluster's model, and
 * each Kustomization's source is mapped to a folder: this repository (the
 * flux-system GitRepository or one with its URL), a `--sources` folder,
 * an ArtifactGenerator's artifact, or nothing (an explicit finding).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fluxmodel_int.h"
#include "platci/flux.h"
#include "platci/fs.h"
#include "platci/k8s.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/banned.h"

static const char *str_or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

size_t platci_fluxmodel__find_src(const platci_fluxmodel *m, const char *kind, const char *ns,
	const char *name)
{
	for (size_t i = 0; i < m->src_count; i++)
		if (kind && ns && name && strcmp(m->src[i].kind, kind) == 0 &&
			strcmp(m->src[i].namespace_, ns) == 0 && strcmp(m->src[i].name, name) == 0)
			return i;
	return PLATCI_FLUX_NONE;
}

static size_t find_ks(const platci_fluxmodel *m, const char *ns, const char *name)
{
	for (size_t i = 0; i < m->ks_count; i++)
		if (strcmp(m->ks[i].namespace_, ns) == 0 && strcmp(m->ks[i].name, name) == 0)
			return i;
	return PLATCI_FLUX_NONE;
}

platci_fluxmodel_ref platci_fluxmodel__ref_of(platci_fluxmodel *m, const platci_node *n,
	const char *own_ns, const char *default_kind)
{
	platci_fluxmodel_ref r;
	r.kind = platci_fluxmodel__strdup(m, str_or(platci_node_get_str(n, "kind"), default_kind));
	r.namespace_ = platci_fluxmodel__strdup(m, str_or(platci_node_get_str(n, "namespace"), own_ns));
	r.name = platci_fluxmodel__strdup(m, str_or(platci_node_get_str(n, "name"), ""));
	return r;
}

static int scan_ks(platci_fluxmodel *m, const platci_fluxmodel_object *o, size_t parent)
{
	const platci_node *spec = platci_node_get(o->root, "spec");
	const platci_node *deps = platci_node_get(spec, "dependsOn");
	size_t k = find_ks(m, o->namespace_, o->name);
	platci_fluxmodel_ks *ks;

	if (k != PLATCI_FLUX_NONE) {
		/* The bootstrap root defined in the tree (gotk-sync.yaml): adopt its position. */
		if (m->ks[k].implicit) {
			m->ks[k].implicit = 0;
			m->ks[k].loc = o->loc;
			m->ks[k].parent = parent;
		}
		return 0; /* a second definition is a duplicate object, reported as such */
	}
	if (m->ks_count >= m->opts.max_kustomizations) {
		if (!m->too_many++)
			return platci_fluxmodel__finding(m, "render.too-many-kustomizations", 1,
				&o->loc, NULL,
				"more than %zu Flux Kustomizations in %s: the rest are not rendered "
				"(a limit against runaway trees)",
				m->opts.max_kustomizations, m->env);
		return 0;
	}
	/* ks/ksi grow together: see add_ks_slot in fluxmodel.c */
	if (platci__grow_array((void **)&m->ks, &m->ks_alloc, m->ks_count + 1, sizeof(*m->ks)) < 0)
		return PLATCI_ENOMEM;
	{
		ks_int *n = realloc(m->ksi, m->ks_alloc * sizeof(*m->ksi));
		if (!n)
			return PLATCI_ENOMEM;
		m->ksi = n;
	}
	k = m->ks_count++;
	ks = &m->ks[k];
	memset(ks, 0, sizeof(*ks));
	memset(&m->ksi[k], 0, sizeof(m->ksi[k]));
	ks->namespace_ = o->namespace_;
	ks->name = o->name;
	ks->path = platci_fluxmodel__strdup(m, str_or(platci_node_get_str(spec, "path"), ""));
	ks->source = platci_fluxmodel__ref_of(m, platci_node_get(spec, "sourceRef"), o->namespace_,
		"GitRepository");
	ks->loc = o->loc;
	ks->parent = parent;
	m->ksi[k].spec = spec;
	if (platci_node_count(deps)) {
		ks->depends_on = platci_arena_zalloc(&m->arena,
			platci_node_count(deps) * sizeof(*ks->depends_on));
		if (!ks->depends_on)
			return PLATCI_ENOMEM;
		for (size_t i = 0; i < platci_node_count(deps); i++)
			ks->depends_on[ks->depends_on_count++] = platci_fluxmodel__ref_of(m,
				platci_node_item_at(deps, i), o->namespace_, "Kustomization");
	}
	return 0;
}

static int scan_hr(platci_fluxmodel *m, const platci_fluxmodel_object *o, size_t parent)
{
	const platci_node *spec = platci_node_get(o->root, "spec");
	const platci_node *chart_ref = platci_node_get(spec, "chartRef");
	const platci_node *cs = platci_node_dig(spec, "chart.spec");
	platci_fluxmodel_hr *h;

	if (platci__grow_array((void **)&m->hr, &m->hr_alloc, m->hr_count + 1, sizeof(*m->hr)) < 0)
		return PLATCI_ENOMEM;
	{
		const platci_node **n = realloc(m->hr_spec, m->hr_alloc * sizeof(*m->hr_spec));
		if (!n)
			return PLATCI_ENOMEM;
		m->hr_spec = n;
	}
	m->hr_spec[m->hr_count] = spec;
	h = &m->hr[m->hr_count++];
	memset(h, 0, sizeof(*h));
	h->namespace_ = o->namespace_;
	h->name = o->name;
	h->loc = o->loc;
	h->parent = parent;
	if (chart_ref) {
		h->uses_chart_ref = 1;
		h->chart_source = platci_fluxmodel__ref_of(m, chart_ref, o->namespace_, "OCIRepository");
		h->chart = h->chart_source.name;
	} else {
		h->chart_source = platci_fluxmodel__ref_of(m, platci_node_get(cs, "sourceRef"),
			o->namespace_, "HelmRepository");
		h->chart = platci_fluxmodel__strdup(m, str_or(platci_node_get_str(cs, "chart"), ""));
		h->version = platci_fluxmodel__strdup(m, str_or(platci_node_get_str(cs, "version"), "*"));
	}
	return 0;
}

static const char *ref_text(platci_fluxmodel *m, const platci_node *ref)
{
	static const char *const keys[] = { "digest", "commit", "name", "semver", "tag", "branch" };
	platci_buf b = PLATCI_BUF_INIT;
	const char *out = NULL;

	/* Flux's precedence: the later-listed fields of the spec win; report the winner. */
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(keys); i++) {
		const char *v = platci_node_get_str(ref, keys[i]);
		if (v) {
			platci_buf_printf(&b, "%s:%s", keys[i], v);
			out = platci_fluxmodel__strdup(m, b.ptr);
			break;
		}
	}
	platci_buf_dispose(&b);
	return out;
}

static int scan_src(platci_fluxmodel *m, const platci_fluxmodel_object *o, size_t parent)
{
	const platci_node *spec = platci_node_get(o->root, "spec");
	size_t i = platci_fluxmodel__find_src(m, o->kind, o->namespace_, o->name);
	platci_fluxmodel_source *s;

	if (i != PLATCI_FLUX_NONE && !m->src[i].implicit)
		return 0; /* duplicate object: reported by the duplicate check */
	if (i == PLATCI_FLUX_NONE) {
		if (platci__grow_array((void **)&m->src, &m->src_alloc, m->src_count + 1,
			    sizeof(*m->src)) < 0)
			return PLATCI_ENOMEM;
		{
			const platci_node **n = realloc(m->src_spec, m->src_alloc * sizeof(*m->src_spec));
			if (!n)
				return PLATCI_ENOMEM;
			m->src_spec = n;
		}
		i = m->src_count++;
		memset(&m->src[i], 0, sizeof(m->src[i]));
	}
	s = &m->src[i];
	m->src_spec[i] = spec;
	s->kind = o->kind;
	s->namespace_ = o->namespace_;
	s->name = o->name;
	s->url = platci_fluxmodel__strdup(m, platci_node_get_str(spec, "url"));
	s->ref = ref_text(m, platci_node_get(spec, "ref"));
	s->loc = o->loc;
	s->parent = parent;
	s->implicit = 0;
	if (strcmp(o->kind, "GitRepository") == 0 && strcmp(o->name, "flux-system") == 0 &&
		strcmp(o->namespace_, "flux-system") == 0)
		s->dir = ".";
	return 0;
}

static int scan_gen(platci_fluxmodel *m, const platci_fluxmodel_object *o)
{
	const platci_node *spec = platci_node_get(o->root, "spec");
	const platci_node *arts = platci_node_get(spec, "artifacts");
	generator *g;
	platci_buf gname = PLATCI_BUF_INIT;

	if (platci__grow_array((void **)&m->gen, &m->gen_alloc, m->gen_count + 1, sizeof(*m->gen)) < 0)
		return PLATCI_ENOMEM;
	g = &m->gen[m->gen_count++];
	memset(g, 0, sizeof(*g));
	g->namespace_ = o->namespace_;
	g->name = o->name;
	g->spec = spec;
	g->loc = o->loc;
	platci_buf_printf(&gname, "%s/%s", o->namespace_, o->name);
	for (size_t i = 0; i < platci_node_count(arts); i++) {
		const platci_node *a = platci_node_item_at(arts, i);
		platci_fluxmodel_artifact *art;
		if (platci__grow_array((void **)&m->art, &m->art_alloc, m->art_count + 1,
			    sizeof(*m->art)) < 0)
			return PLATCI_ENOMEM;
		{
			char(*n)[PATH_MAX] = realloc(m->art_dir, m->art_alloc * sizeof(*m->art_dir));
			if (!n)
				return PLATCI_ENOMEM;
			m->art_dir = n;
		}
		m->art_dir[m->art_count][0] = '\0';
		art = &m->art[m->art_count++];
		memset(art, 0, sizeof(*art));
		art->namespace_ = o->namespace_;
		art->name = platci_fluxmodel__strdup(m, str_or(platci_node_get_str(a, "name"), ""));
		art->generator = platci_fluxmodel__strdup(m, gname.ptr);
		art->loc = o->loc;
	}
	platci_buf_dispose(&gname);
	return 0;
}

int platci_fluxmodel__scan_object(platci_fluxmodel *m, size_t obj, size_t parent)
{
	platci_fluxmodel_object o = m->obj[obj];
	platci_k8s_id id;

	if (!platci_k8s_identity(&id, o.root) || !o.name)
		return 0;
	if (!o.namespace_)
		o.namespace_ = "default";
	switch (platci_flux_classify(&id)) {
	case PLATCI_FLUX_ROLE_KUSTOMIZATION:
		return scan_ks(m, &o, parent);
	case PLATCI_FLUX_ROLE_HELMRELEASE:
		return scan_hr(m, &o, parent);
	case PLATCI_FLUX_ROLE_SOURCE:
		return scan_src(m, &o, parent);
	case PLATCI_FLUX_ROLE_ARTIFACT_GENERATOR:
		return scan_gen(m, &o);
	default:
		return 0;
	}
}

/* `--sources NAME=DIR`: by `namespace/name` first, then by name alone. */
const char *platci_fluxmodel__local_source(const platci_fluxmodel *m, const char *ns, const char *name)
{
	char full[512];

	platci_render__fmt(full, sizeof(full), "%s/%s", ns, name);
	for (size_t i = 0; i < m->opts.source_count; i++)
		if (strcmp(m->opts.sources[i].name, full) == 0)
			return m->opts.sources[i].dir;
	for (size_t i = 0; i < m->opts.source_count; i++)
		if (strcmp(m->opts.sources[i].name, name) == 0)
			return m->opts.sources[i].dir;
	return NULL;
}

/* URLs equal once a trailing `/` and `.git` are dropped. */
static int same_url(const char *a, const char *b)
{
	size_t la, lb;

	if (!a || !b)
		return 0;
	la = strlen(a);
	lb = strlen(b);
	while (la && a[la - 1] == '/')
		la--;
	while (lb && b[lb - 1] == '/')
		lb--;
	if (la > 4 && strncmp(a + la - 4, ".git", 4) == 0)
		la -= 4;
	if (lb > 4 && strncmp(b + lb - 4, ".git", 4) == 0)
		lb -= 4;
	return la == lb && strncmp(a, b, la) == 0;
}

const char *platci_fluxmodel__source_dir_abs(platci_fluxmodel *m, size_t i, platci_buf *out)
{
	platci_fluxmodel_source *s = &m->src[i];
	size_t root = platci_fluxmodel__find_src(m, "GitRepository", "flux-system", "flux-system");
	char full[512];

	/* --sources first: by namespace/name, then by name. */
	platci_render__fmt(full, sizeof(full), "%s/%s", s->namespace_, s->name);
	for (int pass = 0; pass < 2; pass++)
		for (size_t j = 0; j < m->opts.source_count; j++)
			if (strcmp(m->opts.sources[j].name, pass ? s->name : full) == 0 &&
				m->local_real[j][0]) {
				s->dir = platci_fluxmodel__relpath(m, m->local_real[j]);
				platci_buf_clear(out);
				return platci_buf_puts(out, m->local_real[j]) < 0 ? NULL : out->ptr;
			}
	/* The same URL is this repository only at the same ref (another branch is other files). */
	if (!s->dir && strcmp(s->kind, "GitRepository") == 0 && root != PLATCI_FLUX_NONE &&
		same_url(s->url, m->src[root].url) &&
		(!s->ref || !m->src[root].ref || strcmp(s->ref, m->src[root].ref) == 0))
		s->dir = ".";
	if (!s->dir || platci_path_on_disk(out, m->root, s->dir) < 0)
		return NULL;
	return out->ptr;
}

static size_t find_art(const platci_fluxmodel *m, const char *ns, const char *name)
{
	for (size_t i = 0; i < m->art_count; i++)
		if (strcmp(m->art[i].namespace_, ns) == 0 && strcmp(m->art[i].name, name) == 0)
			return i;
	return PLATCI_FLUX_NONE;
}

/* The repository folder an artifact folder comes from, from any file copied below it. */
static const char *artifact_repo_dir(platci_fluxmodel *m, size_t a, const char *path)
{
	const platci_fluxmodel_artifact *art = &m->art[a];
	size_t plen = strlen(path);

	for (size_t i = 0; i < art->file_count; i++) {
		const char *ap = art->files[2 * i], *rp = art->files[2 * i + 1];
		size_t al = strlen(ap), rl = strlen(rp), tail;
		if (strcmp(path, ".") != 0 && (strncmp(ap, path, plen) != 0 || ap[plen] != '/'))
			continue;
		tail = strcmp(path, ".") == 0 ? al : al - plen - 1;
		if (rl > tail && strcmp(rp + rl - tail, ap + al - tail) == 0 && rp[rl - tail - 1] == '/')
			return platci_arena_strndup(&m->arena, rp, rl - tail - 1);
		if (rl == tail && strcmp(rp, ap + al - tail) == 0)
			return ".";
	}
	return NULL;
}

/*
 * spec.path as kustomize-controller joins it to the source root
 * (securejoin): a leading `/` is the root, and `..` never climbs above it.
 */
int platci_fluxmodel__secure_join(platci_buf *out, const char *path)
{
	const char *p = path;

	platci_buf_clear(out);
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 2 && strncmp(p, "..", 2) == 0) {
			char *slash = strrchr(out->ptr, '/');
			platci_buf_truncate(out, slash ? (size_t)(slash - out->ptr) : 0);
		} else if (n && !(n == 1 && *p == '.')) {
			if (out->size)
				platci_buf_putc(out, '/');
			platci_buf_put(out, p, n);
		}
		p += n + (e ? 1 : 0);
	}
	if (!out->size)
		platci_buf_putc(out, '.');
	return out->error;
}

/* Sets the target of Kustomization @p k under @p base; findings for bad paths. */
static int set_target(platci_fluxmodel *m, size_t k, const char *base, const char *key_prefix, size_t art)
{
	platci_fluxmodel_ks *ks = &m->ks[k];
	platci_buf rel = PLATCI_BUF_INIT, abs = PLATCI_BUF_INIT;
	int error = 0;

	if (platci_fluxmodel__secure_join(&rel, ks->path) < 0) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	if ((error = platci_path_on_disk(&abs, base, rel.ptr)) < 0)
		goto done;
	if (!platci_fs_is_dir(abs.ptr)) {
		ks->reason = "spec.path not found";
		error = platci_fluxmodel__finding(m, "render.path-not-found", 1, &ks->loc, NULL,
			"Kustomization %s/%s: kustomization path not found: \"%s\" in %s %s/%s",
			ks->namespace_, ks->name, ks->path, ks->source.kind, ks->source.namespace_,
			ks->source.name);
		goto done;
	}
	if (art == PLATCI_FLUX_NONE && strcmp(base, m->root) == 0 &&
		platci_path_check_inside(m->root, rel.ptr) < 0) {
		ks->reason = "spec.path leaves the repository through a symbolic link";
		error = platci_fluxmodel__finding(m, "render.path-escapes", 1, &ks->loc, NULL,
			"Kustomization %s/%s: \"%s\" leaves the repository through a symbolic link",
			ks->namespace_, ks->name, ks->path);
		goto done;
	}
	platci_render__fmt(m->ksi[k].target, sizeof(m->ksi[k].target), "%s", abs.ptr);
	platci_render__fmt(m->ksi[k].key_text, sizeof(m->ksi[k].key_text), "%s:%s", key_prefix, rel.ptr);
	if (art != PLATCI_FLUX_NONE)
		ks->repo_path = artifact_repo_dir(m, art, rel.ptr);
	else
		ks->repo_path = platci_fluxmodel__relpath(m, abs.ptr);
done:
	platci_buf_dispose(&rel);
	platci_buf_dispose(&abs);
	return error;
}

static int external(platci_fluxmodel *m, size_t k, const char *why)
{
	platci_fluxmodel_ks *ks = &m->ks[k];
	ks->reason = platci_fluxmodel__strdup(m, why);
	return platci_fluxmodel__finding(m, "render.source-external", m->opts.strict, &ks->loc,
		NULL, "Kustomization %s/%s is not rendered: %s", ks->namespace_, ks->name, why);
}

/*
 * source-controller leaves out what `.sourceignore` files and `spec.ignore`
 * exclude; the render reads the folder as it is. Say so, once per source.
 */
int platci_fluxmodel__ignore_notice(platci_fluxmodel *m, size_t s, const char *dir)
{
	char key[600];
	int spec_ignore = m->src_spec[s] && platci_node_get(m->src_spec[s], "ignore");
	platci_buf path = PLATCI_BUF_INIT;
	int file = platci_path_on_disk(&path, dir, ".sourceignore") == 0 && platci_fs_exists(path.ptr);
	const char *file_rel = file ? platci_fluxmodel__relpath(m, path.ptr) : NULL;

	platci_buf_dispose(&path);

	if (!spec_ignore && !file)
		return 0;
	platci_render__fmt(key, sizeof(key), "%s/%s/%s", m->src[s].kind, m->src[s].namespace_,
		m->src[s].name);
	for (size_t i = 0; i < m->noted_count; i++)
		if (strcmp(m->noted[i], key) == 0)
			return 0;
	if (platci__grow_array((void **)&m->noted, &m->noted_alloc, m->noted_count + 1,
		    sizeof(*m->noted)) < 0 ||
		!(m->noted[m->noted_count++] = platci_fluxmodel__strdup(m, key)))
		return PLATCI_ENOMEM;
	if (file && !spec_ignore) {
		platci_fluxmodel_loc at = { file_rel, 1, 1 };
		return platci_fluxmodel__finding(m, "render.source-ignore", 0, &at, key,
			"%s %s/%s: "
			".sourceignore is not applied: the render reads every file of the folder",
			m->src[s].kind, m->src[s].namespace_, m->src[s].name);
	}
	return platci_fluxmodel__finding(m, "render.source-ignore", 0,
		m->src[s].loc.file ? &m->src[s].loc : NULL, key,
		"%s %s/%s: %s%s%s not applied: the "
		"render reads every file of the folder",
		m->src[s].kind, m->src[s].namespace_, m->src[s].name, spec_ignore ? "spec.ignore" : "",
		spec_ignore && file ? " and " : "", file ? ".sourceignore is" : " is");
}

static int resolve_ks(platci_fluxmodel *m, size_t k, platci_buf *dir)
{
	platci_fluxmodel_ref r = m->ks[k].source;
	char why[768];
	int error;

	/* The root builds the cluster folder of this repository: that is what was asked for. */
	if (k == 0) {
		platci_fluxmodel_ks *ks = &m->ks[0];
		const char *path = ks->path;
		platci_buf p = PLATCI_BUF_INIT;
		platci_buf_printf(&p, "./%s", m->cluster);
		ks->path = platci_fluxmodel__strdup(m, p.ptr);
		platci_buf_dispose(&p);
		error = set_target(m, 0, m->root, "dir:.", PLATCI_FLUX_NONE);
		ks->path = path;
		if (error == 0)
			error = platci_fluxmodel__ignore_notice(m, 0, m->root);
		return error < 0 ? error : 1;
	}

	if (strcmp(r.kind, "ExternalArtifact") == 0) {
		size_t a = find_art(m, r.namespace_, r.name);
		if (a == PLATCI_FLUX_NONE)
			return 0;
		for (size_t g = 0; g < m->gen_count; g++) {
			char gname[512];
			platci_render__fmt(gname, sizeof(gname), "%s/%s", m->gen[g].namespace_,
				m->gen[g].name);
			if (strcmp(gname, m->art[a].generator) == 0 && !m->gen[g].expanded) {
				if ((error = platci_fluxmodel__expand_generator(m, g)) <= 0)
					return error;
			}
		}
		if (m->art[a].reason) {
			platci_render__fmt(why, sizeof(why), "ExternalArtifact %s/%s: %s",
				r.namespace_, r.name, m->art[a].reason);
			return (error = external(m, k, why)) < 0 ? error : 1;
		}
		platci_render__fmt(why, sizeof(why), "artifact:%s/%s", r.namespace_, r.name);
		return (error = set_target(m, k, m->art_dir[a], why, a)) < 0 ? error : 1;
	} else {
		size_t s = platci_fluxmodel__find_src(m, r.kind, r.namespace_, r.name);
		if (s == PLATCI_FLUX_NONE)
			return 0;
		if (!platci_fluxmodel__source_dir_abs(m, s, dir)) {
			platci_render__fmt(why, sizeof(why),
				"%s %s/%s (%s) is not this repository; map it to a "
				"folder with --sources %s=DIR",
				r.kind, r.namespace_, r.name,
				m->src[s].url ? m->src[s].url : "no url", r.name);
			return (error = external(m, k, why)) < 0 ? error : 1;
		}
		if ((error = platci_fluxmodel__ignore_notice(m, s, dir->ptr)) < 0)
			return error;
		platci_render__fmt(why, sizeof(why), "dir:%s", m->src[s].dir);
		return (error = set_target(m, k, dir->ptr, why, PLATCI_FLUX_NONE)) < 0 ? error : 1;
	}
}

int platci_fluxmodel__resolve_ks(platci_fluxmodel *m, size_t k)
{
	platci_buf dir = PLATCI_BUF_INIT;
	int error = resolve_ks(m, k, &dir);

	platci_buf_dispose(&dir);
	return error;
}
