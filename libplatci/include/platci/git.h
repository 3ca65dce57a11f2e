/**
 * @file platci/git.h
 * @brief What changed between two revisions, through libgit2.
 *
 * Opens a repository, resolves revisions, finds merge bases, lists the
 * files added, modified, renamed and deleted between two commits (with
 * rename detection), and reads a file as it was at a revision.
 * libgit2 is initialised when a repository is opened and shut down when
 * it is freed (libgit2 counts), so no global setup is needed.
 */
#ifndef PLATCI_GIT_H
#define PLATCI_GIT_H

#include "buf.h"
#include "diag.h"

typedef struct platci_git platci_git;

/** Hex object id plus NUL. */
#define PLATCI_GIT_OID_HEX_SIZE 41

typedef enum {
	PLATCI_CHANGE_ADDED = 'A',
	PLATCI_CHANGE_MODIFIED = 'M',
	PLATCI_CHANGE_RENAMED = 'R',
	PLATCI_CHANGE_DELETED = 'D'
} platci_change_status;

/** One changed file. Paths are repo-relative and owned by the list. */
typedef struct platci_change {
	platci_change_status status;
	const char *path; /**< new path (old path for deletions) */
	const char *old_path; /**< previous path for renames, else NULL */
} platci_change;

typedef struct platci_changes platci_changes;

PLATCI_BEGIN_DECL

/**
 * Opens the repository that holds @p path (searching upwards).
 * @return 0, PLATCI_ENOTFOUND (no repository) or PLATCI_ERROR (libgit2,
 *         with a diagnostic). Free with platci_git_free().
 */
PLATCI_EXTERN(int) platci_git_open(platci_git **out, const char *path, platci_diag *diag);

/** Frees @p git and drops one libgit2 reference. NULL is a no-op. */
PLATCI_EXTERN(void) platci_git_free(platci_git *git);

/** The working directory of the repository (with a trailing slash), or NULL when bare. */
PLATCI_EXTERN(const char *) platci_git_workdir(const platci_git *git);

/**
 * Resolves @p rev (`HEAD`, a branch, a tag, a full or short sha, `HEAD~2`)
 * to the commit it names, as hex.
 * @return 0, PLATCI_ENOTFOUND (with a diagnostic) or PLATCI_ERROR.
 */
PLATCI_EXTERN(int)
platci_git_resolve(char out[PLATCI_GIT_OID_HEX_SIZE], platci_git *git, const char *rev, platci_diag *diag);

/** 1 when @p rev is the all-zeros sha GitLab sends for a new branch. */
PLATCI_EXTERN(int) platci_git_is_null_rev(const char *rev);

/**
 * The merge base of @p a and @p b (revisions). @return 0,
 * PLATCI_ENOTFOUND (no common ancestor, or a revision is unknown) or
 * PLATCI_ERROR.
 */
PLATCI_EXTERN(int)
platci_git_merge_base(char out[PLATCI_GIT_OID_HEX_SIZE], platci_git *git, const char *a,
	const char *b, platci_diag *diag);

/**
 * Files changed from @p base to @p head (both revisions; compare trees,
 * as `git diff --find-renames base head`). The list is sorted by path.
 * @return 0, PLATCI_ENOTFOUND, PLATCI_ERROR or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_git_changes(platci_changes **out, platci_git *git, const char *base, const char *head,
	platci_diag *diag);

/** Frees a change list. NULL is a no-op. */
PLATCI_EXTERN(void) platci_changes_free(platci_changes *changes);

/** Number of changes. 0 for NULL. */
PLATCI_EXTERN(size_t) platci_changes_count(const platci_changes *changes);

/** Borrowed change @p i, or NULL. */
PLATCI_EXTERN(const platci_change *) platci_changes_at(const platci_changes *changes, size_t i);

/**
 * Appends the bytes of @p path at revision @p rev to @p out.
 * @return 0, PLATCI_ENOTFOUND (no such revision or path), PLATCI_EINVALID
 *         (the path is a directory), PLATCI_ELIMIT (larger than @p max) or
 *         PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_git_read_file(platci_buf *out, platci_git *git, const char *rev, const char *path,
	size_t max, platci_diag *diag);

/**
 * Writes the files of revision @p rev into the folder @p dir, which must
 * exist and be empty, as a checkout would, without touching the
 * repository's working tree, index or references: blobs are read from the
 * object database. Executable files keep their mode, symbolic links are
 * written as links, submodules are left out. A tree entry whose name
 * would leave @p dir (`..`, a `/`, `.git`) stops the export.
 *
 * @return 0; PLATCI_ENOTFOUND (unknown revision); PLATCI_EUNSAFE (an
 *         entry name that would leave @p dir); PLATCI_EIO (a file could
 *         not be written, with a diagnostic); PLATCI_ERROR (libgit2);
 *         PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_git_export(platci_git *git, const char *rev, const char *dir, platci_diag *diag);

PLATCI_END_DECL

#endif
