/**
 * @file platci/validate.h
 * @brief Merge-request validation.
 *
 * The first checks (YAML syntax, duplicate keys, limits) run over every
 * YAML file under the configured gitops root and policy files. Each
 * problem becomes a finding with file:line:column; a file that cannot be
 * read is a finding too, and the run goes on with the others.
 */
#ifndef PLATCI_VALIDATE_H
#define PLATCI_VALIDATE_H

#include "config.h"
#include "doc.h"
#include "findings.h"

typedef struct platci_validate_options {
	unsigned int version;        /**< PLATCI_VALIDATE_OPTIONS_VERSION */
	int all;                     /**< validate every file (the only mode so far) */
	platci_doc_options doc;      /**< YAML limits; zero fields take defaults */
	unsigned int threads;        /**< worker threads for loading; 0 = one per core (max 2 used by default) */
} platci_validate_options;

#define PLATCI_VALIDATE_OPTIONS_VERSION 1
#define PLATCI_VALIDATE_OPTIONS_INIT \
	{ PLATCI_VALIDATE_OPTIONS_VERSION, 1, PLATCI_DOC_OPTIONS_INIT, 0 }

/** What a validation run looked at. */
typedef struct platci_validate_stats {
	size_t files;     /**< YAML files read */
	size_t documents; /**< documents parsed */
	size_t nodes;     /**< nodes built */
} platci_validate_stats;

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int) platci_validate_options_init(platci_validate_options *opts,
	unsigned int version);

/**
 * Validates the repository described by @p cfg, adding findings to
 * @p findings (sorted on return). @p stats and @p diag may be NULL.
 *
 * @return 0 when the run completed (whatever it found); PLATCI_ENOMEM or
 *         PLATCI_EIO when it could not.
 */
PLATCI_EXTERN(int) platci_validate_run(const platci_config *cfg,
	const platci_validate_options *opts, platci_findings *findings,
	platci_validate_stats *stats, platci_diag *diag);

/**
 * The list of YAML files (repo-relative, sorted) the run would read,
 * NULL-terminated; free with platci_validate_files_free().
 */
PLATCI_EXTERN(int) platci_validate_list_files(char ***out, const platci_config *cfg,
	platci_diag *diag);

/** Frees a list from platci_validate_list_files(). NULL is a no-op. */
PLATCI_EXTERN(void) platci_validate_files_free(char **files);

PLATCI_END_DECL

#endif
