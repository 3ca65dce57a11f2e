/*
 * The file walk and phase 0 of a validation run: which YAML files the run
 * reads, reading them, parsing those the tree model needs, and turning a
 * file's YAML problems into findings.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "platci/fs.h"
#include "platci/path.h"
#include "validate_int.h"
#include "util/common.h"
#include "util/walk.h"
#include "util/banned.h"

typedef struct file_list {
	char **items;
	size_t count, alloc;
} file_list;

static int list_add(file_list *l, const char *rel, int dedupe)
{
	char *c;

	for (size_t i = 0; dedupe && i < l->count; i++)
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

/* A Helm chart's templates are not YAML until helm renders them: charts are left out. */
static int is_chart_dir(const char *full)
{
	platci_buf chart = PLATCI_BUF_INIT;
	int yes = platci_path_on_disk(&chart, full, "Chart.yaml") == 0 && access(chart.ptr, F_OK) == 0;

	platci_buf_dispose(&chart);
	return yes;
}

static int collect_yaml(const char *rel, const char *full, const struct stat *st, void *payload)
{
	if (S_ISDIR(st->st_mode))
		return is_chart_dir(full) ? PLATCI__WALK_SKIP : 0;
	return is_yaml_name(rel) ? list_add(payload, rel, 0) : 0;
}

/* Every YAML file under the gitops root; symbolic links are not followed into directories. */
static int walk(file_list *l, const char *root, const char *rel)
{
	platci_buf full = PLATCI_BUF_INIT;
	int error;

	if ((error = platci_path_on_disk(&full, root, rel)) < 0)
		return error;
	if (!is_chart_dir(full.ptr))
		error = platci__walk(root, rel, 64, 0, collect_yaml, l);
	platci_buf_dispose(&full);
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
	if ((error = walk(&l, platci_config_root(cfg), platci_config_gitops_root(cfg))) < 0)
		goto done;
	for (size_t i = 0; i < 4; i++)
		if (policy_files[i] && (error = list_add(&l, policy_files[i], 1)) < 0)
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

/* 1 when @p needle occurs in the @p len bytes at @p hay (memmem is not C11). */
int platci_validate__contains(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	const char *p = hay, *end = hay + len;

	if (!n || len < n)
		return 0;
	while ((p = memchr(p, needle[0], (size_t)(end - p))) != NULL) {
		if ((size_t)(end - p) < n)
			return 0;
		if (memcmp(p, needle, n) == 0)
			return 1;
		p++;
	}
	return 0;
}

int platci_validate__parse(vctx *v, file_result *r, const char *file)
{
	char *bytes = r->bytes;
	size_t len = r->len;

	r->bytes = NULL;
	r->len = 0;
	if (!bytes)
		return 0;
	r->error = platci_doc__load_owned(&r->doc, file, bytes, len, &v->opts->doc, r->diag);
	if (r->doc) {
		r->documents = platci_doc_count(r->doc);
		r->nodes = platci_doc_node_count(r->doc);
	}
	return r->error == PLATCI_ENOMEM ? PLATCI_ENOMEM : 0;
}

/*
 * Reads a whole file into an exact-size buffer (the bytes wait in memory
 * until the check phase, so no slack). Anything unusual (not a regular
 * file, over the cap, a read error) goes through platci_fs_read() for its
 * diagnostics.
 */
static int read_exact(char **out, size_t *len, const char *path, size_t max, platci_diag *diag)
{
	struct stat st;
	platci_buf b = PLATCI_BUF_INIT;
	size_t size, got = 0;
	char *data = NULL;
	int fd, error;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
		(max && (unsigned long long)st.st_size > max))
		goto slow;
	size = (size_t)st.st_size;
	if (!(data = malloc(size + 1))) {
		close(fd);
		return PLATCI_ENOMEM;
	}
	while (got < size) {
		ssize_t n = read(fd, data + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto slow;
		if (n == 0)
			break; /* the file shrank: take what is there */
		got += (size_t)n;
	}
	close(fd);
	data[got] = '\0';
	*out = data;
	*len = got;
	return 0;
slow:
	if (fd >= 0)
		close(fd);
	free(data);
	if ((error = platci_fs_read(&b, path, max, diag)) == 0) {
		*len = b.size;
		if (!(*out = platci_buf_detach(&b)))
			error = PLATCI_ENOMEM;
	}
	platci_buf_dispose(&b);
	return error;
}

/* Files the tree phase needs: kustomizations, Flux objects, kinds `related` conditions look up. */
static int is_structural(const vctx *v, const char *file, const file_result *r)
{
	if (platci_kustomize_is_kfile_name(file) || platci_validate__contains(r->bytes, r->len, "fluxcd.io"))
		return 1;
	for (size_t k = 0; v->policy && platci_policy_related_kind_at(v->policy, k); k++)
		if (platci_validate__contains(r->bytes, r->len, platci_policy_related_kind_at(v->policy, k)))
			return 1;
	return 0;
}

/*
 * Phase 0: read every file. Files the tree phase needs are parsed now and
 * kept; the rest wait as bytes, are parsed in the check phase and freed
 * right after, so memory stays flat.
 */
void platci_validate__load_file(vctx *v, size_t i)
{
	file_result *r = &v->results[i];
	platci_buf full = PLATCI_BUF_INIT;
	const platci_doc_options *dopts = &v->opts->doc;
	size_t max = dopts->max_file_size ? dopts->max_file_size : 64u * 1024 * 1024;

	if (platci_diag_new(&r->diag) < 0 || platci_findings_new(&r->findings) < 0) {
		r->error = PLATCI_ENOMEM;
		return;
	}
	if ((r->error = platci_path_on_disk(&full, platci_config_root(v->cfg), v->files[i])) < 0)
		goto done;
	if ((r->error = read_exact(&r->bytes, &r->len, full.ptr, max, r->diag)) < 0)
		goto done;
	r->empty = r->len == 0;
	r->structural = is_structural(v, v->files[i], r);
	if (r->structural)
		platci_validate__parse(v, r, v->files[i]);
done:
	platci_buf_dispose(&full);
}

static const char *rule_for(int code)
{
	switch (code) {
	case PLATCI_EDUPLICATE:
		return "yaml.duplicate-key";
	case PLATCI_ELIMIT:
		return "yaml.limit";
	case PLATCI_ENOTFOUND:
	case PLATCI_EIO:
		return "file.unreadable";
	default:
		return "yaml.syntax";
	}
}

int platci_validate__file_findings(platci_findings *out, const char *file, const file_result *r)
{
	int error = 0;

	for (size_t k = 0; k < platci_diag_count(r->diag) && !error; k++) {
		const platci_diag_entry *e = platci_diag_at(r->diag, k);
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
		f.env = r->env;
		/* Syntax errors have no stable identity but their kind; one per file. */
		snprintf(key, sizeof(key), "%s#%zu", f.rule_id, k);
		f.key = key;
		error = platci_findings_add(out, &f);
	}
	if (!error && r->empty) {
		platci_finding f;
		memset(&f, 0, sizeof(f));
		f.rule_id = "yaml.empty-file";
		f.severity = PLATCI_SEVERITY_INFO;
		f.enforcement = PLATCI_ENFORCE_WARN;
		f.message = "the file is empty";
		f.file = file;
		f.env = r->env;
		error = platci_findings_add(out, &f);
	}
	return error;
}

void platci_validate__file_dispose(file_result *r)
{
	platci_diag_free(r->diag);
	platci_findings_free(r->findings);
	platci_doc_free(r->doc);
	free(r->bytes);
	platci_validate__labels_dispose(r);
	platci_validate__ids_dispose(r);
}
