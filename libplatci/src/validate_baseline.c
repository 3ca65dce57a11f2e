/*
 * The comparison with a merge request's merge base, as GitLab's Code
 * Quality widget compares a merge request with its target branch: by
 * fingerprint (rule, environment, file, stable key; never the line).
 * Findings the change introduces keep their level; findings that already
 * existed are reported as existing, at the level platci.yaml sets
 * (`validate.existing`, default warn), so debt on the target branch does
 * not block unrelated merge requests; findings the change removes are
 * listed as fixed.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platci/path.h"
#include "validate_int.h"
#include "util/common.h"
#include "util/banned.h"

/* A fingerprint and how many findings of a list carry it. */
typedef struct fp_count {
	const char *fp;
	size_t n;
} fp_count;

typedef struct fp_set {
	fp_count *items;
	size_t count;
} fp_set;

static int cmp_fp(const void *a, const void *b)
{
	return strcmp(((const fp_count *)a)->fp, ((const fp_count *)b)->fp);
}

/* The fingerprints of @p list, sorted, each once with its count. */
static int fp_set_of(fp_set *out, const platci_findings *list)
{
	size_t n = platci_findings_count(list), w = 0;

	out->count = 0;
	if (!(out->items = calloc(n + 1, sizeof(fp_count))))
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		out->items[i].fp = platci_findings_at(list, i)->fingerprint;
		out->items[i].n = 1;
	}
	if (n)
		qsort(out->items, n, sizeof(fp_count), cmp_fp);
	for (size_t i = 0; i < n; i++) {
		if (w && strcmp(out->items[w - 1].fp, out->items[i].fp) == 0)
			out->items[w - 1].n++;
		else
			out->items[w++] = out->items[i];
	}
	out->count = w;
	return 0;
}

/* Takes one finding with fingerprint @p fp out of @p set: 1 when there was one left. */
static int fp_take(fp_set *set, const char *fp)
{
	fp_count key = { fp, 0 };
	fp_count *hit = set->count ? bsearch(&key, set->items, set->count, sizeof(fp_count), cmp_fp) : NULL;

	if (!hit || !hit->n)
		return 0;
	hit->n--;
	return 1;
}

/* Base findings the head no longer has: the change fixed them. */
static int list_fixed(platci_findings *fixed, const platci_findings *head_all, const platci_findings *base)
{
	fp_set head = { NULL, 0 };
	int error = fp_set_of(&head, head_all);

	for (size_t i = 0; !error && i < platci_findings_count(base); i++) {
		platci_finding f = *platci_findings_at(base, i);
		if (fp_take(&head, f.fingerprint))
			continue;
		f.baseline = PLATCI_BASELINE_FIXED;
		error = platci_findings_add(fixed, &f);
	}
	free(head.items);
	if (!error)
		platci_findings_sort(fixed);
	return error;
}

int platci_validate__compare(platci_findings *out, const platci_findings *kept,
	const platci_findings *head_all, const platci_findings *base, platci_enforcement existing,
	platci_findings *fixed)
{
	fp_set at_base = { NULL, 0 };
	int error = fp_set_of(&at_base, base);

	/* copies keep their fingerprint: the level changes, the identity does not */
	for (size_t i = 0; !error && i < platci_findings_count(kept); i++) {
		platci_finding f = *platci_findings_at(kept, i);
		if (fp_take(&at_base, f.fingerprint)) {
			f.baseline = PLATCI_BASELINE_EXISTING;
			if (existing == PLATCI_ENFORCE_WARN)
				f.enforcement = PLATCI_ENFORCE_WARN;
		} else {
			f.baseline = PLATCI_BASELINE_NEW;
		}
		error = platci_findings_add(out, &f);
	}
	free(at_base.items);
	if (!error && fixed)
		error = list_fixed(fixed, head_all, base);
	return error;
}

/* Where @p path (on disk) lies inside @p workdir, as a repo-relative path ("." for the top). */
static int inside(platci_buf *out, const char *workdir, const char *path)
{
	char real_top[PATH_MAX], real[PATH_MAX];
	size_t n;

	if (!realpath(workdir, real_top) || !realpath(path, real))
		return PLATCI_ENOTFOUND;
	n = strlen(real_top);
	while (n > 1 && real_top[n - 1] == '/')
		n--;
	if (strncmp(real, real_top, n) != 0 || (real[n] != '/' && real[n] != '\0'))
		return PLATCI_ENOTFOUND;
	platci_buf_clear(out);
	platci_buf_puts(out, real[n] ? real + n + 1 : ".");
	return out->error;
}

static int not_at_base(platci_diag *diag, const char *what, const char *rev)
{
	platci_diag_entry e;

	memset(&e, 0, sizeof(e));
	e.level = PLATCI_DIAG_WARNING;
	e.code = PLATCI_ENOTFOUND;
	platci_diag_add(diag, &e, "%s is not at %s: findings are not compared with it", what, rev);
	return PLATCI_ENOTFOUND;
}

int platci_validate_base_config(platci_config **out, const platci_config *cfg, platci_git *git,
	const char *rev, const char *dir, platci_diag *diag)
{
	platci_buf root = PLATCI_BUF_INIT, file = PLATCI_BUF_INIT, path = PLATCI_BUF_INIT;
	platci_buf broot = PLATCI_BUF_INIT;
	const char *workdir = platci_git_workdir(git);
	int error;

	*out = NULL;
	if (!workdir || inside(&root, workdir, platci_config_root(cfg)) < 0 ||
		inside(&file, workdir, platci_config_path(cfg)) < 0) {
		error = not_at_base(diag, "the configuration's repository", rev);
		goto done;
	}
	if ((error = platci_git_export(git, rev, dir, diag)) < 0 ||
		(error = platci_path_on_disk(&path, dir, file.ptr)) < 0 ||
		(error = platci_path_on_disk(&broot, dir, root.ptr)) < 0)
		goto done;
	if (access(path.ptr, F_OK) != 0) {
		error = not_at_base(diag, file.ptr, rev);
		goto done;
	}
	error = platci_config_load(out, path.ptr, broot.ptr, NULL, diag);
done:
	platci_buf_dispose(&root);
	platci_buf_dispose(&file);
	platci_buf_dispose(&path);
	platci_buf_dispose(&broot);
	return error;
}
