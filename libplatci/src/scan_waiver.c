/*
 * Waiver files: Trivy's .trivyignore (with exp:) and .trivyignore.yaml,
 * GitLab's vulnerability-allowlist.yml, and platci's own waivers.
 */
#include <string.h>
#include <strings.h>

#include "scan_int.h"
#include "platci/fs.h"
#include "util/common.h"
#include "util/banned.h"

#define MAX_WAIVER_FILE (8u * 1024 * 1024)

void scan_waiver_dispose(scan_waiver *w)
{
	free(w->source);
	free(w->id);
	free(w->image);
	free(w->package);
	scan_str_list_free(w->paths);
	scan_str_list_free(w->purls);
	scan_str_list_free(w->envs);
	free(w->expires_text);
	free(w->reason);
	free(w->owner);
	free(w->statement);
	memset(w, 0, sizeof(*w));
}

static int dup_list(char ***dst, char **src)
{
	size_t n = 0;

	*dst = NULL;
	if (!src)
		return 0;
	while (src[n])
		n++;
	if (!(*dst = calloc(n + 1, sizeof(**dst))))
		return PLATCI_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!((*dst)[i] = platci__strdup(src[i])))
			return PLATCI_ENOMEM;
	return 0;
}

#define DUP(f) \
	do { \
		if (src->f && !(dst->f = platci__strdup(src->f))) \
			return PLATCI_ENOMEM; \
	} while (0)

int scan_waiver_copy(scan_waiver *dst, const scan_waiver *src)
{
	*dst = *src;
	dst->source = dst->id = dst->image = dst->package = dst->expires_text = NULL;
	dst->reason = dst->owner = dst->statement = NULL;
	dst->paths = dst->purls = dst->envs = NULL;
	DUP(source);
	DUP(id);
	DUP(image);
	DUP(package);
	DUP(expires_text);
	DUP(reason);
	DUP(owner);
	DUP(statement);
	if (dup_list(&dst->paths, src->paths) < 0 || dup_list(&dst->purls, src->purls) < 0 ||
	    dup_list(&dst->envs, src->envs) < 0)
		return PLATCI_ENOMEM;
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

static int in_envs(char **envs, const char *env)
{
	if (!envs)
		return 1;
	for (; *envs; envs++)
		if (env && strcmp(*envs, env) == 0)
			return 1;
	return 0;
}

int scan_waiver_matches(const scan_waiver *w, const scan_entry *e, const char *env)
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
	if (!in_envs(w->envs, env))
		return 0;
	if (w->image && !platci__glob_match(w->image, e->image))
		return 0;
	if (w->package && !(e->pkg && strcmp(w->package, e->pkg) == 0))
		return 0;
	if (w->paths) {
		any = 0;
		for (char **p = w->paths; *p && !any; p++)
			any = path_glob(*p, e->target) || path_glob(*p, e->pkg_path);
		if (!any)
			return 0;
	}
	if (w->purls) {
		any = 0;
		for (char **p = w->purls; *p && !any; p++)
			any = purl_match(*p, e->purl);
		if (!any)
			return 0;
	}
	return 1;
}

/* ---- loading ------------------------------------------------------------------------------ */

static int push(scan_waiver **list, size_t *n, size_t *alloc, scan_waiver **out)
{
	int error = platci__grow_array((void **)list, alloc, *n + 1, sizeof(**list));

	if (error < 0)
		return error;
	*out = &(*list)[(*n)++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

static int warn_line(platci_diag *diag, const char *path, size_t line, const char *what,
	const char *arg)
{
	platci_diag_entry e = { PLATCI_DIAG_ERROR, PLATCI_EDATA, path, line, 0, 0, NULL, NULL };

	platci_diag_add(diag, &e, "%s \"%.60s\"", what, arg);
	return PLATCI_EDATA;
}

/* .trivyignore: an id per line, `exp:yyyy-mm-dd` anywhere on it, # comments. */
static int load_plain(scan_waiver **list, size_t *n, size_t *alloc, const char *path,
	const char *text, platci_diag *diag)
{
	const char *p = text;
	size_t line = 0;
	int error = 0;

	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char buf[512];
		char *save = NULL, *tok;
		scan_waiver *w;

		line++;
		if (len >= sizeof(buf))
			return warn_line(diag, path, line, "line too long for a .trivyignore entry:", p);
		memcpy(buf, p, len);
		buf[len] = '\0';
		p = end ? end + 1 : p + len;
		if (len && buf[len - 1] == '\r')
			buf[len - 1] = '\0';
		{
			char *hash = strchr(buf, '#');
			if (hash)
				*hash = '\0';
		}
		tok = strtok_r(buf, " \t", &save);
		if (!tok)
			continue;
		if ((error = push(list, n, alloc, &w)) < 0)
			return error;
		w->format = WAIVER_TRIVYIGNORE;
		w->kinds = 0xf;
		w->line = line;
		if (!(w->source = platci__strdup(path)) || !(w->id = platci__strdup(tok)))
			return PLATCI_ENOMEM;
		while ((tok = strtok_r(NULL, " \t", &save)) != NULL) {
			if (strncmp(tok, "exp:", 4) != 0)
				continue;
			if (scan_parse_date(&w->expires, tok + 4) < 0)
				return warn_line(diag, path, line, "bad expiry (want exp:yyyy-mm-dd):", tok);
			if (!(w->expires_text = platci__strdup(tok + 4)))
				return PLATCI_ENOMEM;
		}
	}
	return 0;
}

static int load_trivy_yaml(scan_waiver **list, size_t *n, size_t *alloc, const char *path,
	const platci_node *root, platci_diag *diag)
{
	static const char *const sections[PLATCI_TRIVY_KINDS] = {
		"vulnerabilities", "misconfigurations", "secrets", "licenses"
	};
	int error;

	for (size_t i = 0; i < platci_node_count(root); i++) {
		const platci_node *k = platci_node_key_at(root, i), *seq = platci_node_value_at(root, i);
		const char *key = platci_node_scalar(k, NULL);
		int kind = -1;

		for (int j = 0; key && j < PLATCI_TRIVY_KINDS; j++)
			if (strcmp(key, sections[j]) == 0)
				kind = j;
		if (kind < 0)
			return scan_yaml_error(diag, path, k, PLATCI_EDATA, "unknown section \"%s\" "
				"(vulnerabilities, misconfigurations, secrets, licenses)", key ? key : "?");
		if (platci_node_is_null(seq))
			continue;
		if (platci_node_type_of(seq) != PLATCI_NODE_SEQUENCE)
			return scan_yaml_error(diag, path, seq, PLATCI_EDATA, "%s must be a list", key);
		for (size_t e = 0; e < platci_node_count(seq); e++) {
			const platci_node *it = platci_node_item(seq, e);
			const char *id = platci_node_get_str(it, "id");
			const char *exp = platci_node_get_str(it, "expired_at");
			const char *st = platci_node_get_str(it, "statement");
			scan_waiver *w;

			if (!id || !*id)
				return scan_yaml_error(diag, path, it, PLATCI_EDATA, "an entry needs id");
			if ((error = push(list, n, alloc, &w)) < 0)
				return error;
			w->format = WAIVER_TRIVYIGNORE_YAML;
			w->kinds = 1u << kind;
			w->line = platci_node_start(it).line;
			if (!(w->source = platci__strdup(path)) || !(w->id = platci__strdup(id)) ||
			    (st && !(w->statement = platci__strdup(st))))
				return PLATCI_ENOMEM;
			if (exp) {
				if (scan_parse_date(&w->expires, exp) < 0)
					return scan_yaml_error(diag, path, platci_node_get(it, "expired_at"),
						PLATCI_EDATA, "expired_at must be yyyy-mm-dd, not \"%s\"", exp);
				if (!(w->expires_text = platci__strdup(exp)))
					return PLATCI_ENOMEM;
			}
			if ((error = scan_str_list(&w->paths, platci_node_get(it, "paths"), path, "paths",
				     diag)) < 0 ||
			    (error = scan_str_list(&w->purls, platci_node_get(it, "purls"), path, "purls",
				     diag)) < 0)
				return error;
			/* An empty list means "everywhere", as in Trivy. */
			if (w->paths && !w->paths[0]) {
				scan_str_list_free(w->paths);
				w->paths = NULL;
			}
			if (w->purls && !w->purls[0]) {
				scan_str_list_free(w->purls);
				w->purls = NULL;
			}
		}
	}
	return 0;
}

static int gitlab_ids(scan_waiver **list, size_t *n, size_t *alloc, const char *path,
	const platci_node *m, const char *image, platci_diag *diag)
{
	int error;

	if (platci_node_is_null(m))
		return 0;
	if (platci_node_type_of(m) != PLATCI_NODE_MAPPING)
		return scan_yaml_error(diag, path, m, PLATCI_EDATA,
			"expected a mapping of CVE id to a comment");
	for (size_t i = 0; i < platci_node_count(m); i++) {
		const platci_node *k = platci_node_key_at(m, i);
		const char *id = platci_node_scalar(k, NULL);
		const char *comment = platci_node_scalar(platci_node_value_at(m, i), NULL);
		scan_waiver *w;

		if (!id || !*id)
			return scan_yaml_error(diag, path, k, PLATCI_EDATA, "ids must be strings");
		if ((error = push(list, n, alloc, &w)) < 0)
			return error;
		w->format = WAIVER_GITLAB;
		w->kinds = 1u << PLATCI_TRIVY_VULNERABILITY;
		w->line = platci_node_start(k).line;
		if (!(w->source = platci__strdup(path)) || !(w->id = platci__strdup(id)) ||
		    (image && !(w->image = platci__strdup(image))) ||
		    (comment && *comment && !(w->statement = platci__strdup(comment))))
			return PLATCI_ENOMEM;
	}
	return 0;
}

static int load_gitlab(scan_waiver **list, size_t *n, size_t *alloc, const char *path,
	const platci_node *root, platci_diag *diag)
{
	const platci_node *images = platci_node_get(root, "images");
	int error;

	for (size_t i = 0; i < platci_node_count(root); i++) {
		const char *key = platci_node_scalar(platci_node_key_at(root, i), NULL);
		if (!key || (strcmp(key, "generalallowlist") != 0 && strcmp(key, "images") != 0))
			return scan_yaml_error(diag, path, platci_node_key_at(root, i), PLATCI_EDATA,
				"unknown key \"%s\" (generalallowlist, images)", key ? key : "?");
	}
	if ((error = gitlab_ids(list, n, alloc, path, platci_node_get(root, "generalallowlist"),
		     NULL, diag)) < 0)
		return error;
	if (!images || platci_node_is_null(images))
		return 0;
	if (platci_node_type_of(images) != PLATCI_NODE_MAPPING)
		return scan_yaml_error(diag, path, images, PLATCI_EDATA,
			"images must be a mapping of image name to ids");
	for (size_t i = 0; i < platci_node_count(images); i++) {
		const char *image = platci_node_scalar(platci_node_key_at(images, i), NULL);
		if (!image || !*image)
			return scan_yaml_error(diag, path, platci_node_key_at(images, i), PLATCI_EDATA,
				"image names must be strings");
		if ((error = gitlab_ids(list, n, alloc, path, platci_node_value_at(images, i), image,
			     diag)) < 0)
			return error;
	}
	return 0;
}

static int load_platci(scan_waiver **list, size_t *n, size_t *alloc, const char *path,
	const platci_node *root, platci_diag *diag)
{
	const platci_node *seq = platci_node_get(root, "waivers");
	int error;

	for (size_t i = 0; i < platci_node_count(root); i++) {
		const char *key = platci_node_scalar(platci_node_key_at(root, i), NULL);
		if (!key || (strcmp(key, "waivers") != 0 && strcmp(key, "version") != 0))
			return scan_yaml_error(diag, path, platci_node_key_at(root, i), PLATCI_EDATA,
				"unknown key \"%s\" (version, waivers)", key ? key : "?");
	}
	if (platci_node_is_null(seq))
		return 0;
	if (platci_node_type_of(seq) != PLATCI_NODE_SEQUENCE)
		return scan_yaml_error(diag, path, seq, PLATCI_EDATA, "waivers must be a list");
	for (size_t i = 0; i < platci_node_count(seq); i++) {
		scan_waiver *w;
		if ((error = push(list, n, alloc, &w)) < 0)
			return error;
		if ((error = scan_parse_waiver_platci(w, path, platci_node_item(seq, i), diag)) < 0)
			return error;
	}
	return 0;
}

/* The first line that says something: `key:` or `---` means YAML, an id means .trivyignore. */
static int looks_like_yaml_map(const char *text)
{
	for (const char *p = text; *p; ) {
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
			if (!colon || memchr(p, ' ', (size_t)(colon - p)) || memchr(p, '\t', (size_t)(colon - p)))
				return 0;
			return colon + 1 == p + len || colon[1] == ' ' || colon[1] == '\r';
		}
		p = end ? end + 1 : p + len;
	}
	return 0;
}

int scan_waivers_load(scan_waiver **list, size_t *n, size_t *alloc, const char *path,
	platci_diag *diag)
{
	platci_buf text = PLATCI_BUF_INIT;
	platci_doc *doc = NULL;
	const platci_node *root;
	size_t before = *n;
	int error;

	if ((error = platci_fs_read(&text, path, MAX_WAIVER_FILE, diag)) < 0)
		goto done;
	if (!looks_like_yaml_map(text.ptr)) {
		error = load_plain(list, n, alloc, path, text.ptr, diag);
		goto done;
	}
	if ((error = platci_doc_load_buffer(&doc, path, text.ptr, text.size, NULL, diag)) < 0)
		goto done;
	root = platci_doc_root(doc, 0);
	if (!root) {
		error = 0;
		goto done;
	}
	if (platci_node_type_of(root) != PLATCI_NODE_MAPPING) {
		error = scan_yaml_error(diag, path, root, PLATCI_EDATA, "a waiver file must be a "
			"mapping (.trivyignore.yaml, vulnerability-allowlist.yml or platci waivers)");
		goto done;
	}
	if (platci_node_get(root, "waivers"))
		error = load_platci(list, n, alloc, path, root, diag);
	else if (platci_node_get(root, "generalallowlist") || platci_node_get(root, "images"))
		error = load_gitlab(list, n, alloc, path, root, diag);
	else
		error = load_trivy_yaml(list, n, alloc, path, root, diag);
done:
	if (error < 0) {
		for (size_t i = before; i < *n; i++)
			scan_waiver_dispose(&(*list)[i]);
		*n = before;
	}
	platci_doc_free(doc);
	platci_buf_dispose(&text);
	return error;
}
