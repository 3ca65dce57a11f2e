/*
 * The worker threads of a validation run. Each phase hands out files one
 * at a time; every result lands in that file's own slot, so the output
 * never depends on which thread took which file. The locks live only as
 * long as the phase that uses them.
 */
#include <pthread.h>
#include <string.h>

#include "validate_int.h"
#include "util/common.h"
#include "util/banned.h"

typedef struct work {
	vctx *v;
	int phase; /* PHASE_LOAD or PHASE_CHECK */
	size_t next; /* the next file to hand out */
	pthread_mutex_t lock; /* guards next */
	pthread_mutex_t usage_lock; /* guards v->usage */
} work;

/* Phase 1 for one file: parse it if it waited, check every document, then let it go. */
static void check_one(vctx *v, size_t i, size_t *usage)
{
	file_result *r = &v->results[i];
	int rc = 0;

	if (!r->structural && r->role != ROLE_KFILE && r->role != ROLE_POLICY &&
		(rc = platci_validate__parse(v, r, v->files[i])) < 0)
		goto done;
	if (!r->doc)
		goto done;
	if ((rc = platci_validate__keep_ids(r)) < 0 ||
		(rc = platci_validate__schema_file(v, i)) < 0) /* objects and patches, by role */
		goto done;
	if (r->role == ROLE_KFILE || r->role == ROLE_AUX || r->role == ROLE_POLICY)
		goto done;
	for (size_t d = 0; d < platci_doc_count(r->doc) && rc == 0; d++)
		rc = platci_validate__check_doc(v, i, d, usage);
done:
	if (rc < 0)
		r->error = rc;
	/* ordinary files are done with: free them now so memory does not grow with the tree */
	if (!r->structural) {
		platci_doc_free(r->doc);
		r->doc = NULL;
	}
}

static void *worker(void *arg)
{
	work *w = arg;
	vctx *v = w->v;
	size_t *usage = NULL;
	size_t nexc = w->phase == PHASE_CHECK ? platci_policy_exception_count(v->policy) : 0;

	if (nexc)
		usage = calloc(nexc, sizeof(size_t));
	for (;;) {
		size_t i;

		pthread_mutex_lock(&w->lock);
		i = w->next++;
		pthread_mutex_unlock(&w->lock);
		if (i >= v->count)
			break;
		if (w->phase == PHASE_LOAD)
			platci_validate__load_file(v, i);
		else
			check_one(v, i, usage);
	}
	if (usage) {
		pthread_mutex_lock(&w->usage_lock);
		for (size_t i = 0; i < nexc; i++)
			v->usage[i] += usage[i];
		pthread_mutex_unlock(&w->usage_lock);
		free(usage);
	}
	return NULL;
}

int platci_validate__run_phase(vctx *v, int phase, size_t nthreads)
{
	pthread_t threads[8];
	size_t started = 0;
	work w;

	memset(&w, 0, sizeof(w));
	w.v = v;
	w.phase = phase;
	if (pthread_mutex_init(&w.lock, NULL) != 0)
		return PLATCI_ERROR;
	if (pthread_mutex_init(&w.usage_lock, NULL) != 0) {
		pthread_mutex_destroy(&w.lock);
		return PLATCI_ERROR;
	}
	if (nthreads > PLATCI_ARRAY_SIZE(threads))
		nthreads = PLATCI_ARRAY_SIZE(threads);
	if (nthreads > v->count / 8 + 1)
		nthreads = v->count / 8 + 1;
	for (size_t t = 1; t < nthreads; t++)
		if (pthread_create(&threads[started], NULL, worker, &w) == 0)
			started++;
	worker(&w);
	for (size_t t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	pthread_mutex_destroy(&w.usage_lock);
	pthread_mutex_destroy(&w.lock);
	return 0;
}
