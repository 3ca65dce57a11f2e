/**
 * @file platci/discover.h
 * @brief What a repository holds, found by looking at its tree, and the
 *        starting platci.yaml that describes it (`platci init`).
 *
 * Environments come from, in this order (the first rule that finds any wins):
 *  1. Flux bootstrap folders: a folder that holds `flux-system/` with
 *     gotk-sync.yaml, gotk-components.yaml or a kustomization.yaml
 *     (`clusters/<name>/` in Flux's layouts);
 *  2. the outermost folders that hold a Flux Kustomization
 *     (kustomize.toolkit.fluxcd.io) object;
 *  3. kustomize overlays: folders with a kustomization file beside a
 *     `base/` folder.
 * Each is named after its folder (or the folder above, for generic names
 * such as `cluster` or `flux`), gets the apps overlay `apps/<name>` found
 * nearest above it, and the Terraform root of the same name. Terraform
 * roots are folders whose .tf files declare a `terraform { backend ... }`;
 * a root that pairs with no cluster becomes an environment of its own, so
 * a Terraform-only repository works, and a Flux-only one gets no `infra`.
 * Environments are ordered dev, test, staging, production by their names
 * (then alphabetically); promote_from and protected are left to the user.
 */
#ifndef PLATCI_DISCOVER_H
#define PLATCI_DISCOVER_H

#include "buf.h"
#include "diag.h"

typedef struct platci_discover platci_discover;

/** One environment found. Strings are owned by the result; paths are root-relative. */
typedef struct platci_discovered_env {
	const char *name; /**< valid platci.yaml name: [a-z0-9-] */
	const char *cluster; /**< Flux cluster folder, or NULL */
	const char *overlay; /**< apps overlay folder, or NULL */
	const char *infra; /**< Terraform root with a backend, or NULL */
	const char *why; /**< how the environment was found, one line */
} platci_discovered_env;

typedef struct platci_discover_options {
	unsigned int version; /**< PLATCI_DISCOVER_OPTIONS_VERSION */
	size_t max_dirs; /**< folders looked at; 0: 20000 */
	size_t max_depth; /**< folder depth; 0: 16 */
} platci_discover_options;

#define PLATCI_DISCOVER_OPTIONS_VERSION 1
#define PLATCI_DISCOVER_OPTIONS_INIT \
	{ \
		PLATCI_DISCOVER_OPTIONS_VERSION, 0, 0 \
	}

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID (unknown version). */
PLATCI_EXTERN(int)
platci_discover_options_init(platci_discover_options *opts, unsigned int version);

/**
 * Looks at the tree below @p root (hidden folders, node_modules and
 * symbolic links are skipped; unreadable files are skipped with a warning
 * in @p diag).
 *
 * @param[out] out the result; free with platci_discover_free(). NULL on failure.
 * @return 0; PLATCI_ENOTFOUND (@p root is not a folder, or it holds no
 *         environment: the diagnostic says what was looked for);
 *         PLATCI_ELIMIT (more folders than max_dirs); PLATCI_EINVALID
 *         (options version); PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_discover_run(platci_discover **out, const char *root, const platci_discover_options *opts,
	platci_diag *diag);

/** Frees @p d. NULL is a no-op. */
PLATCI_EXTERN(void) platci_discover_free(platci_discover *d);

/** Number of environments, in promotion order. */
PLATCI_EXTERN(size_t) platci_discover_env_count(const platci_discover *d);

/** Environment @p i (borrowed, valid until platci_discover_free()), or NULL. */
PLATCI_EXTERN(const platci_discovered_env *)
platci_discover_env_at(const platci_discover *d, size_t i);

/** Policy file @p kind ("manifests", "gates", "scan", "drift") found under policies/, or NULL. */
PLATCI_EXTERN(const char *) platci_discover_policy(const platci_discover *d, const char *kind);

/**
 * Appends a platci.yaml (version 1) describing @p d to @p out: only the
 * keys the repository has, each environment with a comment saying how it
 * was found. @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_discover_render(platci_buf *out, const platci_discover *d);

PLATCI_END_DECL

#endif
