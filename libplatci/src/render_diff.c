/*
 * The rendered diff: two renders of one environment compared by object
 * identity (group, kind, namespace, name), each changed object shown as a
 * unified diff of its YAML. Values are masked before anything is compared
 * for display: Secret data/stringData (platci_fluxmodel_object_yaml_masked)
 * and any value under a key that looks like a credential. A change hidden
 * by the mask is still reported, as "values masked", never shown.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "platci/fluxmodel.h"
#include "util/common.h"
#include "util/banned.h"

#define CONTEXT 3
#define MAX_CELLS ((size_t)4 << 20) /* LCS table cells before a change is shown whole */
#define NOTE_BUDGET 60000

/* ---- masking ---------------------------------------------------------------------- */

/* 1 when a YAML key names a credential (a password, token, private key...), not a reference to one. */
static int credential_key(const char *k, size_t n)
{
	static const char *const words[] = { "password", "passwd", "token", "secret", "apikey",
		"api_key", "api-key", "credential", "privatekey", "private_key", "private-key",
		"accesskey", "access_key", "clientsecret" };
	static const char *const refs[] = { "name", "ref", "refs", "path", "file", "namespace", "names" };
	char low[128];

	if (n == 0 || n >= sizeof(low))
		return 0;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)k[i]);
	low[n] = '\0';
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(refs); i++) {
		size_t r = strlen(refs[i]);
		if (n > r && strcmp(low + n - r, refs[i]) == 0)
			return 0;
	}
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(words); i++)
		if (strstr(low, words[i]))
			return 1;
	return 0;
}

static size_t indent_of(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && s[i] == ' ')
		i++;
	return i;
}

/*
 * Copies @p len bytes of YAML to @p out, each value under a credential key
 * replaced by "***" (a block scalar's lines with it), and the `value` of a
 * `name: DB_PASSWORD` environment entry too. Line-based: rendered YAML is
 * kustomize's or helm's block style, one key per line.
 */
static int mask_credentials(platci_buf *out, const char *s, size_t len)
{
	size_t i = 0, block = (size_t)-1; /* skipping a masked block scalar deeper than this */
	size_t env_at = (size_t)-1; /* column of a credential-named env entry's keys */

	while (i < len) {
		size_t e = i, ind, k, ke, kn;
		int quoted, secret;
		while (e < len && s[e] != '\n')
			e++;
		ind = indent_of(s + i, e - i);
		if (block != (size_t)-1 && (ind > block || ind == e - i)) {
			i = e + (e < len);
			continue;
		}
		block = (size_t)-1;
		k = i + ind;
		if (k + 1 < e && s[k] == '-' && s[k + 1] == ' ')
			k += 2;
		ke = k;
		while (ke < e && s[ke] != ':' && s[ke] != ' ')
			ke++;
		quoted = s[k] == '"' || s[k] == '\'';
		kn = ke - k >= 2 * (size_t)quoted ? ke - k - 2 * (size_t)quoted : 0;
		secret = ke + 1 < e && s[ke] == ':' && s[ke + 1] == ' ' &&
			 (credential_key(s + k + quoted, kn) ||
				 (k - i == env_at && kn == 5 && !strncmp(s + k, "value", 5)));
		if (ke + 1 < e && s[ke] == ':' && s[ke + 1] == ' ' && kn == 4 && !strncmp(s + k, "name", 4))
			env_at = credential_key(s + ke + 2, e - ke - 2) ? k - i : (size_t)-1;
		else if (k - i < env_at || (s[i + ind] == '-' && ind + 2 == env_at))
			env_at = (size_t)-1; /* left that entry, or the next entry starts */
		if (secret) {
			const char *v = s + ke + 2;
			platci_buf_put(out, s + i, ke + 2 - i);
			platci_buf_puts(out, "\"***\"\n");
			if (*v == '|' || *v == '>')
				block = ind;
			i = e + (e < len);
			continue;
		}
		platci_buf_put(out, s + i, e + (e < len) - i);
		i = e + (e < len);
	}
	return out->error;
}

static int masked_text(platci_buf *out, const platci_fluxmodel *m, size_t i)
{
	platci_buf b = PLATCI_BUF_INIT;
	int error;

	if ((error = platci_fluxmodel_object_yaml_masked(&b, m, i)) == 0)
		error = mask_credentials(out, b.ptr, b.size);
	platci_buf_dispose(&b);
	return error;
}

/* ---- identity --------------------------------------------------------------------- */

typedef struct ident {
	const platci_fluxmodel *m;
	size_t i;
	char *key; /* group \t kind \t namespace \t name */
} ident;

static int ident_cmp(const void *a, const void *b)
{
	const ident *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

static void idents_free(ident *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].key);
	free(v);
}

static int idents(ident **out, size_t *n, const platci_fluxmodel *m)
{
	size_t count = m ? platci_fluxmodel_object_count(m) : 0;
	platci_buf k = PLATCI_BUF_INIT;
	ident *v;

	*out = NULL;
	*n = 0;
	if (!(v = calloc(count ? count : 1, sizeof(*v))))
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		const platci_fluxmodel_object *o = platci_fluxmodel_object_at(m, i);
		const char *av = o->api_version ? o->api_version : "", *slash = strchr(av, '/');
		platci_buf_clear(&k);
		platci_buf_printf(&k, "%.*s\t%s\t%s\t%s", slash ? (int)(slash - av) : 0, av,
			o->kind ? o->kind : "", o->namespace_ ? o->namespace_ : "",
			o->name ? o->name : "");
		v[i].m = m;
		v[i].i = i;
		if (k.error || !(v[i].key = platci__strdup(k.ptr))) {
			platci_buf_dispose(&k);
			idents_free(v, i);
			return PLATCI_ENOMEM;
		}
	}
	platci_buf_dispose(&k);
	qsort(v, count, sizeof(*v), ident_cmp);
	*out = v;
	*n = count;
	return 0;
}

/* ---- line diff -------------------------------------------------------------------- */

typedef struct lines {
	const char **s;
	size_t *n;
	size_t count;
} lines;

static int split(lines *l, const char *s, size_t len)
{
	size_t alloc = 0, alloc2 = 0;

	memset(l, 0, sizeof(*l));
	for (size_t i = 0; i < len;) {
		size_t e = i;
		while (e < len && s[e] != '\n')
			e++;
		if (platci__grow_array((void **)&l->s, &alloc, l->count + 1, sizeof(*l->s)) < 0 ||
			platci__grow_array((void **)&l->n, &alloc2, l->count + 1, sizeof(*l->n)) < 0)
			return PLATCI_ENOMEM;
		l->s[l->count] = s + i;
		l->n[l->count++] = e - i;
		i = e + 1;
	}
	return 0;
}

static int same(const lines *a, size_t i, const lines *b, size_t j)
{
	return a->n[i] == b->n[j] && memcmp(a->s[i], b->s[j], a->n[i]) == 0;
}

/*
 * Marks in @p op (one per line of the edit script: ' ', '-', '+') the
 * shortest edit from @p a to @p b: common prefix and suffix first, an LCS
 * table over what is left when it fits in MAX_CELLS, else the middle
 * replaced whole.
 */
static int script(char **op, size_t *nop, const lines *a, const lines *b)
{
	size_t pre = 0, suf = 0, n, m, k = 0;
	uint32_t *t = NULL;
	char *o;

	while (pre < a->count && pre < b->count && same(a, pre, b, pre))
		pre++;
	while (suf < a->count - pre && suf < b->count - pre &&
		same(a, a->count - 1 - suf, b, b->count - 1 - suf))
		suf++;
	n = a->count - pre - suf;
	m = b->count - pre - suf;
	if (!(o = malloc(a->count + b->count + 1)))
		return PLATCI_ENOMEM;
	memset(o, ' ', pre);
	k = pre;
	if (n && m && (n + 1) * (m + 1) <= MAX_CELLS && (t = calloc((n + 1) * (m + 1), sizeof(*t))) != NULL) {
		/* t[i][j]: LCS length of a[pre+i..] and b[pre+j..] */
		for (size_t i = n; i-- > 0;)
			for (size_t j = m; j-- > 0;)
				t[i * (m + 1) + j] =
					same(a, pre + i, b, pre + j)
						? t[(i + 1) * (m + 1) + j + 1] + 1
						: (t[(i + 1) * (m + 1) + j] > t[i * (m + 1) + j + 1]
								  ? t[(i + 1) * (m + 1) + j]
								  : t[i * (m + 1) + j + 1]);
		for (size_t i = 0, j = 0; i < n || j < m;) {
			if (i < n && j < m && same(a, pre + i, b, pre + j))
				o[k++] = ' ', i++, j++;
			else if (i < n && (j == m || t[(i + 1) * (m + 1) + j] >= t[i * (m + 1) + j + 1]))
				o[k++] = '-', i++; /* removals first, as diff -u shows them */
			else
				o[k++] = '+', j++;
		}
	} else {
		memset(o + k, '-', n);
		memset(o + k + n, '+', m);
		k += n + m;
	}
	free(t);
	memset(o + k, ' ', suf);
	*op = o;
	*nop = k + suf;
	return 0;
}

static void put_line(platci_buf *out, char mark, const lines *l, size_t i)
{
	platci_buf_putc(out, mark);
	platci_buf_put(out, l->s[i], l->n[i]);
	platci_buf_putc(out, '\n');
}

/* Unified hunks of the script @p op over @p a (old) and @p b (new). */
static void hunks(platci_buf *out, const char *op, size_t nop, const lines *a, const lines *b)
{
	size_t s = 0;

	while (s < nop) {
		size_t first, last, hs, he, ai = 0, bi = 0, ac = 0, bc = 0;
		while (s < nop && op[s] == ' ')
			s++;
		if (s == nop)
			break;
		first = last = s;
		/* extend while the next change is within two contexts */
		for (size_t x = s + 1; x < nop; x++)
			if (op[x] != ' ') {
				if (x - last > 2 * CONTEXT)
					break;
				last = x;
			}
		hs = first > CONTEXT ? first - CONTEXT : 0;
		he = last + CONTEXT + 1 < nop ? last + CONTEXT + 1 : nop;
		for (size_t x = 0; x < hs; x++)
			ai += op[x] != '+', bi += op[x] != '-';
		for (size_t x = hs; x < he; x++)
			ac += op[x] != '+', bc += op[x] != '-';
		platci_buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", ac ? ai + 1 : ai, ac,
			bc ? bi + 1 : bi, bc);
		for (size_t x = hs; x < he; x++) {
			if (op[x] == ' ')
				put_line(out, ' ', a, ai++), bi++;
			else if (op[x] == '-')
				put_line(out, '-', a, ai++);
			else
				put_line(out, '+', b, bi++);
		}
		s = he;
	}
}

/* ---- the diff --------------------------------------------------------------------- */

static void file_name(platci_buf *out, const char *side, const platci_fluxmodel_object *o)
{
	platci_buf_printf(out, "%s/%s/%s.%s.yaml", side, o->namespace_ ? o->namespace_ : "_cluster",
		o->kind ? o->kind : "", o->name ? o->name : "");
}

static int object_diff(platci_buf *out, const ident *x, const ident *y)
{
	platci_buf ta = PLATCI_BUF_INIT, tb = PLATCI_BUF_INIT;
	lines la, lb;
	char *op = NULL;
	size_t nop = 0;
	int error;

	memset(&la, 0, sizeof(la));
	memset(&lb, 0, sizeof(lb));
	if ((x && (error = masked_text(&ta, x->m, x->i)) < 0) ||
		(y && (error = masked_text(&tb, y->m, y->i)) < 0))
		goto done;
	platci_buf_puts(out, "--- ");
	if (x)
		file_name(out, "a", platci_fluxmodel_object_at(x->m, x->i));
	else
		platci_buf_puts(out, "/dev/null");
	platci_buf_puts(out, "\n+++ ");
	if (y)
		file_name(out, "b", platci_fluxmodel_object_at(y->m, y->i));
	else
		platci_buf_puts(out, "/dev/null");
	platci_buf_putc(out, '\n');
	if ((error = split(&la, ta.ptr, ta.size)) < 0 || (error = split(&lb, tb.ptr, tb.size)) < 0 ||
		(error = script(&op, &nop, &la, &lb)) < 0)
		goto done;
	if (x && y && !memchr(op, '+', nop) && !memchr(op, '-', nop))
		platci_buf_puts(out, "@@ values masked: a Secret or credential value changed @@\n");
	else
		hunks(out, op, nop, &la, &lb);
	error = out->error;
done:
	free(op);
	free(la.s);
	free(la.n);
	free(lb.s);
	free(lb.n);
	platci_buf_dispose(&ta);
	platci_buf_dispose(&tb);
	return error;
}

static int changed(const ident *x, const ident *y)
{
	const platci_fluxmodel_object *a = platci_fluxmodel_object_at(x->m, x->i);
	const platci_fluxmodel_object *b = platci_fluxmodel_object_at(y->m, y->i);
	return a->yaml_len != b->yaml_len || memcmp(a->yaml, b->yaml, a->yaml_len) != 0;
}

int platci_fluxmodel_diff(platci_buf *out, platci_fluxmodel_diff_counts *counts,
	const platci_fluxmodel *base, const platci_fluxmodel *head)
{
	ident *a = NULL, *b = NULL;
	size_t na = 0, nb = 0, i = 0, j = 0;
	int error;

	PLATCI_ASSERT_ARG(out && counts);
	memset(counts, 0, sizeof(*counts));
	if ((error = idents(&a, &na, base)) < 0 || (error = idents(&b, &nb, head)) < 0)
		goto done;
	while (!error && (i < na || j < nb)) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i].key, b[j].key);
		if (c < 0) {
			counts->removed++;
			error = object_diff(out, &a[i++], NULL);
		} else if (c > 0) {
			counts->added++;
			error = object_diff(out, NULL, &b[j++]);
		} else {
			if (changed(&a[i], &b[j])) {
				counts->changed++;
				error = object_diff(out, &a[i], &b[j]);
			}
			i++, j++;
		}
	}
done:
	idents_free(a, na);
	idents_free(b, nb);
	return error;
}

/* ---- the note --------------------------------------------------------------------- */

/* The longest run of backticks in @p s, so a fence around it can be longer. */
static size_t backticks(const char *s, size_t n)
{
	size_t best = 0, run = 0;
	for (size_t i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		best = run > best ? run : best;
	}
	return best;
}

int platci_fluxmodel_diff_markdown(platci_buf *out, const char *diff, size_t len, size_t budget,
	const char *artifact_url)
{
	const char *p = diff, *end = diff + len;
	size_t start = out->size, cut = 0;

	PLATCI_ASSERT_ARG(out && (diff || !len));
	if (!budget)
		budget = NOTE_BUDGET;
	platci_buf_puts(out, "### Rendered changes per environment\n\n");
	if (!len)
		platci_buf_puts(out, "No environment's rendered objects change.\n\n");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *next;
		const char *body = nl ? nl + 1 : end;
		size_t fence, room, used;
		next = body;
		while (next < end && !(next[0] == '#' && (next == diff || next[-1] == '\n') &&
					     strncmp(next, "# environment ", 14) == 0))
			next = memchr(next, '\n', (size_t)(end - next))
				       ? (const char *)memchr(next, '\n', (size_t)(end - next)) + 1
				       : end;
		fence = backticks(body, (size_t)(next - body)) + 1;
		fence = fence < 3 ? 3 : fence > 30 ? 30 : fence;
		used = out->size - start;
		/* the heading and the fences always fit; the body gets what is left of the budget */
		platci_buf_printf(out, "<details><summary>%.*s</summary>\n\n%.*s",
			(int)((nl ? nl : end) - p - 2), p + 2, (int)fence,
			"``````````````````````````````");
		room = used + 400 < budget ? budget - used - 400 : 0;
		if ((size_t)(next - body) <= room) {
			platci_buf_printf(out, "diff\n%.*s", (int)(next - body), body);
		} else {
			const char *stop = body + room;
			while (stop > body && stop[-1] != '\n')
				stop--;
			platci_buf_printf(out, "diff\n%.*s", (int)(stop - body), body);
			cut++;
		}
		platci_buf_printf(out, "%.*s\n\n</details>\n\n", (int)fence,
			"``````````````````````````````");
		p = next;
	}
	if (cut)
		platci_buf_printf(out,
			"%zu environment diff%s cut to keep this note under %zu kB: "
			"the whole diff is in %s%s%s.\n",
			cut, cut == 1 ? " was" : "s were", budget / 1000,
			artifact_url ? "[rendered.diff](" : "the `rendered.diff` artifact",
			artifact_url ? artifact_url : "", artifact_url ? ")" : "");
	return out->error;
}
