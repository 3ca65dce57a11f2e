/*
 * Streaming JSON: yajl tokenises; we track the path only as deep as some
 * subscription could still match, skip everything else with a counter,
 * and build jansson values only for subscribed paths.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "platci/json_stream.h"
#include "platci/query.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_SUBS 64
#define DEFAULT_MAX_DEPTH 512
#define DEFAULT_MAX_VALUE (64u * 1024 * 1024)

typedef struct sub {
	platci_query *q;
	const platci_query_step *steps; /* q's steps, copied out: matched on every key */
	size_t nsteps;
	unsigned int kinds;
	int id;
	platci_json_stream_cb cb;
	void *payload;
} sub;

typedef struct frame {
	int is_map;
	uint64_t mask;      /* subscriptions that may match below this container */
	uint64_t exit_mask; /* subscriptions to tell when it closes */
	size_t next_index;
	char *key;          /* current key (maps) */
	size_t key_len, key_alloc;
	size_t step_index;  /* this container's index in its parent array */
} frame;

typedef struct build {
	json_t *container;
	char *key;
	size_t key_len, key_alloc;
} build;

struct platci_json_stream {
	platci_json_stream_options opts;
	sub subs[MAX_SUBS];
	size_t nsubs;
	yajl_handle yajl;
	platci_diag *diag;
	int error;
	int started;
	int root_type;

	frame *frames;
	size_t nframes, frames_alloc, frames_inited;
	size_t skip_depth;

	build *builds;
	size_t nbuilds, builds_alloc;
	uint64_t build_subs;
	size_t build_index;
	char *build_key_copy; /* step of the value being built */
	size_t build_bytes;

	/* position tracking */
	const char *chunk;
	size_t chunk_base; /* absolute offset of chunk[0] */
	size_t counted;    /* absolute offset up to which lines are counted */
	size_t line;       /* 1-based line at `counted` */
	size_t line_start; /* absolute offset of the current line's start */
	size_t total;
};

int platci_json_stream_options_init(platci_json_stream_options *opts, unsigned int version)
{
	platci_json_stream_options init = PLATCI_JSON_STREAM_OPTIONS_INIT;

	if (version != PLATCI_JSON_STREAM_OPTIONS_VERSION)
		return PLATCI_EINVALID;
	*opts = init;
	return 0;
}

/* ---- positions ----------------------------------------------------------- */

static size_t current_offset(const platci_json_stream *s)
{
	return s->chunk_base + yajl_get_bytes_consumed(s->yajl);
}

static void count_lines_to(platci_json_stream *s, size_t abs)
{
	const char *p, *end;

	if (abs <= s->counted || !s->chunk)
		return;
	p = s->chunk + (s->counted - s->chunk_base);
	end = s->chunk + (abs - s->chunk_base);
	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		p++;
		s->line++;
		s->line_start = s->chunk_base + (size_t)(p - s->chunk);
	}
	s->counted = abs;
}

static int fail(platci_json_stream *s, int code, size_t abs, const char *fmt, ...)
	PLATCI_PRINTF(4, 5);

static int fail(platci_json_stream *s, int code, size_t abs, const char *fmt, ...)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, code, s->opts.name, 0, 0, abs, NULL, NULL };
	char msg[512];
	va_list ap;

	if (s->chunk && abs >= s->chunk_base)
		count_lines_to(s, abs);
	e.line = s->line;
	e.column = abs >= s->line_start ? abs - s->line_start + 1 : 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	platci_diag_add(s->diag, &e, "%s", msg);
	if (!s->error)
		s->error = code;
	return 0;
}

/* ---- subscriptions --------------------------------------------------------- */

static int step_matches(const platci_query_step *st, const char *key, size_t index)
{
	switch (st->kind) {
	case PLATCI_QUERY_ANY: return 1;
	case PLATCI_QUERY_KEY: return key && st->key[0] == key[0] && strcmp(st->key, key) == 0;
	case PLATCI_QUERY_INDEX: return !key && st->index == index;
	}
	return 0;
}

static int deliver(platci_json_stream *s, uint64_t mask, platci_json_stream_kind kind,
	json_t *value, const char *key, size_t index)
{
	platci_json_event ev;
	size_t abs = current_offset(s);

	count_lines_to(s, abs);
	for (uint64_t m = mask; m; m &= m - 1) {
		size_t i = (size_t)__builtin_ctzll(m);
		int rc;

		if (!(s->subs[i].kinds & kind))
			continue;
		ev.id = s->subs[i].id;
		ev.kind = kind;
		ev.value = value;
		ev.key = key;
		ev.index = key ? 0 : index;
		ev.line = s->line;
		ev.offset = abs;
		if ((rc = s->subs[i].cb(&ev, s->subs[i].payload)) < 0) {
			s->error = rc;
			return 0;
		}
	}
	return 1;
}

static int set_key(char **key, size_t *len, size_t *alloc, const unsigned char *k, size_t n)
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

/* ---- building ------------------------------------------------------------- */

static int build_add(platci_json_stream *s, json_t *v)
{
	build *top;
	int rc;

	if (!v) {
		s->error = PLATCI_ENOMEM;
		return 0;
	}
	top = &s->builds[s->nbuilds - 1];
	if (json_is_object(top->container))
		rc = json_object_setn_new_nocheck(top->container, top->key, top->key_len, v);
	else
		rc = json_array_append_new(top->container, v);
	if (rc < 0) {
		s->error = PLATCI_ENOMEM;
		return 0;
	}
	return 1;
}

static int check_depth(platci_json_stream *s)
{
	if (s->nframes + s->skip_depth + s->nbuilds >= s->opts.max_depth)
		return fail(s, PLATCI_ELIMIT, current_offset(s), "JSON nested deeper than the limit");
	return 1;
}

static int push_build(platci_json_stream *s, json_t *c)
{
	if (platci__grow_array((void **)&s->builds, &s->builds_alloc, s->nbuilds + 1,
		    sizeof(*s->builds)) < 0) {
		json_decref(c);
		s->error = PLATCI_ENOMEM;
		return 0;
	}
	memset(&s->builds[s->nbuilds], 0, sizeof(build));
	s->builds[s->nbuilds++].container = c;
	return 1;
}

static int push_frame(platci_json_stream *s, int is_map, uint64_t below, uint64_t exits,
	size_t index)
{
	frame *f;
	char *keep;
	size_t keep_alloc;

	if (platci__grow_array((void **)&s->frames, &s->frames_alloc, s->nframes + 1,
		    sizeof(*s->frames)) < 0) {
		s->error = PLATCI_ENOMEM;
		return 0;
	}
	if (s->nframes >= s->frames_inited)
		memset(&s->frames[s->frames_inited++], 0, sizeof(frame));
	f = &s->frames[s->nframes++];
	/* Reuse the key buffer an earlier frame at this depth left behind. */
	keep = f->key;
	keep_alloc = f->key_alloc;
	memset(f, 0, sizeof(*f));
	f->key = keep;
	f->key_alloc = keep_alloc;
	if (f->key)
		f->key[0] = '\0';
	f->is_map = is_map;
	f->mask = below;
	f->exit_mask = exits;
	f->step_index = index;
	return 1;
}

/* Which subscriptions match a value at this step, and which may match below it. */
static void match_step(platci_json_stream *s, const char *key, size_t index, uint64_t *here,
	uint64_t *below)
{
	size_t depth = s->nframes;
	uint64_t cand;

	*here = *below = 0;
	if (depth == 0) {
		for (size_t i = 0; i < s->nsubs; i++) {
			uint64_t bit = (uint64_t)1 << i;
			if (s->subs[i].nsteps == 0)
				*here |= bit;
			else
				*below |= bit;
		}
		return;
	}
	cand = s->frames[depth - 1].mask;
	for (uint64_t m = cand; m; m &= m - 1) {
		size_t i = (size_t)__builtin_ctzll(m);
		uint64_t bit = (uint64_t)1 << i;

		if (!step_matches(&s->subs[i].steps[depth - 1], key, index))
			continue;
		if (s->subs[i].nsteps == depth)
			*here |= bit;
		else
			*below |= bit;
	}
}

/*
 * A value starts. Returns 0 to stop yajl. Scalars arrive built in
 * @p scalar (owned here); containers pass NULL and say @p is_map.
 */
static int value_begin(platci_json_stream *s, json_t *scalar, int is_map)
{
	uint64_t here = 0, below = 0, value_subs = 0;
	const char *key = NULL;
	size_t index = 0;
	int container = scalar == NULL;

	if (s->nbuilds) {
		json_t *c;

		if (!container)
			return build_add(s, scalar);
		if (!check_depth(s))
			return 0;
		c = is_map ? json_object() : json_array();
		if (!c || !build_add(s, json_incref(c))) {
			json_decref(c);
			s->error = PLATCI_ENOMEM;
			return 0;
		}
		return push_build(s, c);
	}
	if (s->skip_depth) {
		json_decref(scalar);
		if (container) {
			if (!check_depth(s))
				return 0;
			s->skip_depth++;
		}
		return 1;
	}
	if (s->nframes == 0) {
		if (s->started) { /* yajl refuses a second top-level value after this */
			json_decref(scalar);
			return 1;
		}
		s->started = 1;
		s->root_type = container ? (is_map ? JSON_OBJECT : JSON_ARRAY) : (int)json_typeof(scalar);
	} else {
		frame *top = &s->frames[s->nframes - 1];
		if (top->is_map)
			key = top->key;
		else
			index = top->next_index++;
	}
	match_step(s, key, index, &here, &below);

	if (!container) {
		int ok = here ? deliver(s, here, PLATCI_JSON_STREAM_VALUE, scalar, key, index) : 1;
		json_decref(scalar);
		return ok;
	}
	if (!check_depth(s))
		return 0;
	if (here && !deliver(s, here, PLATCI_JSON_STREAM_ENTER, NULL, key, index))
		return 0;
	for (size_t i = 0; i < s->nsubs; i++)
		if ((here & ((uint64_t)1 << i)) && (s->subs[i].kinds & PLATCI_JSON_STREAM_VALUE))
			value_subs |= (uint64_t)1 << i;
	if (value_subs) {
		json_t *c = is_map ? json_object() : json_array();
		if (!c) {
			s->error = PLATCI_ENOMEM;
			return 0;
		}
		s->build_subs = here;
		free(s->build_key_copy);
		s->build_key_copy = NULL;
		if (key && !(s->build_key_copy = platci__strdup(key))) {
			json_decref(c);
			s->error = PLATCI_ENOMEM;
			return 0;
		}
		s->build_index = index;
		s->build_bytes = 0;
		return push_build(s, c);
	}
	if (!below && !here) {
		s->skip_depth++;
		return 1;
	}
	return push_frame(s, is_map, below, here, index);
}

static int container_end(platci_json_stream *s)
{
	if (s->nbuilds > 1) {
		build *top = &s->builds[--s->nbuilds];
		free(top->key);
		top->key = NULL;
		json_decref(top->container); /* the parent holds it now */
		return 1;
	}
	if (s->nbuilds == 1) {
		json_t *c = s->builds[0].container;
		int ok;

		free(s->builds[0].key);
		s->builds[0].key = NULL;
		s->nbuilds = 0;
		ok = deliver(s, s->build_subs, PLATCI_JSON_STREAM_VALUE, c, s->build_key_copy,
			s->build_index);
		if (ok)
			ok = deliver(s, s->build_subs, PLATCI_JSON_STREAM_EXIT, NULL, s->build_key_copy,
				s->build_index);
		json_decref(c);
		return ok;
	}
	if (s->skip_depth) {
		s->skip_depth--;
		return 1;
	}
	if (s->nframes) {
		frame *f = &s->frames[--s->nframes];
		const char *key = NULL;

		if (s->nframes && s->frames[s->nframes - 1].is_map)
			key = s->frames[s->nframes - 1].key;
		if (f->exit_mask)
			return deliver(s, f->exit_mask, PLATCI_JSON_STREAM_EXIT, NULL, key,
				f->step_index);
	}
	return 1;
}

/* ---- yajl callbacks ------------------------------------------------------- */

/*
 * Most scalars of a large input are neither built nor delivered: decide
 * that before allocating a jansson value. A skipped scalar still takes
 * its place in an array's numbering.
 */
static int scalar_wanted(platci_json_stream *s)
{
	frame *top;
	uint64_t here, below;

	if (s->nbuilds)
		return 1;
	if (s->skip_depth)
		return 0;
	if (!s->nframes)
		return 1;
	top = &s->frames[s->nframes - 1];
	match_step(s, top->is_map ? top->key : NULL, top->is_map ? 0 : top->next_index, &here,
		&below);
	if (here)
		return 1;
	if (!top->is_map)
		top->next_index++;
	return 0;
}

static int on_scalar(platci_json_stream *s, json_t *v)
{
	if (!v) {
		s->error = PLATCI_ENOMEM;
		return 0;
	}
	return value_begin(s, v, 0);
}

static int cb_null(void *ctx)
{
	return scalar_wanted(ctx) ? on_scalar(ctx, json_null()) : 1;
}

static int cb_boolean(void *ctx, int b)
{
	return scalar_wanted(ctx) ? on_scalar(ctx, json_boolean(b)) : 1;
}

static int cb_number(void *ctx, const char *num, size_t len)
{
	platci_json_stream *s = ctx;
	char tmp[64];
	json_t *v;

	if (!scalar_wanted(s))
		return 1;
	if (len >= sizeof(tmp)) {
		v = json_stringn(num, len); /* absurdly long numbers are kept as text */
	} else {
		int is_int = 1;
		memcpy(tmp, num, len);
		tmp[len] = '\0';
		for (size_t i = 0; i < len; i++)
			if (tmp[i] == '.' || tmp[i] == 'e' || tmp[i] == 'E')
				is_int = 0;
		if (is_int) {
			long long n;
			errno = 0;
			n = strtoll(tmp, NULL, 10);
			v = errno == ERANGE ? json_real(strtod(tmp, NULL)) : json_integer(n);
		} else {
			v = json_real(strtod(tmp, NULL));
		}
	}
	return on_scalar(s, v);
}

static int cb_string(void *ctx, const unsigned char *str, size_t len)
{
	platci_json_stream *s = ctx;

	if (s->skip_depth)
		return 1;
	if (s->nbuilds) {
		s->build_bytes += len;
		if (s->build_bytes > s->opts.max_value_bytes)
			return fail(s, PLATCI_ELIMIT, current_offset(s),
				"a JSON value is larger than the limit");
	}
	if (!scalar_wanted(s))
		return 1;
	/* yajl has validated the UTF-8 already: no second check. */
	return on_scalar(s, json_stringn_nocheck((const char *)str, len));
}

static int cb_start_map(void *ctx)
{
	return value_begin(ctx, NULL, 1);
}

static int cb_start_array(void *ctx)
{
	return value_begin(ctx, NULL, 0);
}

static int cb_map_key(void *ctx, const unsigned char *key, size_t len)
{
	platci_json_stream *s = ctx;
	int rc;

	if (s->nbuilds) {
		build *top = &s->builds[s->nbuilds - 1];
		s->build_bytes += len;
		if (s->build_bytes > s->opts.max_value_bytes)
			return fail(s, PLATCI_ELIMIT, current_offset(s),
				"a JSON value is larger than the limit");
		rc = set_key(&top->key, &top->key_len, &top->key_alloc, key, len);
	} else if (s->skip_depth) {
		return 1;
	} else if (s->nframes) {
		frame *f = &s->frames[s->nframes - 1];
		rc = set_key(&f->key, &f->key_len, &f->key_alloc, key, len);
	} else {
		return 1;
	}
	if (rc < 0) {
		s->error = rc;
		return 0;
	}
	return 1;
}

static int cb_end(void *ctx)
{
	return container_end(ctx);
}

static const yajl_callbacks callbacks = {
	cb_null, cb_boolean, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_map_key, cb_end, cb_start_array, cb_end
};

/* ---- public API ------------------------------------------------------------ */

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
	s->yajl = yajl_alloc(&callbacks, NULL, s);
	if (!s->yajl) {
		platci_json_stream_free(s);
		return PLATCI_ENOMEM;
	}
	s->root_type = -1;
	s->line = 1;
	*out = s;
	return 0;
}

void platci_json_stream_free(platci_json_stream *s)
{
	if (!s)
		return;
	if (s->yajl)
		yajl_free(s->yajl);
	for (size_t i = 0; i < s->nsubs; i++) {
		platci_query_free(s->subs[i].q);
		free((void *)s->subs[i].steps);
	}
	for (size_t i = 0; i < s->frames_inited; i++)
		free(s->frames[i].key);
	free(s->frames);
	for (size_t i = 0; i < s->nbuilds; i++) {
		json_decref(s->builds[i].container);
		free(s->builds[i].key);
	}
	free(s->builds);
	free(s->build_key_copy);
	free((char *)s->opts.name);
	free(s);
}

int platci_json_stream_on(platci_json_stream *s, const char *pattern, unsigned int kinds, int id,
	platci_json_stream_cb cb, void *payload)
{
	int error;

	PLATCI_ASSERT_ARG(s && pattern && cb && kinds);
	if (s->nsubs >= MAX_SUBS || s->total)
		return PLATCI_EINVALID;
	if ((error = platci_query_compile(&s->subs[s->nsubs].q, pattern, NULL)) < 0)
		return error == PLATCI_ENOMEM ? error : PLATCI_EINVALID;
	{
		size_t n = platci_query_length(s->subs[s->nsubs].q);
		platci_query_step *steps = calloc(n ? n : 1, sizeof(*steps));
		if (!steps) {
			platci_query_free(s->subs[s->nsubs].q);
			return PLATCI_ENOMEM;
		}
		for (size_t k = 0; k < n; k++)
			steps[k] = *platci_query_step_at(s->subs[s->nsubs].q, k);
		s->subs[s->nsubs].steps = steps;
		s->subs[s->nsubs].nsteps = n;
	}
	s->subs[s->nsubs].kinds = kinds;
	s->subs[s->nsubs].id = id;
	s->subs[s->nsubs].cb = cb;
	s->subs[s->nsubs].payload = payload;
	s->nsubs++;
	return 0;
}

static int yajl_failed(platci_json_stream *s, yajl_status st, const char *data, size_t len)
{
	size_t consumed = yajl_get_bytes_consumed(s->yajl);

	if (st == yajl_status_client_canceled || s->error)
		return s->error ? s->error : PLATCI_EUSER;
	{
		unsigned char *msg = yajl_get_error(s->yajl, 0, (const unsigned char *)data, len);
		char text[256];
		size_t n;

		snprintf(text, sizeof(text), "%s", msg ? (const char *)msg : "invalid JSON");
		if (msg)
			yajl_free_error(s->yajl, msg);
		/* yajl ends its messages with a newline. */
		n = strlen(text);
		while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
			text[--n] = '\0';
		fail(s, PLATCI_ESYNTAX, s->chunk_base + (consumed < len ? consumed : len),
			"invalid JSON: %s", text);
	}
	return PLATCI_ESYNTAX;
}

int platci_json_stream_feed(platci_json_stream *s, const char *data, size_t len,
	platci_diag *diag)
{
	yajl_status st;
	size_t skip = 0;
	int error = 0;

	PLATCI_ASSERT_ARG(s);
	if (s->error)
		return s->error;
	s->diag = diag;
	/* yajl would only say "invalid char" about UTF-16: say what the input is. */
	if (s->total == 0 && len >= 2 &&
	    ((data[0] == '\xFF' && data[1] == '\xFE') || (data[0] == '\xFE' && data[1] == '\xFF') ||
	     data[0] == '\0' || data[1] == '\0')) {
		fail(s, PLATCI_ESYNTAX, 0, "the input is UTF-16, not UTF-8 JSON: convert it first "
			"(iconv -f UTF-16 -t UTF-8)");
		return PLATCI_ESYNTAX;
	}
	if (s->total == 0 && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		skip = 3;
	s->chunk = data;
	s->chunk_base = s->total;
	if (s->counted < s->total)
		s->counted = s->total;
	if (skip)
		s->counted = s->line_start = 3;
	/* yajl reports offsets relative to what it was given: shift past the BOM. */
	s->chunk = data + skip;
	s->chunk_base = s->total + skip;
	st = yajl_parse(s->yajl, (const unsigned char *)data + skip, len - skip);
	if (st != yajl_status_ok)
		error = yajl_failed(s, st, data + skip, len - skip);
	else
		count_lines_to(s, s->chunk_base + (len - skip));
	s->total += len;
	s->chunk = NULL;
	return error;
}

int platci_json_stream_finish(platci_json_stream *s, platci_diag *diag)
{
	yajl_status st;

	PLATCI_ASSERT_ARG(s);
	if (s->error)
		return s->error;
	s->diag = diag;
	if (!s->started) {
		fail(s, PLATCI_ESYNTAX, s->total, "no JSON value: the input is empty");
		return PLATCI_ESYNTAX;
	}
	st = yajl_complete_parse(s->yajl);
	if (st != yajl_status_ok) {
		if (st == yajl_status_client_canceled || s->error)
			return s->error ? s->error : PLATCI_EUSER;
		fail(s, PLATCI_ESYNTAX, s->total,
			"invalid JSON: the input ends before the document does (truncated?)");
		return PLATCI_ESYNTAX;
	}
	return 0;
}

int platci_json_stream_file(platci_json_stream *s, const char *path, platci_diag *diag)
{
	FILE *f = NULL;
	char *block = NULL;
	int error = 0;
	/*
	 * read(2) into one block, not mmap(2): mapped pages count as resident,
	 * so a mapped 200 MB report would look like 200 MB of memory.
	 */
	const size_t block_size = 256 * 1024;

	PLATCI_ASSERT_ARG(s && path);
	if (strcmp(path, "-") == 0) {
		f = stdin;
	} else if (!(f = fopen(path, "rb"))) {
		platci_diag_entry e = { PLATCI_DIAG_ERROR, 0, path, 0, 0, 0, NULL, NULL };
		error = e.code = errno == ENOENT ? PLATCI_ENOTFOUND : PLATCI_EIO;
		platci_diag_add(diag, &e, "cannot open: %s", strerror(errno));
		goto done;
	}
	block = malloc(block_size);
	PLATCI_CHECK_ALLOC(block);
	for (;;) {
		size_t n = fread(block, 1, block_size, f);
		if (n && (error = platci_json_stream_feed(s, block, n, diag)) < 0)
			goto done;
		if (n < block_size) {
			if (ferror(f)) {
				platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EIO, path, 0, 0, 0, NULL,
					NULL };
				platci_diag_add(diag, &e, "read failed (is it a directory?)");
				error = PLATCI_EIO;
				goto done;
			}
			break;
		}
	}
	error = platci_json_stream_finish(s, diag);
done:
	free(block);
	if (f && f != stdin)
		fclose(f);
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
