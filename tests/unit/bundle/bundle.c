#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_helpers.h"

static char *dir;
static char *planfile, *planjson, *bundle;

static const char plan_json[] =
	"{\"format_version\":\"1.2\",\"terraform_version\":\"1.11.4\","
	"\"resource_changes\":[{\"address\":\"a.b\",\"type\":\"a\",\"change\":{\"actions\":"
	"[\"create\"]}}]}";

#define NOW 1795000000 /* 2026-11-18 */

static void setup(void)
{
	platci_bundle_create_options o = PLATCI_BUNDLE_CREATE_OPTIONS_INIT;

	dir = th_tmpdir();
	planfile = th_write(dir, "in/tfplan", "PK\3\4binary-planfile", 18);
	planjson = th_write(dir, "in/plan.json", plan_json, strlen(plan_json));
	bundle = malloc(strlen(dir) + 32);
	snprintf(bundle, strlen(dir) + 32, "%s/bundle.tar.gz", dir);
	o.env = "prd-uaenorth";
	o.commit_sha = "abc123";
	o.base_sha = "base456";
	o.pipeline_id = "77";
	o.now = NOW;
	cr_assert_eq(platci_bundle_create(bundle, planfile, planjson, &o, NULL), 0);
}

static void teardown(void)
{
	th_rmrf(dir);
	free(dir);
	free(planfile);
	free(planjson);
	free(bundle);
}

TestSuite(bundle, .init = setup, .fini = teardown);

/* The counts of @p p, copied: asserts platci_tfplan_totals() succeeds. */
static platci_tfplan_counts counts_of(const platci_tfplan *p)
{
	platci_tfplan_counts n;

	cr_assert_eq(platci_tfplan_totals(&n, p), 0);
	return n;
}

static int verify(const char *path, const char *env, const char *commit, time_t now,
	long long max_age, const char *extract, char *msg, size_t size)
{
	platci_bundle_verify_options o = PLATCI_BUNDLE_VERIFY_OPTIONS_INIT;
	platci_diag *d = NULL;
	platci_bundle *b = NULL;
	int rc;

	o.env = env;
	o.commit_sha = commit;
	o.now = now;
	o.max_age = max_age;
	o.extract_dir = extract;
	cr_assert_eq(platci_diag_new(&d), 0);
	rc = platci_bundle_verify(&b, path, &o, d);
	if (msg)
		snprintf(msg, size, "%s", platci_diag_count(d) ? platci_diag_at(d, 0)->message : "");
	if (rc == 0) {
		cr_assert_not_null(b);
		cr_assert_str_eq(platci_bundle_get_manifest(b)->env, env);
	} else {
		cr_assert_null(b);
	}
	platci_bundle_free(b);
	platci_diag_free(d);
	return rc;
}

/* Reads every member of the bundle into memory, to rebuild variants. */
typedef struct member {
	char name[64];
	char *data;
	size_t len;
} member;

static size_t read_members(member *m, size_t max)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	size_t n = 0;

	archive_read_support_filter_gzip(a);
	archive_read_support_format_tar(a);
	cr_assert_eq(archive_read_open_filename(a, bundle, 10240), ARCHIVE_OK);
	while (n < max && archive_read_next_header(a, &e) == ARCHIVE_OK) {
		size_t sz = (size_t)archive_entry_size(e);
		snprintf(m[n].name, sizeof(m[n].name), "%s", archive_entry_pathname(e));
		m[n].data = malloc(sz + 1);
		m[n].len = (size_t)archive_read_data(a, m[n].data, sz);
		n++;
	}
	archive_read_free(a);
	return n;
}

typedef struct extra {
	const char *name;
	unsigned int type;
	const char *link;
} extra;

/* Writes a bundle from @p m (skipping index @p skip), with @p x appended when set. */
static char *write_variant(const member *m, size_t n, size_t skip, const extra *x)
{
	char *path = malloc(strlen(dir) + 32);
	struct archive *a = archive_write_new();

	snprintf(path, strlen(dir) + 32, "%s/variant.tar.gz", dir);
	archive_write_add_filter_gzip(a);
	archive_write_set_format_pax_restricted(a);
	cr_assert_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (size_t i = 0; i <= n; i++) {
		struct archive_entry *e = archive_entry_new();
		if (i == n) {
			if (!x) {
				archive_entry_free(e);
				break;
			}
			archive_entry_set_pathname(e, x->name);
			archive_entry_set_filetype(e, x->type);
			archive_entry_set_perm(e, 0644);
			if (x->link)
				archive_entry_set_symlink(e, x->link);
			archive_entry_set_size(e, x->type == AE_IFREG ? 3 : 0);
			archive_write_header(a, e);
			if (x->type == AE_IFREG)
				archive_write_data(a, "bad", 3);
		} else if (i != skip) {
			archive_entry_set_pathname(e, m[i].name);
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_size(e, (la_int64_t)m[i].len);
			archive_write_header(a, e);
			archive_write_data(a, m[i].data, m[i].len);
		}
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return path;
}

Test(bundle, a_fresh_bundle_verifies_and_extracts)
{
	char msg[400], out[600];
	char *back;
	size_t len;

	snprintf(out, sizeof(out), "%s/extract", dir);
	cr_assert_eq(verify(bundle, "prd-uaenorth", "abc123", NOW + 60, 86400, out, msg, sizeof(msg)),
		0, "%s", msg);
	snprintf(out, sizeof(out), "%s/extract/plan.json", dir);
	back = th_read(out, &len);
	cr_assert_not_null(back);
	cr_assert_eq(len, strlen(plan_json));
	free(back);
}

Test(bundle, the_plan_is_read_from_the_archive)
{
	platci_bundle_verify_options o = PLATCI_BUNDLE_VERIFY_OPTIONS_INIT;
	platci_bundle *b = NULL;
	platci_tfplan *p = NULL;

	o.env = "prd-uaenorth";
	o.now = NOW;
	cr_assert_eq(platci_bundle_verify(&b, bundle, &o, NULL), 0);
	cr_assert_str_eq(platci_bundle_get_manifest(b)->terraform_version, "1.11.4");
	cr_assert_str_eq(platci_bundle_get_manifest(b)->base_sha, "base456");
	cr_assert_eq(platci_bundle_read_plan(&p, b, bundle, NULL, NULL), 0);
	cr_assert_eq(counts_of(p).widget_create, 1);
	platci_tfplan_free(p);
	platci_bundle_free(b);
}

Test(bundle, another_env_commit_or_an_old_bundle_is_refused)
{
	char msg[400];

	cr_assert_eq(verify(bundle, "stg-uaenorth", NULL, NOW, 0, NULL, msg, sizeof(msg)), PLATCI_ECONFLICT);
	cr_assert(strstr(msg, "for prd-uaenorth") != NULL, "%s", msg);
	cr_assert_eq(verify(bundle, "prd-uaenorth", "def999", NOW, 0, NULL, msg, sizeof(msg)),
		PLATCI_ECONFLICT);
	cr_assert(strstr(msg, "def999") != NULL, "%s", msg);
	cr_assert_eq(verify(bundle, "prd-uaenorth", NULL, NOW + 86400, 86400, NULL, NULL, 0), 0);
	cr_assert_eq(verify(bundle, "prd-uaenorth", NULL, NOW + 86401, 86400, NULL, msg, sizeof(msg)),
		PLATCI_ECONFLICT);
	cr_assert(strstr(msg, "plan again") != NULL, "%s", msg);
	cr_assert_eq(verify(bundle, "prd-uaenorth", NULL, NOW - 3600, 0, NULL, msg, sizeof(msg)),
		PLATCI_ECONFLICT);
}

Test(bundle, tampering_with_any_member_is_refused)
{
	member m[8];
	size_t n = read_members(m, 8);
	char msg[400];

	cr_assert_eq(n, 3);
	for (size_t i = 0; i < n; i++) {
		char *path;
		int rc;
		m[i].data[0] ^= 0x20; /* one changed byte */
		path = write_variant(m, n, (size_t)-1, NULL);
		rc = verify(path, "prd-uaenorth", NULL, NOW, 0, NULL, msg, sizeof(msg));
		cr_assert(rc == PLATCI_EDATA || rc == PLATCI_ESYNTAX, "%s: %d %s", m[i].name, rc, msg);
		m[i].data[0] ^= 0x20;
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(m[i].data);
}

Test(bundle, missing_and_extra_members_are_refused)
{
	member m[8];
	size_t n = read_members(m, 8);
	const extra plus = { "notes.txt", AE_IFREG, NULL };
	char msg[400];

	for (size_t i = 0; i < n; i++) {
		char *path = write_variant(m, n, i, NULL);
		cr_assert_eq(verify(path, "prd-uaenorth", NULL, NOW, 0, NULL, msg, sizeof(msg)),
			PLATCI_EDATA, "without %s: %s", m[i].name, msg);
		cr_assert(strstr(msg, "missing") != NULL, "%s", msg);
		free(path);
	}
	{
		char *path = write_variant(m, n, (size_t)-1, &plus);
		cr_assert_eq(verify(path, "prd-uaenorth", NULL, NOW, 0, NULL, msg, sizeof(msg)),
			PLATCI_EDATA);
		cr_assert(strstr(msg, "unexpected member") != NULL, "%s", msg);
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(m[i].data);
}

Test(bundle, members_that_could_leave_the_folder_are_refused_and_nothing_is_extracted)
{
	member m[8];
	size_t n = read_members(m, 8);
	const extra bad[] = {
		{ "../escape", AE_IFREG, NULL },
		{ "/etc/passwd", AE_IFREG, NULL },
		{ "sub/plan.json", AE_IFREG, NULL },
		{ "plan.json", AE_IFLNK, "/etc/passwd" },
		{ "tfplan", AE_IFDIR, NULL },
	};
	char msg[400], out[600];

	snprintf(out, sizeof(out), "%s/x", dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *path = write_variant(m, n, (size_t)-1, &bad[i]);
		int rc = verify(path, "prd-uaenorth", NULL, NOW, 0, out, msg, sizeof(msg));
		cr_assert(rc == PLATCI_EUNSAFE || rc == PLATCI_EDATA, "%s: %d %s", bad[i].name, rc, msg);
		free(path);
	}
	/* the extraction folder holds nothing from the refused bundles */
	{
		char probe[700];
		snprintf(probe, sizeof(probe), "%s/plan.json", out);
		cr_assert_eq(access(probe, F_OK), -1);
		snprintf(probe, sizeof(probe), "%s/../escape", out);
		cr_assert_eq(access(probe, F_OK), -1);
	}
	for (size_t i = 0; i < n; i++)
		free(m[i].data);
}

Test(bundle, not_an_archive_or_missing)
{
	char *junk = th_write(dir, "junk.tar.gz", "hello", 5);
	cr_assert_eq(verify(junk, "prd-uaenorth", NULL, NOW, 0, NULL, NULL, 0), PLATCI_ESYNTAX);
	cr_assert_eq(verify("/nonexistent/b.tar.gz", "prd-uaenorth", NULL, NOW, 0, NULL, NULL, 0),
		PLATCI_ENOTFOUND);
	free(junk);
}

Test(bundle, garbage_plan_json_is_not_bundled)
{
	platci_bundle_create_options o = PLATCI_BUNDLE_CREATE_OPTIONS_INIT;
	char *bad = th_write(dir, "bad.json", "not json", 8);
	char out[600];

	snprintf(out, sizeof(out), "%s/never.tar.gz", dir);
	o.env = "dev";
	o.commit_sha = "abc";
	cr_assert_eq(platci_bundle_create(out, planfile, bad, &o, NULL), PLATCI_ESYNTAX);
	cr_assert_eq(access(out, F_OK), -1);
	free(bad);
}

Test(bundle, a_refused_bundle_leaves_no_folder_behind)
{
	char msg[400], out[1200], top[600];

	/* another commit: refused, and neither the folder nor its new parents remain */
	snprintf(top, sizeof(top), "%s/new", dir);
	snprintf(out, sizeof(out), "%s/new/deeper/extract", dir);
	cr_assert_eq(verify(bundle, "prd-uaenorth", "def999", NOW, 0, out, msg, sizeof(msg)),
		PLATCI_ECONFLICT);
	cr_assert_not(platci_fs_exists(out), "%s was created for a refused bundle", out);
	cr_assert_not(platci_fs_exists(top), "%s was created for a refused bundle", top);
	/* a folder that was there before stays, empty */
	cr_assert_eq(platci_fs_mkdirs(top, NULL), 0);
	cr_assert_eq(verify(bundle, "stg-uaenorth", NULL, NOW, 0, top, msg, sizeof(msg)), PLATCI_ECONFLICT);
	cr_assert(platci_fs_is_dir(top));
	snprintf(out, sizeof(out), "%s/plan.json", top);
	cr_assert_not(platci_fs_exists(out));
	/* accepted: the folders are made and filled */
	snprintf(out, sizeof(out), "%s/new/deeper/extract", dir);
	cr_assert_eq(verify(bundle, "prd-uaenorth", "abc123", NOW, 0, out, msg, sizeof(msg)), 0, "%s", msg);
	snprintf(out, sizeof(out), "%s/new/deeper/extract/tfplan", dir);
	cr_assert(platci_fs_exists(out));
}

Test(bundle, open_plan_verifies_then_reads)
{
	platci_bundle_verify_options o = PLATCI_BUNDLE_VERIFY_OPTIONS_INIT;
	platci_tfplan *p = NULL;

	cr_assert(platci_bundle_path_is_bundle(bundle));
	cr_assert(platci_bundle_path_is_bundle("x.tgz"));
	cr_assert_not(platci_bundle_path_is_bundle("plan.json"));
	cr_assert_not(platci_bundle_path_is_bundle(".tgz"));
	o.env = "prd-uaenorth";
	o.now = NOW;
	cr_assert_eq(platci_bundle_open_plan(&p, bundle, &o, NULL), 0);
	cr_assert_eq(counts_of(p).widget_create, 1);
	platci_tfplan_free(p);
	o.env = "dev-uaenorth";
	cr_assert_eq(platci_bundle_open_plan(&p, bundle, &o, NULL), PLATCI_ECONFLICT);
	cr_assert_null(p);
	cr_assert(platci_bundle_is_refusal(PLATCI_ECONFLICT));
	cr_assert(platci_bundle_is_refusal(PLATCI_EUNSAFE));
	cr_assert(platci_bundle_is_refusal(PLATCI_EDATA));
	cr_assert_not(platci_bundle_is_refusal(PLATCI_ESYNTAX));
	cr_assert_not(platci_bundle_is_refusal(PLATCI_ENOTFOUND));
}
