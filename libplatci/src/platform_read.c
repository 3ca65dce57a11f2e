/*
 * Report folders: which known reports a folder holds, which stage and
 * environment they are about, and the small reports (decision.json,
 * terraform-report.json, promotion.json, render.json), read whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "platform_int.h"
#include "platci/clock.h"
#include "platci/fs.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

/* Reports that are linked from the page, not read. */
static const char *const artifact_names[] = { "summary.md", "junit.xml",
	"gl-code-quality-report.json", "promotion.diff", "drift-issue.md", "affected.json",
	"child-pipeline.yml", "rendered.diff", NULL };

typedef struct folder {
	const char *dir;
	const char *base; /* the folder's own name */
	const char *env; /* from the folder's name, then from its findings.json */
	const char *stage;
	platci_buf name_stage;
} folder;

static int is_file(const char *path, off_t *size, time_t *mtime)
{
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	if (size)
		*size = st.st_size;
	if (mtime)
		*mtime = st.st_mtime;
	return 1;
}

/* `plan-prd-uaenorth`: the longest known environment the name ends with, or NULL. */
const char *platci_platform__folder_env(const platci_platform *p, const char *base)
{
	size_t blen = strlen(base), best = 0;
	const char *env = NULL;

	for (size_t i = 0; i < p->nenvs; i++) {
		const char *e = p->envs[i].name;
		size_t elen = strlen(e);
		if (elen > blen || elen <= best || strcmp(base + blen - elen, e) != 0)
			continue;
		if (elen == blen || base[blen - elen - 1] == '-') {
			env = e;
			best = elen;
		}
	}
	return env;
}

static void folder_env(platci_platform *p, folder *f, const char *base)
{
	size_t blen = strlen(base);

	f->base = base;
	f->env = platci_platform__folder_env(p, base);
	platci_buf_clear(&f->name_stage);
	if (f->env && blen > strlen(f->env))
		platci_buf_put(&f->name_stage, base, blen - strlen(f->env) - 1);
	else if (!f->env)
		platci_buf_puts(&f->name_stage, base);
	f->stage = f->name_stage.size ? f->name_stage.ptr : NULL;
}

int platci_platform__unreadable(platci_platform *p, size_t input, const platci_diag *local,
	const char *fallback, platci_diag *diag)
{
	platci_platform_input *in = &p->inputs[input];
	platci_diag_entry e;
	char msg[1024];

	msg[0] = '\0';
	for (size_t i = platci_diag_count(local); i > 0; i--) {
		const platci_diag_entry *d = platci_diag_at(local, i - 1);
		if (d->level != PLATCI_DIAG_ERROR)
			continue;
		/* file:line:column: message, without the level: the input's status says it. */
		if (d->source && d->line)
			snprintf(msg, sizeof(msg), "%s:%zu:%zu: %s", d->source, d->line, d->column,
				d->message);
		else if (d->source)
			snprintf(msg, sizeof(msg), "%s: %s", d->source, d->message);
		else
			snprintf(msg, sizeof(msg), "%s: %s", in->file, d->message);
		break;
	}
	if (!msg[0])
		snprintf(msg, sizeof(msg), "%s: %s", in->file, fallback ? fallback : "cannot be read");
	in->status = PLATCI_PLATFORM_UNREADABLE;
	if (!(in->message = platci_platform__str(p, msg)))
		return PLATCI_ENOMEM;
	memset(&e, 0, sizeof(e));
	e.level = PLATCI_DIAG_WARNING;
	e.code = PLATCI_EDATA;
	return platci_diag_add(diag, &e, "unusable report: %s", msg);
}

static int load(json_t **out, platci_platform *p, size_t input, const char *path, const char *want,
	platci_diag *diag)
{
	platci_diag *local = NULL;
	int error;

	*out = NULL;
	if (platci_diag_new(&local) < 0)
		return PLATCI_ENOMEM;
	error = platci_json_load_file(out, path, 0, local);
	if (error == PLATCI_ENOMEM)
		goto done;
	if (error == 0 && !json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		error = PLATCI_EDATA;
	}
	if (error < 0) {
		char why[160];
		snprintf(why, sizeof(why), "not %s (the top level is not an object)", want);
		error = platci_platform__unreadable(p, input, error == PLATCI_EDATA ? NULL : local,
			why, diag);
		error = error < 0 ? error : 1;
	}
done:
	platci_diag_free(local);
	return error;
}

static long long int_member(const json_t *o, const char *key, int *ok)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_integer(v)) {
		*ok = 0;
		return 0;
	}
	return (long long)json_integer_value(v);
}

static const char *str_member(platci_platform *p, const json_t *o, const char *key)
{
	return platci_platform__str(p, platci_json_str(o, key));
}

static void content_time(platci_platform *p, size_t input, const char *s, int zone)
{
	time_t t;

	if (s && platci_time_parse(&t, s, 0, zone) == 0) {
		p->inputs[input].generated = t;
		p->inputs[input].generated_from_file = 0;
	}
}

static int read_gate(platci_platform *p, size_t input, const char *path, platci_diag *diag)
{
	static const char *const keys[PFP_NCOUNTS] = { "add", "change", "destroy", "replace",
		"import", "move", "forget" };
	json_t *o = NULL, *rules, *counts;
	pf_gaterec *g;
	int error, ok = 1;
	const char *decision, *env;

	if ((error = load(&o, p, input, path, "a platci decision.json", diag)) != 0)
		return error < 0 ? error : 0;
	decision = platci_json_str(o, "decision");
	env = platci_json_str(o, "env");
	rules = json_object_get(o, "rules");
	if (!decision || !env || !json_is_array(rules) ||
		(strcmp(decision, "allow") != 0 && strcmp(decision, "deny") != 0 &&
			strcmp(decision, "needs-approval") != 0)) {
		error = platci_platform__unreadable(p, input, NULL,
			"not a platci decision.json (needs decision allow, deny or needs-approval, env "
			"and rules)",
			diag);
		goto done;
	}
	if (!(g = PF_NEW_REC(p, gaterecs, ngaterecs, agaterecs)))
		goto oom;
	g->input = input;
	g->env = str_member(p, o, "env");
	g->decision = str_member(p, o, "decision");
	g->commit = str_member(p, o, "commit_sha");
	p->inputs[input].env = g->env;
	/* Environments become known as reports name them: folders read later match them. */
	if (platci_platform__env(p, env, 1) == PF_NONE)
		goto oom;
	content_time(p, input, platci_json_str(o, "now"), 1);
	counts = json_object_get(json_object_get(o, "plan"), "counts");
	if (json_is_object(counts)) {
		g->has_counts = 1;
		for (size_t i = 0; i < PFP_NCOUNTS; i++)
			g->counts[i] = int_member(counts, keys[i], &ok);
	}
	if (!(g->rules = platci_arena_zalloc(&p->arena, (json_array_size(rules) + 1) * sizeof(*g->rules))))
		goto oom;
	for (size_t i = 0; i < json_array_size(rules); i++) {
		const json_t *r = json_array_get(rules, i);
		const char *outcome = platci_json_str(r, "outcome");
		pf_outcome *x;
		if (!outcome || strcmp(outcome, "pass") == 0 || strcmp(outcome, "skip") == 0)
			continue;
		x = &g->rules[g->nrules++];
		x->id = str_member(p, r, "id");
		x->outcome = str_member(p, r, "outcome");
		x->reason = str_member(p, r, "reason");
	}
	if (!g->env || !g->decision)
		goto oom;
	goto done;
oom:
	error = PLATCI_ENOMEM;
done:
	json_decref(o);
	return error < 0 ? error : 0;
}

static int read_plan(platci_platform *p, size_t input, const char *path, const char *env,
	const char *base, platci_diag *diag)
{
	json_t *o = NULL;
	pf_planrec *r;
	int error, ok = 1;
	long long c, u, d;

	if ((error = load(&o, p, input, path, "GitLab's terraform-report.json", diag)) != 0)
		return error < 0 ? error : 0;
	c = int_member(o, "create", &ok);
	u = int_member(o, "update", &ok);
	d = int_member(o, "delete", &ok);
	if (!ok) {
		error = platci_platform__unreadable(p, input, NULL,
			"not GitLab's terraform-report.json "
			"(needs integer create, update and delete)",
			diag);
	} else if (!(r = PF_NEW_REC(p, planrecs, nplanrecs, aplanrecs))) {
		error = PLATCI_ENOMEM;
	} else {
		/* Without an environment yet, the folder's name is matched again at the end. */
		r->input = input;
		r->env = platci_platform__str(p, env);
		r->folder = platci_platform__str(p, base);
		r->create = c;
		r->update = u;
		r->del = d;
		error = (env && !r->env) || !r->folder ? PLATCI_ENOMEM : 0;
	}
	json_decref(o);
	return error < 0 ? error : 0;
}

static int read_promotion(platci_platform *p, size_t input, const char *path, const char *dir,
	platci_diag *diag)
{
	json_t *o = NULL, *changes, *notes, *refusals;
	pf_promorec *r;
	platci_buf side = PLATCI_BUF_INIT;
	int error;

	if ((error = load(&o, p, input, path, "a platci promotion.json", diag)) != 0)
		return error < 0 ? error : 0;
	changes = json_object_get(o, "changes");
	notes = json_object_get(o, "not_promoted");
	refusals = json_object_get(o, "refusals");
	if (!platci_json_str(o, "to") || !json_is_array(changes) || !json_is_array(refusals)) {
		error = platci_platform__unreadable(p, input, NULL,
			"not a platci promotion.json (needs to, changes and refusals)", diag);
		goto done;
	}
	if (!(r = PF_NEW_REC(p, promorecs, npromorecs, apromorecs)))
		goto oom;
	r->input = input;
	r->from = str_member(p, o, "from");
	r->to = str_member(p, o, "to");
	r->reason = str_member(p, o, "reason");
	r->rollback_to = str_member(p, o, "rollback_to");
	r->forced = json_is_true(json_object_get(o, "forced"));
	r->changes = json_array_size(changes);
	r->not_promoted = json_array_size(notes);
	p->inputs[input].env = r->to;
	if (platci_platform__env(p, r->to, 1) == PF_NONE ||
		(r->from && platci_platform__env(p, r->from, 1) == PF_NONE))
		goto oom;
	if (!(r->refusals = platci_arena_zalloc(&p->arena,
		      (json_array_size(refusals) + 1) * sizeof(*r->refusals))))
		goto oom;
	for (size_t i = 0; i < json_array_size(refusals); i++)
		if (json_is_string(json_array_get(refusals, i)))
			r->refusals[r->nrefusals++] = platci_platform__str(p,
				json_string_value(json_array_get(refusals, i)));
	platci_buf_printf(&side, "%s/promotion.diff", dir);
	if (side.error)
		goto oom;
	if (is_file(side.ptr, NULL, NULL))
		r->diff_link = platci_platform__link(p, side.ptr);
	if (!r->to)
		goto oom;
	goto done;
oom:
	error = PLATCI_ENOMEM;
done:
	platci_buf_dispose(&side);
	json_decref(o);
	return error < 0 ? error : 0;
}

/* render.json comes from the render stage: its presence and time are what the page needs. */
static int read_render(platci_platform *p, size_t input, const char *path, platci_diag *diag)
{
	json_t *o = NULL;
	int error;

	if ((error = load(&o, p, input, path, "a platci render.json", diag)) != 0)
		return error < 0 ? error : 0;
	content_time(p, input, platci_json_str(o, "generated_at"), 1);
	json_decref(o);
	return 0;
}

/* drift.json, and the issue body beside it when there is drift to tell. */
static int read_drift(platci_platform *p, size_t input, const char *path, const char *dir, platci_diag *diag)
{
	platci_buf side = PLATCI_BUF_INIT;
	off_t size = 0;
	int error = platci_platform__read_drift(p, input, path, diag);

	if (error < 0 || !p->ndriftrecs || p->driftrecs[p->ndriftrecs - 1].input != input)
		return error;
	if (platci_buf_printf(&side, "%s/drift-issue.md", dir) < 0) {
		error = PLATCI_ENOMEM;
	} else if (is_file(side.ptr, &size, NULL) && size > 0) {
		p->driftrecs[p->ndriftrecs - 1].issue_md = platci_platform__link(p, side.ptr);
	}
	platci_buf_dispose(&side);
	return error;
}

typedef enum { K_FINDINGS, K_GATE, K_PLAN, K_DRIFT, K_PROMOTION, K_CS, K_RENDER } kind;

static const struct {
	const char *name, *kind;
} known[] = {
	{ "findings.json", "findings" },
	{ "decision.json", "gate" },
	{ "terraform-report.json", "plan" },
	{ "drift.json", "drift" },
	{ "promotion.json", "promotion" },
	{ "gl-container-scanning-report.json", "container-scanning" },
	{ "render.json", "render" },
};

static int read_one(platci_platform *p, folder *f, kind k, const char *path, platci_diag *diag)
{
	time_t mtime = 0;
	size_t input;
	const char *env = f->env;

	if (!is_file(path, NULL, &mtime))
		return 0;
	/* The folder's environment until the report says its own (or cannot be read). */
	input = platci_platform__input(p, known[k].kind, f->stage, env, path, PLATCI_PLATFORM_OK, NULL);
	if (input == PF_NONE)
		return PLATCI_ENOMEM;
	p->inputs[input].generated = mtime;
	p->inputs[input].generated_from_file = 1;
	p->inputs[input].link = platci_platform__link(p, path);
	switch (k) {
	case K_FINDINGS: {
		int error = platci_platform__read_findings(p, input, path, env, diag);
		/* The report names its stage and environment better than its folder. */
		if (error == 0 && p->inputs[input].status == PLATCI_PLATFORM_OK) {
			if (p->inputs[input].env)
				f->env = p->inputs[input].env;
			if (p->inputs[input].stage)
				f->stage = p->inputs[input].stage;
		}
		return error;
	}
	case K_GATE:
		return read_gate(p, input, path, diag);
	case K_PLAN:
		return read_plan(p, input, path, env, f->base, diag);
	case K_DRIFT:
		return read_drift(p, input, path, f->dir, diag);
	case K_PROMOTION:
		return read_promotion(p, input, path, f->dir, diag);
	case K_CS:
		return platci_platform__read_cs(p, input, path, env, f->base, diag);
	case K_RENDER:
		return read_render(p, input, path, diag);
	}
	return 0;
}

typedef struct name_list {
	char **names;
	size_t count, alloc;
} name_list;

static int add_subfolder(const char *rel, const char *full, const struct stat *st, void *payload)
{
	name_list *l = payload;

	(void)rel;
	if (!S_ISDIR(st->st_mode))
		return 0;
	return platci__strs_push(&l->names, &l->count, &l->alloc, full);
}

/* Folders directly below @p dir, in name order; hidden ones and links skipped. */
static int subfolders(char ***out, size_t *n_out, const char *dir)
{
	name_list l = { NULL, 0, 0 };
	int error = platci__walk(dir, "", 0, 0, add_subfolder, &l);

	if (error < 0) {
		for (size_t i = 0; i < l.count; i++)
			free(l.names[i]);
		free(l.names);
		l.names = NULL;
		l.count = 0;
	}
	*out = l.names;
	*n_out = l.count;
	return error;
}

/*
 * The known reports of one folder. Its environment comes from its name, else from the
 * folder above it (`prd-uaenorth/gate/`), and a findings.json in it says better.
 */
static int read_folder(platci_platform *p, const char *dir, const char **env_out,
	const char *parent_env, platci_diag *diag)
{
	platci_buf path = PLATCI_BUF_INIT, base = PLATCI_BUF_INIT;
	folder f;
	int error = 0;
	const char *slash;
	size_t len = strlen(dir);

	memset(&f, 0, sizeof(f));
	f.dir = dir;
	while (len > 1 && dir[len - 1] == '/')
		len--;
	platci_buf_put(&base, dir, len);
	slash = strrchr(base.ptr, '/');
	folder_env(p, &f, slash ? slash + 1 : base.ptr);
	if (!f.env)
		f.env = parent_env;
	for (size_t k = 0; k < PLATCI_ARRAY_SIZE(known) && error == 0; k++) {
		if ((error = platci_path_on_disk(&path, base.ptr, known[k].name)) < 0)
			break;
		error = read_one(p, &f, (kind)k, path.ptr, diag);
	}
	for (size_t i = 0; artifact_names[i] && error == 0; i++) {
		if ((error = platci_path_on_disk(&path, base.ptr, artifact_names[i])) < 0)
			break;
		if (is_file(path.ptr, NULL, NULL))
			error = platci_platform__artifact(p, f.stage, f.env, artifact_names[i], path.ptr);
	}
	*env_out = f.env;
	platci_buf_dispose(&path);
	platci_buf_dispose(&base);
	platci_buf_dispose(&f.name_stage);
	return error;
}

/* A folder, then the folders below it, PF_MAX_DEPTH levels down (pipelines nest env/stage/). */
#define PF_MAX_DEPTH 3

static int walk(platci_platform *p, const char *dir, const char *parent_env, int depth, platci_diag *diag)
{
	char **subs = NULL;
	size_t nsubs = 0;
	const char *env = NULL;
	int error;

	if ((error = read_folder(p, dir, &env, parent_env, diag)) < 0 || depth == PF_MAX_DEPTH)
		return error;
	/* A folder gone between the two looks has nothing below it (the walker says so). */
	if ((error = subfolders(&subs, &nsubs, dir)) < 0)
		return error;
	for (size_t i = 0; i < nsubs && error == 0; i++)
		error = walk(p, subs[i], env, depth + 1, diag);
	for (size_t i = 0; i < nsubs; i++)
		free(subs[i]);
	free(subs);
	return error;
}

int platci_platform_add_reports(platci_platform *p, const char *dir, platci_diag *diag)
{
	int error;

	PLATCI_ASSERT_ARG(p && dir);
	if (p->finished)
		return PLATCI_EINVALID;
	if (!platci_fs_is_dir(dir)) {
		size_t in = platci_platform__input(p, "reports-folder", NULL, NULL, dir,
			PLATCI_PLATFORM_UNREADABLE, NULL);
		if (in == PF_NONE)
			return PLATCI_ENOMEM;
		if ((error = platci_platform__unreadable(p, in, NULL, "no such folder", diag)) < 0)
			return error;
		return PLATCI_ENOTFOUND;
	}
	return walk(p, dir, NULL, 0, diag);
}
