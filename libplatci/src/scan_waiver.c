/*
 * Waiver files: Trivy's .trivyignore (with exp:) and .trivyignore.yaml,
 * GitLab's vulnerability-allowlist.yml, and platci's own waivers.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "scan_int.h"
#include "platci/clock.h"
#include "platci/fs.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_WAIVER_FILE (8u * 1024 * 1024)

int platci_scan__waiver_copy(scan_waiver *dst, const scan_waiver *src)
{
	*dst = *src;
	dst->w.seen = dst->w.used = dst->w.used_expired = 0;
	return 0;
}

/* ---- matching ------------------------------------------------------------------------ */

/* Doublestar enough for Trivy's paths: a leading "**" also matches the top folder. */
static int path_glob(const char *pattern, const char *s)
{
	if (!s)
		return 0;
	if (platci__glob_match(pattern, s))
		return 1;
	return strncmp(pattern, "**/", 3) == 0 && platci__glob_match(pattern + 3, s);
}

/* "pkg:npm/lodash@4.17.4?x=y" matches "pkg:npm/lodash" and "pkg:npm/lodash@4.17.4". */
static int purl_match(const char *want, const char *have)
{
	size_t n, base;

	if (!have)
		return 0;
	n = strcspn(have, "?#");
	base = strcspn(have, "@?#");
	if (strchr(want, '@'))
		return strlen(want) == n && strncmp(want, have, n) == 0;
	return strlen(want) == base && strncmp(want, have, base) == 0;
}

static int image_without_tail(const char *image, const char *key)
{
	/* GitLab: the image up to the first blank, then a substring test. */
	size_t n = strcspn(image, " \t");
	size_t k = strlen(key);

	for (size_t i = 0; k && i + k <= n; i++)
		if (strncmp(image + i, key, k) == 0)
			return 1;
	return 0;
}

static int in_envs(const rf_strs *envs, const char *env)
{
	if (!envs->items)
		return 1;
	for (size_t i = 0; i < envs->count; i++)
		if (env && strcmp(envs->items[i], env) == 0)
			return 1;
	return 0;
}

int platci_scan__waiver_matches(const scan_waiver *w, const scan_entry *e, const char *env)
{
	int any;

	if (!(w->kinds & (1u << e->kind)))
		return 0;
	if (w->format == WAIVER_GITLAB) {
		/* The allowlist keys on CVE ids, case-insensitively. */
		if (strcasecmp(w->id, e->id) != 0)
			return 0;
		return !w->image || image_without_tail(e->image, w->image);
	}
	if (strcmp(w->id, e->id) != 0 && !(e->alias && strcmp(w->id, e->alias) == 0))
		return 0;
	if (!in_envs(&w->envs, env))
		return 0;
	if (w->image && !platci__glob_match(w->image, e->image))
		return 0;
	if (w->package && !(e->pkg && strcmp(w->package, e->pkg) == 0))
		return 0;
	if (w->paths.items) {
		any = 0;
		for (size_t i = 0; i < w->paths.count && !any; i++)
			any = path_glob(w->paths.items[i], e->target) ||
			      path_glob(w->paths.items[i], e->pkg_path);
		if (!any)
			return 0;
	}
	if (w->purls.items) {
		any = 0;
		for (size_t i = 0; i < w->purls.count && !any; i++)
			any = purl_match(w->purls.items[i], e->purl);
		if (!any)
			return 0;
	}
	return 1;
}

/* ---- platci's own waivers ------------------------------------------------------------------ */

static void kind_bits(rf_ctx *c, const rf_key *k, const platci_node *n, void *dst)
{
	const char *names[PLATCI_TRIVY_KINDS];
	int seq = platci_node_type_of(n) == PLATCI_NODE_SEQUENCE;
	unsigned int *bits = dst;

	for (int kind = 0; kind < PLATCI_TRIVY_KINDS; kind++)
		names[kind] = platci_trivy_kind_name((platci_trivy_kind)kind);
	*bits = 0;
	for (size_t i = 0; i < (seq ? platci_node_count(n) : 1); i++) {
		const platci_node *it = seq ? platci_node_item_at(n, i) : n;
		const char *s = platci_node_scalar(it, NULL), *near;
		int found = 0;
		for (int kind = 0; s && kind < PLATCI_TRIVY_KINDS; kind++)
			if (strcmp(s, names[kind]) == 0) {
				*bits |= 1u << kind;
				found = 1;
			}
		if (found)
			continue;
		near = s ? platci_rulefile__suggest(s, names, PLATCI_TRIVY_KINDS) : NULL;
		platci_rulefile__error(c, it,
			"%s: unknown kind \"%s\"%s%s%s (vulnerability, "
			"misconfiguration, secret, license)",
			k->name, s ? s : "?", near ? "; did you mean \"" : "", near ? near : "",
			near ? "\"?" : "");
	}
}

static void platci_init(void *obj)
{
	scan_waiver *w = obj;

	memset(w, 0, sizeof(*w));
	w->format = WAIVER_PLATCI;
	w->kinds = 0xf;
}

static void platci_check(rf_ctx *c, const platci_node *map, void *obj)
{
	(void)c;
	(void)map;
	/* scan findings point at lines, as every other waiver format can only say */
	((scan_waiver *)obj)->w.column = 0;
}

static const rf_key platci_keys[] = {
	{ RF_KEY("id", RF_STR, RF_REQUIRED | RF_NONEMPTY, scan_waiver, id) },
	{ RF_KEY("image", RF_STR, RF_NONEMPTY, scan_waiver, image) },
	{ RF_KEY("package", RF_STR, RF_NONEMPTY, scan_waiver, package) },
	{ RF_KEY("environments", RF_ENVS, 0, scan_waiver, envs) },
	{ RF_KEY("kinds", RF_CUSTOM, 0, scan_waiver, kinds), .parse = kind_bits },
	{ RF_KEY(NULL, RF_EMBED, 0, scan_waiver, w), .table = &platci_waiver__table },
};
const rf_table platci_scan__waiver_table =
	RF_TABLE("a waiver", platci_keys, scan_waiver, platci_init, platci_check);

int platci_scan__waiver_report(const scan_waiver *w, const platci_scan *s, platci_findings *out)
{
	static const waiver_rules rules = { NULL, "scan.waiver-expired", "scan.waiver-stale",
		"this scan", 1 };
	platci_buf label = PLATCI_BUF_INIT, key = PLATCI_BUF_INIT;
	int error;

	platci_buf_printf(&label, "waiver for %s", w->id);
	platci_buf_printf(&key, "%s\x1f%s", w->id, w->image ? w->image : "");
	error = label.error || key.error ? PLATCI_ENOMEM
					 : platci_waiver__report(&w->w, &rules, label.ptr, key.ptr,
						   s->opts.env, s->opts.now, out);
	platci_buf_dispose(&label);
	platci_buf_dispose(&key);
	return error;
}

/* ---- waiver files ---------------------------------------------------------------------------- */

/* What one waiver file holds, in whichever format. */
typedef struct waiver_file {
	rf_list sections[PLATCI_TRIVY_KINDS]; /* .trivyignore.yaml */
	const platci_node *general, *images; /* GitLab's allowlist */
	rf_list waivers; /* platci's */
} waiver_file;

static void trivy_check(rf_ctx *c, const platci_node *map, void *obj)
{
	scan_waiver *w = obj;

	w->format = WAIVER_TRIVYIGNORE_YAML;
	w->w.file = c->file;
	w->w.line = platci_node_start(map).line;
	/* An empty list means "everywhere", as in Trivy. */
	if (!w->paths.count)
		w->paths.items = NULL;
	if (!w->purls.count)
		w->purls.items = NULL;
}

static const rf_key trivy_keys[] = {
	{ RF_KEY("id", RF_STR, RF_REQUIRED | RF_NONEMPTY, scan_waiver, id) },
	{ RF_KEY("paths", RF_STRS, 0, scan_waiver, paths) },
	{ RF_KEY("purls", RF_STRS, 0, scan_waiver, purls) },
	{ RF_KEY("statement", RF_STR, 0, scan_waiver, statement) },
	{ RF_KEY("expired_at", RF_EXPIRY, 0, scan_waiver, w.expires) },
};
static const rf_table trivy_table =
	RF_TABLE("a .trivyignore.yaml entry", trivy_keys, scan_waiver, NULL, trivy_check);

static const rf_key trivy_file_keys[] = {
	{ RF_KEY("vulnerabilities", RF_LIST, 0, waiver_file, sections[0]), .table = &trivy_table },
	{ RF_KEY("misconfigurations", RF_LIST, 0, waiver_file, sections[1]), .table = &trivy_table },
	{ RF_KEY("secrets", RF_LIST, 0, waiver_file, sections[2]), .table = &trivy_table },
	{ RF_KEY("licenses", RF_LIST, 0, waiver_file, sections[3]), .table = &trivy_table },
};
static const rf_table trivy_file_table =
	RF_TABLE("a .trivyignore.yaml file", trivy_file_keys, waiver_file, NULL, NULL);

static const rf_key gitlab_keys[] = {
	{ RF_KEY("generalallowlist", RF_NODE, 0, waiver_file, general) },
	{ RF_KEY("images", RF_NODE, 0, waiver_file, images) },
};
static const rf_table gitlab_table =
	RF_TABLE("a vulnerability-allowlist.yml", gitlab_keys, waiver_file, NULL, NULL);

static const rf_key platci_file_keys[] = {
	{ .name = "version", .type = RF_VERSION },
	{ RF_KEY("waivers", RF_LIST, 0, waiver_file, waivers), .table = &platci_scan__waiver_table },
};
static const rf_table platci_file_table =
	RF_TABLE("a waiver file", platci_file_keys, waiver_file, NULL, NULL);

static const char *keep(platci_arena *a, const char *s, int *oom)
{
	const char *copy = s ? platci_arena_strdup(a, s) : NULL;

	if (s && !copy)
		*oom = 1;
	return copy;
}

static void keep_list(platci_arena *a, rf_strs *l, int *oom)
{
	const char **items;

	if (!l->items)
		return;
	if (!(items = platci_arena_zalloc(a, (l->count + 1) * sizeof(char *)))) {
		*oom = 1;
		return;
	}
	for (size_t i = 0; i < l->count; i++)
		items[i] = keep(a, l->items[i], oom);
	l->items = items;
}

/* Adds @p w to the scan, its strings copied into the scan's arena (the file's document goes). */
static int add(platci_scan *s, const scan_waiver *w)
{
	scan_waiver *dst;
	int oom = 0, error;

	if ((error = platci__grow_array((void **)&s->waivers, &s->awaivers, s->nwaivers + 1,
		     sizeof(*s->waivers))) < 0)
		return error;
	dst = &s->waivers[s->nwaivers];
	*dst = *w;
	dst->w.node = NULL;
	dst->w.file = keep(&s->arena, w->w.file, &oom);
	dst->w.reason = keep(&s->arena, w->w.reason, &oom);
	dst->w.owner = keep(&s->arena, w->w.owner, &oom);
	dst->w.ticket = keep(&s->arena, w->w.ticket, &oom);
	dst->w.expires.text = keep(&s->arena, w->w.expires.text, &oom);
	dst->id = keep(&s->arena, w->id, &oom);
	dst->image = keep(&s->arena, w->image, &oom);
	dst->package = keep(&s->arena, w->package, &oom);
	dst->statement = keep(&s->arena, w->statement, &oom);
	keep_list(&s->arena, &dst->paths, &oom);
	keep_list(&s->arena, &dst->purls, &oom);
	keep_list(&s->arena, &dst->envs, &oom);
	if (oom)
		return PLATCI_ENOMEM;
	s->nwaivers++;
	return 0;
}

/* .trivyignore: an id per line, `exp:yyyy-mm-dd` anywhere on it, # comments. */
static int load_plain(platci_scan *s, rf_ctx *c, const char *text)
{
	const char *p = text;
	size_t line = 0;
	int error = 0;

	while (*p && !error) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char buf[512];
		char *save = NULL, *tok, *hash;
		scan_waiver w;

		line++;
		memset(&w, 0, sizeof(w));
		w.format = WAIVER_TRIVYIGNORE;
		w.kinds = 0xf;
		w.w.file = c->file;
		w.w.line = line;
		if (len >= sizeof(buf)) {
			platci_rulefile__error_at(c, line, 1,
				"line too long for a .trivyignore entry: "
				"\"%.60s\"",
				p);
			return PLATCI_EDATA;
		}
		memcpy(buf, p, len);
		buf[len] = '\0';
		p = end ? end + 1 : p + len;
		if ((hash = strpbrk(buf, "#\r")) != NULL)
			*hash = '\0';
		if (!(tok = strtok_r(buf, " \t", &save)))
			continue;
		w.id = tok;
		while ((tok = strtok_r(NULL, " \t", &save)) != NULL) {
			if (strncmp(tok, "exp:", 4) != 0)
				continue;
			if (platci_time_parse_expiry(&w.w.expires.at, tok + 4, c->zone) < 0) {
				platci_rulefile__error_at(c, line, (size_t)(tok - buf) + 5,
					"bad expiry "
					"\"%.60s\" (want exp:YYYY-MM-DD, a day of the calendar)",
					tok);
				return PLATCI_EDATA;
			}
			w.w.expires.text = tok + 4;
		}
		error = add(s, &w);
	}
	return error;
}

/* GitLab's allowlist: CVE id -> comment, for every image or one (a substring of it). */
static int gitlab_ids(platci_scan *s, rf_ctx *c, const platci_node *m, const char *image)
{
	int error = 0;

	if (!m || platci_node_is_null(m))
		return 0;
	if (platci_node_type_of(m) != PLATCI_NODE_MAPPING) {
		platci_rulefile__error(c, m, "expected a mapping of CVE id to a comment");
		return 0;
	}
	for (size_t i = 0; i < platci_node_count(m) && !error; i++) {
		const platci_node *k = platci_node_key_at(m, i);
		const char *comment = platci_node_scalar(platci_node_value_at(m, i), NULL);
		scan_waiver w;

		memset(&w, 0, sizeof(w));
		w.format = WAIVER_GITLAB;
		w.kinds = 1u << PLATCI_TRIVY_VULNERABILITY;
		w.w.file = c->file;
		w.w.line = platci_node_start(k).line;
		w.id = platci_node_scalar(k, NULL);
		w.image = image;
		w.statement = comment && *comment ? comment : NULL;
		if (!w.id || !*w.id)
			platci_rulefile__error(c, k, "ids must be strings");
		else
			error = add(s, &w);
	}
	return error;
}

static int load_gitlab(platci_scan *s, rf_ctx *c, const waiver_file *f)
{
	const platci_node *images = f->images;
	int error = gitlab_ids(s, c, f->general, NULL);

	if (error < 0 || !images || platci_node_is_null(images))
		return error;
	if (platci_node_type_of(images) != PLATCI_NODE_MAPPING) {
		platci_rulefile__error(c, images, "images must be a mapping of image name to ids");
		return 0;
	}
	for (size_t i = 0; i < platci_node_count(images) && !error; i++) {
		const char *image = platci_node_scalar(platci_node_key_at(images, i), NULL);
		if (!image || !*image)
			platci_rulefile__error(c, platci_node_key_at(images, i),
				"image names must be strings");
		else
			error = gitlab_ids(s, c, platci_node_value_at(images, i), image);
	}
	return error;
}

/* The first line that says something: `key:` or `---` means YAML, an id means .trivyignore. */
static int looks_like_yaml_map(const char *text)
{
	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n'), *colon;
		size_t len = end ? (size_t)(end - p) : strlen(p);

		while (len && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		if (len && *p != '#' && *p != '\r') {
			if (len >= 3 && strncmp(p, "---", 3) == 0)
				return 1;
			colon = memchr(p, ':', len);
			if (!colon || memchr(p, ' ', (size_t)(colon - p)) ||
				memchr(p, '\t', (size_t)(colon - p)))
				return 0;
			return colon + 1 == p + len || colon[1] == ' ' || colon[1] == '\r';
		}
		p = end ? end + 1 : p + len;
	}
	return 0;
}

/* Walks a YAML waiver file in its format, then adds what it holds. */
static int load_yaml(platci_scan *s, rf_ctx *c, const platci_node *root, platci_arena *tmp)
{
	waiver_file f;
	int error = 0;

	memset(&f, 0, sizeof(f));
	c->arena = tmp;
	if (platci_node_get(root, "waivers") || platci_node_get(root, "version"))
		platci_rulefile__walk(c, root, &platci_file_table, &f);
	else if (platci_node_get(root, "generalallowlist") || platci_node_get(root, "images"))
		platci_rulefile__walk(c, root, &gitlab_table, &f);
	else
		platci_rulefile__walk(c, root, &trivy_file_table, &f);
	if ((error = platci_rulefile__status(c)) < 0)
		return error;
	if (f.general || f.images)
		return load_gitlab(s, c, &f);
	for (size_t i = 0; i < f.waivers.count && !error; i++)
		error = add(s, &((const scan_waiver *)f.waivers.items)[i]);
	for (int k = 0; k < PLATCI_TRIVY_KINDS; k++)
		for (size_t i = 0; i < f.sections[k].count && !error; i++) {
			scan_waiver *w = &((scan_waiver *)f.sections[k].items)[i];
			w->kinds = 1u << k;
			error = add(s, w);
		}
	return error;
}

int platci_scan__waivers_load(platci_scan *s, const char *path, platci_diag *diag)
{
	platci_buf text = PLATCI_BUF_INIT;
	platci_doc *doc = NULL;
	platci_arena tmp;
	const platci_node *root;
	size_t before = s->nwaivers;
	rf_ctx c;
	int error;

	platci_arena_init(&tmp, 4096);
	platci_rulefile__init(&c, path, NULL, &tmp, diag);
	c.envs = s->policy->env_names;
	c.nenvs = s->policy->nenv_names;
	c.zone = s->policy->zone;
	if ((error = platci_fs_read(&text, path, MAX_WAIVER_FILE, diag)) < 0)
		goto done;
	if (!looks_like_yaml_map(text.ptr)) {
		error = load_plain(s, &c, text.ptr);
		goto done;
	}
	if ((error = platci_doc_load_buffer(&doc, path, text.ptr, text.size, NULL, diag)) < 0 ||
		(error = platci_rulefile__root(&c, doc, &root)) < 0 || !root)
		goto done;
	if (platci_node_type_of(root) != PLATCI_NODE_MAPPING)
		platci_rulefile__error(&c, root,
			"a waiver file must be a mapping (.trivyignore.yaml, "
			"vulnerability-allowlist.yml or platci waivers)");
	else
		error = load_yaml(s, &c, root, &tmp);
	if (!error)
		error = platci_rulefile__status(&c);
done:
	/* all or nothing: a file with an error adds no waiver */
	if (error < 0)
		s->nwaivers = before;
	platci_doc_free(doc);
	platci_arena_dispose(&tmp);
	platci_buf_dispose(&text);
	return error;
}
