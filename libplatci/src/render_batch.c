/*
 * A wave's builds: cached ones read back, the rest in a few batches (one
 * kustomize process builds many small Kustomizations: starting kustomize,
 * not the build, is most of the cost), each batch split back by the build
 * tag every member's wrapper stamps on its objects. A batch that fails (one
 * member's error, or two members' identical objects) runs again one build
 * at a time, so each failure is its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fluxmodel_int.h"
#include "platci/fs.h"
#include "util/common.h"
#include "util/banned.h"

#define BATCH_MAX 25

/* `kustomize build DIR` or `kubectl kustomize DIR`, with the controller's load restrictor. */
char **platci_render__kustomize_argv(platci_fluxmodel *m, const char *dir)
{
	const platci_render_tools *t = m->opts.tools;
	char **argv = calloc(6, sizeof(*argv));
	size_t i = 0;

	if (!argv)
		return NULL;
	argv[i++] = platci__strdup(t->kustomize);
	argv[i++] = platci__strdup(t->kustomize_is_kubectl ? "kustomize" : "build");
	argv[i++] = platci__strdup("--load-restrictor");
	argv[i++] = platci__strdup("LoadRestrictionsNone");
	argv[i++] = platci__strdup(dir);
	for (size_t j = 0; j < i; j++)
		if (!argv[j]) {
			for (size_t k = 0; k < i; k++)
				free(argv[k]);
			free(argv);
			return NULL;
		}
	return argv;
}

/* Batch @p b of this wave: a kustomization over its members' wrappers. */
static int write_batch(platci_fluxmodel *m, render_job *batch, size_t b, render_job *const *members,
	size_t count)
{
	platci_buf dir = PLATCI_BUF_INIT, text = PLATCI_BUF_INIT;
	int error;

	platci_buf_printf(&dir, "%s/w/batch-%zu-%zu", m->staging, m->batches, b);
	/* origins are recorded by the top kustomization of a build only */
	platci_buf_puts(&text, "buildMetadata: [originAnnotations]\nresources:\n");
	for (size_t j = 0; j < count; j++)
		platci_buf_printf(&text, "- ../%zu\n", members[j]->index);
	*batch = (render_job){ .m = m, .index = PLATCI_FLUX_NONE, .dup_of = PLATCI_FLUX_NONE };
	if ((error = platci_fs_mkdirs(dir.ptr, m->diag)) < 0)
		goto done;
	platci_buf_puts(&dir, "/kustomization.yaml");
	if ((error = dir.error ? dir.error
			       : platci_fs_write_atomic(dir.ptr, text.ptr, text.size, m->diag)) < 0)
		goto done;
	platci_buf_truncate(&dir, dir.size - strlen("/kustomization.yaml"));
	if (!(batch->argv = platci_render__kustomize_argv(m, dir.ptr)))
		error = PLATCI_ENOMEM;
done:
	platci_buf_dispose(&dir);
	platci_buf_dispose(&text);
	return error;
}

/* The pool takes an array of jobs: run these through a copy, then move the results back. */
static int run_alone(platci_fluxmodel *m, render_job *const *jobs, size_t count)
{
	render_job *copy = count ? calloc(count, sizeof(*copy)) : NULL;

	if (count && !copy)
		return PLATCI_ENOMEM;
	for (size_t j = 0; j < count; j++)
		copy[j] = *jobs[j];
	platci_render__pool(copy, count, m->opts.jobs);
	for (size_t j = 0; j < count; j++) {
		jobs[j]->run = copy[j].run;
		jobs[j]->exec_error = copy[j].exec_error;
	}
	free(copy);
	return 0;
}

int platci_render__run_wave(platci_fluxmodel *m, render_job *jobs, size_t n)
{
	render_job **todo = calloc(n + 1, sizeof(*todo)), *batches = NULL, **single = NULL;
	size_t count = 0, nb = 0, nsingle = 0;
	int error = 0;

	PLATCI_CHECK_ALLOC(todo);
	for (size_t j = 0; j < n; j++) {
		render_job *job = &jobs[j];
		if (!job->argv || job->dup_of != PLATCI_FLUX_NONE)
			continue;
		platci_buf_init(&job->run.out, 0);
		platci_buf_init(&job->run.err, 0);
		if (job->cacheable && platci_render__cache_get(m, job->key, &job->run.out) == 1)
			job->result->from_cache = 1;
		else
			todo[count++] = job;
	}
	if (count < 2) {
		if (count)
			platci_render__pool(todo[0], 1, 1);
		goto done;
	}
	nb = (count + BATCH_MAX - 1) / BATCH_MAX;
	if (nb < m->opts.jobs)
		nb = m->opts.jobs < count ? m->opts.jobs : count;
	batches = calloc(nb, sizeof(*batches));
	single = calloc(count, sizeof(*single));
	PLATCI_CHECK_ALLOC(batches);
	PLATCI_CHECK_ALLOC(single);
	m->batches++;
	for (size_t b = 0; b < nb && !error; b++)
		error = write_batch(m, &batches[b], b, todo + b * count / nb,
			(b + 1) * count / nb - b * count / nb);
	if (error < 0)
		goto done;
	platci_render__pool(batches, nb, m->opts.jobs);
	for (size_t b = 0; b < nb; b++) {
		size_t from = b * count / nb, to = (b + 1) * count / nb;
		m->builds++; /* the batch run itself */
		if (batches[b].exec_error < 0 || batches[b].run.exit_code != 0 ||
			platci_render__split_batch(&batches[b], todo + from, to - from) < 0) {
			for (size_t j = from; j < to; j++) {
				platci_render_run_dispose(&todo[j]->run);
				single[nsingle++] = todo[j];
			}
		} else {
			for (size_t j = from; j < to; j++)
				todo[j]->batched = 1;
		}
	}
	error = run_alone(m, single, nsingle);
done:
	for (size_t b = 0; batches && b < nb; b++) {
		platci_render_run_dispose(&batches[b].run);
		for (size_t i = 0; batches[b].argv && batches[b].argv[i]; i++)
			free(batches[b].argv[i]);
		free(batches[b].argv);
	}
	free(batches);
	free(single);
	free(todo);
	return error;
}
