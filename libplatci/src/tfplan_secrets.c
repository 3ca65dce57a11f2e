/*
 * Known secret values. Terraform marks sensitive paths, but a value can
 * leak through an unmarked attribute derived from a marked one
 * (terraform_data's `output` copies a sensitive `input` without a marker).
 * The rule: a string a marker hides is secret wherever it appears. Within
 * one change it is applied as the diff is made (platci_tfplan_change_diff
 * masks the unmarked copy); across the plan, every string the markers,
 * sensitive outputs and sensitive variables hide is remembered, and every
 * rendered text is scrubbed of those strings (platci_tfplan_mask).
 */
#include <string.h>

#include "platci/report.h"
#include "tfplan_int.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_SECRETS 256
#define MIN_SECRET 4 /* shorter values would mask ordinary words */

/* Stores the forms a secret can take in rendered text, computed once. */
static int remember_forms(json_t *set, const char *s)
{
	platci_buf md = PLATCI_BUF_INIT, mdj = PLATCI_BUF_INIT;
	json_t *str = json_string(s), *forms = NULL;
	char *enc = str ? json_dumps(str, JSON_ENCODE_ANY) : NULL;
	int error = PLATCI_ENOMEM;

	if (!enc)
		goto done;
	enc[strlen(enc) - 1] = '\0';
	platci_md_escape(&md, s);
	platci_md_escape(&mdj, enc + 1);
	if (md.error || mdj.error)
		goto done;
	forms = json_pack("[s, s, s, s]", s, enc + 1, md.ptr, mdj.ptr);
	if (forms && json_object_set_new(set, s, forms) == 0)
		error = 0;
done:
	json_decref(str);
	free(enc);
	platci_buf_dispose(&md);
	platci_buf_dispose(&mdj);
	return error;
}

/* A set of secrets: the plan's (p->secrets), or one change's. */
typedef struct secrets {
	json_t **set;
	size_t *dropped;
} secrets;

static int remember(secrets *p, const char *s)
{
	if (strlen(s) < MIN_SECRET)
		return 0;
	if (!*p->set && !(*p->set = json_object()))
		return PLATCI_ENOMEM;
	if (json_object_get(*p->set, s))
		return 0;
	if (json_object_size(*p->set) >= MAX_SECRETS) {
		(*p->dropped)++;
		return 0;
	}
	return remember_forms(*p->set, s);
}

static int collect_all(secrets *p, const json_t *v, int depth)
{
	const char *k;
	json_t *c;
	size_t i;
	int error = 0;

	if (depth > 64)
		return 0;
	if (json_is_string(v))
		return remember(p, json_string_value(v));
	if (json_is_object(v)) {
		json_object_foreach ((json_t *)v, k, c)
			if ((error = collect_all(p, c, depth + 1)) < 0)
				return error;
	} else if (json_is_array(v)) {
		json_array_foreach ((json_t *)v, i, c)
			if ((error = collect_all(p, c, depth + 1)) < 0)
				return error;
	}
	return 0;
}

static int collect_rec(secrets *p, const json_t *v, const json_t *m, int depth)
{
	const char *k;
	json_t *c;
	size_t i;
	int error = 0;

	if (!v || !m || depth > 64)
		return 0;
	if (json_is_true(m))
		return collect_all(p, v, depth);
	if (json_is_object(v) && json_is_object(m)) {
		json_object_foreach ((json_t *)v, k, c)
			if ((error = collect_rec(p, c, json_object_get(m, k), depth + 1)) < 0)
				return error;
	} else if (json_is_array(v) && json_is_array(m)) {
		json_array_foreach ((json_t *)v, i, c)
			if ((error = collect_rec(p, c, json_array_get(m, i), depth + 1)) < 0)
				return error;
	}
	return 0;
}

int platci_tfplan__collect(platci_tfplan *p, const json_t *value, const json_t *marker)
{
	secrets set = { &p->secrets, &p->secrets_dropped };
	return collect_rec(&set, value, marker, 0);
}

int platci_tfplan__collect_all(platci_tfplan *p, const json_t *value)
{
	secrets set = { &p->secrets, &p->secrets_dropped };
	return collect_all(&set, value, 0);
}

int platci_tfplan__hidden(json_t **set, const json_t *change)
{
	size_t dropped = 0;
	secrets s = { set, &dropped };
	int error;

	if ((error = collect_rec(&s, json_object_get(change, "before"),
		     json_object_get(change, "before_sensitive"), 0)) < 0)
		return error;
	return collect_rec(&s, json_object_get(change, "after"),
		json_object_get(change, "after_sensitive"), 0);
}

typedef struct form {
	uint32_t pre;
	const char *s;
	size_t n;
} form;

static uint32_t load4(const char *p)
{
	return (uint32_t)(unsigned char)p[0] | (uint32_t)(unsigned char)p[1] << 8 |
	       (uint32_t)(unsigned char)p[2] << 16 | (uint32_t)(unsigned char)p[3] << 24;
}

static int form_cmp(const void *a, const void *b)
{
	const form *x = a, *y = b;
	if (x->pre != y->pre)
		return x->pre < y->pre ? -1 : 1;
	return x->n > y->n ? -1 : x->n < y->n; /* longest first */
}

#define BLOOM_BITS 4096
static size_t bloom_bit(uint32_t pre)
{
	return (size_t)((pre * 2654435761u) >> 20) % BLOOM_BITS;
}

struct tfplan_matcher {
	form *forms;
	size_t nforms;
	unsigned char bloom[BLOOM_BITS / 8];
};

void platci_tfplan__matcher_free(tfplan_matcher *m)
{
	if (!m)
		return;
	free(m->forms);
	free(m);
}

/* Sorts every form of every secret once; the set must outlive the matcher. */
int platci_tfplan__matcher_new(tfplan_matcher **out, const json_t *secrets_set)
{
	tfplan_matcher *m = NULL;
	const char *key;
	json_t *list;
	int error = 0;

	*out = NULL;
	if (!json_object_size(secrets_set))
		return 0;
	PLATCI_CHECK_ALLOC(m = calloc(1, sizeof(*m)));
	PLATCI_CHECK_ALLOC(m->forms = calloc(json_object_size(secrets_set) * 4, sizeof(*m->forms)));
	json_object_foreach ((json_t *)secrets_set, key, list) {
		for (size_t i = 0; i < json_array_size(list) && i < 4; i++) {
			const char *f = json_string_value(json_array_get(list, i));
			size_t n = f ? strlen(f) : 0, b;
			if (n < MIN_SECRET)
				continue;
			m->forms[m->nforms].pre = load4(f);
			m->forms[m->nforms].s = f;
			m->forms[m->nforms].n = n;
			b = bloom_bit(m->forms[m->nforms].pre);
			m->bloom[b / 8] |= (unsigned char)(1u << (b % 8));
			m->nforms++;
		}
	}
	qsort(m->forms, m->nforms, sizeof(*m->forms), form_cmp);
	*out = m;
	m = NULL;
done:
	platci_tfplan__matcher_free(m);
	return error;
}

/* Length of the longest secret form starting at @p at, or 0. */
static size_t match_at(const tfplan_matcher *m, const char *at, size_t left)
{
	uint32_t pre = load4(at);
	size_t b = bloom_bit(pre), lo = 0, hi = m->nforms;

	if (!(m->bloom[b / 8] & (1u << (b % 8))))
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->forms[mid].pre < pre)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->nforms && m->forms[lo].pre == pre; lo++)
		if (m->forms[lo].n <= left && memcmp(at, m->forms[lo].s, m->forms[lo].n) == 0)
			return m->forms[lo].n;
	return 0;
}

/*
 * One pass over the text: a 4-byte prefix filter rejects almost every
 * position at once, so the cost does not grow with the number of secrets.
 * Returns how many secrets were replaced.
 */
int platci_tfplan__matcher_scrub(const tfplan_matcher *m, platci_buf *text)
{
	platci_buf out = PLATCI_BUF_INIT;
	size_t hits = 0, run = 0;
	int error = 0;

	if (!m || text->size < MIN_SECRET)
		return 0;
	for (size_t i = 0; i + MIN_SECRET <= text->size;) {
		size_t hit = match_at(m, text->ptr + i, text->size - i);
		if (!hit) {
			i++;
			continue;
		}
		platci_buf_put(&out, text->ptr + run, i - run);
		platci_buf_puts(&out, PLATCI_REDACTED);
		i += hit;
		run = i;
		hits++;
	}
	if (hits) {
		platci_buf_put(&out, text->ptr + run, text->size - run);
		if ((error = out.error) == 0) {
			platci_buf_clear(text);
			platci_buf_put(text, out.ptr, out.size);
			error = text->error;
		}
	}
	platci_buf_dispose(&out);
	return error < 0 ? error : hits > INT32_MAX ? INT32_MAX : (int)hits;
}

int platci_tfplan__finish_secrets(platci_tfplan *p)
{
	platci_tfplan__matcher_free(p->matcher);
	p->matcher = NULL;
	return platci_tfplan__matcher_new(&p->matcher, p->secrets);
}

int platci_tfplan__scrub(const platci_tfplan *p, platci_buf *text)
{
	tfplan_matcher *m = NULL;
	int n;

	if (p->matcher || !json_object_size(p->secrets))
		return platci_tfplan__matcher_scrub(p->matcher, text);
	/* a model still being read: no matcher kept yet */
	if ((n = platci_tfplan__matcher_new(&m, p->secrets)) == 0)
		n = platci_tfplan__matcher_scrub(m, text);
	platci_tfplan__matcher_free(m);
	return n;
}

int platci_tfplan_mask(const platci_tfplan *p, platci_buf *text)
{
	int n;

	PLATCI_ASSERT_ARG(p && text);
	n = platci_tfplan__scrub(p, text);
	return n < 0 ? n : n > 0;
}
