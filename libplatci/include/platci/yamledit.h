/**
 * @file platci/yamledit.h
 * @brief In-place edits of YAML bytes, and all-or-nothing writes of several files.
 *
 * YAML is never re-emitted. A scalar located by platci/doc.h (its byte
 * range `[start, end)`) is replaced by the new value written in the old
 * scalar's style; every other byte (comments, setter markers, key order,
 * indentation, `\r\n` line ends, block scalars, `${VAR}` placeholders, the
 * final newline) stays as it was.
 *
 * Quoting: a plain scalar stays plain unless the new value would read
 * back as something else (a number, a boolean, null, a date, or text
 * YAML cannot hold plain); then it becomes double-quoted. Quoted scalars
 * keep their quotes. Block scalars (`|`, `>`) and values with line breaks
 * or control characters are refused.
 */
#ifndef PLATCI_YAMLEDIT_H
#define PLATCI_YAMLEDIT_H

#include "buf.h"
#include "diag.h"
#include "doc.h"

/** One edit: replace bytes `[start, end)` (start == end inserts). */
typedef struct platci_yamledit {
	size_t start;
	size_t end;
	const char *value; /**< the new scalar value (unquoted), or raw bytes when @p raw */
	platci_node_style style; /**< style of the scalar being replaced (ignored when @p raw) */
	int raw; /**< non-zero: insert @p value as it is (structural edits) */
} platci_yamledit;

typedef struct platci_yamledit_files platci_yamledit_files;

PLATCI_BEGIN_DECL

/**
 * 1 when @p value, written as a plain scalar, would not read back as the
 * same string under YAML 1.1 or 1.2 (`42`, `1.10`, `1e3`, `0755`, `true`,
 * `on`, `~`, `null`, `2026-01-31`, an empty string, leading indicators,
 * `: ` or ` #` inside, surrounding spaces...). 0 otherwise.
 */
PLATCI_EXTERN(int) platci_yamledit_needs_quotes(const char *value);

/**
 * Appends @p value written as a scalar of @p style to @p out: plain
 * (double-quoted when platci_yamledit_needs_quotes()), single-quoted
 * (`'` doubled) or double-quoted (`"` and `\` escaped).
 *
 * @return 0; PLATCI_EDATA for block styles and values holding line
 *         breaks or control characters; PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_yamledit_render_scalar(platci_buf *out, const char *value, platci_node_style style);

/**
 * Applies @p n edits to @p len bytes of @p src and writes the result to
 * @p out (replacing its contents). Edits may come in any order; they must
 * not overlap and must lie inside the input.
 *
 * @param name labels diagnostics (the file name)
 * @return 0; PLATCI_EINVALID (overlapping or out-of-range edits);
 *         PLATCI_EDATA (a value that cannot be written in place, with the
 *         position in @p diag); PLATCI_ENOMEM. @p out holds nothing useful
 *         on failure.
 */
PLATCI_EXTERN(int)
platci_yamledit_apply(platci_buf *out, const char *src, size_t len, const platci_yamledit *edits,
	size_t n, const char *name, platci_diag *diag);

/** Creates an empty set of pending file contents. @return 0 or PLATCI_ENOMEM. */
PLATCI_EXTERN(int) platci_yamledit_files_new(platci_yamledit_files **out);

/** Frees the set without writing anything. NULL is a no-op. */
PLATCI_EXTERN(void) platci_yamledit_files_free(platci_yamledit_files *files);

/**
 * Records the new contents of @p path (both copied); a second call for
 * the same path replaces the first. Nothing is written yet.
 * @return 0 or PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_yamledit_files_put(platci_yamledit_files *files, const char *path, const char *data, size_t len);

/** Number of files recorded. */
PLATCI_EXTERN(size_t) platci_yamledit_files_count(const platci_yamledit_files *files);

/**
 * Writes every recorded file, all or nothing: first a synced temporary
 * file next to each target (keeping the old file's permissions), then the
 * renames. When a temporary file cannot be written, every temporary file
 * is removed and no target changes; when a rename fails, the files
 * already renamed get their old contents back.
 *
 * @return 0 or PLATCI_EIO (with a diagnostic naming the file).
 */
PLATCI_EXTERN(int) platci_yamledit_files_commit(platci_yamledit_files *files, platci_diag *diag);

PLATCI_END_DECL

#endif
