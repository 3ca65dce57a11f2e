/*
 * Git for promotion, through libgit2: the version set at a revision (for
 * rollbacks), one commit on a promote/ branch, and a push over HTTPS with
 * a token that only ever travels through the credentials callback.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "promote.h"
#include "versions.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/banned.h"

int platci_promote_git_options_init(platci_promote_git_options *opts, unsigned int version)
{
	platci_promote_git_options init = PLATCI_PROMOTE_GIT_OPTIONS_INIT;

	if (!opts || version != PLATCI_PROMOTE_GIT_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

/* Appends @p msg with the token and any URL user information masked. */
static void scrub(platci_buf *out, const char *msg, const char *token)
{
	size_t tl = token ? strlen(token) : 0;

	for (const char *s = msg; *s;) {
		if (tl >= 4 && strncmp(s, token, tl) == 0) {
			platci_buf_puts(out, "[MASKED]");
			s += tl;
		} else if (strncmp(s, "://", 3) == 0) {
			const char *end = s + 3, *at = NULL;
			while (*end && *end != '/' && *end != ' ' && *end != '\'' && *end != '"') {
				if (*end == '@')
					at = end;
				end++;
			}
			platci_buf_puts(out, "://");
			if (at) {
				platci_buf_puts(out, "[MASKED]");
				s = at;
			} else {
				s += 3;
			}
		} else {
			platci_buf_putc(out, *s++);
		}
	}
}

static int git_fail(platci_diag *diag, int code, const char *what, const char *token)
{
	const git_error *e = git_error_last();
	platci_diag_entry d = { PLATCI_DIAG_ERROR, code, NULL, 0, 0, 0, NULL, NULL };
	platci_buf msg = PLATCI_BUF_INIT;

	scrub(&msg, e && e->message ? e->message : "unknown libgit2 error", token);
	platci_diag_add(diag, &d, "%s: %s", what, msg.ptr);
	platci_buf_dispose(&msg);
	return code;
}

static int simple_fail(platci_diag *diag, int code, const char *fmt, ...) PLATCI_PRINTF(3, 4);

static int simple_fail(platci_diag *diag, int code, const char *fmt, ...)
{
	platci_diag_entry d = { PLATCI_DIAG_ERROR, code, NULL, 0, 0, 0, NULL, NULL };
	platci_buf msg = PLATCI_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	platci_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	platci_diag_add(diag, &d, "%s", msg.ptr);
	platci_buf_dispose(&msg);
	return code;
}

/* Opens the repository holding @p root; @p prefix gets root's path inside the work tree ("" or "dir/"). */
static int open_repo(git_repository **repo, platci_buf *prefix, const char *root, platci_diag *diag)
{
	char real_root[PATH_MAX], real_wd[PATH_MAX];
	const char *wd;
	size_t n;

	if (git_repository_open_ext(repo, root, 0, NULL) < 0)
		return git_fail(diag, PLATCI_ENOTFOUND, "no git repository here", NULL);
	wd = git_repository_workdir(*repo);
	platci_buf_clear(prefix);
	if (!wd)
		return simple_fail(diag, PLATCI_ENOTFOUND, "the repository has no work tree");
	if (!realpath(root, real_root) || !realpath(wd, real_wd))
		return simple_fail(diag, PLATCI_EIO, "cannot resolve the repository root");
	n = strlen(real_wd);
	if (strncmp(real_root, real_wd, n) == 0 && real_root[n] == '/')
		platci_buf_printf(prefix, "%s/", real_root + n + 1);
	return prefix->error;
}

/* ---- the version set at a revision ------------------------------------------------- */

typedef struct at_walk {
	git_repository *repo;
	platci_versions *set;
	const char *base; /* the env folder, root-relative */
	platci_diag *diag;
	int error;
} at_walk;

static int wanted(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".yml") == 0) || strcmp(name, "Kustomization") == 0;
}

static int at_walk_cb(const char *dir, const git_tree_entry *entry, void *payload)
{
	at_walk *w = payload;
	const char *name = git_tree_entry_name(entry);
	platci_buf rel = PLATCI_BUF_INIT, in_tree = PLATCI_BUF_INIT;
	git_blob *blob = NULL;

	if (name[0] == '.')
		return git_tree_entry_type(entry) == GIT_OBJECT_TREE ? 1 : 0;
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB ||
		git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK || !wanted(name))
		return 0;
	/* libgit2 names the folder with its trailing '/' ("" at the top) */
	platci_buf_puts(&in_tree, dir);
	platci_buf_puts(&in_tree, name);
	if ((w->error = in_tree.error) < 0 || (w->error = platci_path_join(&rel, w->base, in_tree.ptr)) < 0)
		goto done;
	if (git_blob_lookup(&blob, w->repo, git_tree_entry_id(entry)) < 0) {
		w->error = git_fail(w->diag, PLATCI_EIO, "cannot read a file at that revision", NULL);
		goto done;
	}
	w->error = platci_versions_add_data(w->set, rel.ptr, w->base,
		(const char *)git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), w->diag);
done:
	git_blob_free(blob);
	platci_buf_dispose(&rel);
	platci_buf_dispose(&in_tree);
	return w->error < 0 ? -1 : 0;
}

int platci_promote_versions_at(platci_versions **out, const platci_config *cfg, const char *env,
	const char *root, const char *rev, platci_diag *diag)
{
	platci_versions_options vo = PLATCI_VERSIONS_OPTIONS_INIT;
	git_repository *repo = NULL;
	git_object *obj = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	platci_versions *set = NULL;
	platci_buf prefix = PLATCI_BUF_INIT, path = PLATCI_BUF_INIT;
	const platci_env *e;
	int error;

	PLATCI_ASSERT_ARG(out && cfg && env && rev);
	*out = NULL;
	git_libgit2_init();
	if (!(e = platci_config_env(cfg, env))) {
		error = simple_fail(diag, PLATCI_ENOTFOUND, "no environment named \"%s\"", env);
		goto done;
	}
	if (!root)
		root = platci_config_root(cfg);
	if ((error = open_repo(&repo, &prefix, root, diag)) < 0)
		goto done;
	if (git_revparse_single(&obj, repo, rev) < 0 ||
		git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		error = simple_fail(diag, PLATCI_ENOTFOUND, "revision \"%s\" names no commit here", rev);
		goto done;
	}
	if (git_commit_tree(&tree, commit) < 0) {
		error = git_fail(diag, PLATCI_EIO, "cannot read the commit's tree", NULL);
		goto done;
	}
	vo.substitute_patterns = platci_config_substitute_patterns(cfg);
	if ((error = platci_versions_new(&set, &vo)) < 0)
		goto done;
	for (int i = 0; i < 2; i++) {
		const char *dir = i == 0 ? e->overlay : e->cluster;
		git_tree_entry *te = NULL;
		git_tree *sub = NULL;
		at_walk w = { repo, set, dir, diag, 0 };

		if (!dir || (i == 1 && e->overlay && platci_path_is_under(e->cluster, e->overlay)) ||
			(i == 0 && e->cluster && platci_path_is_under(e->overlay, e->cluster) &&
				strcmp(e->overlay, e->cluster) != 0))
			continue;
		platci_buf_clear(&path);
		platci_buf_printf(&path, "%s%s", prefix.ptr, dir);
		if ((error = path.error) < 0)
			goto done;
		/* A folder that did not exist then held no pins. */
		if (git_tree_entry_bypath(&te, tree, path.ptr) < 0)
			continue;
		if (git_tree_entry_type(te) == GIT_OBJECT_TREE &&
			git_tree_lookup(&sub, repo, git_tree_entry_id(te)) == 0) {
			if (git_tree_walk(sub, GIT_TREEWALK_PRE, at_walk_cb, &w) < 0 && !w.error)
				w.error = git_fail(diag, PLATCI_EIO, "cannot walk the tree", NULL);
		}
		git_tree_free(sub);
		git_tree_entry_free(te);
		if ((error = w.error) < 0)
			goto done;
	}
	*out = set;
	set = NULL;
	error = 0;
done:
	platci_versions_free(set);
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	git_repository_free(repo);
	platci_buf_dispose(&prefix);
	platci_buf_dispose(&path);
	git_libgit2_shutdown();
	return error;
}

/* ---- commit ---------------------------------------------------------------------- */

static int commit_message(platci_buf *out, const platci_promotion *p)
{
	platci_promotion_render_title(out, p);
	platci_buf_puts(out, "\n\n");
	for (size_t i = 0; i < p->nchanges; i++) {
		const platci_promote_change *c = &p->changes[i];
		if (c->action == PLATCI_CHANGE_DROP)
			platci_buf_printf(out, "- %s: %s removed (%s:%zu)\n", c->key, c->old_value,
				c->file, c->line);
		else
			platci_buf_printf(out, "- %s: %s -> %s (%s:%zu)\n", c->key,
				c->old_value ? c->old_value : "(none)", c->new_value, c->file, c->line);
	}
	if (p->force)
		platci_buf_printf(out, "\nForced past the promotion order: %s\n", p->reason);
	platci_buf_puts(out, "\nMade by platci-promote.\n");
	return out->error;
}

static int signature(git_signature **out, git_repository *repo,
	const platci_promote_git_options *opts, platci_diag *diag)
{
	git_signature *def = NULL;
	const char *name = opts->author_name, *email = opts->author_email;
	int error = 0;

	if ((!name || !email) && git_signature_default(&def, repo) < 0)
		return simple_fail(diag, PLATCI_EINVALID,
			"no commit author: set GITLAB_USER_NAME and "
			"GITLAB_USER_EMAIL, or git config user.name and user.email");
	if (!name)
		name = def->name;
	if (!email)
		email = def->email;
	if ((opts->when ? git_signature_new(out, name, email, (git_time_t)opts->when, 0)
			: git_signature_now(out, name, email)) < 0)
		error = git_fail(diag, PLATCI_EINVALID, "invalid commit author", NULL);
	git_signature_free(def);
	return error;
}

static int branch_name(platci_buf *out, git_repository *repo, const platci_promotion *p,
	const git_oid *head, platci_diag *diag)
{
	char head_hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(head_hex, 9, head);
	platci_buf_clear(out);
	if (p->rollback_to) {
		git_object *obj = NULL;
		char rev_hex[GIT_OID_HEXSZ + 1];
		if (git_revparse_single(&obj, repo, p->rollback_to) < 0)
			return simple_fail(diag, PLATCI_ENOTFOUND,
				"revision \"%s\" names no commit here", p->rollback_to);
		git_oid_tostr(rev_hex, 9, git_object_id(obj));
		git_object_free(obj);
		platci_buf_printf(out, "rollback/%s/%s-on-%s", p->to, rev_hex, head_hex);
	} else {
		platci_buf_printf(out, "promote/%s-to-%s/%s", p->from, p->to, head_hex);
	}
	return out->error;
}

int platci_promote_commit(platci_buf *branch_out, platci_buf *commit_out, int *created_out,
	const platci_promotion *p, const platci_promote_git_options *opts, platci_diag *diag)
{
	platci_promote_git_options defaults = PLATCI_PROMOTE_GIT_OPTIONS_INIT;
	git_repository *repo = NULL;
	git_reference *head = NULL, *branch = NULL, *existing = NULL;
	git_commit *head_commit = NULL, *ex_commit = NULL;
	git_tree *head_tree = NULL, *new_tree = NULL;
	git_signature *sig = NULL;
	git_index *index = NULL;
	git_tree_update *updates = NULL;
	platci_buf prefix = PLATCI_BUF_INIT, msg = PLATCI_BUF_INIT, refname = PLATCI_BUF_INIT;
	platci_buf *paths = NULL;
	git_oid tree_oid, commit_oid;
	char hex[GIT_OID_HEXSZ + 1];
	size_t n = 0;
	int error = 0;

	PLATCI_ASSERT_ARG(branch_out && p);
	if (!opts)
		opts = &defaults;
	if (opts->version != PLATCI_PROMOTE_GIT_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	if (created_out)
		*created_out = 0;
	if (p->nrefusals)
		return PLATCI_ECONFLICT;
	if (!p->nfiles)
		return simple_fail(diag, PLATCI_EINVALID, "nothing to commit");
	git_libgit2_init();
	if ((error = open_repo(&repo, &prefix, p->root, diag)) < 0)
		goto done;
	if (git_repository_head(&head, repo) < 0 ||
		git_reference_peel((git_object **)&head_commit, head, GIT_OBJECT_COMMIT) < 0) {
		error = git_fail(diag, PLATCI_ENOTFOUND, "the repository has no commit to start from", NULL);
		goto done;
	}
	if ((error = branch_name(branch_out, repo, p, git_commit_id(head_commit), diag)) < 0)
		goto done;
	if (git_commit_tree(&head_tree, head_commit) < 0) {
		error = git_fail(diag, PLATCI_EIO, "cannot read HEAD's tree", NULL);
		goto done;
	}
	PLATCI_CHECK_ALLOC(updates = calloc(p->nfiles, sizeof(*updates)));
	PLATCI_CHECK_ALLOC(paths = calloc(p->nfiles, sizeof(*paths)));
	for (n = 0; n < p->nfiles; n++) {
		const promote_file *f = &p->files[n];
		git_tree_entry *te = NULL;
		unsigned int flags = 0;

		platci_buf_init(&paths[n], 0);
		platci_buf_printf(&paths[n], "%s%s", prefix.ptr, f->path);
		if ((error = paths[n].error) < 0) {
			n++;
			goto done;
		}
		if (git_status_file(&flags, repo, paths[n].ptr) < 0 || flags != GIT_STATUS_CURRENT) {
			error = simple_fail(diag, PLATCI_ECONFLICT,
				"%s has uncommitted changes or is not "
				"tracked; commit or stash them before promoting",
				f->path);
			n++;
			goto done;
		}
		updates[n].action = GIT_TREE_UPDATE_UPSERT;
		updates[n].path = paths[n].ptr;
		updates[n].filemode = GIT_FILEMODE_BLOB;
		if (git_tree_entry_bypath(&te, head_tree, paths[n].ptr) == 0) {
			updates[n].filemode = git_tree_entry_filemode(te);
			git_tree_entry_free(te);
		}
		if (git_blob_create_from_buffer(&updates[n].id, repo, f->new_data, f->new_len) < 0) {
			error = git_fail(diag, PLATCI_EIO, "cannot store a file in git", NULL);
			n++;
			goto done;
		}
	}
	if (git_tree_create_updated(&tree_oid, repo, head_tree, p->nfiles, updates) < 0 ||
		git_tree_lookup(&new_tree, repo, &tree_oid) < 0) {
		error = git_fail(diag, PLATCI_EIO, "cannot build the new tree", NULL);
		goto done;
	}
	/* Same branch with the same contents: the promotion is already committed. */
	if (git_branch_lookup(&existing, repo, branch_out->ptr, GIT_BRANCH_LOCAL) == 0) {
		if (git_reference_peel((git_object **)&ex_commit, existing, GIT_OBJECT_COMMIT) == 0 &&
			git_oid_equal(git_commit_tree_id(ex_commit), &tree_oid)) {
			if (commit_out) {
				git_oid_tostr(hex, sizeof(hex), git_commit_id(ex_commit));
				platci_buf_puts(commit_out, hex);
			}
			goto done;
		}
		error = simple_fail(diag, PLATCI_EEXISTS,
			"branch %s exists with other contents; "
			"delete it or promote from a new commit",
			branch_out->ptr);
		goto done;
	}
	if ((error = signature(&sig, repo, opts, diag)) < 0 || (error = commit_message(&msg, p)) < 0)
		goto done;
	if (git_commit_create(&commit_oid, repo, NULL, sig, sig, "UTF-8", msg.ptr, new_tree, 1,
		    (const git_commit **)&head_commit) < 0 ||
		git_commit_lookup(&ex_commit, repo, &commit_oid) < 0 ||
		git_branch_create(&branch, repo, branch_out->ptr, ex_commit, 0) < 0) {
		error = git_fail(diag, PLATCI_EIO, "cannot create the commit and its branch", NULL);
		goto done;
	}
	if ((error = platci_promotion_apply(p, diag)) < 0) {
		git_branch_delete(branch);
		goto done;
	}
	platci_buf_printf(&refname, "refs/heads/%s", branch_out->ptr);
	if (refname.error || git_repository_set_head(repo, refname.ptr) < 0 ||
		git_repository_index(&index, repo) < 0) {
		error = git_fail(diag, PLATCI_EIO, "cannot switch to the new branch", NULL);
		goto done;
	}
	for (size_t i = 0; i < p->nfiles; i++)
		if (git_index_add_bypath(index, paths[i].ptr) < 0) {
			error = git_fail(diag, PLATCI_EIO, "cannot stage the files", NULL);
			goto done;
		}
	if (git_index_write(index) < 0) {
		error = git_fail(diag, PLATCI_EIO, "cannot write the index", NULL);
		goto done;
	}
	if (commit_out) {
		git_oid_tostr(hex, sizeof(hex), &commit_oid);
		platci_buf_puts(commit_out, hex);
	}
	if (created_out)
		*created_out = 1;
done:
	for (size_t i = 0; paths && i < n; i++)
		platci_buf_dispose(&paths[i]);
	free(paths);
	free(updates);
	git_index_free(index);
	git_signature_free(sig);
	git_tree_free(new_tree);
	git_tree_free(head_tree);
	git_commit_free(ex_commit);
	git_commit_free(head_commit);
	git_reference_free(existing);
	git_reference_free(branch);
	git_reference_free(head);
	git_repository_free(repo);
	platci_buf_dispose(&prefix);
	platci_buf_dispose(&msg);
	platci_buf_dispose(&refname);
	git_libgit2_shutdown();
	return error;
}

/* ---- push ------------------------------------------------------------------------------ */

typedef struct push_ctx {
	const char *username;
	const char *token;
	int attempts;
	platci_buf rejected;
} push_ctx;

static int credentials_cb(git_credential **out, const char *url, const char *user_from_url,
	unsigned int allowed, void *payload)
{
	push_ctx *ctx = payload;

	(void)url;
	(void)user_from_url;
	if (!ctx->token || !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT))
		return GIT_PASSTHROUGH;
	/* A refused token is refused again: stop instead of looping. */
	if (ctx->attempts++ > 0)
		return GIT_EAUTH;
	return git_credential_userpass_plaintext_new(out, ctx->username, ctx->token);
}

static int push_update_cb(const char *refname, const char *status, void *payload)
{
	push_ctx *ctx = payload;

	if (status)
		platci_buf_printf(&ctx->rejected, "%s: %s", refname, status);
	return 0;
}

int platci_promote_push(const char *repo_path, const char *branch,
	const platci_promote_git_options *opts, platci_diag *diag)
{
	platci_promote_git_options defaults = PLATCI_PROMOTE_GIT_OPTIONS_INIT;
	git_repository *repo = NULL;
	git_remote *remote = NULL;
	git_reference *ref = NULL;
	git_push_options po;
	push_ctx ctx;
	platci_buf spec = PLATCI_BUF_INIT, prefix = PLATCI_BUF_INIT;
	char *specs[1];
	git_strarray refspecs = { specs, 1 };
	int error = 0, rc;

	PLATCI_ASSERT_ARG(repo_path && branch);
	if (!opts)
		opts = &defaults;
	if (opts->version != PLATCI_PROMOTE_GIT_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	memset(&ctx, 0, sizeof(ctx));
	platci_buf_init(&ctx.rejected, 4096);
	ctx.username = opts->username ? opts->username : "oauth2";
	ctx.token = opts->token;
	git_libgit2_init();
	if ((error = open_repo(&repo, &prefix, repo_path, diag)) < 0)
		goto done;
	if (git_branch_lookup(&ref, repo, branch, GIT_BRANCH_LOCAL) < 0) {
		error = simple_fail(diag, PLATCI_ENOTFOUND, "no local branch %s to push", branch);
		goto done;
	}
	if ((opts->url ? git_remote_create_anonymous(&remote, repo, opts->url)
		       : git_remote_lookup(&remote, repo, opts->remote ? opts->remote : "origin")) < 0) {
		error = git_fail(diag, PLATCI_ENOTFOUND, "no remote to push to", opts->token);
		goto done;
	}
	platci_buf_printf(&spec, "refs/heads/%s:refs/heads/%s", branch, branch);
	if ((error = spec.error) < 0)
		goto done;
	specs[0] = spec.ptr;
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	po.callbacks.credentials = credentials_cb;
	po.callbacks.push_update_reference = push_update_cb;
	po.callbacks.payload = &ctx;
	if ((rc = git_remote_push(remote, &refspecs, &po)) < 0) {
		error = git_fail(diag, rc == GIT_EAUTH || ctx.attempts > 1 ? PLATCI_EAUTH : PLATCI_ENETWORK,
			"push failed", opts->token);
		goto done;
	}
	if (ctx.rejected.size) {
		platci_buf clean = PLATCI_BUF_INIT;
		scrub(&clean, ctx.rejected.ptr, opts->token);
		error = simple_fail(diag, PLATCI_ENETWORK, "the remote refused %s", clean.ptr);
		platci_buf_dispose(&clean);
	}
done:
	git_remote_free(remote);
	git_reference_free(ref);
	git_repository_free(repo);
	platci_buf_dispose(&spec);
	platci_buf_dispose(&prefix);
	platci_buf_dispose(&ctx.rejected);
	git_libgit2_shutdown();
	return error;
}
