/*
 * Terraform layout checks from scanned facts (hcl.h): every environment
 * root has a backend and its own state key, providers and remote modules
 * are pinned. Not a Terraform evaluator: values built from expressions
 * are left alone. Syntax is terraform's to judge: the output of
 * `terraform fmt` becomes findings here too (the runner runs it).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "hcl.h"
#include "platci/fs.h"
#include "validate_int.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

typedef struct tf_file {
	char *path; /* repo-relative */
	hcl_file f;
	int ok;
} tf_file;

typedef struct tf_set {
	tf_file *files;
	size_t count, alloc;
} tf_set;

typedef struct tf_walk {
	tf_set *set;
	platci_findings *out;
	platci_buf data;
} tf_walk;

/*
 * The scanner reads facts, not syntax: where it cannot read a file, say
 * so as a warning and check nothing that needs the file's facts. Whether
 * the file is valid Terraform is for terraform (fmt, validate) to say.
 */
static int facts_unreadable(platci_findings *out, const char *file, const platci_diag_entry *e)
{
	if (e && e->line)
		return platci_validate__find(out, "tf.facts-unreadable", PLATCI_SEVERITY_MINOR,
			PLATCI_ENFORCE_WARN, file, e->line, e->column, NULL, "tf.facts-unreadable",
			"could not read facts from %s at %zu:%zu (%s): its backend, module sources and "
			"provider pins go unchecked",
			file, e->line, e->column, e->message);
	return platci_validate__find(out, "tf.facts-unreadable", PLATCI_SEVERITY_MINOR,
		PLATCI_ENFORCE_WARN, file, 0, 0, NULL, "tf.facts-unreadable",
		"could not read facts from %s (%s): its backend, module sources and provider pins go "
		"unchecked",
		file, e ? e->message : "cannot read the file");
}

/* Scans one .tf file; a file the scanner cannot read is a warning, never a stop. */
static int scan_tf(const char *rel, const char *full, const struct stat *st, void *payload)
{
	tf_walk *w = payload;
	tf_set *s = w->set;
	size_t n = strlen(rel);
	platci_diag *diag = NULL;
	tf_file *t;
	int error = 0, rc;

	if (!S_ISREG(st->st_mode) || n < 4 || strcmp(rel + n - 3, ".tf") != 0)
		return 0;
	if (platci__grow_array((void **)&s->files, &s->alloc, s->count + 1, sizeof(*t)) < 0)
		return PLATCI_ENOMEM;
	t = &s->files[s->count++];
	memset(t, 0, sizeof(*t));
	if (!(t->path = platci__strdup(rel)) || platci_diag_new(&diag) < 0)
		return PLATCI_ENOMEM;
	platci_buf_clear(&w->data);
	rc = platci_fs_read(&w->data, full, 16u * 1024 * 1024, diag);
	if (rc == 0)
		rc = platci__hcl_scan(&t->f, w->data.ptr, w->data.size, t->path, diag);
	if (rc == PLATCI_ENOMEM)
		error = rc;
	else if (rc < 0)
		error = facts_unreadable(w->out, t->path, platci_diag_at(diag, 0));
	else
		t->ok = 1;
	platci_diag_free(diag);
	return error;
}

static int collect(tf_set *s, const char *root, const char *rel, platci_findings *out)
{
	tf_walk w = { s, out, PLATCI_BUF_INIT };
	int error = platci__walk(root, rel, 32, 0, scan_tf, &w);

	platci_buf_dispose(&w.data);
	return error;
}

static int dir_of_is(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && path[n] == '/' && !strchr(path + n + 1, '/');
}

/* Only >= / > constraints leave the upper end open. */
static int version_unpinned(const char *v)
{
	if (!v || !*v)
		return 1;
	if (strstr(v, "~>") || strchr(v, '<') || strchr(v, ','))
		return 0;
	while (*v == ' ')
		v++;
	return *v == '>';
}

static int is_remote_source(const char *src)
{
	return strncmp(src, "./", 2) != 0 && strncmp(src, "../", 3) != 0;
}

static int check_file(const tf_file *t, platci_findings *out)
{
	const hcl_file *f = &t->f;
	int error = 0;

	for (size_t b = 0; b < f->nblocks && !error; b++) {
		const hcl_block *blk = &f->blocks[b];
		const hcl_attr *at = NULL;
		/* module sources */
		if (blk->parent == HCL_TOP && strcmp(blk->type, "module") == 0) {
			const char *src = platci__hcl_attr(f, b, "source", &at);
			const char *ver = platci__hcl_attr(f, b, "version", NULL);
			const char *mname = blk->nlabels ? blk->labels[0] : "?";
			if (!src || !*src || !is_remote_source(src))
				continue;
			if (strstr(src, "::") || strstr(src, "://") ||
				strncmp(src, "github.com/", 11) == 0 || strncmp(src, "git@", 4) == 0 ||
				strncmp(src, "bitbucket.org/", 14) == 0) {
				if (!strstr(src, "?ref=") && !strstr(src, "&ref="))
					error = platci_validate__find(out, "tf.unpinned-module",
						PLATCI_SEVERITY_MAJOR, PLATCI_ENFORCE_DENY, t->path,
						at->line, at->column, NULL, mname,
						"module \"%s\" uses remote source \"%s\" without a pinned ?ref=",
						mname, src);
			} else if (!ver || version_unpinned(ver)) {
				error = platci_validate__find(out, "tf.unpinned-module",
					PLATCI_SEVERITY_MAJOR, PLATCI_ENFORCE_DENY, t->path,
					at->line, at->column, NULL, mname,
					"module \"%s\" uses registry source \"%s\" without a pinned version",
					mname, src);
			}
		}
		/* required_providers entries: object form (pseudo-blocks) */
		if (blk->parent != HCL_TOP &&
			strcmp(f->blocks[blk->parent].type, "required_providers") == 0) {
			const char *ver = platci__hcl_attr(f, b, "version", NULL);
			if (!ver || (*ver && version_unpinned(ver)))
				error = platci_validate__find(out, "tf.unpinned-provider",
					PLATCI_SEVERITY_MAJOR, PLATCI_ENFORCE_DENY, t->path, blk->line,
					blk->column, NULL, blk->type, "provider \"%s\" has %s", blk->type,
					ver ? "a version constraint without an upper bound"
					    : "no version constraint");
		}
	}
	/* required_providers entries: string form (aws = "~> 5.0") */
	for (size_t i = 0; i < f->nattrs && !error; i++) {
		const hcl_attr *a = &f->attrs[i];
		if (a->block == HCL_TOP || strcmp(f->blocks[a->block].type, "required_providers") != 0)
			continue;
		if (a->value && version_unpinned(a->value))
			error = platci_validate__find(out, "tf.unpinned-provider", PLATCI_SEVERITY_MAJOR,
				PLATCI_ENFORCE_DENY, t->path, a->line, a->column, NULL, a->name,
				"provider \"%s\" has a version constraint without an upper bound",
				a->name);
	}
	return error;
}

/* The state keys seen so far, per environment, for tf.shared-state-key. */
typedef struct key_seen {
	const char **keys;
	const char **env;
} key_seen;

/* One backend block of environment @p e's root: its key must be its own. */
static int check_backend_key(const tf_file *t, size_t b, size_t e, const platci_env *env,
	key_seen *seen, platci_findings *out)
{
	const hcl_attr *at = NULL;
	const char *key = platci__hcl_attr(&t->f, b, "key", &at);
	int error = 0;

	if (!key || !*key)
		return 0;
	for (size_t o = 0; o < e && !error; o++)
		if (seen->keys[o] && strcmp(seen->keys[o], key) == 0)
			error = platci_validate__find(out, "tf.shared-state-key",
				PLATCI_SEVERITY_CRITICAL, PLATCI_ENFORCE_DENY, t->path, at->line,
				at->column, env->name, seen->env[o],
				"%s uses state key \"%s\", already used by %s: the two environments would "
				"overwrite each other's state",
				env->name, key, seen->env[o]);
	seen->keys[e] = key;
	seen->env[e] = env->name;
	return error;
}

static int is_backend(const hcl_file *f, const hcl_block *blk)
{
	return strcmp(blk->type, "backend") == 0 && blk->parent != HCL_TOP &&
	       strcmp(f->blocks[blk->parent].type, "terraform") == 0;
}

/* Where a missing backend belongs: the root's first terraform block, else main.tf, else its first file. */
typedef struct backend_spot {
	const char *file;
	size_t line, column;
	int block;
} backend_spot;

static void note_spot(backend_spot *spot, const tf_file *t)
{
	const char *base = strrchr(t->path, '/') ? strrchr(t->path, '/') + 1 : t->path;

	for (size_t b = 0; t->ok && !spot->block && b < t->f.nblocks; b++)
		if (t->f.blocks[b].parent == HCL_TOP && strcmp(t->f.blocks[b].type, "terraform") == 0) {
			spot->file = t->path;
			spot->line = t->f.blocks[b].line;
			spot->column = t->f.blocks[b].column;
			spot->block = 1;
		}
	if (!spot->block && (!spot->file || strcmp(base, "main.tf") == 0)) {
		spot->file = t->path;
		spot->line = 1;
		spot->column = 1;
	}
}

/* Environment @p e's Terraform root: a backend, with a state key of its own. */
static int check_env(const tf_set *s, size_t e, const platci_env *env, key_seen *seen, platci_findings *out)
{
	backend_spot spot = { NULL, 0, 0, 0 };
	int has_backend = 0, unread = 0, error = 0;

	for (size_t i = 0; i < s->count && !error; i++) {
		const tf_file *t = &s->files[i];
		if (!dir_of_is(t->path, env->infra))
			continue;
		note_spot(&spot, t);
		unread |= !t->ok;
		for (size_t b = 0; t->ok && b < t->f.nblocks && !error; b++) {
			if (!is_backend(&t->f, &t->f.blocks[b]))
				continue;
			has_backend = 1;
			error = check_backend_key(t, b, e, env, seen, out);
		}
	}
	/* an unread file may hold the backend: its tf.facts-unreadable warning says so */
	if (error || !spot.file || has_backend || unread)
		return error;
	return platci_validate__find(out, "tf.no-backend", PLATCI_SEVERITY_CRITICAL,
		PLATCI_ENFORCE_DENY, spot.file, spot.line, spot.column, env->name, "backend",
		"%s has no terraform { backend \"...\" { } } block: its state would stay on the runner",
		env->name);
}

int platci_validate__tf(const platci_config *cfg, platci_findings *out)
{
	tf_set s = { NULL, 0, 0 };
	size_t nenv = platci_config_env_count(cfg);
	key_seen seen = { NULL, NULL };
	int error = 0;

	if ((error = collect(&s, platci_config_root(cfg), platci_config_infra_root(cfg), out)) < 0)
		goto done;
	seen.keys = calloc(nenv + 1, sizeof(char *));
	seen.env = calloc(nenv + 1, sizeof(char *));
	PLATCI_CHECK_ALLOC(seen.keys);
	PLATCI_CHECK_ALLOC(seen.env);
	for (size_t i = 0; i < s.count && !error; i++)
		if (s.files[i].ok)
			error = check_file(&s.files[i], out);
	for (size_t e = 0; e < nenv && !error; e++) {
		const platci_env *env = platci_config_env_at(cfg, e);
		if (env->infra)
			error = check_env(&s, e, env, &seen, out);
	}
done:
	for (size_t i = 0; i < s.count; i++) {
		free(s.files[i].path);
		if (s.files[i].ok)
			platci__hcl_dispose(&s.files[i].f);
	}
	free(s.files);
	free(seen.keys);
	free(seen.env);
	return error;
}

/* ---- terraform fmt's output (the runner runs the tool) ------------------ */

/* One line of @p *text (without its line break) into @p line; 0 at the end. */
static int next_line(const char **text, platci_buf *line)
{
	const char *p = *text, *nl;

	if (!p || !*p)
		return 0;
	nl = strchr(p, '\n');
	platci_buf_clear(line);
	platci_buf_put(line, p, nl ? (size_t)(nl - p) : strlen(p));
	*text = nl ? nl + 1 : p + strlen(p);
	while (line->size && (line->ptr[line->size - 1] == '\r' || line->ptr[line->size - 1] == ' '))
		platci_buf_truncate(line, line->size - 1);
	return 1;
}

/* The text after terraform's box drawing ("│ ") and indentation. */
static const char *unboxed(const char *s)
{
	for (;;) {
		if (strncmp(s, "\xe2\x94\x82", 3) == 0 || strncmp(s, "\xe2\x95\xb7", 3) == 0 ||
			strncmp(s, "\xe2\x95\xb5", 3) == 0)
			s += 3;
		else if (*s == ' ' || *s == '\t')
			s++;
		else
			return s;
	}
}

/* `on FILE line N:` or `on FILE line N, in CONTEXT:` into @p file and *line_out. */
static int parse_on(platci_buf *file, size_t *line_out, const char *s)
{
	const char *at = NULL, *p = s + 3;
	char *end;
	unsigned long n;

	if (strncmp(s, "on ", 3) != 0)
		return 0;
	for (const char *q = strstr(p, " line "); q; q = strstr(q + 1, " line "))
		at = q;
	if (!at || at == p)
		return 0;
	n = strtoul(at + 6, &end, 10);
	if (end == at + 6 || (*end != ':' && *end != ','))
		return 0;
	platci_buf_clear(file);
	platci_buf_put(file, p, (size_t)(at - p));
	*line_out = (size_t)n;
	return !file->error;
}

typedef struct fmt_ctx {
	platci_findings *out;
	const platci_config *cfg;
	int (*want)(const char *file, void *payload);
	void *payload;
} fmt_ctx;

static int add_syntax(const fmt_ctx *c, const char *file, size_t line, const char *summary, size_t nth)
{
	const platci_env *env = platci_config_env_for_path(c->cfg, file);
	char key[300];

	if (c->want && !c->want(file, c->payload))
		return 0;
	/* the position moves with edits; the summary and its rank in the file do not */
	snprintf(key, sizeof(key), "tf.syntax|%s#%zu", summary, nth);
	return platci_validate__find(c->out, "tf.syntax", PLATCI_SEVERITY_MAJOR, PLATCI_ENFORCE_DENY,
		file, line, 0, env ? env->name : NULL, key, "terraform fmt: %s", summary);
}

static void unlocated(platci_diag *diag, const char *summary)
{
	platci_diag_entry e;

	memset(&e, 0, sizeof(e));
	e.level = PLATCI_DIAG_WARNING;
	e.code = PLATCI_ERROR;
	platci_diag_add(diag, &e, "terraform fmt: %s", summary);
}

/* How often @p file had an error called @p summary before (the fingerprint's rank); records this one. */
static size_t rank(platci_buf *seen, const char *file, const char *summary)
{
	size_t n = 0, start = seen->size;

	platci_buf_printf(seen, "%s\t%s\n", file, summary);
	for (size_t at = 0; at < start;) {
		const char *nl = strchr(seen->ptr + at, '\n');
		size_t len = (size_t)(nl - (seen->ptr + at)) + 1;
		if (len == seen->size - start && memcmp(seen->ptr + at, seen->ptr + start, len) == 0)
			n++;
		at += len;
	}
	return n;
}

/* Each `Error: SUMMARY` block with an `on FILE line N` becomes tf.syntax; the rest go to @p diag. */
static int fmt_errors(const fmt_ctx *c, const char *errors, platci_diag *diag)
{
	platci_buf line = PLATCI_BUF_INIT, summary = PLATCI_BUF_INIT, file = PLATCI_BUF_INIT;
	platci_buf seen = PLATCI_BUF_INIT;
	int open = 0, error = 0;

	while (!error && next_line(&errors, &line)) {
		const char *s = unboxed(line.ptr);
		size_t at = 0;

		if (strncmp(s, "Error: ", 7) == 0 || strncmp(s, "Warning: ", 9) == 0) {
			if (open)
				unlocated(diag, summary.ptr);
			open = strncmp(s, "Error: ", 7) == 0;
			platci_buf_clear(&summary);
			if (open)
				platci_buf_puts(&summary, s + 7);
		} else if (open && parse_on(&file, &at, s)) {
			error = add_syntax(c, file.ptr, at, summary.ptr,
				rank(&seen, file.ptr, summary.ptr));
			open = 0;
		}
		if (line.error || summary.error || seen.error)
			error = PLATCI_ENOMEM;
	}
	if (!error && open)
		unlocated(diag, summary.ptr);
	platci_buf_dispose(&line);
	platci_buf_dispose(&summary);
	platci_buf_dispose(&file);
	platci_buf_dispose(&seen);
	return error;
}

int platci_validate_terraform_fmt(platci_findings *out, const platci_config *cfg, const char *listed,
	const char *errors, int (*want)(const char *file, void *payload), void *payload, platci_diag *diag)
{
	fmt_ctx c = { out, cfg, want, payload };
	platci_buf line = PLATCI_BUF_INIT;
	int error = 0;

	while (!error && next_line(&listed, &line)) {
		const platci_env *env;
		platci_finding f;

		if (!line.size || (want && !want(line.ptr, payload)))
			continue;
		env = platci_config_env_for_path(cfg, line.ptr);
		memset(&f, 0, sizeof(f));
		f.rule_id = "tf.fmt";
		f.severity = PLATCI_SEVERITY_MINOR;
		f.enforcement = PLATCI_ENFORCE_WARN;
		f.message = "not in canonical format: run `terraform fmt`";
		f.file = line.ptr;
		f.env = env ? env->name : NULL;
		f.key = "tf.fmt";
		error = line.error ? line.error : platci_findings_add(out, &f);
	}
	platci_buf_dispose(&line);
	return error ? error : fmt_errors(&c, errors, diag);
}
