/* Internals shared by fluxmodel*.c and render_*.c. */
#ifndef PLATCI_FLUXMODEL_INT_H
#define PLATCI_FLUXMODEL_INT_H

#include <limits.h>
#include <pthread.h>

#include "platci/fluxmodel.h"
#include "util/arena.h"
#include "util/strmap.h"

enum ks_state { KS_PENDING = 0, KS_BUILT, KS_DONE };

typedef struct render_index render_index;

/* One entry of a processed build: an object's text and where it comes from. */
typedef struct render_item {
	char *yaml;
	size_t len;
	platci_fluxmodel_loc loc;
} render_item;

/* What one kustomize (or helm) build gave: objects, or a failure with a place. */
typedef struct render_result {
	int failed;
	char *message; /* failure text, paths made repo-relative */
	platci_fluxmodel_loc loc; /* failure position, or file NULL: the Flux object's */
	render_item *items;
	size_t count, alloc;
	int from_cache;
} render_result;

typedef struct ks_int {
	const platci_node *spec;
	enum ks_state state;
	char target[PATH_MAX]; /* absolute folder to build */
	char key_text[512]; /* what names the target in the cache key */
	render_result result;
	int has_postbuild;
} ks_int;

typedef struct generator {
	const char *namespace_, *name;
	const platci_node *spec;
	platci_fluxmodel_loc loc;
	int expanded;
} generator;

typedef struct file_doc {
	char *path; /* repo-relative */
	platci_doc *doc;
} file_doc;

struct platci_fluxmodel {
	platci_arena arena;
	const char *env, *cluster;
	platci_fluxmodel_options opts;
	char root[PATH_MAX]; /* realpath of the repository */
	char staging[PATH_MAX]; /* this model's temporary folder */
	char staging_real[PATH_MAX];
	char digest[65]; /* the repository's files, for cache keys */
	render_index *index; /* each file's hash and the kustomize resolver (cache keys) */
	platci_findings *findings;
	platci_diag *diag;

	platci_fluxmodel_ks *ks;
	ks_int *ksi;
	size_t ks_count, ks_alloc;
	platci_fluxmodel_hr *hr;
	const platci_node **hr_spec;
	size_t hr_count, hr_alloc;
	platci_fluxmodel_source *src;
	const platci_node **src_spec;
	size_t src_count, src_alloc;
	generator *gen;
	size_t gen_count, gen_alloc;
	platci_fluxmodel_artifact *art;
	char (*art_dir)[PATH_MAX];
	size_t art_count, art_alloc;
	platci_fluxmodel_object *obj;
	platci_doc **obj_doc;
	size_t obj_count, obj_alloc;
	file_doc *files;
	size_t file_count, file_alloc;
	platci__strmap file_index; /* path -> position in files + 1 */

	size_t builds, cache_hits, batches;
	int too_many;
	char (*local_real)[PATH_MAX]; /* realpath of each --sources folder, "" when missing */
	char **noted; /* sources whose ignore rules were reported as not applied */
	size_t noted_count, noted_alloc;
};

/* A job the worker pool runs: fills result from the cache or a child process. */
typedef struct render_job {
	platci_fluxmodel *m;
	size_t index; /* Kustomization or HelmRelease */
	int helm;
	char **argv; /* the command line */
	char *wrapper; /* kustomize: the wrapper kustomization's text */
	char key[65]; /* identifies the build's inputs; "" when it was not built */
	int cacheable; /* the key covers every input (nothing outside the repository) */
	size_t dup_of; /* an earlier job of the same wave with the same key, or PLATCI_FLUX_NONE */
	render_result *result;
	platci_render_run run;
	int exec_error;
	int batched; /* its output came from a batch run */
} render_job;

/* fluxmodel.c */
char *platci_fluxmodel__strdup(platci_fluxmodel *m, const char *s);
int platci_fluxmodel__finding(platci_fluxmodel *m, const char *rule, int deny,
	const platci_fluxmodel_loc *loc, const char *key, const char *fmt, ...) PLATCI_PRINTF(6, 7);
const char *platci_fluxmodel__relpath(platci_fluxmodel *m, const char *abs);
int platci_fluxmodel__pos_of(platci_fluxmodel *m, platci_fluxmodel_loc *out, const char *rel,
	const char *kind, const char *name);
const platci_doc *platci_fluxmodel__file(platci_fluxmodel *m, const char *rel);
void platci_render__result_dispose(render_result *r);
int platci_render__result_add(render_result *r, const char *yaml, size_t len,
	const platci_fluxmodel_loc *loc, platci_fluxmodel *m);

/* fluxmodel_scan.c */
int platci_fluxmodel__secure_join(platci_buf *out, const char *path);
int platci_fluxmodel__ignore_notice(platci_fluxmodel *m, size_t src, const char *dir);
platci_fluxmodel_ref platci_fluxmodel__ref_of(platci_fluxmodel *m, const platci_node *n,
	const char *own_ns, const char *default_kind);
int platci_fluxmodel__scan_object(platci_fluxmodel *m, size_t obj, size_t parent);
int platci_fluxmodel__resolve_ks(platci_fluxmodel *m, size_t ks);
size_t platci_fluxmodel__find_src(const platci_fluxmodel *m, const char *kind, const char *ns,
	const char *name);
/* Source @p src's folder on disk into @p out (replacing it); NULL when it is not here. */
const char *platci_fluxmodel__source_dir_abs(platci_fluxmodel *m, size_t src, platci_buf *out);
const char *platci_fluxmodel__local_source(const platci_fluxmodel *m, const char *ns, const char *name);

/* fluxmodel_refs.c */
int platci_fluxmodel__check(platci_fluxmodel *m);

/* fluxmodel_check.c */
int platci_fluxmodel__add_object(platci_fluxmodel *m, size_t k, const char *text, size_t len,
	const platci_fluxmodel_loc *loc, size_t hr);
int platci_fluxmodel__finish_ks(platci_fluxmodel *m, size_t ks, int force);
size_t platci_fluxmodel__find_object(const platci_fluxmodel *m, const char *kind, const char *ns,
	const char *name);
const char *platci_fluxmodel__data_value(const platci_fluxmodel *m, size_t obj, const char *key,
	platci_buf *scratch);

/* render_util.c: snprintf that says when it cut (paths are checked, not silently truncated). */
int platci_render__fmt(char *out, size_t size, const char *fmt, ...) PLATCI_PRINTF(3, 4);

/* render_kustomize.c */
int platci_render__prepare_ks(render_job *job);
int platci_render__write_wrapper(render_job *job);
int platci_render__split_batch(render_job *batch, render_job *const *members, size_t count);
void platci_render__run_job(render_job *job);
int platci_render__process_ks(render_job *job);
int platci_render__emit_json(platci_buf *out, const platci_node *n, int typed);
void platci_render__pool(render_job *jobs, size_t count, unsigned int workers);
int platci_render__cache_get(platci_fluxmodel *m, const char *key, platci_buf *out);
void platci_render__cache_put(platci_fluxmodel *m, const char *key, const render_result *r);

/* render_batch.c */
int platci_render__run_wave(platci_fluxmodel *m, render_job *jobs, size_t n);
char **platci_render__kustomize_argv(platci_fluxmodel *m, const char *dir);

/* render_inputs.c */
int platci_render__index_new(render_index **out, platci_fluxmodel *m, const char *const *exclude,
	char digest[65]);
void platci_render__index_free(render_index *x);
int platci_render__index_key(platci_buf *key, render_index *x, const char *rel);

/* render_helm.c */
int platci_render__helm_all(platci_fluxmodel *m);

/* fluxmodel_artifact.c */
int platci_fluxmodel__expand_generator(platci_fluxmodel *m, size_t gen);

#endif
