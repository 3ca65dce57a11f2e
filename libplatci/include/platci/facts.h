/**
 * @file platci/facts.h
 * @brief Facts the gate decides on: approvals, MR labels, deployments per
 *        environment, the commit and how the pipeline started.
 *
 * Facts come from one JSON shape, whoever produces it: a file given with
 * `--facts FILE` offline, or the GitLab API client in CI. The shape
 * (documented in docs/gates.md):
 *
 *     {"version":1, "commit_sha":"<sha>",
 *      "pipeline_source":"push|merge_request_event|schedule|web|api",
 *      "merge_request":{"iid":12, "labels":["allow-destroy"],
 *                       "approvals":{"count":2, "approved_by":["alice","bob"]}},
 *      "deployments":{"<env>":[{"sha":"<sha>", "status":"success",
 *                               "finished_at":"2026-01-31T10:00:00Z"}]}}
 *
 * Every key except `version` is optional; a missing fact is reported as
 * missing by the rules that need it, never taken as a pass.
 */
#ifndef PLATCI_FACTS_H
#define PLATCI_FACTS_H

#include <time.h>
#include <jansson.h>
#include "diag.h"

typedef struct platci_facts platci_facts;

PLATCI_BEGIN_DECL

/**
 * Builds facts from the parsed document @p doc (copied; @p doc is not kept).
 * Wrong types, an unknown `version`, a bad deployment status or time are
 * diagnostics naming the key.
 *
 * @param[out] out new facts; free with platci_facts_free().
 * @return 0, PLATCI_EDATA, PLATCI_EVERSION or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_facts_from_json(platci_facts **out, const json_t *doc, platci_diag *diag);

/** Reads and parses a facts file. @return as platci_facts_from_json() plus file errors. */
PLATCI_EXTERN(int) platci_facts_load_file(platci_facts **out, const char *path, platci_diag *diag);

/** Frees @p f. NULL is a no-op. */
PLATCI_EXTERN(void) platci_facts_free(platci_facts *f);

/** The commit the pipeline runs for, or NULL when not known. */
PLATCI_EXTERN(const char *) platci_facts_commit_sha(const platci_facts *f);

/** The pipeline source, or NULL. */
PLATCI_EXTERN(const char *) platci_facts_pipeline_source(const platci_facts *f);

/** 1 when merge-request facts are present. */
PLATCI_EXTERN(int) platci_facts_has_merge_request(const platci_facts *f);

/** The MR iid, or 0. */
PLATCI_EXTERN(long long) platci_facts_mr_iid(const platci_facts *f);

/** Approval count, or -1 when approvals are not known. */
PLATCI_EXTERN(long long) platci_facts_approvals(const platci_facts *f);

/** Number of approvers named; approver @p i (borrowed) or NULL. */
PLATCI_EXTERN(size_t) platci_facts_approver_count(const platci_facts *f);
PLATCI_EXTERN(const char *) platci_facts_approver_at(const platci_facts *f, size_t i);

/** 1 when labels are known. */
PLATCI_EXTERN(int) platci_facts_has_labels(const platci_facts *f);

/** 1 when the MR carries @p label. */
PLATCI_EXTERN(int) platci_facts_has_label(const platci_facts *f, const char *label);

/** 1 when deployments of @p env are known (the list may be empty). */
PLATCI_EXTERN(int) platci_facts_has_deployments(const platci_facts *f, const char *env);

/**
 * Whether @p env has a successful deployment of @p sha, and since when.
 *
 * @param[out] deployed_out 1 when it has, 0 when not
 * @param[out] finished_out the earliest `finished_at` of those successful
 *             deployments: how long the environment has run @p sha (0 when
 *             none is given or there is none); may be NULL
 * @return 0; PLATCI_ENOTFOUND when deployments of @p env are not known
 *         (the outputs are 0 then); PLATCI_EINVALID for NULL @p deployed_out.
 */
PLATCI_EXTERN(int)
platci_facts_deployed(int *deployed_out, time_t *finished_out, const platci_facts *f,
	const char *env, const char *sha);

PLATCI_END_DECL

#endif
