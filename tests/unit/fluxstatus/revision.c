#include "test_helpers.h"

#define SHA1 "450796ddb2ab6724ee1cc32a4be56da032d1cca0"
#define SHA256 "0cc9a8446c95009b6b5f0f3b7ab4e2b0f3a1d9c7e5b3a1f9e7d5c3b1a9f7e5d3"

static void expect_parts(const char *rev, const char *pointer, const char *algo, const char *digest, int legacy)
{
	platci_flux_revision r;
	cr_assert_eq(platci_flux_revision_parse(&r, rev), 0, "%s", rev);
	if (pointer) {
		cr_assert_not_null(r.pointer, "%s: no pointer", rev);
		cr_assert_eq(r.pointer_len, strlen(pointer), "%s", rev);
		cr_assert_eq(strncmp(r.pointer, pointer, r.pointer_len), 0, "%s", rev);
	} else {
		cr_assert_null(r.pointer, "%s: unexpected pointer", rev);
	}
	if (algo) {
		cr_assert_not_null(r.algo, "%s", rev);
		cr_assert_eq(strncmp(r.algo, algo, r.algo_len), 0, "%s", rev);
		cr_assert_eq(r.algo_len, strlen(algo), "%s", rev);
	} else {
		cr_assert_null(r.algo, "%s", rev);
	}
	if (digest) {
		cr_assert_eq(r.digest_len, strlen(digest), "%s", rev);
		cr_assert_eq(strncmp(r.digest, digest, r.digest_len), 0, "%s", rev);
	} else {
		cr_assert_null(r.digest, "%s", rev);
	}
	cr_assert_eq(r.legacy, legacy, "%s", rev);
}

Test(fluxstatus, every_revision_format_flux_writes)
{
	expect_parts("main@sha1:" SHA1, "main", "sha1", SHA1, 0);
	expect_parts("refs/heads/main@sha1:" SHA1, "refs/heads/main", "sha1", SHA1, 0);
	expect_parts("sha1:" SHA1, NULL, "sha1", SHA1, 0);
	expect_parts("v1.2.3@sha256:" SHA256, "v1.2.3", "sha256", SHA256, 0);
	expect_parts("sha256:" SHA256, NULL, "sha256", SHA256, 0);
	expect_parts("master/" SHA1, "master", "sha1", SHA1, 1);
	expect_parts("HEAD/" SHA1, NULL, "sha1", SHA1, 1);
	expect_parts("feature/x/" SHA1, "feature/x", "sha1", SHA1, 1);
	expect_parts(SHA256, NULL, "sha256", SHA256, 0); /* v1beta2 HelmRepository */
	expect_parts("6.3.5", "6.3.5", NULL, NULL, 0); /* HelmChart */
	expect_parts("6.6.1+0cc9a8446c95", "6.6.1+0cc9a8446c95", NULL, NULL, 0);
	/* The pointer may itself hold '@': the digest follows the last one. */
	expect_parts("user@host@sha1:" SHA1, "user@host", "sha1", SHA1, 0);
	expect_parts("latest@sha256:" SHA256, "latest", "sha256", SHA256, 0);
}

Test(fluxstatus, garbage_revisions_are_refused)
{
	platci_flux_revision r;
	cr_assert_eq(platci_flux_revision_parse(&r, NULL), PLATCI_EINVALID);
	cr_assert_eq(platci_flux_revision_parse(&r, ""), PLATCI_EINVALID);
	cr_assert_eq(platci_flux_revision_parse(&r, "main@"), PLATCI_EINVALID);
	cr_assert_eq(platci_flux_revision_parse(&r, "main@sha1:"), PLATCI_EINVALID);
	cr_assert_eq(platci_flux_revision_parse(&r, ":abc"), PLATCI_EINVALID);
	cr_assert_eq(platci_flux_revision_same("", "main@sha1:" SHA1), 0);
}

Test(fluxstatus, same_revision_across_formats)
{
	cr_assert(platci_flux_revision_same("main@sha1:" SHA1, "refs/heads/main@sha1:" SHA1));
	cr_assert(platci_flux_revision_same("main@sha1:" SHA1, "sha1:" SHA1));
	cr_assert(platci_flux_revision_same("master/" SHA1, "main@sha1:" SHA1));
	cr_assert(platci_flux_revision_same("main@sha1:" SHA1,
		"main@sha1:450796DDB2AB6724EE1CC32A4BE56DA032D1CCA0"));
	cr_assert_not(platci_flux_revision_same("main@sha1:" SHA1,
		"main@sha1:c75656a8fdb322852f038f863aca0bf94a79f7e4"));
	cr_assert(platci_flux_revision_same("6.3.5", "6.3.5"));
	cr_assert_not(platci_flux_revision_same("6.3.5", "6.3.6"));
	cr_assert_not(platci_flux_revision_same("6.3.5", "sha1:" SHA1));
}

Test(fluxstatus, matches_full_and_abbreviated_commits)
{
	cr_assert(platci_flux_revision_matches("main@sha1:" SHA1, SHA1));
	cr_assert(platci_flux_revision_matches("master/" SHA1, "450796d"));
	cr_assert(platci_flux_revision_matches("main@sha1:" SHA1, "450796DD"));
	cr_assert_not(platci_flux_revision_matches("main@sha1:" SHA1, "4507"));
	cr_assert_not(platci_flux_revision_matches("main@sha1:" SHA1, "450796e"));
	cr_assert_not(platci_flux_revision_matches("6.3.5", "450796d"));
}

Test(fluxstatus, branch_of_a_revision)
{
	cr_assert(platci_flux_revision_on_branch("main@sha1:" SHA1, "main"));
	cr_assert(platci_flux_revision_on_branch("refs/heads/main@sha1:" SHA1, "main"));
	cr_assert(platci_flux_revision_on_branch("master/" SHA1, "master"));
	cr_assert_not(platci_flux_revision_on_branch("main@sha1:" SHA1, "mai"));
	cr_assert_not(platci_flux_revision_on_branch("sha1:" SHA1, "main"));
	cr_assert_not(platci_flux_revision_on_branch("refs/tags/main@sha1:" SHA1, "main"));
}

Test(fluxstatus, short_display_keeps_algorithm_cuts_checksum)
{
	char buf[128];
	platci_flux_revision_short(buf, sizeof(buf), "main@sha1:" SHA1);
	cr_assert_str_eq(buf, "main@sha1:450796dd");
	platci_flux_revision_short(buf, sizeof(buf), "master/" SHA1);
	cr_assert_str_eq(buf, "master/450796dd");
	platci_flux_revision_short(buf, sizeof(buf), "sha256:" SHA256);
	cr_assert_str_eq(buf, "sha256:0cc9a844");
	platci_flux_revision_short(buf, sizeof(buf), "6.3.5");
	cr_assert_str_eq(buf, "6.3.5");
	cr_assert_eq(platci_flux_revision_short(buf, 4, "main@sha1:" SHA1), strlen("main@sha1:450796dd"));
	cr_assert_str_eq(buf, "mai");
}
