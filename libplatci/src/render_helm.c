/*
 * HelmReleases rendered with `helm template` when helm is there and the
 * chart can be reached offline: a chart folder in this repository (or a
 * --sources folder) through a GitRepository, Bucket or ExternalArtifact,
 * or a chart in --chart-cache (`NAME-VERSION.tgz`, or a `NAME/` folder).
 * Values as helm-controller merges them: each valuesFrom in order, then
 * spec.values on top, and `targetPath` entries set last (`--set`).
 * Anything else is a `render.helm-not-rendered` finding that says why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fluxmodel_int.h"
#include "platci/fs.h"
#include "platci/flux.h"
#include "platci/k8s.h"
#include "platci/path.h"
#include "platci/sha256.h"
#include "util/common.h"
#include "util/banned.h"

static int is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* @p file (@p dir/@p name, then @p suffix) when it is a regular file; @p out gets its path. */
static int file_at(platci_buf *out, const char *dir, const char *name, const char *suffix)
{
	return platci_path_on_disk(out, dir, name) == 0 && platci_buf_puts(out, suffix) == 0 &&
	       is_file(out->ptr);
}

/* A chart in the cache folder: NAME-VERSION.tgz for a pinned version, else NAME/. */
static const char *from_cache(platci_fluxmodel *m, const char *name, const char *version,
	platci_buf *out, platci_buf *why)
{
	const char *v = version && *version == 'v' ? version + 1 : version;
	platci_buf file = PLATCI_BUF_INIT;
	const char *found = NULL;

	if (!m->opts.chart_cache) {
		platci_buf_printf(why,
			"chart %s %s comes from a remote repository and no "
			"--chart-cache folder was given",
			name, version ? version : "");
		return NULL;
	}
	if (version && platci_flux_version_is_pinned(version)) {
		platci_buf_printf(&file, "%s-%s.tgz", name, v);
		if (!file.error && file_at(out, m->opts.chart_cache, file.ptr, ""))
			found = out->ptr;
		platci_buf_clear(&file);
		platci_buf_printf(&file, "%s-%s.tgz", name, version);
		if (!found && !file.error && file_at(out, m->opts.chart_cache, file.ptr, ""))
			found = out->ptr;
	}
	platci_buf_dispose(&file);
	if (!found && file_at(out, m->opts.chart_cache, name, "/Chart.yaml") &&
		platci_path_on_disk(out, m->opts.chart_cache, name) == 0)
		found = out->ptr;
	if (!found)
		platci_buf_printf(why,
			"chart %s %s is not in --chart-cache %s (as %s-VERSION.tgz for a "
			"pinned version, or %s/)",
			name, version ? version : "", m->opts.chart_cache, name, name);
	return found;
}

static const char *chart_in_source(platci_fluxmodel *m, size_t s, const char *chart,
	platci_buf *out, platci_buf *why)
{
	platci_buf rel = PLATCI_BUF_INIT, dir = PLATCI_BUF_INIT;
	const char *res = NULL;

	if (!platci_fluxmodel__source_dir_abs(m, s, &dir)) {
		platci_buf_printf(why, "%s %s/%s is not this repository (map it with --sources)",
			m->src[s].kind, m->src[s].namespace_, m->src[s].name);
	} else if (platci_path_normalize(&rel, chart && *chart ? chart : ".") < 0) {
		platci_buf_printf(why, "chart path \"%s\" leaves its source", chart);
	} else if (file_at(out, dir.ptr, rel.ptr, "/Chart.yaml") &&
		   platci_path_on_disk(out, dir.ptr, rel.ptr) == 0) {
		res = out->ptr;
	} else {
		platci_buf_printf(why, "no Chart.yaml at %s in %s %s/%s", rel.ptr, m->src[s].kind,
			m->src[s].namespace_, m->src[s].name);
	}
	platci_buf_dispose(&rel);
	platci_buf_dispose(&dir);
	return res;
}

/* chart.spec-shaped lookups (HelmRelease chart.spec, or a HelmChart's spec). */
static const char *chart_spec(platci_fluxmodel *m, const char *ns, const char *chart,
	const char *version, const platci_node *ref, platci_buf *out, platci_buf *why)
{
	const char *kind = platci_node_get_str(ref, "kind"), *rns = platci_node_get_str(ref, "namespace");
	size_t s = platci_fluxmodel__find_src(m, kind ? kind : "HelmRepository", rns ? rns : ns,
		platci_node_get_str(ref, "name"));

	if (s == PLATCI_FLUX_NONE) {
		platci_buf_printf(why, "its chart source is not defined in this cluster");
		return NULL;
	}
	if (strcmp(m->src[s].kind, "HelmRepository") == 0) {
		const char *local =
			platci_fluxmodel__local_source(m, m->src[s].namespace_, m->src[s].name);
		if (local && platci_path_on_disk(out, local, chart && *chart ? chart : ".") == 0 &&
			platci_fs_is_dir(out->ptr))
			return out->ptr;
		return from_cache(m, chart ? chart : "", version, out, why);
	}
	return chart_in_source(m, s, chart, out, why);
}

static const char *locate(platci_fluxmodel *m, size_t h, platci_buf *out, platci_buf *why)
{
	platci_fluxmodel_hr *hr = &m->hr[h];
	const platci_node *spec = m->hr_spec[h];
	const platci_fluxmodel_ref *r = &hr->chart_source;
	size_t s;

	if (!hr->uses_chart_ref)
		return chart_spec(m, hr->namespace_, hr->chart, hr->version,
			platci_node_dig(spec, "chart.spec.sourceRef"), out, why);
	if (strcmp(r->kind, "ExternalArtifact") == 0) {
		for (size_t a = 0; a < m->art_count; a++)
			if (strcmp(m->art[a].namespace_, r->namespace_) == 0 &&
				strcmp(m->art[a].name, r->name) == 0 && m->art_dir[a][0]) {
				platci_buf_clear(out);
				return platci_buf_puts(out, m->art_dir[a]) == 0 ? out->ptr : NULL;
			}
		platci_buf_printf(why, "ExternalArtifact %s/%s has no layout here", r->namespace_, r->name);
		return NULL;
	}
	s = platci_fluxmodel__find_src(m, r->kind, r->namespace_, r->name);
	if (s == PLATCI_FLUX_NONE) {
		platci_buf_printf(why, "its chartRef is not defined in this cluster");
		return NULL;
	}
	if (strcmp(r->kind, "HelmChart") == 0) {
		const platci_node *cs = m->src_spec[s];
		return chart_spec(m, m->src[s].namespace_, platci_node_get_str(cs, "chart"),
			platci_node_get_str(cs, "version"), platci_node_get(cs, "sourceRef"), out, why);
	}
	{
		/* OCIRepository: a --sources folder holds the chart, or the cache by the URL's last part. */
		const char *url = m->src[s].url, *name = url ? strrchr(url, '/') : NULL;
		const platci_node *ref = platci_node_get(m->src_spec[s], "ref");
		const char *ver = platci_node_get_str(ref, "tag");
		if (platci_fluxmodel__source_dir_abs(m, s, out))
			return out->ptr;
		if (platci_node_get_str(ref, "semver"))
			ver = platci_node_get_str(ref, "semver");
		return from_cache(m, name ? name + 1 : r->name, ver, out, why);
	}
}

static int write_values(platci_fluxmodel *m, size_t h, char ***argv, size_t *argc, size_t *alloc,
	platci_buf *why)
{
	const platci_node *spec = m->hr_spec[h];
	const platci_node *from = platci_node_get(spec, "valuesFrom");
	platci_buf path = PLATCI_BUF_INIT, scratch = PLATCI_BUF_INIT, sets = PLATCI_BUF_INIT;
	int error = 0;

#define PUSH(s) \
	do { \
		if (platci__grow_array((void **)argv, alloc, *argc + 2, sizeof(**argv)) < 0 || \
			!((*argv)[*argc] = platci__strdup(s))) \
			error = PLATCI_ENOMEM; \
		else \
			(*argv)[++*argc] = NULL; \
	} while (0)

	for (size_t i = 0; i < platci_node_count(from) && error == 0; i++) {
		const platci_node *f = platci_node_item_at(from, i);
		const char *kind = platci_node_get_str(f, "kind"), *name = platci_node_get_str(f, "name");
		const char *key = platci_node_get_str(f, "valuesKey"),
			   *tp = platci_node_get_str(f, "targetPath");
		size_t o = platci_fluxmodel__find_object(m, kind, m->hr[h].namespace_, name);
		const char *v = o == PLATCI_FLUX_NONE ? NULL
						      : platci_fluxmodel__data_value(m, o,
								key ? key : "values.yaml", &scratch);
		if (!v) {
			if (platci_node_is(platci_node_get(f, "optional"), "true"))
				continue;
			platci_buf_printf(why, "valuesFrom %s %s/%s%s%s is not in this cluster",
				kind ? kind : "", m->hr[h].namespace_, name ? name : "",
				o == PLATCI_FLUX_NONE ? "" : " key ",
				o == PLATCI_FLUX_NONE ? "" : (key ? key : "values.yaml"));
			break;
		}
		if (tp) {
			platci_buf_printf(&sets, "%s=%s", tp, v);
			PUSH("--set");
			PUSH(sets.ptr);
			platci_buf_clear(&sets);
			continue;
		}
		platci_buf_clear(&path);
		platci_buf_printf(&path, "%s/h/%zu/from-%zu.yaml", m->staging, h, i);
		if ((error = platci_fs_write_atomic(path.ptr, v, strlen(v), m->diag)) < 0)
			break;
		PUSH("-f");
		PUSH(path.ptr);
	}
	if (error == 0 && !why->size && platci_node_get(spec, "values")) {
		platci_buf json = PLATCI_BUF_INIT;
		platci_render__emit_json(&json, platci_node_get(spec, "values"), 1);
		platci_buf_clear(&path);
		platci_buf_printf(&path, "%s/h/%zu/values.json", m->staging, h);
		error = json.error ? json.error
				   : platci_fs_write_atomic(path.ptr, json.ptr, json.size, m->diag);
		/* Values files merge in order, so spec.values win over valuesFrom; --set comes last. */
		if (error == 0) {
			size_t n = *argc;
			PUSH("-f");
			PUSH(path.ptr);
			for (size_t i = 0; error == 0 && i + 2 < *argc; i++)
				if (strcmp((*argv)[i], "--set") == 0 && i < n) {
					char *a = (*argv)[i], *b = (*argv)[i + 1];
					memmove(&(*argv)[i], &(*argv)[i + 2],
						(*argc - i - 2) * sizeof(char *));
					(*argv)[*argc - 2] = a;
					(*argv)[*argc - 1] = b;
					n -= 2;
					i--;
				}
		}
		platci_buf_dispose(&json);
	}
#undef PUSH
	platci_buf_dispose(&path);
	platci_buf_dispose(&scratch);
	platci_buf_dispose(&sets);
	return error;
}

/* helm-controller's release name: releaseName, or [targetNamespace-]name, shortened past 53. */
static void release_name(char *out, size_t size, const platci_fluxmodel_hr *hr, const platci_node *spec)
{
	const char *rn = platci_node_get_str(spec, "releaseName");
	const char *tns = platci_node_get_str(spec, "targetNamespace");
	char full[512], hex[PLATCI_SHA256_HEX_SIZE];

	if (rn)
		platci_render__fmt(full, sizeof(full), "%s", rn);
	else if (tns)
		platci_render__fmt(full, sizeof(full), "%s-%s", tns, hr->name);
	else
		platci_render__fmt(full, sizeof(full), "%s", hr->name);
	if (strlen(full) > 53 && platci_sha256_hex(hex, full, strlen(full)) == 0)
		platci_render__fmt(out, size, "%.40s-%.12s", full, hex);
	else
		platci_render__fmt(out, size, "%s", full);
}

static int prepare(platci_fluxmodel *m, size_t h, render_job *job, platci_buf *why)
{
	const platci_node *spec = m->hr_spec[h];
	const char *tns = platci_node_get_str(spec, "targetNamespace");
	const char *crds = platci_node_get_str(platci_node_get(spec, "install"), "crds");
	platci_buf chart = PLATCI_BUF_INIT, dir = PLATCI_BUF_INIT;
	char name[128];
	size_t argc = 0, alloc = 0;
	char **argv = NULL;
	int error = 0;

	if (!locate(m, h, &chart, why))
		goto done;
	if (!m->opts.tools->helm[0]) {
		platci_buf_printf(why, "helm is not on PATH");
		goto done;
	}
	platci_buf_printf(&dir, "%s/h/%zu", m->staging, h);
	if ((error = dir.error) < 0 || (error = platci_fs_mkdirs(dir.ptr, m->diag)) < 0)
		goto done;
	release_name(name, sizeof(name), &m->hr[h], spec);
	{
		const char *fixed[] = { m->opts.tools->helm, "template", name, chart.ptr,
			"--namespace", tns ? tns : m->hr[h].namespace_, NULL };
		for (size_t i = 0; fixed[i] && error == 0; i++) {
			if (platci__grow_array((void **)&argv, &alloc, argc + 2, sizeof(*argv)) < 0 ||
				!(argv[argc++] = platci__strdup(fixed[i])))
				error = PLATCI_ENOMEM;
			else
				argv[argc] = NULL;
		}
	}
	if (error == 0 && !(crds && strcmp(crds, "Skip") == 0)) {
		if (platci__grow_array((void **)&argv, &alloc, argc + 2, sizeof(*argv)) < 0 ||
			!(argv[argc++] = platci__strdup("--include-crds")))
			error = PLATCI_ENOMEM;
		else
			argv[argc] = NULL;
	}
	if (error == 0)
		error = write_values(m, h, &argv, &argc, &alloc, why);
	if (error < 0 || why->size) {
		for (size_t i = 0; argv && i < argc; i++)
			free(argv[i]);
		free(argv);
		goto done;
	}
	job->argv = argv;
done:
	platci_buf_dispose(&chart);
	platci_buf_dispose(&dir);
	return error;
}

static int add_output(platci_fluxmodel *m, size_t h, const char *s, size_t len, const char *ns)
{
	size_t start = 0, i = 0;
	int error = 0;

	while (i <= len && error >= 0) {
		if (i == len || (strncmp(s + i, "---", 3) == 0 && (i == 0 || s[i - 1] == '\n'))) {
			if (i > start) {
				size_t before = m->obj_count;
				platci_fluxmodel_loc none = { NULL, 0, 0 };
				error = platci_fluxmodel__add_object(m, m->hr[h].parent, s + start,
					i - start, &none, h);
				if (error > 0 && m->obj_count > before) {
					platci_fluxmodel_object *o = &m->obj[before];
					if (!o->namespace_ && !platci_k8s_is_cluster_scoped(o->kind))
						o->namespace_ = ns; /* helm puts it in the release namespace */
					m->hr[h].object_count++;
				}
			}
			if (i == len)
				break;
			{
				const char *nl = memchr(s + i, '\n', len - i);
				i = start = nl ? (size_t)(nl - s) + 1 : len;
			}
			continue;
		}
		{
			const char *nl = memchr(s + i, '\n', len - i);
			i = nl ? (size_t)(nl - s) + 1 : len;
		}
	}
	return error < 0 ? error : 0;
}

int platci_render__helm_all(platci_fluxmodel *m)
{
	render_job *jobs = calloc(m->hr_count + 1, sizeof(*jobs));
	platci_buf *why = calloc(m->hr_count + 1, sizeof(*why));
	int error = 0;

	if (!jobs || !why) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	for (size_t h = 0; h < m->hr_count && error == 0; h++) {
		platci_buf_init(&why[h], 0);
		jobs[h].m = m;
		jobs[h].index = h;
		jobs[h].helm = 1;
		jobs[h].dup_of = PLATCI_FLUX_NONE;
		jobs[h].run.exit_code = -1;
		if (!m->hr[h].reason)
			error = prepare(m, h, &jobs[h], &why[h]);
	}
	if (error == 0)
		platci_render__pool(jobs, m->hr_count, m->opts.jobs);
	for (size_t h = 0; h < m->hr_count && error == 0; h++) {
		platci_fluxmodel_hr *hr = &m->hr[h];
		const char *tns = platci_node_get_str(m->hr_spec[h], "targetNamespace");
		if (hr->reason)
			continue;
		if (!jobs[h].argv) {
			hr->reason = platci_fluxmodel__strdup(m, why[h].ptr);
			error = platci_fluxmodel__finding(m, "render.helm-not-rendered",
				m->opts.strict, &hr->loc, NULL, "HelmRelease %s/%s is not rendered: %s",
				hr->namespace_, hr->name, why[h].ptr);
			continue;
		}
		m->builds++;
		if (jobs[h].exec_error < 0 || jobs[h].run.exit_code != 0) {
			const char *e = jobs[h].run.err.ptr, *nl;
			hr->reason = "helm template failed";
			if (strncmp(e, "Error: ", 7) == 0)
				e += 7;
			nl = strchr(e, '\n');
			error = platci_fluxmodel__finding(m, "render.helm-failed", 1, &hr->loc, NULL,
				"HelmRelease %s/%s: helm template failed: %.*s", hr->namespace_, hr->name,
				(int)(nl                  ? (size_t)(nl - e)
					: strlen(e) > 500 ? 500
							  : strlen(e)),
				e);
			continue;
		}
		hr->rendered = 1;
		error = add_output(m, h, jobs[h].run.out.ptr, jobs[h].run.out.size,
			tns ? platci_fluxmodel__strdup(m, tns) : hr->namespace_);
		if (error == 0 && platci_node_get(m->hr_spec[h], "postRenderers"))
			error = platci_fluxmodel__finding(m, "render.helm-postrenderers", 0, &hr->loc, NULL,
				"HelmRelease %s/%s: spec.postRenderers are not applied to the rendered "
				"objects",
				hr->namespace_, hr->name);
	}
done:
	for (size_t h = 0; jobs && h < m->hr_count; h++) {
		platci_render_run_dispose(&jobs[h].run);
		for (size_t i = 0; jobs[h].argv && jobs[h].argv[i]; i++)
			free(jobs[h].argv[i]);
		free(jobs[h].argv);
		if (why)
			platci_buf_dispose(&why[h]);
	}
	free(jobs);
	free(why);
	return error;
}
