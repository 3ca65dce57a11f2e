/*
 * Finding pins in one YAML file: kustomize images, HelmRelease chart
 * versions, OCI/Git refs, postBuild.substitute variables, setter markers,
 * and the same inside inline patches (block scalars parsed on their own,
 * positions mapped back to the outer file).
 */
#include <stdio.h>
#include <string.h>

#include "versions.h"
#include "platci/path.h"
#include "util/common.h"
#include "util/banned.h"

/* Maps offsets of an inline patch (a literal block scalar) to its file. */
typedef struct remap {
	const char *outer; /* the file's bytes */
	size_t outer_len;
	size_t first_line; /* 1-based line of the block's first content line */
	size_t *line_starts; /* outer offset of each content line */
	size_t nlines;
	size_t indent; /* the block's indentation */
} remap;

typedef struct xctx {
	platci_versions *set;
	const char *file;
	const char *app;
	const char *src; /* bytes of the document being read (inner for patches) */
	size_t len;
	const remap *map; /* NULL outside inline patches */
	size_t doc_first_pin; /* pins from here on belong to the current document */
	platci_diag *diag;
	int screened; /* the source holds a setter marker somewhere */
	int error;
} xctx;

static void warn_at(xctx *x, size_t line, size_t column, const char *msg)
{
	platci_diag_entry e = { PLATCI_DIAG_WARNING, PLATCI_EDATA, x->file, line, column, 0, NULL, NULL };
	platci_diag_add(x->diag, &e, "%s", msg);
}

/* Inner offset -> outer offset (identity outside inline patches); -1 when it cannot be mapped. */
static int map_offset(const xctx *x, size_t off, size_t *out, size_t *line, size_t *col)
{
	size_t l = 0, ls = 0;

	if (!x->map) {
		*out = off;
		return 0;
	}
	for (size_t i = 0; i < off && i < x->len; i++)
		if (x->src[i] == '\n') {
			l++;
			ls = i + 1;
		}
	if (l >= x->map->nlines)
		return -1;
	*out = x->map->line_starts[l] + x->map->indent + (off - ls);
	if (*out > x->map->outer_len)
		return -1;
	if (line)
		*line = x->map->first_line + l;
	if (col)
		*col = x->map->indent + (off - ls) + 1;
	return 0;
}

static int contains(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, k) == 0)
			return 1;
	return 0;
}

static const char *short_name(const char *image)
{
	const char *slash = strrchr(image, '/');
	return slash ? slash + 1 : image;
}

/* Parses a setter marker in the comment after a scalar ending at @p end. */
static int find_marker(const char *src, size_t len, size_t end, char *ref, size_t refsize)
{
	size_t i = end, k = 0;
	const char *tok = "\"$imagepolicy\"";

	while (i < len && (src[i] == ' ' || src[i] == '\t'))
		i++;
	if (i >= len || src[i] != '#')
		return 0;
	for (i++; i < len && (src[i] == ' ' || src[i] == '\t'); i++)
		;
	if (i >= len || src[i] != '{')
		return 0;
	for (i++; i < len && (src[i] == ' ' || src[i] == '\t'); i++)
		;
	if (len - i < strlen(tok) || memcmp(src + i, tok, strlen(tok)) != 0)
		return 0;
	for (i += strlen(tok); i < len && (src[i] == ' ' || src[i] == '\t'); i++)
		;
	if (i >= len || src[i] != ':')
		return 0;
	for (i++; i < len && (src[i] == ' ' || src[i] == '\t'); i++)
		;
	if (i >= len || src[i] != '"')
		return 0;
	for (i++; i < len && src[i] != '"' && src[i] != '\n' && src[i] != '\r'; i++) {
		if (k + 1 >= refsize)
			return 0;
		ref[k++] = src[i];
	}
	if (i >= len || src[i] != '"' || k == 0)
		return 0;
	ref[k] = '\0';
	return 1;
}

/*
 * Records a pin for the scalar @p val (value of @p key). Skips what cannot
 * be edited in place, with a warning: aliases, anchored or tagged scalars,
 * block scalars, empty values.
 */
static platci_pin *add_pin(xctx *x, platci_pin_kind kind, const char *id, const char *field,
	const char *name, const platci_node *key, const platci_node *val)
{
	platci_pin p;
	platci_pos s, e;
	size_t start, end, kstart, line, col;
	platci_pin *added;

	if (x->error || !val || platci_node_type_of(val) != PLATCI_NODE_SCALAR)
		return NULL;
	s = platci_node_start(val);
	e = platci_node_end(val);
	if (key && s.offset < platci_node_end(key).offset)
		return NULL; /* an alias to an earlier node: edit the anchor, not here */
	if (e.offset <= s.offset || e.offset > x->len)
		return NULL;
	if (platci_node_style_of(val) == PLATCI_STYLE_LITERAL ||
		platci_node_style_of(val) == PLATCI_STYLE_FOLDED) {
		warn_at(x, s.line, s.column, "block scalar version pin is not editable in place; skipped");
		return NULL;
	}
	if (x->src[s.offset] == '&' || x->src[s.offset] == '!') {
		warn_at(x, s.line, s.column,
			"anchored or tagged version pin is not editable in place; skipped");
		return NULL;
	}
	line = s.line;
	col = s.column;
	if (map_offset(x, s.offset, &start, &line, &col) < 0 ||
		map_offset(x, e.offset, &end, NULL, NULL) < 0 ||
		map_offset(x, key ? platci_node_start(key).offset : s.offset, &kstart, NULL, NULL) < 0)
		return NULL;
	if (x->map && (end > x->map->outer_len || end - start != e.offset - s.offset ||
			      memcmp(x->map->outer + start, x->src + s.offset, end - start) != 0))
		return NULL;
	memset(&p, 0, sizeof(p));
	p.kind = kind;
	p.id = id;
	p.field = field;
	p.name = name;
	p.app = x->app;
	p.file = x->file;
	p.line = line;
	p.column = col;
	p.start = start;
	p.end = end;
	p.key_start = kstart;
	p.value = platci_node_scalar(val, NULL);
	p.style = platci_node_style_of(val);
	if (!(added = platci_versions__add_pin(x->set, &p)))
		x->error = PLATCI_ENOMEM;
	return added;
}

/* Remembers where a new key can be added to mapping @p map. */
static void add_group(xctx *x, const char *id, const platci_node *map)
{
	platci_pin_group g;
	size_t n = platci_node_count(map), last_end, i, outer;

	if (x->error || !n)
		return;
	memset(&g, 0, sizeof(g));
	g.id = id;
	g.file = x->file;
	g.indent = platci_node_start(platci_node_key_at(map, 0)).column - 1;
	last_end = platci_node_end(platci_node_value_at(map, n - 1)).offset;
	if (platci_node_style_of(map) != PLATCI_STYLE_FLOW && last_end <= x->len) {
		g.insertable = 1;
		if (last_end > 0 && x->src[last_end - 1] == '\n') {
			i = last_end;
		} else {
			for (i = last_end; i < x->len && x->src[i] != '\n'; i++)
				;
			if (i < x->len)
				i++;
			else
				g.lead_eol = 1;
		}
		g.crlf = i >= 2 && x->src[i - 1] == '\n' && x->src[i - 2] == '\r';
		if (x->map) {
			if (g.lead_eol || map_offset(x, i, &outer, NULL, NULL) < 0) {
				g.insertable = 0;
			} else {
				g.insert_at = outer - x->map->indent;
				g.indent += x->map->indent;
				g.crlf = g.insert_at >= 2 && x->map->outer[g.insert_at - 2] == '\r';
			}
		} else {
			g.insert_at = i;
		}
	}
	if (platci_versions__add_group(x->set, &g) < 0)
		x->error = PLATCI_ENOMEM;
}

static void pins_of_fields(xctx *x, platci_pin_kind kind, const char *id, const char *name,
	const platci_node *map, const char *const *fields)
{
	if (!map || platci_node_type_of(map) != PLATCI_NODE_MAPPING)
		return;
	for (size_t f = 0; fields[f]; f++) {
		const platci_node *k = platci_node_get_key(map, fields[f]);
		if (k)
			add_pin(x, kind, id, fields[f], name, k, platci_node_get(map, fields[f]));
	}
	add_group(x, id, map);
}

static void images(xctx *x, const platci_node *list)
{
	static const char *const fields[] = { "newName", "newTag", "digest", NULL };
	platci_buf id = PLATCI_BUF_INIT;

	for (size_t i = 0; i < platci_node_count(list); i++) {
		const platci_node *item = platci_node_item_at(list, i);
		const char *name = platci_node_get_str(item, "name");

		if (!name)
			continue;
		platci_buf_clear(&id);
		if (platci_buf_printf(&id, "image:%s", name) < 0) {
			x->error = PLATCI_ENOMEM;
			break;
		}
		pins_of_fields(x, PLATCI_PIN_IMAGE, id.ptr, short_name(name), item, fields);
	}
	platci_buf_dispose(&id);
}

static int object_id(platci_buf *out, const char *prefix, const platci_node *root)
{
	const char *ns = platci_node_get_str(platci_node_get(root, "metadata"), "namespace");
	const char *name = platci_node_get_str(platci_node_get(root, "metadata"), "name");

	platci_buf_clear(out);
	platci_buf_printf(out, "%s:%s/%s", prefix, ns && *ns ? ns : "-", name ? name : "-");
	return out->error;
}

static int matches_pattern(const xctx *x, const char *var)
{
	const char *const *p = x->set->opts.substitute_patterns;

	for (; p && *p; p++)
		if (platci__glob_match(*p, var))
			return 1;
	return 0;
}

static void extract_root(xctx *x, const platci_node *root, const char *api_hint_file);
static void extract_doc_setters(xctx *x, const platci_node *root);

/* What a JSON 6902 op on @p path of a @p kind writes: 1 with the pin's prefix, field and kind. */
static int op_pin(const char *kind, const char *path, const char **prefix, const char **field,
	platci_pin_kind *pk)
{
	if (strcmp(kind, "HelmRelease") == 0 && strcmp(path, "/spec/chart/spec/version") == 0) {
		*prefix = "helm", *field = "version", *pk = PLATCI_PIN_HELM;
		return 1;
	}
	if (strncmp(path, "/spec/ref/", 10) == 0 &&
		(strcmp(kind, "OCIRepository") == 0 || strcmp(kind, "GitRepository") == 0)) {
		int oci = kind[0] == 'O';
		*field = path + 10;
		*prefix = oci ? "oci" : "git";
		*pk = oci ? PLATCI_PIN_OCI : PLATCI_PIN_GIT;
		return strcmp(*field, "tag") == 0 || strcmp(*field, "semver") == 0 ||
		       strcmp(*field, oci ? "digest" : "commit") == 0;
	}
	return 0;
}

/* JSON 6902 ops inline, next to the target they patch. */
static void target_ops(xctx *x, const platci_node *root, const platci_node *target)
{
	const char *kind = platci_node_get_str(target, "kind");
	const char *tname = platci_node_get_str(target, "name");
	const char *tns = platci_node_get_str(target, "namespace");
	platci_buf id = PLATCI_BUF_INIT;

	for (size_t i = 0; kind && tname && i < platci_node_count(root) && !x->error; i++) {
		const platci_node *op = platci_node_item_at(root, i);
		const char *path = platci_node_get_str(op, "path"), *prefix, *field;
		platci_pin_kind pk;

		if (!path || !op_pin(kind, path, &prefix, &field, &pk))
			continue;
		platci_buf_clear(&id);
		if (platci_buf_printf(&id, "%s:%s/%s", prefix, tns && *tns ? tns : "-", tname) < 0) {
			x->error = PLATCI_ENOMEM;
			break;
		}
		add_pin(x, pk, id.ptr, field, tname, platci_node_get_key(op, "value"),
			platci_node_get(op, "value"));
	}
	platci_buf_dispose(&id);
}

/* Pins inside an inline patch: a literal block scalar parsed on its own. */
static void inline_patch(xctx *x, const platci_node *patch, const platci_node *target)
{
	platci_doc *inner = NULL;
	remap m;
	xctx ix;
	const char *val;
	size_t vlen, pos, alloc = 0;
	platci_pos s;

	memset(&m, 0, sizeof(m));
	if (x->map || !patch || platci_node_type_of(patch) != PLATCI_NODE_SCALAR ||
		platci_node_style_of(patch) != PLATCI_STYLE_LITERAL)
		return;
	val = platci_node_scalar(patch, &vlen);
	s = platci_node_start(patch);
	if (vlen == 0)
		return;
	/* Content starts on the line after the `|` indicator. */
	for (pos = s.offset; pos < x->len && x->src[pos] != '\n'; pos++)
		;
	if (pos >= x->len)
		return;
	pos++;
	m.outer = x->src;
	m.outer_len = x->len;
	m.first_line = s.line + 1;
	for (size_t p = pos; p < x->len;) {
		size_t q;
		if (platci__grow_array((void **)&m.line_starts, &alloc, m.nlines + 1,
			    sizeof(*m.line_starts)) < 0) {
			x->error = PLATCI_ENOMEM;
			goto done;
		}
		m.line_starts[m.nlines++] = p;
		for (q = p; q < x->len && x->src[q] != '\n'; q++)
			;
		p = q + 1;
		if (m.nlines > vlen + 1)
			break;
	}
	for (size_t l = 0; l < m.nlines; l++) {
		size_t p = m.line_starts[l], sp = 0;
		while (p + sp < x->len && x->src[p + sp] == ' ')
			sp++;
		if (p + sp < x->len && x->src[p + sp] != '\n' && x->src[p + sp] != '\r') {
			m.indent = sp;
			break;
		}
	}
	if (platci_doc_load_buffer(&inner, x->file, val, vlen, x->set->opts.doc, NULL) < 0)
		goto done; /* kustomize will say what is wrong with the patch */
	ix = *x;
	ix.src = platci_doc_source(inner, &ix.len);
	ix.map = &m;
	ix.screened = contains(ix.src, ix.len, "\"$imagepolicy\"");
	for (size_t d = 0; d < platci_doc_count(inner) && !ix.error; d++) {
		const platci_node *root = platci_doc_root_at(inner, d);
		ix.doc_first_pin = x->set->npins;
		if (platci_node_type_of(root) == PLATCI_NODE_SEQUENCE && target) {
			target_ops(&ix, root, target);
		} else {
			extract_root(&ix, root, NULL);
		}
		extract_doc_setters(&ix, root);
	}
	x->error = ix.error;
done:
	platci_doc_free(inner);
	free(m.line_starts);
}

/* `patches: [{path: ops.yaml, target: {...}}]`: remember which object the file patches. */
static void patch_file_target(xctx *x, const platci_node *item)
{
	const char *path = platci_node_get_str(item, "path");
	const platci_node *target = platci_node_get(item, "target");
	const char *kind = platci_node_get_str(target, "kind");
	const char *name = platci_node_get_str(target, "name");
	const char *slash = strrchr(x->file, '/');
	platci_buf dir = PLATCI_BUF_INIT, joined = PLATCI_BUF_INIT;
	platci_patch_target t;

	if (!path || !kind || !name || x->map)
		return;
	if (slash)
		platci_buf_put(&dir, x->file, (size_t)(slash - x->file));
	else
		platci_buf_puts(&dir, ".");
	/* A path that climbs out of the repository names nothing we read. */
	if (!dir.error && platci_path_join(&joined, dir.ptr, path) == 0) {
		t.file = joined.ptr;
		t.kind = kind;
		t.name = name;
		t.ns = platci_node_get_str(target, "namespace");
		if (platci_versions__add_target(x->set, &t) < 0)
			x->error = PLATCI_ENOMEM;
	} else if (dir.error || joined.error) {
		x->error = PLATCI_ENOMEM;
	}
	platci_buf_dispose(&dir);
	platci_buf_dispose(&joined);
}

static void patches(xctx *x, const platci_node *list)
{
	for (size_t i = 0; i < platci_node_count(list); i++) {
		const platci_node *item = platci_node_item_at(list, i);
		if (platci_node_type_of(item) == PLATCI_NODE_MAPPING) {
			inline_patch(x, platci_node_get(item, "patch"), platci_node_get(item, "target"));
			patch_file_target(x, item);
		} else {
			inline_patch(x, item, NULL); /* patchesStrategicMerge: inline documents */
		}
	}
}

/* A file of JSON 6902 ops: pins parked until a kustomization names the file's target. */
static void op_file(xctx *x, const platci_node *root)
{
	for (size_t i = 0; i < platci_node_count(root) && !x->error; i++) {
		const platci_node *op = platci_node_item_at(root, i);
		const char *path = platci_node_get_str(op, "path");
		const char *field = NULL;
		platci_pin *p;

		if (!path || !platci_node_get_str(op, "op"))
			continue;
		if (strcmp(path, "/spec/chart/spec/version") == 0)
			field = "version";
		else if (strcmp(path, "/spec/ref/tag") == 0 || strcmp(path, "/spec/ref/semver") == 0 ||
			 strcmp(path, "/spec/ref/digest") == 0 || strcmp(path, "/spec/ref/commit") == 0)
			field = path + 10;
		else
			continue;
		p = add_pin(x, PLATCI_PIN_HELM, "patch", field, "-",
			platci_node_get_key(op, "value"), platci_node_get(op, "value"));
		if (p && platci_versions__add_pending(x->set, p) < 0)
			x->error = PLATCI_ENOMEM;
	}
}

static int starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static int is_kustomization_file(const char *file)
{
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	return strcmp(base, "kustomization.yaml") == 0 || strcmp(base, "kustomization.yml") == 0 ||
	       strcmp(base, "Kustomization") == 0;
}

static void extract_root(xctx *x, const platci_node *root, const char *file_hint)
{
	static const char *const oci_fields[] = { "tag", "semver", "digest", NULL };
	static const char *const git_fields[] = { "tag", "semver", "commit", NULL };
	const char *kind = platci_node_get_str(root, "kind");
	const char *api = platci_node_get_str(root, "apiVersion");
	const char *name = platci_node_get_str(platci_node_get(root, "metadata"), "name");
	const platci_node *spec = platci_node_get(root, "spec");
	platci_buf id = PLATCI_BUF_INIT;

	if (platci_node_type_of(root) == PLATCI_NODE_SEQUENCE && !x->map) {
		op_file(x, root);
		return;
	}
	if (platci_node_type_of(root) != PLATCI_NODE_MAPPING)
		return;
	if ((kind && strcmp(kind, "Kustomization") == 0 && starts_with(api, "kustomize.config.k8s.io")) ||
		(!kind && file_hint && is_kustomization_file(file_hint)) ||
		(kind && strcmp(kind, "Component") == 0 && starts_with(api, "kustomize.config.k8s.io"))) {
		images(x, platci_node_get(root, "images"));
		patches(x, platci_node_get(root, "patches"));
		patches(x, platci_node_get(root, "patchesStrategicMerge"));
	} else if (kind && strcmp(kind, "Kustomization") == 0 &&
		   starts_with(api, "kustomize.toolkit.fluxcd.io")) {
		const platci_node *subst = platci_node_dig(spec, "postBuild.substitute");
		images(x, platci_node_get(spec, "images"));
		patches(x, platci_node_get(spec, "patches"));
		if (platci_node_type_of(subst) == PLATCI_NODE_MAPPING &&
			object_id(&id, "subst", root) == 0) {
			for (size_t i = 0; i < platci_node_count(subst); i++) {
				const platci_node *k = platci_node_key_at(subst, i);
				const char *var = platci_node_scalar(k, NULL);
				if (var && matches_pattern(x, var))
					add_pin(x, PLATCI_PIN_SUBSTITUTE, id.ptr, var, var, k,
						platci_node_value_at(subst, i));
			}
		}
	} else if (kind && strcmp(kind, "HelmRelease") == 0 && starts_with(api, "helm.toolkit.fluxcd.io")) {
		const platci_node *cs = platci_node_dig(spec, "chart.spec");
		if (cs && object_id(&id, "helm", root) == 0)
			add_pin(x, PLATCI_PIN_HELM, id.ptr, "version", name ? name : "-",
				platci_node_get_key(cs, "version"), platci_node_get(cs, "version"));
	} else if (kind && strcmp(kind, "OCIRepository") == 0 &&
		   starts_with(api, "source.toolkit.fluxcd.io")) {
		if (object_id(&id, "oci", root) == 0)
			pins_of_fields(x, PLATCI_PIN_OCI, id.ptr, name ? name : "-",
				platci_node_get(spec, "ref"), oci_fields);
	} else if (kind && strcmp(kind, "GitRepository") == 0 &&
		   starts_with(api, "source.toolkit.fluxcd.io")) {
		if (object_id(&id, "git", root) == 0)
			pins_of_fields(x, PLATCI_PIN_GIT, id.ptr, name ? name : "-",
				platci_node_get(spec, "ref"), git_fields);
	}
	if (id.error)
		x->error = PLATCI_ENOMEM;
	platci_buf_dispose(&id);
}

/* Setter markers on any scalar of the document; a pin already found gets the marker. */
static void setters(xctx *x, const platci_node *key, const platci_node *n, size_t depth)
{
	char ref[256];

	if (x->error || !n || depth > 200)
		return;
	switch (platci_node_type_of(n)) {
	case PLATCI_NODE_MAPPING:
		for (size_t i = 0; i < platci_node_count(n); i++)
			setters(x, platci_node_key_at(n, i), platci_node_value_at(n, i), depth + 1);
		return;
	case PLATCI_NODE_SEQUENCE:
		for (size_t i = 0; i < platci_node_count(n); i++)
			setters(x, NULL, platci_node_item_at(n, i), depth + 1);
		return;
	default:
		break;
	}
	if (platci_node_style_of(n) == PLATCI_STYLE_LITERAL || platci_node_style_of(n) == PLATCI_STYLE_FOLDED)
		return;
	if (platci_node_end(n).offset > x->len ||
		!find_marker(x->src, x->len, platci_node_end(n).offset, ref, sizeof(ref)))
		return;
	{
		size_t start;
		platci_pin *p = NULL;
		char id[300];
		const char *field = "full", *c1 = strchr(ref, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c1)
			return; /* the marker needs namespace:name */
		if (map_offset(x, platci_node_start(n).offset, &start, NULL, NULL) < 0)
			return;
		for (size_t i = x->doc_first_pin; i < x->set->npins; i++)
			if (x->set->pins[i]->start == start && strcmp(x->set->pins[i]->file, x->file) == 0)
				p = x->set->pins[i];
		if (p) {
			p->setter = platci_arena_strdup(&x->set->arena, ref);
			if (!p->setter)
				x->error = PLATCI_ENOMEM;
			return;
		}
		if (c2) {
			field = c2 + 1;
			snprintf(id, sizeof(id), "setter:%.*s", (int)(c2 - ref), ref);
		} else {
			snprintf(id, sizeof(id), "setter:%s", ref);
		}
		if ((p = add_pin(x, PLATCI_PIN_SETTER, id, field, c1 + 1, key, n)) != NULL) {
			p->setter = platci_arena_strdup(&x->set->arena, ref);
			/* The short name is the policy name, without the field suffix. */
			if (c2)
				p->name = platci_arena_strndup(&x->set->arena, c1 + 1,
					(size_t)(c2 - c1 - 1));
			if (!p->setter || !p->name)
				x->error = PLATCI_ENOMEM;
		}
	}
}

static void extract_doc_setters(xctx *x, const platci_node *root)
{
	if (x->screened)
		setters(x, NULL, root, 0);
}

int platci_versions__extract(platci_versions *set, const platci_doc *doc, const char *file,
	const char *app, platci_diag *diag)
{
	xctx x;

	memset(&x, 0, sizeof(x));
	x.set = set;
	x.file = file;
	x.app = app;
	x.src = platci_doc_source(doc, &x.len);
	x.diag = diag;
	/* Files are screened for the token once, as image-automation does. */
	x.screened = contains(x.src, x.len, "\"$imagepolicy\"");
	for (size_t d = 0; d < platci_doc_count(doc) && !x.error; d++) {
		const platci_node *root = platci_doc_root_at(doc, d);
		x.doc_first_pin = set->npins;
		extract_root(&x, root, file);
		/* Inline patches were read with their own source; markers there are found above. */
		extract_doc_setters(&x, root);
	}
	return x.error;
}

static void app_of(platci_buf *out, const char *file, const char *base)
{
	size_t n = base ? strlen(base) : 0;
	const char *rest, *slash;

	platci_buf_clear(out);
	if (!n || strncmp(file, base, n) != 0 || file[n] != '/')
		return;
	rest = file + n + 1;
	if ((slash = strchr(rest, '/')) != NULL)
		platci_buf_put(out, rest, (size_t)(slash - rest));
}

int platci_versions_add_data(platci_versions *set, const char *file, const char *base,
	const char *data, size_t len, platci_diag *diag)
{
	platci_doc *doc = NULL;
	platci_buf app = PLATCI_BUF_INIT;
	int error;

	PLATCI_ASSERT_ARG(set && file && (data || !len));
	if ((error = platci_doc_load_buffer(&doc, file, data ? data : "", len, set->opts.doc, diag)) < 0)
		goto done;
	app_of(&app, file, base);
	if ((error = app.error) < 0)
		goto done;
	if ((error = platci_versions__extract(set, doc, file, app.ptr, diag)) < 0)
		goto done;
	if (set->npending && set->ntargets)
		error = platci_versions__resolve(set);
done:
	platci_buf_dispose(&app);
	platci_doc_free(doc);
	return error;
}
