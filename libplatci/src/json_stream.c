/*
 * Streaming JSON: json_lex.c tokenises; we track the path only as deep as
 * some subscription could still match, have the tokenizer skip everything
 * else, and build jansson values only for subscribed paths.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "json_stream_int.h"
#include "util/common.h"
#include "util/banned.h"

#define DEFAULT_MAX_DEPTH 512
#define DEFAULT_MAX_VALUE (64u * 1024 * 1024)
#define BLOCK (256u * 1024)

int platci_json_stream_options_init(platci_json_stream_options *opts, unsigned int version)
{
	platci_json_stream_options init = PLATCI_JSON_STREAM_OPTIONS_INIT;

	if (version != PLATCI_JSON_STREAM_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

/* ---- errors ---------------------------------------------------------------------------- */

static int report(platci_json_stream *s, int code, size_t abs, size_t line, size_t column,
	const char *fmt, ...) PLATCI_PRINTF(6, 7);

static int report(platci_json_stream *s, int code, size_t abs, size_t line, size_t column,
	const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	platci_diag_verror(s->diag, code, s->opts.name, line, column, abs, fmt, ap);
	va_end(ap);
	return code; /* the parse failed whether or not its message could be kept */
}

/* A limit or a refusal at the token just read. */
static int refuse(platci_json_stream *s, int code, const char *what)
{
	size_t at = s->lex.tok_offset;

	if (!s->error)
		s->error = report(s, code, at, s->lex.line, platci_json_lex__column(&s->lex, at),
			"%s", what);
	return s->error;
}

/* ---- subscriptions ----------------------------------------------------------------------- */

static int deliver(platci_json_stream *s, submask mask, platci_json_stream_kind kind, platci_json_event *ev)
{
	int answer = 0;

	ev->kind = kind;
	ev->line = s->lex.line;
	ev->offset = s->lex.offset;
	for (submask m = mask; m; m &= m - 1) {
		size_t i = platci_json_stream__lowest(m);
		int rc;

		if (!(s->subs[i].kinds & kind))
			continue;
		ev->id = s->subs[i].id;
		if ((rc = s->subs[i].cb(ev, s->subs[i].payload)) < 0)
			return s->error = rc;
		if (rc == PLATCI_JSON_STREAM_NO_VALUE && kind == PLATCI_JSON_STREAM_ENTER)
			answer |= 1;
		else if (rc == PLATCI_JSON_STREAM_TEXT && kind == PLATCI_JSON_STREAM_ENTER)
			answer |= 2;
	}
	return answer;
}

static void event_at(platci_json_event *ev, const char *key, size_t index)
{
	memset(ev, 0, sizeof(*ev));
	ev->key = key;
	ev->index = key ? 0 : index;
}

static int set_key(char **key, size_t *len, size_t *alloc, const char *k, size_t n)
{
	if (n + 1 > *alloc) {
		size_t a = n + 1 < 64 ? 64 : n + 1;
		char *p = realloc(*key, a);
		if (!p)
			return PLATCI_ENOMEM;
		*key = p;
		*alloc = a;
	}
	memcpy(*key, k, n);
	(*key)[n] = '\0';
	*len = n;
	return 0;
}

static submask with_kind(const platci_json_stream *s, submask mask, unsigned int kind)
{
	submask out = 0;

	for (submask m = mask; m; m &= m - 1) {
		size_t i = platci_json_stream__lowest(m);
		if (s->subs[i].kinds & kind)
			out |= (submask)1 << i;
	}
	return out;
}

/* ---- duplicate keys ------------------------------------------------------------------------ */

static int duplicate(platci_json_stream *s, const char *k, size_t n)
{
	char what[160];

	snprintf(what, sizeof(what),
		"duplicate key \"%.*s\" in a JSON object: which of the two "
		"values counts would be a guess, so the input is refused",
		(int)(n > 60 ? 60 : n), k);
	if (!s->error) {
		size_t at = s->lex.tok_offset;
		/* Like YAML's: the diagnostic says what it is, the caller sees a syntax error. */
		report(s, PLATCI_EDUPLICATE, at, s->lex.line, platci_json_lex__column(&s->lex, at),
			"%s", what);
		s->error = PLATCI_ESYNTAX;
	}
	return s->error;
}

/* ---- building ------------------------------------------------------------------------------ */

static int build_add(platci_json_stream *s, json_t *v)
{
	build *top = &s->builds[s->nbuilds - 1];
	int rc;

	if (!v)
		return s->error = PLATCI_ENOMEM;
	if (json_is_object(top->container))
		rc = json_object_setn_new_nocheck(top->container, top->key, top->key_len, v);
	else
		rc = json_array_append_new(top->container, v);
	return rc < 0 ? (s->error = PLATCI_ENOMEM) : 0;
}

static int push_build(platci_json_stream *s, json_t *c)
{
	if (!c)
		return s->error = PLATCI_ENOMEM;
	if (platci__grow_array((void **)&s->builds, &s->builds_alloc, s->nbuilds + 1,
		    sizeof(*s->builds)) < 0) {
		json_decref(c);
		return s->error = PLATCI_ENOMEM;
	}
	memset(&s->builds[s->nbuilds], 0, sizeof(build));
	s->builds[s->nbuilds++].container = c;
	return 0;
}

static int push_frame(platci_json_stream *s, int is_map, const route *r, submask exits, size_t index)
{
	frame *f;
	keyset keys;
	dispatch *d = r->child;

	if (!d && !(d = ((route *)r)->child = platci_json_stream__table(s, r->below, s->nframes)))
		return s->error = PLATCI_ENOMEM;
	if (platci__grow_array((void **)&s->frames, &s->frames_alloc, s->nframes + 1, sizeof(*s->frames)) < 0)
		return s->error = PLATCI_ENOMEM;
	if (s->nframes >= s->frames_inited)
		memset(&s->frames[s->frames_inited++], 0, sizeof(frame));
	f = &s->frames[s->nframes++];
	/* Reuse the key set an earlier frame at this depth left behind. */
	keys = f->keys;
	memset(f, 0, sizeof(*f));
	f->keys = keys;
	platci_json_stream__keys_reset(&f->keys);
	f->is_map = is_map;
	f->d = d;
	f->cur = &d->any;
	f->exit_mask = exits;
	f->step_index = index;
	return 0;
}

/* A scalar as a jansson value: numbers as jansson reads them, long ones kept as text. */
static json_t *scalar_value(json_lex_type type, const char *v, size_t n)
{
	char tmp[64];
	int is_int = 1;

	switch (type) {
	case JSON_LEX_NULL:
		return json_null();
	case JSON_LEX_TRUE:
		return json_true();
	case JSON_LEX_FALSE:
		return json_false();
	case JSON_LEX_STRING:
		return json_stringn_nocheck(v, n); /* UTF-8 checked by the lexer */
	case JSON_LEX_NUMBER:
		break;
	}
	if (n >= sizeof(tmp))
		return json_stringn(v, n);
	memcpy(tmp, v, n);
	tmp[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (tmp[i] == '.' || tmp[i] == 'e' || tmp[i] == 'E')
			is_int = 0;
	if (is_int) {
		long long x;
		errno = 0;
		x = strtoll(tmp, NULL, 10);
		if (errno != ERANGE)
			return json_integer(x);
	}
	return json_real(strtod(tmp, NULL));
}

static int number_type(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == '.' || v[i] == 'e' || v[i] == 'E')
			return JSON_REAL;
	return JSON_INTEGER;
}

static int count_bytes(platci_json_stream *s, size_t n)
{
	s->build_bytes += n;
	if (s->build_bytes > s->opts.max_value_bytes)
		return refuse(s, PLATCI_ELIMIT, "a JSON value is larger than the limit");
	return 0;
}

/* ---- the tokenizer's callbacks -------------------------------------------------------------- */

/* The route, key and index of a value starting in the innermost tracked container. */
static const route *position(platci_json_stream *s, const char **key, size_t *index)
{
	frame *top;

	*key = NULL;
	*index = 0;
	if (!s->nframes)
		return &s->root;
	top = &s->frames[s->nframes - 1];
	if (top->is_map) {
		*key = top->keys.text.ptr + top->key_off;
		return top->cur;
	}
	*index = top->next_index++;
	return platci_json_stream__index_route(top, *index);
}

int platci_json_stream__wants(const platci_json_stream *s)
{
	const frame *top;
	const route *r;

	if (s->nbuilds || !s->nframes)
		return 1;
	top = &s->frames[s->nframes - 1];
	r = top->is_map ? top->cur : platci_json_stream__index_route(top, top->next_index);
	/* ENTER and EXIT say nothing about a scalar */
	return (r->kinds & (PLATCI_JSON_STREAM_VALUE | PLATCI_JSON_STREAM_SCALAR)) != 0;
}

int platci_json_stream__on_start(platci_json_stream *s, int is_map)
{
	submask value_subs, exit_subs;
	const route *r;
	const char *key;
	size_t index;
	platci_json_event ev;
	int answer = 0;

	if (s->error)
		return s->error;
	if (s->nbuilds) {
		json_t *c = is_map ? json_object() : json_array();
		if (!c || build_add(s, json_incref(c)) < 0) {
			json_decref(c);
			return s->error = PLATCI_ENOMEM;
		}
		return push_build(s, c);
	}
	if (!s->nframes)
		s->root_type = is_map ? JSON_OBJECT : JSON_ARRAY;
	r = position(s, &key, &index);
	if (!r->here && !r->below)
		return JSON_LEX_SKIP;
	event_at(&ev, key, index);
	ev.type = is_map ? JSON_OBJECT : JSON_ARRAY;
	if ((r->kinds & PLATCI_JSON_STREAM_ENTER) &&
		(answer = deliver(s, r->here, PLATCI_JSON_STREAM_ENTER, &ev)) < 0)
		return answer;
	/* text, when asked for, goes to every VALUE subscription here; NO_VALUE alone: none */
	value_subs = answer == 1 || !(r->kinds & PLATCI_JSON_STREAM_VALUE)
			     ? 0
			     : with_kind(s, r->here, PLATCI_JSON_STREAM_VALUE);
	exit_subs = r->kinds & PLATCI_JSON_STREAM_EXIT ? with_kind(s, r->here, PLATCI_JSON_STREAM_EXIT)
						       : 0;
	if (value_subs) {
		s->build_value_subs = value_subs;
		s->build_exit_subs = exit_subs;
		free(s->build_key_copy);
		s->build_key_copy = NULL;
		if (key && !(s->build_key_copy = platci__strdup(key)))
			return s->error = PLATCI_ENOMEM;
		s->build_index = index;
		s->build_bytes = 0;
		if (answer & 2) {
			/* the tokenizer only checks it; its bytes are copied as they are fed */
			s->text_on = 1;
			s->text_is_map = is_map;
			s->text_have = s->lex.tok_offset;
			platci_buf_clear(&s->text);
			return JSON_LEX_SKIP_TEXT;
		}
		return push_build(s, is_map ? json_object() : json_array());
	}
	if (!r->below && !exit_subs)
		return JSON_LEX_SKIP;
	return push_frame(s, is_map, r, exit_subs, index);
}

int platci_json_stream__on_end(platci_json_stream *s)
{
	platci_json_event ev;

	if (s->error)
		return s->error;
	if (s->nbuilds > 1) {
		build *top = &s->builds[--s->nbuilds];
		free(top->key);
		top->key = NULL;
		json_decref(top->container); /* the parent holds it now */
		return 0;
	}
	if (s->nbuilds == 1) {
		json_t *c = s->builds[0].container;
		int rc;

		free(s->builds[0].key);
		s->builds[0].key = NULL;
		s->nbuilds = 0;
		event_at(&ev, s->build_key_copy, s->build_index);
		ev.value = c;
		rc = deliver(s, s->build_value_subs, PLATCI_JSON_STREAM_VALUE, &ev);
		ev.value = NULL;
		if (rc >= 0 && s->build_exit_subs)
			rc = deliver(s, s->build_exit_subs, PLATCI_JSON_STREAM_EXIT, &ev);
		json_decref(c);
		return rc < 0 ? rc : 0;
	}
	if (s->nframes) {
		frame *f = &s->frames[--s->nframes];
		const char *key = NULL;

		if (s->nframes && s->frames[s->nframes - 1].is_map)
			key = s->frames[s->nframes - 1].keys.text.ptr + s->frames[s->nframes - 1].key_off;
		if (f->exit_mask) {
			int rc;
			event_at(&ev, key, f->step_index);
			rc = deliver(s, f->exit_mask, PLATCI_JSON_STREAM_EXIT, &ev);
			return rc < 0 ? rc : 0;
		}
	}
	return 0;
}

/* Copies the fed bytes of the text container up to absolute offset @p upto. */
static int text_take(platci_json_stream *s, size_t upto)
{
	size_t from = s->text_have > s->feed_base ? s->text_have : s->feed_base;

	if (upto <= from)
		return 0;
	if (platci_buf_put(&s->text, s->feed_data + (from - s->feed_base), upto - from) < 0)
		return s->error = PLATCI_ENOMEM;
	s->text_have = upto;
	if (s->text.size > s->opts.max_value_bytes)
		return refuse(s, PLATCI_ELIMIT, "a JSON value is larger than the limit");
	return 0;
}

int platci_json_stream__on_text_end(platci_json_stream *s)
{
	platci_json_event ev;
	int rc;

	if (s->error)
		return s->error;
	s->text_on = 0;
	if ((rc = text_take(s, s->lex.offset)) < 0)
		return rc;
	event_at(&ev, s->build_key_copy, s->build_index);
	ev.text = s->text.ptr;
	ev.text_len = s->text.size;
	ev.type = s->text_is_map ? JSON_OBJECT : JSON_ARRAY;
	rc = deliver(s, s->build_value_subs, PLATCI_JSON_STREAM_VALUE, &ev);
	ev.text = NULL;
	ev.text_len = 0;
	ev.type = 0;
	if (rc >= 0 && s->build_exit_subs)
		rc = deliver(s, s->build_exit_subs, PLATCI_JSON_STREAM_EXIT, &ev);
	return rc < 0 ? rc : 0;
}

int platci_json_stream__on_key(platci_json_stream *s, const char *raw, size_t n, int escaped)
{
	const char *k = raw;
	uint32_t h;
	int rc;

	if (s->error)
		return s->error;
	if (escaped && (rc = platci_json_lex__unescape(&s->lex, raw, n, &k, &n)) < 0)
		return s->error = rc;
	if (s->nbuilds) {
		build *top = &s->builds[s->nbuilds - 1];
		if ((rc = count_bytes(s, n)) < 0)
			return rc;
		if (json_object_getn(top->container, k, n))
			return duplicate(s, k, n);
		rc = set_key(&top->key, &top->key_len, &top->key_alloc, k, n);
	} else {
		frame *f = &s->frames[s->nframes - 1];
		const key_route *kr;

		h = platci_json_stream__hash(k, n);
		if ((rc = platci_json_stream__keys_add(&f->keys, k, n, h, &f->key_off)) > 0)
			return duplicate(s, k, n);
		kr = rc == 0 ? platci_json_stream__find_key(f->d, k, n, h) : NULL;
		f->cur = kr ? &kr->r : &f->d->any;
	}
	return rc < 0 ? (s->error = rc) : 0;
}

int platci_json_stream__on_scalar(platci_json_stream *s, json_lex_type type, const char *raw,
	size_t n, int escaped)
{
	static const int types[] = { JSON_NULL, JSON_TRUE, JSON_FALSE, JSON_INTEGER, JSON_STRING };
	const route *r;
	const char *key, *v = raw;
	size_t index;
	platci_json_event ev;
	int rc = 0;

	if (s->error)
		return s->error;
	if (s->nbuilds) {
		if (type == JSON_LEX_STRING && (rc = count_bytes(s, n)) < 0)
			return rc;
		if (escaped && (rc = platci_json_lex__unescape(&s->lex, raw, n, &v, &n)) < 0)
			return s->error = rc;
		return build_add(s, scalar_value(type, v, n));
	}
	if (!s->nframes)
		s->root_type = type == JSON_LEX_NUMBER ? number_type(raw, n) : types[type];
	r = position(s, &key, &index);
	if (!r->here)
		return 0;
	if (escaped && (rc = platci_json_lex__unescape(&s->lex, raw, n, &v, &n)) < 0)
		return s->error = rc;
	event_at(&ev, key, index);
	if (r->kinds & PLATCI_JSON_STREAM_SCALAR) {
		ev.text = v;
		ev.text_len = n;
		ev.type = type == JSON_LEX_NUMBER ? number_type(v, n) : types[type];
		rc = deliver(s, r->here, PLATCI_JSON_STREAM_SCALAR, &ev);
		ev.text = NULL;
		ev.text_len = 0;
		ev.type = 0;
	}
	if (rc >= 0 && (r->kinds & PLATCI_JSON_STREAM_VALUE)) {
		if (!(ev.value = scalar_value(type, v, n)))
			return s->error = PLATCI_ENOMEM;
		rc = deliver(s, r->here, PLATCI_JSON_STREAM_VALUE, &ev);
		json_decref(ev.value);
	}
	return rc < 0 ? rc : 0;
}

/* ---- public API ------------------------------------------------------------------------------ */

int platci_json_stream_new(platci_json_stream **out, const platci_json_stream_options *opts)
{
	platci_json_stream *s;

	*out = NULL;
	if (opts && opts->version != PLATCI_JSON_STREAM_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	s = calloc(1, sizeof(*s));
	if (!s)
		return PLATCI_ENOMEM;
	if (opts)
		s->opts = *opts;
	else
		platci_json_stream_options_init(&s->opts, PLATCI_JSON_STREAM_OPTIONS_VERSION);
	if (!s->opts.max_depth)
		s->opts.max_depth = DEFAULT_MAX_DEPTH;
	if (!s->opts.max_value_bytes)
		s->opts.max_value_bytes = DEFAULT_MAX_VALUE;
	if (s->opts.name && !(s->opts.name = platci__strdup(s->opts.name))) {
		free(s);
		return PLATCI_ENOMEM;
	}
	platci_json_lex__init(&s->lex, s, s->opts.max_depth, s->opts.max_value_bytes);
	platci_buf_init(&s->text, 0);
	s->root_type = -1;
	*out = s;
	return 0;
}

void platci_json_stream_free(platci_json_stream *s)
{
	if (!s)
		return;
	platci_json_lex__dispose(&s->lex);
	for (size_t i = 0; i < s->nsubs; i++) {
		platci_query_free(s->subs[i].q);
		free(s->subs[i].steps);
	}
	for (size_t i = 0; i < s->frames_inited; i++)
		platci_json_stream__keys_dispose(&s->frames[i].keys);
	free(s->frames);
	for (size_t i = 0; i < s->ntables; i++)
		platci_json_stream__table_free(s->tables[i]);
	free(s->tables);
	for (size_t i = 0; i < s->nbuilds; i++) {
		json_decref(s->builds[i].container);
		free(s->builds[i].key);
	}
	free(s->builds);
	free(s->build_key_copy);
	platci_buf_dispose(&s->text);
	free((char *)s->opts.name);
	free(s);
}

int platci_json_stream_on(platci_json_stream *s, const char *pattern, unsigned int kinds, int id,
	platci_json_stream_cb cb, void *payload)
{
	sub *u;
	size_t n;
	int error;

	PLATCI_ASSERT_ARG(s && pattern && cb && kinds);
	if (s->nsubs >= PLATCI_JSON_STREAM_MAX_SUBS || s->total || s->lex.started)
		return PLATCI_EINVALID;
	u = &s->subs[s->nsubs];
	memset(u, 0, sizeof(*u));
	if ((error = platci_query_compile(&u->q, pattern, NULL)) < 0)
		return error == PLATCI_ENOMEM ? error : PLATCI_EINVALID;
	n = platci_query_step_count(u->q);
	if (!(u->steps = calloc(n ? n : 1, sizeof(*u->steps)))) {
		platci_query_free(u->q);
		return PLATCI_ENOMEM;
	}
	for (size_t k = 0; k < n; k++) {
		const platci_query_step *qs = platci_query_step_at(u->q, k);
		u->steps[k].kind = qs->kind;
		u->steps[k].key = qs->key;
		u->steps[k].key_len = qs->key ? strlen(qs->key) : 0;
		u->steps[k].index = qs->index;
	}
	u->nsteps = n;
	u->kinds = kinds;
	u->id = id;
	u->cb = cb;
	u->payload = payload;
	if (n == 0) {
		s->root.here |= (submask)1 << s->nsubs;
		s->root.kinds |= kinds;
	} else {
		s->root.below |= (submask)1 << s->nsubs;
	}
	s->nsubs++;
	return 0;
}

/* The tokenizer's own errors become diagnostics here, where the file name is known. */
static int lex_failed(platci_json_stream *s, int rc)
{
	json_lex *lx = &s->lex;

	if (s->error)
		return s->error;
	if (lx->error && rc == lx->error)
		report(s, lx->error, lx->err_offset, lx->err_line, lx->err_column, "%s", lx->err_message);
	return s->error = rc;
}

int platci_json_stream_feed(platci_json_stream *s, const char *data, size_t len, platci_diag *diag)
{
	size_t skip = 0;
	int rc;

	PLATCI_ASSERT_ARG(s && (data || !len));
	if (s->error)
		return s->error;
	s->diag = diag;
	/* The tokenizer would only see an invalid byte in UTF-16: say what the input is. */
	if (s->total == 0 && len >= 2 &&
		((data[0] == '\xFF' && data[1] == '\xFE') || (data[0] == '\xFE' && data[1] == '\xFF') ||
			data[0] == '\0' || data[1] == '\0')) {
		s->error = report(s, PLATCI_ESYNTAX, 0, 1, 1,
			"the input is UTF-16, not UTF-8 JSON: "
			"convert it first (iconv -f UTF-16 -t UTF-8)");
		return s->error;
	}
	if (s->total == 0 && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		skip = 3;
		s->lex.base = 3;
		s->lex.line_start = 3;
	}
	s->total += len;
	s->feed_data = data + skip;
	s->feed_base = s->lex.base;
	s->feed_len = len - skip;
	rc = platci_json_lex__feed(&s->lex, data + skip, len - skip);
	if (rc >= 0 && s->text_on)
		rc = text_take(s, s->feed_base + s->feed_len); /* the container goes on in the next feed */
	s->feed_data = NULL;
	return rc < 0 ? lex_failed(s, rc) : 0;
}

int platci_json_stream_finish(platci_json_stream *s, platci_diag *diag)
{
	int rc;

	PLATCI_ASSERT_ARG(s);
	if (s->error)
		return s->error;
	s->diag = diag;
	rc = platci_json_lex__finish(&s->lex);
	return rc < 0 ? lex_failed(s, rc) : 0;
}

int platci_json_stream_file(platci_json_stream *s, const char *path, platci_diag *diag)
{
	char *block = NULL;
	int fd = -1, error = 0;

	PLATCI_ASSERT_ARG(s && path);
	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, 0, path, 0, 0, 0, NULL, NULL };
		error = e.code = errno == ENOENT ? PLATCI_ENOTFOUND : PLATCI_EIO;
		platci_diag_add(diag, &e, "cannot open: %s", strerror(errno));
		goto done;
	}
	/*
	 * read(2) into one block, not mmap(2): mapped pages count as resident,
	 * so a mapped 200 MB report would look like 200 MB of memory.
	 */
	PLATCI_CHECK_ALLOC(block = malloc(BLOCK));
	for (;;) {
		ssize_t n = read(fd, block, BLOCK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EIO, path, 0, 0, 0, NULL, NULL };
			platci_diag_add(diag, &e, "read failed: %s",
				errno == EISDIR ? "it is a directory" : strerror(errno));
			error = PLATCI_EIO;
			goto done;
		}
		if (n == 0)
			break;
		if ((error = platci_json_stream_feed(s, block, (size_t)n, diag)) < 0)
			goto done;
	}
	error = platci_json_stream_finish(s, diag);
done:
	free(block);
	if (fd > STDIN_FILENO)
		close(fd);
	return error;
}

size_t platci_json_stream_bytes(const platci_json_stream *s)
{
	return s ? s->total : 0;
}

int platci_json_stream_root_type(const platci_json_stream *s)
{
	return s ? s->root_type : -1;
}
