/**
 * @file platci/render.h
 * @brief The real kustomize and helm, run as child processes, and what
 *        Flux adds around them: postBuild substitution and Secret masking.
 *
 * platci never re-implements kustomize or helm (docs/render.md). This
 * module finds the tools, runs them without a shell (posix_spawn, pipes,
 * a timeout, a minimal environment) and implements the few Flux rules
 * that happen after the build: `postBuild` variable substitution with
 * Flux's `${var}`, `${var:=default}`, `${var:-default}` and `$${var}`
 * rules. The per-cluster model (fluxmodel.h) drives it.
 */
#ifndef PLATCI_RENDER_H
#define PLATCI_RENDER_H

#include "buf.h"
#include "diag.h"

#define PLATCI_RENDER_TOOL_PATH 1024

/** The tools a render runs, and their versions (they key the cache). */
typedef struct platci_render_tools {
	char kustomize[PLATCI_RENDER_TOOL_PATH]; /**< absolute path; "" when absent */
	int kustomize_is_kubectl; /**< 1: run as `kubectl kustomize` */
	char kustomize_version[64]; /**< e.g. "v5.4.2" */
	char helm[PLATCI_RENDER_TOOL_PATH]; /**< absolute path; "" when absent */
	char helm_version[64]; /**< e.g. "v3.17.3" */
	char tmp_dir[PLATCI_RENDER_TOOL_PATH]; /**< where builds stage files; default /tmp */
} platci_render_tools;

/** One child process run. */
typedef struct platci_render_run {
	int exit_code; /**< the child's exit status; -1 when killed or not started */
	int timed_out; /**< 1 when the timeout killed it */
	platci_buf out; /**< stdout */
	platci_buf err; /**< stderr */
} platci_render_run;

PLATCI_BEGIN_DECL

/**
 * Looks for `kustomize`, else `kubectl` (for `kubectl kustomize`), and
 * `helm` in the colon-separated @p path_list (the caller passes $PATH:
 * the library reads no environment), then asks each for its version. With
 * @p cache_dir (may be NULL) the answers are kept there, keyed by each
 * binary's path, size, time and inode. @p tmp_dir (NULL: /tmp) is where
 * builds stage their files.
 * @return 0 (missing tools leave their field ""), PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_render_tools_find(platci_render_tools *out, const char *path_list, const char *tmp_dir,
	const char *cache_dir);

/**
 * Runs @p argv[0] (an absolute path) with @p argv, no shell, stdin from
 * /dev/null, the environment @p envp (NULL-terminated; NULL gives an
 * empty one), killing it after @p timeout_ms (0: 120 s). Output beyond
 * @p max_out bytes per stream (0: 256 MiB) fails the run.
 * @p run is initialised here; free its buffers with platci_render_run_dispose().
 * @return 0 when the child ran (whatever its exit code), PLATCI_EIO when
 *         it could not be started, PLATCI_ELIMIT for too much output.
 */
PLATCI_EXTERN(int)
platci_render_exec(platci_render_run *run, const char *const *argv, const char *const *envp,
	unsigned int timeout_ms, size_t max_out);

/** Frees the buffers of @p run. */
PLATCI_EXTERN(void) platci_render_run_dispose(platci_render_run *run);

/** Looks a substitution variable up. @return the value, or NULL when undefined. */
typedef const char *(*platci_render_lookup_fn)(const char *name, size_t len, void *payload);

/**
 * Flux postBuild substitution of @p len bytes of @p in into @p out:
 * `${var}` (an undefined variable becomes ""), `${var:=default}` and
 * `${var:-default}` (the default when undefined or empty), `${var=d}` and
 * `${var-d}` (the default when undefined), and `$${...}` kept as the
 * literal `${...}`. A bare `$var` is left alone, as Flux does. Each
 * undefined variable without a default is appended to @p missing (may be
 * NULL) as its name and a newline, once.
 * @return 0, PLATCI_ESYNTAX (an unterminated `${`), PLATCI_ENOMEM.
 */
PLATCI_EXTERN(int)
platci_render_substitute(platci_buf *out, const char *in, size_t len,
	platci_render_lookup_fn lookup, void *payload, platci_buf *missing);

/** 1 when @p name is a valid Flux variable name (`^[_[:alpha:]][_[:alpha:][:digit:]]*$`). */
PLATCI_EXTERN(int) platci_render_var_name_ok(const char *name, size_t len);

PLATCI_END_DECL

#endif
