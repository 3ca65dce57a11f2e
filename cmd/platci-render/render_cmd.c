#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_render.h"
#include "render_cmd.h"

void render_cmd_init(render_cmd *r, const char *prog)
{
	memset(r, 0, sizeof(*r));
	cli_init(&r->c, prog);
	r->jobs = 2;
}

void render_cmd_dispose(render_cmd *r)
{
	free(r->sources);
	free(r->cache_owned);
	cli_dispose(&r->c);
}

int render_cmd_value(render_cmd *r, const char *name, const char *v)
{
	if (!strcmp(name, "--path")) {
		r->path = v;
	} else if (!strcmp(name, "--root")) {
		r->root = v;
	} else if (!strcmp(name, "--chart-cache")) {
		r->chart_cache = v;
	} else if (!strcmp(name, "--out")) {
		r->out = v;
	} else if (!strcmp(name, "--cache-dir")) {
		r->cache_dir = v;
	} else if (!strcmp(name, "--max-kustomizations")) {
		char *end = NULL;
		long long n = strtoll(v, &end, 10);
		if (!*v || *end || n < 1)
			return cli_usage_error(&r->c,
				"--max-kustomizations: \"%s\" is not a positive "
				"number",
				v);
		r->max_ks = (size_t)n;
	} else if (!strcmp(name, "--timeout")) {
		char *end = NULL;
		long n = strtol(v, &end, 10);
		if (!*v || *end || n < 1 || n > 86400)
			return cli_usage_error(&r->c, "--timeout: \"%s\" is not a number of seconds", v);
		r->timeout_s = (unsigned int)n;
	} else if (!strcmp(name, "--jobs")) {
		char *end = NULL;
		long n = strtol(v, &end, 10);
		if (!*v || *end || n < 1 || n > 64)
			return cli_usage_error(&r->c, "--jobs: \"%s\" is not a number from 1 to 64", v);
		r->jobs = (unsigned int)n;
	} else {
		const char *eq = strchr(v, '=');
		platci_fluxmodel_local_source *n;
		if (!eq || eq == v || !eq[1])
			return cli_usage_error(&r->c, "--sources: \"%s\" is not NAME=DIR", v);
		n = realloc(r->sources, (r->source_count + 1) * sizeof(*n));
		if (!n)
			return CLI_EXIT_INTERNAL;
		r->sources = n;
		/* NAME stays NUL-terminated in argv's copy: split in place. */
		*(char *)eq = '\0';
		r->sources[r->source_count++] = (platci_fluxmodel_local_source){ v, eq + 1 };
	}
	return 0;
}

/* --cache-dir, else the default place; NULL with --no-cache or no home. */
static const char *default_cache(render_cmd *r)
{
	if (r->no_cache)
		return NULL;
	if (r->cache_dir)
		return r->cache_dir;
	if (!r->cache_owned)
		r->cache_owned = cli_render_cache_default();
	return r->cache_owned;
}

static void print_list(platci_fluxmodel **models, size_t count)
{
	size_t w_ns = 9, w_name = 4, w_env = 3;

	for (size_t m = 0; m < count; m++)
		for (size_t i = 0; i < platci_fluxmodel_ks_count(models[m]); i++) {
			const platci_fluxmodel_ks *k = platci_fluxmodel_ks_at(models[m], i);
			w_ns = strlen(k->namespace_) > w_ns ? strlen(k->namespace_) : w_ns;
			w_name = strlen(k->name) > w_name ? strlen(k->name) : w_name;
			w_env = strlen(platci_fluxmodel_env(models[m])) > w_env
					? strlen(platci_fluxmodel_env(models[m]))
					: w_env;
		}
	if (count > 1)
		printf("%-*s  ", (int)w_env, "ENV");
	printf("%-*s  %-*s  %s\n", (int)w_ns, "NAMESPACE", (int)w_name, "NAME", "PATH");
	for (size_t m = 0; m < count; m++)
		for (size_t i = 0; i < platci_fluxmodel_ks_count(models[m]); i++) {
			const platci_fluxmodel_ks *k = platci_fluxmodel_ks_at(models[m], i);
			if (count > 1)
				printf("%-*s  ", (int)w_env, platci_fluxmodel_env(models[m]));
			printf("%-*s  %-*s  %s\n", (int)w_ns, k->namespace_, (int)w_name, k->name,
				k->repo_path ? k->repo_path : k->path);
		}
}

static int write_outputs(render_cmd *r, platci_fluxmodel **models, size_t count,
	const platci_render_tools *tools, const platci_findings *f)
{
	platci_buf json = PLATCI_BUF_INIT, dir = PLATCI_BUF_INIT, name = PLATCI_BUF_INIT;
	platci_report_options ro = PLATCI_REPORT_OPTIONS_INIT;
	platci_diag *diag = NULL;
	int code = 0;

	if (platci_diag_new(&diag) < 0 ||
		platci_fluxmodel_render_json(&json, (const platci_fluxmodel *const *)models, count,
			tools, f) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	ro.stage = "render";
	ro.title = "platci render";
	ro.env = r->c.env;
	if ((code = cli_write_reports(&r->c, f, NULL, &ro)) != 0)
		goto done;
	if ((code = cli_write_report(&r->c, "render.json", json.ptr, json.size)) != 0)
		goto done;
	for (size_t m = 0; m < count && !code; m++) {
		platci_buf_clear(&name);
		platci_buf_puts(&name, platci_fluxmodel_env(models[m]));
		for (char *p = name.ptr; p && *p; p++)
			*p = *p == '/' ? '_' : *p; /* a --path env is a folder: one level only */
		if (name.error || platci_path_on_disk(&dir, r->out, name.ptr) < 0) {
			cli_error(&r->c, "%s: environment \"%s\" is no folder name under it",
				r->out, platci_fluxmodel_env(models[m]));
			code = CLI_EXIT_DATA;
		} else if (platci_fluxmodel_write_objects(models[m], dir.ptr, diag) < 0) {
			code = CLI_EXIT_INTERNAL;
		}
	}
	if (code)
		cli_print_diag(&r->c, diag);
done:
	platci_diag_free(diag);
	platci_buf_dispose(&json);
	platci_buf_dispose(&dir);
	platci_buf_dispose(&name);
	return code;
}

static void summary(render_cmd *r, platci_fluxmodel **models, size_t count, const platci_render_tools *t)
{
	if (r->c.quiet)
		return;
	cli_info(&r->c, "kustomize: %s (%s); helm: %s", t->kustomize[0] ? t->kustomize : "absent",
		t->kustomize_version, t->helm[0] ? t->helm_version : "absent");
	for (size_t m = 0; m < count; m++) {
		size_t ks = 0, hr = 0, builds, hits;
		for (size_t i = 0; i < platci_fluxmodel_ks_count(models[m]); i++)
			ks += platci_fluxmodel_ks_at(models[m], i)->rendered;
		for (size_t i = 0; i < platci_fluxmodel_hr_count(models[m]); i++)
			hr += platci_fluxmodel_hr_at(models[m], i)->rendered;
		platci_fluxmodel_stats(&builds, &hits, models[m]);
		cli_info(&r->c,
			"%s: %zu of %zu Kustomizations and %zu of %zu HelmReleases rendered, "
			"%zu objects (%zu builds, %zu from the cache)",
			platci_fluxmodel_env(models[m]), ks, platci_fluxmodel_ks_count(models[m]),
			hr, platci_fluxmodel_hr_count(models[m]),
			platci_fluxmodel_object_count(models[m]), builds, hits);
	}
}

typedef struct cluster_run {
	platci_fluxmodel_options o;
	platci_fluxmodel *model;
	platci_findings *findings;
	platci_diag *diag;
	int error;
} cluster_run;

static void *build_one(void *arg)
{
	cluster_run *c = arg;
	c->error = platci_fluxmodel_build(&c->model, &c->o, c->findings, c->diag);
	return NULL;
}

/*
 * Every environment's model at once, each on its own thread with its own
 * findings (merged in environment order after): a cluster's waves wait on
 * each other, clusters do not.
 */
static int build_all(render_cmd *r, platci_config *cfg, const platci_render_tools *tools,
	platci_fluxmodel **models, size_t *count, platci_findings *f)
{
	platci_fluxmodel_options o = PLATCI_FLUXMODEL_OPTIONS_INIT;
	const char *root = cfg ? platci_config_root(cfg) : (r->root ? r->root : ".");
	char *excl[4] = { cli_render_inside(root, r->c.reports), cli_render_inside(root, r->out),
		NULL, NULL };
	size_t n = cfg ? platci_config_env_count(cfg) : 1, nrun = 0;
	cluster_run *runs = calloc(n, sizeof(*runs));
	pthread_t *threads = calloc(n, sizeof(*threads));
	int code = 0;

	o.root = root;
	o.tools = tools;
	o.sources = r->sources;
	o.source_count = r->source_count;
	o.chart_cache = r->chart_cache;
	o.cache_dir = default_cache(r);
	excl[2] = cli_render_inside(root, o.cache_dir);
	o.cache_exclude = (const char *const *)excl;
	o.strict = r->strict;
	o.max_kustomizations = r->max_ks;
	o.timeout_ms = r->timeout_s * 1000u;
	if (!runs || !threads) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const platci_env *e = cfg ? platci_config_env_at(cfg, i) : NULL;
		if (e && r->c.env && strcmp(e->name, r->c.env) != 0)
			continue;
		runs[nrun].o = o;
		runs[nrun].o.cluster = e ? e->cluster : r->path;
		runs[nrun].o.env = e ? e->name : NULL;
		nrun++;
	}
	for (size_t i = 0; i < nrun; i++) {
		/* --jobs is the whole run's parallelism: shared out between the clusters */
		runs[i].o.jobs = r->jobs / nrun ? (unsigned int)(r->jobs / nrun) : 1;
		if (platci_findings_new(&runs[i].findings) < 0 || platci_diag_new(&runs[i].diag) < 0) {
			code = CLI_EXIT_INTERNAL;
			nrun = i + 1;
			goto done;
		}
	}
	for (size_t i = 1; i < nrun; i++)
		if (pthread_create(&threads[i], NULL, build_one, &runs[i]) != 0)
			build_one(&runs[i]), threads[i] = 0;
	if (nrun)
		build_one(&runs[0]);
	for (size_t i = 1; i < nrun; i++)
		if (threads[i])
			pthread_join(threads[i], NULL);
	for (size_t i = 0; i < nrun; i++) {
		for (size_t j = 0; j < platci_findings_count(runs[i].findings); j++)
			if (platci_findings_add(f, platci_findings_at(runs[i].findings, j)) < 0)
				code = CLI_EXIT_INTERNAL;
		if (runs[i].error < 0) {
			cli_print_diag(&r->c, runs[i].diag);
			cli_error(&r->c, "cannot render %s: %s",
				runs[i].o.env ? runs[i].o.env : runs[i].o.cluster,
				platci_strerror(runs[i].error));
			if (!code)
				code = cli_exit_for(runs[i].error);
		} else {
			models[(*count)++] = runs[i].model;
		}
	}
done:
	for (size_t i = 0; runs && i < nrun; i++) {
		platci_findings_free(runs[i].findings);
		platci_diag_free(runs[i].diag);
	}
	for (size_t i = 0; i < 3; i++)
		free(excl[i]);
	free(runs);
	free(threads);
	return code;
}

int render_cmd_run(render_cmd *r)
{
	platci_config *cfg = NULL;
	platci_findings *f = NULL;
	platci_render_tools tools;
	platci_fluxmodel **models = NULL;
	platci_buf out = PLATCI_BUF_INIT;
	size_t count = 0;
	int code = 0;

	if (r->path && r->c.env && !r->c.config)
		return cli_usage_error(&r->c, "--path and --env exclude each other");
	if (!r->path && (code = cli_load_config(&r->c, &cfg)) != 0)
		return code;
	if (cfg && r->c.env && !platci_config_env(cfg, r->c.env)) {
		code = cli_usage_error(&r->c, "--env: no environment \"%s\" in %s", r->c.env, r->c.config);
		goto done;
	}
	if (!r->out) {
		platci_buf_printf(&out, "%s/rendered", r->c.reports);
		r->out = out.ptr;
	}
	platci_render_tools_find(&tools, getenv("PATH"), getenv("TMPDIR"), default_cache(r));
	models = calloc(cfg ? platci_config_env_count(cfg) + 1 : 2, sizeof(*models));
	if (!models || platci_findings_new(&f) < 0) {
		code = CLI_EXIT_INTERNAL;
		goto done;
	}
	if ((code = build_all(r, cfg, &tools, models, &count, f)) != 0)
		goto done;
	platci_findings_sort(f);
	if (r->list) {
		print_list(models, count);
		goto done;
	}
	if ((code = write_outputs(r, models, count, &tools, f)) != 0)
		goto done;
	summary(r, models, count, &tools);
	code = platci_findings_has_deny(f) ? CLI_EXIT_DENY : 0;
done:
	for (size_t i = 0; i < count; i++)
		platci_fluxmodel_free(models[i]);
	free(models);
	platci_findings_free(f);
	platci_config_free(cfg);
	platci_buf_dispose(&out);
	return code;
}
