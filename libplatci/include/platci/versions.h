/**
 * @file platci/versions.h
 * @brief The version set of an environment, and the difference of two.
 *
 * A *pin* is one YAML scalar that fixes a version: a kustomize `images:`
 * field (`newName`, `newTag`, `digest`, also in a Flux Kustomization's
 * `spec.images`), a HelmRelease `spec.chart.spec.version`, an
 * OCIRepository `spec.ref.{tag,semver,digest}`, a GitRepository
 * `spec.ref.{tag,semver,commit}`, a `postBuild.substitute` variable whose
 * name matches platci_config_substitute_patterns(), or any scalar carrying
 * a Flux image-policy setter marker (`# {"$imagepolicy": "ns:name:tag"}`,
 * with or without a space after `#`). Pins inside inline kustomize
 * patches (`patches[].patch: |`) are found too, with positions in the
 * file that holds the patch; JSON 6902 ops in a patch file become pins
 * once the kustomization naming that file (`patches: [{path, target}]`)
 * has been added too, in either order.
 *
 * Every pin has an identity that does not depend on the environment, so
 * the same pin can be found in two environments:
 *
 * | kind       | id                                  | field                 |
 * |------------|-------------------------------------|-----------------------|
 * | image      | `image:<images[].name>`             | newName/newTag/digest |
 * | helm       | `helm:<namespace>/<name>`           | version               |
 * | oci        | `oci:<namespace>/<name>`            | tag/semver/digest     |
 * | git        | `git:<namespace>/<name>`            | tag/semver/commit     |
 * | substitute | `subst:<namespace>/<kustomization>` | the variable name     |
 * | setter     | `setter:<ns>:<policy>`              | full/tag/name/digest  |
 *
 * The key that matches across environments is `id` + `.` + `field`
 * (platci_pin.key). A missing namespace is written `-`.
 *
 * Drift and promotion both use platci_versions_diff(): pins in both sets
 * with different values, pins only in the source, pins only in the target.
 */
#ifndef PLATCI_VERSIONS_H
#define PLATCI_VERSIONS_H

#include "config.h"
#include "diag.h"
#include "doc.h"

typedef enum {
	PLATCI_PIN_IMAGE = 1,
	PLATCI_PIN_HELM,
	PLATCI_PIN_OCI,
	PLATCI_PIN_GIT,
	PLATCI_PIN_SUBSTITUTE,
	PLATCI_PIN_SETTER
} platci_pin_kind;

/** One pinned version. Strings are owned by the set that holds the pin. */
typedef struct platci_pin {
	platci_pin_kind kind;
	const char *id; /**< object identity, e.g. `image:ghcr.io/acme/web` */
	const char *field; /**< e.g. `newTag`; for substitutes the variable name */
	const char *key; /**< `id.field`: what matches across environments */
	const char *name; /**< short name for people and `--only`: image basename, object or variable name */
	const char *app; /**< first folder below the overlay/cluster path, or "" for files at its top */
	const char *file; /**< repository-relative path of the file holding the scalar */
	size_t line; /**< 1-based line of the scalar */
	size_t column; /**< 1-based column (bytes) of the scalar */
	size_t start; /**< byte offset of the scalar's first byte (a quote, for quoted styles) */
	size_t end; /**< byte offset one past its last byte */
	size_t key_start; /**< byte offset of the mapping key in front of the scalar */
	const char *value; /**< the value, unescaped */
	platci_node_style style; /**< how the scalar is written */
	const char *setter; /**< the setter marker's reference (`ns:name:tag`), or NULL */
} platci_pin;

typedef struct platci_versions platci_versions;

typedef struct platci_versions_options {
	unsigned int version; /**< PLATCI_VERSIONS_OPTIONS_VERSION */
	const char *const *substitute_patterns; /**< NULL-terminated globs; NULL: none */
	const platci_doc_options *doc; /**< YAML limits, or NULL for the defaults */
} platci_versions_options;

#define PLATCI_VERSIONS_OPTIONS_VERSION 1
#define PLATCI_VERSIONS_OPTIONS_INIT \
	{ \
		PLATCI_VERSIONS_OPTIONS_VERSION, NULL, NULL \
	}

/** What a difference entry says. */
typedef enum {
	PLATCI_VDIFF_CHANGED = 1, /**< in both, values differ */
	PLATCI_VDIFF_ONLY_SOURCE, /**< only in the source */
	PLATCI_VDIFF_ONLY_TARGET, /**< only in the target */
	PLATCI_VDIFF_AMBIGUOUS /**< the source holds the key several times with different values */
} platci_vdiff_kind;

/** One difference. The pins are borrowed from the two sets. */
typedef struct platci_vdiff_entry {
	platci_vdiff_kind kind;
	const char *key; /**< platci_pin.key */
	const platci_pin *source; /**< NULL for ONLY_TARGET */
	const platci_pin *target; /**< NULL for ONLY_SOURCE */
} platci_vdiff_entry;

typedef struct platci_vdiff platci_vdiff;

PLATCI_BEGIN_DECL

/** Initialises @p opts with defaults. @return 0 or PLATCI_EINVALID for an unknown version. */
PLATCI_EXTERN(int)
platci_versions_options_init(platci_versions_options *opts, unsigned int version);

/**
 * Creates an empty set. Free with platci_versions_free().
 * @param opts NULL for the defaults (no substitute patterns). The struct is
 *        copied; the pattern list and doc options it points to are borrowed
 *        and must outlive the set. Not thread-safe: one set per thread.
 * @return 0, PLATCI_EINVALID (options version) or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int) platci_versions_new(platci_versions **out, const platci_versions_options *opts);

/** Frees @p set and its pins. NULL is a no-op. */
PLATCI_EXTERN(void) platci_versions_free(platci_versions *set);

/**
 * Adds the pins of one YAML file given in memory.
 *
 * @param file repository-relative name recorded in the pins (copied)
 * @param base the overlay or cluster folder @p file lies under, for platci_pin.app ("" when none)
 * @return 0; PLATCI_ESYNTAX / PLATCI_ELIMIT (YAML, with file:line:column
 *         in @p diag); PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_versions_add_data(platci_versions *set, const char *file, const char *base, const char *data,
	size_t len, platci_diag *diag);

/**
 * Reads the version set of environment @p env: every `*.yaml`, `*.yml`
 * and `Kustomization` file below its overlay and cluster paths (hidden
 * folders and symbolic links are skipped, files are read in name order).
 *
 * @param[out] out a new set; free with platci_versions_free()
 * @param root the repository root; NULL: platci_config_root(@p cfg)
 * @return 0; PLATCI_ENOTFOUND (no such environment); PLATCI_EIO;
 *         PLATCI_ESYNTAX / PLATCI_ELIMIT (a file, with its position);
 *         PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_versions_load(platci_versions **out, const platci_config *cfg, const char *env,
	const char *root, platci_diag *diag);

/** Number of pins. 0 for NULL. Pins from several files may share a key. */
PLATCI_EXTERN(size_t) platci_versions_count(const platci_versions *set);

/**
 * Pin @p i (borrowed, valid until the set is freed or added to), in the
 * order of key, then file, then offset. NULL when out of range.
 */
PLATCI_EXTERN(const platci_pin *) platci_versions_at(const platci_versions *set, size_t i);

/** The first pin whose key is @p key (borrowed), or NULL. */
PLATCI_EXTERN(const platci_pin *) platci_versions_find(const platci_versions *set, const char *key);

/** "image", "helm", "oci", "git", "substitute", "setter"; "?" otherwise. */
PLATCI_EXTERN(const char *) platci_pin_kind_name(platci_pin_kind kind);

/**
 * Compares two sets: one entry per target pin whose key the source has
 * with another value (CHANGED) or several values (AMBIGUOUS), per target
 * pin whose key the source lacks (ONLY_TARGET), and per source key the
 * target lacks (ONLY_SOURCE), sorted by key. Equal pins give no entry.
 *
 * @param[out] out a new list that borrows from both sets: free it first
 * @return 0, PLATCI_EINVALID or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_versions_diff(platci_vdiff **out, const platci_versions *source, const platci_versions *target);

/** Frees a difference list. NULL is a no-op. */
PLATCI_EXTERN(void) platci_vdiff_free(platci_vdiff *diff);

/** Number of entries. 0 for NULL. */
PLATCI_EXTERN(size_t) platci_vdiff_count(const platci_vdiff *diff);

/** Entry @p i (borrowed), or NULL when out of range. */
PLATCI_EXTERN(const platci_vdiff_entry *) platci_vdiff_at(const platci_vdiff *diff, size_t i);

PLATCI_END_DECL

#endif
