/*
 * Terraform layout checks from scanned facts (hcl.h): every environment
 * root has a backend and its own state key, providers and remote modules
 * are pinned. Not a Terraform evaluator: values built from expressions
 * are left alone.
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

/* Scans one .tf file; a file the scanner cannot read is a finding, never a stop. */
static int scan_tf(const char *rel, const char *full, const struct stat *st, void *payload)
{
	tf_walk *w = payload;
	tf_set *s = w->set;
	size_t n = strlen(rel);
	platci_diag *diag = NULL;
	tf_file *t;
	int error = 0;

	if (!S_ISREG(st->st_mode) || n < 4 || strcmp(rel + n - 3, ".tf") != 0)
		return 0;
	if (platci__grow_array((void **)&s->files, &s->alloc, s->count + 1, sizeof(*t)) < 0)
		return PLATCI_ENOMEM;
	t = &s->files[s->count++];
	memset(t, 0, sizeof(*t));
	if (!(t->path = platci__strdup(rel)) || platci_diag_new(&diag) < 0)
		return PLATCI_ENOMEM;
	platci_buf_clear(&w->data);
	if (platci_fs_read(&w->data, full, 16u * 1024 * 1024, diag) == 0 &&
	    platci__hcl_scan(&t->f, w->data.ptr, w->data.size, t->path, diag) == 0) {
		t->ok = 1;
	} else {
		const platci_diag_entry *e = platci_diag_get(diag, 0);
		error = platci_validate__find(w->out, "tf.syntax", PLATCI_SEVERITY_MAJOR,
			PLATCI_ENFORCE_DENY, t->path, e ? e->line : 0, e ? e->column : 0, NULL,
			"tf.syntax", "%s", e ? e->message : "cannot read the file");
	}
	platci_diag_free(diag);
	return error;
}

static int collect(tf_set *s, const char *root, const char *rel, platci_findings *out)
{
	tf_walk w = { s, out, PLATCI_BUF_INIT };
	int error = platci__walk(root, rel, 32, scan_tf, &w);

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
			if (strstr(src, "::") || strstr(src, "://") || strncmp(src, "github.com/", 11) == 0 ||
			    strncmp(src, "git@", 4) == 0 || strncmp(src, "bitbucket.org/", 14) == 0) {
				if (!strstr(src, "?ref=") && !strstr(src, "&ref="))
					error = platci_validate__find(out, "tf.unpinned-module", PLATCI_SEVERITY_MAJOR,
						PLATCI_ENFORCE_DENY, t->path, at->line, at->column, NULL, mname,
						"module \"%s\" uses remote source \"%s\" without a pinned ?ref=",
						mname, src);
			} else if (!ver || version_unpinned(ver)) {
				error = platci_validate__find(out, "tf.unpinned-module", PLATCI_SEVERITY_MAJOR,
					PLATCI_ENFORCE_DENY, t->path, at->line, at->column, NULL, mname,
					"module \"%s\" uses registry source \"%s\" without a pinned version",
					mname, src);
			}
		}
		/* required_providers entries: object form (pseudo-blocks) */
		if (blk->parent != HCL_TOP && strcmp(f->blocks[blk->parent].type, "required_providers") == 0) {
			const char *ver = platci__hcl_attr(f, b, "version", NULL);
			if (!ver || (*ver && version_unpinned(ver)))
				error = platci_validate__find(out, "tf.unpinned-provider", PLATCI_SEVERITY_MAJOR,
					PLATCI_ENFORCE_DENY, t->path, blk->line, blk->column, NULL, blk->type,
					"provider \"%s\" has %s", blk->type,
					ver ? "a version constraint without an upper bound" : "no version constraint");
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
				"provider \"%s\" has a version constraint without an upper bound", a->name);
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
			error = platci_validate__find(out, "tf.shared-state-key", PLATCI_SEVERITY_CRITICAL,
				PLATCI_ENFORCE_DENY, t->path, at->line, at->column, env->name, seen->env[o],
				"%s uses state key \"%s\", already used by %s: the two environments would "
				"overwrite each other's state", env->name, key, seen->env[o]);
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
static int check_env(const tf_set *s, size_t e, const platci_env *env, key_seen *seen,
	platci_findings *out)
{
	backend_spot spot = { NULL, 0, 0, 0 };
	int has_backend = 0, error = 0;

	for (size_t i = 0; i < s->count && !error; i++) {
		const tf_file *t = &s->files[i];
		if (!dir_of_is(t->path, env->infra))
			continue;
		note_spot(&spot, t);
		for (size_t b = 0; t->ok && b < t->f.nblocks && !error; b++) {
			if (!is_backend(&t->f, &t->f.blocks[b]))
				continue;
			has_backend = 1;
			error = check_backend_key(t, b, e, env, seen, out);
		}
	}
	if (error || !spot.file || has_backend)
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
