/*
 * platci-validate's library side, the run: load every YAML file once
 * (worker threads, merged in file order), build each environment's Flux
 * tree, then run the per-document checks and the policy on worker threads
 * with one findings list per file, and the tree-wide checks on this
 * thread. Output never depends on scheduling. The concerns live in the
 * validate_*.c files listed in validate_int.h; this file runs the phases
 * in order and owns everything a run allocates.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "platci/path.h"
#include "platci/validate.h"
#include "validate_int.h"
#include "util/common.h"
#include "util/banned.h"

/* One run's state: the shared context plus the lists only the run itself uses. */
typedef struct run {
	vctx v;
	platci_findings *tree; /* tree-wide findings (this thread) */
	platci_findings *all; /* every finding, in file order, before the change filter */
	platci_affected *own_aff;
} run;

int platci_validate_options_init(platci_validate_options *opts, unsigned int version)
{
	platci_validate_options init = PLATCI_VALIDATE_OPTIONS_INIT;

	if (version != PLATCI_VALIDATE_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

int platci_validate__find(platci_findings *out, const char *rule, platci_severity sev,
	platci_enforcement enf, const char *file, size_t line, size_t col, const char *env,
	const char *key, const char *fmt, ...)
{
	platci_finding f;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memset(&f, 0, sizeof(f));
	f.rule_id = rule;
	f.severity = sev;
	f.enforcement = enf;
	f.message = msg;
	f.file = file;
	f.line = line;
	f.column = col;
	f.env = env;
	f.key = key;
	return platci_findings_add(out, &f);
}

/*
 * Every field of @p r starts zeroed, so run_dispose() is safe from any
 * point of run_init() on: it frees only what was allocated, and the run
 * holds no lock (the worker pool's live only inside each phase).
 */
static int run_init(run *r, const platci_config *cfg, const platci_validate_options *opts, platci_diag *diag)
{
	vctx *v = &r->v;
	int error;

	memset(r, 0, sizeof(*r));
	v->cfg = cfg;
	v->opts = opts;
	if ((error = platci_validate_list_files(&v->files, cfg, diag)) < 0)
		return error;
	while (v->files[v->count])
		v->count++;
	if (!(v->results = calloc(v->count ? v->count : 1, sizeof(*v->results))))
		return PLATCI_ENOMEM;
	if ((error = platci_findings_new(&r->tree)) < 0 || (error = platci_findings_new(&r->all)) < 0)
		return error;
	return 0;
}

static void run_dispose(run *r)
{
	vctx *v = &r->v;

	for (size_t i = 0; v->results && i < v->count; i++)
		platci_validate__file_dispose(&v->results[i]);
	free(v->results);
	platci_validate__trees_dispose(v);
	platci_validate__render_dispose(v);
	platci_validate__schema_dispose(v);
	free(v->targets);
	free(v->usage);
	platci_policy_index_free(v->pindex);
	platci_policy_free(v->policy);
	platci_affected_free(r->own_aff);
	platci_findings_free(r->tree);
	platci_findings_free(r->all);
	platci_validate_files_free(v->files);
	memset(r, 0, sizeof(*r));
}

/* The manifest policy: a broken policy stops the run (exit 65), before any work. */
static int load_policy(vctx *v, platci_diag *diag)
{
	const platci_policy_paths *pol = platci_config_policies(v->cfg);
	platci_buf full = PLATCI_BUF_INIT;
	int error;

	if (v->opts->skip_policy || !pol->manifests)
		return 0;
	error = platci_path_on_disk(&full, platci_config_root(v->cfg), pol->manifests);
	if (!error)
		error = platci_policy_load_file(&v->policy, full.ptr, pol->manifests, v->cfg,
			v->opts->now, diag);
	platci_buf_dispose(&full);
	if (error < 0)
		return error;
	v->usage = calloc(platci_policy_exception_count(v->policy) + 1, sizeof(size_t));
	return v->usage ? 0 : PLATCI_ENOMEM;
}

static int add_target(vctx *v, size_t i, size_t d)
{
	const file_result *r = &v->results[i];
	platci_policy_target *t;

	if (platci__grow_array((void **)&v->targets, &v->atargets, v->ntargets + 1, sizeof(*t)) < 0)
		return PLATCI_ENOMEM;
	t = &v->targets[v->ntargets++];
	memset(t, 0, sizeof(*t));
	t->file = v->files[i];
	t->doc = d;
	t->root = platci_doc_root_at(r->doc, d);
	t->namespace_ = r->ns ? r->ns[d] : NULL;
	t->env = r->env;
	t->env_protected = r->env_protected;
	if (r->lbl && d < r->nlbl) {
		t->labels = r->lbl[d].m;
		t->template_labels = r->lbl[d].t;
	}
	return 0;
}

/* The policy's index over object documents, for `related` lookups (their kinds are all in structural files). */
static int index_policy(vctx *v)
{
	int error = 0;

	if (!v->policy)
		return 0;
	for (size_t i = 0; i < v->count && !error; i++) {
		const file_result *r = &v->results[i];
		if (!r->structural || !r->doc || r->role != ROLE_OBJECTS)
			continue;
		for (size_t d = 0; d < platci_doc_count(r->doc) && !error; d++)
			if (platci_doc_root_at(r->doc, d))
				error = add_target(v, i, d);
	}
	return error ? error : platci_policy_index_new(&v->pindex, v->targets, v->ntargets);
}

static int file_error(const vctx *v)
{
	for (size_t i = 0; i < v->count; i++)
		if (v->results[i].error == PLATCI_ENOMEM)
			return PLATCI_ENOMEM;
	return 0;
}

/* Phases 2 to 4: read, build the trees, say what each document inherits, index for the policy. */
static int load_and_model(run *r, size_t nthreads)
{
	vctx *v = &r->v;
	int error;

	if ((error = platci_validate__run_phase(v, PHASE_LOAD, nthreads)) < 0 ||
		(error = file_error(v)) < 0 || (error = platci_validate__build_trees(v, r->tree)) < 0 ||
		(error = platci_validate__inherit(v)) < 0)
		return error;
	return index_policy(v);
}

/* Phases 5 and 6: per-document checks on workers, then tree-wide and repository-wide ones. */
static int check(run *r, size_t nthreads)
{
	vctx *v = &r->v;
	int error;

	if ((error = platci_validate__run_phase(v, PHASE_CHECK, nthreads)) < 0 ||
		(error = platci_validate__tree_checks(v, r->tree)) < 0)
		return error;
	if ((error = platci_validate__tf(v->cfg, r->tree)) < 0)
		return error;
	return platci_validate__ci(v->cfg, r->tree);
}

/* Phase 7: every finding into r->all, per file in file order, then the tree-wide ones. */
static int merge(run *r, platci_validate_stats *stats)
{
	vctx *v = &r->v;
	int error = 0;

	for (size_t i = 0; i < v->count && !error; i++) {
		const file_result *fr = &v->results[i];
		if (fr->error == PLATCI_ENOMEM)
			return PLATCI_ENOMEM;
		if ((error = platci_validate__file_findings(r->all, v->files[i], fr)) < 0)
			return error;
		for (size_t k = 0; k < platci_findings_count(fr->findings) && !error; k++)
			error = platci_findings_add(r->all, platci_findings_at(fr->findings, k));
		if (stats) {
			stats->files++;
			stats->documents += fr->documents;
			stats->nodes += fr->nodes;
		}
	}
	for (size_t k = 0; k < platci_findings_count(r->tree) && !error; k++)
		error = platci_findings_add(r->all, platci_findings_at(r->tree, k));
	return error;
}

/*
 * A full run over the merge base (opts->base): every finding it has, for
 * the comparison. When it cannot run (the merge base's own policy is
 * broken, say), the head's findings go uncompared and @p diag says why.
 */
static int run_base(platci_findings **out, const platci_validate_options *opts, platci_diag *diag)
{
	platci_validate_options bopts = *opts;
	platci_diag *bdiag = NULL;
	int error;

	bopts.all = 1;
	bopts.changes = NULL;
	bopts.affected = NULL;
	bopts.base = NULL;
	bopts.fixed = NULL;
	bopts.rendered_diff = NULL;
	if ((error = platci_findings_new(out)) < 0 || (error = platci_diag_new(&bdiag)) < 0)
		return error;
	error = platci_validate_run(opts->base, &bopts, *out, NULL, bdiag);
	if (error < 0 && error != PLATCI_ENOMEM) {
		const platci_diag_entry *first = platci_diag_at(bdiag, 0);
		platci_diag_entry e;
		memset(&e, 0, sizeof(e));
		e.level = PLATCI_DIAG_WARNING;
		e.code = error;
		platci_diag_add(diag, &e,
			"the merge base could not be validated (%s): findings are "
			"not compared with it",
			first ? first->message : platci_strerror(error));
		platci_findings_free(*out);
		*out = NULL;
		error = 0;
	}
	platci_diag_free(bdiag);
	return error;
}

/*
 * The one place every finding of the run passes before it reaches the
 * caller, in this order: post-processing that applies to every finding
 * (waivers: on r->all, so a waiver's use counts whatever the change);
 * what the change keeps (diff mode); the comparison with the merge base;
 * the sort that makes the output deterministic.
 */
static int finish(run *r, const platci_affected *aff, platci_findings *findings,
	platci_validate_stats *stats, platci_diag *diag)
{
	const platci_validate_options *opts = r->v.opts;
	platci_findings *kept = NULL, *base = NULL;
	int error;

	/* 1. every finding, whatever the change: waivers are applied to r->all here */
	if ((error = platci_policy_apply(r->v.policy, r->all, r->v.usage)) < 0)
		goto done;
	/* 2. what the change keeps */
	if ((error = platci_findings_new(&kept)) < 0)
		goto done;
	for (size_t k = 0; k < platci_findings_count(r->all) && !error; k++) {
		const platci_finding *f = platci_findings_at(r->all, k);
		if (platci_validate__keep(&r->v, aff, f))
			error = platci_findings_add(kept, f);
	}
	/* 3. the comparison with the merge base (its run passes through its own finish()) */
	if (!error && opts->base)
		error = run_base(&base, opts, diag);
	if (error < 0)
		goto done;
	if (base) {
		error = platci_validate__compare(findings, kept, r->all, base,
			platci_config_existing_level(r->v.cfg), opts->fixed);
		if (stats)
			stats->compared = 1;
	} else {
		for (size_t k = 0; k < platci_findings_count(kept) && !error; k++)
			error = platci_findings_add(findings, platci_findings_at(kept, k));
	}
	/* 4. deterministic output */
	if (!error)
		platci_findings_sort(findings);
done:
	platci_findings_free(kept);
	platci_findings_free(base);
	return error;
}

static size_t thread_count(const platci_validate_options *opts)
{
	long n;

	if (opts->threads)
		return opts->threads;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (size_t)n : 1;
}

int platci_validate_run(const platci_config *cfg, const platci_validate_options *opts,
	platci_findings *findings, platci_validate_stats *stats, platci_diag *diag)
{
	platci_validate_options defaults = PLATCI_VALIDATE_OPTIONS_INIT;
	platci_affected *aff;
	size_t nthreads;
	run r;
	int error;

	if (!opts)
		opts = &defaults;
	if (opts->version != PLATCI_VALIDATE_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	nthreads = thread_count(opts);
	if ((error = run_init(&r, cfg, opts, diag)) < 0 || (error = load_policy(&r.v, diag)) < 0 ||
		(error = load_and_model(&r, nthreads)) < 0 ||
		(error = platci_validate__schema_setup(&r.v, r.tree, diag)) < 0 ||
		(error = check(&r, nthreads)) < 0)
		goto done;
	if (!(aff = opts->affected)) {
		if ((error = platci_affected_new(&r.own_aff, cfg)) < 0)
			goto done;
		aff = r.own_aff;
	}
	if ((error = platci_validate__affected(&r.v, aff)) < 0 ||
		(error = platci_validate__render(&r.v, aff, &r.tree)) < 0 ||
		(error = merge(&r, stats)) < 0)
		goto done;
	error = finish(&r, aff, findings, stats, diag);
done:
	run_dispose(&r);
	return error;
}
