/*
 * What a kustomize build printed, made into the model's terms: each
 * object's origin annotation becomes file:line:column (and is removed, as
 * no cluster holds it), and a failure's stderr is traced to the
 * kustomization.yaml entry that caused it. Processed results are what
 * the cache stores, so a cached build is read back without kustomize.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fluxmodel_int.h"
#include "platci/fs.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/banned.h"

#define ORIGIN "config.kubernetes.io/origin"
#define BUILD_TAG "platci.render/build"
#define REC "#@platci "
#define REC_FAIL "#@platci-fail "

static const char *const default_env[] = { "PATH=/usr/bin:/bin", "LANG=C", "LC_ALL=C",
	"KUBECONFIG=/dev/null", "HOME=/nonexistent", NULL };

void platci_render__run_job(render_job *job)
{
	platci_fluxmodel *m = job->m;

	if (!job->argv || job->dup_of != PLATCI_FLUX_NONE)
		return;
	job->exec_error = platci_render_exec(&job->run, (const char *const *)job->argv,
		m->opts.child_env ? m->opts.child_env : default_env, m->opts.timeout_ms, 0);
}

/* The value of `key:` on its own line in origin text @p t, into @p out. */
static int origin_field(platci_buf *out, const char *t, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = t; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, key, kl) == 0 && p[kl] == ':' && p[kl + 1] == ' ') {
			const char *v = p + kl + 2, *e = strchr(v, '\n');
			platci_buf_put(out, v, e ? (size_t)(e - v) : strlen(v));
			return 1;
		}
	}
	return 0;
}

static int under_dir(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || !path[n]);
}

/* Repo-relative (or absolute) real path of @p rel as seen from folder @p wdir. */
static const char *resolve(platci_fluxmodel *m, const char *wdir, const char *rel)
{
	platci_buf joined = PLATCI_BUF_INIT;
	char real[PATH_MAX];
	const char *out = NULL;

	/*
	 * Not platci_path_join: kustomize's origin paths climb out of the
	 * wrapper's folder on purpose ("../../repo/app/cm.yaml"), and realpath
	 * settles them.
	 */
	platci_buf_printf(&joined, "%s/%s", wdir, rel);
	/* Our own wrapper (a patch that rewrote annotations points there) is no source file. */
	if (realpath(joined.ptr, real) && !under_dir(real, m->staging))
		out = platci_fluxmodel__relpath(m, real);
	platci_buf_dispose(&joined);
	return out;
}

static platci_fluxmodel_loc generator_loc(platci_fluxmodel *m, const char *file, const char *kind)
{
	platci_fluxmodel_loc loc = { file, 1, 1 };
	const platci_doc *d = platci_fluxmodel__file(m, file);
	const platci_node *k = platci_node_get_key(platci_doc_root_at(d, 0),
		kind && strcmp(kind, "Secret") == 0 ? "secretGenerator" : "configMapGenerator");

	if (k) {
		platci_pos p = platci_node_start(k);
		loc.line = p.line;
		loc.column = p.column;
	}
	return loc;
}

/* Line-aligned [from, to) of a key and its value in @p text. */
static void line_span(const char *text, size_t len, const platci_node *key, const platci_node *val,
	size_t *from, size_t *to)
{
	*from = platci_node_start(key).offset;
	*to = platci_node_end(val).offset;
	while (*from > 0 && text[*from - 1] != '\n')
		(*from)--;
	while (*to < len && (*to == 0 || text[*to - 1] != '\n'))
		(*to)++;
}

/*
 * Writes @p text without the annotations platci added (origin, build tag):
 * the whole `annotations:` block when nothing else is in it.
 */
static int strip_ours(platci_buf *out, const char *text, size_t len, const platci_node *root)
{
	static const char *const ours[] = { ORIGIN, BUILD_TAG };
	const platci_node *md = platci_node_get(root, "metadata");
	const platci_node *ann = platci_node_get(md, "annotations");
	size_t cuts[2][2], n = 0, pos = 0;

	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(ours); i++) {
		const platci_node *k = platci_node_get_key(ann, ours[i]);
		if (k)
			line_span(text, len, k, platci_node_get(ann, ours[i]), &cuts[n][0], &cuts[n][1]),
				n++;
	}
	if (n && n == platci_node_count(ann)) {
		/* A block mapping ends where the next key starts: end at our last value instead. */
		size_t end = n == 2 && cuts[1][1] > cuts[0][1] ? cuts[1][1] : cuts[0][1];
		size_t from = platci_node_start(platci_node_get_key(md, "annotations")).offset;
		while (from > 0 && text[from - 1] != '\n')
			from--;
		cuts[0][0] = from;
		cuts[0][1] = end;
		n = 1;
	} else if (n == 2 && cuts[1][0] < cuts[0][0]) {
		size_t f = cuts[0][0], t = cuts[0][1];
		cuts[0][0] = cuts[1][0], cuts[0][1] = cuts[1][1], cuts[1][0] = f, cuts[1][1] = t;
	}
	for (size_t i = 0; i < n; i++) {
		platci_buf_put(out, text + pos, cuts[i][0] - pos);
		pos = cuts[i][1];
	}
	return platci_buf_put(out, text + pos, len - pos);
}

/* Maps the origin of one printed object and removes platci's annotations. */
static int one_object(render_job *job, const char *wdir, const char *text, size_t len)
{
	platci_fluxmodel *m = job->m;
	platci_doc *doc = NULL;
	const platci_node *root, *val;
	platci_buf origin_path = PLATCI_BUF_INIT, cfg = PLATCI_BUF_INIT, out = PLATCI_BUF_INIT;
	platci_fluxmodel_loc loc = { NULL, 0, 0 };
	int error;

	if ((error = platci_doc_load_buffer(&doc, "kustomize output", text, len, NULL, NULL)) < 0)
		return platci_render__result_add(job->result, text, len, &loc, m);
	root = platci_doc_root_at(doc, 0);
	val = platci_node_get(platci_node_dig(root, "metadata.annotations"), ORIGIN);
	if (val) {
		const char *kind = platci_node_get_str(root, "kind");
		const char *name = platci_node_get_str(platci_node_get(root, "metadata"), "name");
		const char *s = platci_node_scalar(val, NULL), *file;
		if (origin_field(&origin_path, s, "path") && (file = resolve(m, wdir, origin_path.ptr)))
			platci_fluxmodel__pos_of(m, &loc, file, kind, name);
		else if (origin_field(&cfg, s, "configuredIn") && (file = resolve(m, wdir, cfg.ptr)))
			loc = generator_loc(m, file, kind);
	}
	strip_ours(&out, text, len, root);
	error = out.error ? out.error
			  : platci_render__result_add(job->result, out.ptr, out.size, &loc, m);
	platci_doc_free(doc);
	platci_buf_dispose(&origin_path);
	platci_buf_dispose(&cfg);
	platci_buf_dispose(&out);
	return error;
}

/*
 * Calls @p fn on each document of YAML stream @p s (the text between
 * `---` lines; empty ones left out) until it returns non-zero.
 */
static int each_document(const char *s, size_t len,
	int (*fn)(const char *doc, size_t n, void *payload), void *payload)
{
	size_t start = 0, i = 0;
	int error = 0;

	while (i <= len && error == 0) {
		int boundary = i == len ||
			       (strncmp(s + i, "---", 3) == 0 && (i + 3 == len || s[i + 3] == '\n'));
		if (boundary) {
			if (i > start)
				error = fn(s + start, i - start, payload);
			if (i == len)
				break;
			i += 3;
			if (i < len && s[i] == '\n')
				i++;
			start = i;
			continue;
		}
		{
			const char *nl = memchr(s + i, '\n', len - i);
			i = nl ? (size_t)(nl - s) + 1 : len;
		}
	}
	return error;
}

typedef struct batch_split {
	render_job *const *members;
	size_t count;
} batch_split;

/* One object of a batch's output, to the member whose build tag it carries. */
static int to_member(const char *text, size_t n, void *payload)
{
	batch_split *b = payload;
	platci_doc *doc = NULL;
	int error = 0;

	if (platci_doc_load_buffer(&doc, "kustomize output", text, n, NULL, NULL) == 0) {
		const char *tag = platci_node_get_str(platci_node_dig(platci_doc_root_at(doc, 0),
							      "metadata.annotations"),
			BUILD_TAG);
		size_t who = tag ? strtoul(tag, NULL, 10) : PLATCI_FLUX_NONE, j;
		for (j = 0; j < b->count && b->members[j]->index != who; j++)
			;
		if (j == b->count) {
			error = PLATCI_EDATA; /* an object of no member: build them one by one */
		} else {
			platci_buf_put(&b->members[j]->run.out, text, n);
			platci_buf_puts(&b->members[j]->run.out, "---\n");
		}
	}
	platci_doc_free(doc);
	return error;
}

/*
 * A batch build's output goes to its members by the build tag each member's
 * wrapper stamped on its objects: each member then reads as if it had run alone.
 */
int platci_render__split_batch(render_job *batch, render_job *const *members, size_t count)
{
	batch_split b = { members, count };

	for (size_t j = 0; j < count; j++) {
		platci_buf_init(&members[j]->run.out, 0);
		platci_buf_init(&members[j]->run.err, 0);
		members[j]->run.exit_code = 0;
	}
	return each_document(batch->run.out.ptr, batch->run.out.size, to_member, &b);
}

typedef struct stream_split {
	render_job *job;
	const char *wdir;
} stream_split;

/* One object of a build's output; a document of blank lines is none. */
static int stream_object(const char *text, size_t n, void *payload)
{
	stream_split *ss = payload;
	size_t j = 0;

	while (j < n && (text[j] == '\n' || text[j] == ' '))
		j++;
	return j < n ? one_object(ss->job, ss->wdir, text, n) : 0;
}

/* The last `<marker>'...'` before @p limit in @p s, into @p out. */
static const char *last_quoted(platci_buf *out, const char *s, const char *limit, const char *marker)
{
	const char *found = NULL, *p = s;
	size_t ml = strlen(marker);

	while ((p = strstr(p, marker)) && (!limit || p < limit)) {
		found = p;
		p += ml;
	}
	if (found) {
		const char *v = found + ml, *e = strchr(v, '\'');
		platci_buf_clear(out);
		if (e)
			platci_buf_put(out, v, (size_t)(e - v));
	}
	return found;
}

static int find_entry(platci_fluxmodel *m, platci_fluxmodel_loc *loc, const char *kfile, const char *ref)
{
	static const char *const lists[] = { "resources", "components", "bases", "crds" };
	const platci_node *root = platci_doc_root_at(platci_fluxmodel__file(m, kfile), 0);

	loc->file = kfile;
	loc->line = loc->column = 1;
	for (size_t i = 0; i < PLATCI_ARRAY_SIZE(lists); i++) {
		const platci_node *l = platci_node_get(root, lists[i]);
		for (size_t j = 0; j < platci_node_count(l); j++)
			if (platci_node_is(platci_node_item_at(l, j), ref)) {
				platci_pos p = platci_node_start(platci_node_item_at(l, j));
				loc->line = p.line;
				loc->column = p.column;
				return 1;
			}
	}
	return 0;
}

/* Paths in kustomize's message made repo-relative; kubectl's log prefix dropped. */
static char *clean_message(platci_fluxmodel *m, const char *err)
{
	platci_buf b = PLATCI_BUF_INIT;
	const char *p = strstr(err, "err=\"");
	size_t rl = strlen(m->root), sl = strlen(m->staging);

	p = p ? p + 5 : (strncmp(err, "Error: ", 7) == 0 ? err + 7 : err);
	while (*p && *p != '\n' && b.size < 2000) {
		if (strncmp(p, m->root, rl) == 0 && p[rl] == '/') {
			p += rl + 1;
		} else if (strncmp(p, m->staging, sl) == 0) {
			platci_buf_puts(&b, "<build>");
			p += sl;
		} else {
			platci_buf_putc(&b, *p++);
		}
	}
	if (b.size && b.ptr[b.size - 1] == '"')
		platci_buf_truncate(&b, b.size - 1);
	return platci_buf_detach(&b);
}

static int failure(render_job *job)
{
	platci_fluxmodel *m = job->m;
	render_result *r = job->result;
	const char *err = job->run.err.ptr, *at;
	platci_buf ref = PLATCI_BUF_INIT, dir = PLATCI_BUF_INIT;
	int error = 0;

	r->failed = 1;
	if (job->exec_error < 0 || job->run.timed_out) {
		char *msg = NULL;
		platci_buf b = PLATCI_BUF_INIT;
		platci_buf_printf(&b, "%s %s", job->argv[0],
			job->run.timed_out ? "timed out (a build that large takes kustomize minutes; --timeout sets the limit)"
					   : "could not be run");
		msg = platci_buf_detach(&b);
		r->message = msg;
		return msg ? 0 : PLATCI_ENOMEM;
	}
	r->message = clean_message(m, err);
	at = last_quoted(&ref, err, NULL, "accumulating resources from '");
	if (at && last_quoted(&dir, err, at, "recursed accumulation of path '")) {
		int located = 0;
		static const char *const names[] = { "kustomization.yaml", "kustomization.yml",
			"Kustomization" };
		for (size_t i = 0; i < PLATCI_ARRAY_SIZE(names); i++) {
			platci_buf k = PLATCI_BUF_INIT;
			char real[PATH_MAX]; /* realpath's own size */
			if (platci_path_on_disk(&k, dir.ptr, names[i]) == 0 && realpath(k.ptr, real)) {
				located = find_entry(m, &r->loc, platci_fluxmodel__relpath(m, real),
					ref.ptr);
				platci_buf_dispose(&k);
				break;
			}
			platci_buf_dispose(&k);
		}
		/* Say what the entry does wrong in a line; kustomize's chain of errors is long. */
		if (located && r->message) {
			const char *why = strstr(at, "cycle detected") ? "includes a folder that includes it "
									 "(a cycle)"
					  : strstr(at, "no such file or directory") ? "does not exist"
										    : NULL;
			platci_buf b = PLATCI_BUF_INIT;
			if (why) {
				platci_buf_printf(&b, "%s lists %s, which %s", r->loc.file, ref.ptr, why);
				free(r->message);
				r->message = platci_buf_detach(&b);
			}
			platci_buf_dispose(&b);
		}
	}
	if (!r->message)
		error = PLATCI_ENOMEM;
	platci_buf_dispose(&ref);
	platci_buf_dispose(&dir);
	return error;
}

/* Reads the processed form back (from the cache). */
static int parse_processed(platci_fluxmodel *m, render_result *r, const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	int error = 0;

	while (p < end && error == 0) {
		int fail = strncmp(p, REC_FAIL, strlen(REC_FAIL)) == 0;
		const char *hdr = p + (fail ? strlen(REC_FAIL) : strlen(REC)),
			   *nl = memchr(p, '\n', (size_t)(end - p)), *next;
		char file[PATH_MAX];
		platci_fluxmodel_loc loc = { NULL, 0, 0 };
		size_t ln = 0, col = 0;
		int used = 0;

		if (!nl || (!fail && strncmp(p, REC, strlen(REC)) != 0))
			return PLATCI_ESYNTAX;
		if (sscanf(hdr, "%4095[^\t]\t%zu\t%zu%n", file, &ln, &col, &used) < 3)
			return PLATCI_ESYNTAX;
		if (strcmp(file, "-") != 0)
			loc = (platci_fluxmodel_loc){ platci_fluxmodel__strdup(m, file), ln, col };
		if (fail) {
			r->failed = 1;
			r->loc = loc;
			r->message = platci__strndup(hdr + used + 1, (size_t)(nl - hdr - used - 1));
			return r->message ? 0 : PLATCI_ENOMEM;
		}
		next = nl + 1;
		while (next < end && strncmp(next, "#@platci", 8) != 0) {
			const char *n2 = memchr(next, '\n', (size_t)(end - next));
			next = n2 ? n2 + 1 : end;
		}
		error = platci_render__result_add(r, nl + 1, (size_t)(next - nl - 1), &loc, m);
		p = next;
	}
	return error;
}

int platci_render__process_ks(render_job *job)
{
	platci_fluxmodel *m = job->m;
	render_result *r = job->result;
	platci_buf wdir = PLATCI_BUF_INIT;
	int error = 0;

	if (!job->argv)
		return 0; /* failed before the build (generator) */
	if (job->dup_of != PLATCI_FLUX_NONE)
		return 0; /* the wave copies the twin's result */
	if (r->from_cache) {
		m->cache_hits++;
		error = parse_processed(m, r, job->run.out.ptr, job->run.out.size);
		if (error == 0)
			return 0;
		platci_render__result_dispose(r); /* a damaged entry: build anew */
		platci_render_run_dispose(&job->run);
		job->exec_error = platci_render_exec(&job->run, (const char *const *)job->argv,
			m->opts.child_env ? m->opts.child_env : default_env, m->opts.timeout_ms, 0);
	}
	if (!job->batched)
		m->builds++;
	platci_buf_printf(&wdir, "%s/w/%zu", m->staging, job->index);
	if (job->exec_error < 0 || job->run.exit_code != 0)
		error = failure(job);
	else
		error = each_document(job->run.out.ptr, job->run.out.size, stream_object,
			&(stream_split){ job, wdir.ptr });
	if (error == 0 && job->cacheable && !job->run.timed_out && job->exec_error == 0)
		platci_render__cache_put(m, job->key, r);
	platci_buf_dispose(&wdir);
	return error;
}

/* The cache entry of @p key: <cache>/<first two hex digits>/<the rest>; @p dir gets its folder. */
static int cache_path(platci_buf *dir, platci_buf *path, const char *cache_dir, const char *key)
{
	char shard[3] = { 0 };
	size_t n = strnlen(key, 2);
	int error;

	memcpy(shard, key, n);
	if ((error = platci_path_on_disk(dir, cache_dir, shard)) < 0)
		return error;
	return platci_path_on_disk(path, dir->ptr, key + n);
}

/* Reads a cache entry's bytes into @p out (worker thread: no parsing here). 1 on a hit. */
int platci_render__cache_get(platci_fluxmodel *m, const char *key, platci_buf *out)
{
	platci_buf path = PLATCI_BUF_INIT, dir = PLATCI_BUF_INIT;
	int hit = 0;

	if (cache_path(&dir, &path, m->opts.cache_dir, key) == 0 && platci_fs_exists(path.ptr))
		hit = platci_fs_read(out, path.ptr, 0, NULL) == 0;
	platci_buf_dispose(&path);
	platci_buf_dispose(&dir);
	return hit;
}

void platci_render__cache_put(platci_fluxmodel *m, const char *key, const render_result *r)
{
	platci_buf path = PLATCI_BUF_INIT, data = PLATCI_BUF_INIT, dir = PLATCI_BUF_INIT;

	if (r->failed) {
		platci_buf_printf(&data, REC_FAIL "%s\t%zu\t%zu\t%s\n", r->loc.file ? r->loc.file : "-",
			r->loc.line, r->loc.column, r->message ? r->message : "");
	} else {
		for (size_t i = 0; i < r->count; i++) {
			const render_item *it = &r->items[i];
			platci_buf_printf(&data, REC "%s\t%zu\t%zu\n",
				it->loc.file ? it->loc.file : "-", it->loc.line, it->loc.column);
			platci_buf_put(&data, it->yaml, it->len);
			if (it->len && it->yaml[it->len - 1] != '\n')
				platci_buf_putc(&data, '\n');
		}
	}
	/* A cache that cannot be written only costs time: no error. */
	if (!data.error && cache_path(&dir, &path, m->opts.cache_dir, key) == 0 &&
		platci_fs_mkdirs(dir.ptr, NULL) == 0)
		platci_fs_write_atomic(path.ptr, data.ptr, data.size, NULL);
	platci_buf_dispose(&path);
	platci_buf_dispose(&data);
	platci_buf_dispose(&dir);
}
