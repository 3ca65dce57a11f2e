/*
 * `$ref` and `id`: base URIs (RFC 3986 resolution), the index of `id`s
 * inside a document, JSON pointers (RFC 6901, percent-decoded as URI
 * fragments), and the check that no chain of references applies a schema
 * to the same instance again without descending into it.
 */
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "schema_compile.h"
#include "util/common.h"
#include "util/banned.h"

const platci_node *platci_schema__own(const platci_node *map, const char *key)
{
	size_t n = strlen(key);

	if (!map || map->type != PLATCI_NODE_MAPPING)
		return NULL;
	for (size_t i = 0; i < map->len; i++) {
		const platci_node *k = map->items[2 * i];
		if (k->type == PLATCI_NODE_SCALAR && k->len == n && !memcmp(k->value, key, n))
			return map->items[2 * i + 1];
	}
	return NULL;
}

/* ---- URIs ---------------------------------------------------------------------- */

typedef struct span {
	const char *p;
	size_t n;
	int set;
} span;

typedef struct uri_parts {
	span scheme, auth, path, query, frag;
} uri_parts;

static void uri_split(uri_parts *u, const char *s)
{
	const char *p = s;

	memset(u, 0, sizeof(*u));
	if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
		const char *q = p;
		while (*q && (strchr("+-.", *q) || (*q >= '0' && *q <= '9') ||
				     ((*q | 0x20) >= 'a' && (*q | 0x20) <= 'z')))
			q++;
		if (*q == ':') {
			u->scheme = (span){ p, (size_t)(q - p), 1 };
			p = q + 1;
		}
	}
	if (p[0] == '/' && p[1] == '/') {
		size_t n = strcspn(p + 2, "/?#");
		u->auth = (span){ p + 2, n, 1 };
		p += 2 + n;
	}
	u->path = (span){ p, strcspn(p, "?#"), 1 };
	p += u->path.n;
	if (*p == '?') {
		u->query = (span){ p + 1, strcspn(p + 1, "#"), 1 };
		p += 1 + u->query.n;
	}
	if (*p == '#')
		u->frag = (span){ p + 1, strlen(p + 1), 1 };
}

/* RFC 3986 section 5.2.4, on a NUL-terminated copy. */
static void remove_dots(char *in, platci_buf *out)
{
	while (*in) {
		if (!strncmp(in, "../", 3)) {
			in += 3;
		} else if (!strncmp(in, "./", 2)) {
			in += 2;
		} else if (!strncmp(in, "/./", 3) || !strcmp(in, "/.")) {
			in += 2;
			if (!*in)
				*--in = '/';
			else
				in[0] = '/';
		} else if (!strncmp(in, "/../", 4) || !strcmp(in, "/..")) {
			char *slash;
			in += 3;
			if (!*in)
				*--in = '/';
			else
				in[0] = '/';
			slash = strrchr(out->ptr, '/');
			platci_buf_truncate(out, slash ? (size_t)(slash - out->ptr) : 0);
		} else if (!strcmp(in, ".") || !strcmp(in, "..")) {
			break;
		} else {
			size_t n = strcspn(in + 1, "/") + 1;
			platci_buf_put(out, in, n);
			in += n;
		}
	}
}

static void put_span(platci_buf *b, const char *before, span s)
{
	if (!s.set)
		return;
	platci_buf_puts(b, before);
	platci_buf_put(b, s.p, s.n);
}

static void put_path(platci_buf *b, const char *prefix, size_t plen, span rel)
{
	platci_buf merged = PLATCI_BUF_INIT;

	platci_buf_put(&merged, prefix, plen);
	platci_buf_put(&merged, rel.p, rel.n);
	if (!merged.error)
		remove_dots(merged.ptr, b);
	else
		b->error = merged.error;
	platci_buf_dispose(&merged);
}

const char *platci_schema__join_uri(schema_compiler *cc, const char *base, const char *ref)
{
	platci_buf b = PLATCI_BUF_INIT;
	uri_parts B, R;
	char *out = NULL;

	uri_split(&B, base);
	uri_split(&R, ref);
	if (R.scheme.set) {
		put_span(&b, "", R.scheme);
		platci_buf_putc(&b, ':');
		put_span(&b, "//", R.auth);
		put_path(&b, "", 0, R.path);
		put_span(&b, "?", R.query);
	} else {
		if (B.scheme.set) {
			put_span(&b, "", B.scheme);
			platci_buf_putc(&b, ':');
		}
		if (R.auth.set) {
			put_span(&b, "//", R.auth);
			put_path(&b, "", 0, R.path);
			put_span(&b, "?", R.query);
		} else {
			put_span(&b, "//", B.auth);
			if (!R.path.n) {
				platci_buf_put(&b, B.path.p, B.path.n);
				put_span(&b, "?", R.query.set ? R.query : B.query);
			} else if (R.path.p[0] == '/') {
				put_path(&b, "", 0, R.path);
				put_span(&b, "?", R.query);
			} else {
				const char *slash = NULL;
				for (size_t i = 0; i < B.path.n; i++)
					if (B.path.p[i] == '/')
						slash = B.path.p + i;
				if (B.auth.set && !B.path.n)
					put_path(&b, "/", 1, R.path);
				else
					put_path(&b, B.path.p,
						slash ? (size_t)(slash - B.path.p) + 1 : 0, R.path);
				put_span(&b, "?", R.query);
			}
		}
	}
	if (R.frag.set && R.frag.n)
		put_span(&b, "#", R.frag);
	if (!b.error)
		out = platci_arena_strndup(&cc->scratch, b.ptr, b.size);
	platci_buf_dispose(&b);
	if (!out)
		cc->error = PLATCI_ENOMEM;
	return out;
}

/* ---- the id index ------------------------------------------------------------- */

static size_t str_hash(const char *s)
{
	return platci_schema__name_hash(s, strlen(s));
}

static const id_slot *ids_get(const schema_compiler *cc, const char *uri)
{
	if (!cc->ids_alloc)
		return NULL;
	for (size_t i = str_hash(uri) & (cc->ids_alloc - 1); cc->ids[i].uri;
		i = (i + 1) & (cc->ids_alloc - 1))
		if (!strcmp(cc->ids[i].uri, uri))
			return &cc->ids[i];
	return NULL;
}

static int ids_put(schema_compiler *cc, const char *uri, const platci_node *node)
{
	size_t i;

	if ((cc->ids_used + 1) * 2 > cc->ids_alloc) {
		size_t n = cc->ids_alloc ? cc->ids_alloc * 2 : 32;
		id_slot *t = calloc(n, sizeof(*t));
		if (!t)
			return cc->error = PLATCI_ENOMEM;
		for (size_t k = 0; k < cc->ids_alloc; k++) {
			if (!cc->ids[k].uri)
				continue;
			for (i = str_hash(cc->ids[k].uri) & (n - 1); t[i].uri; i = (i + 1) & (n - 1))
				;
			t[i] = cc->ids[k];
		}
		free(cc->ids);
		cc->ids = t;
		cc->ids_alloc = n;
	}
	for (i = str_hash(uri) & (cc->ids_alloc - 1); cc->ids[i].uri; i = (i + 1) & (cc->ids_alloc - 1))
		if (!strcmp(cc->ids[i].uri, uri))
			return 0; /* the first definition wins */
	cc->ids[i].uri = uri;
	cc->ids[i].node = node;
	cc->ids[i].base = uri;
	cc->ids_used++;
	return 0;
}

/* Subschema positions of draft 4: only these can hold an `id`. */
static int index_children(schema_compiler *cc, const platci_node *node, const char *base, size_t depth)
{
	static const char *const maps[] = { "properties", "patternProperties", "definitions",
		"dependencies" };
	static const char *const single[] = { "additionalProperties", "additionalItems", "not", "items" };
	static const char *const lists[] = { "allOf", "anyOf", "oneOf", "items" };
	const platci_node *v;

	for (size_t k = 0; k < PLATCI_ARRAY_SIZE(maps); k++)
		if ((v = platci_schema__own(node, maps[k])) && platci_node_type_of(v) == PLATCI_NODE_MAPPING)
			for (size_t i = 0; i < platci_node_count(v); i++)
				if (platci_schema__index_ids(cc, platci_node_value_at(v, i), base,
					    depth + 1) < 0)
					return -1;
	for (size_t k = 0; k < PLATCI_ARRAY_SIZE(single); k++)
		if ((v = platci_schema__own(node, single[k])) &&
			platci_schema__index_ids(cc, v, base, depth + 1) < 0)
			return -1;
	for (size_t k = 0; k < PLATCI_ARRAY_SIZE(lists); k++)
		if ((v = platci_schema__own(node, lists[k])) && platci_node_type_of(v) == PLATCI_NODE_SEQUENCE)
			for (size_t i = 0; i < platci_node_count(v); i++)
				if (platci_schema__index_ids(cc, platci_node_item_at(v, i), base,
					    depth + 1) < 0)
					return -1;
	return 0;
}

int platci_schema__index_ids(schema_compiler *cc, const platci_node *node, const char *base, size_t depth)
{
	size_t max = cc->s->opts.max_depth ? cc->s->opts.max_depth : SCHEMA_DEFAULT_MAX_DEPTH;
	const platci_node *id;

	if (platci_node_type_of(node) != PLATCI_NODE_MAPPING)
		return 0;
	if (depth > max) {
		platci_schema__error(cc, PLATCI_ELIMIT, node, "schema nested deeper than %zu levels", max);
		return -1;
	}
	id = platci_schema__own(node, "id");
	if (id && platci_schema__type_of(id) == T_STRING && !platci_schema__own(node, "$ref")) {
		char *uri;
		size_t n;
		if (!(base = platci_schema__join_uri(cc, base, platci_node_scalar(id, NULL))))
			return -1;
		n = strlen(base);
		if (!(uri = platci_arena_strndup(&cc->scratch, base, n && base[n - 1] == '#' ? n - 1 : n)))
			return cc->error = PLATCI_ENOMEM;
		if (ids_put(cc, uri, node) < 0)
			return -1;
	}
	return index_children(cc, node, base, depth);
}

/* ---- resolving ----------------------------------------------------------------- */

static int hexdigit(char c)
{
	return c >= '0' && c <= '9'                     ? c - '0'
	       : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
							: -1;
}

/* Percent-decodes @p s in place (a URI fragment). */
static void percent_decode(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '%' && hexdigit(s[1]) >= 0 && hexdigit(s[2]) >= 0) {
			*w++ = (char)(hexdigit(s[1]) * 16 + hexdigit(s[2]));
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static const platci_node *pointer_step(const platci_node *n, const char *tok, size_t len)
{
	if (platci_node_type_of(n) == PLATCI_NODE_MAPPING) {
		for (size_t i = 0; i < platci_node_count(n); i++) {
			size_t klen;
			const char *k = platci_node_scalar(platci_node_key_at(n, i), &klen);
			if (k && klen == len && memcmp(k, tok, len) == 0)
				return platci_node_value_at(n, i);
		}
		return NULL;
	}
	if (platci_node_type_of(n) == PLATCI_NODE_SEQUENCE && len && len < 10 &&
		(len == 1 || tok[0] != '0')) {
		size_t idx = 0;
		for (size_t i = 0; i < len; i++) {
			if (tok[i] < '0' || tok[i] > '9')
				return NULL;
			idx = idx * 10 + (size_t)(tok[i] - '0');
		}
		return platci_node_item_at(n, idx);
	}
	return NULL;
}

/* Walks the JSON pointer @p ptr (decoded, starting with '/') from @p n. */
static int walk_pointer(const platci_node **target, const char **base, const char **def_name,
	schema_compiler *cc, const platci_node *n, char *ptr)
{
	char *tok = ptr + 1, prev[32] = "";

	for (;;) {
		char *end = strchr(tok, '/'), *w = tok;
		size_t len;
		const platci_node *id;
		if (end)
			*end = '\0';
		for (char *r = tok; *r; r++) {
			if (r[0] == '~' && (r[1] == '0' || r[1] == '1'))
				*w++ = *++r == '0' ? '~' : '/';
			else
				*w++ = *r;
		}
		len = (size_t)(w - tok);
		if (!(n = pointer_step(n, tok, len)))
			return -1;
		*def_name = !strcmp(prev, "definitions") || !strcmp(prev, "schemas") ? tok : NULL;
		snprintf(prev, sizeof(prev), "%.*s", (int)(len < 31 ? len : 31), tok);
		/* documents without ids (Kubernetes' own) skip the base tracking */
		id = cc->ids_used ? platci_schema__own(n, "id") : NULL;
		if (id && platci_schema__type_of(id) == T_STRING && !platci_schema__own(n, "$ref") &&
			!(*base = platci_schema__join_uri(cc, *base, platci_node_scalar(id, NULL))))
			return -1;
		if (!end)
			break;
		tok = end + 1;
	}
	*target = n;
	return 0;
}

int platci_schema__resolve_pointer(const platci_node **target, const char **target_base,
	const char **def_name, schema_compiler *cc, const platci_node *at, const char *ref)
{
	const char *abs, *hash;
	const platci_node *resource;
	const id_slot *hit;
	char *frag, *doc;

	*def_name = NULL;
	if (!(abs = platci_schema__join_uri(cc, *target_base ? *target_base : "", ref)))
		return -1;
	if ((hit = ids_get(cc, abs))) {
		*target = hit->node;
		*target_base = hit->base;
		return 0;
	}
	hash = strchr(abs, '#');
	if (!(doc = platci_arena_strndup(&cc->scratch, abs, hash ? (size_t)(hash - abs) : strlen(abs))) ||
		!(frag = platci_arena_strdup(&cc->scratch, hash ? hash + 1 : "")))
		return cc->error = PLATCI_ENOMEM;
	if (!*doc || !strcmp(doc, cc->doc_uri)) {
		resource = cc->doc_root;
		*target_base = cc->doc_uri;
	} else if ((hit = ids_get(cc, doc))) {
		resource = hit->node;
		*target_base = hit->base;
	} else {
		platci_schema__error(cc, PLATCI_EDATA, at,
			"$ref \"%.200s\" names another document (%.200s); remote references are not "
			"fetched: put the definition in this document",
			ref, doc);
		return -1;
	}
	percent_decode(frag);
	if (!*frag) {
		*target = resource;
		return 0;
	}
	if (*frag != '/' || walk_pointer(target, target_base, def_name, cc, resource, frag) < 0) {
		if (!cc->error)
			platci_schema__error(cc, PLATCI_EDATA, at,
				"$ref \"%.200s\" points to nowhere: nothing in the document is at that "
				"location",
				ref);
		return -1;
	}
	return 0;
}

int platci_schema__resolve_ref(const platci_node **target, const char **target_base,
	const char **def_name, schema_compiler *cc, const platci_node *at, const char *base)
{
	*target_base = base;
	return platci_schema__resolve_pointer(target, target_base, def_name, cc, at,
		platci_node_scalar(at, NULL));
}

/* ---- cycles ----------------------------------------------------------------------- */

/* The schemas applied to the same instance as @p s: edge @p i, or NULL past the last. */
static const sch *same_instance_edge(const sch *s, size_t i, size_t *count)
{
	size_t n = 0;

	if (s->ref && i == n++)
		return s->ref;
	if (s->not_ && i == n++)
		return s->not_;
	if (i < n + s->all_of.n)
		return s->all_of.items[i - n];
	n += s->all_of.n;
	if (i < n + s->any_of.n)
		return s->any_of.items[i - n];
	n += s->any_of.n;
	if (i < n + s->one_of.n)
		return s->one_of.items[i - n];
	n += s->one_of.n;
	for (size_t k = 0; k < s->ndeps; k++)
		if (s->deps[k].schema && i == n++)
			return s->deps[k].schema;
	*count = n;
	return NULL;
}

typedef struct dfs_frame {
	const sch *s;
	size_t edge;
} dfs_frame;

int platci_schema__check_cycles(schema_compiler *cc)
{
	unsigned char *color = calloc(cc->nall ? cc->nall : 1, 1);
	dfs_frame *stack = malloc((cc->nall ? cc->nall : 1) * sizeof(*stack));
	int error = 0;

	if (!color || !stack) {
		error = PLATCI_ENOMEM;
		goto done;
	}
	for (size_t root = 0; root < cc->nall && !error; root++) {
		size_t sp = 0, count;
		if (color[root])
			continue;
		stack[sp++] = (dfs_frame){ cc->all[root].s, 0 };
		color[root] = 1;
		while (sp) {
			dfs_frame *f = &stack[sp - 1];
			const sch *next = same_instance_edge(f->s, f->edge++, &count);
			if (!next) {
				color[f->s->idx] = 2;
				sp--;
			} else if (color[next->idx] == 1) {
				platci_schema__error(cc, PLATCI_EDATA, cc->all[next->idx].node,
					"this schema refers to itself ($ref, allOf, anyOf, oneOf, not or "
					"dependencies) without descending into the instance: validation "
					"would never end");
				error = PLATCI_EDATA;
				break;
			} else if (!color[next->idx]) {
				color[next->idx] = 1;
				stack[sp++] = (dfs_frame){ next, 0 };
			}
		}
	}
done:
	free(color);
	free(stack);
	return error;
}
