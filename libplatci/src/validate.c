/*
 * platci-validate's library side. For now: every YAML file under the
 * gitops root and every policy file is loaded through the document model;
 * syntax errors, duplicate keys, limits and unreadable files become
 * findings. Files load on worker threads; results are merged in file
 * order so the output does not depend on scheduling.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "platci/fs.h"
#include "platci/validate.h"
#include "util/common.h"
#include "util/banned.h"

typedef struct file_list {
	char **items;
	size_t count, alloc;
} file_list;

typedef struct file_result {
	platci_diag *diag;
	size_t documents;
	size_t nodes;
	int error;
	int empty;
} file_result;

typedef struct work {
	const platci_config *cfg;
	const platci_validate_options *opts;
	char **files;
	size_t count;
	file_result *results;
	size_t next;
	pthread_mutex_t lock;
} work;

int platci_validate_options_init(platci_validate_options *opts, unsigned int version)
{
	platci_validate_options init = PLATCI_VALIDATE_OPTIONS_INIT;

	if (version != PLATCI_VALIDATE_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

static int list_add(file_list *l, const char *rel)
{
	char *c;

	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i], rel) == 0)
			return 0;
	if (platci__grow_array((void **)&l->items, &l->alloc, l->count + 2, sizeof(char *)) < 0)
		return PLATCI_ENOMEM;
	if (!(c = platci__strdup(rel)))
		return PLATCI_ENOMEM;
	l->items[l->count++] = c;
	l->items[l->count] = NULL;
	return 0;
}

static int is_yaml_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

/* Walks @p rel under @p root; symbolic links are not followed into directories. */
static int walk(file_list *l, const char *root, const char *rel, size_t depth)
{
	platci_buf full = PLATCI_BUF_INIT, child = PLATCI_BUF_INIT;
	DIR *d = NULL;
	struct dirent *de;
	int error = 0;

	if (depth > 64)
		return 0;
	platci_buf_printf(&full, "%s/%s", root, rel);
	if (full.error) {
		error = full.error;
		goto done;
	}
	if (!(d = opendir(full.ptr)))
		goto done; /* a missing gitops root has nothing to validate */
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		platci_buf_clear(&child);
		platci_buf_printf(&child, "%s/%s", rel, de->d_name);
		platci_buf_clear(&full);
		platci_buf_printf(&full, "%s/%s", root, child.ptr);
		if (child.error || full.error) {
			error = PLATCI_ENOMEM;
			goto done;
		}
		if (lstat(full.ptr, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if ((error = walk(l, root, child.ptr, depth + 1)) < 0)
				goto done;
		} else if (is_yaml_name(de->d_name)) {
			if ((error = list_add(l, child.ptr)) < 0)
				goto done;
		}
	}
done:
	if (d)
		closedir(d);
	platci_buf_dispose(&full);
	platci_buf_dispose(&child);
	return error;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void platci_validate_files_free(char **files)
{
	if (!files)
		return;
	for (char **p = files; *p; p++)
		free(*p);
	free(files);
}

int platci_validate_list_files(char ***out, const platci_config *cfg, platci_diag *diag)
{
	const platci_policy_paths *pol = platci_config_policies(cfg);
	const char *policy_files[4] = { pol->manifests, pol->gates, pol->scan, pol->drift };
	file_list l = { NULL, 0, 0 };
	int error = 0;

	(void)diag;
	*out = NULL;
	if ((error = walk(&l, platci_config_root(cfg), platci_config_gitops_root(cfg), 0)) < 0)
		goto done;
	for (size_t i = 0; i < 4; i++)
		if (policy_files[i] && (error = list_add(&l, policy_files[i])) < 0)
			goto done;
	if (!l.items) {
		l.items = calloc(1, sizeof(char *));
		PLATCI_CHECK_ALLOC(l.items);
	}
	qsort(l.items, l.count, sizeof(char *), cmp_str);
	*out = l.items;
	l.items = NULL;
done:
	if (l.items) {
		l.items[l.count] = NULL;
		platci_validate_files_free(l.items);
	}
	return error;
}

static void load_one(work *w, size_t i)
{
	file_result *r = &w->results[i];
	platci_buf full = PLATCI_BUF_INIT, data = PLATCI_BUF_INIT;
	platci_doc *doc = NULL;
	const platci_doc_options *dopts = &w->opts->doc;
	size_t max = dopts->max_file_size ? dopts->max_file_size : 64u * 1024 * 1024, size;
	char *bytes;

	if (platci_diag_new(&r->diag) < 0) {
		r->error = PLATCI_ENOMEM;
		return;
	}
	platci_buf_printf(&full, "%s/%s", platci_config_root(w->cfg), w->files[i]);
	if (full.error) {
		r->error = PLATCI_ENOMEM;
		goto done;
	}
	if ((r->error = platci_fs_read(&data, full.ptr, max, r->diag)) < 0)
		goto done;
	r->empty = data.size == 0;
	size = data.size;
	bytes = platci_buf_detach(&data);
	if (!bytes) {
		r->error = PLATCI_ENOMEM;
		goto done;
	}
	r->error = platci_doc__load_owned(&doc, w->files[i], bytes, size, dopts, r->diag);
done:
	if (doc) {
		r->documents = platci_doc_count(doc);
		r->nodes = platci_doc_node_total(doc);
	}
	platci_doc_free(doc);
	platci_buf_dispose(&full);
	platci_buf_dispose(&data);
}

static void *worker(void *arg)
{
	work *w = arg;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&w->lock);
		i = w->next++;
		pthread_mutex_unlock(&w->lock);
		if (i >= w->count)
			break;
		load_one(w, i);
	}
	return NULL;
}

static const char *rule_for(int code)
{
	switch (code) {
	case PLATCI_EDUPLICATE: return "yaml.duplicate-key";
	case PLATCI_ELIMIT: return "yaml.limit";
	case PLATCI_ENOTFOUND:
	case PLATCI_EIO: return "file.unreadable";
	default: return "yaml.syntax";
	}
}

static int add_file_findings(platci_findings *findings, const platci_config *cfg,
	const char *file, const file_result *r)
{
	const platci_env *env = platci_config_env_for_path(cfg, file);
	int error = 0;

	for (size_t k = 0; k < platci_diag_count(r->diag) && !error; k++) {
		const platci_diag_entry *e = platci_diag_get(r->diag, k);
		platci_finding f;
		char key[64];

		memset(&f, 0, sizeof(f));
		f.rule_id = rule_for(e->code);
		f.severity = e->code == PLATCI_EDUPLICATE ? PLATCI_SEVERITY_MAJOR : PLATCI_SEVERITY_BLOCKER;
		f.enforcement = PLATCI_ENFORCE_DENY;
		f.message = e->message;
		f.file = file;
		f.line = e->line;
		f.column = e->column;
		f.env = env ? env->name : NULL;
		/* Syntax errors have no stable identity but their kind; one per file. */
		snprintf(key, sizeof(key), "%s#%zu", f.rule_id, k);
		f.key = key;
		error = platci_findings_add(findings, &f);
	}
	if (!error && r->empty) {
		platci_finding f;
		memset(&f, 0, sizeof(f));
		f.rule_id = "yaml.empty-file";
		f.severity = PLATCI_SEVERITY_INFO;
		f.enforcement = PLATCI_ENFORCE_WARN;
		f.message = "the file is empty";
		f.file = file;
		f.env = env ? env->name : NULL;
		error = platci_findings_add(findings, &f);
	}
	return error;
}

int platci_validate_run(const platci_config *cfg, const platci_validate_options *opts,
	platci_findings *findings, platci_validate_stats *stats, platci_diag *diag)
{
	platci_validate_options defaults = PLATCI_VALIDATE_OPTIONS_INIT;
	pthread_t threads[8];
	size_t nthreads = 0, started = 0;
	work w;
	int error = 0;

	memset(&w, 0, sizeof(w));
	if (!opts)
		opts = &defaults;
	if (opts->version != PLATCI_VALIDATE_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	if ((error = platci_validate_list_files(&w.files, cfg, diag)) < 0)
		return error;
	for (w.count = 0; w.files[w.count]; w.count++)
		;
	w.cfg = cfg;
	w.opts = opts;
	w.results = calloc(w.count ? w.count : 1, sizeof(*w.results));
	PLATCI_CHECK_ALLOC(w.results);
	pthread_mutex_init(&w.lock, NULL);

	nthreads = opts->threads;
	if (!nthreads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		nthreads = n > 0 ? (size_t)n : 1;
	}
	if (nthreads > PLATCI_ARRAY_SIZE(threads))
		nthreads = PLATCI_ARRAY_SIZE(threads);
	if (nthreads > w.count / 8 + 1)
		nthreads = w.count / 8 + 1;
	for (size_t t = 1; t < nthreads; t++)
		if (pthread_create(&threads[started], NULL, worker, &w) == 0)
			started++;
	worker(&w);
	for (size_t t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	pthread_mutex_destroy(&w.lock);

	for (size_t i = 0; i < w.count; i++) {
		if (w.results[i].error == PLATCI_ENOMEM) {
			error = PLATCI_ENOMEM;
			goto done;
		}
		if ((error = add_file_findings(findings, cfg, w.files[i], &w.results[i])) < 0)
			goto done;
		if (stats) {
			stats->files++;
			stats->documents += w.results[i].documents;
			stats->nodes += w.results[i].nodes;
		}
	}
	platci_findings_sort(findings);
done:
	for (size_t i = 0; w.results && i < w.count; i++)
		platci_diag_free(w.results[i].diag);
	free(w.results);
	platci_validate_files_free(w.files);
	return error;
}
