/* The platform model: lifecycle, environments, inputs, links and the capped lists. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform_int.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/utf8.h"
#include "util/banned.h"

#define DEFAULT_MAX_LIST 100
#define DEFAULT_EXPIRING_DAYS 14
#define DEFAULT_MAX_IMAGES 250

int platci_platform_options_init(platci_platform_options *opts, unsigned int version)
{
	platci_platform_options init = PLATCI_PLATFORM_OPTIONS_INIT;

	if (!opts || version != PLATCI_PLATFORM_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

/* Copies a string into the model, replacing bytes that are not UTF-8 (JSON needs it). */
const char *platci_platform__strn(platci_platform *p, const char *s, size_t n)
{
	char *copy;

	if (!s)
		return NULL;
	if (!(copy = platci_arena_strndup(&p->arena, s, n)))
		return NULL;
	platci__utf8_sanitize(copy);
	return copy;
}

const char *platci_platform__str(platci_platform *p, const char *s)
{
	return s ? platci_platform__strn(p, s, strlen(s)) : NULL;
}

static int add_env(platci_platform *p, const char *name, const char *from, int prot, int in_config)
{
	pf_env *e;

	if (platci__grow_array((void **)&p->envs, &p->aenvs, p->nenvs + 1, sizeof(*p->envs)) < 0)
		return PLATCI_ENOMEM;
	e = &p->envs[p->nenvs];
	memset(e, 0, sizeof(*e));
	e->name = platci_platform__str(p, name);
	e->promote_from = from ? platci_platform__str(p, from) : NULL;
	e->is_protected = prot;
	e->in_config = in_config;
	e->scan_input = e->waiver_input = PF_NONE;
	e->findings.top.max = p->opts.max_list;
	if (!e->name || (from && !e->promote_from))
		return PLATCI_ENOMEM;
	p->nenvs++;
	return 0;
}

size_t platci_platform__env(platci_platform *p, const char *name, int create)
{
	if (!name || !*name)
		return PF_NONE;
	for (size_t i = 0; i < p->nenvs; i++)
		if (strcmp(p->envs[i].name, name) == 0)
			return i;
	if (!create || add_env(p, name, NULL, 0, 0) < 0)
		return PF_NONE;
	return p->nenvs - 1;
}

int platci_platform_new(platci_platform **out, const platci_platform_options *opts)
{
	platci_platform *p = NULL;
	const char *url;
	int error = 0;

	PLATCI_ASSERT_ARG(out);
	*out = NULL;
	if (opts && opts->version != PLATCI_PLATFORM_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	url = opts ? opts->project_url : NULL;
	if (url && *url && strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
		return PLATCI_EINVALID;
	p = calloc(1, sizeof(*p));
	PLATCI_CHECK_ALLOC(p);
	platci_arena_init(&p->arena, 0);
	if (opts)
		p->opts = *opts;
	else
		platci_platform_options_init(&p->opts, PLATCI_PLATFORM_OPTIONS_VERSION);
	if (!p->opts.max_list)
		p->opts.max_list = DEFAULT_MAX_LIST;
	if (!p->opts.max_images)
		p->opts.max_images = DEFAULT_MAX_IMAGES;
	if (!p->opts.expiring_days)
		p->opts.expiring_days = DEFAULT_EXPIRING_DAYS;
	if (!p->opts.title)
		p->opts.title = "platci: the platform";
	if (p->opts.project_url && !*p->opts.project_url)
		p->opts.project_url = NULL;
	p->noenv.top.max = p->opts.max_list;
	/* No output folder that exists: no links, rather than links that lead nowhere. */
	p->out_abs = realpath(p->opts.out_dir ? p->opts.out_dir : ".", NULL);
	if (p->opts.config) {
		const platci_config *cfg = p->opts.config;
		for (size_t i = 0; i < platci_config_env_count(cfg); i++) {
			const platci_env *e = platci_config_env_at(cfg, i);
			if ((error = add_env(p, e->name, e->promote_from, e->is_protected, 1)) < 0)
				goto done;
		}
	}
	p->matrix_envs = p->nenvs;
	*out = p;
	p = NULL;
done:
	platci_platform_free(p);
	return error;
}

void platci_platform__findings_dispose(pf_findings *f)
{
	free(f->rules);
	platci_platform__top_dispose(&f->top);
}

void platci_platform_free(platci_platform *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nenvs; i++) {
		platci_platform__findings_dispose(&p->envs[i].findings);
		free(p->envs[i].vulns.v);
	}
	platci_platform__findings_dispose(&p->noenv);
	for (size_t i = 0; i < p->nfrecs; i++) {
		for (size_t j = 0; j < p->frecs[i].nb; j++)
			platci_platform__findings_dispose(&p->frecs[i].b[j].f);
		free(p->frecs[i].b);
		free(p->frecs[i].waived.v);
	}
	for (size_t i = 0; i < p->ncsrecs; i++)
		free(p->csrecs[i].vulns.v);
	for (size_t i = 0; i < p->ndriftrecs; i++)
		platci_platform__top_dispose(&p->driftrecs[i].items);
	platci_platform__versions_dispose(p);
	free(p->frecs);
	free(p->csrecs);
	free(p->driftrecs);
	free(p->gaterecs);
	free(p->planrecs);
	free(p->promorecs);
	free(p->inputs);
	free(p->artifacts);
	free(p->envs);
	free(p->out_abs);
	platci_arena_dispose(&p->arena);
	free(p);
}

size_t platci_platform__input(platci_platform *p, const char *kind, const char *stage,
	const char *env, const char *file, platci_platform_status status, const char *message)
{
	platci_platform_input *in;

	if (platci__grow_array((void **)&p->inputs, &p->ainputs, p->ninputs + 1, sizeof(*p->inputs)) < 0)
		return PF_NONE;
	in = &p->inputs[p->ninputs];
	memset(in, 0, sizeof(*in));
	in->kind = kind;
	in->stage = platci_platform__str(p, stage);
	in->env = platci_platform__str(p, env);
	in->file = platci_platform__str(p, file);
	in->status = status;
	in->message = platci_platform__str(p, message);
	if ((stage && !in->stage) || (env && !in->env) || (file && !in->file) || (message && !in->message))
		return PF_NONE;
	return p->ninputs++;
}

/* Percent-encodes @p s for a URL: only unreserved bytes (and '/' when @p keep_slash) stay. */
void platci_platform__url_encode(platci_buf *out, const char *s, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
			*c == '-' || *c == '_' || *c == '.' || *c == '~' || (*c == '/' && keep_slash)) {
			platci_buf_putc(out, (char)*c);
		} else {
			platci_buf_putc(out, '%');
			platci_buf_putc(out, hex[*c >> 4]);
			platci_buf_putc(out, hex[*c & 15]);
		}
	}
}

/*
 * The path from the output folder to @p path, "./"-prefixed so that no
 * folder name (say "javascript:x") can turn a link into a scheme.
 */
const char *platci_platform__link(platci_platform *p, const char *path)
{
	platci_buf rel = PLATCI_BUF_INIT, url = PLATCI_BUF_INIT;
	char *abs = NULL;
	const char *out = NULL, *a, *b;
	size_t common = 0;

	if (!p->out_abs || !(abs = realpath(path, NULL)))
		goto done;
	a = p->out_abs;
	b = abs;
	/* The longest common prefix that ends at a folder boundary. */
	for (size_t i = 0;; i++) {
		if ((a[i] == '/' || a[i] == '\0') && (b[i] == '/' || b[i] == '\0'))
			common = i;
		if (a[i] == '\0' || b[i] == '\0' || a[i] != b[i])
			break;
	}
	for (const char *s = a + common; *s; s++)
		if (*s == '/')
			platci_buf_puts(&rel, "../");
	platci_buf_puts(&rel, b[common] == '/' ? b + common + 1 : b + common);
	if (rel.error)
		goto done;
	if (strncmp(rel.ptr, "../", 3) != 0)
		platci_buf_puts(&url, "./");
	platci_platform__url_encode(&url, rel.ptr, 1);
	if (!url.error)
		out = platci_platform__str(p, url.ptr);
done:
	free(abs);
	platci_buf_dispose(&rel);
	platci_buf_dispose(&url);
	return out;
}

int platci_platform__artifact(platci_platform *p, const char *stage, const char *env,
	const char *name, const char *path)
{
	pf_artifact *a;

	if (platci__grow_array((void **)&p->artifacts, &p->aartifacts, p->nartifacts + 1,
		    sizeof(*p->artifacts)) < 0)
		return PLATCI_ENOMEM;
	a = &p->artifacts[p->nartifacts];
	a->stage = platci_platform__str(p, stage);
	a->env = platci_platform__str(p, env);
	a->name = platci_platform__str(p, name);
	a->link = platci_platform__link(p, path);
	if ((stage && !a->stage) || (env && !a->env) || !a->name)
		return PLATCI_ENOMEM;
	p->nartifacts++;
	return 0;
}

int platci_platform__vuln_at(platci_platform *p, pf_vulns *v, const char *image, size_t *at)
{
	size_t lo = 0, hi = v->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v->v[mid].image, image);
		if (c == 0) {
			*at = mid;
			return 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (platci__grow_array((void **)&v->v, &v->alloc, v->n + 1, sizeof(*v->v)) < 0)
		return PLATCI_ENOMEM;
	memmove(&v->v[lo + 1], &v->v[lo], (v->n - lo) * sizeof(*v->v));
	memset(&v->v[lo], 0, sizeof(*v->v));
	if (!(v->v[lo].image = platci_platform__str(p, image))) {
		memmove(&v->v[lo], &v->v[lo + 1], (v->n - lo) * sizeof(*v->v));
		return PLATCI_ENOMEM;
	}
	v->n++;
	*at = lo;
	return 1;
}

/* ---- capped lists --------------------------------------------------------- */

static int row_better(const pf_row *a, const pf_row *b)
{
	if (a->rank != b->rank)
		return a->rank > b->rank;
	return a->seq < b->seq;
}

/* The weakest kept row: the one a better newcomer replaces. */
static size_t weakest(const pf_top *t)
{
	size_t w = 0;

	for (size_t i = 1; i < t->n; i++)
		if (row_better(&t->rows[w], &t->rows[i]))
			w = i;
	return w;
}

int platci_platform__top_take(pf_top *t, pf_row *row)
{
	size_t w;

	t->offered++;
	if (t->n < t->max) {
		if (platci__grow_array((void **)&t->rows, &t->alloc, t->n + 1, sizeof(*t->rows)) < 0) {
			free(row->block);
			return PLATCI_ENOMEM;
		}
		t->rows[t->n++] = *row;
		return 0;
	}
	w = weakest(t);
	if (t->n && row_better(row, &t->rows[w])) {
		free(t->rows[w].block);
		t->rows[w] = *row;
	} else {
		free(row->block);
	}
	return 0;
}

/*
 * A field's length on the page: a message of megabytes (names come from
 * repositories) would make the page as large; cut at PF_FIELD_MAX bytes, on a
 * character boundary.
 */
static size_t field_len(const char *s)
{
	size_t n = strlen(s);

	if (n <= PF_FIELD_MAX)
		return n;
	n = PF_FIELD_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

int platci_platform__top_add(pf_top *t, int rank, size_t line, const char *const *f)
{
	pf_row row;
	size_t total = 0, len[PF_FIELDS];
	char *w;

	memset(&row, 0, sizeof(row));
	row.rank = rank;
	row.line = line;
	row.seq = t->seq++;
	/* Rows that cannot be kept cost no allocation: the common case at scale. */
	if (t->n >= t->max && t->n) {
		pf_row probe = row;
		if (!row_better(&probe, &t->rows[weakest(t)])) {
			t->offered++;
			return 0;
		}
	}
	for (size_t i = 0; i < PF_FIELDS; i++) {
		len[i] = f[i] ? field_len(f[i]) : 0;
		/* The text, "..." when cut, and a NUL. */
		if (f[i] && PLATCI_ADD_OVERFLOW(&total, total, len[i] + 4))
			return PLATCI_ENOMEM;
	}
	if (!(row.block = malloc(total ? total : 1)))
		return PLATCI_ENOMEM;
	w = row.block;
	for (size_t i = 0; i < PF_FIELDS; i++) {
		if (!f[i])
			continue;
		memcpy(w, f[i], len[i]);
		if (f[i][len[i]]) {
			memcpy(w + len[i], "\xe2\x80\xa6", 3);
			len[i] += 3;
		}
		w[len[i]] = '\0';
		platci__utf8_sanitize(w);
		row.f[i] = w;
		w += len[i] + 1;
	}
	return platci_platform__top_take(t, &row);
}

static int cmp_rows(const void *a, const void *b)
{
	const pf_row *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void platci_platform__top_sort(pf_top *t)
{
	if (t->n > 1)
		qsort(t->rows, t->n, sizeof(*t->rows), cmp_rows);
}

void platci_platform__top_dispose(pf_top *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->rows[i].block);
	free(t->rows);
	t->rows = NULL;
	t->n = t->alloc = 0;
}

/* ---- findings ------------------------------------------------------------- */

static int cmp_rule(const char *stage, const char *rule, const pf_rule *r)
{
	int c = strcmp(stage ? stage : "", r->stage ? r->stage : "");

	return c ? c : strcmp(rule, r->rule);
}

static pf_rule *rule_at(platci_platform *p, pf_findings *f, const char *stage, const char *rule)
{
	size_t lo = 0, hi = f->nrules;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_rule(stage, rule, &f->rules[mid]);
		if (c == 0)
			return &f->rules[mid];
		if (c > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (platci__grow_array((void **)&f->rules, &f->arules, f->nrules + 1, sizeof(*f->rules)) < 0)
		return NULL;
	memmove(&f->rules[lo + 1], &f->rules[lo], (f->nrules - lo) * sizeof(*f->rules));
	memset(&f->rules[lo], 0, sizeof(*f->rules));
	f->rules[lo].stage = platci_platform__str(p, stage);
	f->rules[lo].rule = platci_platform__str(p, rule);
	f->nrules++;
	if ((stage && !f->rules[lo].stage) || !f->rules[lo].rule)
		return NULL;
	return &f->rules[lo];
}

int platci_platform__cq_rank(const char *severity)
{
	static const char *const names[] = { "info", "minor", "major", "critical", "blocker" };

	for (size_t i = 0; severity && i < PLATCI_ARRAY_SIZE(names); i++)
		if (strcmp(severity, names[i]) == 0)
			return (int)i;
	return -1;
}

int platci_platform__findings_add(platci_platform *p, pf_findings *f, const char *stage, const char *rule,
	const char *severity, const char *enforcement, int waived, const char *const *row)
{
	int deny = enforcement && strcmp(enforcement, "deny") == 0;
	int sev = platci_platform__cq_rank(severity);
	pf_rule *r = rule_at(p, f, stage, rule ? rule : "?");

	if (!r)
		return PLATCI_ENOMEM;
	f->total++;
	if (waived) {
		f->waived++;
		r->waived++;
	} else if (deny) {
		f->deny++;
		r->deny++;
	} else {
		f->warn++;
		r->warn++;
	}
	/* Unwaived deny first, then warnings, then waived; by severity within each. */
	return platci_platform__top_add(&f->top,
		(waived        ? 0
			: deny ? 20
			       : 10) +
			(sev < 0 ? 0 : sev),
		0, row);
}

int platci_platform__findings_merge(platci_platform *p, pf_findings *dst, pf_findings *src)
{
	int error = 0;

	dst->total += src->total;
	dst->deny += src->deny;
	dst->warn += src->warn;
	dst->waived += src->waived;
	for (size_t i = 0; i < src->nrules; i++) {
		pf_rule *r = rule_at(p, dst, src->rules[i].stage, src->rules[i].rule);
		if (!r)
			return PLATCI_ENOMEM;
		r->deny += src->rules[i].deny;
		r->warn += src->rules[i].warn;
		r->waived += src->rules[i].waived;
	}
	/* The source's list was already cut: what it dropped stays counted as offered. */
	dst->top.offered += src->top.offered - src->top.n;
	platci_platform__top_sort(&src->top);
	for (size_t i = 0; i < src->top.n; i++) {
		src->top.rows[i].seq = dst->top.seq++;
		if (error == 0)
			error = platci_platform__top_take(&dst->top, &src->top.rows[i]);
		else
			free(src->top.rows[i].block);
	}
	src->top.n = 0;
	return error;
}

/* ---- accessors ------------------------------------------------------------- */

size_t platci_platform_input_count(const platci_platform *p)
{
	return p ? p->ninputs : 0;
}

const platci_platform_input *platci_platform_input_at(const platci_platform *p, size_t i)
{
	return p && i < p->ninputs ? &p->inputs[i] : NULL;
}

size_t platci_platform_status_count(const platci_platform *p, platci_platform_status status)
{
	size_t n = 0;

	for (size_t i = 0; p && i < p->ninputs; i++)
		n += p->inputs[i].status == status;
	return n;
}

const char *platci_platform_status_name(platci_platform_status status)
{
	switch (status) {
	case PLATCI_PLATFORM_OK:
		return "ok";
	case PLATCI_PLATFORM_MISSING:
		return "missing";
	case PLATCI_PLATFORM_UNREADABLE:
		return "unreadable";
	case PLATCI_PLATFORM_SUPERSEDED:
		return "superseded";
	}
	return "?";
}

void platci_platform__age(char *buf, size_t n, time_t now, time_t t)
{
	long long s;

	if (!t || !now) {
		if (n)
			buf[0] = '\0';
		return;
	}
	s = (long long)now - (long long)t;
	if (s < 0)
		snprintf(buf, n, "in the future");
	else if (s < 120)
		snprintf(buf, n, "%lld s", s);
	else if (s < 7200)
		snprintf(buf, n, "%lld min", s / 60);
	else if (s < 172800)
		snprintf(buf, n, "%lld h", s / 3600);
	else
		snprintf(buf, n, "%lld d", s / 86400);
}
