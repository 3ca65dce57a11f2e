/*
 * Plan bundles: a gzip tar with a manifest of SHA-256 digests. Reading
 * trusts nothing in the archive: names are compared against a fixed list,
 * data is hashed while it streams, and extraction writes only fixed names
 * through temporary files once every check has passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platci/path.h"
#include "platci/bundle.h"
#include "platci/fs.h"
#include "platci/json.h"
#include "platci/clock.h"
#include "tfplan_int.h"
#include "util/common.h"
#include "util/lazy_archive.h"
#include "util/banned.h"

#define MAX_MANIFEST (1024 * 1024)
#define BLOCK (256 * 1024)
#define FUTURE_SLACK 300 /* seconds a bundle may appear to come from the future (clock skew) */

enum { M_MANIFEST = 0, M_PLANFILE = 1, M_PLANJSON = 2, M_COUNT = 3 };
static const char *const member_names[M_COUNT] = { PLATCI_BUNDLE_MANIFEST, PLATCI_BUNDLE_PLANFILE,
	PLATCI_BUNDLE_PLANJSON };

struct platci_bundle {
	json_t *manifest;
	platci_bundle_manifest m;
};

/* ---- create ------------------------------------------------------------------- */

static int add_member(struct archive *a, const char *name, const char *src, const void *data,
	size_t len, time_t mtime, platci_diag *diag, const char *out_path)
{
	struct archive_entry *e = archive_entry_new();
	FILE *f = NULL;
	char *block = NULL;
	struct stat st;
	int error = 0;

	PLATCI_CHECK_ALLOC(e);
	if (src) {
		if (!(f = fopen(src, "rb")) || fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
			error = platci_diag_error(diag,
				errno == ENOENT ? PLATCI_ENOTFOUND : PLATCI_EIO, src, 0, 0, 0,
				"cannot read: %s", f ? "not a regular file" : strerror(errno));
			goto done;
		}
		len = (size_t)st.st_size;
	}
	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, mtime, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK) {
		error = platci_diag_error(diag, PLATCI_EIO, out_path, 0, 0, 0, "cannot write: %s",
			archive_error_string(a));
		goto done;
	}
	if (!src) {
		if (archive_write_data(a, data, len) < 0) {
			error = platci_diag_error(diag, PLATCI_EIO, out_path, 0, 0, 0,
				"cannot write: %s", archive_error_string(a));
			goto done;
		}
		goto done;
	}
	block = malloc(BLOCK);
	PLATCI_CHECK_ALLOC(block);
	for (;;) {
		size_t n = fread(block, 1, BLOCK, f);
		if (n && archive_write_data(a, block, n) < 0) {
			error = platci_diag_error(diag, PLATCI_EIO, out_path, 0, 0, 0,
				"cannot write: %s", archive_error_string(a));
			goto done;
		}
		if (n < BLOCK) {
			if (ferror(f))
				error = platci_diag_error(diag, PLATCI_EIO, src, 0, 0, 0, "read failed");
			break;
		}
	}
done:
	free(block);
	if (f)
		fclose(f);
	archive_entry_free(e);
	return error;
}

static int tf_version_of(char **out, const char *plan_json, platci_diag *diag)
{
	platci_tfplan *plan = NULL;
	int error;

	*out = NULL;
	if ((error = platci_tfplan_read_file(&plan, plan_json, NULL, diag)) < 0)
		return error;
	if (platci_tfplan_terraform_version(plan) &&
		!(*out = platci__strdup(platci_tfplan_terraform_version(plan))))
		error = PLATCI_ENOMEM;
	platci_tfplan_free(plan);
	return error;
}

int platci_bundle_create(const char *out_path, const char *planfile, const char *plan_json,
	const platci_bundle_create_options *opts, platci_diag *diag)
{
	struct archive *a = NULL;
	char hex_plan[PLATCI_SHA256_HEX_SIZE], hex_json[PLATCI_SHA256_HEX_SIZE], created[32];
	struct stat st_plan, st_json;
	platci_buf tmp = PLATCI_BUF_INIT;
	char *manifest_text = NULL, *tfv = NULL;
	json_t *manifest = NULL;
	int fd = -1, error = 0;

	PLATCI_ASSERT_ARG(out_path && planfile && plan_json && opts);
	if (opts->version != PLATCI_BUNDLE_CREATE_OPTIONS_VERSION || !opts->env || !*opts->env ||
		!opts->commit_sha || !*opts->commit_sha)
		return platci_diag_error(diag, PLATCI_EINVALID, out_path, 0, 0, 0,
			"a bundle needs the environment and the commit SHA");
	/* the plan JSON must be a readable plan: never bundle garbage */
	if ((error = (opts->terraform_version ? 0 : tf_version_of(&tfv, plan_json, diag))) < 0)
		goto done;
	if ((error = platci_sha256_file_hex(hex_plan, planfile, diag)) < 0 ||
		(error = platci_sha256_file_hex(hex_json, plan_json, diag)) < 0)
		goto done;
	if (stat(planfile, &st_plan) < 0 || stat(plan_json, &st_json) < 0) {
		error = platci_diag_error(diag, PLATCI_EIO, planfile, 0, 0, 0, "cannot stat: %s",
			strerror(errno));
		goto done;
	}
	platci_time_format_utc(created, sizeof(created), opts->now);
	manifest = json_pack("{s:i, s:s, s:s, s:s?, s:s?, s:s, s:s?, s:{s:{s:s, s:I}, s:{s:s, s:I}}}",
		"version", 1, "env", opts->env, "commit_sha", opts->commit_sha, "base_sha",
		opts->base_sha, "pipeline_id", opts->pipeline_id, "created_at", created,
		"terraform_version", opts->terraform_version ? opts->terraform_version : tfv, "members",
		PLATCI_BUNDLE_PLANFILE, "sha256", hex_plan, "size", (json_int_t)st_plan.st_size,
		PLATCI_BUNDLE_PLANJSON, "sha256", hex_json, "size", (json_int_t)st_json.st_size);
	PLATCI_CHECK_ALLOC(manifest);
	manifest_text = json_dumps(manifest, JSON_INDENT(2) | JSON_SORT_KEYS);
	PLATCI_CHECK_ALLOC(manifest_text);
	if (platci_buf_printf(&tmp, "%s.tmp.XXXXXX", out_path) < 0) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	if ((fd = mkstemp(tmp.ptr)) < 0) {
		error = platci_diag_error(diag, PLATCI_EIO, out_path, 0, 0, 0, "cannot create: %s",
			strerror(errno));
		goto done;
	}
	a = archive_write_new();
	PLATCI_CHECK_ALLOC(a);
	if (archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
		archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
		archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		error = platci_diag_error(diag, PLATCI_EIO, out_path, 0, 0, 0, "cannot write: %s",
			archive_error_string(a));
		goto done;
	}
	if ((error = add_member(a, PLATCI_BUNDLE_MANIFEST, NULL, manifest_text,
		     strlen(manifest_text), opts->now, diag, out_path)) < 0 ||
		(error = add_member(a, PLATCI_BUNDLE_PLANFILE, planfile, NULL, 0, opts->now, diag,
			 out_path)) < 0 ||
		(error = add_member(a, PLATCI_BUNDLE_PLANJSON, plan_json, NULL, 0, opts->now, diag,
			 out_path)) < 0)
		goto done;
	if (archive_write_close(a) != ARCHIVE_OK || fsync(fd) < 0) {
		error = platci_diag_error(diag, PLATCI_EIO, out_path, 0, 0, 0, "cannot finish: %s",
			archive_error_string(a) ? archive_error_string(a) : strerror(errno));
		goto done;
	}
	if (close(fd) < 0 || (fd = -1, rename(tmp.ptr, out_path) < 0)) {
		fd = -1;
		error = platci_diag_error(diag, PLATCI_EIO, out_path, 0, 0, 0,
			"cannot rename into place: %s", strerror(errno));
		goto done;
	}
	fd = -1;
done:
	if (a)
		archive_write_free(a);
	if (fd >= 0)
		close(fd);
	if (error < 0 && tmp.size)
		unlink(tmp.ptr);
	platci_buf_dispose(&tmp);
	free(manifest_text);
	free(tfv);
	json_decref(manifest);
	return error;
}

/* ---- verify ---------------------------------------------------------------------- */

static int member_index(const char *name)
{
	for (int i = 0; i < M_COUNT; i++)
		if (strcmp(name, member_names[i]) == 0)
			return i;
	return -1;
}

typedef struct extracting {
	const char *dir;
	int fd;
	char *tmp_path;
} extracting;

static int open_archive(struct archive **out, const char *path, platci_diag *diag)
{
	struct archive *a = archive_read_new();
	struct stat st;

	*out = NULL;
	if (!a)
		return PLATCI_ENOMEM;
	if (stat(path, &st) < 0) {
		archive_read_free(a);
		return platci_diag_error(diag, errno == ENOENT ? PLATCI_ENOTFOUND : PLATCI_EIO,
			path, 0, 0, 0, "cannot open the bundle: %s", strerror(errno));
	}
	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, BLOCK) != ARCHIVE_OK) {
		int code = S_ISREG(st.st_mode) ? PLATCI_ESYNTAX : PLATCI_EIO;
		platci_diag_error(diag, code, path, 0, 0, 0, "not a plan bundle (gzip tar): %s",
			archive_error_string(a));
		archive_read_free(a);
		return code;
	}
	*out = a;
	return 0;
}

static int check_name(const char *name, unsigned int type, const char *path, platci_diag *diag)
{
	if (!name || !*name)
		return platci_diag_error(diag, PLATCI_EUNSAFE, path, 0, 0, 0, "a member has no name");
	if (name[0] == '/' || strstr(name, "..") || strchr(name, '/') || strchr(name, '\\'))
		return platci_diag_error(diag, PLATCI_EUNSAFE, path, 0, 0, 0,
			"member \"%.200s\" would leave the folder "
			"(absolute path, \"..\" or a subfolder): refused",
			name);
	if (type != AE_IFREG)
		return platci_diag_error(diag, PLATCI_EUNSAFE, path, 0, 0, 0,
			"member \"%.200s\" is not a regular file "
			"(a link, folder or device): refused",
			name);
	if (member_index(name) < 0)
		return platci_diag_error(diag, PLATCI_EDATA, path, 0, 0, 0,
			"unexpected member \"%.200s\" (a bundle holds "
			"only manifest.json, tfplan and plan.json)",
			name);
	return 0;
}

static int json_member_hex(const json_t *manifest, const char *name,
	char hex[PLATCI_SHA256_HEX_SIZE], long long *size)
{
	const json_t *m = json_object_get(json_object_get(manifest, "members"), name);
	const char *s = json_string_value(json_object_get(m, "sha256"));

	if (!s || strlen(s) != 64)
		return -1;
	memcpy(hex, s, 65);
	*size = json_is_integer(json_object_get(m, "size"))
			? (long long)json_integer_value(json_object_get(m, "size"))
			: -1;
	return 0;
}

static int check_manifest(platci_bundle *b, const char *path, const platci_bundle_verify_options *o,
	char got[M_COUNT][PLATCI_SHA256_HEX_SIZE], const long long sizes[M_COUNT], platci_diag *diag)
{
	const json_t *m = b->manifest, *members;
	const char *created;
	long long want_size;
	const char *key;
	json_t *v;

	if (!json_is_object(m))
		return platci_diag_error(diag, PLATCI_EDATA, path, 0, 0, 0,
			"manifest.json is not a JSON object");
	if (json_integer_value(json_object_get(m, "version")) != 1)
		return platci_diag_error(diag, PLATCI_EVERSION, path, 0, 0, 0, "manifest version is not 1");
	b->m.env = json_string_value(json_object_get(m, "env"));
	b->m.commit_sha = json_string_value(json_object_get(m, "commit_sha"));
	b->m.base_sha = json_string_value(json_object_get(m, "base_sha"));
	b->m.pipeline_id = json_string_value(json_object_get(m, "pipeline_id"));
	b->m.terraform_version = json_string_value(json_object_get(m, "terraform_version"));
	created = json_string_value(json_object_get(m, "created_at"));
	if (!b->m.env || !b->m.commit_sha || !created ||
		platci_time_parse_rfc3339(&b->m.created, created) < 0)
		return platci_diag_error(diag, PLATCI_EDATA, path, 0, 0, 0,
			"manifest.json lacks env, commit_sha or a "
			"valid created_at");
	members = json_object_get(m, "members");
	json_object_foreach ((json_t *)members, key, v)
		if (member_index(key) <= 0)
			return platci_diag_error(diag, PLATCI_EDATA, path, 0, 0, 0,
				"manifest.json lists an unexpected "
				"member \"%.100s\"",
				key);
	for (int i = M_PLANFILE; i < M_COUNT; i++) {
		char *hex = i == M_PLANFILE ? b->m.planfile_sha256 : b->m.planjson_sha256;
		if (json_member_hex(m, member_names[i], hex, &want_size) < 0)
			return platci_diag_error(diag, PLATCI_EDATA, path, 0, 0, 0,
				"manifest.json has no SHA-256 for %s", member_names[i]);
		if (!got[i][0])
			return platci_diag_error(diag, PLATCI_EDATA, path, 0, 0, 0,
				"member %s is missing", member_names[i]);
		if (strcmp(hex, got[i]) != 0 || (want_size >= 0 && want_size != sizes[i]))
			return platci_diag_error(diag, PLATCI_EDATA, path, 0, 0, 0,
				"member %s was changed: its SHA-256 "
				"is %.12s..., the manifest says %.12s...",
				member_names[i], got[i], hex);
	}
	if (strcmp(b->m.env, o->env) != 0)
		return platci_diag_error(diag, PLATCI_ECONFLICT, path, 0, 0, 0,
			"the bundle is for %.100s, not %.100s", b->m.env, o->env);
	if (o->commit_sha && strcmp(b->m.commit_sha, o->commit_sha) != 0)
		return platci_diag_error(diag, PLATCI_ECONFLICT, path, 0, 0, 0,
			"the bundle was planned for commit "
			"%.40s, this pipeline runs %.40s",
			b->m.commit_sha, o->commit_sha);
	if (b->m.created > o->now + FUTURE_SLACK)
		return platci_diag_error(diag, PLATCI_ECONFLICT, path, 0, 0, 0,
			"the bundle claims to be made at %s, "
			"in the future",
			created);
	if (o->max_age > 0 && (long long)(o->now - b->m.created) > o->max_age)
		return platci_diag_error(diag, PLATCI_ECONFLICT, path, 0, 0, 0,
			"the bundle was made at %s, %lld s "
			"ago, more than the limit of %lld s: plan again",
			created, (long long)(o->now - b->m.created), o->max_age);
	return 0;
}

static int extract_open(extracting *x, int idx, platci_diag *diag)
{
	platci_buf p = PLATCI_BUF_INIT;

	if (platci_buf_printf(&p, "%s/.%s.XXXXXX", x->dir, member_names[idx]) < 0)
		return PLATCI_ENOMEM;
	x->tmp_path = platci_buf_detach(&p);
	if (!x->tmp_path)
		return PLATCI_ENOMEM;
	/* mkstemp creates a new file (O_EXCL): a planted link is never followed */
	if ((x->fd = mkstemp(x->tmp_path)) < 0)
		return platci_diag_error(diag, PLATCI_EIO, x->dir, 0, 0, 0, "cannot extract: %s",
			strerror(errno));
	return 0;
}

/* The last '/' of @p s that separates a component (not a trailing or leading one), or NULL. */
static char *parent_cut(char *s)
{
	size_t n = strlen(s);

	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
	while (n > 0 && s[n - 1] != '/')
		n--;
	return n > 1 ? &s[n - 1] : NULL;
}

/*
 * mkdir -p @p dir, remembering in *top_out the outermost folder that did
 * not exist before (NULL when @p dir did), so that a refusal can take
 * back what it made.
 */
static int make_extract_dir(char **top_out, const char *dir, platci_diag *diag)
{
	char *top, *slash;

	*top_out = NULL;
	if (platci_fs_is_dir(dir))
		return 0;
	if (!(top = platci__strdup(dir)))
		return PLATCI_ENOMEM;
	while ((slash = parent_cut(top)) != NULL) {
		*slash = '\0';
		if (platci_fs_exists(top)) {
			*slash = '/';
			break;
		}
	}
	*top_out = top;
	return platci_fs_mkdirs(dir, diag);
}

/* Removes the (empty) folders make_extract_dir() created, from @p dir up to @p top. */
static void remove_made_dirs(const char *dir, const char *top)
{
	char *p = platci__strdup(dir), *slash;

	while (p) {
		if (rmdir(p) < 0 || strcmp(p, top) == 0 || !(slash = parent_cut(p)))
			break;
		*slash = '\0';
	}
	free(p);
}

int platci_bundle_verify(platci_bundle **out, const char *path,
	const platci_bundle_verify_options *o, platci_diag *diag)
{
	struct archive *a = NULL;
	struct archive_entry *e;
	platci_bundle *b = NULL;
	platci_sha256 *h = NULL;
	platci_buf manifest = PLATCI_BUF_INIT;
	char got[M_COUNT][PLATCI_SHA256_HEX_SIZE];
	long long sizes[M_COUNT] = { 0, 0, 0 };
	extracting x[M_COUNT];
	char *block = NULL, *made = NULL;
	int error = 0, rc;

	PLATCI_ASSERT_ARG(path && o && o->env);
	if (out)
		*out = NULL;
	if (o->version != PLATCI_BUNDLE_VERIFY_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	memset(got, 0, sizeof(got));
	memset(x, 0, sizeof(x));
	for (int i = 0; i < M_COUNT; i++)
		x[i].fd = -1;
	platci_buf_init(&manifest, MAX_MANIFEST);
	block = malloc(BLOCK);
	PLATCI_CHECK_ALLOC(block);
	if (o->extract_dir && (error = make_extract_dir(&made, o->extract_dir, diag)) < 0)
		goto done;
	if ((error = open_archive(&a, path, diag)) < 0)
		goto done;
	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		int idx;

		if ((error = check_name(name, archive_entry_filetype(e), path, diag)) < 0)
			goto done;
		idx = member_index(name);
		if (got[idx][0]) {
			error = platci_diag_error(diag, PLATCI_EDATA, path, 0, 0, 0,
				"member %s appears twice", name);
			goto done;
		}
		if ((error = platci_sha256_new(&h)) < 0)
			goto done;
		if (o->extract_dir) {
			x[idx].dir = o->extract_dir;
			if ((error = extract_open(&x[idx], idx, diag)) < 0)
				goto done;
		}
		for (;;) {
			la_ssize_t n = archive_read_data(a, block, BLOCK);
			if (n < 0) {
				error = platci_diag_error(diag, PLATCI_ESYNTAX, path, 0, 0, 0,
					"member %s is corrupt or "
					"truncated: %s",
					name, archive_error_string(a));
				goto done;
			}
			if (n == 0)
				break;
			sizes[idx] += n;
			platci_sha256_update(h, block, (size_t)n);
			if (idx == M_MANIFEST && platci_buf_put(&manifest, block, (size_t)n) < 0) {
				error = platci_diag_error(diag, PLATCI_ELIMIT, path, 0, 0, 0,
					"manifest.json is larger than "
					"%d bytes",
					MAX_MANIFEST);
				goto done;
			}
			if (x[idx].fd >= 0 && write(x[idx].fd, block, (size_t)n) != n) {
				error = platci_diag_error(diag, PLATCI_EIO, o->extract_dir, 0, 0, 0,
					"cannot extract: %s", strerror(errno));
				goto done;
			}
		}
		platci_sha256_final_hex(got[idx], h);
		platci_sha256_free(h);
		h = NULL;
	}
	if (rc != ARCHIVE_EOF) {
		error = platci_diag_error(diag, PLATCI_ESYNTAX, path, 0, 0, 0,
			"not a readable plan bundle: %s", archive_error_string(a));
		goto done;
	}
	if (!got[M_MANIFEST][0]) {
		error = platci_diag_error(diag, PLATCI_EDATA, path, 0, 0, 0, "manifest.json is missing");
		goto done;
	}
	b = calloc(1, sizeof(*b));
	PLATCI_CHECK_ALLOC(b);
	if ((error = platci_json_parse(&b->manifest, "manifest.json", manifest.ptr, manifest.size, diag)) < 0 ||
		(error = check_manifest(b, path, o, got, sizes, diag)) < 0)
		goto done;
	for (int i = 0; o->extract_dir && i < M_COUNT; i++) {
		platci_buf dest = PLATCI_BUF_INIT;
		int bad;
		if (fsync(x[i].fd) < 0 || close(x[i].fd) < 0) {
			x[i].fd = -1;
			error = platci_diag_error(diag, PLATCI_EIO, o->extract_dir, 0, 0, 0,
				"cannot extract: %s", strerror(errno));
			goto done;
		}
		x[i].fd = -1;
		bad = platci_path_on_disk(&dest, o->extract_dir, member_names[i]) < 0 ||
		      chmod(x[i].tmp_path, 0644) < 0 || rename(x[i].tmp_path, dest.ptr) < 0;
		platci_buf_dispose(&dest);
		if (bad) {
			error = platci_diag_error(diag, PLATCI_EIO, o->extract_dir, 0, 0, 0,
				"cannot extract: %s", strerror(errno));
			goto done;
		}
		free(x[i].tmp_path);
		x[i].tmp_path = NULL;
	}
	if (out) {
		*out = b;
		b = NULL;
	}
done:
	for (int i = 0; i < M_COUNT; i++) {
		if (x[i].fd >= 0)
			close(x[i].fd);
		if (x[i].tmp_path)
			unlink(x[i].tmp_path);
		free(x[i].tmp_path);
	}
	/* A refused bundle leaves nothing behind: not even the folder it was to go to. */
	if (error < 0 && made)
		remove_made_dirs(o->extract_dir, made);
	free(made);
	if (a)
		archive_read_free(a);
	platci_sha256_free(h);
	platci_buf_dispose(&manifest);
	platci_bundle_free(b);
	free(block);
	return error;
}

const platci_bundle_manifest *platci_bundle_get_manifest(const platci_bundle *b)
{
	return b ? &b->m : NULL;
}

void platci_bundle_free(platci_bundle *b)
{
	if (!b)
		return;
	json_decref(b->manifest);
	free(b);
}

int platci_bundle_read_plan(platci_tfplan **out, const platci_bundle *b, const char *path,
	const platci_tfplan_options *opts, platci_diag *diag)
{
	struct archive *a = NULL;
	struct archive_entry *e;
	platci_tfplan_reader *r = NULL;
	platci_sha256 *h = NULL;
	platci_tfplan_options o;
	char hex[PLATCI_SHA256_HEX_SIZE];
	char *block = NULL;
	int error = 0, found = 0;

	PLATCI_ASSERT_ARG(out && b && path);
	*out = NULL;
	if ((error = platci_tfplan__options_copy(&o, opts)) < 0)
		return error;
	if (!o.name)
		o.name = PLATCI_BUNDLE_PLANJSON;
	block = malloc(BLOCK);
	PLATCI_CHECK_ALLOC(block);
	if ((error = open_archive(&a, path, diag)) < 0)
		goto done;
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		if (strcmp(archive_entry_pathname(e), PLATCI_BUNDLE_PLANJSON) != 0 ||
			archive_entry_filetype(e) != AE_IFREG)
			continue;
		found = 1;
		if ((error = platci_sha256_new(&h)) < 0 || (error = platci_tfplan_reader_new(&r, &o)) < 0)
			goto done;
		for (;;) {
			la_ssize_t n = archive_read_data(a, block, BLOCK);
			if (n < 0) {
				error = platci_diag_error(diag, PLATCI_ESYNTAX, path, 0, 0, 0,
					"plan.json is corrupt: %s", archive_error_string(a));
				goto done;
			}
			if (n == 0)
				break;
			platci_sha256_update(h, block, (size_t)n);
			if ((error = platci_tfplan_reader_feed(r, block, (size_t)n, diag)) < 0)
				goto done;
		}
		platci_sha256_final_hex(hex, h);
		if (strcmp(hex, b->m.planjson_sha256) != 0) {
			error = platci_diag_error(diag, PLATCI_EDATA, path, 0, 0, 0,
				"plan.json changed since the bundle "
				"was verified");
			goto done;
		}
		error = platci_tfplan_reader_finish(out, r, diag);
		break;
	}
	if (!found)
		error = platci_diag_error(diag, PLATCI_EDATA, path, 0, 0, 0, "plan.json is missing");
done:
	platci_tfplan_reader_free(r);
	platci_sha256_free(h);
	if (a)
		archive_read_free(a);
	free(block);
	return error;
}

int platci_bundle_path_is_bundle(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	return (n > 7 && strcmp(path + n - 7, ".tar.gz") == 0) ||
	       (n > 4 && strcmp(path + n - 4, ".tgz") == 0);
}

int platci_bundle_is_refusal(int error)
{
	return error == PLATCI_EDATA || error == PLATCI_EUNSAFE || error == PLATCI_ECONFLICT;
}

int platci_bundle_open_plan(platci_tfplan **out, const char *path,
	const platci_bundle_verify_options *opts, platci_diag *diag)
{
	platci_bundle *b = NULL;
	int error;

	PLATCI_ASSERT_ARG(out && path && opts);
	*out = NULL;
	if ((error = platci_bundle_verify(&b, path, opts, diag)) == 0)
		error = platci_bundle_read_plan(out, b, path, NULL, diag);
	platci_bundle_free(b);
	return error;
}
