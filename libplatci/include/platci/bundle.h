/**
 * @file platci/bundle.h
 * @brief The plan bundle: what travels from the plan job to the apply job.
 *
 * A gzip-compressed tar (libarchive, pax format) with exactly three
 * regular files: `manifest.json`, `tfplan` (the planfile) and `plan.json`
 * (`terraform show -json` of it). The manifest records the environment,
 * commit SHA, MR base SHA, pipeline id, creation time, Terraform version
 * and the SHA-256 and size of the other two members.
 *
 * Verification refuses a changed, missing or extra member, any member
 * that is not a regular file with one of those three names (absolute
 * paths, `..`, directories, links), another environment, another commit
 * and a bundle older than a limit. Extraction writes only those three
 * names into the target folder, through temporary files, after every
 * check passed: safe by construction, whatever the archive holds.
 *
 * The manifest is not signed: it guards against mix-ups and accidental or
 * unsophisticated changes; GitLab's artifact storage is the trust anchor.
 */
#ifndef PLATCI_BUNDLE_H
#define PLATCI_BUNDLE_H

#include <time.h>
#include "diag.h"
#include "sha256.h"
#include "tfplan.h"

#define PLATCI_BUNDLE_MANIFEST "manifest.json"
#define PLATCI_BUNDLE_PLANFILE "tfplan"
#define PLATCI_BUNDLE_PLANJSON "plan.json"

typedef struct platci_bundle platci_bundle;

/** What the manifest says (borrowed from a platci_bundle). */
typedef struct platci_bundle_manifest {
	const char *env;
	const char *commit_sha;
	const char *base_sha; /**< MR base (diff_refs.base_sha), or NULL */
	const char *pipeline_id; /**< or NULL */
	const char *terraform_version; /**< or NULL */
	time_t created; /**< creation time */
	char planfile_sha256[PLATCI_SHA256_HEX_SIZE];
	char planjson_sha256[PLATCI_SHA256_HEX_SIZE];
} platci_bundle_manifest;

typedef struct platci_bundle_create_options {
	unsigned int version; /**< PLATCI_BUNDLE_CREATE_OPTIONS_VERSION */
	const char *env; /**< required */
	const char *commit_sha; /**< required */
	const char *base_sha;
	const char *pipeline_id;
	const char *terraform_version; /**< NULL: taken from the plan JSON when it says */
	time_t now; /**< creation time to record */
} platci_bundle_create_options;

#define PLATCI_BUNDLE_CREATE_OPTIONS_VERSION 1
#define PLATCI_BUNDLE_CREATE_OPTIONS_INIT \
	{ \
		PLATCI_BUNDLE_CREATE_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0 \
	}

typedef struct platci_bundle_verify_options {
	unsigned int version; /**< PLATCI_BUNDLE_VERIFY_OPTIONS_VERSION */
	const char *env; /**< required: the bundle must be for this environment */
	const char *commit_sha; /**< when set, the bundle must be for this commit */
	time_t now; /**< the clock */
	long long max_age; /**< seconds; 0: no limit */
	const char *extract_dir; /**< when set, extract the members there after the checks */
} platci_bundle_verify_options;

#define PLATCI_BUNDLE_VERIFY_OPTIONS_VERSION 1
#define PLATCI_BUNDLE_VERIFY_OPTIONS_INIT \
	{ \
		PLATCI_BUNDLE_VERIFY_OPTIONS_VERSION, NULL, NULL, 0, 0, NULL \
	}

PLATCI_BEGIN_DECL

/**
 * Writes the bundle @p out_path (atomically: a temporary file, then a
 * rename) from the planfile @p planfile and its JSON @p plan_json.
 *
 * @return 0; PLATCI_EINVALID (missing env or commit); PLATCI_ENOTFOUND /
 *         PLATCI_EIO (inputs, output); PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_bundle_create(const char *out_path, const char *planfile, const char *plan_json,
	const platci_bundle_create_options *opts, platci_diag *diag);

/**
 * Verifies the bundle @p path (and extracts it when asked). With
 * `extract_dir`, the members are written to temporary files there and
 * renamed into place only once every check passed; a refused bundle
 * leaves nothing behind, not even the folders it had to create.
 *
 * @param[out] out the verified bundle's manifest holder; may be NULL.
 *             Free with platci_bundle_free().
 * @return 0; PLATCI_ENOTFOUND / PLATCI_EIO; PLATCI_ESYNTAX (not a gzip tar,
 *         or a manifest that is not JSON); PLATCI_EUNSAFE (a member name or
 *         type that could leave the folder); PLATCI_EDATA (changed,
 *         missing, extra or duplicate members; bad manifest);
 *         PLATCI_ECONFLICT (another environment or commit, too old, made
 *         in the future); PLATCI_EVERSION; PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_bundle_verify(platci_bundle **out, const char *path,
	const platci_bundle_verify_options *opts, platci_diag *diag);

/** The manifest of a verified bundle (borrowed). */
PLATCI_EXTERN(const platci_bundle_manifest *) platci_bundle_get_manifest(const platci_bundle *b);

/**
 * Reads `plan.json` of the verified bundle @p b straight from the archive
 * @p path into a plan summary, checking its SHA-256 against the manifest
 * again (the file could have changed since verification).
 *
 * @return as platci_tfplan_read_file(), plus PLATCI_EDATA on a mismatch.
 */
PLATCI_EXTERN(int)
platci_bundle_read_plan(platci_tfplan **out, const platci_bundle *b, const char *path,
	const platci_tfplan_options *opts, platci_diag *diag);

/** Frees @p b. NULL is a no-op. */
PLATCI_EXTERN(void) platci_bundle_free(platci_bundle *b);

/** 1 when @p path names a plan bundle (`.tar.gz` or `.tgz`), as platci-plan bundle writes them. */
PLATCI_EXTERN(int) platci_bundle_path_is_bundle(const char *path);

/**
 * 1 when @p error from platci_bundle_verify() or platci_bundle_open_plan()
 * means the bundle was refused (PLATCI_EDATA, PLATCI_EUNSAFE,
 * PLATCI_ECONFLICT: a policy outcome), 0 for input that could not be
 * read at all.
 */
PLATCI_EXTERN(int) platci_bundle_is_refusal(int error);

/**
 * The apply job's read of a plan bundle in one call: platci_bundle_verify()
 * with @p opts, then platci_bundle_read_plan().
 * @return as those two.
 */
PLATCI_EXTERN(int)
platci_bundle_open_plan(platci_tfplan **out, const char *path,
	const platci_bundle_verify_options *opts, platci_diag *diag);

PLATCI_END_DECL

#endif
