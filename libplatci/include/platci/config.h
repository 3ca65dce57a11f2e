/**
 * @file platci/config.h
 * @brief platci.yaml: the one description of the platform.
 *
 * Environments in promotion order with their Terraform root, Flux cluster
 * path and apps overlay, which environment each promotes from, whether it
 * is protected, where the policy files live, and the platform's time
 * zone. Every path is relative to the repository root, normalised once
 * here (`./infra/` is `infra`, `.` is the root itself), and may not leave
 * it. A repository may lack any part: an environment needs a Terraform
 * root, a Flux cluster path or both. See docs/platci-yaml.md.
 */
#ifndef PLATCI_CONFIG_H
#define PLATCI_CONFIG_H

#include "diag.h"
#include "findings.h"

typedef struct platci_config platci_config;

/** One environment. Strings are owned by the config. */
typedef struct platci_env {
	const char *name; /**< e.g. dev-uaenorth */
	const char *region; /**< e.g. uaenorth, or NULL */
	const char *infra; /**< Terraform root, repo-relative, or NULL */
	const char *cluster; /**< Flux cluster path, or NULL */
	const char *overlay; /**< apps overlay path */
	const char *promote_from; /**< the environment before this one, or NULL */
	int is_protected; /**< 1 for protected environments */
	size_t line; /**< where it is declared in platci.yaml */
	/**
	 * `kubernetes_version` (`"1.30"`), or NULL: then the version is read
	 * from the Terraform root's azurerm_kubernetes_cluster (nodepools.h).
	 */
	const char *kubernetes_version;
} platci_env;

/** `schemas:` (docs/schemas.md): where validation finds Kubernetes schemas. */
typedef struct platci_schema_config {
	const char *dir; /**< `dir`, repo-relative (need not exist yet), or NULL */
	int strict; /**< `strict`: unknown fields and kinds are errors */
	const char *const *crds; /**< `crds`: repo-relative CRD files or folders, NULL-terminated */
	size_t ncrds;
} platci_schema_config;

/** Policy file paths (repo-relative), each NULL when not configured. */
typedef struct platci_policy_paths {
	const char *manifests;
	const char *gates;
	const char *scan;
	const char *drift;
	const char *plan; /**< plan policy rules (kind: PlanPolicy), docs/policies.md */
} platci_policy_paths;

typedef struct platci_config_options {
	unsigned int version; /**< PLATCI_CONFIG_OPTIONS_VERSION */
	int skip_path_checks; /**< non-zero: do not require configured paths to exist */
} platci_config_options;

#define PLATCI_CONFIG_OPTIONS_VERSION 1
#define PLATCI_CONFIG_OPTIONS_INIT \
	{ \
		PLATCI_CONFIG_OPTIONS_VERSION, 0 \
	}

/** The platform's zone when platci.yaml names none (`timezone:`). */
#define PLATCI_CONFIG_DEFAULT_TIMEZONE "Asia/Dubai"

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID. */
PLATCI_EXTERN(int) platci_config_options_init(platci_config_options *opts, unsigned int version);

/**
 * Loads and validates platci.yaml at @p path; the repository root is
 * @p root (NULL: the file's directory). Every problem is a diagnostic
 * with file:line:column: unknown keys, wrong types, duplicate or missing
 * names, paths that are missing or leave the root, a `promote_from` that
 * names no environment or forms a cycle, an unknown time zone.
 *
 * @return 0; PLATCI_ENOTFOUND / PLATCI_EIO (file); PLATCI_ESYNTAX (YAML);
 *         PLATCI_EDATA (valid YAML, invalid config); PLATCI_EVERSION
 *         (a `version` other than 1); PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_config_load(platci_config **out, const char *path, const char *root,
	const platci_config_options *opts, platci_diag *diag);

/** Frees @p cfg. NULL is a no-op. */
PLATCI_EXTERN(void) platci_config_free(platci_config *cfg);

/** The repository root the config's paths are relative to. */
PLATCI_EXTERN(const char *) platci_config_root(const platci_config *cfg);

/** The config file's path as given. */
PLATCI_EXTERN(const char *) platci_config_path(const platci_config *cfg);

/** Number of environments. */
PLATCI_EXTERN(size_t) platci_config_env_count(const platci_config *cfg);

/** Environment @p i in promotion order (borrowed), or NULL. */
PLATCI_EXTERN(const platci_env *) platci_config_env_at(const platci_config *cfg, size_t i);

/** The environment named @p name (borrowed), or NULL. */
PLATCI_EXTERN(const platci_env *) platci_config_env(const platci_config *cfg, const char *name);

/** The environment that promotes from @p name, or NULL. */
PLATCI_EXTERN(const platci_env *)
platci_config_env_next(const platci_config *cfg, const char *name);

/** Policy file paths (borrowed). */
PLATCI_EXTERN(const platci_policy_paths *) platci_config_policies(const platci_config *cfg);

/** Root of the Flux tree (`gitops:`, default "gitops"). */
PLATCI_EXTERN(const char *) platci_config_gitops_root(const platci_config *cfg);

/** Root of the Terraform tree (`infra:`, default "infra"). */
PLATCI_EXTERN(const char *) platci_config_infra_root(const platci_config *cfg);

/** The platform's time zone (`timezone:`, default PLATCI_CONFIG_DEFAULT_TIMEZONE). */
PLATCI_EXTERN(const char *) platci_config_timezone(const platci_config *cfg);

/**
 * Minutes east of UTC of the platform's zone: waivers, exceptions and
 * ignore rules expire at midnight there (platci_time_parse_expiry()).
 * @p cfg may be NULL: the default zone's offset.
 */
PLATCI_EXTERN(int) platci_config_utc_offset(const platci_config *cfg);

/**
 * Name patterns of `postBuild.substitute` variables that carry versions
 * (`promotion.substitute_patterns`, default `*_VERSION`). Borrowed,
 * NULL-terminated.
 */
PLATCI_EXTERN(const char *const *) platci_config_substitute_patterns(const platci_config *cfg);

/**
 * The level at which a merge request's validation reports findings that
 * already exist at its merge base (`validate: {existing: warn|deny}`,
 * default warn): PLATCI_ENFORCE_WARN reports them as warnings,
 * PLATCI_ENFORCE_DENY lets them keep their own level.
 */
PLATCI_EXTERN(platci_enforcement) platci_config_existing_level(const platci_config *cfg);

/** `schemas:` (borrowed; every field zero when absent). */
PLATCI_EXTERN(const platci_schema_config *) platci_config_schemas(const platci_config *cfg);

/**
 * The environment whose infra, cluster or overlay path holds the
 * repo-relative @p path, or NULL. Longest match wins.
 */
PLATCI_EXTERN(const platci_env *)
platci_config_env_for_path(const platci_config *cfg, const char *path);

PLATCI_END_DECL

#endif
