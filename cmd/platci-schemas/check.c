/* platci-schemas check: every object in the files against its kind's schema. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemas_cmd.h"

typedef struct check {
	cli *c;
	const schemas_args *a;
	platci_schema_store *st;
	platci_schema *plain; /* --schema */
	char version[16];
	platci_schema_violations *v;
	platci_schema_check_options o;
	size_t objects, violations, unknown, removed, skipped;
	int deny;
} check;

static int load_doc(platci_doc **out, const char *path, platci_diag *diag)
{
	size_t n = strlen(path);

	if (n > 5 && !strcmp(path + n - 5, ".json"))
		return platci_doc_load_json_file(out, path, NULL, diag);
	return platci_doc_load_file(out, path, NULL, diag);
}

static void where(char *out, size_t size, const char *file, const platci_node *n)
{
	platci_pos p = platci_node_start(n);

	snprintf(out, size, "%s:%zu:%zu", file, p.line, p.column);
}

static void not_found(check *k, const char *file, const platci_node *root, const char *av, const char *kind)
{
	platci_schema_removal r;
	char at[4200];

	where(at, sizeof(at), file, root);
	if (k->st && platci_schema_store_removed(&r, k->st, k->version, av, kind) == 1) {
		printf("%s: error: %s %s is not served by Kubernetes %s (last served by %s, removed in "
		       "%s)%s%s\n",
			at, av, kind, k->version, r.last_served, r.removed_in,
			*r.replacement ? ": use " : ": no replacement is served", r.replacement);
		k->removed++;
		k->deny = 1;
		return;
	}
	printf("%s: %s: no schema for %s %s in Kubernetes %s (an unknown kind: add its CRD with "
	       "--crds, or fetch the cluster's)\n",
		at, k->a->strict ? "error" : "warning", av, kind, k->version);
	k->unknown++;
	k->deny |= k->a->strict;
}

static int check_object(check *k, const char *file, const platci_node *root)
{
	const char *av = platci_node_get_str(root, "apiVersion");
	const char *kind = platci_node_get_str(root, "kind");
	int rc;

	if (platci_node_type_of(root) != PLATCI_NODE_MAPPING || !av || !kind || !*av || !*kind ||
		!strncmp(av, "kustomize.config.k8s.io/", 24)) {
		k->skipped++; /* not a cluster object: values files, kustomization.yaml */
		return 0;
	}
	k->objects++;
	rc = k->plain ? platci_schema_validate(k->v, k->plain, root, file, &k->o)
		      : platci_schema_store_validate(k->v, k->st, k->version, root, file, &k->o);
	if (rc == PLATCI_ENOTFOUND || rc == PLATCI_EVERSION) {
		not_found(k, file, root, av, kind);
	} else if (rc == 1) {
		for (size_t i = 0; i < platci_schema_violations_count(k->v); i++) {
			char line[4600];
			platci_schema_violation_format(line, sizeof(line),
				platci_schema_violations_at(k->v, i));
			printf("%s\n", line);
		}
		k->violations += platci_schema_violations_count(k->v);
		k->deny = 1;
	} else if (rc < 0 && rc != PLATCI_EINVALID) {
		cli_error(k->c, "%s: %s", file, platci_strerror(rc));
		return CLI_EXIT_INTERNAL;
	}
	platci_schema_violations_clear(k->v);
	return 0;
}

static int pick_version(check *k)
{
	size_t n = platci_schema_store_version_count(k->st);

	if (k->a->k8s_version) {
		if (platci_schema_version_normalize(k->version, sizeof(k->version), k->a->k8s_version) < 0)
			return cli_usage_error(k->c,
				"--k8s-version: \"%s\" is not a version like 1.31", k->a->k8s_version);
		for (size_t i = 0; i < n; i++)
			if (!strcmp(platci_schema_store_version_at(k->st, i), k->version))
				return 0;
		cli_error(k->c,
			"%s holds no schemas for Kubernetes %s: run `platci-schemas fetch` "
			"against a cluster of that version, or add its OpenAPI document there",
			k->a->schemas, k->version);
		return CLI_EXIT_NOINPUT;
	}
	if (n > 1)
		return cli_usage_error(k->c, "%s holds %zu Kubernetes versions: say which with --k8s-version",
			k->a->schemas, n);
	snprintf(k->version, sizeof(k->version), "%s", n ? platci_schema_store_version_at(k->st, 0) : "0.0");
	return 0;
}

static int load_plain(check *k)
{
	platci_schema_options so = PLATCI_SCHEMA_OPTIONS_INIT;
	platci_diag *diag = NULL;
	platci_doc *doc = NULL;
	int error;

	so.max_depth = 0;
	platci_diag_new(&diag);
	error = load_doc(&doc, k->a->schema_file, diag);
	if (error >= 0)
		error = platci_schema_compile(&k->plain, platci_doc_root_at(doc, 0), NULL,
			k->a->schema_file, &so, diag);
	cli_print_diag(k->c, diag);
	platci_doc_free(doc);
	platci_diag_free(diag);
	snprintf(k->version, sizeof(k->version), "-");
	return error < 0 ? cli_exit_for(error) : 0;
}

/* An object whose kind has no schema yet: a CRD in a later file may bring it. */
static int later(const check *k, const platci_node *root)
{
	const char *av = platci_node_get_str(root, "apiVersion");
	const char *kind = platci_node_get_str(root, "kind");

	return k->st && av && kind && !platci_schema_store_find(k->st, k->version, av, kind);
}

typedef struct deferred {
	size_t file, index;
} deferred;

/* File by file: CRDs join the store, objects are checked and the file is freed. Objects of
 * a kind not known yet wait (with their file) until every CRD has been seen. */
static int run(check *k, char **files, size_t n)
{
	platci_doc **kept = calloc(n ? n : 1, sizeof(*kept));
	deferred *wait = NULL;
	size_t nwait = 0;
	platci_diag *diag = NULL;
	int code = 0, rc;

	for (size_t i = 0; i < n && !code && kept; i++) {
		platci_doc *doc = NULL;
		if (platci_diag_new(&diag) < 0)
			break;
		rc = load_doc(&doc, files[i], diag);
		if (rc >= 0 && k->st)
			rc = platci_schema_store_add_crds(k->st, doc, NULL, NULL, diag);
		cli_print_diag(k->c, diag);
		platci_diag_free(diag);
		diag = NULL;
		code = rc < 0 ? cli_exit_for(rc) : 0;
		for (size_t d = 0; d < platci_doc_count(doc) && !code; d++) {
			deferred *grown;
			if (!later(k, platci_doc_root_at(doc, d))) {
				code = check_object(k, files[i], platci_doc_root_at(doc, d));
			} else if ((grown = realloc(wait, (nwait + 1) * sizeof(*wait)))) {
				wait = grown;
				wait[nwait++] = (deferred){ i, d };
				kept[i] = doc;
			} else {
				code = CLI_EXIT_INTERNAL;
			}
		}
		if (kept[i] != doc)
			platci_doc_free(doc);
	}
	for (size_t w = 0; w < nwait && !code; w++)
		code = check_object(k, files[wait[w].file],
			platci_doc_root_at(kept[wait[w].file], wait[w].index));
	for (size_t i = 0; kept && i < n; i++)
		platci_doc_free(kept[i]);
	free(kept);
	free(wait);
	return kept ? code : CLI_EXIT_INTERNAL;
}

int schemas_check(cli *c, const schemas_args *a)
{
	check k;
	char **files = NULL;
	size_t nfiles = 0;
	int code;

	memset(&k, 0, sizeof(k));
	k.c = c;
	k.a = a;
	platci_schema_check_options_init(&k.o, PLATCI_SCHEMA_CHECK_OPTIONS_VERSION);
	k.o.strict = a->strict;
	k.o.partial = a->partial;
	if (!a->paths.count)
		return cli_usage_error(c, "check needs files or folders to check");
	if ((code = a->schema_file ? load_plain(&k) : schemas_load_store(c, a, &k.st)) != 0 ||
		(!a->schema_file && (code = pick_version(&k)) != 0))
		goto done;
	for (size_t i = 0; i < a->paths.count && !code; i++)
		code = schemas_collect_files(c, a->paths.items[i], &files, &nfiles);
	if (code || (code = platci_schema_violations_new(&k.v) < 0 ? CLI_EXIT_INTERNAL : 0) != 0 ||
		(code = run(&k, files, nfiles)) != 0)
		goto done;
	cli_info(c,
		"%s: %zu objects in %zu files checked against %s%s: %zu violations, %zu removed "
		"APIs, %zu unknown kinds%s",
		c->prog, k.objects, nfiles, a->schema_file ? a->schema_file : "Kubernetes ",
		a->schema_file ? "" : k.version, k.violations, k.removed, k.unknown,
		a->strict ? " (strict)" : "");
	if (k.st && platci_schema_store_unsupported_count(k.st))
		cli_info(c,
			"%s: note: %zu x-kubernetes-validations (CEL) rules in these schemas are not "
			"evaluated",
			c->prog, platci_schema_store_unsupported_count(k.st));
	code = k.deny ? CLI_EXIT_DENY : 0;
done:
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	platci_schema_violations_free(k.v);
	platci_schema_store_free(k.st);
	platci_schema_free(k.plain);
	return code;
}
